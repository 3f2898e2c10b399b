//! `image.openshift.io/v1` imagestreamtags of a namespace: list, read,
//! create (`kubectl create -f`), replace, patch (merge, JSON, strategic
//! merge, and server-side apply), delete. An ImageStreamTag is a view of one
//! tag of a stream, so writes go to the stream; like OpenShift, it keeps no
//! field owners of its own: an apply sets what it names and removes nothing.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use engine::{
    clock,
    field_management::{self, FieldOwner, ManagedFields},
    imagestreams as is,
    model::{
        IMAGE_API_VERSION, ImageStreamTag,
        access::{Resource, Verb},
    },
};
use serde_json::Value;

use super::{
    apply::{read_config, required_version},
    body::{BadBody, decode},
    dry_run::DryRun,
    field_manager::FieldManager,
    image_streams::{GROUP, failed},
    list_options::ListOptions,
    status::{Refusal, success},
    table,
};
use crate::{access::ApiCaller, state::AppState};

const KIND: &str = "ImageStreamTag";

fn tag_failed(error: engine::Error, id: &str) -> Response {
    failed(error, KIND, "imagestreamtags", id)
}

/// The ImageStreamTag in `body`. Its `tag` may leave out `name`, as clients
/// do: the object's name (else `id`, `stream:tag`) names the tag.
fn decode_tag(body: &[u8], id: &str) -> Result<ImageStreamTag, BadBody> {
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else {
        return decode(body, KIND);
    };
    let named = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or(id);
    let tag_name = named.split_once(':').map(|(_, tag)| tag.to_owned());
    if let (Some(tag), Some(tag_name)) = (
        value.get_mut("tag").and_then(Value::as_object_mut),
        tag_name,
    ) {
        tag.entry("name").or_insert(Value::from(tag_name));
    }
    decode(value.to_string().as_bytes(), KIND)
}

/// `GET …/imagestreamtags`: every tag with an image (`oc get istag`).
pub async fn list_tags(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    options: ListOptions,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = caller.require(Verb::List, Resource::ImageStreamTags, &namespace) {
        return tag_failed(error, "");
    }
    let tags = match is::list_tags(&state.services, &namespace).await {
        Ok(tags) => tags,
        Err(error) => return tag_failed(error, ""),
    };
    let tags: Vec<ImageStreamTag> = tags
        .into_iter()
        .filter(|tag| options.selects(&tag.metadata))
        .collect();
    if table::wants_table(&headers) {
        let now = time::OffsetDateTime::now_utc();
        let rows = tags
            .iter()
            .map(|tag| table::image_stream_tag_row(tag, now))
            .collect();
        return Json(table::table(
            table::image_stream_tag_columns(),
            rows,
            "",
            None,
        ))
        .into_response();
    }
    Json(serde_json::json!({
        "kind": "ImageStreamTagList",
        "apiVersion": "image.openshift.io/v1",
        "metadata": {},
        "items": tags,
    }))
    .into_response()
}

/// `GET …/imagestreamtags/{name}:{tag}`
pub async fn get_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Get, Resource::ImageStreamTags, &namespace) {
        return tag_failed(error, &id);
    }
    match is::get_tag(&state.services, &namespace, &id).await {
        Ok(tag) => Json(tag).into_response(),
        Err(error) => tag_failed(error, &id),
    }
}

/// `PUT …/imagestreamtags/{name}:{tag}`
pub async fn put_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
    DryRun(write): DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::ImageStreamTags, &namespace) {
        return tag_failed(error, &id);
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let tag: ImageStreamTag = match decode_tag(&body, &id) {
        Ok(tag) => tag,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(&caller, &namespace, tag.tag.iter()) {
        return tag_failed(error, &id);
    }
    match is::put_tag_with(&state.services, &namespace, &id, tag, write, owner).await {
        Ok(tag) => Json(tag).into_response(),
        Err(error) => tag_failed(error, &id),
    }
}

/// `DELETE …/imagestreamtags/{name}:{tag}`
pub async fn delete_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
    dry_run: DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Delete, Resource::ImageStreamTags, &namespace) {
        return tag_failed(error, &id);
    }
    let DryRun(write) = match dry_run.or_in_delete_options(&body) {
        Ok(dry_run) => dry_run,
        Err(refused) => return refused.into_response(),
    };
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    match is::delete_tag_with(&state.services, &namespace, &id, write, owner).await {
        Ok(()) => success(StatusCode::OK, GROUP, "imagestreamtags", &id),
        Err(error) => tag_failed(error, &id),
    }
}

/// `POST …/imagestreamtags`: a new tag from an ImageStreamTag named
/// `stream:tag` (the stream is made if missing); `AlreadyExists` if the
/// stream has the tag.
pub async fn create_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    DryRun(write): DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::ImageStreamTags, &namespace) {
        return tag_failed(error, "");
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let tag: ImageStreamTag = match decode_tag(&body, "") {
        Ok(tag) => tag,
        Err(bad) => return bad.into_response(),
    };
    let id = tag.metadata.name.clone();
    if !tag.metadata.namespace.is_empty() && tag.metadata.namespace != namespace {
        return Refusal::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
                .to_owned(),
        )
        .into_response();
    }
    if let Err(error) = is::require_references_access(&caller, &namespace, tag.tag.iter()) {
        return tag_failed(error, &id);
    }
    match is::create_tag(&state.services, &namespace, tag, write, owner).await {
        Ok(tag) => (StatusCode::CREATED, Json(tag)).into_response(),
        Err(error) => tag_failed(error, &id),
    }
}

/// `PATCH …/imagestreamtags/{name}:{tag}`: a merge, JSON or strategic
/// merge patch of the tag as `GET` shows it, or a server-side apply (which
/// creates the tag when it has no image yet to show).
pub async fn patch_tag(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, id)): Path<(String, String)>,
    DryRun(write): DryRun,
    manager: FieldManager,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::ImageStreamTags, &namespace) {
        return tag_failed(error, &id);
    }
    let applying = super::patch::is_apply(&headers);
    let owner = match applying {
        true => manager
            .for_apply()
            .map(|applier| FieldOwner::Manager(applier.to_owned())),
        false => manager.for_update(),
    };
    let owner = match owner {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let live = match is::get_tag(&state.services, &namespace, &id).await {
        Ok(live) => Some(live),
        Err(engine::Error::NotFound { .. }) if applying => None,
        Err(error) => return tag_failed(error, &id),
    };
    let live_value = match live.as_ref().map(serde_json::to_value).transpose() {
        Ok(value) => value,
        Err(error) => return tag_failed(engine::Error::Internal(error.to_string()), &id),
    };
    let patched = if applying {
        applied(live_value.as_ref(), &body, &id)
    } else {
        let current = live_value.unwrap_or_default();
        super::patch::apply(
            &headers,
            current,
            &body,
            &super::strategic_merge::IMAGE_STREAM_TAG,
        )
    };
    let patched = match patched {
        Ok(patched) => patched.to_string(),
        Err(refused) => return refused.into_response(),
    };
    let tag: ImageStreamTag = match decode_tag(patched.as_bytes(), &id) {
        Ok(tag) => tag,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(&caller, &namespace, tag.tag.iter()) {
        return tag_failed(error, &id);
    }
    let written = match live {
        Some(_) => is::put_tag_with(&state.services, &namespace, &id, tag, write, owner)
            .await
            .map(|tag| (StatusCode::OK, tag)),
        None => is::create_tag(&state.services, &namespace, tag, write, owner)
            .await
            .map(|tag| (StatusCode::CREATED, tag)),
    };
    match written {
        Ok((code, tag)) => (code, Json(tag)).into_response(),
        Err(error) => tag_failed(error, &id),
    }
}

/// The applied configuration over the tag as it is (`None`: not there
/// yet). Nothing is owned between applies, so nothing conflicts and a field
/// left out is kept; a `resourceVersion` in the configuration is a
/// precondition.
fn applied(live: Option<&Value>, body: &[u8], id: &str) -> Result<Value, Refusal> {
    let config = read_config(body, &[IMAGE_API_VERSION, "v1"], KIND, id)?;
    let required_version = required_version(&config);
    let mut owners = ManagedFields::default();
    let mut object =
        field_management::apply(live, &config, &mut owners, "apply", true, clock::now()).map_err(
            |_| Refusal::bad_request("the apply configuration cannot be applied".to_owned()),
        )?;
    object["apiVersion"] = Value::from(IMAGE_API_VERSION);
    object["kind"] = Value::from(KIND);
    object["metadata"]["name"] = Value::from(id);
    if let (Some(_), Some(version)) = (live, required_version) {
        object["metadata"]["resourceVersion"] = Value::from(version);
    }
    if let Some(metadata) = object["metadata"].as_object_mut() {
        metadata.remove("managedFields");
    }
    Ok(object)
}
