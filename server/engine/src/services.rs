//! The bundle of engine services a request handler needs, built once at
//! start-up and shared (cheaply cloned) by every request.

use crate::store::Store;

/// The integrated registry hostname OpenShift uses by default.
pub const DEFAULT_INTERNAL_REGISTRY: &str = "image-registry.openshift-image-registry.svc:5000";

/// Settings the engine's rules depend on.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The integrated registry's hostname: `status.dockerImageRepository` of a
    /// stream is `<hostname>/<namespace>/<name>`, and reference policy `Local`
    /// pulls through it.
    pub internal_registry_hostname: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            internal_registry_hostname: DEFAULT_INTERNAL_REGISTRY.into(),
        }
    }
}

/// Everything the pages and the API call into.
#[derive(Clone, Debug)]
pub struct Services {
    pub store: Store,
    pub settings: Settings,
}

impl Services {
    /// Services on top of an opened store.
    pub fn new(store: Store, settings: Settings) -> Self {
        Services { store, settings }
    }
}
