//! Which tags of a stream the scheduler owes a check: every `DockerImage`
//! tag (not a `reference`) that is scheduled, or whose current source has not
//! been imported successfully yet. A tag pinned to a digest stays scheduled
//! only until its first success.

use std::time::Duration;

use crate::imports::api_host;
use crate::model::{DockerImageReference, ImageStream, SourceKind, TagReference};

/// The tag annotation that sets a tag's own check interval, in seconds
/// (never below the cluster minimum).
pub const INTERVAL_ANNOTATION: &str = "console.image-streams.io/import-interval-seconds";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedCheck {
    pub tag: String,
    /// The registry host the import talks to, for per-host limits.
    pub registry: String,
    pub scheduled: bool,
    /// The current source has not been imported successfully yet.
    pub pending: bool,
    pub generation: i64,
}

pub fn wanted_checks(stream: &ImageStream) -> Vec<WantedCheck> {
    stream
        .spec
        .tags
        .iter()
        .filter_map(|tag| {
            let from = tag.from.as_ref()?;
            if from.kind != SourceKind::DOCKER_IMAGE || tag.reference {
                return None;
            }
            let reference = DockerImageReference::parse(&from.name).ok()?;
            let generation = tag.generation.unwrap_or(stream.metadata.generation);
            let imported = stream
                .status_tag(&tag.name)
                .and_then(|list| list.items.first())
                .is_some_and(|event| event.generation >= generation);
            let pinned = !reference.id.is_empty();
            let scheduled = tag.import_policy.scheduled && !(pinned && imported);
            let pending = !imported;
            (scheduled || pending).then(|| WantedCheck {
                tag: tag.name.clone(),
                registry: api_host(&reference),
                scheduled,
                pending,
                generation,
            })
        })
        .collect()
}

/// A tag's own interval from [`INTERVAL_ANNOTATION`], if it sets one.
pub fn tag_interval(tag: &TagReference) -> Option<Duration> {
    tag.annotation(INTERVAL_ANNOTATION)?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}
