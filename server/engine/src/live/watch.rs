//! API watches (`?watch=true`): the change log's objects of one resource
//! after a resource version, then each new one as it commits, woken by the
//! live feed; a resource version older than the log keeps is gone.

use std::{collections::VecDeque, sync::Arc, time::Duration};

use futures::{Stream, StreamExt};

use super::{LiveFeed, LiveMessage};
use crate::{Error, Result, store::Store};

/// Entries read at once.
const READ_LIMIT: usize = 500;
/// How often a quiet watch reports its progress (and reads the log, as a
/// safety net).
const POLL: Duration = Duration::from_secs(5);

/// What a watch reports.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// `ADDED`, `MODIFIED` or `DELETED`, with the object at that version.
    Change {
        event: String,
        object: serde_json::Value,
    },
    /// Nothing matched, but everything up to this version was seen.
    Progress { resource_version: i64 },
}

/// Why a watch cannot start.
#[derive(Debug)]
pub enum WatchRefused {
    /// The version is older than the oldest change still kept (410 Gone).
    Gone {
        oldest: i64,
    },
    Failed(Error),
}

impl From<Error> for WatchRefused {
    fn from(error: Error) -> Self {
        WatchRefused::Failed(error)
    }
}

/// Which changes a watch follows.
#[derive(Debug, Clone)]
pub struct WatchScope {
    /// The change log's resource name (`imagestreams.image.openshift.io`).
    pub resource: String,
    /// One project, or all when `None`.
    pub namespace: Option<String>,
}

struct Watching {
    feed: Arc<LiveFeed>,
    store: Store,
    /// The last version reported as progress.
    reported: i64,
    scope: WatchScope,
    cursor: i64,
    pending: VecDeque<WatchEvent>,
    wake: std::pin::Pin<Box<dyn Stream<Item = LiveMessage> + Send>>,
}

/// Follows `scope` from just after `since`. Ends when the live feed stops
/// (the server shuts down).
pub async fn watch(
    feed: Arc<LiveFeed>,
    store: &Store,
    scope: WatchScope,
    since: i64,
) -> Result<impl Stream<Item = Result<WatchEvent>> + Send + 'static, WatchRefused> {
    // Listening before reading, so nothing committed in between is missed.
    let wake = feed.follow(store, Vec::new(), None).await?;
    if let Some(oldest) = store.oldest_change_id().await?
        && since < oldest - 1
    {
        return Err(WatchRefused::Gone { oldest });
    }
    let state = Watching {
        feed,
        reported: since,
        store: store.clone(),
        scope,
        cursor: since,
        pending: VecDeque::new(),
        wake: Box::pin(wake),
    };
    Ok(futures::stream::unfold(state, next_event))
}

async fn next_event(mut state: Watching) -> Option<(Result<WatchEvent>, Watching)> {
    loop {
        if let Some(event) = state.pending.pop_front() {
            return Some((Ok(event), state));
        }
        match read(&mut state).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(error) => return Some((Err(error), state)),
        }
        tokio::select! {
            message = state.wake.next() => {
                // The feed stopped: the server is shutting down.
                message.as_ref()?;
            }
            () = tokio::time::sleep(POLL) => {
                if state.cursor > state.reported {
                    state.reported = state.cursor;
                    let progress = WatchEvent::Progress { resource_version: state.cursor };
                    return Some((Ok(progress), state));
                }
            }
        }
    }
}

/// Reads what was logged after the cursor; true if something was queued.
/// Only entries the live feed has passed are read: on PostgreSQL a later id
/// may commit before an earlier one, and the feed waits for such gaps.
async fn read(state: &mut Watching) -> Result<bool> {
    let ceiling = state.feed.position();
    let entries = state
        .store
        .change_documents_after(
            state.cursor,
            ceiling,
            &state.scope.resource,
            state.scope.namespace.as_deref(),
            READ_LIMIT,
        )
        .await?;
    for entry in &entries {
        state.cursor = entry.id;
        let mut object: serde_json::Value =
            serde_json::from_str(&entry.document).map_err(|error| {
                Error::Internal(format!("a logged object does not decode: {error}"))
            })?;
        if let Some(metadata) = object.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            metadata.insert(
                "resourceVersion".into(),
                serde_json::Value::String(entry.id.to_string()),
            );
        }
        state.pending.push_back(WatchEvent::Change {
            event: entry.event.clone(),
            object,
        });
    }
    if entries.len() < READ_LIMIT {
        state.cursor = state.cursor.max(ceiling);
    }
    Ok(!entries.is_empty())
}
