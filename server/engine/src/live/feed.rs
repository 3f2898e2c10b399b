//! The per-process follower of the change log: it reads new entries when a
//! local write commits, when another replica notifies (PostgreSQL), and on
//! a slow poll as a fallback, and broadcasts each one once.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::{broadcast, watch};

use super::sequencer::ChangeSequencer;
use crate::{
    model::live::LiveChange,
    store::{ChangeListener, Store},
};

/// The newest change-log id and the live feed's count of changes passed
/// on: a cache entry read at one position is current while it stays.
pub type CachePosition = (i64, u64);

/// How often the change log is read without a wake-up.
const POLL: Duration = Duration::from_secs(2);
/// How often it is read while a missing id is awaited.
const GAP_POLL: Duration = Duration::from_millis(200);
/// Entries read at once.
const READ_LIMIT: usize = 5000;
/// Changes buffered per open page before it is told to reload instead.
const BUFFER: usize = 4096;

/// Committed changes, fanned out to every open page of this process.
#[derive(Debug)]
pub struct LiveFeed {
    pub(super) sender: broadcast::Sender<Arc<LiveChange>>,
    /// False once the feed stopped (pages' streams end then, so a graceful
    /// shutdown is not held up by them).
    pub(super) running: watch::Sender<bool>,
    /// How often the change log is read without a wake-up.
    poll: Duration,
    /// How many changes this feed has passed on (bumped before each is sent).
    delivered: std::sync::atomic::AtomicU64,
    /// The same count per project (bumped with it).
    delivered_in: std::sync::Mutex<HashMap<String, u64>>,
    /// Every change up to here has been passed on (or given up on).
    position: std::sync::atomic::AtomicI64,
}

impl Default for LiveFeed {
    fn default() -> Self {
        LiveFeed::with_poll(POLL)
    }
}

impl LiveFeed {
    /// A feed that reads the change log every `poll` without a wake-up
    /// (tests set it long, to see that wake-ups alone deliver).
    pub fn with_poll(poll: Duration) -> LiveFeed {
        LiveFeed {
            sender: broadcast::channel(BUFFER).0,
            running: watch::channel(true).0,
            poll,
            delivered: Default::default(),
            delivered_in: Default::default(),
            position: Default::default(),
        }
    }

    /// Follows `store`'s change log until `shutdown` completes.
    pub async fn run(
        self: Arc<Self>,
        store: Store,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let start = loop {
            match store.latest_change_id().await {
                Ok(id) => break id,
                Err(error) => {
                    tracing::warn!(%error, "live updates cannot read the change log");
                    tokio::select! {
                        _ = &mut shutdown => return self.stop(),
                        () = tokio::time::sleep(self.poll) => {}
                    }
                }
            }
        };
        let mut sequencer = ChangeSequencer::starting_after(start);
        self.position
            .store(start, std::sync::atomic::Ordering::SeqCst);
        let mut listener: Option<ChangeListener> = None;
        loop {
            if listener.is_none() {
                listener = match store.change_listener().await {
                    Ok(listener) => listener,
                    Err(error) => {
                        tracing::warn!(%error, "cannot listen for other replicas' changes; polling");
                        None
                    }
                };
            }
            match store
                .changes_after(sequencer.read_after(), &[], READ_LIMIT)
                .await
            {
                Ok(read) => {
                    for change in sequencer.accept(read, Instant::now()) {
                        self.delivered
                            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        *self
                            .delivered_in
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .entry(change.namespace.clone())
                            .or_default() += 1;
                        // Nobody listening is fine.
                        self.sender.send(Arc::new(change)).ok();
                    }
                    self.position
                        .store(sequencer.read_after(), std::sync::atomic::Ordering::SeqCst);
                }
                Err(error) => tracing::warn!(%error, "live updates cannot read the change log"),
            }
            let wait = if sequencer.awaiting_gap() {
                GAP_POLL
            } else {
                self.poll
            };
            let notified = async {
                match listener.as_mut() {
                    Some(listener) => listener.next().await.is_ok(),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = &mut shutdown => break,
                () = store.changes_committed() => {}
                () = tokio::time::sleep(wait) => {}
                heard = notified => {
                    if !heard {
                        tracing::warn!("lost the connection that listens for changes; reconnecting");
                        listener = None;
                    }
                }
            }
        }
        self.stop();
    }

    fn stop(&self) {
        self.running.send_replace(false);
        tracing::info!("live updates stopped");
    }

    /// How many changes the feed has passed on so far. A change that
    /// commits late with a lower id than the newest (PostgreSQL) moves this
    /// even though the newest id stays, so caches key on both.
    pub fn delivered(&self) -> u64 {
        self.delivered.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Where the change log stands, for caches of what it changes: the
    /// newest id and this feed's count of changes passed on. The count is
    /// read first, so a change passed on after this read makes the next
    /// position differ.
    pub async fn cache_position(&self, store: &Store) -> crate::Result<CachePosition> {
        let delivered = self.delivered();
        Ok((store.latest_change_id().await?, delivered))
    }

    /// Where the change log stands for one project (as [`cache_position`],
    /// counting only its changes): caches of one project's objects stay
    /// good while other projects change.
    ///
    /// [`cache_position`]: LiveFeed::cache_position
    pub async fn cache_position_in(
        &self,
        store: &Store,
        namespace: &str,
    ) -> crate::Result<CachePosition> {
        let delivered = self
            .delivered_in
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(namespace)
            .copied()
            .unwrap_or(0);
        Ok((store.latest_change_id_in(namespace).await?, delivered))
    }

    /// Every change up to this change-log id has been passed on: it was
    /// committed before now. A page rendered now starts its stream here
    /// (0 before the feed first read the log: then the page is sent what
    /// the log holds, or told to read again).
    pub fn position(&self) -> i64 {
        self.position.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether the feed has stopped.
    pub fn stopped(&self) -> bool {
        !*self.running.borrow()
    }
}
