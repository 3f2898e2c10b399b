//! Keeping the `openshift` project's samples as configured: installing the
//! missing ones, repairing changed ones, removing them when `Removed`, and
//! importing every tag that has no image yet or whose last import failed.
//! Skipped samples and users' own streams that share a sample's name are
//! never touched.

use std::collections::BTreeMap;

use crate::{
    Error, Result, Services,
    field_management::FieldOwner,
    imagestreams::{self, Write},
    imports,
    model::{
        ImageStream, SHARED_PROJECT,
        samples::{ManagementState, SamplesConfig},
    },
};

use super::inventory::{desired, inventory, is_managed};

/// The field manager the samples are installed and repaired as.
pub const SAMPLES_MANAGER: &str = "image-stream-console-samples";

fn samples_manager() -> FieldOwner {
    FieldOwner::Manager(SAMPLES_MANAGER.to_owned())
}

/// What one pass did, by stream name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    pub installed: Vec<String>,
    pub repaired: Vec<String>,
    pub removed: Vec<String>,
    /// `stream:tag` of every tag an import was asked for, and whether it
    /// succeeded.
    pub imports: BTreeMap<String, bool>,
}

/// Brings the streams in line with the configuration, without importing.
pub async fn install(services: &Services) -> Result<Reconciled> {
    let config = super::settings::current(services).await?;
    install_with(services, &config).await
}

async fn install_with(services: &Services, config: &SamplesConfig) -> Result<Reconciled> {
    let mut done = Reconciled::default();
    for sample in inventory() {
        let name = sample.metadata.name.as_str();
        if config.skips(name) {
            continue;
        }
        let existing = services.store.image_stream(SHARED_PROJECT, name).await?;
        match (config.management_state, existing) {
            (ManagementState::Removed, Some(stream)) if is_managed(&stream) => {
                match imagestreams::delete(services, SHARED_PROJECT, name).await {
                    Ok(()) | Err(Error::NotFound { .. }) => done.removed.push(name.to_owned()),
                    Err(error) => return Err(error),
                }
            }
            (ManagementState::Removed, _) => {}
            (ManagementState::Managed, None) => {
                match imagestreams::create_with(
                    services,
                    SHARED_PROJECT,
                    desired(sample, config),
                    Write::Commit,
                    samples_manager(),
                )
                .await
                {
                    Ok(_) => done.installed.push(name.to_owned()),
                    // Another replica installed it first.
                    Err(Error::AlreadyExists { .. }) => {}
                    // The cluster image policy refuses its registry: the
                    // others are still installed.
                    Err(Error::Invalid(errors)) => refused(name, &errors),
                    Err(error) => return Err(error),
                }
            }
            (ManagementState::Managed, Some(stream)) if !is_managed(&stream) => {
                tracing::info!(
                    stream = name,
                    "a stream of the openshift project shares a sample's name and is not managed; leaving it alone"
                );
            }
            (ManagementState::Managed, Some(stream)) => {
                if let Some(repaired) = repaired(&stream, sample, config) {
                    match imagestreams::replace_with(
                        services,
                        SHARED_PROJECT,
                        name,
                        repaired,
                        Write::Commit,
                        samples_manager(),
                    )
                    .await
                    {
                        Ok(_) => done.repaired.push(name.to_owned()),
                        // Changed meanwhile: the next pass looks again.
                        Err(Error::Conflict(_) | Error::NotFound { .. }) => {}
                        Err(Error::Invalid(errors)) => refused(name, &errors),
                        Err(error) => return Err(error),
                    }
                }
            }
        }
    }
    for name in done.installed.iter().chain(&done.repaired) {
        tracing::info!(stream = %name, "sample image stream written");
    }
    for name in &done.removed {
        tracing::info!(stream = %name, "sample image stream removed");
    }
    Ok(done)
}

fn refused(name: &str, errors: &[crate::model::FieldError]) {
    let problems: Vec<String> = errors.iter().map(ToString::to_string).collect();
    tracing::warn!(stream = name, problems = %problems.join("; "), "sample image stream refused");
}

/// One full pass: [`install`], then an import of every managed sample tag
/// that has no image yet or whose last import failed.
pub async fn reconcile(services: &Services) -> Result<Reconciled> {
    let config = super::settings::current(services).await?;
    let mut done = install_with(services, &config).await?;
    if config.management_state == ManagementState::Removed {
        return Ok(done);
    }
    for sample in inventory() {
        let name = sample.metadata.name.as_str();
        if config.skips(name) {
            continue;
        }
        let Some(stream) = services.store.image_stream(SHARED_PROJECT, name).await? else {
            continue;
        };
        if !is_managed(&stream) {
            continue;
        }
        let wanted = tags_to_import(&stream);
        let Some(request) = imports::request_for(&stream, wanted.iter().map(String::as_str)) else {
            continue;
        };
        let asked: Vec<String> = request
            .spec
            .images
            .iter()
            .filter_map(|image| image.to.as_ref().map(|to| to.name.clone()))
            .collect();
        let imported = imports::import(services, SHARED_PROJECT, request).await?;
        for (tag, status) in asked.iter().zip(imported.status.images.iter()) {
            let success = status.status.status == "Success";
            if !success {
                tracing::warn!(stream = name, tag = %tag, reason = %status.status.reason, message = %status.status.message, "sample import failed; it is tried again later");
            }
            done.imports.insert(format!("{name}:{tag}"), success);
        }
    }
    Ok(done)
}

/// Tags with no image yet, or whose last import failed.
fn tags_to_import(stream: &ImageStream) -> Vec<String> {
    stream
        .spec
        .tags
        .iter()
        .map(|tag| tag.name.as_str())
        .filter(|tag| {
            stream
                .status_tag(tag)
                .is_none_or(|status| status.items.is_empty() || status.import_failure().is_some())
        })
        .map(str::to_owned)
        .collect()
}

/// `stream` brought back to the sample as configured, or `None` when it
/// already is: each sample tag whose source, annotations or kind changed is
/// written again, and the sample's own stream annotations and labels (tags,
/// annotations and labels that were added are kept).
fn repaired(
    stream: &ImageStream,
    sample: &ImageStream,
    config: &SamplesConfig,
) -> Option<ImageStream> {
    let wanted = desired(sample, config);
    let mut fixed = stream.clone();
    fixed
        .metadata
        .annotations
        .extend(wanted.metadata.annotations.clone());
    fixed.metadata.labels.extend(wanted.metadata.labels.clone());
    for want in &wanted.spec.tags {
        match fixed.spec.tags.iter_mut().find(|tag| tag.name == want.name) {
            Some(tag)
                if tag.from == want.from
                    && tag.annotations == want.annotations
                    && tag.reference == want.reference => {}
            Some(tag) => *tag = want.clone(),
            None => fixed.spec.tags.push(want.clone()),
        }
    }
    (fixed != *stream).then_some(fixed)
}
