//! Pages of image stream lists (`limit` without selectors, as `kubectl get
//! is --chunk-size` asks) kept while nothing changes, so that a page is read,
//! decoded and encoded once per change instead of on every request. A page
//! is valid at one change-log position - the newest id and the live feed's
//! count of changes passed on, as the catalog's cache keys it - so a change
//! committed by any replica, even one that commits late with a lower id,
//! makes the next request read again. Requests that find the same page
//! missing wait for one read of it rather than each making their own.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::body::Bytes;
use engine::{Services, imagestreams as is, live::CachePosition as Position, model::ImageStream};
use tokio::sync::OnceCell;

use super::list_options::{ListOptions, continue_token};

/// The most streams all cached pages hold together (roughly); past it the
/// cache starts afresh.
const MAX_CACHED_STREAMS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    namespace: String,
    after: String,
    limit: usize,
}

/// One page of a project's streams as of a change-log position.
#[derive(Debug)]
pub struct StreamPage {
    /// The list's `metadata.resourceVersion`.
    pub version: String,
    pub items: Vec<ImageStream>,
    /// The `continue` token of the next page, if there is one.
    pub next: Option<String>,
    /// The page as an `ImageStreamList` body, encoded on first use.
    json: OnceLock<Bytes>,
}

impl StreamPage {
    /// The page's `ImageStreamList` body, encoded once.
    pub fn json(&self, encode: impl FnOnce(&StreamPage) -> Bytes) -> Bytes {
        self.json.get_or_init(|| encode(self)).clone()
    }
}

/// The cached pages of every project.
#[derive(Debug, Default)]
pub struct PageCache {
    slots: Mutex<HashMap<PageKey, Arc<Slot>>>,
    /// Roughly how many streams the cached pages hold (replaced pages are
    /// not taken off; the count starts afresh with the cache).
    streams: AtomicUsize,
}

/// A page at one position, read by the first request that needs it while
/// the others wait for that read instead of making their own.
#[derive(Debug)]
struct Slot {
    position: Position,
    page: OnceCell<Arc<StreamPage>>,
}

impl PageCache {
    /// The slot of `key` at `position`, made (empty) if there is none.
    fn slot(&self, key: &PageKey, position: Position) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get(key).filter(|slot| slot.position == position) {
            return slot.clone();
        }
        if self.streams.load(Ordering::Relaxed) > MAX_CACHED_STREAMS {
            slots.clear();
            self.streams.store(0, Ordering::Relaxed);
        }
        let slot = Arc::new(Slot {
            position,
            page: OnceCell::new(),
        });
        slots.insert(key.clone(), slot.clone());
        slot
    }

    /// The page of `namespace`'s streams after `after`, at most `limit`
    /// long: from the cache if nothing changed since it was read, else from
    /// the store. `NotFound` for a project that does not exist.
    pub async fn page(
        &self,
        services: &Services,
        namespace: &str,
        options: &ListOptions,
        limit: usize,
    ) -> engine::Result<Arc<StreamPage>> {
        let after = options.after.clone().unwrap_or_default();
        // Read before the page, so a change committed meanwhile makes the
        // next request read again.
        let position = services.live.cache_position(&services.store).await?;
        let (newest, _) = position;
        let fed = services.live.position();
        let key = PageKey {
            namespace: namespace.to_owned(),
            after,
            limit,
        };
        let slot = self.slot(&key, position);
        let page = slot
            .page
            .get_or_try_init(|| async {
                let streams =
                    is::list_after(services, namespace, &key.after, limit.saturating_add(1))
                        .await?;
                let (items, more) = options.cut_page(streams);
                self.streams.fetch_add(items.len(), Ordering::Relaxed);
                let next = items
                    .last()
                    .filter(|_| more)
                    .map(|stream| continue_token(&stream.metadata.name));
                Ok::<_, engine::Error>(Arc::new(StreamPage {
                    // What the live feed has passed on, or the log's head
                    // before the feed first read it: a watch from here
                    // misses nothing.
                    version: if fed == 0 { newest } else { fed }.to_string(),
                    items,
                    next,
                    json: OnceLock::new(),
                }))
            })
            .await?;
        Ok(page.clone())
    }
}
