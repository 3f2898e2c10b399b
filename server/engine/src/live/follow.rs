//! One open page's view of the feed: first what it missed since its cursor
//! (from the change log), then every new change in its projects.

use std::{
    collections::{HashSet, VecDeque},
    sync::Arc,
};

use futures::Stream;
use tokio::sync::{broadcast, watch};

use super::feed::LiveFeed;
use crate::{
    Result,
    model::live::{LiveChange, LiveFilter},
    store::Store,
};

/// Changes replayed to a reconnecting page at most; beyond that it is told
/// to read everything again.
pub const REPLAY_LIMIT: usize = 500;

/// What a page is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveMessage {
    /// The stream is open; `cursor` is the newest change at that moment.
    Ready { cursor: i64 },
    /// One change in the page's projects.
    Change(Arc<LiveChange>),
    /// Changes may have been missed: read everything again. `cursor`, when
    /// known, is where a reconnection resumes after that.
    Reset { cursor: Option<i64> },
}

struct Following {
    pending: VecDeque<LiveMessage>,
    receiver: broadcast::Receiver<Arc<LiveChange>>,
    running: watch::Receiver<bool>,
    filter: LiveFilter,
    replayed: HashSet<i64>,
}

impl LiveFeed {
    /// The messages for a page showing `namespaces` (all when empty) that
    /// has seen every change up to `since` (none: it starts now). Ends when
    /// the feed stops.
    pub async fn follow(
        &self,
        store: &Store,
        namespaces: Vec<String>,
        since: Option<i64>,
    ) -> Result<impl Stream<Item = LiveMessage> + Send + 'static> {
        // Subscribed before reading, so a change committed meanwhile is in
        // the replay, the broadcast, or both (then sent once).
        let receiver = self.sender.subscribe();
        let running = self.running.subscribe();
        let head = store.latest_change_id().await?;
        let mut pending = VecDeque::from([LiveMessage::Ready { cursor: head }]);
        let mut replayed = HashSet::new();
        // What the page missed may have been pruned from the log already.
        let pruned = store
            .oldest_change_id()
            .await?
            .is_some_and(|oldest| since.is_some_and(|since| since < oldest - 1));
        if pruned {
            pending.push_back(LiveMessage::Reset { cursor: Some(head) });
        } else if let Some(since) = since.filter(|since| *since < head) {
            let missed = store
                .changes_after(since, &namespaces, REPLAY_LIMIT + 1)
                .await?;
            if missed.len() > REPLAY_LIMIT {
                pending.push_back(LiveMessage::Reset { cursor: Some(head) });
            } else {
                for change in missed {
                    replayed.insert(change.id);
                    pending.push_back(LiveMessage::Change(Arc::new(change)));
                }
            }
        }
        let state = Following {
            pending,
            receiver,
            running,
            filter: LiveFilter::projects(namespaces),
            replayed,
        };
        Ok(futures::stream::unfold(state, next_message))
    }
}

async fn next_message(mut state: Following) -> Option<(LiveMessage, Following)> {
    if let Some(message) = state.pending.pop_front() {
        return Some((message, state));
    }
    loop {
        let received = tokio::select! {
            received = state.receiver.recv() => received,
            _ = state.running.wait_for(|running| !running) => return None,
        };
        match received {
            Ok(change) => {
                if state.filter.matches(&change) && !state.replayed.remove(&change.id) {
                    return Some((LiveMessage::Change(change), state));
                }
            }
            Err(broadcast::error::RecvError::Lagged(_)) => {
                state.replayed.clear();
                return Some((LiveMessage::Reset { cursor: None }, state));
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        }
    }
}
