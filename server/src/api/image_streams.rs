//! `image.openshift.io/v1`: imagestreams, imagestreamtags, imagestreamimages
//! and imagestreammappings of a namespace.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use engine::{
    imagestreams as is,
    model::{
        ImageStream, ImageStreamImport, ImageStreamMapping, ImageStreamTag,
        access::{Resource, Verb},
    },
};

use super::{ApiError, body::decode, status::success};
use crate::{access::ApiCaller, state::AppState};

const GROUP: &str = "image.openshift.io";

fn failed(
    error: engine::Error,
    kind: &'static str,
    resource: &'static str,
    name: &str,
) -> Response {
    ApiError {
        error,
        kind,
        group: GROUP,
        resource,
        name: name.to_owned(),
    }
    .into_response()
}

fn stream_failed(error: engine::Error, name: &str) -> Response {
    failed(error, "ImageStream", "imagestreams", name)
}

/// `GET …/imagestreams`
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
) -> Response {
    if let Err(error) = caller.require(Verb::List, Resource::ImageStreams, &namespace) {
        return stream_failed(error, "");
    }
    match is::list(&state.services, &namespace).await {
        Ok(streams) => {
            let newest = streams
                .iter()
                .filter_map(|s| s.metadata.resource_version.parse::<i64>().ok())
                .max()
                .unwrap_or(0);
            Json(serde_json::json!({
                "kind": "ImageStreamList",
                "apiVersion": "image.openshift.io/v1",
                "metadata": { "resourceVersion": newest.to_string() },
                "items": streams,
            }))
            .into_response()
        }
        Err(error) => stream_failed(error, ""),
    }
}

/// `POST …/imagestreams`
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::ImageStreams, &namespace) {
        return stream_failed(error, "");
    }
    let stream: ImageStream = match decode(&body, "ImageStream") {
        Ok(stream) => stream,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(&caller, &namespace, &stream.spec.tags) {
        return stream_failed(error, &stream.metadata.name);
    }
    let name = stream.metadata.name.clone();
    match is::create(&state.services, &namespace, stream).await {
        Ok(stream) => (StatusCode::CREATED, Json(stream)).into_response(),
        Err(error) => stream_failed(error, &name),
    }
}

/// `GET …/imagestreams/{name}`
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Get, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    match is::get(&state.services, &namespace, &name).await {
        Ok(stream) => Json(stream).into_response(),
        Err(error) => stream_failed(error, &name),
    }
}

/// `PUT …/imagestreams/{name}` (needs `metadata.resourceVersion`)
pub async fn replace(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    let stream: ImageStream = match decode(&body, "ImageStream") {
        Ok(stream) => stream,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(&caller, &namespace, &stream.spec.tags) {
        return stream_failed(error, &stream.metadata.name);
    }
    match is::replace(&state.services, &namespace, &name, stream).await {
        Ok(stream) => Json(stream).into_response(),
        Err(error) => stream_failed(error, &name),
    }
}

/// `DELETE …/imagestreams/{name}`
pub async fn delete(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Delete, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    match is::delete(&state.services, &namespace, &name).await {
        Ok(()) => success(StatusCode::OK, GROUP, "imagestreams", &name),
        Err(error) => stream_failed(error, &name),
    }
}

/// `GET …/imagestreamtags/{name}:{tag}`
pub async fn get_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Get, Resource::ImageStreamTags, &namespace) {
        return failed(error, "ImageStreamTag", "imagestreamtags", &id);
    }
    match is::get_tag(&state.services, &namespace, &id).await {
        Ok(tag) => Json(tag).into_response(),
        Err(error) => failed(error, "ImageStreamTag", "imagestreamtags", &id),
    }
}

/// `PUT …/imagestreamtags/{name}:{tag}`
pub async fn put_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::ImageStreamTags, &namespace) {
        return failed(error, "ImageStreamTag", "imagestreamtags", &id);
    }
    let tag: ImageStreamTag = match decode(&body, "ImageStreamTag") {
        Ok(tag) => tag,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(&caller, &namespace, tag.tag.iter()) {
        return failed(error, "ImageStreamTag", "imagestreamtags", &id);
    }
    match is::put_tag(&state.services, &namespace, &id, tag).await {
        Ok(tag) => Json(tag).into_response(),
        Err(error) => failed(error, "ImageStreamTag", "imagestreamtags", &id),
    }
}

/// `DELETE …/imagestreamtags/{name}:{tag}`
pub async fn delete_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Delete, Resource::ImageStreamTags, &namespace) {
        return failed(error, "ImageStreamTag", "imagestreamtags", &id);
    }
    match is::delete_tag(&state.services, &namespace, &id).await {
        Ok(()) => success(StatusCode::OK, GROUP, "imagestreamtags", &id),
        Err(error) => failed(error, "ImageStreamTag", "imagestreamtags", &id),
    }
}

/// `GET …/imagestreamimages/{name}@{id}`
pub async fn get_image(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Get, Resource::ImageStreamImages, &namespace) {
        return failed(error, "ImageStreamImage", "imagestreamimages", &id);
    }
    match is::get_image(&state.services, &namespace, &id).await {
        Ok(image) => Json(image).into_response(),
        Err(error) => failed(error, "ImageStreamImage", "imagestreamimages", &id),
    }
}

/// `POST …/imagestreammappings`
pub async fn map_image(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::ImageStreamMappings, &namespace) {
        return failed(error, "ImageStreamMapping", "imagestreammappings", "");
    }
    let mapping: ImageStreamMapping = match decode(&body, "ImageStreamMapping") {
        Ok(mapping) => mapping,
        Err(bad) => return bad.into_response(),
    };
    let name = mapping.metadata.name.clone();
    match is::map_image(&state.services, &namespace, mapping).await {
        Ok(_) => success(StatusCode::CREATED, GROUP, "imagestreammappings", &name),
        Err(error) => failed(error, "ImageStreamMapping", "imagestreammappings", &name),
    }
}

/// `POST …/imagestreamimports`: imports (or with `spec.import: false` only
/// looks up) images and answers with the import's status.
pub async fn import_images(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::ImageStreamImports, &namespace) {
        return failed(error, "ImageStreamImport", "imagestreamimports", "");
    }
    let request: ImageStreamImport = match decode(&body, "ImageStreamImport") {
        Ok(request) => request,
        Err(bad) => return bad.into_response(),
    };
    let name = request.metadata.name.clone();
    match engine::imports::import(&state.services, &namespace, request).await {
        Ok(answer) => (StatusCode::CREATED, Json(answer)).into_response(),
        Err(error) => failed(error, "ImageStreamImport", "imagestreamimports", &name),
    }
}
