//! The builder-image catalog: cards for the builder images of the project and
//! of the shared `openshift` project, with search, categories and sort kept
//! in the URL, and a card's details with its versions and pull specs.

mod card;
mod details;
mod page;

pub use page::CatalogPage;

use engine::model::catalog::CatalogQuery;
use leptos_router::params::ParamsMap;

/// The catalog URL that shows `query` in `project`.
fn catalog_href(project: &str, query: &CatalogQuery) -> String {
    let params: ParamsMap = query.to_params().into_iter().collect();
    format!("/ns/{project}/catalog{}", params.to_query_string())
}
