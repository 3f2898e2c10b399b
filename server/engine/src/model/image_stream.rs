//! Image streams: a named set of tags, each pointing at an image and
//! remembering its history. The JSON shape is OpenShift's `image.openshift.io/v1`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ObjectMeta, Time};

pub const IMAGE_STREAM_KIND: &str = "ImageStream";
/// The tag assumed when none is named.
pub const DEFAULT_TAG: &str = "latest";
/// Written on a stream when an import changed something (RFC 3339).
pub const REPOSITORY_CHECK_ANNOTATION: &str = "openshift.io/image.dockerRepositoryCheck";
/// On a stream: every tag may use insecure transport.
pub const INSECURE_REPOSITORY_ANNOTATION: &str = "openshift.io/image.insecureRepository";
/// The condition type import failures are reported with.
pub const IMPORT_SUCCESS: &str = "ImportSuccess";

/// An image stream.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageStream {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ImageStreamSpec,
    #[serde(default)]
    pub status: ImageStreamStatus,
}

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageStreamSpec {
    #[serde(default)]
    pub lookup_policy: ImageLookupPolicy,
    /// A repository to import every tag from (never a tag or digest).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docker_image_repository: String,
    /// Tags by name, sorted.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub tags: Vec<TagReference>,
}

/// `oc set image-lookup`: short references in this project resolve through the stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageLookupPolicy {
    #[serde(default)]
    pub local: bool,
}

/// One spec tag: where it points and how it is imported and consumed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagReference {
    pub name: String,
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ObjectReference>,
    /// A reference tag is never imported.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference: bool,
    #[serde(default)]
    pub generation: Option<i64>,
    #[serde(default)]
    pub import_policy: TagImportPolicy,
    #[serde(default)]
    pub reference_policy: TagReferencePolicy,
}

impl TagReference {
    /// The tag's annotation `key`, if set.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.as_ref()?.get(key).map(String::as_str)
    }

    /// Whether the tag is imported from a registry (a non-reference DockerImage tag).
    pub fn is_imported(&self) -> bool {
        !self.reference
            && self
                .from
                .as_ref()
                .is_some_and(|from| from.kind == SourceKind::DOCKER_IMAGE)
    }
}

/// Where a tag points: `kind` is `DockerImage`, `ImageStreamTag` or `ImageStreamImage`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectReference {
    #[serde(default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field_path: String,
}

/// The three kinds of tag source.
pub struct SourceKind;

impl SourceKind {
    pub const DOCKER_IMAGE: &'static str = "DockerImage";
    pub const IMAGE_STREAM_TAG: &'static str = "ImageStreamTag";
    pub const IMAGE_STREAM_IMAGE: &'static str = "ImageStreamImage";
}

/// How a tag is imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagImportPolicy {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scheduled: bool,
    /// `Legacy` (one platform of a manifest list) or `PreserveOriginal` (the whole list).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub import_mode: String,
}

/// The import modes.
pub struct ImportMode;

impl ImportMode {
    pub const LEGACY: &'static str = "Legacy";
    pub const PRESERVE_ORIGINAL: &'static str = "PreserveOriginal";
}

/// How consumers pull the tag's image: `Source` (the original location) or
/// `Local` (through the integrated registry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagReferencePolicy {
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// The reference policies.
pub struct ReferencePolicy;

impl ReferencePolicy {
    pub const SOURCE: &'static str = "Source";
    pub const LOCAL: &'static str = "Local";
}

/// What was observed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageStreamStatus {
    /// `<registry hostname>/<namespace>/<name>`.
    #[serde(default)]
    pub docker_image_repository: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub public_docker_image_repository: String,
    /// Histories by tag name, sorted.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub tags: Vec<NamedTagEventList>,
}

/// One tag's history, newest first, and its conditions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedTagEventList {
    pub tag: String,
    #[serde(default, deserialize_with = "super::serde_util::null_as_default")]
    pub items: Vec<TagEvent>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub conditions: Vec<TagEventCondition>,
}

impl NamedTagEventList {
    /// The tag's failed `ImportSuccess` condition: why its last import
    /// failed, if it did (a success clears it).
    pub fn import_failure(&self) -> Option<&TagEventCondition> {
        self.conditions
            .iter()
            .find(|c| c.kind == IMPORT_SUCCESS && c.status == "False")
    }
}

/// The tag pointed at this image from this time on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagEvent {
    pub created: Time,
    pub docker_image_reference: String,
    /// The image's digest; empty for reference tags.
    #[serde(default)]
    pub image: String,
    #[serde(default)]
    pub generation: i64,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::serde_util::null_as_default"
    )]
    pub platforms: Vec<String>,
}

/// A condition on a tag; `ImportSuccess` `False` reports a failed import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagEventCondition {
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default)]
    pub generation: i64,
}

impl ImageStream {
    /// The spec tag `name`.
    pub fn spec_tag(&self, name: &str) -> Option<&TagReference> {
        self.spec.tags.iter().find(|tag| tag.name == name)
    }

    /// The status (history and conditions) of tag `name`.
    pub fn status_tag(&self, name: &str) -> Option<&NamedTagEventList> {
        self.status.tags.iter().find(|tag| tag.tag == name)
    }

    /// The tag's current event (the top of its history).
    pub fn latest(&self, tag: &str) -> Option<&TagEvent> {
        self.status_tag(tag)?.items.first()
    }

    /// Every tag name in spec or status, sorted, without duplicates.
    pub fn tag_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .spec
            .tags
            .iter()
            .map(|tag| tag.name.clone())
            .chain(self.status.tags.iter().map(|tag| tag.tag.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// The most recent time any tag moved, if any did.
    pub fn last_updated(&self) -> Option<Time> {
        self.status
            .tags
            .iter()
            .filter_map(|tag| tag.items.first())
            .map(|event| event.created)
            .max()
    }

    /// The stream annotation `key`, if set.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata.annotations.get(key).map(String::as_str)
    }
}
