//! The samples section of the settings page: the configuration with each
//! sample's state, and a change to it applied at once (streams installed or
//! removed before the answer; their imports follow in the background).

use crate::{
    Result, Services,
    access::Caller,
    clock,
    model::{
        SHARED_PROJECT,
        access::{Resource, Verb},
        samples::{SampleState, SampleStatus, SamplesConfig, SamplesView},
    },
};

use super::inventory::{desired, inventory, is_managed};

/// The configuration and every sample's state (cluster admins only).
pub async fn get(services: &Services, caller: &Caller) -> Result<SamplesView> {
    caller.require(Verb::Get, Resource::ClusterSettings, "")?;
    view(services).await
}

/// Saves `config` (see [`super::settings`]) and applies it.
pub async fn update(
    services: &Services,
    caller: &Caller,
    config: SamplesConfig,
    resource_version: i64,
) -> Result<SamplesView> {
    super::settings::update(services, caller, config, resource_version).await?;
    super::install(services).await?;
    services.samples_changed.notify_one();
    view(services).await
}

async fn view(services: &Services) -> Result<SamplesView> {
    let (config, stored) = super::settings::stored(services).await?;
    let mut samples = Vec::new();
    for sample in inventory() {
        let name = &sample.metadata.name;
        let stream = services.store.image_stream(SHARED_PROJECT, name).await?;
        let state = if config.skips(name) {
            SampleState::Skipped
        } else {
            match &stream {
                Some(stream) if is_managed(stream) => SampleState::Installed {
                    imported: stream
                        .spec
                        .tags
                        .iter()
                        .filter(|tag| stream.latest(&tag.name).is_some())
                        .count(),
                    tags: stream.spec.tags.len(),
                },
                _ => SampleState::NotInstalled,
            }
        };
        let last_error = stream.as_ref().and_then(|stream| {
            stream
                .status
                .tags
                .iter()
                .find_map(|tag| tag.import_failure())
                .map(|c| c.message.clone())
        });
        let installed = desired(sample, &config);
        samples.push(SampleStatus {
            name: name.clone(),
            display_name: sample
                .annotation(crate::model::catalog::DISPLAY_NAME)
                .unwrap_or(name)
                .to_owned(),
            state,
            source: installed
                .spec
                .tags
                .first()
                .and_then(|tag| tag.from.as_ref())
                .map(|from| from.name.clone())
                .unwrap_or_default(),
            last_error,
        });
    }
    Ok(SamplesView {
        config,
        resource_version: stored.as_ref().map_or(0, |s| s.resource_version),
        updated_by: stored
            .as_ref()
            .map(|s| s.updated_by.clone())
            .unwrap_or_default(),
        updated: stored.as_ref().map(|s| clock::from_millis(s.updated_at)),
        retry_seconds: services.settings.samples.retry.as_secs(),
        samples,
    })
}
