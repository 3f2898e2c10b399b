//! The catalog a project sees: the builder images of the project itself and
//! of the shared `openshift` project, searched and paged.
//!
//! Each project's catalog items are kept in memory with the project's
//! change-log position they were read at; a page reads them again only
//! after a change in that project (any replica's: the position comes from
//! the database; a change that commits late under a lower id is caught by
//! the live feed's count), so a busy catalog costs two small queries per
//! page instead of decoding every stream, and changes in other projects
//! leave it be. After a change only the streams it names are read again.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use crate::{
    Result, Services,
    imagestreams::require_project,
    model::{
        SHARED_PROJECT,
        catalog::{CatalogItem, CatalogPage, CatalogQuery},
    },
    resources::IMAGE_STREAMS,
};

/// Catalog items per project, with the change-log position they are current at.
#[derive(Debug, Default)]
pub struct CatalogCache {
    projects: Mutex<HashMap<String, Cached>>,
    /// How many times a project's streams were all read and decoded.
    reads: AtomicU64,
    /// How many streams were read again on their own after they changed.
    refreshes: AtomicU64,
}

/// One project's builder images, shared by the pages that show them.
type Items = Arc<Vec<CatalogItem>>;

type Position = crate::live::CachePosition;

/// Streams changed since the items were read, beyond which reading them
/// all again is cheaper than reading each one.
const REFRESH_LIMIT: usize = 100;

/// One project's items as read.
#[derive(Debug, Clone)]
struct Cached {
    /// The project's change-log position they are current at.
    position: Position,
    /// Every change up to this id had committed before they were read (the
    /// live feed's position then; 0 before it first read the log).
    complete_to: i64,
    items: Items,
}

impl CatalogCache {
    /// How many times a project's streams were all read and decoded.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    /// How many streams were read again on their own after they changed.
    pub fn refreshes(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    fn get(&self, namespace: &str) -> Option<Cached> {
        let projects = self.projects.lock().unwrap_or_else(|e| e.into_inner());
        projects.get(namespace).cloned()
    }

    fn put(&self, namespace: &str, cached: Cached) {
        let mut projects = self.projects.lock().unwrap_or_else(|e| e.into_inner());
        projects.insert(namespace.to_owned(), cached);
    }
}

/// The page of `namespace`'s catalog that `query` asks for.
pub async fn page(
    services: &Services,
    namespace: &str,
    query: &CatalogQuery,
) -> Result<CatalogPage> {
    require_project(services, namespace).await?;
    let own = items_of(services, namespace).await?;
    let shared = if namespace == SHARED_PROJECT {
        Items::default()
    } else {
        items_of(services, SHARED_PROJECT).await?
    };
    Ok(query.select(own.iter().chain(shared.iter())))
}

/// The builder images of one project: as kept while it has not changed;
/// after a change, the kept ones with the changed streams read again (all
/// of them read when too many changed, or when the live feed cannot say
/// which changes the kept ones miss).
async fn items_of(services: &Services, namespace: &str) -> Result<Items> {
    // Both read before the streams: a change committing meanwhile makes the
    // next page look again.
    let complete_to = services.live.position();
    let position = services
        .live
        .cache_position_in(&services.store, namespace)
        .await?;
    let cache = &services.catalog_cache;
    let items = match cache.get(namespace) {
        Some(cached) if cached.position == position => return Ok(cached.items),
        Some(cached) if cached.complete_to > 0 => {
            match refreshed(services, namespace, &cached).await? {
                Some(items) => items,
                None => read_all(services, namespace).await?,
            }
        }
        _ => read_all(services, namespace).await?,
    };
    cache.put(
        namespace,
        Cached {
            position,
            complete_to,
            items: items.clone(),
        },
    );
    Ok(items)
}

async fn read_all(services: &Services, namespace: &str) -> Result<Items> {
    services.catalog_cache.reads.fetch_add(1, Ordering::Relaxed);
    let streams = services.store.image_streams(namespace).await?;
    Ok(Arc::new(
        streams.iter().filter_map(CatalogItem::of).collect(),
    ))
}

/// `cached` with each stream changed since it was read taken again from
/// the store (dropped if it is gone or no longer a builder); `None` when
/// more than [`REFRESH_LIMIT`] changed.
async fn refreshed(services: &Services, namespace: &str, cached: &Cached) -> Result<Option<Items>> {
    let changes = services
        .store
        .changes_after(
            cached.complete_to,
            &[namespace.to_owned()],
            REFRESH_LIMIT + 1,
        )
        .await?;
    if changes.len() > REFRESH_LIMIT {
        return Ok(None);
    }
    let changed: BTreeSet<&str> = changes
        .iter()
        .filter(|change| change.resource == IMAGE_STREAMS)
        .map(|change| change.name.as_str())
        .collect();
    let mut items: Vec<CatalogItem> = cached
        .items
        .iter()
        .filter(|item| !changed.contains(item.stream.as_str()))
        .cloned()
        .collect();
    for name in &changed {
        if let Some(stream) = services.store.image_stream(namespace, name).await? {
            items.extend(CatalogItem::of(&stream));
        }
    }
    services
        .catalog_cache
        .refreshes
        .fetch_add(changed.len() as u64, Ordering::Relaxed);
    Ok(Some(Arc::new(items)))
}
