//! `ImageStreamImport` (`oc import-image`): what to import from which
//! registry into which tags, and, in the answer, what each import found.

use serde::{Deserialize, Serialize};

use super::{Image, ImageStream, ObjectMeta, ObjectReference, TagImportPolicy, TagReferencePolicy};

pub const IMAGE_STREAM_IMPORT_KIND: &str = "ImageStreamImport";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamImport {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub spec: ImageStreamImportSpec,
    #[serde(default)]
    pub status: ImageStreamImportStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageStreamImportSpec {
    /// `false` is a dry run: the answer says what would be imported and
    /// nothing is written.
    #[serde(default)]
    pub import: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageImportSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<RepositoryImportSpec>,
}

/// One image to import: `from` a `DockerImage` pull spec, `to` a tag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageImportSpec {
    pub from: ObjectReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<LocalObjectReference>,
    #[serde(default)]
    pub import_policy: TagImportPolicy,
    #[serde(default)]
    pub reference_policy: TagReferencePolicy,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub include_manifest: bool,
}

/// A whole repository to import (`oc import-image --all`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RepositoryImportSpec {
    pub from: ObjectReference,
    #[serde(default)]
    pub import_policy: TagImportPolicy,
    #[serde(default)]
    pub reference_policy: TagReferencePolicy,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub include_manifest: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalObjectReference {
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamImportStatus {
    /// The stream after the import (absent in a dry run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<ImageStream>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageImportStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<RepositoryImportStatus>,
}

/// What importing one image found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageImportStatus {
    pub status: ImportOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub tag: String,
    /// Every platform's image of a manifest list imported with `PreserveOriginal`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<Image>,
    /// The project's pull secret whose login the registry was asked with
    /// (empty: anonymously). An addition of this product to OpenShift's type.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub pull_secret: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryImportStatus {
    pub status: ImportOutcome,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageImportStatus>,
    /// Tags found in the repository beyond the bulk limit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_tags: Vec<String>,
}

/// A Kubernetes `Status`: `Success`, or `Failure` with reason and message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    #[serde(default)]
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub code: u16,
    /// How long the registry asked to wait before trying again; the
    /// scheduler honours it. Not part of the API.
    #[serde(skip)]
    pub retry_after_seconds: Option<u64>,
}

fn is_zero(code: &u16) -> bool {
    *code == 0
}

impl ImportOutcome {
    pub fn success() -> Self {
        ImportOutcome {
            status: "Success".into(),
            code: 200,
            ..ImportOutcome::default()
        }
    }

    pub fn failure(reason: &str, message: impl Into<String>, code: u16) -> Self {
        ImportOutcome {
            status: "Failure".into(),
            reason: reason.into(),
            message: message.into(),
            code,
            ..ImportOutcome::default()
        }
    }

    pub fn is_success(&self) -> bool {
        self.status == "Success"
    }
}
