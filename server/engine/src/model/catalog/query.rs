//! Searching a catalog: a keyword, a category and a sort order, as a shared
//! URL carries them, and the page of cards they select.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::{CatalogItem, Category};

/// Cards on one page.
pub const PAGE_SIZE: usize = 48;

/// The order of the cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CatalogSort {
    /// By display name, A to Z.
    #[default]
    Name,
    /// By display name, Z to A.
    NameDescending,
    /// The stream whose tags moved last first.
    RecentlyUpdated,
}

impl CatalogSort {
    pub const ALL: [CatalogSort; 3] = [
        CatalogSort::Name,
        CatalogSort::NameDescending,
        CatalogSort::RecentlyUpdated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CatalogSort::Name => "Name (A–Z)",
            CatalogSort::NameDescending => "Name (Z–A)",
            CatalogSort::RecentlyUpdated => "Recently updated",
        }
    }

    /// The name in a URL (`?sort=updated`).
    pub fn slug(self) -> &'static str {
        match self {
            CatalogSort::Name => "name",
            CatalogSort::NameDescending => "name-desc",
            CatalogSort::RecentlyUpdated => "updated",
        }
    }

    pub fn from_slug(slug: &str) -> Option<CatalogSort> {
        CatalogSort::ALL
            .into_iter()
            .find(|sort| sort.slug() == slug)
    }
}

/// What the user asked the catalog for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogQuery {
    pub keyword: String,
    pub category: Option<Category>,
    pub sort: CatalogSort,
    /// Zero-based.
    pub page: usize,
}

/// One page of cards, and the counts the filters show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogPage {
    pub items: Vec<CatalogItem>,
    /// Cards matching the keyword and the category.
    pub total: usize,
    /// Cards matching the keyword, whatever their category.
    pub all: usize,
    /// Cards matching the keyword, per category.
    pub counts: Vec<(Category, usize)>,
    /// The page shown (zero-based, within range).
    pub page: usize,
    pub pages: usize,
}

impl CatalogQuery {
    /// The query a URL's parameters describe; unknown values fall back to
    /// the defaults rather than failing, as a hand-edited link should.
    pub fn from_params(
        keyword: Option<&str>,
        category: Option<&str>,
        sort: Option<&str>,
        page: Option<&str>,
    ) -> CatalogQuery {
        CatalogQuery {
            keyword: keyword.unwrap_or("").trim().to_owned(),
            category: category.and_then(Category::from_slug),
            sort: sort.and_then(CatalogSort::from_slug).unwrap_or_default(),
            page: page
                .and_then(|page| page.parse::<usize>().ok())
                .and_then(|page| page.checked_sub(1))
                .unwrap_or(0),
        }
    }

    /// The URL parameters that describe this query, defaults left out, so
    /// that `from_params` reads back the same query.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if !self.keyword.is_empty() {
            params.push(("q", self.keyword.clone()));
        }
        if let Some(category) = self.category {
            params.push(("category", category.slug().to_owned()));
        }
        if self.sort != CatalogSort::default() {
            params.push(("sort", self.sort.slug().to_owned()));
        }
        if self.page > 0 {
            params.push(("page", (self.page + 1).to_string()));
        }
        params
    }

    /// Searches `items` and returns the page asked for.
    /// Only the page's items are copied; the rest are looked at in place.
    pub fn select<'a>(&self, items: impl IntoIterator<Item = &'a CatalogItem>) -> CatalogPage {
        let mut items: Vec<&CatalogItem> = items
            .into_iter()
            .filter(|item| item.matches(&self.keyword))
            .collect();
        let counts = Category::ALL
            .into_iter()
            .map(|category| {
                let count = items
                    .iter()
                    .filter(|item| item.categories.contains(&category))
                    .count();
                (category, count)
            })
            .collect();
        let all = items.len();
        if let Some(category) = self.category {
            items.retain(|item| item.categories.contains(&category));
        }
        sort(&mut items, self.sort);
        let total = items.len();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        let page = self.page.min(pages - 1);
        let items = items
            .into_iter()
            .skip(page * PAGE_SIZE)
            .take(PAGE_SIZE)
            .cloned()
            .collect();
        CatalogPage {
            items,
            total,
            all,
            counts,
            page,
            pages,
        }
    }
}

fn sort(items: &mut [&CatalogItem], order: CatalogSort) {
    let by_name = |item: &CatalogItem| {
        (
            item.display_name.to_lowercase(),
            item.namespace.clone(),
            item.stream.clone(),
        )
    };
    match order {
        CatalogSort::Name => items.sort_by_cached_key(|item| by_name(item)),
        CatalogSort::NameDescending => items.sort_by_cached_key(|item| Reverse(by_name(item))),
        CatalogSort::RecentlyUpdated => {
            items.sort_by_cached_key(|item| (Reverse(item.updated), by_name(item)))
        }
    }
}
