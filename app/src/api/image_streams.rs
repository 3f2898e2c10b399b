//! Server functions for image streams: lists, details, YAML export, and `oc tag`.

use engine::model::{ImageStream, TagRequest, Time};
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use engine::model::access::{Resource, Verb};

use crate::errors::ConsoleError;

/// One row of the stream list (`oc get is`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamRow {
    pub name: String,
    pub repository: String,
    pub tags: Vec<String>,
    pub updated: Option<Time>,
}

impl From<&ImageStream> for StreamRow {
    fn from(stream: &ImageStream) -> Self {
        StreamRow {
            name: stream.metadata.name.clone(),
            repository: stream.status.docker_image_repository.clone(),
            tags: stream.tag_names(),
            updated: stream.last_updated(),
        }
    }
}

/// The project's streams, as `oc get is` lists them.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_image_streams")]
pub async fn list_image_streams(namespace: String) -> Result<Vec<StreamRow>, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::ImageStreams, &namespace).await?;
    let streams = super::respond(engine::imagestreams::list(&services, &namespace).await)?;
    Ok(streams.iter().map(StreamRow::from).collect())
}

/// One stream, whole.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "get_image_stream")]
pub async fn get_image_stream(
    namespace: String,
    name: String,
) -> Result<ImageStream, ConsoleError> {
    let services = super::authorized(Verb::Get, Resource::ImageStreams, &namespace).await?;
    super::respond(engine::imagestreams::get(&services, &namespace, &name).await)
}

/// A stream as `oc get is -o yaml` prints it.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "export_image_stream")]
pub async fn export_image_stream(namespace: String, name: String) -> Result<String, ConsoleError> {
    let services = super::authorized(Verb::Get, Resource::ImageStreams, &namespace).await?;
    let stream = super::respond(engine::imagestreams::get(&services, &namespace, &name).await)?;
    Ok(engine::manifests::to_yaml(&[stream]))
}

/// `oc tag`; answers with `oc`'s message.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "tag_image", input = Json)]
pub async fn tag_image(namespace: String, request: TagRequest) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(caller.require(Verb::Update, Resource::ImageStreamTags, &namespace))?;
    super::respond(engine::imagestreams::require_source_access(
        &caller, &namespace, &request,
    ))?;
    super::respond(engine::imagestreams::tag(&services, &namespace, request).await)
}

/// `oc tag -d`; answers with `oc`'s message.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "untag_image", input = Json)]
pub async fn untag_image(namespace: String, destination: String) -> Result<String, ConsoleError> {
    let services = super::authorized(Verb::Delete, Resource::ImageStreamTags, &namespace).await?;
    super::respond(engine::imagestreams::untag(&services, &namespace, &destination).await)
}

/// `oc delete is`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_image_stream", input = Json)]
pub async fn delete_image_stream(namespace: String, name: String) -> Result<(), ConsoleError> {
    let services = super::authorized(Verb::Delete, Resource::ImageStreams, &namespace).await?;
    super::respond(engine::imagestreams::delete(&services, &namespace, &name).await)
}

/// `oc set image-lookup [--enabled=false]`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "set_image_lookup", input = Json)]
pub async fn set_image_lookup(
    namespace: String,
    name: String,
    local: bool,
) -> Result<(), ConsoleError> {
    let services = super::authorized(Verb::Update, Resource::ImageStreams, &namespace).await?;
    super::respond(
        engine::imagestreams::set_image_lookup(&services, &namespace, &name, local).await,
    )
    .map(|_| ())
}

/// One tag with its image (`oc get istag name:tag -o yaml`).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "get_image_stream_tag")]
pub async fn get_image_stream_tag(
    namespace: String,
    name: String,
    tag: String,
) -> Result<engine::model::ImageStreamTag, ConsoleError> {
    let services = super::authorized(Verb::Get, Resource::ImageStreamTags, &namespace).await?;
    let id = format!("{name}:{tag}");
    super::respond(engine::imagestreams::get_tag(&services, &namespace, &id).await)
}
