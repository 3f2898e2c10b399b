//! Whole streams: list, get, create, replace (with optimistic concurrency),
//! delete, and `oc set image-lookup`.

use super::{change_context, require_project, stale};
use crate::{
    Error, Result, Services,
    field_management::FieldOwner,
    model::{
        FieldError, ImageStream,
        stream_changes::{prepare_create, prepare_update},
    },
    resources::IMAGE_STREAMS,
    store::WriteTx,
};

/// The project's streams, by name.
pub async fn list(services: &Services, namespace: &str) -> Result<Vec<ImageStream>> {
    require_project(services, namespace).await?;
    services.store.image_streams(namespace).await
}

/// Up to `limit` streams of a project named after `after`, by name (one
/// page of a list; byte order). The page's query finds no streams in a
/// project that does not exist, so the project is looked up only when the
/// page is empty.
pub async fn list_after(
    services: &Services,
    namespace: &str,
    after: &str,
    limit: usize,
) -> Result<Vec<ImageStream>> {
    let page = services
        .store
        .image_streams_after(namespace, after, limit)
        .await?;
    if page.is_empty() {
        require_project(services, namespace).await?;
    }
    Ok(page)
}

/// One stream.
pub async fn get(services: &Services, namespace: &str, name: &str) -> Result<ImageStream> {
    services
        .store
        .image_stream(namespace, name)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAMS, name))
}

/// Whether a change is kept or only checked (`?dryRun=All`: every rule
/// runs, in a transaction that is rolled back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Commit,
    DryRun,
}

impl Write {
    /// A write transaction for this mode.
    pub(crate) async fn begin(self, services: &Services) -> Result<WriteTx> {
        let mut tx = services.store.write().await?;
        if self == Write::DryRun {
            tx.mark_dry_run();
        }
        Ok(tx)
    }

    pub(crate) async fn finish(self, tx: WriteTx) -> Result<()> {
        match self {
            Write::Commit => tx.commit().await,
            // Dropping the transaction rolls it back.
            Write::DryRun => Ok(()),
        }
    }
}

/// Creates a stream. Its status is computed, never taken from the input.
pub async fn create(
    services: &Services,
    namespace: &str,
    stream: ImageStream,
) -> Result<ImageStream> {
    create_with(
        services,
        namespace,
        stream,
        Write::Commit,
        FieldOwner::default(),
    )
    .await
}

/// [`create`], or only its checks, with its fields owned by `owner`.
pub async fn create_with(
    services: &Services,
    namespace: &str,
    stream: ImageStream,
    write: Write,
    owner: FieldOwner,
) -> Result<ImageStream> {
    require_project(services, namespace).await?;
    let mut tx = write.begin(services).await?;
    tx.field_owner = owner;
    let stream = create_in(services, &mut tx, namespace, stream).await?;
    write.finish(tx).await?;
    if write == Write::Commit {
        tracing::info!(namespace, stream = %stream.metadata.name, "image stream created");
    }
    Ok(stream)
}

/// Creates a stream within `tx` (the project is known to exist).
pub(crate) async fn create_in(
    services: &Services,
    tx: &mut WriteTx,
    namespace: &str,
    mut stream: ImageStream,
) -> Result<ImageStream> {
    claim_namespace(&mut stream, namespace)?;
    if tx
        .image_stream(namespace, &stream.metadata.name)
        .await?
        .is_some()
    {
        return Err(Error::already_exists(IMAGE_STREAMS, &stream.metadata.name));
    }
    stream.metadata.uid = uuid::Uuid::new_v4().to_string();
    stream.metadata.creation_timestamp = Some(tx.now);
    stream.metadata.deletion_timestamp = None;
    stream.metadata.resource_version.clear();
    let context = change_context(services, tx, &stream).await?;
    prepare_create(&mut stream, &context).map_err(Error::Invalid)?;
    tx.insert_image_stream(&mut stream).await?;
    Ok(stream)
}

/// Replaces a stream's metadata and spec (`PUT`). The request must carry the
/// resource version it was read at; a stale one is a conflict.
pub async fn replace(
    services: &Services,
    namespace: &str,
    name: &str,
    stream: ImageStream,
) -> Result<ImageStream> {
    replace_with(
        services,
        namespace,
        name,
        stream,
        Write::Commit,
        FieldOwner::default(),
    )
    .await
}

/// [`replace`], or only its checks, with what it changes owned by `owner`.
pub async fn replace_with(
    services: &Services,
    namespace: &str,
    name: &str,
    stream: ImageStream,
    write: Write,
    owner: FieldOwner,
) -> Result<ImageStream> {
    let mut tx = write.begin(services).await?;
    tx.field_owner = owner;
    let (stream, changed) = replace_in(services, &mut tx, namespace, name, stream).await?;
    if changed {
        write.finish(tx).await?;
        if write == Write::Commit {
            tracing::info!(namespace, stream = name, "image stream updated");
        }
    }
    Ok(stream)
}

/// Replaces a stream within `tx`; also says whether anything changed (an
/// unchanged stream is not written and keeps its resource version).
pub(crate) async fn replace_in(
    services: &Services,
    tx: &mut WriteTx,
    namespace: &str,
    name: &str,
    mut stream: ImageStream,
) -> Result<(ImageStream, bool)> {
    claim_namespace(&mut stream, namespace)?;
    if stream.metadata.name.is_empty() {
        stream.metadata.name = name.to_owned();
    }
    if stream.metadata.name != name {
        return Err(Error::invalid(
            "metadata.name",
            format!(
                "Invalid value: \"{}\": the name of the object ({}) does not match the name on the URL ({name})",
                stream.metadata.name, stream.metadata.name
            ),
        ));
    }
    if stream.metadata.resource_version.is_empty() {
        return Err(Error::invalid(
            "metadata.resourceVersion",
            "Invalid value: 0x0: must be specified for an update",
        ));
    }
    let old = tx
        .image_stream(namespace, name)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAMS, name))?;
    if old.metadata.resource_version != stream.metadata.resource_version {
        return Err(stale(name));
    }
    keep_system_fields(&old, &mut stream);
    // A write that does not say who owns what leaves the owners as they are.
    if tx.field_owner != FieldOwner::Applied && stream.metadata.managed_fields.is_none() {
        stream.metadata.managed_fields = old.metadata.managed_fields.clone();
    }
    let context = change_context(services, tx, &stream).await?;
    prepare_update(&old, &mut stream, &context).map_err(Error::Invalid)?;
    if stream == old {
        return Ok((old, false));
    }
    tx.update_image_stream(&mut stream).await?;
    Ok((stream, true))
}

/// Deletes a stream with all its tags and history (its images stay).
pub async fn delete(services: &Services, namespace: &str, name: &str) -> Result<()> {
    delete_with(services, namespace, name, Write::Commit)
        .await
        .map(|_| ())
}

/// [`delete`], or only its checks; returns the stream as it was.
pub async fn delete_with(
    services: &Services,
    namespace: &str,
    name: &str,
    write: Write,
) -> Result<ImageStream> {
    let mut tx = write.begin(services).await?;
    let stream = tx
        .image_stream(namespace, name)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAMS, name))?;
    tx.delete_image_stream(&stream).await?;
    write.finish(tx).await?;
    if write == Write::Commit {
        tracing::info!(namespace, stream = name, "image stream deleted");
    }
    Ok(stream)
}

/// `oc set image-lookup`: whether short image references in the project
/// resolve through this stream.
pub async fn set_image_lookup(
    services: &Services,
    namespace: &str,
    name: &str,
    local: bool,
) -> Result<ImageStream> {
    let mut tx = services.store.write().await?;
    let old = tx
        .image_stream(namespace, name)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAMS, name))?;
    if old.spec.lookup_policy.local == local {
        return Ok(old);
    }
    let mut stream = old.clone();
    stream.spec.lookup_policy.local = local;
    let context = change_context(services, &mut tx, &stream).await?;
    prepare_update(&old, &mut stream, &context).map_err(Error::Invalid)?;
    tx.update_image_stream(&mut stream).await?;
    tx.commit().await?;
    Ok(stream)
}

/// The object's namespace must be empty or the request's. Metadata fields
/// Kubernetes tools send but this product does not keep are dropped
/// (`managedFields` is the store's to set: see [`crate::field_management`]).
pub(super) fn claim_namespace(stream: &mut ImageStream, namespace: &str) -> Result<()> {
    let meta = &mut stream.metadata;
    meta.self_link = None;
    meta.owner_references = None;
    meta.finalizers = None;
    meta.deletion_grace_period_seconds = None;
    if !stream.metadata.namespace.is_empty() && stream.metadata.namespace != namespace {
        return Err(Error::Invalid(vec![FieldError::new(
            "metadata.namespace",
            format!(
                "Invalid value: \"{}\": the namespace of the provided object does not match the namespace sent on the request",
                stream.metadata.namespace
            ),
        )]));
    }
    stream.metadata.namespace = namespace.to_owned();
    Ok(())
}

/// Fields users cannot change on update: identity and creation time.
fn keep_system_fields(old: &ImageStream, stream: &mut ImageStream) {
    stream.metadata.uid = old.metadata.uid.clone();
    stream.metadata.creation_timestamp = old.metadata.creation_timestamp;
    stream.metadata.resource_version = old.metadata.resource_version.clone();
    stream.metadata.generate_name = old.metadata.generate_name.clone();
    stream.metadata.deletion_timestamp = old.metadata.deletion_timestamp;
}
