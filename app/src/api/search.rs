//! Server function for the global search box.

use engine::model::search::SearchResults;
use leptos::prelude::*;

use crate::errors::ConsoleError;

/// What `query` finds in every project: streams, tags, images by digest
/// prefix, registries.
#[server(prefix = "/api/console", endpoint = "global_search")]
pub async fn global_search(query: String) -> Result<SearchResults, ConsoleError> {
    super::respond(engine::search::search(&super::services()?, &[], &query).await)
}
