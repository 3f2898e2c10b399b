//! `/search?q=…`: what the masthead's search box found, by kind - image
//! streams, tags, images by digest prefix, registries and repositories.

use engine::model::search::{SearchHit, SearchKind, SearchResults};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    api::{page_data, search::global_search},
    components::{EmptyState, ErrorPanel},
    errors::ConsoleError,
};

#[component]
pub fn SearchPage() -> impl IntoView {
    let url = use_query_map();
    let text = Memo::new(move |_| url.read().get("q").unwrap_or_default());
    let results = page_data::load(move || text.get(), global_search);
    let body = move || {
        Suspend::new(async move {
            let results = results.await?;
            Ok::<_, ConsoleError>(view! { <Results results/> })
        })
    };
    view! {
        <Title text=move || match text.get().trim() {
            "" => "Search".to_owned(),
            query => format!("Search: {query}"),
        }/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Search"</h1>
            </header>
            <Form action="/search" method="get" attr:class="search-page-form" attr:role="search">
                <label for="search-page-query" class="visually-hidden">"Search all projects"</label>
                <input id="search-page-query" class="form-control" type="search" name="q" prop:value=move || text.get() placeholder="A stream, tag, digest or registry"/>
                <button type="submit" class="btn btn-secondary">"Search"</button>
            </Form>
            <Transition fallback=|| view! { <p class="muted">"Searching…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Results(results: SearchResults) -> impl IntoView {
    if results.query.is_empty() {
        return view! {
            <EmptyState title="Search every project">
                <p>
                    "Type in the search box above: a stream's name (" <code>"ruby"</code> "), a tag ("
                    <code>"ruby:3.3"</code> "), the start of a digest (" <code>"sha256:4f2a"</code>
                    " or " <code>"4f2a"</code> "), or a registry or repository ("
                    <code>"quay.io/team"</code> "). Press " <kbd>"/"</kbd> " anywhere to get there."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    if results.hits.is_empty() {
        return view! {
            <EmptyState title=format!("Nothing found for “{}”", results.query)>
                <p>"No stream, tag, digest or registry in any project matches. Check the spelling, or search for less."</p>
            </EmptyState>
        }
        .into_any();
    }
    let groups = SearchKind::ALL
        .into_iter()
        .filter(|kind| results.of(*kind).next().is_some())
        .map(|kind| {
            let hits: Vec<SearchHit> = results.of(kind).cloned().collect();
            let more = results.more_of(kind);
            let heading_id = format!("search-{kind:?}").to_lowercase();
            let labelled_by = heading_id.clone();
            let count = hits.len() + more;
            view! {
                <section class="search-group" aria-labelledby=labelled_by>
                    <h2 id=heading_id class="search-group-title">
                        {kind.heading()} " " <span class="badge">{count}</span>
                    </h2>
                    <ul class="search-hits">
                        {hits.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! {
                        <p class="muted">{format!("and {more} more - add to the search to narrow it")}</p>
                    })}
                </section>
            }
        })
        .collect_view();
    view! {
        <p class="muted" role="status">{summary(&results)}</p>
        {groups}
    }
    .into_any()
}

fn summary(results: &SearchResults) -> String {
    let total = results.hits.len() + results.more.iter().map(|(_, n)| n).sum::<usize>();
    let noun = if total == 1 { "result" } else { "results" };
    format!("{total} {noun} for “{}”", results.query)
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let stream_href = format!("/ns/{}/imagestreams/{}", hit.namespace, hit.stream);
    let (href, title) = match &hit.tag {
        Some(tag) if hit.imported => (
            format!("{stream_href}/tags/{tag}"),
            format!("{}/{}:{tag}", hit.namespace, hit.stream),
        ),
        Some(tag) => (
            stream_href,
            format!("{}/{}:{tag}", hit.namespace, hit.stream),
        ),
        None => (stream_href, format!("{}/{}", hit.namespace, hit.stream)),
    };
    let note = match hit.kind {
        SearchKind::Image if hit.current => Some("current image"),
        SearchKind::Image => Some("in the tag's history"),
        SearchKind::Tag | SearchKind::Repository if hit.tag.is_some() && !hit.imported => {
            Some("not imported yet")
        }
        _ => None,
    };
    view! {
        <li class="search-hit">
            <a href=href>{title}</a>
            {(!hit.detail.is_empty()).then(|| view! { <code class="search-detail">{hit.detail.clone()}</code> })}
            {note.map(|note| view! { <span class="muted">{note}</span> })}
        </li>
    }
}
