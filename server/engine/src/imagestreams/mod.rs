//! Image stream operations: create, read, replace and delete streams; read,
//! set and delete tags (`oc tag`, ImageStreamTag); find images by digest
//! prefix (ImageStreamImage); record pushed images (ImageStreamMapping).
//!
//! Each write runs in one store transaction: the stream is read and locked,
//! the model's rules applied, and the result written with a new resource
//! version, or nothing is written at all.

mod images;
mod streams;
mod tagging;
mod tags;

pub use images::{get_image, list_images, map_image, read_image};
pub use streams::{
    Write, create, create_with, delete, delete_with, get, list, list_after, replace, replace_with,
    set_image_lookup,
};
pub(crate) use streams::{create_in, replace_in};
pub use tagging::{require_references_access, require_source_access, tag, untag};
pub use tags::{
    create_tag, delete_tag, delete_tag_with, get_tag, list_tags, put_tag, put_tag_with,
};

use crate::{
    Error, Result, Services,
    model::{
        ImageStream, SourceKind,
        stream_changes::{ChangeContext, parse_from_reference},
    },
    resources::{IMAGE_STREAMS, PROJECTS},
    store::WriteTx,
};

/// The message Kubernetes gives for an update against a stale resource version.
fn stale(name: &str) -> Error {
    Error::Conflict(format!(
        "Operation cannot be fulfilled on {IMAGE_STREAMS} \"{name}\": the object has been modified; \
         please apply your changes to the latest version and try again"
    ))
}

/// Fails with `NotFound` unless the project exists.
pub(crate) async fn require_project(services: &Services, namespace: &str) -> Result<()> {
    match services.store.get_project(namespace).await {
        Ok(_) => Ok(()),
        Err(Error::NotFound { .. }) => Err(Error::not_found(PROJECTS, namespace)),
        Err(other) => Err(other),
    }
}

/// What the stream rules need for a change in `tx`: the time, the registry
/// hostname, and the other streams `stream`'s tags refer to.
async fn change_context(
    services: &Services,
    tx: &mut WriteTx,
    stream: &ImageStream,
) -> Result<ChangeContext> {
    let namespace = &stream.metadata.namespace;
    let mut others: Vec<ImageStream> = Vec::new();
    for tag in &stream.spec.tags {
        let Some(from) = &tag.from else { continue };
        if from.kind != SourceKind::IMAGE_STREAM_TAG && from.kind != SourceKind::IMAGE_STREAM_IMAGE
        {
            continue;
        }
        let Some((source_name, _)) =
            parse_from_reference(&stream.metadata.name, &from.kind, &from.name)
        else {
            continue;
        };
        let source_namespace = if from.namespace.is_empty() {
            namespace.as_str()
        } else {
            from.namespace.as_str()
        };
        let same = source_namespace == namespace && source_name == stream.metadata.name;
        let known = others.iter().any(|other| {
            other.metadata.namespace == source_namespace && other.metadata.name == source_name
        });
        if !same
            && !known
            && let Some(other) = tx.peek_image_stream(source_namespace, source_name).await?
        {
            others.push(other);
        }
    }
    let policy = crate::cluster_policy::current_in(services, tx).await?;
    Ok(ChangeContext {
        now: tx.now,
        internal_registry: policy
            .internal_registry_hostname_or(&services.settings.internal_registry_hostname)
            .to_owned(),
        other_streams: others,
        policy,
    })
}
