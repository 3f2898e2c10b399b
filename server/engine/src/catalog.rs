//! The catalog a project sees: the builder images of the project itself and
//! of the shared `openshift` project, searched and paged.

use crate::{
    Result, Services,
    imagestreams::require_project,
    model::{
        SHARED_PROJECT,
        catalog::{CatalogItem, CatalogPage, CatalogQuery},
    },
};

/// The page of `namespace`'s catalog that `query` asks for.
pub async fn page(
    services: &Services,
    namespace: &str,
    query: &CatalogQuery,
) -> Result<CatalogPage> {
    require_project(services, namespace).await?;
    let mut streams = services.store.image_streams(namespace).await?;
    if namespace != SHARED_PROJECT {
        streams.extend(services.store.image_streams(SHARED_PROJECT).await?);
    }
    let items = streams.iter().filter_map(CatalogItem::of).collect();
    Ok(query.select(items))
}
