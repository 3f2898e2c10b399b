//! Object metadata in the shape of Kubernetes' `ObjectMeta`.
//!
//! Fields Kubernetes tools send that this product does not use
//! (`ownerReferences`, `finalizers`, …) are accepted so that exported objects
//! apply again, but not kept; `managedFields` is the server's own (an image
//! stream's field owners).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Time;

/// Standard object metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectMeta {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub generate_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub generation: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<Time>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub labels: BTreeMap<String, String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub annotations: BTreeMap<String, String>,
    /// Accepted from Kubernetes tools, never kept or returned (OpenShift 3's
    /// documentation spells it `selflink`).
    #[serde(default, skip_serializing, alias = "selflink")]
    pub self_link: Option<String>,
    /// Which manager owns which fields (server-side apply); set by the
    /// server, never taken from a request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_fields: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    pub owner_references: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    pub finalizers: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    pub deletion_grace_period_seconds: Option<serde_json::Value>,
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// Metadata of a list (`resourceVersion`, `continue`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(default, rename = "continue", skip_serializing_if = "String::is_empty")]
    pub continue_token: String,
}
