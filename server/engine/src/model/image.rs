//! Images: cluster-wide, immutable, named by their manifest digest.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ObjectMeta, Time};

pub const IMAGE_API_VERSION: &str = "image.openshift.io/v1";

/// An image and its metadata, as `oc get image` shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Image {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub docker_image_reference: String,
    #[serde(default)]
    pub docker_image_metadata: DockerImageMetadata,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docker_image_metadata_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docker_image_manifest_media_type: String,
    /// Layers, oldest first. Empty for a manifest list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docker_image_layers: Vec<ImageLayer>,
    /// The platforms of a manifest list. Empty for a single image.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docker_image_manifests: Vec<ImageManifest>,
    /// Raw manifest and config, accepted from mappings but not kept.
    #[serde(default, skip_serializing)]
    pub docker_image_manifest: Option<String>,
    #[serde(default, skip_serializing)]
    pub docker_image_config: Option<String>,
    #[serde(default, skip_serializing)]
    pub signatures: Option<serde_json::Value>,
    #[serde(default, skip_serializing)]
    pub docker_image_signatures: Option<serde_json::Value>,
}

impl Image {
    /// The image's digest (its name).
    pub fn digest(&self) -> &str {
        &self.metadata.name
    }

    /// Whether this image is a manifest list (several platforms).
    pub fn is_manifest_list(&self) -> bool {
        !self.docker_image_manifests.is_empty()
    }
}

/// Docker-style image metadata (`dockerImageMetadata`), keys as Docker writes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DockerImageMetadata {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(
        default,
        rename = "apiVersion",
        skip_serializing_if = "String::is_empty"
    )]
    pub api_version: String,
    /// The config digest.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Time>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docker_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub architecture: String,
    #[serde(default, skip_serializing_if = "String::is_empty", rename = "Os")]
    pub os: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// Unique layer sizes plus the config size, in bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub size: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<ContainerConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_config: Option<serde_json::Value>,
}

fn is_zero(value: &i64) -> bool {
    *value == 0
}

/// What a container of this image runs with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContainerConfig {
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub env: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub cmd: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub entrypoint: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub exposed_ports: BTreeMap<String, serde_json::Value>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub image: String,
}

/// One layer: its digest, size and media type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageLayer {
    pub name: String,
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub media_type: String,
}

/// One platform of a manifest list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageManifest {
    pub digest: String,
    #[serde(default)]
    pub media_type: String,
    #[serde(default)]
    pub manifest_size: i64,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub os: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
}

impl ImageManifest {
    /// `os/architecture[/variant]`, as platforms are usually written.
    pub fn platform(&self) -> String {
        if self.variant.is_empty() {
            format!("{}/{}", self.os, self.architecture)
        } else {
            format!("{}/{}/{}", self.os, self.architecture, self.variant)
        }
    }
}
