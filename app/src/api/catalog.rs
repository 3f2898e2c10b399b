//! Server function for the builder-image catalog.

use engine::model::catalog::{CatalogPage, CatalogQuery};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// The page of the project's catalog (its own builders and `openshift`'s)
/// that `query` selects.
#[server(prefix = "/api/console", endpoint = "load_catalog", input = Json)]
pub async fn load_catalog(
    namespace: String,
    query: CatalogQuery,
) -> Result<CatalogPage, ConsoleError> {
    super::respond(engine::catalog::page(&super::services()?, &namespace, &query).await)
}
