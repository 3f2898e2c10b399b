//! The cluster image policy (`images.config.openshift.io/cluster`): which
//! registries imports may use and how, where short names are looked up, and
//! the extra CAs registries are trusted with. The rules here are pure, so
//! pages and the importer read the same answers.

mod matching;
mod validate;

pub use matching::{Denied, is_insecure_registry, search_registries};
pub use validate::{registry_host_problem, validate_policy};

use serde::{Deserialize, Serialize};

use super::Time;
pub use super::schedule_overview::ScheduleSettingsView;

/// What a cluster admin sets; every list empty means "no restriction".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClusterImagePolicy {
    /// Registries imports and `oc tag` may read from; empty allows every
    /// registry (`allowedRegistriesForImport`).
    pub allowed_registries_for_import: Vec<RegistryLocation>,
    pub registry_sources: RegistrySources,
    /// Extra certificate authorities by registry (`additionalTrustedCA`).
    #[serde(rename = "additionalTrustedCA")]
    pub additional_trusted_ca: Vec<TrustedCa>,
    /// Scheduled-import settings changed at run time; each one left unset
    /// keeps the value the server was started with.
    pub scheduled_import: ScheduledImportSettings,
    /// The integrated registry's `host[:port]` (`internalRegistryHostname`):
    /// streams' `status.dockerImageRepository` and `Local` pull specs point
    /// there. Empty: the one the server was started with.
    pub internal_registry_hostname: String,
}

impl ClusterImagePolicy {
    /// The integrated registry's hostname in force: this policy's, else
    /// `started` (`--internal-registry-hostname`).
    pub fn internal_registry_hostname_or<'a>(&'a self, started: &'a str) -> &'a str {
        match self.internal_registry_hostname.trim() {
            "" => started,
            set => set,
        }
    }
}

/// Run-time values of the scheduled-import settings (`None`: as started).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScheduledImportSettings {
    /// Seconds between checks of a scheduled tag.
    pub interval_seconds: Option<u64>,
    /// `scheduledImageImportMinimumIntervalSeconds`.
    pub minimum_interval_seconds: Option<u64>,
    /// `maxScheduledImageImportsPerMinute`; zero or less is unlimited.
    pub max_imports_per_minute: Option<i64>,
    /// `disableScheduledImport`.
    pub disabled: Option<bool>,
}

/// One entry of `allowedRegistriesForImport`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryLocation {
    /// `host[:port]`, with `*` and `?` wildcards; no port means 443 (and 80
    /// when insecure).
    pub domain_name: String,
    /// Plain HTTP (port 80) is allowed too.
    pub insecure: bool,
}

/// `registrySources`: which registries may be used at all, which speak plain
/// HTTP or untrusted TLS, and where short names are looked up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistrySources {
    /// Only these registries (`host[:port][/path]`, `*.domain`) may be used.
    pub allowed_registries: Vec<String>,
    /// These registries may not be used. Never together with `allowedRegistries`.
    pub blocked_registries: Vec<String>,
    /// Registries reached over plain HTTP or TLS without verification.
    pub insecure_registries: Vec<String>,
    /// Where a short name such as `ruby:3.3` is looked up, in order
    /// (default `docker.io`).
    pub container_runtime_search_registries: Vec<String>,
}

/// A CA bundle trusted for one registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TrustedCa {
    /// `host`, or `host..port` for one port (OpenShift's ConfigMap key form).
    pub host: String,
    /// One or more PEM certificates.
    pub pem: String,
}

impl TrustedCa {
    /// The registry (`host` or `host:port`) this CA is for.
    pub fn registry(&self) -> String {
        self.host.replacen("..", ":", 1)
    }
}

/// The settings page: the stored policy with its version, and what the
/// server was started with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterSettingsView {
    pub policy: ClusterImagePolicy,
    /// Send back with a change; a stale one is refused (someone else saved).
    pub resource_version: i64,
    pub updated_by: String,
    pub updated: Option<Time>,
    /// Set at start (`--internal-registry-hostname`); the policy's value,
    /// when it has one, is the one in force.
    pub internal_registry_hostname: String,
    /// The scheduled-import settings the server was started with.
    pub schedule: ScheduleSettingsView,
    /// The ones it runs with now (the policy's values over the started ones).
    pub effective_schedule: ScheduleSettingsView,
}
