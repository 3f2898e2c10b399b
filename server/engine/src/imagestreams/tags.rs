//! ImageStreamTags (`name:tag`): read a tag with its current image, create
//! or set a tag (replacing its annotations, creating the stream if needed),
//! delete a tag (spec and history).

use super::{
    change_context, require_project, stale,
    streams::{Write, claim_namespace},
};
use crate::{
    Error, Result, Services,
    field_management::FieldOwner,
    model::{
        IMAGE_API_VERSION, Image, ImageStream, ImageStreamTag, ObjectMeta, resolved_pull_spec,
        split_stream_tag,
        stream_changes::{prepare_create, prepare_update},
    },
    resources::IMAGE_STREAM_TAGS,
};

/// A tag and its current image. A tag without an image (a reference tag, or
/// one not imported yet) is not found, as in OpenShift.
pub async fn get_tag(services: &Services, namespace: &str, id: &str) -> Result<ImageStreamTag> {
    let (name, tag) = split_stream_tag(id)?;
    let stream = services
        .store
        .image_stream(namespace, name)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAM_TAGS, id))?;
    let event = stream
        .latest(tag)
        .filter(|event| !event.image.is_empty())
        .ok_or_else(|| Error::not_found(IMAGE_STREAM_TAGS, id))?;
    let image = services.store.image(&event.image).await?;
    Ok(stream_tag(&stream, tag, image))
}

/// Every tag of every stream in `namespace` that points at an image, as
/// ImageStreamTags (`oc get istag`), by stream and then tag name.
pub async fn list_tags(services: &Services, namespace: &str) -> Result<Vec<ImageStreamTag>> {
    let streams = super::list(services, namespace).await?;
    let mut tags = Vec::new();
    for stream in &streams {
        for history in &stream.status.tags {
            let Some(event) = history.items.first().filter(|e| !e.image.is_empty()) else {
                continue;
            };
            let image = services.store.image(&event.image).await?;
            tags.push(stream_tag(stream, &history.tag, image));
        }
    }
    Ok(tags)
}

/// Builds the ImageStreamTag view of `tag` in `stream` with its image (or just
/// the digest when the image is not stored).
pub(super) fn stream_tag(stream: &ImageStream, tag: &str, image: Option<Image>) -> ImageStreamTag {
    let event = stream.latest(tag);
    let spec = stream.spec_tag(tag).cloned();
    let mut image = image.unwrap_or_else(|| Image {
        metadata: ObjectMeta {
            name: event.map(|e| e.image.clone()).unwrap_or_default(),
            ..ObjectMeta::default()
        },
        ..Image::default()
    });
    if let Some(event) = event {
        image.docker_image_reference = resolved_pull_spec(stream, tag, event);
    }
    let annotations = spec
        .as_ref()
        .and_then(|s| s.annotations.clone())
        .unwrap_or_default();
    image.metadata.annotations.extend(annotations.clone());
    image.api_version.clear();
    image.kind.clear();
    ImageStreamTag {
        api_version: IMAGE_API_VERSION.into(),
        kind: "ImageStreamTag".into(),
        metadata: ObjectMeta {
            name: format!("{}:{tag}", stream.metadata.name),
            namespace: stream.metadata.namespace.clone(),
            uid: stream.metadata.uid.clone(),
            resource_version: stream.metadata.resource_version.clone(),
            creation_timestamp: event
                .map(|e| e.created)
                .or(stream.metadata.creation_timestamp),
            labels: stream.metadata.labels.clone(),
            annotations,
            ..ObjectMeta::default()
        },
        tag: spec,
        generation: event.map_or(0, |e| e.generation),
        lookup_policy: stream.spec.lookup_policy,
        conditions: stream
            .status_tag(tag)
            .map(|s| s.conditions.clone())
            .unwrap_or_default(),
        image,
    }
}

/// What a tag write does with a tag the stream already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    /// `PUT`: replace it.
    Replace,
    /// `POST`: refuse (`AlreadyExists`).
    Refuse,
}

/// Sets a tag from an ImageStreamTag (`PUT …/imagestreamtags/name:tag`): its
/// `tag` replaces the spec tag and its annotations replace the tag's. The
/// stream is created if it does not exist. With a resource version, a stale
/// one is a conflict. What it changes belongs to `owner`.
pub async fn put_tag(
    services: &Services,
    namespace: &str,
    id: &str,
    request: ImageStreamTag,
    owner: FieldOwner,
) -> Result<ImageStreamTag> {
    put_tag_with(services, namespace, id, request, Write::Commit, owner).await
}

/// [`put_tag`], kept or only checked (`?dryRun=All`).
pub async fn put_tag_with(
    services: &Services,
    namespace: &str,
    id: &str,
    request: ImageStreamTag,
    write: Write,
    owner: FieldOwner,
) -> Result<ImageStreamTag> {
    write_tag(
        services,
        namespace,
        id,
        request,
        Existing::Replace,
        write,
        owner,
    )
    .await
}

/// Creates a tag from an ImageStreamTag (`POST …/imagestreamtags`, as
/// `kubectl create -f` sends it), named `name:tag` in its metadata; the
/// stream is created if it does not exist. A tag the stream already has is
/// `AlreadyExists`, and a request without a `tag` is invalid.
pub async fn create_tag(
    services: &Services,
    namespace: &str,
    mut request: ImageStreamTag,
    write: Write,
    owner: FieldOwner,
) -> Result<ImageStreamTag> {
    let id = request.metadata.name.clone();
    if request.tag.is_none() {
        return Err(Error::invalid(
            "tag",
            "Required value: the tag to create (its `from`, or `reference`)",
        ));
    }
    // A version names a state of an object that does not exist yet.
    request.metadata.resource_version.clear();
    write_tag(
        services,
        namespace,
        &id,
        request,
        Existing::Refuse,
        write,
        owner,
    )
    .await
}

async fn write_tag(
    services: &Services,
    namespace: &str,
    id: &str,
    request: ImageStreamTag,
    existing: Existing,
    write: Write,
    owner: FieldOwner,
) -> Result<ImageStreamTag> {
    let (name, tag) = split_stream_tag(id)?;
    require_project(services, namespace).await?;
    let mut tx = write.begin(services).await?;
    tx.field_owner = owner;
    let old = tx.image_stream(namespace, name).await?;
    let wanted_version = &request.metadata.resource_version;
    match &old {
        Some(old) if existing == Existing::Refuse && old.spec_tag(tag).is_some() => {
            return Err(Error::already_exists(IMAGE_STREAM_TAGS, id));
        }
        Some(old)
            if !wanted_version.is_empty() && *wanted_version != old.metadata.resource_version =>
        {
            return Err(stale(name));
        }
        None if !wanted_version.is_empty() => return Err(Error::not_found(IMAGE_STREAM_TAGS, id)),
        _ => {}
    }
    let mut stream = old.clone().unwrap_or_else(|| ImageStream {
        metadata: ObjectMeta {
            name: name.to_owned(),
            ..ObjectMeta::default()
        },
        ..ImageStream::default()
    });
    claim_namespace(&mut stream, namespace)?;
    let mut spec_tag = match (request.tag, stream.spec_tag(tag)) {
        (Some(given), _) => given,
        (None, Some(existing)) => existing.clone(),
        (None, None) => {
            return Err(Error::invalid(
                "tag",
                format!(
                    "imagestreamtag {tag} is not a spec tag in imagestream {namespace}/{name}, cannot be updated"
                ),
            ));
        }
    };
    spec_tag.name = tag.to_owned();
    spec_tag.annotations =
        (!request.metadata.annotations.is_empty()).then_some(request.metadata.annotations);
    stream.spec.tags.retain(|existing| existing.name != tag);
    stream.spec.tags.push(spec_tag);
    let context = change_context(services, &mut tx, &stream).await?;
    match &old {
        Some(old) => {
            prepare_update(old, &mut stream, &context).map_err(Error::Invalid)?;
            if stream != *old {
                tx.update_image_stream(&mut stream).await?;
            }
        }
        None => {
            stream.metadata.uid = uuid::Uuid::new_v4().to_string();
            stream.metadata.creation_timestamp = Some(tx.now);
            prepare_create(&mut stream, &context).map_err(Error::Invalid)?;
            tx.insert_image_stream(&mut stream).await?;
        }
    }
    write.finish(tx).await?;
    let image = match stream.latest(tag).filter(|e| !e.image.is_empty()) {
        Some(event) => services.store.image(&event.image).await?,
        None => None,
    };
    Ok(stream_tag(&stream, tag, image))
}

/// Deletes a tag: its spec and its history.
pub async fn delete_tag(
    services: &Services,
    namespace: &str,
    id: &str,
    owner: FieldOwner,
) -> Result<()> {
    delete_tag_with(services, namespace, id, Write::Commit, owner).await
}

/// [`delete_tag`], kept or only checked (`?dryRun=All`).
pub async fn delete_tag_with(
    services: &Services,
    namespace: &str,
    id: &str,
    write: Write,
    owner: FieldOwner,
) -> Result<()> {
    let (name, tag) = split_stream_tag(id)?;
    let mut tx = write.begin(services).await?;
    tx.field_owner = owner;
    let Some(old) = tx.image_stream(namespace, name).await? else {
        return Err(Error::not_found(IMAGE_STREAM_TAGS, id));
    };
    let mut stream = old.clone();
    stream.spec.tags.retain(|t| t.name != tag);
    stream.status.tags.retain(|t| t.tag != tag);
    if stream == old {
        return Err(Error::not_found(IMAGE_STREAM_TAGS, id));
    }
    let context = change_context(services, &mut tx, &stream).await?;
    prepare_update(&old, &mut stream, &context).map_err(Error::Invalid)?;
    // The history goes with the tag (prepare_update keeps the old status).
    stream.status.tags.retain(|t| t.tag != tag);
    tx.update_image_stream(&mut stream).await?;
    write.finish(tx).await?;
    if write == Write::Commit {
        tracing::info!(namespace, stream = name, tag, "tag deleted");
    }
    Ok(())
}
