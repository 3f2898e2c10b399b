//! The global search: what a query finds in one image stream - the stream by
//! name, its tags (`name:tag`), the images its tags point or pointed at (by
//! digest prefix), and the registries and repositories its tags come from.

use serde::{Deserialize, Serialize};

use super::ImageStream;

/// Hits of each kind returned at most.
pub const HITS_PER_KIND: usize = 25;
/// The shortest digest prefix searched for (shorter hex matches too much).
pub const MIN_DIGEST_PREFIX: usize = 4;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SearchKind {
    Stream,
    Tag,
    Image,
    Repository,
}

impl SearchKind {
    pub const ALL: [SearchKind; 4] = [
        SearchKind::Stream,
        SearchKind::Tag,
        SearchKind::Image,
        SearchKind::Repository,
    ];

    /// The heading of this kind's hits.
    pub fn heading(self) -> &'static str {
        match self {
            SearchKind::Stream => "Image streams",
            SearchKind::Tag => "Tags",
            SearchKind::Image => "Images by digest",
            SearchKind::Repository => "Registries and repositories",
        }
    }
}

/// One thing found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: SearchKind,
    pub namespace: String,
    pub stream: String,
    /// The tag, for every kind but streams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// What matched, as shown: the digest, the pull spec or repository.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// For images: whether the tag points at it now (else it is in the history).
    #[serde(default)]
    pub current: bool,
    /// Whether the tag has an image (so it has a tag page).
    #[serde(default)]
    pub imported: bool,
}

/// The hits of one search, by kind, each list capped at [`HITS_PER_KIND`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Hits left out per kind, beyond the cap.
    pub more: Vec<(SearchKind, usize)>,
}

impl SearchResults {
    /// The hits of one kind.
    pub fn of(&self, kind: SearchKind) -> impl Iterator<Item = &SearchHit> {
        self.hits.iter().filter(move |hit| hit.kind == kind)
    }

    /// How many hits of `kind` were left out.
    pub fn more_of(&self, kind: SearchKind) -> usize {
        self.more
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// Adds `hits`, keeping at most [`HITS_PER_KIND`] of each kind.
    pub fn extend(&mut self, hits: impl IntoIterator<Item = SearchHit>) {
        for hit in hits {
            if self.of(hit.kind).count() < HITS_PER_KIND {
                self.hits.push(hit);
            } else {
                match self.more.iter_mut().find(|(kind, _)| *kind == hit.kind) {
                    Some((_, n)) => *n += 1,
                    None => self.more.push((hit.kind, 1)),
                }
            }
        }
    }
}

/// A query, normalised once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Lower case, trimmed.
    pub text: String,
    /// The hex digits to look for at the start of digests, when the query
    /// is one (`sha256:ab12…` or `ab12…`).
    pub digest_prefix: Option<String>,
}

impl SearchQuery {
    /// None for an empty query.
    pub fn parse(text: &str) -> Option<SearchQuery> {
        let text = text.trim().to_lowercase();
        if text.is_empty() {
            return None;
        }
        let hex = text.strip_prefix("sha256:").unwrap_or(&text);
        let digest_prefix = (hex.len() >= MIN_DIGEST_PREFIX
            && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| hex.to_owned());
        Some(SearchQuery {
            text,
            digest_prefix,
        })
    }

    /// Words every stream that can match contains somewhere in its stored
    /// form (for a quick first filter in the database).
    pub fn required_words(&self) -> Vec<String> {
        match &self.digest_prefix {
            Some(hex) => vec![hex.clone()],
            None => self
                .text
                .split(['/', ':', '@'])
                .filter(|word| !word.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Everything this query finds in `stream`.
    pub fn hits_in(&self, stream: &ImageStream) -> Vec<SearchHit> {
        let (namespace, name) = (&stream.metadata.namespace, &stream.metadata.name);
        let imported = |tag: &str| {
            stream
                .status
                .tags
                .iter()
                .any(|status| status.tag == tag && !status.items.is_empty())
        };
        let hit = |kind, tag: Option<&str>, detail: String, current| SearchHit {
            kind,
            namespace: namespace.clone(),
            stream: name.clone(),
            tag: tag.map(str::to_owned),
            detail,
            current,
            imported: tag.is_some_and(imported),
        };
        let mut hits = Vec::new();
        if format!("{namespace}/{name}").contains(&self.text) {
            hits.push(hit(SearchKind::Stream, None, String::new(), false));
        }
        let mut tags: Vec<&str> = stream.spec.tags.iter().map(|t| t.name.as_str()).collect();
        for status in &stream.status.tags {
            if !tags.contains(&status.tag.as_str()) {
                tags.push(&status.tag);
            }
        }
        for tag in &tags {
            if format!("{name}:{tag}").to_lowercase().contains(&self.text) {
                hits.push(hit(SearchKind::Tag, Some(tag), String::new(), false));
            }
        }
        for status in &stream.status.tags {
            let mut seen: Vec<&str> = Vec::new();
            for (position, event) in status.items.iter().enumerate() {
                let digest = event.image.as_str();
                let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
                let found = self
                    .digest_prefix
                    .as_ref()
                    .is_some_and(|prefix| hex.starts_with(prefix.as_str()));
                if found && !seen.contains(&digest) {
                    seen.push(digest);
                    hits.push(hit(
                        SearchKind::Image,
                        Some(&status.tag),
                        digest.to_owned(),
                        position == 0,
                    ));
                }
            }
        }
        if self.digest_prefix.is_none() {
            for tag in &stream.spec.tags {
                let Some(from) = tag.from.as_ref().filter(|from| from.kind == "DockerImage") else {
                    continue;
                };
                if from.name.to_lowercase().contains(&self.text) {
                    hits.push(hit(
                        SearchKind::Repository,
                        Some(&tag.name),
                        from.name.clone(),
                        false,
                    ));
                }
            }
            let repository = &stream.spec.docker_image_repository;
            if !repository.is_empty() && repository.to_lowercase().contains(&self.text) {
                hits.push(hit(SearchKind::Repository, None, repository.clone(), false));
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        NamedTagEventList, ObjectMeta, ObjectReference, TagEvent, TagReference, Time,
    };

    fn stream() -> ImageStream {
        let event = |image: &str| TagEvent {
            created: Time::from_unix(1_700_000_000),
            docker_image_reference: format!("quay.io/team/ruby@{image}"),
            image: image.into(),
            generation: 1,
            platforms: vec![],
        };
        let mut stream = ImageStream {
            metadata: ObjectMeta {
                name: "ruby".into(),
                namespace: "team".into(),
                ..ObjectMeta::default()
            },
            ..ImageStream::default()
        };
        stream.spec.tags.push(TagReference {
            name: "3.3".into(),
            from: Some(ObjectReference {
                kind: "DockerImage".into(),
                name: "quay.io/Team/ruby:3.3".into(),
                ..ObjectReference::default()
            }),
            ..TagReference::default()
        });
        stream.status.tags.push(NamedTagEventList {
            tag: "3.3".into(),
            items: vec![
                event(&format!("sha256:ab12{}", "0".repeat(60))),
                event(&format!("sha256:cd34{}", "0".repeat(60))),
                event(&format!("sha256:ab12{}", "0".repeat(60))),
            ],
            ..NamedTagEventList::default()
        });
        stream
    }

    fn kinds(query: &str) -> Vec<(SearchKind, Option<String>, bool)> {
        SearchQuery::parse(query)
            .unwrap()
            .hits_in(&stream())
            .into_iter()
            .map(|hit| (hit.kind, hit.tag, hit.current))
            .collect()
    }

    #[test]
    fn a_name_finds_the_stream_and_its_tags() {
        assert_eq!(
            kinds("RUBY"),
            [
                (SearchKind::Stream, None, false),
                (SearchKind::Tag, Some("3.3".into()), false),
                (SearchKind::Repository, Some("3.3".into()), false),
            ]
        );
        assert_eq!(
            kinds("team/ru"),
            [
                (SearchKind::Stream, None, false),
                (SearchKind::Repository, Some("3.3".into()), false),
            ],
            "the stream's project and name, and the registry path"
        );
        assert_eq!(
            kinds("ruby:3"),
            [
                (SearchKind::Tag, Some("3.3".into()), false),
                (SearchKind::Repository, Some("3.3".into()), false),
            ]
        );
        assert_eq!(
            kinds("by:3."),
            [
                (SearchKind::Tag, Some("3.3".into()), false),
                (SearchKind::Repository, Some("3.3".into()), false),
            ]
        );
        assert!(kinds("ruby:4").is_empty());
    }

    #[test]
    fn a_digest_prefix_finds_each_image_once_and_says_whether_it_is_current() {
        assert_eq!(
            kinds("sha256:AB12"),
            [(SearchKind::Image, Some("3.3".into()), true)]
        );
        assert_eq!(
            kinds("cd34"),
            [(SearchKind::Image, Some("3.3".into()), false)]
        );
        assert!(SearchQuery::parse("ab1").unwrap().digest_prefix.is_none());
    }

    #[test]
    fn a_registry_finds_the_tags_imported_from_it() {
        assert_eq!(
            kinds("quay.io/team"),
            [(SearchKind::Repository, Some("3.3".into()), false)]
        );
        assert!(kinds("docker.io").is_empty());
    }

    #[test]
    fn the_database_filter_needs_every_word_of_the_query() {
        let query = SearchQuery::parse(" quay.io/team:1 ").unwrap();
        assert_eq!(query.required_words(), ["quay.io", "team", "1"]);
        let digest = SearchQuery::parse("sha256:ab12").unwrap();
        assert_eq!(digest.required_words(), ["ab12"]);
        assert!(SearchQuery::parse("   ").is_none());
    }

    #[test]
    fn results_keep_a_capped_number_of_each_kind_and_count_the_rest() {
        let mut results = SearchResults::default();
        let hit = |kind| SearchHit {
            kind,
            namespace: "team".into(),
            stream: "s".into(),
            tag: None,
            detail: String::new(),
            current: false,
            imported: false,
        };
        results.extend((0..HITS_PER_KIND + 3).map(|_| hit(SearchKind::Tag)));
        results.extend([hit(SearchKind::Stream)]);
        assert_eq!(results.of(SearchKind::Tag).count(), HITS_PER_KIND);
        assert_eq!(results.more_of(SearchKind::Tag), 3);
        assert_eq!(results.of(SearchKind::Stream).count(), 1);
        assert_eq!(results.more_of(SearchKind::Stream), 0);
    }
}
