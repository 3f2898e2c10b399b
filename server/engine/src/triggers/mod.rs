//! The trigger engine: owners of image change triggers (create, replace,
//! delete, read), the evaluation of their triggers when they are written or
//! a watched tag moves, and the loop that consumes the tag-change outbox
//! exactly once per change (see [`TriggerEngine`]).

mod dry_run;
mod engine;
mod evaluate;
mod overview;
mod owners;

pub use dry_run::{DryRunResult, dry_run, parse_watched_tag};
pub use engine::TriggerEngine;
pub use overview::{overview, tag_watchers};
pub use owners::{AppliedOwner, apply, create, delete, get, list, replace, set_triggers};

use crate::model::SHARED_PROJECT;

/// Whether objects in `owner_namespace` may pull images from
/// `source_namespace`: their own project and the shared `openshift` project.
/// (Grants of `system:image-puller` across projects arrive with access control.)
pub fn may_pull(owner_namespace: &str, source_namespace: &str) -> bool {
    owner_namespace == source_namespace || source_namespace == SHARED_PROJECT
}
