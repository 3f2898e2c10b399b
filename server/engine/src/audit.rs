//! The audit log: every change asked of the server is recorded by the
//! server's edge (who, what, which object, from where, the answer) and read
//! back here, by cluster admins for everything and by project admins for
//! their projects.

use crate::{
    Result, Services,
    access::Caller,
    model::{
        access::{Resource, Verb},
        audit::{AUDIT_PAGE_SIZE, AuditFilter, AuditPage, NewAuditEntry},
    },
};

/// Appends `entry`; a failure is logged, never passed on (the change it
/// describes has already been answered).
pub async fn record(services: &Services, entry: NewAuditEntry) {
    if let Err(error) = services.store.insert_audit_entry(&entry).await {
        tracing::error!(%error, action = %entry.action, kind = %entry.kind, "the audit log could not be written");
    }
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
