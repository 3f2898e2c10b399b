//! Pull secrets as pages see them: the registries and usernames a project's
//! secret logs in with, and the service accounts it is linked to. Passwords
//! never leave the server.

use serde::{Deserialize, Serialize};

use super::Time;

/// A pull secret of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullSecretView {
    pub namespace: String,
    pub name: String,
    pub logins: Vec<PullSecretLogin>,
    /// Service accounts that pull with it (`oc secrets link <sa> <secret> --for=pull`).
    pub service_accounts: Vec<String>,
    pub created: Time,
    pub created_by: String,
}

/// One registry login of a pull secret, without its password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullSecretLogin {
    /// The registry key as given: `quay.io`, `registry.example.com/team`.
    pub registry: String,
    pub username: String,
}
