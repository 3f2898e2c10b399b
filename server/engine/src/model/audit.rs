//! The audit log as pages and the API see it: one entry per change asked of
//! the server, and the filters it is browsed with.

use serde::{Deserialize, Serialize};

use super::Time;

/// One change asked of the server and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Time,
    /// Who asked: a user, `system:serviceaccount:<ns>:<name>`, or empty when
    /// the request carried no valid credentials.
    pub user: String,
    /// What: `create`, `update`, `delete`, `import`, `tag`, `sign-in`, …
    pub action: String,
    /// The kind of object: `imagestreams`, `secrets`, `rolebindings`, …
    pub kind: String,
    /// The object's project (empty for cluster-wide objects).
    pub namespace: String,
    pub name: String,
    /// From where: the client's address.
    pub client: String,
    /// The HTTP status the change was answered with.
    pub status: u16,
    /// Why it failed, in the words the caller was given (empty on success).
    pub message: String,
}

impl AuditEntry {
    pub fn succeeded(&self) -> bool {
        self.status < 400
    }
}

/// A change to record (the store numbers it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAuditEntry {
    pub at_ms: i64,
    pub user: String,
    pub action: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    pub client: String,
    pub status: u16,
    pub message: String,
}

/// Which entries to show, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditFilter {
    /// One project; empty: every project and cluster-wide changes (cluster
    /// admins only).
    #[serde(default)]
    pub namespace: String,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub kind: String,
    /// Only the refused and failed ones.
    #[serde(default)]
    pub failed_only: bool,
    /// Entries older than this id (the next page).
    #[serde(default)]
    pub before: Option<i64>,
}

/// A page of entries; `more` when older ones exist.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub more: bool,
}

/// Entries per page.
pub const AUDIT_PAGE_SIZE: usize = 50;
