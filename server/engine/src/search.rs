//! The global search across projects: streams by name, tags, images by
//! digest prefix, and the registries tags come from.

use crate::{
    Result, Services,
    access::Caller,
    model::search::{SearchQuery, SearchResults},
};

/// Streams read closely per search at most (the database filters first).
const STREAMS_EXAMINED: usize = 2000;

/// What `text` finds in the projects the caller may read.
pub async fn search(services: &Services, caller: &Caller, text: &str) -> Result<SearchResults> {
    let mut results = SearchResults {
        query: text.trim().to_owned(),
        ..SearchResults::default()
    };
    let Some(query) = SearchQuery::parse(text) else {
        return Ok(results);
    };
    // The store reads every project when given none.
    let namespaces = match crate::projects::readable_names(&services.store, caller).await? {
        None => Vec::new(),
        Some(names) if names.is_empty() => return Ok(results),
        Some(names) => names,
    };
    let streams = services
        .store
        .image_streams_containing(&namespaces, &query.required_words(), STREAMS_EXAMINED)
        .await?;
    for stream in &streams {
        results.extend(query.hits_in(stream));
    }
    Ok(results)
}
