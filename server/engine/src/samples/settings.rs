//! The samples configuration as the server keeps it: one settings document,
//! written at first start with the state the server was started with, read
//! and changed by cluster admins only, validated, saved with optimistic
//! concurrency.

use crate::{
    Error, Result, Services,
    access::Caller,
    clock,
    model::{
        access::{Resource, Verb},
        samples::{SamplesConfig, validate_samples_config},
    },
    store::StoredSettings,
};

/// The settings document's name in the store.
const DOCUMENT: &str = "samples";

/// Who writes the first configuration.
const FIRST_START: &str = "system:samples";

/// The configuration in force, with the stored row it came from (none
/// before the first start finished).
pub async fn stored(services: &Services) -> Result<(SamplesConfig, Option<StoredSettings>)> {
    let stored = services.store.cluster_settings(DOCUMENT).await?;
    let config = match &stored {
        Some(row) => serde_json::from_str(&row.document).map_err(|e| {
            Error::Internal(format!(
                "the stored samples configuration is not readable: {e}"
            ))
        })?,
        None => first_config(services),
    };
    Ok((config, stored))
}

/// The configuration in force.
pub async fn current(services: &Services) -> Result<SamplesConfig> {
    Ok(stored(services).await?.0)
}

/// At first start: keeps the state the server was started with
/// (`--samples-management-state`). Later starts, and replicas that lose the
/// race, leave the stored configuration as it is.
pub async fn write_first(services: &Services) -> Result<()> {
    if services.store.cluster_settings(DOCUMENT).await?.is_some() {
        return Ok(());
    }
    match save(services, &first_config(services), 0, FIRST_START).await {
        Ok(()) | Err(Error::Conflict(_)) => Ok(()),
        Err(error) => Err(error),
    }
}

/// Replaces the configuration after checking it; `resource_version` is the
/// one the change was based on (a stale one is a conflict).
pub async fn update(
    services: &Services,
    caller: &Caller,
    config: SamplesConfig,
    resource_version: i64,
) -> Result<()> {
    caller.require(Verb::Update, Resource::ClusterSettings, "")?;
    let config = tidy(config);
    let errors = validate_samples_config(&config, &super::inventory::names());
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    save(services, &config, resource_version, &caller.user).await?;
    tracing::info!(by = %caller.user, state = config.management_state.as_str(), "samples configuration changed");
    Ok(())
}

async fn save(
    services: &Services,
    config: &SamplesConfig,
    resource_version: i64,
    by: &str,
) -> Result<()> {
    let document = serde_json::to_string(config).map_err(|e| {
        Error::Internal(format!(
            "the samples configuration could not be written: {e}"
        ))
    })?;
    services
        .store
        .put_cluster_settings(
            DOCUMENT,
            &document,
            resource_version,
            by,
            clock::now_millis(),
        )
        .await?;
    Ok(())
}

fn first_config(services: &Services) -> SamplesConfig {
    SamplesConfig {
        management_state: services.settings.samples.first_state,
        ..SamplesConfig::default()
    }
}

/// Entries trimmed, blank ones dropped, as a form's lines arrive.
fn tidy(mut config: SamplesConfig) -> SamplesConfig {
    for name in &mut config.skipped_imagestreams {
        *name = name.trim().to_owned();
    }
    config.skipped_imagestreams.retain(|name| !name.is_empty());
    config.samples_registry = config.samples_registry.trim().to_owned();
    config
}
