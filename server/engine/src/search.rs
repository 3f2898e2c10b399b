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
    let namespaces: Vec<String> = if caller.is_cluster_admin() {
        Vec::new()
    } else {
        let projects = services.store.list_projects().await?;
        let visible = caller.visible_projects(projects, |project| &project.name);
        if visible.is_empty() {
            return Ok(results);
        }
        visible.into_iter().map(|project| project.name).collect()
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
