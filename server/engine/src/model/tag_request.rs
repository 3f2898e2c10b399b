//! `oc tag` as a request: a source (a tag, an image of a stream, or a pull
//! spec), a destination `<stream>:<tag>`, and the flags. Checked here with
//! `oc tag`'s own messages, so the console can say what is wrong as the user
//! types.

use serde::{Deserialize, Serialize};

use super::{
    DockerImageReference, FieldError, ReferencePolicy, SourceKind,
    validate_stream::{validate_stream_name, validate_tag_name},
};

/// What the source names, when the user says so (otherwise it is inferred).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceHint {
    /// Inferred like `oc tag`: a registry means a pull spec, `@id` an image of
    /// a stream, `:tag` a tag of a stream, anything else a pull spec.
    #[default]
    Auto,
    ImageStreamTag,
    ImageStreamImage,
    DockerImage,
}

/// An `oc tag SOURCE DEST` request in a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRequest {
    pub source: String,
    #[serde(default)]
    pub source_hint: SourceHint,
    /// `<stream>:<tag>` in the request's project.
    pub destination: String,
    /// Track the source tag (`--alias`); same stream only.
    #[serde(default)]
    pub alias: bool,
    /// Never import, point at the pull spec (`--reference`).
    #[serde(default)]
    pub reference: bool,
    #[serde(default)]
    pub scheduled: bool,
    #[serde(default)]
    pub insecure: bool,
    /// `Source` or `Local` (`--reference-policy`).
    #[serde(default = "source_policy")]
    pub reference_policy: String,
    /// `Legacy` or `PreserveOriginal` (`--import-mode`).
    #[serde(default = "legacy_mode")]
    pub import_mode: String,
}

fn source_policy() -> String {
    ReferencePolicy::SOURCE.into()
}

fn legacy_mode() -> String {
    super::ImportMode::LEGACY.into()
}

impl Default for TagRequest {
    fn default() -> Self {
        TagRequest {
            source: String::new(),
            source_hint: SourceHint::Auto,
            destination: String::new(),
            alias: false,
            reference: false,
            scheduled: false,
            insecure: false,
            reference_policy: source_policy(),
            import_mode: legacy_mode(),
        }
    }
}

/// A checked request: the parsed source and its kind, the destination parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedTagRequest {
    pub source: DockerImageReference,
    /// `DockerImage`, `ImageStreamTag` or `ImageStreamImage`.
    pub source_kind: &'static str,
    pub stream: String,
    pub tag: String,
}

impl TagRequest {
    /// Checks the request as `oc tag` does, naming the field at fault.
    pub fn check(&self) -> Result<CheckedTagRequest, FieldError> {
        let (stream, tag) = split_destination(&self.destination)?;
        let source = DockerImageReference::parse(self.source.trim())
            .map_err(|error| FieldError::new("source", format!("invalid SOURCE: {error}")))?;
        let source_kind = match self.source_hint {
            SourceHint::ImageStreamTag | SourceHint::ImageStreamImage
                if !source.registry.is_empty() =>
            {
                return Err(FieldError::new(
                    "source",
                    "server in SOURCE is only allowed when providing a container image",
                ));
            }
            SourceHint::ImageStreamTag if source.tag.is_empty() => {
                return Err(FieldError::new(
                    "source",
                    "--source=ImageStreamTag requires a valid <name>:<tag> in SOURCE",
                ));
            }
            SourceHint::ImageStreamImage if source.id.is_empty() => {
                return Err(FieldError::new(
                    "source",
                    "--source=ImageStreamImage requires a valid <name>@<id> in SOURCE",
                ));
            }
            SourceHint::ImageStreamTag => SourceKind::IMAGE_STREAM_TAG,
            SourceHint::ImageStreamImage => SourceKind::IMAGE_STREAM_IMAGE,
            SourceHint::DockerImage => SourceKind::DOCKER_IMAGE,
            SourceHint::Auto if !source.registry.is_empty() => SourceKind::DOCKER_IMAGE,
            SourceHint::Auto if !source.id.is_empty() => SourceKind::IMAGE_STREAM_IMAGE,
            SourceHint::Auto if !source.tag.is_empty() => SourceKind::IMAGE_STREAM_TAG,
            SourceHint::Auto => SourceKind::DOCKER_IMAGE,
        };
        if self.reference_policy != ReferencePolicy::SOURCE
            && self.reference_policy != ReferencePolicy::LOCAL
        {
            return Err(FieldError::new(
                "referencePolicy",
                "reference policy must be set to 'source' or 'local'",
            ));
        }
        if self.import_mode != super::ImportMode::LEGACY
            && self.import_mode != super::ImportMode::PRESERVE_ORIGINAL
        {
            return Err(FieldError::new(
                "importMode",
                "valid ImportMode values are Legacy or PreserveOriginal",
            ));
        }
        if source_kind != SourceKind::DOCKER_IMAGE && (self.scheduled || self.insecure) {
            return Err(FieldError::new(
                "scheduled",
                "only container images can have importing flags set",
            ));
        }
        if self.alias {
            if self.scheduled || self.insecure {
                return Err(FieldError::new(
                    "alias",
                    "cannot set a container image tag as an alias and also set import flags",
                ));
            }
            let same_stream = source_kind == SourceKind::IMAGE_STREAM_TAG
                && source.namespace.is_empty()
                && source.name == stream;
            if !same_stream {
                return Err(FieldError::new(
                    "alias",
                    "cannot set alias across different Image Streams",
                ));
            }
        }
        Ok(CheckedTagRequest {
            source,
            source_kind,
            stream,
            tag,
        })
    }
}

/// Splits `<stream>:<tag>`, checking both names.
pub fn split_destination(destination: &str) -> Result<(String, String), FieldError> {
    let field = "destination";
    let Some((stream, tag)) = destination.trim().split_once(':') else {
        return Err(FieldError::new(
            field,
            format!("\"{destination}\" must be of the form <stream_name>:<tag>"),
        ));
    };
    validate_stream_name(field, stream).map_err(|e| FieldError::new(field, e.message))?;
    validate_tag_name(field, tag).map_err(|e| FieldError::new(field, e.message))?;
    Ok((stream.to_owned(), tag.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(source: &str, destination: &str) -> TagRequest {
        TagRequest {
            source: source.into(),
            destination: destination.into(),
            ..TagRequest::default()
        }
    }

    #[test]
    fn the_source_kind_is_inferred_like_oc_tag() {
        let kind = |source| request(source, "ruby:x").check().unwrap().source_kind;
        assert_eq!(kind("docker.io/python:3.6.0"), "DockerImage");
        assert_eq!(kind("python"), "DockerImage");
        assert_eq!(kind("ruby:2.0"), "ImageStreamTag");
        assert_eq!(
            kind("ruby@sha256:3a335d7d8a452970c5b4054ad7118ff134b3a6b50a2bb6d0c07c746e8986b28e"),
            "ImageStreamImage"
        );
    }

    #[test]
    fn aliases_stay_within_one_stream() {
        let alias = |source: &str, destination: &str| TagRequest {
            alias: true,
            ..request(source, destination)
        };
        assert!(alias("ruby:2.0", "ruby:latest").check().is_ok());
        for (source, destination) in [
            ("python:3", "ruby:latest"),
            ("other/ruby:2.0", "ruby:latest"),
            ("quay.io/ruby:2.0", "ruby:latest"),
        ] {
            let error = alias(source, destination).check().unwrap_err();
            assert_eq!(
                error.message, "cannot set alias across different Image Streams",
                "{source}"
            );
        }
    }

    #[test]
    fn import_flags_need_a_pull_spec() {
        let error = TagRequest {
            scheduled: true,
            ..request("ruby:2.0", "ruby:latest")
        }
        .check()
        .unwrap_err();
        assert_eq!(
            error.message,
            "only container images can have importing flags set"
        );
        assert!(
            TagRequest {
                scheduled: true,
                ..request("docker.io/ruby:2.0", "ruby:latest")
            }
            .check()
            .is_ok()
        );
    }

    #[test]
    fn the_destination_must_be_stream_and_tag() {
        for (destination, expected) in [
            ("ruby", "\"ruby\" must be of the form <stream_name>:<tag>"),
            ("Ruby:2", "must match"),
            ("ruby:.bad", "a tag must start with"),
        ] {
            let error = request("python", destination).check().unwrap_err();
            assert_eq!(error.field, "destination");
            assert!(
                error.message.contains(expected),
                "{destination}: {}",
                error.message
            );
        }
    }

    #[test]
    fn a_bad_source_says_so() {
        let error = request("Python:3", "ruby:x").check().unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.message.as_str()),
            (
                "source",
                "invalid SOURCE: repository name must be lowercase"
            )
        );
    }
}
