//! `/ns/:project/catalog`: the search box and sort order above, categories
//! beside, a page of cards, and a card's details in a dialog. Every filter
//! lives in the URL, so a view can be shared and the back button undoes it.

use crate::api::page_data;
use std::time::Duration;

use engine::model::catalog::{
    CatalogItem, CatalogPage as Selection, CatalogQuery, CatalogSort, Category,
};
use engine::model::live::LiveFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{NavigateOptions, hooks::use_navigate, hooks::use_query_map};

use super::{card::CatalogCard, catalog_href, details::CatalogDetails};
use crate::{
    components::{Dialog, EmptyState, ErrorPanel},
    errors::ConsoleError,
    live::{followed_projects, use_live},
    pages::image_streams::project_param,
};

/// How long typing must pause before the search runs.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// `/ns/:project/catalog[?q=&category=&sort=&page=]`
#[component]
pub fn CatalogPage() -> impl IntoView {
    let project = project_param();
    let url = use_query_map();
    let query = Memo::new(move |_| {
        let url = url.read();
        CatalogQuery::from_params(
            url.get_str("q"),
            url.get_str("category"),
            url.get_str("sort"),
            url.get_str("page"),
        )
    });
    let changed = use_live(move || {
        LiveFilter::projects(followed_projects(&project.get()))
            .resource(engine::resources::IMAGE_STREAMS)
    });
    let results = page_data::load(
        move || (project.get(), query.get(), changed.get()),
        |(project, query, _)| crate::api::catalog::load_catalog(project, query),
    );

    // The URL follows what the user asks for; replacing the entry keeps the
    // history to one step per visit while typing.
    let wanted = RwSignal::new(None::<CatalogQuery>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(next) = wanted.get()
            && next != query.get_untracked()
        {
            let options = NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            };
            navigate(&catalog_href(&project.get_untracked(), &next), options);
        }
    });

    // The search box: typed text goes to the URL after a pause; a URL that
    // changes otherwise (back, a category link) is shown in the box.
    let keyword = RwSignal::new(query.get_untracked().keyword);
    let pushed = StoredValue::new(query.get_untracked().keyword);
    let ticket = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let from_url = query.get().keyword;
        if from_url != pushed.get_value() {
            pushed.set_value(from_url.clone());
            keyword.set(from_url);
        }
    });
    let on_search = move |text: String| {
        keyword.set(text.clone());
        ticket.update_value(|t| *t += 1);
        let mine = ticket.get_value();
        set_timeout(
            move || {
                if ticket.get_value() == mine {
                    let text = text.trim().to_owned();
                    pushed.set_value(text.clone());
                    wanted.set(Some(CatalogQuery {
                        keyword: text,
                        page: 0,
                        ..query.get_untracked()
                    }));
                }
            },
            SEARCH_DELAY,
        );
    };
    let on_sort = move |slug: String| {
        let sort = CatalogSort::from_slug(&slug).unwrap_or_default();
        wanted.set(Some(CatalogQuery {
            sort,
            page: 0,
            ..query.get_untracked()
        }));
    };

    let selected = RwSignal::new(None::<CatalogItem>);
    let details_open = RwSignal::new(false);
    let on_open = Callback::new(move |item: CatalogItem| {
        selected.set(Some(item));
        details_open.set(true);
    });
    let details_title = Signal::derive(move || {
        selected
            .get()
            .map(|item| item.display_name)
            .unwrap_or_default()
    });

    let body = move || {
        Suspend::new(async move {
            let selection = results.await?;
            Ok::<_, ConsoleError>(view! {
                <CatalogResults selection project=project.get_untracked() query=query.get_untracked() on_open/>
            })
        })
    };
    view! {
        <Title text="Catalog"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Catalog"</h1>
                <p class="page-lead">
                    "Builder images from " <strong>{project}</strong>
                    " and the shared " <strong>"openshift"</strong> " project."
                </p>
            </header>
            <div class="toolbar" role="search">
                <input
                    type="search"
                    class="form-control toolbar-filter"
                    placeholder="Search by name, description or keyword"
                    aria-label="Search the catalog"
                    prop:value=move || keyword.get()
                    on:input=move |event| on_search(event_target_value(&event))
                />
                <label class="toolbar-label" for="catalog-sort">"Sort by"</label>
                <select
                    id="catalog-sort"
                    class="form-control toolbar-select"
                    prop:value=move || query.get().sort.slug()
                    on:change=move |event| on_sort(event_target_value(&event))
                >
                    {CatalogSort::ALL
                        .into_iter()
                        .map(|sort| view! { <option value=sort.slug()>{sort.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <Transition fallback=|| view! { <CatalogSkeleton/> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
        <Dialog open=details_open id="catalog-item" title=details_title>
            {move || selected.get().map(|item| view! { <CatalogDetails item project=project.get_untracked()/> })}
        </Dialog>
    }
}

/// Categories beside one page of cards, with the count and the pager.
#[component]
fn CatalogResults(
    selection: Selection,
    project: String,
    query: CatalogQuery,
    on_open: Callback<CatalogItem>,
) -> impl IntoView {
    let categories = {
        let all = CatalogQuery {
            category: None,
            page: 0,
            ..query.clone()
        };
        let all_link = view! {
            <li>
                <a href=catalog_href(&project, &all) aria-current=query.category.is_none().then_some("page")>
                    "All items" <span class="count">{selection.all}</span>
                </a>
            </li>
        };
        let links = selection
            .counts
            .iter()
            .map(|(category, count)| {
                let target = CatalogQuery {
                    category: Some(*category),
                    page: 0,
                    ..query.clone()
                };
                view! {
                    <li>
                        <a href=catalog_href(&project, &target) aria-current=(query.category == Some(*category)).then_some("page")>
                            {category.label()} <span class="count">{*count}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="catalog-categories">{all_link}{links}</ul> }
    };
    let heading = query.category.map_or("All items", Category::label);
    let count = match selection.total {
        1 => "1 item".to_owned(),
        n => format!("{n} items"),
    };
    let cards = if selection.items.is_empty() {
        empty_state(&project, &query, selection.all).into_any()
    } else {
        let project = project.clone();
        view! {
            <ul class="catalog-grid" aria-label="Builder images">
                {selection
                    .items
                    .into_iter()
                    .map(|item| view! { <CatalogCard item project=project.clone() on_open/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let pager = (selection.pages > 1).then(|| {
        let at = |page: usize| catalog_href(&project, &CatalogQuery { page, ..query.clone() });
        let previous = (selection.page > 0).then(|| at(selection.page - 1));
        let next = (selection.page + 1 < selection.pages).then(|| at(selection.page + 1));
        view! {
            <nav class="pager" aria-label="Pages">
                {match previous {
                    Some(href) => view! { <a class="btn btn-secondary" href=href rel="prev">"Previous"</a> }.into_any(),
                    None => view! { <span class="btn btn-secondary" aria-disabled="true">"Previous"</span> }.into_any(),
                }}
                <span>{format!("Page {} of {}", selection.page + 1, selection.pages)}</span>
                {match next {
                    Some(href) => view! { <a class="btn btn-secondary" href=href rel="next">"Next"</a> }.into_any(),
                    None => view! { <span class="btn btn-secondary" aria-disabled="true">"Next"</span> }.into_any(),
                }}
            </nav>
        }
    });
    view! {
        <div class="catalog">
            <nav class="catalog-sidebar" aria-label="Categories">{categories}</nav>
            <div class="catalog-results">
                <h2 class="catalog-heading">{heading} <span class="muted catalog-count" role="status">{count}</span></h2>
                {cards}
                {pager}
            </div>
        </div>
    }
}

/// No cards: either nothing in the catalog at all, or nothing matching.
fn empty_state(project: &str, query: &CatalogQuery, all: usize) -> impl IntoView + use<> {
    let filtered = !query.keyword.is_empty() || query.category.is_some();
    if filtered {
        let clear = catalog_href(
            project,
            &CatalogQuery {
                sort: query.sort,
                ..CatalogQuery::default()
            },
        );
        let why = if all == 0 {
            format!("Nothing matches \"{}\".", query.keyword)
        } else {
            "Nothing in this category matches.".to_owned()
        };
        view! {
            <EmptyState title="No items match">
                <p>{why}</p>
                <div class="empty-state-actions"><a class="btn btn-link" href=clear>"Clear all filters"</a></div>
            </EmptyState>
        }
        .into_any()
    } else {
        let import = format!("/ns/{project}/import");
        view! {
            <EmptyState title="No builder images yet">
                <p>
                    "An image stream appears here when one of its tags carries the annotation "
                    <code>"tags: builder"</code> ", here or in the shared openshift project."
                </p>
                <div class="empty-state-actions"><a class="btn btn-secondary" href=import>"Import image"</a></div>
            </EmptyState>
        }
        .into_any()
    }
}

/// Placeholder cards while the catalog loads.
#[component]
fn CatalogSkeleton() -> impl IntoView {
    view! {
        <ul class="catalog-grid" aria-busy="true" aria-label="Loading the catalog">
            {(0..6).map(|_| view! { <li class="catalog-card skeleton-card"><span class="skeleton"></span><span class="skeleton"></span></li> }).collect_view()}
        </ul>
    }
}
