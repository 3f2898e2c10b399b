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
pub use overview::{overview, owner_timeline, tag_watchers};
pub use owners::{
    AppliedOwner, apply, create, create_with, delete, delete_with, get, list, replace,
    replace_with, set_triggers,
};

use crate::model::{
    SHARED_PROJECT,
    access::{Resource, RoleBinding, Subject, Verb, role_allows, service_account_user},
};

/// The service accounts that pull for a project's builds and rollouts:
/// the group of all its accounts, and `default`, `builder` and `deployer`.
pub fn pullers_of(namespace: &str) -> Vec<Subject> {
    let mut subjects = vec![Subject::Group(format!(
        "system:serviceaccounts:{namespace}"
    ))];
    subjects.extend(
        ["default", "builder", "deployer"]
            .map(|account| Subject::User(service_account_user(namespace, account))),
    );
    subjects
}

/// Whether objects in `owner_namespace` may pull images from
/// `source_namespace`: their own project, the shared `openshift` project, and
/// any project where `bindings` (those of [`pullers_of`] the owner's
/// project) grant pulling (`system:image-puller` or more, `oc policy
/// add-role-to-group system:image-puller system:serviceaccounts:<owner> -n
/// <source>`).
pub fn may_pull(owner_namespace: &str, source_namespace: &str, bindings: &[RoleBinding]) -> bool {
    owner_namespace == source_namespace
        || source_namespace == SHARED_PROJECT
        || bindings.iter().any(|binding| {
            (binding.namespace == source_namespace || binding.namespace.is_empty())
                && role_allows(binding.role, Verb::Get, Resource::ImageStreamLayers)
        })
}

/// Whether any of `triggers` watches a project that only a grant opens.
fn watches_elsewhere(
    owner_namespace: &str,
    triggers: &[crate::model::triggers::ImageTrigger],
) -> bool {
    triggers.iter().any(|trigger| {
        trigger.watched.namespace != owner_namespace && trigger.watched.namespace != SHARED_PROJECT
    })
}
