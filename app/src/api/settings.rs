//! Server functions of the Settings page: the cluster image policy and the
//! samples (cluster admins).

use engine::model::{
    cluster_policy::{ClusterImagePolicy, ClusterSettingsView},
    samples::{SamplesConfig, SamplesView},
};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// The policy with its version, and the settings fixed at start.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_cluster_settings")]
pub async fn load_cluster_settings() -> Result<ClusterSettingsView, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::cluster_policy::get(&services, &caller).await)
}

/// Replaces the policy, if `resource_version` is still the stored one.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "save_cluster_settings", input = Json)]
pub async fn save_cluster_settings(
    policy: ClusterImagePolicy,
    resource_version: i64,
) -> Result<ClusterSettingsView, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::cluster_policy::update(&services, &caller, policy, resource_version).await,
    )
}

/// The samples configuration and each sample's state.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_samples")]
pub async fn load_samples() -> Result<SamplesView, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::samples::get(&services, &caller).await)
}

/// Replaces the samples configuration, if `resource_version` is still the
/// stored one, and applies it.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "save_samples", input = Json)]
pub async fn save_samples(
    config: SamplesConfig,
    resource_version: i64,
) -> Result<SamplesView, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::samples::update(&services, &caller, config, resource_version).await)
}
