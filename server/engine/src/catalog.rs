//! The catalog a project sees: the builder images of the project itself and
//! of the shared `openshift` project, searched and paged.
//!
//! Each project's catalog items are kept in memory with the project's
//! change-log position they were read at; a page reads them again only
//! after a change in that project (any replica's: the position comes from
//! the database; a change that commits late under a lower id is caught by
//! the live feed's count), so a busy catalog costs two small queries per
//! page instead of decoding every stream, and changes in other projects
//! leave it be.

use std::{
    collections::HashMap,
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
};

/// Catalog items per project, with the change-log position they are current at.
#[derive(Debug, Default)]
pub struct CatalogCache {
    projects: Mutex<HashMap<String, (Position, Items)>>,
    /// How many times a project's streams were read and decoded.
    reads: AtomicU64,
}

/// One project's builder images, shared by the pages that show them.
type Items = Arc<Vec<CatalogItem>>;

type Position = crate::live::CachePosition;

impl CatalogCache {
    /// How many times a project's streams were read and decoded (the pages
    /// the cache could not answer).
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }

    fn get(&self, namespace: &str, position: Position) -> Option<Items> {
        let projects = self.projects.lock().unwrap_or_else(|e| e.into_inner());
        projects
            .get(namespace)
            .filter(|(at, _)| *at == position)
            .map(|(_, items)| items.clone())
    }

    fn put(&self, namespace: &str, position: Position, items: Items) {
        let mut projects = self.projects.lock().unwrap_or_else(|e| e.into_inner());
        projects.insert(namespace.to_owned(), (position, items));
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

/// The builder images of one project, read again only after it changed.
async fn items_of(services: &Services, namespace: &str) -> Result<Items> {
    let position = services
        .live
        .cache_position_in(&services.store, namespace)
        .await?;
    if let Some(items) = services.catalog_cache.get(namespace, position) {
        return Ok(items);
    }
    services.catalog_cache.reads.fetch_add(1, Ordering::Relaxed);
    let streams = services.store.image_streams(namespace).await?;
    let items: Items = Arc::new(streams.iter().filter_map(CatalogItem::of).collect());
    services
        .catalog_cache
        .put(namespace, position, items.clone());
    Ok(items)
}
