//! The cluster image policy applied to one reference: which registries it
//! may be read from (a short name is looked up in the search registries in
//! turn), whether each is reached insecurely, or why none may be used.

use crate::model::{
    DockerImageReference, ImportOutcome,
    cluster_policy::{ClusterImagePolicy, Denied, is_insecure_registry, search_registries},
};

/// One registry an image may be read from.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The reference with its registry filled in.
    pub reference: DockerImageReference,
    /// Plain HTTP and unverified TLS are allowed (the tag's flag or
    /// `registrySources.insecureRegistries`).
    pub insecure: bool,
}

/// The registries `reference` may be read from, in the order to try them
/// (never none); a `Forbidden` failure with the policy's message when the
/// policy allows none.
pub(crate) fn routes(
    policy: &ClusterImagePolicy,
    reference: &DockerImageReference,
    insecure: bool,
) -> Result<Vec<Route>, ImportOutcome> {
    let candidates: Vec<DockerImageReference> = if reference.registry.is_empty() {
        search_registries(policy)
            .into_iter()
            .map(|registry| DockerImageReference {
                registry,
                ..reference.clone()
            })
            .collect()
    } else {
        vec![reference.clone()]
    };
    let mut denied = None;
    let mut routes = Vec::new();
    for candidate in candidates {
        let path = candidate.repository_path();
        let insecure = insecure || is_insecure_registry(policy, &candidate.registry, &path);
        match policy.admit(&candidate.registry, &path, insecure) {
            Ok(()) => routes.push(Route {
                reference: candidate,
                insecure,
            }),
            Err(Denied(message)) => {
                denied.get_or_insert(message);
            }
        }
    }
    match denied {
        // Every candidate was either routed or denied, so no route means a denial.
        Some(message) if routes.is_empty() => {
            Err(ImportOutcome::failure("Forbidden", message, 403))
        }
        _ => Ok(routes),
    }
}
