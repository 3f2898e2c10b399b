//! Images through streams: ImageStreamImage (`name@<digest prefix>`) and
//! ImageStreamMapping (an image was pushed to a tag); and the images
//! themselves, cluster-wide, for cluster admins.

use super::{change_context, require_project};
use crate::{
    Error, Result, Services,
    access::Caller,
    model::{
        DEFAULT_TAG, DockerImageReference, FieldError, IMAGE_API_VERSION, Image, ImageStream,
        ImageStreamImage, ImageStreamMapping, ObjectMeta, TagEvent,
        access::{Resource, Verb},
        reference::is_digest,
        split_stream_image,
        stream_changes::prepare_create,
        tag_history::{add_tag_event, digest_matches, update_tracking_tags},
        validate_stream::validate_tag_name,
    },
    resources::{IMAGE_STREAM_IMAGES, IMAGE_STREAMS},
};

/// Images of the installation by digest, after `after`, at most `limit`
/// (`oc get images`; cluster admins only).
pub async fn list_images(
    services: &Services,
    caller: &Caller,
    after: &str,
    limit: usize,
) -> Result<Vec<Image>> {
    caller.require(Verb::List, Resource::Images, "")?;
    services.store.images_after(after, limit).await
}

/// One image by its digest (cluster admins only).
pub async fn read_image(services: &Services, caller: &Caller, digest: &str) -> Result<Image> {
    caller.require(Verb::Get, Resource::Images, "")?;
    services
        .store
        .image(digest)
        .await?
        .ok_or_else(|| Error::not_found(crate::resources::IMAGES, digest))
}

/// The image of a stream named by a digest prefix (no minimum length). The
/// images of a manifest list's platforms count too. Several matches are a
/// conflict naming them.
pub async fn get_image(services: &Services, namespace: &str, id: &str) -> Result<ImageStreamImage> {
    let (name, prefix) = split_stream_image(id)?;
    let stream = services
        .store
        .image_stream(namespace, name)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAMS, name))?;
    let mut candidates: Vec<String> = Vec::new();
    for digest in stream
        .status
        .tags
        .iter()
        .flat_map(|t| t.items.iter())
        .map(|e| e.image.as_str())
    {
        if digest.is_empty() || candidates.iter().any(|c| c == digest) {
            continue;
        }
        candidates.push(digest.to_owned());
        if let Some(image) = services.store.image(digest).await? {
            candidates.extend(
                image
                    .docker_image_manifests
                    .iter()
                    .map(|m| m.digest.clone()),
            );
        }
    }
    let mut matches: Vec<String> = candidates
        .into_iter()
        .filter(|digest| digest_matches(digest, prefix))
        .collect();
    matches.sort();
    matches.dedup();
    let digest = match matches.as_slice() {
        [] => return Err(Error::not_found(IMAGE_STREAM_IMAGES, id)),
        [one] => one.clone(),
        several => {
            return Err(Error::Conflict(format!(
                "multiple images match the prefix \"{prefix}\": {}",
                several.join(", ")
            )));
        }
    };
    let mut image = services
        .store
        .image(&digest)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAM_IMAGES, id))?;
    image.api_version.clear();
    image.kind.clear();
    Ok(ImageStreamImage {
        api_version: IMAGE_API_VERSION.into(),
        kind: "ImageStreamImage".into(),
        metadata: ObjectMeta {
            name: id.to_owned(),
            namespace: namespace.to_owned(),
            creation_timestamp: image.metadata.creation_timestamp,
            annotations: stream.metadata.annotations.clone(),
            ..ObjectMeta::default()
        },
        image,
    })
}

/// Records that `mapping.image` was pushed to `<metadata.name>:<tag>`: the image
/// is stored if new, and becomes the tag's current event (aliases follow). The
/// stream is created if it does not exist, as a push to the integrated
/// registry creates it. Returns whether the tag moved.
pub async fn map_image(
    services: &Services,
    namespace: &str,
    mapping: ImageStreamMapping,
) -> Result<bool> {
    require_project(services, namespace).await?;
    let tag = if mapping.tag.is_empty() {
        DEFAULT_TAG.to_owned()
    } else {
        mapping.tag.clone()
    };
    let image = mapping.image;
    let mut errors = Vec::new();
    if let Err(error) = validate_tag_name("tag", &tag) {
        errors.push(error);
    }
    if !is_digest(&image.metadata.name) {
        errors.push(FieldError::new(
            "image.metadata.name",
            format!(
                "Invalid value: \"{}\": must be the image's digest, e.g. sha256:<64 hex digits>",
                image.metadata.name
            ),
        ));
    }
    if image.docker_image_reference.is_empty() {
        errors.push(FieldError::new(
            "image.dockerImageReference",
            "Required value",
        ));
    } else if let Err(error) = DockerImageReference::parse(&image.docker_image_reference) {
        errors.push(FieldError::new(
            "image.dockerImageReference",
            format!(
                "Invalid value: \"{}\": {error}",
                image.docker_image_reference
            ),
        ));
    }
    if !image.docker_image_manifests.is_empty() && !image.docker_image_layers.is_empty() {
        errors.push(FieldError::new(
            "image.dockerImageLayers",
            "Invalid value: dockerImageLayers should not be set when dockerImageManifests is set",
        ));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let name = mapping.metadata.name.clone();
    match write_mapping(services, namespace, &name, &tag, image.clone()).await {
        // Another mapping created the stream at the same moment (PostgreSQL
        // lets both look first): it exists now, so the second try updates it.
        Err(Error::AlreadyExists { .. }) => {
            write_mapping(services, namespace, &name, &tag, image).await
        }
        other => other,
    }
}

/// Stores the image and moves the tag, in one transaction.
async fn write_mapping(
    services: &Services,
    namespace: &str,
    name: &str,
    tag: &str,
    mut image: Image,
) -> Result<bool> {
    let mut tx = services.store.write().await?;
    image.api_version = IMAGE_API_VERSION.into();
    image.kind = "Image".into();
    image.metadata.namespace.clear();
    image.metadata.uid = uuid::Uuid::new_v4().to_string();
    image.metadata.creation_timestamp = Some(tx.now);
    image.docker_image_manifest = None;
    image.docker_image_config = None;
    if image.docker_image_metadata_version.is_empty() {
        image.docker_image_metadata_version = "1.0".into();
    }
    tx.insert_image_if_absent(&mut image).await?;

    let existing = tx.image_stream(namespace, name).await?;
    let mut stream = match &existing {
        Some(stream) => stream.clone(),
        None => {
            let mut stream = ImageStream {
                metadata: ObjectMeta {
                    name: name.to_owned(),
                    namespace: namespace.to_owned(),
                    uid: uuid::Uuid::new_v4().to_string(),
                    creation_timestamp: Some(tx.now),
                    ..ObjectMeta::default()
                },
                ..ImageStream::default()
            };
            let context = change_context(services, &mut tx, &stream).await?;
            prepare_create(&mut stream, &context).map_err(Error::Invalid)?;
            stream
        }
    };
    let event = TagEvent {
        created: tx.now,
        docker_image_reference: image.docker_image_reference.clone(),
        image: image.metadata.name.clone(),
        generation: stream.metadata.generation,
        platforms: Vec::new(),
    };
    let moved = add_tag_event(&mut stream.status, tag, event.clone());
    if moved {
        update_tracking_tags(&mut stream, tag, &event);
    }
    match existing {
        Some(_) if !moved => return Ok(false),
        Some(_) => tx.update_image_stream(&mut stream).await?,
        None => tx.insert_image_stream(&mut stream).await?,
    }
    tx.commit().await?;
    tracing::info!(namespace, stream = %name, tag, image = %event.image, "image mapped");
    Ok(moved)
}
