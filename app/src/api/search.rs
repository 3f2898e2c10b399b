//! Server function for the global search box.

use engine::model::search::SearchResults;
use leptos::prelude::*;

use crate::errors::ConsoleError;

/// What `query` finds in every project: streams, tags, images by digest
/// prefix, registries.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "global_search")]
pub async fn global_search(query: String) -> Result<SearchResults, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::search::search(&services, &caller, &query).await)
}
