//! A data table: sortable columns (with `aria-sort`), an empty state, and a
//! loading skeleton for while rows are on their way.

use std::sync::Arc;

use leptos::prelude::*;

/// What a column sorts by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortKey {
    Text(String),
    Number(i64),
}

type Render<T> = Arc<dyn Fn(&T) -> AnyView + Send + Sync>;
type Key<T> = Arc<dyn Fn(&T) -> SortKey + Send + Sync>;

/// One column: a title, how a cell is drawn, and optionally how it sorts.
pub struct Column<T> {
    title: &'static str,
    render: Render<T>,
    sort_key: Option<Key<T>>,
}

impl<T> Clone for Column<T> {
    fn clone(&self) -> Self {
        Column {
            title: self.title,
            render: self.render.clone(),
            sort_key: self.sort_key.clone(),
        }
    }
}

impl<T> Column<T> {
    /// A column titled `title` whose cells `render` draws.
    pub fn new(
        title: &'static str,
        render: impl Fn(&T) -> AnyView + Send + Sync + 'static,
    ) -> Self {
        Column {
            title,
            render: Arc::new(render),
            sort_key: None,
        }
    }

    /// Makes the column sortable by `key`.
    pub fn sort_by(mut self, key: impl Fn(&T) -> SortKey + Send + Sync + 'static) -> Self {
        self.sort_key = Some(Arc::new(key));
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sort {
    column: usize,
    ascending: bool,
}

/// A table of `rows`. Clicking a sortable header sorts by it; clicking again
/// reverses. With no rows, `empty` is shown instead of the table. Rows may
/// change (a filter, a refresh) without losing the sort.
#[component]
pub fn DataTable<T>(
    /// Says what the table lists, for assistive technology.
    #[prop(into)]
    caption: String,
    columns: Vec<Column<T>>,
    #[prop(into)] rows: Signal<Vec<T>>,
    /// A stable key per row.
    row_key: fn(&T) -> String,
    /// Shown when there are no rows.
    empty: ViewFn,
    /// The column sorted by at first (ascending), if any.
    #[prop(optional)]
    sort_column: Option<usize>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let sort = RwSignal::new(sort_column.map(|column| Sort {
        column,
        ascending: true,
    }));
    let columns = Arc::new(columns);
    let sorted_rows = {
        let columns = columns.clone();
        move || {
            let mut rows = rows.get();
            if let Some(Sort { column, ascending }) = sort.get()
                && let Some(key) = columns.get(column).and_then(|c| c.sort_key.clone())
            {
                rows.sort_by(|a, b| {
                    let order = key(a).cmp(&key(b));
                    if ascending { order } else { order.reverse() }
                });
            }
            rows
        }
    };
    let header_columns = columns.clone();
    let headers = move || {
        header_columns
            .iter()
            .enumerate()
            .map(|(index, column)| {
                let title = column.title;
                let aria_sort = move || match sort.get() {
                    Some(s) if s.column == index && s.ascending => "ascending",
                    Some(s) if s.column == index => "descending",
                    _ => "none",
                };
                if column.sort_key.is_some() {
                    let toggle = move |_| {
                        sort.update(|sort| {
                            *sort = Some(match *sort {
                                Some(s) if s.column == index => Sort {
                                    column: index,
                                    ascending: !s.ascending,
                                },
                                _ => Sort {
                                    column: index,
                                    ascending: true,
                                },
                            })
                        })
                    };
                    view! {
                        <th scope="col" aria-sort=aria_sort>
                            <button type="button" class="sort-button" on:click=toggle>
                                {title}
                                <span class="sort-indicator" aria-hidden="true">
                                    {move || match aria_sort() {
                                        "ascending" => "▲",
                                        "descending" => "▼",
                                        _ => "↕",
                                    }}
                                </span>
                            </button>
                        </th>
                    }
                    .into_any()
                } else {
                    view! { <th scope="col">{title}</th> }.into_any()
                }
            })
            .collect_view()
    };
    let body = move || {
        sorted_rows()
            .into_iter()
            .map(|row| {
                let cells = columns
                    .iter()
                    .map(|column| {
                        view! { <td data-label=column.title>{(column.render)(&row)}</td> }
                    })
                    .collect_view();
                view! { <tr data-key=row_key(&row)>{cells}</tr> }
            })
            .collect_view()
    };
    let is_empty = Memo::new(move |_| rows.with(Vec::is_empty));
    view! {
        <Show when=move || !is_empty.get() fallback=move || empty.run()>
            <div class="table-wrapper">
                <table class="data-table">
                    <caption class="visually-hidden">{caption.clone()}</caption>
                    <thead><tr>{headers.clone()}</tr></thead>
                    <tbody>{body.clone()}</tbody>
                </table>
            </div>
        </Show>
    }
}

/// Grey placeholder rows shown while a table loads.
#[component]
pub fn TableSkeleton(
    /// Column titles, so the layout does not jump when the data arrives.
    titles: &'static [&'static str],
    #[prop(default = 3)] rows: usize,
) -> impl IntoView {
    let cells = move || {
        titles
            .iter()
            .map(|_| view! { <td><span class="skeleton"></span></td> })
            .collect_view()
    };
    view! {
        <div class="table-wrapper" aria-busy="true" aria-label="Loading">
            <table class="data-table">
                <thead>
                    <tr>{titles.iter().map(|t| view! { <th scope="col">{*t}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{(0..rows).map(|_| view! { <tr>{cells()}</tr> }).collect_view()}</tbody>
            </table>
        </div>
    }
}
