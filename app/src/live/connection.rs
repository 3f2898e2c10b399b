//! The browser's end of the stream: an `EventSource` on `/events` for the
//! current project (reopened when it changes), which bumps the matching
//! subscriptions. The browser reconnects a dropped stream by itself and
//! sends `Last-Event-ID`; a stream the server refused is reopened here after
//! a pause, from the last change seen.

use std::time::Duration;

use engine::model::live::{CHANGE_EVENT, LiveChange, READY_EVENT, RESET_EVENT};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{Event, EventSource, MessageEvent};

use super::{CURSOR_META, LiveStatus, LiveUpdates, followed_projects};

/// Changes arriving this close together read the data once.
const BATCH: Duration = Duration::from_millis(80);
/// The pause before reopening a stream the server refused.
const REOPEN: Duration = Duration::from_secs(3);

/// An open stream and the handlers it calls.
struct Connection {
    source: EventSource,
    _handlers: Vec<Closure<dyn FnMut(Event)>>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Changes received but not yet passed on (batched).
#[derive(Default)]
struct Pending {
    counters: Vec<RwSignal<u64>>,
    scheduled: bool,
}

/// Keeps a stream open for `project` while the page lives.
pub(super) fn follow(live: LiveUpdates, project: Memo<Option<String>>) {
    let connection = StoredValue::new_local(None::<Connection>);
    let last_seen = StoredValue::new(None::<i64>);
    let pending = StoredValue::new(Pending::default());
    let reopen = RwSignal::new(0_u32);
    // The position the page was rendered at: the stream starts there.
    last_seen.set_value(rendered_at());
    Effect::new(move |_| {
        reopen.track();
        let project = project.get();
        connection.set_value(None);
        let Some(project) = project else {
            live.status.set(LiveStatus::Off);
            return;
        };
        let since = last_seen
            .get_value()
            .map(|since| format!("&since={since}"))
            .unwrap_or_default();
        let url = format!(
            "/events?namespaces={}{since}",
            followed_projects(&project).join(",")
        );
        match open(&url, live, last_seen, pending, reopen) {
            Ok(opened) => {
                live.status.set(LiveStatus::Connecting);
                connection.set_value(Some(opened));
            }
            Err(()) => live.status.set(LiveStatus::Reconnecting),
        }
    });
    on_cleanup(move || connection.set_value(None));
}

fn open(
    url: &str,
    live: LiveUpdates,
    last_seen: StoredValue<Option<i64>>,
    pending: StoredValue<Pending>,
    reopen: RwSignal<u32>,
) -> Result<Connection, ()> {
    let source = EventSource::new(url).map_err(|_| ())?;
    let mut handlers = Vec::new();
    let mut on = |event: &str, handler: Box<dyn FnMut(Event)>| {
        let closure = Closure::wrap(handler);
        source
            .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
            .ok();
        handlers.push(closure);
    };
    on(
        READY_EVENT,
        Box::new(move |event| {
            live.status.set(LiveStatus::Live);
            // Without a position from the page, resume from the stream's start.
            let cursor = message_data(&event)
                .and_then(|data| serde_json::from_str::<serde_json::Value>(&data).ok())
                .and_then(|ready| ready["cursor"].as_i64());
            last_seen.update_value(|seen| *seen = seen.or(cursor));
        }),
    );
    on(
        CHANGE_EVENT,
        Box::new(move |event| {
            let Some(change) = message_data(&event)
                .and_then(|data| serde_json::from_str::<LiveChange>(&data).ok())
            else {
                return;
            };
            last_seen.update_value(|seen| *seen = Some(seen.unwrap_or(0).max(change.id)));
            let counters = live
                .subscribers
                .with_value(|subscribers| subscribers.matching(&change));
            pass_on(pending, counters);
        }),
    );
    on(
        RESET_EVENT,
        Box::new(move |event| {
            if let Some(cursor) = event
                .dyn_ref::<MessageEvent>()
                .map(|message| message.last_event_id())
                .and_then(|id| id.parse::<i64>().ok())
            {
                last_seen.update_value(|seen| *seen = Some(seen.unwrap_or(0).max(cursor)));
            }
            let counters = live.subscribers.with_value(|subscribers| subscribers.all());
            pass_on(pending, counters);
        }),
    );
    let source_for_errors = source.clone();
    on(
        "error",
        Box::new(move |_| {
            live.status.set(LiveStatus::Reconnecting);
            if source_for_errors.ready_state() == EventSource::CLOSED {
                set_timeout(move || reopen.update(|n| *n += 1), REOPEN);
            }
        }),
    );
    Ok(Connection {
        source,
        _handlers: handlers,
    })
}

/// The position in the page's head (see [`super::CURSOR_META`]).
fn rendered_at() -> Option<i64> {
    document()
        .query_selector(&format!("meta[name=\"{CURSOR_META}\"]"))
        .ok()
        .flatten()?
        .get_attribute("content")?
        .parse()
        .ok()
}

fn message_data(event: &Event) -> Option<String> {
    event.dyn_ref::<MessageEvent>()?.data().as_string()
}

/// Bumps `counters` soon, once each, together with whatever else arrives
/// meanwhile.
fn pass_on(pending: StoredValue<Pending>, counters: Vec<RwSignal<u64>>) {
    if counters.is_empty() {
        return;
    }
    let schedule = pending.try_update_value(|pending| {
        pending.counters.extend(counters);
        !std::mem::replace(&mut pending.scheduled, true)
    });
    if schedule == Some(true) {
        set_timeout(
            move || {
                let counters = pending
                    .try_update_value(|pending| {
                        pending.scheduled = false;
                        std::mem::take(&mut pending.counters)
                    })
                    .unwrap_or_default();
                let mut bumped: Vec<RwSignal<u64>> = Vec::new();
                for counter in counters {
                    if !bumped.contains(&counter) {
                        counter.try_update(|n| *n += 1);
                        bumped.push(counter);
                    }
                }
            },
            BATCH,
        );
    }
}
