//! The audit log: every change asked of the server is recorded by the
//! server's edge (who, what, which object, from where, the answer) and read
//! back here, by cluster admins for everything and by project admins for
//! their projects. Entries older than the retention are pruned hourly.

use crate::{
    Result, Services,
    access::Caller,
    clock,
    model::{
        access::{Resource, Verb},
        audit::{AUDIT_PAGE_SIZE, AuditEntry, AuditFilter, AuditPage, NewAuditEntry},
    },
};

/// Appends `entry`; a failure is logged, never passed on (the change it
/// describes has already been answered).
pub async fn record(services: &Services, entry: NewAuditEntry) {
    if let Err(error) = services.store.insert_audit_entry(&entry).await {
        tracing::error!(%error, action = %entry.action, kind = %entry.kind, "the audit log could not be written");
    }
}

/// Forgets the entries older than the retention (none when it is zero);
/// returns how many.
pub async fn prune(services: &Services) -> Result<u64> {
    let days = services.settings.audit_retention_days;
    if days == 0 {
        return Ok(0);
    }
    let before = clock::now_millis() - i64::from(days) * 24 * 3600 * 1000;
    services.store.prune_audit_entries(before).await
}

/// Prunes once an hour until `shutdown`.
pub async fn run_retention(services: Services, shutdown: impl std::future::Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        match prune(&services).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "old audit log entries pruned"),
            Err(error) => tracing::warn!(%error, "could not prune the audit log"),
        }
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
        }
    }
}

/// Most entries one export holds (the newest).
pub const EXPORT_LIMIT: usize = 100_000;

/// Every entry `filter` selects, newest first, up to [`EXPORT_LIMIT`], for
/// the same callers as [`list`] (`filter.before` is ignored).
pub async fn export(
    services: &Services,
    caller: &Caller,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>> {
    const BATCH: usize = 1_000;
    caller.require(Verb::List, Resource::AuditEvents, &filter.namespace)?;
    let mut filter = AuditFilter {
        before: None,
        ..filter.clone()
    };
    let mut entries = Vec::new();
    loop {
        let batch = services.store.audit_entries(&filter, BATCH).await?;
        let last = batch.len() < BATCH;
        filter.before = batch.last().map(|entry| entry.id);
        entries.extend(batch);
        if last || entries.len() >= EXPORT_LIMIT {
            break;
        }
    }
    entries.truncate(EXPORT_LIMIT);
    Ok(entries)
}

/// A page of entries matching `filter`, newest first. Without a project the
/// whole log is read, which needs `cluster-admin`.
pub async fn list(services: &Services, caller: &Caller, filter: &AuditFilter) -> Result<AuditPage> {
    caller.require(Verb::List, Resource::AuditEvents, &filter.namespace)?;
    let mut entries = services
        .store
        .audit_entries(filter, AUDIT_PAGE_SIZE + 1)
        .await?;
    let more = entries.len() > AUDIT_PAGE_SIZE;
    entries.truncate(AUDIT_PAGE_SIZE);
    Ok(AuditPage { entries, more })
}
