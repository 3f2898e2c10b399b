//! A card's details: description, sample repository, supported languages and
//! every version with its pull spec to copy, the tag to open and an import.

use engine::model::catalog::CatalogItem;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::components::CopyButton;

/// The import form, filled in to copy version `index` of `item` into `project`.
pub(super) fn import_href(project: &str, item: &CatalogItem, index: usize) -> Option<String> {
    let version = item.versions.get(index)?;
    let from = version.import_from.clone()?;
    let params: ParamsMap = [
        ("from", from),
        ("stream", item.stream.clone()),
        ("tag", version.tag.clone()),
    ]
    .into_iter()
    .collect();
    Some(format!("/ns/{project}/import{}", params.to_query_string()))
}

#[component]
pub fn CatalogDetails(item: CatalogItem, #[prop(into)] project: String) -> impl IntoView {
    let stream_href = format!("/ns/{}/imagestreams/{}", item.namespace, item.stream);
    let import = import_href(&project, &item, 0);
    let rows = item
        .versions
        .iter()
        .enumerate()
        .map(|(index, version)| {
            let tag_href = format!("{stream_href}/tags/{}", version.tag);
            let import = import_href(&project, &item, index);
            let spec = version.pull_spec.clone();
            let import_error = version.import_error.clone();
            let tag = version.tag.clone();
            let label = if version.display_name.is_empty() {
                version.version.clone()
            } else {
                version.display_name.clone()
            };
            view! {
                <tr>
                    <th scope="row"><a href=tag_href aria-label=format!("Open tag {tag}")>{tag.clone()}</a></th>
                    <td data-label="Version">{label}</td>
                    <td class="mono" data-label="Pull spec">
                        {match spec {
                            Some(spec) => view! {
                                <span class="catalog-pull-spec">{spec.clone()}</span>
                                <CopyButton text=spec label=format!("Copy pull spec of {tag}")/>
                            }.into_any(),
                            None => view! {
                                <span class="muted">"not imported yet"</span>
                                {import_error.map(|reason| view! { <span class="catalog-import-error">{reason}</span> })}
                            }.into_any(),
                        }}
                    </td>
                    <td>{import.map(|href| view! { <a class="btn btn-link" href=href>"Import"</a> })}</td>
                </tr>
            }
        })
        .collect_view();
    let provider = (!item.provider.is_empty()).then(|| format!("Provided by {}", item.provider));
    let sample = (!item.sample_repo.is_empty()).then(|| item.sample_repo.clone());
    let supports = item.supports.join(", ");
    let categories = item
        .categories
        .iter()
        .map(|category| category.label())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="catalog-details">
            <div class="catalog-details-head">
                <img class="catalog-icon" src=item.icon.clone() alt="" width="56" height="56"/>
                <div>
                    {provider.map(|p| view! { <p class="catalog-card-provider">{p}</p> })}
                    <p class="muted">{format!("{}/{}", item.namespace, item.stream)}</p>
                </div>
            </div>
            <p>{item.description.clone()}</p>
            <dl class="describe">
                {sample.map(|href| {
                    let text = href.clone();
                    view! {
                        <dt>"Sample repository"</dt>
                        <dd><a href=href target="_blank" rel="noopener noreferrer">{text}</a></dd>
                    }
                })}
                {(!supports.is_empty()).then(|| view! { <dt>"Supports"</dt><dd>{supports}</dd> })}
                <dt>"Categories"</dt>
                <dd>{categories}</dd>
            </dl>
            <h3 class="section-title">"Versions"</h3>
            <div class="table-wrapper">
                <table class="data-table">
                    <caption class="visually-hidden">"Versions, newest first"</caption>
                    <thead><tr><th scope="col">"Tag"</th><th scope="col">"Version"</th><th scope="col">"Pull spec"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="modal-footer">
                {import.map(|href| view! { <a class="btn btn-primary" href=href>{format!("Import into {project}")}</a> })}
                <a class="btn btn-secondary" href=stream_href>"View image stream"</a>
            </div>
        </div>
    }
}
