//! Pages' subscriptions: each is a filter and a counter the page's data
//! depends on; a matching change bumps the counter, so the data is read again.

use std::sync::Arc;

use engine::model::live::{LiveChange, LiveFilter};
use leptos::prelude::*;

use super::LiveUpdates;

type FilterFn = Arc<dyn Fn() -> LiveFilter + Send + Sync>;

struct Subscriber {
    id: u64,
    filter: FilterFn,
    count: RwSignal<u64>,
}

/// Every subscription of the open page.
#[derive(Default)]
pub(super) struct Subscribers {
    next_id: u64,
    subscribed: Vec<Subscriber>,
}

impl Subscribers {
    /// The counters of the subscriptions `change` matters to.
    #[cfg_attr(not(feature = "hydrate"), expect(dead_code))]
    pub(super) fn matching(&self, change: &LiveChange) -> Vec<RwSignal<u64>> {
        self.subscribed
            .iter()
            .filter(|subscriber| untrack(|| (subscriber.filter)()).matches(change))
            .map(|subscriber| subscriber.count)
            .collect()
    }

    /// Every counter (after changes may have been missed).
    #[cfg_attr(not(feature = "hydrate"), expect(dead_code))]
    pub(super) fn all(&self) -> Vec<RwSignal<u64>> {
        self.subscribed.iter().map(|s| s.count).collect()
    }
}

/// A counter that goes up whenever a change that `filter` matches arrives
/// (the filter is re-read each time, so it may follow the page's signals).
/// Put it in a resource's source to read the data again on each change.
pub fn use_live(filter: impl Fn() -> LiveFilter + Send + Sync + 'static) -> Signal<u64> {
    let count = RwSignal::new(0_u64);
    let Some(live) = LiveUpdates::get() else {
        return count.into();
    };
    let id = live.subscribers.try_update_value(|subscribers| {
        subscribers.next_id += 1;
        subscribers.subscribed.push(Subscriber {
            id: subscribers.next_id,
            filter: Arc::new(filter),
            count,
        });
        subscribers.next_id
    });
    on_cleanup(move || {
        live.subscribers.try_update_value(|subscribers| {
            subscribers
                .subscribed
                .retain(|subscriber| Some(subscriber.id) != id)
        });
    });
    count.into()
}
