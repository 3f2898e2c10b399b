//! One card of the catalog: icon, name, provider, description and versions,
//! opening the details, with "View" and "Import" at hand.

use engine::model::{SHARED_PROJECT, catalog::CatalogItem};
use leptos::prelude::*;

/// How many versions a card lists before "+ n more".
const SHOWN_VERSIONS: usize = 4;

#[component]
pub fn CatalogCard(
    item: CatalogItem,
    /// The project the catalog is browsed from (imports land there).
    #[prop(into)]
    project: String,
    on_open: Callback<CatalogItem>,
) -> impl IntoView {
    let title_id = format!("card-{}-{}", item.namespace, item.stream);
    let labelled_by = title_id.clone();
    let view_href = format!("/ns/{}/imagestreams/{}", item.namespace, item.stream);
    let import_href = super::details::import_href(&project, &item, 0);
    let versions: Vec<&str> = item.versions.iter().map(|v| v.tag.as_str()).collect();
    let more = versions.len().saturating_sub(SHOWN_VERSIONS);
    let shown = versions[..versions.len().min(SHOWN_VERSIONS)].join(", ");
    let source = if item.namespace == SHARED_PROJECT {
        "Shared".to_owned()
    } else {
        item.namespace.clone()
    };
    let provider = (!item.provider.is_empty()).then(|| format!("Provided by {}", item.provider));
    let description = item.description.clone();
    let name = item.display_name.clone();
    let icon = item.icon.clone();
    // A card whose images could not be read yet (offline, or the registry
    // failed) says so and why, rather than looking broken.
    let pending = item.not_imported().then(|| {
        let reason = item
            .import_error()
            .map_or_else(|| "Waiting for the first import.".to_owned(), str::to_owned);
        let full_reason = reason.clone();
        view! {
            <p class="catalog-card-pending">
                <span class="badge badge-warning">"Not imported yet"</span>
                " "
                <span class="muted" title=full_reason>{reason}</span>
            </p>
        }
    });
    view! {
        <li>
            <article class="catalog-card" aria-labelledby=labelled_by>
                <div class="catalog-card-head">
                    <img class="catalog-icon" src=icon alt="" width="40" height="40"/>
                    <span class="badge" title="Project the image stream lives in">{source}</span>
                </div>
                <h2 class="catalog-card-title" id=title_id>
                    <button type="button" class="catalog-card-open" on:click=move |_| on_open.run(item.clone())>
                        {name}
                    </button>
                </h2>
                {provider.map(|p| view! { <p class="catalog-card-provider">{p}</p> })}
                <p class="catalog-card-description">{description}</p>
                {pending}
                <p class="catalog-card-versions">
                    <span class="muted">"Versions: "</span>
                    {shown}
                    {(more > 0).then(|| format!(" + {more} more"))}
                </p>
                <div class="catalog-card-actions">
                    <a class="btn btn-link" href=view_href>"View"</a>
                    {import_href.map(|href| view! { <a class="btn btn-link" href=href>"Import"</a> })}
                </div>
            </article>
        </li>
    }
}
