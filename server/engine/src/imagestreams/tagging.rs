//! `oc tag` in the console: tag a tag, an image or a pull spec into a
//! stream (permanently, as an alias or as a reference), or delete a tag;
//! answered with the message `oc` prints.

use super::{put_tag, tags::delete_tag};
use crate::field_management::FieldOwner;
use crate::{
    Error, Result, Services,
    model::{
        DockerImageReference, ImageStreamTag, ObjectMeta, ObjectReference, SourceKind,
        TagImportPolicy, TagReference, TagReferencePolicy, TagRequest, split_destination,
    },
    resources::IMAGE_STREAMS,
};

/// Tags whose `from` names a stream of another project (`ImageStreamTag` or
/// `ImageStreamImage` with a namespace) need the caller to be allowed to
/// pull from that project.
pub fn require_references_access<'a>(
    caller: &crate::access::Caller,
    namespace: &str,
    tags: impl IntoIterator<Item = &'a crate::model::TagReference>,
) -> Result<()> {
    for from in tags.into_iter().filter_map(|tag| tag.from.as_ref()) {
        if from.kind != SourceKind::DOCKER_IMAGE
            && !from.namespace.is_empty()
            && from.namespace != namespace
        {
            caller.require(
                crate::model::access::Verb::Get,
                crate::model::access::Resource::ImageStreamLayers,
                &from.namespace,
            )?;
        }
    }
    Ok(())
}

/// A tag whose source is a stream of another project needs the caller to be
/// allowed to pull from that project (`system:image-puller` there, or more).
pub fn require_source_access(
    caller: &crate::access::Caller,
    namespace: &str,
    request: &TagRequest,
) -> Result<()> {
    let Ok(checked) = request.check() else {
        // The tag itself reports what is wrong with the request.
        return Ok(());
    };
    let source_namespace = checked.source.namespace.as_str();
    if checked.source_kind == SourceKind::DOCKER_IMAGE
        || source_namespace.is_empty()
        || source_namespace == namespace
    {
        return Ok(());
    }
    caller.require(
        crate::model::access::Verb::Get,
        crate::model::access::Resource::ImageStreamLayers,
        source_namespace,
    )
}

/// Runs `oc tag SOURCE DEST` in `namespace` and returns `oc`'s message, e.g.
/// `Tag python:3.6 set to docker.io/python:3.6.0.`
///
/// Tagging a tag without `alias` copies the image it points at now (a
/// permanent tag); with `alias` the new tag follows the source. A pull spec is
/// imported (or, with `reference`, only pointed at). The tag's annotations are
/// kept.
pub async fn tag(services: &Services, namespace: &str, request: TagRequest) -> Result<String> {
    let checked = request.check()?;
    let mut source = checked.source.clone();
    let mut kind = checked.source_kind;
    if kind == SourceKind::IMAGE_STREAM_TAG && !request.alias {
        let source_namespace = if source.namespace.is_empty() {
            namespace
        } else {
            source.namespace.as_str()
        };
        let stream = services
            .store
            .image_stream(source_namespace, &source.name)
            .await?
            .ok_or_else(|| Error::not_found(IMAGE_STREAMS, &source.name))?;
        let event = stream.latest(&source.tag).ok_or_else(|| {
            Error::invalid(
                "source",
                format!("\"{}\" is not currently pointing to an image, cannot use it as the source of a tag", request.source),
            )
        })?;
        if event.image.is_empty() {
            source = DockerImageReference::parse(&event.docker_image_reference).map_err(|error| {
                Error::invalid(
                    "source",
                    format!("the image stream tag \"{}\" has an invalid pull spec and cannot be used to tag: {error}", request.source),
                )
            })?;
            kind = SourceKind::DOCKER_IMAGE;
        } else {
            source.id = event.image.clone();
            source.tag.clear();
            kind = SourceKind::IMAGE_STREAM_IMAGE;
        }
    }
    let from = match kind {
        SourceKind::DOCKER_IMAGE => ObjectReference {
            kind: kind.into(),
            name: source.exact(),
            ..ObjectReference::default()
        },
        _ => ObjectReference {
            kind: kind.into(),
            name: name_with_tag_or_id(&source),
            namespace: source.namespace.clone(),
            ..ObjectReference::default()
        },
    };
    let destination = format!("{}:{}", checked.stream, checked.tag);
    let existing_annotations =
        spec_annotations(services, namespace, &checked.stream, &checked.tag).await?;
    let spec_tag = TagReference {
        name: checked.tag.clone(),
        annotations: None,
        from: Some(from),
        reference: request.reference,
        // A pull spec is always fetched again, even when it did not change.
        generation: (kind == SourceKind::DOCKER_IMAGE).then_some(0),
        import_policy: TagImportPolicy {
            insecure: request.insecure,
            scheduled: request.scheduled,
            import_mode: request.import_mode.clone(),
        },
        reference_policy: TagReferencePolicy {
            kind: request.reference_policy.clone(),
        },
    };
    let istag = ImageStreamTag {
        metadata: ObjectMeta {
            name: destination.clone(),
            annotations: existing_annotations,
            ..ObjectMeta::default()
        },
        tag: Some(spec_tag),
        ..ImageStreamTag::default()
    };
    put_tag(
        services,
        namespace,
        &destination,
        istag,
        FieldOwner::default(),
    )
    .await?;
    let shown = source.exact();
    Ok(if request.alias {
        format!("Tag {destination} set up to track {shown}.")
    } else if request.scheduled {
        format!("Tag {destination} set to import {shown} periodically.")
    } else {
        format!("Tag {destination} set to {shown}.")
    })
}

/// Runs `oc tag -d DEST` and returns `oc`'s message (`Deleted tag ns/name:tag.`).
pub async fn untag(services: &Services, namespace: &str, destination: &str) -> Result<String> {
    let (stream, tag) = split_destination(destination).map_err(|e| Error::Invalid(vec![e]))?;
    delete_tag(
        services,
        namespace,
        &format!("{stream}:{tag}"),
        FieldOwner::default(),
    )
    .await?;
    Ok(format!("Deleted tag {namespace}/{stream}:{tag}."))
}

/// `name:tag` or `name@id` of an image stream source.
fn name_with_tag_or_id(source: &DockerImageReference) -> String {
    if !source.id.is_empty() {
        format!("{}@{}", source.name, source.id)
    } else {
        format!("{}:{}", source.name, source.tag)
    }
}

/// The annotations of an existing spec tag, so that re-tagging keeps them.
async fn spec_annotations(
    services: &Services,
    namespace: &str,
    stream: &str,
    tag: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    Ok(services
        .store
        .image_stream(namespace, stream)
        .await?
        .and_then(|s| s.spec_tag(tag).and_then(|t| t.annotations.clone()))
        .unwrap_or_default())
}
