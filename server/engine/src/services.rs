//! The bundle of engine services a request handler needs, built once at
//! start-up and shared (cheaply cloned) by every request.

use std::sync::Arc;

use crate::{
    registry::{ClientOptions, RegistryClient},
    store::Store,
};

/// The integrated registry hostname OpenShift uses by default.
pub const DEFAULT_INTERNAL_REGISTRY: &str = "image-registry.openshift-image-registry.svc:5000";

/// Settings the engine's rules depend on.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The integrated registry's hostname: `status.dockerImageRepository` of a
    /// stream is `<hostname>/<namespace>/<name>`, and reference policy `Local`
    /// pulls through it.
    pub internal_registry_hostname: String,
    /// How many tags a whole-repository import reads at most
    /// (`maxImagesBulkImportedPerRepository`); the rest are reported.
    pub max_images_bulk_imported_per_repository: usize,
    /// When scheduled imports run.
    pub schedule: crate::schedule::ScheduleSettings,
    /// How long browser sessions last.
    pub sessions: crate::access::SessionPolicy,
    /// Days an audit log entry is kept; zero keeps every entry.
    pub audit_retention_days: u32,
    /// Hours the change log keeps an entry (watches and live updates resume
    /// within it; older versions are gone); zero keeps every entry.
    pub change_log_retention_hours: u32,
    /// How the shared sample catalog is kept.
    pub samples: crate::samples::SamplesSettings,
}

/// How long change log entries are kept unless configured otherwise.
pub const DEFAULT_CHANGE_LOG_RETENTION_HOURS: u32 = 24;

/// How long audit log entries are kept unless configured otherwise.
pub const DEFAULT_AUDIT_RETENTION_DAYS: u32 = 365;

/// OpenShift's default for `maxImagesBulkImportedPerRepository`.
pub const DEFAULT_MAX_IMAGES_BULK_IMPORTED: usize = 50;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            internal_registry_hostname: DEFAULT_INTERNAL_REGISTRY.into(),
            max_images_bulk_imported_per_repository: DEFAULT_MAX_IMAGES_BULK_IMPORTED,
            schedule: crate::schedule::ScheduleSettings::default(),
            sessions: crate::access::SessionPolicy::default(),
            audit_retention_days: DEFAULT_AUDIT_RETENTION_DAYS,
            change_log_retention_hours: DEFAULT_CHANGE_LOG_RETENTION_HOURS,
            samples: crate::samples::SamplesSettings::default(),
        }
    }
}

/// Everything the pages and the API call into.
#[derive(Clone, Debug)]
pub struct Services {
    pub store: Store,
    pub settings: Settings,
    /// The client every import talks to registries with (connections and
    /// tokens are shared).
    pub registries: Arc<RegistryClient>,
    /// The scheduler's counters, served at `/metrics`.
    pub metrics: Arc<crate::schedule::Metrics>,
    /// Committed changes for open pages (followed once the server runs it).
    pub live: Arc<crate::live::LiveFeed>,
    /// Decoded catalog items, reused until the next change.
    pub catalog_cache: Arc<crate::catalog::CatalogCache>,
    /// Failed sign-ins, for the rate limit.
    pub login_limiter: crate::access::LoginLimiter,
    /// Callers recently authenticated by bearer token.
    pub token_cache: Arc<crate::access::TokenCache>,
    /// The key pull secrets are sealed with; without one none can be stored.
    pub secrets_key: Option<crate::access::SecretsKey>,
    /// The cluster image policy last read from the store.
    pub policy_cache: Arc<crate::cluster_policy::PolicyCache>,
    /// Woken when the samples configuration changes, so the samples'
    /// background work applies it at once.
    pub samples_changed: Arc<tokio::sync::Notify>,
    /// The OpenID Connect provider people may sign in through, if configured.
    pub oidc: Option<Arc<crate::access::oidc::OidcProvider>>,
}

impl Services {
    /// Services on top of an opened store.
    pub fn new(store: Store, settings: Settings) -> Self {
        let registries = RegistryClient::new(ClientOptions::default())
            .expect("the registry client builds with its default options");
        Services {
            store,
            settings,
            registries: Arc::new(registries),
            metrics: Arc::default(),
            live: Arc::default(),
            catalog_cache: Arc::default(),
            login_limiter: Default::default(),
            token_cache: Arc::default(),
            secrets_key: None,
            policy_cache: Arc::default(),
            samples_changed: Arc::default(),
            oidc: None,
        }
    }

    /// The same services, sealing pull secrets with `key`.
    pub fn with_secrets_key(mut self, key: crate::access::SecretsKey) -> Self {
        self.secrets_key = Some(key);
        self
    }

    /// The same services, letting people sign in through `provider`.
    pub fn with_oidc(mut self, provider: crate::access::oidc::OidcProvider) -> Self {
        self.oidc = Some(Arc::new(provider));
        self
    }
}
