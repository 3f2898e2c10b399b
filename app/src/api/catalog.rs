//! Server function for the builder-image catalog.

use engine::model::catalog::{CatalogPage, CatalogQuery};
use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
use engine::model::access::{Resource, Verb};

use crate::errors::ConsoleError;

/// The page of the project's catalog (its own builders and `openshift`'s)
/// that `query` selects.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_catalog", input = Json)]
pub async fn load_catalog(
    namespace: String,
    query: CatalogQuery,
) -> Result<CatalogPage, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::ImageStreams, &namespace).await?;
    super::respond(engine::catalog::page(&services, &namespace, &query).await)
}
