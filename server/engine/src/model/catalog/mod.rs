//! The builder-image catalog: which image streams are builders and how each
//! becomes a card (DOMAIN.md "The catalog"), and how a catalog is searched,
//! filtered, sorted and paged.

mod category;
mod icons;
mod query;
mod versions;

pub use category::Category;
pub use icons::{GENERIC_ICON, icon_path};
pub use query::{CatalogPage, CatalogQuery, CatalogSort, PAGE_SIZE};
pub use versions::newest_first;

use serde::{Deserialize, Serialize};

use super::{ImageStream, SourceKind, TagReference, Time};

/// Stream and tag annotation: the name people read.
pub const DISPLAY_NAME: &str = "openshift.io/display-name";
/// Stream annotation: who provides the image.
pub const PROVIDER: &str = "openshift.io/provider-display-name";
/// Tag annotations the catalog reads.
pub const DESCRIPTION: &str = "description";
pub const ICON_CLASS: &str = "iconClass";
pub const SAMPLE_REPO: &str = "sampleRepo";
pub const TAGS: &str = "tags";
pub const SUPPORTS: &str = "supports";
pub const VERSION: &str = "version";

/// One card: a builder image stream, described by its newest builder tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub namespace: String,
    pub stream: String,
    pub display_name: String,
    pub provider: String,
    pub description: String,
    /// The icon's path under the site root.
    pub icon: String,
    pub sample_repo: String,
    pub categories: Vec<Category>,
    /// The `tags` annotation's words, `builder` left out.
    pub keywords: Vec<String>,
    pub supports: Vec<String>,
    /// Builder tags, newest version first; the first describes the card.
    pub versions: Vec<CatalogVersion>,
    /// When a tag of the stream last moved.
    pub updated: Option<Time>,
}

/// One builder tag of a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogVersion {
    pub tag: String,
    pub display_name: String,
    pub version: String,
    pub description: String,
    pub sample_repo: String,
    /// Where the tag's image is pulled from now, if it has one.
    pub pull_spec: Option<String>,
    /// What `oc import-image` would import to copy this version: the tag's
    /// registry source, else its current pull spec.
    pub import_from: Option<String>,
    /// Why the tag's last import failed, if it did (a tag without an image
    /// shows this rather than looking broken).
    #[serde(default)]
    pub import_error: Option<String>,
}

impl CatalogItem {
    /// Whether no version has an image yet.
    pub fn not_imported(&self) -> bool {
        self.versions
            .iter()
            .all(|version| version.pull_spec.is_none())
    }

    /// The first reason a version failed to import, if one did.
    pub fn import_error(&self) -> Option<&str> {
        self.versions
            .iter()
            .find_map(|version| version.import_error.as_deref())
    }
}

impl CatalogItem {
    /// The card for `stream`, if it has a builder tag that is not hidden.
    pub fn of(stream: &ImageStream) -> Option<CatalogItem> {
        let mut builders: Vec<&TagReference> = stream
            .spec
            .tags
            .iter()
            .filter(|tag| {
                let words = keywords_of(tag);
                words.iter().any(|word| word == "builder") && !words.iter().any(|w| w == "hidden")
            })
            .collect();
        builders.sort_by(|a, b| newest_first(&a.name, &b.name));
        let newest = *builders.first()?;
        let text =
            |tag: &TagReference, key: &str| tag.annotation(key).unwrap_or("").trim().to_owned();

        let keywords: Vec<String> = keywords_of(newest)
            .into_iter()
            .filter(|word| word != "builder")
            .collect();
        let display_name = stream
            .annotation(DISPLAY_NAME)
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| stream.metadata.name.clone());
        let versions = builders
            .iter()
            .map(|tag| {
                let pull_spec = stream
                    .latest(&tag.name)
                    .map(|event| event.docker_image_reference.clone())
                    .filter(|spec| !spec.is_empty());
                let source = tag
                    .from
                    .as_ref()
                    .filter(|from| from.kind == SourceKind::DOCKER_IMAGE)
                    .map(|from| from.name.clone());
                CatalogVersion {
                    tag: tag.name.clone(),
                    display_name: text(tag, DISPLAY_NAME),
                    version: text(tag, VERSION),
                    description: text(tag, DESCRIPTION),
                    sample_repo: text(tag, SAMPLE_REPO),
                    import_from: source.or_else(|| pull_spec.clone()),
                    pull_spec,
                    import_error: import_error(stream, &tag.name),
                }
            })
            .collect();
        Some(CatalogItem {
            namespace: stream.metadata.namespace.clone(),
            stream: stream.metadata.name.clone(),
            display_name,
            provider: stream.annotation(PROVIDER).unwrap_or("").trim().to_owned(),
            description: text(newest, DESCRIPTION),
            icon: icon_path(newest.annotation(ICON_CLASS).unwrap_or("")),
            sample_repo: text(newest, SAMPLE_REPO),
            categories: Category::of_keywords(&keywords),
            supports: split_list(newest.annotation(SUPPORTS).unwrap_or("")),
            keywords,
            versions,
            updated: stream.last_updated(),
        })
    }

    /// Whether every word of `keyword` appears in the card's names,
    /// description, provider, keywords or supported languages.
    pub fn matches(&self, keyword: &str) -> bool {
        let haystack = [
            self.display_name.as_str(),
            self.stream.as_str(),
            self.description.as_str(),
            self.provider.as_str(),
        ]
        .into_iter()
        .chain(self.keywords.iter().map(String::as_str))
        .chain(self.supports.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
        keyword
            .to_lowercase()
            .split_whitespace()
            .all(|word| haystack.contains(word))
    }
}

/// The message of the tag's failed `ImportSuccess` condition, if any.
fn import_error(stream: &ImageStream, tag: &str) -> Option<String> {
    stream.status_tag(tag)?.import_failure().map(|c| {
        if c.message.is_empty() {
            c.reason.clone()
        } else {
            c.message.clone()
        }
    })
}

/// The lower-case words of a tag's `tags` annotation.
fn keywords_of(tag: &TagReference) -> Vec<String> {
    split_list(&tag.annotation(TAGS).unwrap_or("").to_lowercase())
}

/// A comma list's non-empty entries, trimmed.
fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests;
