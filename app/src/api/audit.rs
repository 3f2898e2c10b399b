//! Server function for the audit log: a page of entries, newest first,
//! filtered by project, user, kind and failures.

use engine::model::audit::{AuditFilter, AuditPage};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// Entries the caller may read: a project's (its admins), or every
/// project's when `filter.namespace` is empty (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_audit_log", input = Json)]
pub async fn list_audit_log(filter: AuditFilter) -> Result<AuditPage, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::audit::list(&services, &caller, &filter).await)
}
