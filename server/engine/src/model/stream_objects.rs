//! The objects derived from a stream: `ImageStreamTag` (`name:tag`),
//! `ImageStreamImage` (`name@id`) and `ImageStreamMapping` ("an image was
//! pushed to this tag"), in the shape of `image.openshift.io/v1`.

use serde::{Deserialize, Serialize};

use super::{
    DockerImageReference, FieldError, Image, ImageLookupPolicy, ImageStream, ObjectMeta,
    ReferencePolicy, TagEvent, TagEventCondition, TagReference,
    validate_stream::validate_stream_name,
};

/// A tag with its current image (`oc get istag name:tag -o yaml`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageStreamTag {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The spec tag; absent when only pushes or mappings made the tag.
    #[serde(default)]
    pub tag: Option<TagReference>,
    #[serde(default)]
    pub generation: i64,
    #[serde(default)]
    pub lookup_policy: ImageLookupPolicy,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<TagEventCondition>,
    #[serde(default)]
    pub image: Image,
}

/// An image of a stream by digest prefix (`oc get isimage name@id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamImage {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub image: Image,
}

/// "The registry received `image` for `metadata.name`:`tag`."
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageStreamMapping {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    pub image: Image,
    #[serde(default)]
    pub tag: String,
}

/// Splits `name:tag` (exactly one `:`, no `@`).
pub fn split_stream_tag(id: &str) -> Result<(&str, &str), FieldError> {
    let bad = || {
        FieldError::new(
            "metadata.name",
            format!("Invalid value: \"{id}\": must be of the form <stream_name>:<tag>"),
        )
    };
    if id.contains('@') || id.matches(':').count() != 1 {
        return Err(bad());
    }
    let (name, tag) = id.split_once(':').ok_or_else(bad)?;
    if name.is_empty() || tag.is_empty() {
        return Err(bad());
    }
    Ok((name, tag))
}

/// Splits `name@id` (exactly one `@`).
pub fn split_stream_image(id: &str) -> Result<(&str, &str), FieldError> {
    let bad = || {
        FieldError::new(
            "metadata.name",
            format!("Invalid value: \"{id}\": must be of the form <stream_name>@<id>"),
        )
    };
    let (name, image) = id.split_once('@').ok_or_else(bad)?;
    if name.is_empty() || image.is_empty() || image.contains('@') {
        return Err(bad());
    }
    validate_stream_name("metadata.name", name)?;
    Ok((name, image))
}

/// The pull spec consumers get for a tag's event: with reference policy
/// `Local` and an image digest, `<status.dockerImageRepository>@<digest>`
/// (pull-through the integrated registry); otherwise the event's own pull spec.
pub fn resolved_pull_spec(stream: &ImageStream, tag: &str, event: &TagEvent) -> String {
    let local = stream
        .spec_tag(tag)
        .is_some_and(|spec| spec.reference_policy.kind == ReferencePolicy::LOCAL);
    if !local || event.image.is_empty() {
        return event.docker_image_reference.clone();
    }
    match DockerImageReference::parse(&stream.status.docker_image_repository) {
        Ok(repository) => repository.with_digest(&event.image).exact(),
        Err(_) => event.docker_image_reference.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ImageStreamSpec, Time};

    #[test]
    fn stream_tag_names_have_exactly_one_colon() {
        assert_eq!(split_stream_tag("ruby:2.0").unwrap(), ("ruby", "2.0"));
        for bad in ["ruby", "ruby:2.0:x", "ruby@sha256:x", ":2.0", "ruby:"] {
            assert!(split_stream_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stream_image_names_have_one_at() {
        assert_eq!(split_stream_image("ruby@3a33").unwrap(), ("ruby", "3a33"));
        for bad in ["ruby", "ruby@", "@x", "ruby@a@b", "Ruby@x"] {
            assert!(split_stream_image(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn local_reference_policy_pulls_through_the_integrated_registry() {
        let digest = "sha256:3a335d7d8a452970c5b4054ad7118ff134b3a6b50a2bb6d0c07c746e8986b28e";
        let mut stream = ImageStream {
            spec: ImageStreamSpec {
                tags: vec![TagReference {
                    name: "2.0".into(),
                    ..TagReference::default()
                }],
                ..ImageStreamSpec::default()
            },
            ..ImageStream::default()
        };
        stream.status.docker_image_repository = "registry.local:5000/team/ruby".into();
        let event = TagEvent {
            created: Time::EPOCH,
            docker_image_reference: format!("docker.io/ruby@{digest}"),
            image: digest.into(),
            generation: 1,
            platforms: Vec::new(),
        };
        stream.spec.tags[0].reference_policy.kind = "Source".into();
        assert_eq!(
            resolved_pull_spec(&stream, "2.0", &event),
            format!("docker.io/ruby@{digest}")
        );
        stream.spec.tags[0].reference_policy.kind = "Local".into();
        assert_eq!(
            resolved_pull_spec(&stream, "2.0", &event),
            format!("registry.local:5000/team/ruby@{digest}")
        );
        let reference_only = TagEvent {
            image: String::new(),
            ..event
        };
        assert_eq!(
            resolved_pull_spec(&stream, "2.0", &reference_only),
            reference_only.docker_image_reference
        );
    }
}
