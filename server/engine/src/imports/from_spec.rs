//! Imports asked for by a stream's own spec: the tags that follow a
//! registry image (`DockerImage`, not `reference`) imported again as their
//! spec says - by the scheduler, and by `oc import-image <stream>:<tag>`
//! ("Import now").

use crate::{
    Error, Result, Services,
    model::{
        ImageImportSpec, ImageStream, ImageStreamImport, ImageStreamImportSpec,
        LocalObjectReference, ObjectMeta, ObjectReference, SourceKind, TagReference,
    },
};

/// The spec of importing `tag` again, if it follows a registry image.
fn image_spec(tag: &TagReference) -> Option<ImageImportSpec> {
    let from = tag.from.as_ref()?;
    (from.kind == SourceKind::DOCKER_IMAGE && !tag.reference).then(|| ImageImportSpec {
        from: ObjectReference {
            kind: SourceKind::DOCKER_IMAGE.into(),
            name: from.name.clone(),
            ..ObjectReference::default()
        },
        to: Some(LocalObjectReference {
            name: tag.name.clone(),
        }),
        import_policy: tag.import_policy.clone(),
        reference_policy: tag.reference_policy.clone(),
        include_manifest: false,
    })
}

/// One request importing those of `tags` that follow a registry image, or
/// `None` when none does.
pub fn request_for<'a>(
    stream: &ImageStream,
    tags: impl IntoIterator<Item = &'a str>,
) -> Option<ImageStreamImport> {
    let images: Vec<ImageImportSpec> = tags
        .into_iter()
        .filter_map(|tag| stream.spec_tag(tag))
        .filter_map(image_spec)
        .collect();
    (!images.is_empty()).then(|| ImageStreamImport {
        metadata: ObjectMeta {
            name: stream.metadata.name.clone(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import: true,
            images,
            repository: None,
        },
        ..ImageStreamImport::default()
    })
}

/// `oc import-image <stream>:<tag>`: imports the tag from its registry now,
/// as its spec says, and answers with the import's status.
pub async fn import_now(
    services: &Services,
    namespace: &str,
    stream_name: &str,
    tag: &str,
) -> Result<ImageStreamImport> {
    let stream = services
        .store
        .image_stream(namespace, stream_name)
        .await?
        .ok_or_else(|| Error::not_found("imagestreams.image.openshift.io", stream_name))?;
    let Some(spec) = stream.spec_tag(tag) else {
        return Err(Error::not_found(
            "imagestreamtags.image.openshift.io",
            format!("{stream_name}:{tag}"),
        ));
    };
    let Some(request) = request_for(&stream, [tag]) else {
        let reason = if spec.reference {
            "it is a reference tag, which is never imported"
        } else {
            "it does not follow a registry image (its source is not a DockerImage)"
        };
        return Err(Error::invalid(
            "tag",
            format!("{stream_name}:{tag} cannot be imported: {reason}"),
        ));
    };
    super::import(services, namespace, request).await
}
