//! The cluster image policy as the server keeps it: stored as one settings
//! document, read through a short cache (so a change made on another
//! replica applies within seconds, with no restart), changed only by
//! cluster admins, validated, and saved with optimistic concurrency.

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use crate::{
    Error, Result, Services,
    access::Caller,
    clock,
    model::{
        FieldError,
        access::{Resource, Verb},
        cluster_policy::{
            ClusterImagePolicy, ClusterSettingsView, ScheduledImportSettings, validate_policy,
        },
        stream_changes::local_repository,
    },
    registry::parse_certificates,
    schedule::ScheduleSettings,
};

/// The settings document's name in the store.
const DOCUMENT: &str = "image-policy";

/// How long a read policy is used before the store is asked again.
const FRESH_FOR: Duration = Duration::from_secs(2);

/// The policy last read, and when.
#[derive(Debug, Default)]
pub struct PolicyCache {
    last: RwLock<Option<(Arc<ClusterImagePolicy>, Instant)>>,
}

impl PolicyCache {
    fn fresh(&self) -> Option<Arc<ClusterImagePolicy>> {
        let last = self
            .last
            .read()
            .expect("the policy cache is never poisoned");
        last.as_ref()
            .filter(|(_, read)| read.elapsed() < FRESH_FOR)
            .map(|(policy, _)| policy.clone())
    }

    fn keep(&self, policy: Arc<ClusterImagePolicy>) {
        *self
            .last
            .write()
            .expect("the policy cache is never poisoned") = Some((policy, Instant::now()));
    }
}

/// The policy imports follow now. The registry client is told about the
/// policy's CAs as a side effect, so an import right after a change uses them.
pub async fn current(services: &Services) -> Result<Arc<ClusterImagePolicy>> {
    if let Some(policy) = services.policy_cache.fresh() {
        return Ok(policy);
    }
    Ok(in_force(services, stored(services).await?.0))
}

/// [`current`], read within a write transaction when the cache is stale (a
/// write never asks the pool for a second connection while it holds one).
pub async fn current_in(
    services: &Services,
    tx: &mut crate::store::WriteTx,
) -> Result<Arc<ClusterImagePolicy>> {
    if let Some(policy) = services.policy_cache.fresh() {
        return Ok(policy);
    }
    let policy = parse(tx.cluster_settings(DOCUMENT).await?.as_ref())?;
    Ok(in_force(services, policy))
}

/// `policy`, just read, put in force: its CAs handed to the registry client
/// and the cache refreshed.
fn in_force(services: &Services, policy: ClusterImagePolicy) -> Arc<ClusterImagePolicy> {
    let policy = Arc::new(policy);
    apply_trusted_cas(services, &policy);
    services.policy_cache.keep(policy.clone());
    policy
}

/// The settings page's view (cluster admins only).
pub async fn get(services: &Services, caller: &Caller) -> Result<ClusterSettingsView> {
    caller.require(Verb::Get, Resource::ClusterSettings, "")?;
    view(services).await
}

/// Replaces the policy. `resource_version` is the one the change was based
/// on; a stale one is refused with `Conflict`. Every problem is reported at
/// once, each naming its field.
pub async fn update(
    services: &Services,
    caller: &Caller,
    policy: ClusterImagePolicy,
    resource_version: i64,
) -> Result<ClusterSettingsView> {
    caller.require(Verb::Update, Resource::ClusterSettings, "")?;
    let policy = tidy(policy);
    let mut errors = validate_policy(&policy);
    for (index, ca) in policy.additional_trusted_ca.iter().enumerate() {
        let field = format!("additionalTrustedCA[{index}].pem");
        let pem_problem = errors.iter().any(|e| e.field == field);
        if !pem_problem && let Err(error) = parse_certificates(ca.pem.as_bytes()) {
            errors.push(FieldError::new(field, format!("Invalid value: {error}")));
        }
    }
    let schedule = merge(&services.settings.schedule, &policy.scheduled_import);
    if errors.is_empty() && schedule.interval < schedule.minimum_interval {
        errors.push(FieldError::new(
            "scheduledImport.intervalSeconds",
            format!(
                "Invalid value: {}: must not be below the minimum interval ({} s)",
                schedule.interval.as_secs(),
                schedule.minimum_interval.as_secs()
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let document = serde_json::to_string(&policy)
        .map_err(|e| Error::Internal(format!("the policy could not be written: {e}")))?;
    let mut tx = services.store.write().await?;
    let before = parse(tx.cluster_settings(DOCUMENT).await?.as_ref())?;
    tx.put_cluster_settings(
        DOCUMENT,
        &document,
        resource_version,
        &caller.user,
        clock::now_millis(),
    )
    .await?;
    let started = &services.settings.internal_registry_hostname;
    let (old_host, new_host) = (
        before.internal_registry_hostname_or(started),
        policy.internal_registry_hostname_or(started),
    );
    if old_host != new_host {
        let moved = rehome_streams(&mut tx, new_host).await?;
        tracing::info!(
            from = old_host,
            to = new_host,
            streams = moved,
            "internal registry hostname changed"
        );
    }
    tx.commit().await?;
    in_force(services, policy);
    tracing::info!(by = %caller.user, "cluster image policy changed");
    view(services).await
}

/// At start: points the streams at the integrated registry's name in force
/// now when they name another - the `--internal-registry-hostname` flag
/// changed between runs while the settings name none - in one transaction,
/// as a change in the settings does. A start where nothing changed costs a
/// look at one stream (every stream is moved together, so one tells).
/// Returns how many streams changed.
pub async fn follow_registry_hostname_at_start(services: &Services) -> Result<usize> {
    let policy = current(services).await?;
    let hostname = policy
        .internal_registry_hostname_or(&services.settings.internal_registry_hostname)
        .to_owned();
    let mut tx = services.store.write().await?;
    let Some((namespace, name)) = tx.first_image_stream_key().await? else {
        return Ok(0);
    };
    let current = tx
        .image_stream(&namespace, &name)
        .await?
        .map(|stream| stream.status.docker_image_repository);
    if current.is_none_or(|repository| repository == local_repository(&hostname, &namespace, &name))
    {
        return Ok(0);
    }
    let moved = rehome_streams(&mut tx, &hostname).await?;
    tx.commit().await?;
    tracing::info!(
        to = %hostname,
        streams = moved,
        "the streams follow the integrated registry's name the server started with"
    );
    Ok(moved)
}

/// Points every stream's `status.dockerImageRepository` at `hostname`, the
/// integrated registry's new name, in the transaction that saves it (so
/// `Local` pull specs and watchers see the new name at once). Tag history
/// keeps the references it recorded. Returns how many streams changed.
async fn rehome_streams(tx: &mut crate::store::WriteTx, hostname: &str) -> Result<usize> {
    let mut moved = 0;
    for (namespace, name) in tx.image_stream_keys().await? {
        let Some(mut stream) = tx.image_stream(&namespace, &name).await? else {
            continue;
        };
        let repository = local_repository(hostname, &namespace, &name);
        if stream.status.docker_image_repository != repository {
            stream.status.docker_image_repository = repository;
            tx.update_image_stream(&mut stream).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The scheduled-import settings in force: the policy's run-time values
/// over the ones the server was started with.
pub async fn schedule_settings(services: &Services) -> Result<ScheduleSettings> {
    let policy = current(services).await?;
    Ok(merge(&services.settings.schedule, &policy.scheduled_import))
}

/// `started` with each value `changed` sets.
pub fn merge(started: &ScheduleSettings, changed: &ScheduledImportSettings) -> ScheduleSettings {
    ScheduleSettings {
        interval: changed
            .interval_seconds
            .map_or(started.interval, Duration::from_secs),
        minimum_interval: changed
            .minimum_interval_seconds
            .map_or(started.minimum_interval, Duration::from_secs),
        max_imports_per_minute: changed
            .max_imports_per_minute
            .unwrap_or(started.max_imports_per_minute),
        disabled: changed.disabled.unwrap_or(started.disabled),
        ..started.clone()
    }
}

async fn view(services: &Services) -> Result<ClusterSettingsView> {
    let (policy, stored) = stored(services).await?;
    let started = &services.settings.schedule;
    let effective = merge(started, &policy.scheduled_import);
    Ok(ClusterSettingsView {
        policy,
        resource_version: stored.as_ref().map_or(0, |s| s.resource_version),
        updated_by: stored
            .as_ref()
            .map(|s| s.updated_by.clone())
            .unwrap_or_default(),
        updated: stored.as_ref().map(|s| clock::from_millis(s.updated_at)),
        internal_registry_hostname: services.settings.internal_registry_hostname.clone(),
        schedule: started.view(),
        effective_schedule: effective.view(),
    })
}

async fn stored(
    services: &Services,
) -> Result<(ClusterImagePolicy, Option<crate::store::StoredSettings>)> {
    let stored = services.store.cluster_settings(DOCUMENT).await?;
    Ok((parse(stored.as_ref())?, stored))
}

/// The policy a stored row holds (none stored: no restriction).
fn parse(stored: Option<&crate::store::StoredSettings>) -> Result<ClusterImagePolicy> {
    match stored {
        Some(row) => serde_json::from_str(&row.document).map_err(|e| {
            Error::Internal(format!(
                "the stored cluster image policy is not readable: {e}"
            ))
        }),
        None => Ok(ClusterImagePolicy::default()),
    }
}

/// Entries trimmed and blank ones dropped, as a form's lines arrive.
fn tidy(mut policy: ClusterImagePolicy) -> ClusterImagePolicy {
    let lists = |list: &mut Vec<String>| {
        for entry in list.iter_mut() {
            *entry = entry.trim().to_owned();
        }
        list.retain(|entry| !entry.is_empty());
    };
    policy.internal_registry_hostname = policy.internal_registry_hostname.trim().to_owned();
    let sources = &mut policy.registry_sources;
    lists(&mut sources.allowed_registries);
    lists(&mut sources.blocked_registries);
    lists(&mut sources.insecure_registries);
    lists(&mut sources.container_runtime_search_registries);
    for entry in &mut policy.allowed_registries_for_import {
        entry.domain_name = entry.domain_name.trim().to_owned();
    }
    policy
        .allowed_registries_for_import
        .retain(|entry| !entry.domain_name.is_empty());
    for ca in &mut policy.additional_trusted_ca {
        ca.host = ca.host.trim().to_owned();
        ca.pem = ca.pem.trim().to_owned();
    }
    policy
        .additional_trusted_ca
        .retain(|ca| !(ca.host.is_empty() && ca.pem.is_empty()));
    policy
}

fn apply_trusted_cas(services: &Services, policy: &ClusterImagePolicy) {
    let bundles: Vec<(String, String)> = policy
        .additional_trusted_ca
        .iter()
        .map(|ca| (ca.registry(), ca.pem.clone()))
        .collect();
    if let Err(error) = services.registries.trust(&bundles) {
        tracing::warn!(%error, "the cluster image policy's CAs could not be used");
    }
}
