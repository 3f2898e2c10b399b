//! Validation of image streams and tag references, with OpenShift's messages
//! and Kubernetes-style field paths (`spec.tags[2.0].from.kind`).

use super::{
    DockerImageReference, FieldError, ImageStream, ImportMode, ReferencePolicy, SourceKind,
    TagReference,
    reference::{NAME_TOTAL_LENGTH_MAX, is_tag},
};

/// The largest total size of a stream's annotations (as Kubernetes limits it).
pub const ANNOTATIONS_SIZE_MAX: usize = 256 * 1024;

/// Checks an image stream name: a path segment (not `.` or `..`, no `/` or
/// `%`) matching `[a-z0-9]+(?:[._-][a-z0-9]+)*`.
pub fn validate_stream_name(field: &str, name: &str) -> Result<(), FieldError> {
    let invalid = |why: &str| FieldError::new(field, format!("Invalid value: \"{name}\": {why}"));
    if name.is_empty() {
        return Err(FieldError::new(field, "Required value: name is required"));
    }
    if name == "." || name == ".." {
        return Err(invalid(&format!("may not be '{name}'")));
    }
    for forbidden in ['/', '%'] {
        if name.contains(forbidden) {
            return Err(invalid(&format!("may not contain '{forbidden}'")));
        }
    }
    if !is_stream_name(name) {
        return Err(invalid("must match \"[a-z0-9]+(?:[._-][a-z0-9]+)*\""));
    }
    Ok(())
}

fn is_stream_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && alnum(&bytes[0])
        && alnum(&bytes[bytes.len() - 1])
        && bytes
            .windows(2)
            .all(|pair| alnum(&pair[0]) || alnum(&pair[1]))
        && bytes
            .iter()
            .all(|b| alnum(b) || matches!(b, b'.' | b'_' | b'-'))
}

/// Checks a tag name as `oc tag` does: `[\w][\w.-]{0,127}`.
pub fn validate_tag_name(field: &str, tag: &str) -> Result<(), FieldError> {
    if tag.is_empty() {
        return Err(FieldError::new(
            field,
            "Required value: a tag name is required",
        ));
    }
    if !is_tag(tag) {
        return Err(FieldError::new(
            field,
            format!(
                "Invalid value: \"{tag}\": a tag must start with a letter, digit or '_' and contain only \
                 letters, digits, '_', '.' and '-', at most 128 characters"
            ),
        ));
    }
    Ok(())
}

/// Checks a whole image stream (after defaults were filled in).
pub fn validate_stream(stream: &ImageStream) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let meta = &stream.metadata;
    if let Err(error) = validate_stream_name("metadata.name", &meta.name) {
        errors.push(error);
    } else if meta.namespace.len() + 1 + meta.name.len() > NAME_TOTAL_LENGTH_MAX {
        errors.push(FieldError::new(
            "metadata.name",
            format!("Invalid value: \"{}\": 'namespace/name' cannot be longer than {NAME_TOTAL_LENGTH_MAX} characters", meta.name),
        ));
    }
    let annotations_size: usize = meta
        .annotations
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    if annotations_size > ANNOTATIONS_SIZE_MAX {
        errors.push(FieldError::new(
            "metadata.annotations",
            format!("Too long: must have at most {ANNOTATIONS_SIZE_MAX} bytes"),
        ));
    }
    for key in meta.labels.keys().chain(meta.annotations.keys()) {
        if key.is_empty() || key.len() > 316 || key.chars().any(char::is_whitespace) {
            errors.push(FieldError::new(
                "metadata",
                format!("Invalid value: \"{key}\": not a valid label or annotation key"),
            ));
        }
    }

    let repository = &stream.spec.docker_image_repository;
    if !repository.is_empty() {
        let field = "spec.dockerImageRepository";
        match DockerImageReference::parse(repository) {
            Err(error) => errors.push(FieldError::new(
                field,
                format!("Invalid value: \"{repository}\": {error}"),
            )),
            Ok(reference) if !reference.tag.is_empty() => errors.push(FieldError::new(
                field,
                format!(
                    "Invalid value: \"{repository}\": the repository name may not contain a tag"
                ),
            )),
            Ok(reference) if !reference.id.is_empty() => errors.push(FieldError::new(
                field,
                format!(
                    "Invalid value: \"{repository}\": the repository name may not contain an ID"
                ),
            )),
            Ok(_) => {}
        }
    }

    for tag in &stream.spec.tags {
        errors.extend(validate_tag_reference(
            &format!("spec.tags[{}]", tag.name),
            tag,
        ));
    }
    errors
}

/// Checks one spec tag. `path` is the tag's field path.
pub fn validate_tag_reference(path: &str, tag: &TagReference) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(error) = validate_tag_name(&format!("{path}.name"), &tag.name) {
        errors.push(error);
    }
    if let Some(from) = &tag.from {
        if from.name.is_empty() {
            errors.push(FieldError::new(
                format!("{path}.from.name"),
                "Required value",
            ));
        }
        match from.kind.as_str() {
            SourceKind::DOCKER_IMAGE => {
                if !from.name.is_empty()
                    && let Err(error) = DockerImageReference::parse(&from.name)
                {
                    errors.push(FieldError::new(
                        format!("{path}.from.name"),
                        format!("Invalid value: \"{}\": {error}", from.name),
                    ));
                }
            }
            SourceKind::IMAGE_STREAM_TAG | SourceKind::IMAGE_STREAM_IMAGE => {
                if tag.import_policy.scheduled {
                    errors.push(FieldError::new(
                        format!("{path}.importPolicy.scheduled"),
                        "Invalid value: true: only tags pointing to Docker repositories may be scheduled for background import",
                    ));
                }
            }
            _ => errors.push(FieldError::new(
                format!("{path}.from.kind"),
                if from.kind.is_empty() {
                    "Required value: valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'".to_owned()
                } else {
                    format!(
                        "Unsupported value: \"{}\": valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'",
                        from.kind
                    )
                },
            )),
        }
    }
    let policy = &tag.reference_policy.kind;
    if policy != ReferencePolicy::SOURCE && policy != ReferencePolicy::LOCAL {
        errors.push(FieldError::new(
            format!("{path}.referencePolicy.type"),
            format!("Unsupported value: \"{policy}\": valid values are \"Source\", \"Local\""),
        ));
    }
    let mode = &tag.import_policy.import_mode;
    if mode != ImportMode::LEGACY && mode != ImportMode::PRESERVE_ORIGINAL {
        errors.push(FieldError::new(
            format!("{path}.importPolicy.importMode"),
            format!("Unsupported value: \"{mode}\": valid ImportMode values are Legacy or PreserveOriginal"),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectMeta, ObjectReference, TagImportPolicy, TagReferencePolicy};

    #[test]
    fn stream_names_follow_openshift() {
        for good in ["ruby", "my-ruby", "a.b_c-d", "2048"] {
            assert_eq!(
                validate_stream_name("metadata.name", good),
                Ok(()),
                "{good}"
            );
        }
        let message = |name| {
            validate_stream_name("metadata.name", name)
                .unwrap_err()
                .message
        };
        assert_eq!(message(""), "Required value: name is required");
        assert_eq!(message(".."), "Invalid value: \"..\": may not be '..'");
        assert_eq!(
            message("a/b"),
            "Invalid value: \"a/b\": may not contain '/'"
        );
        assert_eq!(
            message("a%b"),
            "Invalid value: \"a%b\": may not contain '%'"
        );
        for bad in ["Ruby", "-ruby", "ruby-", "ru--by", "ru._by", "ru by"] {
            assert!(message(bad).contains("must match"), "{bad}");
        }
    }

    #[test]
    fn tag_names_follow_oc_tag() {
        for good in ["latest", "2.0", "v1.2-rc1", "_x", &"a".repeat(128)] {
            assert_eq!(validate_tag_name("t", good), Ok(()), "{good}");
        }
        for bad in ["", ".x", "-x", "a:b", "a/b", "a@b", &"a".repeat(129)] {
            assert!(validate_tag_name("t", bad).is_err(), "{bad}");
        }
    }

    fn tag(name: &str, kind: &str, from: &str) -> TagReference {
        TagReference {
            name: name.into(),
            from: Some(ObjectReference {
                kind: kind.into(),
                name: from.into(),
                ..ObjectReference::default()
            }),
            import_policy: TagImportPolicy {
                import_mode: "Legacy".into(),
                ..TagImportPolicy::default()
            },
            reference_policy: TagReferencePolicy {
                kind: "Source".into(),
            },
            ..TagReference::default()
        }
    }

    fn stream(tags: Vec<TagReference>) -> ImageStream {
        ImageStream {
            metadata: ObjectMeta {
                name: "ruby".into(),
                namespace: "team".into(),
                ..ObjectMeta::default()
            },
            spec: crate::model::ImageStreamSpec {
                tags,
                ..Default::default()
            },
            ..ImageStream::default()
        }
    }

    fn problems(stream: &ImageStream) -> Vec<String> {
        validate_stream(stream)
            .into_iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn a_valid_stream_has_no_problems() {
        let s = stream(vec![
            tag(
                "2.0",
                "DockerImage",
                "docker.io/openshift/ruby-20-centos7:latest",
            ),
            tag("latest", "ImageStreamTag", "2.0"),
        ]);
        assert!(problems(&s).is_empty(), "{:?}", problems(&s));
    }

    #[test]
    fn bad_tags_are_named_by_path() {
        let mut scheduled_alias = tag("latest", "ImageStreamTag", "2.0");
        scheduled_alias.import_policy.scheduled = true;
        let mut bad_policy = tag("x", "DockerImage", "ruby");
        bad_policy.reference_policy.kind = "Remote".into();
        bad_policy.import_policy.import_mode = "Everything".into();
        let s = stream(vec![
            tag("a", "Docker", "ruby"),
            tag("b", "DockerImage", "Ruby:2"),
            tag("c", "", "ruby"),
            scheduled_alias,
            bad_policy,
            tag("bad:name", "DockerImage", "ruby"),
        ]);
        assert_eq!(
            problems(&s),
            [
                "spec.tags[a].from.kind: Unsupported value: \"Docker\": valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'",
                "spec.tags[b].from.name: Invalid value: \"Ruby:2\": repository name must be lowercase",
                "spec.tags[c].from.kind: Required value: valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'",
                "spec.tags[latest].importPolicy.scheduled: Invalid value: true: only tags pointing to Docker repositories may be scheduled for background import",
                "spec.tags[x].referencePolicy.type: Unsupported value: \"Remote\": valid values are \"Source\", \"Local\"",
                "spec.tags[x].importPolicy.importMode: Unsupported value: \"Everything\": valid ImportMode values are Legacy or PreserveOriginal",
                "spec.tags[bad:name].name: Invalid value: \"bad:name\": a tag must start with a letter, digit or '_' and contain only letters, digits, '_', '.' and '-', at most 128 characters",
            ]
        );
    }

    #[test]
    fn the_repository_is_never_a_tag_or_digest() {
        let mut s = stream(vec![]);
        s.spec.docker_image_repository = "docker.io/openshift/ruby-20-centos7:latest".into();
        assert_eq!(
            problems(&s),
            [
                "spec.dockerImageRepository: Invalid value: \"docker.io/openshift/ruby-20-centos7:latest\": the repository name may not contain a tag"
            ]
        );
        s.spec.docker_image_repository = "docker.io/openshift/ruby-20-centos7".into();
        assert!(problems(&s).is_empty());
    }

    #[test]
    fn namespace_and_name_together_stay_within_255() {
        let mut s = stream(vec![]);
        s.metadata.name = "a".repeat(251);
        assert!(problems(&s)[0].contains("'namespace/name' cannot be longer than 255 characters"));
    }
}
