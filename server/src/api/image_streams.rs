//! `image.openshift.io/v1`: imagestreams, imagestreamtags, imagestreamimages
//! and imagestreammappings of a namespace.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use engine::{
    field_management::FieldOwner,
    imagestreams as is,
    model::{
        ImageStream, ImageStreamImport, ImageStreamMapping, ListMeta,
        access::{Resource, Verb},
    },
};

use super::{
    ApiError,
    body::decode,
    dry_run::DryRun,
    field_manager::FieldManager,
    list_options::{ListOptions, continue_token},
    status::success,
    table,
    watch::{self, Projects, Shape},
};
use crate::{access::ApiCaller, state::AppState};

pub(super) const GROUP: &str = "image.openshift.io";

pub(super) fn failed(
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

pub(super) fn stream_failed(error: engine::Error, name: &str) -> Response {
    failed(error, "ImageStream", "imagestreams", name)
}

/// `GET …/imagestreams`: a list (selectors, `limit`/`continue`, a Table
/// for kubectl), or a watch.
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    options: ListOptions,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = caller.require(Verb::List, Resource::ImageStreams, &namespace) {
        return stream_failed(error, "");
    }
    let as_table = table::wants_table(&headers);
    if options.watch {
        let shape = Shape::table_if(as_table);
        return watch::image_streams(&state, Projects::One(namespace), options, shape).await;
    }
    if let Some(limit) = options.limit.filter(|_| options.selects_all()) {
        // A page as kubectl asks for it: read once per change.
        let page = match state
            .page_cache
            .page(&state.services, &namespace, &options, limit)
            .await
        {
            Ok(page) => page,
            Err(error) => return stream_failed(error, ""),
        };
        if as_table {
            return respond_table(&page.items, &page.version, page.next.clone());
        }
        let body =
            page.json(|page| encode_list(&page.items, page.version.clone(), page.next.clone()));
        return ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    let version = match list_version(&state).await {
        Ok(version) => version,
        Err(error) => return stream_failed(error, ""),
    };
    let after = options.after.as_deref().unwrap_or("");
    let streams = match is::list(&state.services, &namespace).await {
        Ok(streams) => streams,
        Err(error) => return stream_failed(error, ""),
    };
    let selected = streams
        .into_iter()
        .filter(|stream| stream.metadata.name.as_str() > after && options.selects(&stream.metadata))
        .collect();
    let (items, more) = options.cut_page(selected);
    let next = items
        .last()
        .filter(|_| more)
        .map(|stream| continue_token(&stream.metadata.name));
    respond_list(items, version, next, as_table)
}

/// `GET /apis/image.openshift.io/v1/imagestreams`: the streams of every
/// project the caller may list them in (`kubectl get is -A`), or a watch
/// of them.
pub async fn list_all(
    State(state): State<AppState>,
    caller: ApiCaller,
    options: ListOptions,
    headers: HeaderMap,
) -> Response {
    let readable = match engine::projects::readable_names(&state.services.store, &caller).await {
        Ok(readable) => readable,
        Err(error) => return stream_failed(error, ""),
    };
    let listable = readable.map(|names| {
        names
            .into_iter()
            .filter(|namespace| caller.can(Verb::List, Resource::ImageStreams, namespace))
            .collect::<Vec<_>>()
    });
    let as_table = table::wants_table(&headers);
    if options.watch {
        let shape = Shape::table_if(as_table);
        return watch::image_streams(&state, Projects::Readable(listable), options, shape).await;
    }
    let version = match list_version(&state).await {
        Ok(version) => version,
        Err(error) => return stream_failed(error, ""),
    };
    let streams = match state.services.store.all_image_streams().await {
        Ok(streams) => streams,
        Err(error) => return stream_failed(error, ""),
    };
    // Pages continue after `<namespace>/<name>`.
    let after = options.after.clone().unwrap_or_default();
    let items: Vec<ImageStream> = streams
        .into_iter()
        .filter(|stream| {
            let meta = &stream.metadata;
            listable
                .as_ref()
                .is_none_or(|names| names.contains(&meta.namespace))
                && format!("{}/{}", meta.namespace, meta.name) > after
                && options.selects(meta)
        })
        .collect();
    let (items, more) = options.cut_page(items);
    let next = items.last().filter(|_| more).map(|last| {
        continue_token(&format!(
            "{}/{}",
            last.metadata.namespace, last.metadata.name
        ))
    });
    respond_list(items, version, next, as_table)
}

/// The resource version of a list, read before the list itself so that a
/// watch from it misses nothing: what the live feed has passed on (no
/// query), or the change log's head before the feed has read it.
pub(super) async fn list_version(state: &AppState) -> Result<String, engine::Error> {
    match state.services.live.position() {
        0 => Ok(state.services.store.latest_change_id().await?.to_string()),
        position => Ok(position.to_string()),
    }
}

/// A list answer: an `ImageStreamList`, or a Table for kubectl.
fn respond_list(
    items: Vec<ImageStream>,
    version: String,
    next: Option<String>,
    as_table: bool,
) -> Response {
    if as_table {
        return respond_table(&items, &version, next);
    }
    (
        [(header::CONTENT_TYPE, "application/json")],
        encode_list(&items, version, next),
    )
        .into_response()
}

/// A list as a kubectl Table (`oc get is` columns; ages as of now).
fn respond_table(items: &[ImageStream], version: &str, next: Option<String>) -> Response {
    let now = time::OffsetDateTime::now_utc();
    let rows = items
        .iter()
        .map(|stream| table::image_stream_row(stream, now))
        .collect();
    Json(table::table(
        table::image_stream_columns(),
        rows,
        version,
        next,
    ))
    .into_response()
}

/// An `ImageStreamList` body.
fn encode_list(items: &[ImageStream], version: String, next: Option<String>) -> Bytes {
    let list = StreamList {
        kind: "ImageStreamList",
        api_version: "image.openshift.io/v1",
        metadata: ListMeta {
            resource_version: version,
            continue_token: next.unwrap_or_default(),
        },
        items,
    };
    serde_json::to_vec(&list)
        .expect("an image stream list always encodes")
        .into()
}

/// An `ImageStreamList`, serialized straight from the streams.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct StreamList<'a> {
    kind: &'static str,
    api_version: &'static str,
    metadata: ListMeta,
    items: &'a [ImageStream],
}

/// `POST …/imagestreams`
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    DryRun(write): DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::ImageStreams, &namespace) {
        return stream_failed(error, "");
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let stream: ImageStream = match decode(&body, "ImageStream") {
        Ok(stream) => stream,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(&caller, &namespace, &stream.spec.tags) {
        return stream_failed(error, &stream.metadata.name);
    }
    let name = stream.metadata.name.clone();
    match is::create_with(&state.services, &namespace, stream, write, owner).await {
        Ok(stream) => (StatusCode::CREATED, Json(stream)).into_response(),
        Err(error) => stream_failed(error, &name),
    }
}

/// `GET …/imagestreams/{name}`
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Err(error) = caller.require(Verb::Get, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    match is::get(&state.services, &namespace, &name).await {
        Ok(stream) if table::wants_table(&headers) => {
            let row = table::image_stream_row(&stream, time::OffsetDateTime::now_utc());
            let version = stream.metadata.resource_version.clone();
            Json(table::table(
                table::image_stream_columns(),
                vec![row],
                &version,
                None,
            ))
            .into_response()
        }
        Ok(stream) => Json(stream).into_response(),
        Err(error) => stream_failed(error, &name),
    }
}

/// `PUT …/imagestreams/{name}` (needs `metadata.resourceVersion`)
pub async fn replace(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    DryRun(write): DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    replace_decoded(&state, &caller, &namespace, &name, &body, write, owner).await
}

/// Decodes `body` as the stream's new version and writes it (`PUT`, and
/// `PATCH` once the patch is applied).
async fn replace_decoded(
    state: &AppState,
    caller: &ApiCaller,
    namespace: &str,
    name: &str,
    body: &[u8],
    write: is::Write,
    owner: FieldOwner,
) -> Response {
    let stream: ImageStream = match decode(body, "ImageStream") {
        Ok(stream) => stream,
        Err(bad) => return bad.into_response(),
    };
    if let Err(error) = is::require_references_access(caller, namespace, &stream.spec.tags) {
        return stream_failed(error, name);
    }
    match is::replace_with(&state.services, namespace, name, stream, write, owner).await {
        Ok(stream) => Json(stream).into_response(),
        Err(error) => stream_failed(error, name),
    }
}

/// `PATCH …/imagestreams/{name}`: the patch is applied to the stream as
/// read now (or at the resource version the patch names, if it names one);
/// a server-side apply may also create it.
pub async fn patch(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    DryRun(write): DryRun,
    manager: FieldManager,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    if super::patch::is_apply(&headers) {
        return super::apply::apply_image_stream(
            &state.services,
            &caller,
            &namespace,
            &name,
            write,
            &manager,
            &body,
        )
        .await;
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let current = match is::get(&state.services, &namespace, &name).await {
        Ok(current) => current,
        Err(error) => return stream_failed(error, &name),
    };
    let current = match serde_json::to_value(&current) {
        Ok(current) => current,
        Err(error) => return stream_failed(engine::Error::Internal(error.to_string()), &name),
    };
    let patched = match super::patch::apply(
        &headers,
        current,
        &body,
        &super::strategic_merge::IMAGE_STREAM,
    ) {
        Ok(patched) => patched,
        Err(refused) => return refused.into_response(),
    };
    let patched = patched.to_string();
    replace_decoded(
        &state,
        &caller,
        &namespace,
        &name,
        patched.as_bytes(),
        write,
        owner,
    )
    .await
}

/// `DELETE …/imagestreams/{name}`
pub async fn delete(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    dry_run: DryRun,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Delete, Resource::ImageStreams, &namespace) {
        return stream_failed(error, &name);
    }
    let DryRun(write) = match dry_run.or_in_delete_options(&body) {
        Ok(dry_run) => dry_run,
        Err(refused) => return refused.into_response(),
    };
    match is::delete_with(&state.services, &namespace, &name, write).await {
        Ok(_) => success(StatusCode::OK, GROUP, "imagestreams", &name),
        Err(error) => stream_failed(error, &name),
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

/// `GET /apis/image.openshift.io/v1/images`: images by digest, paged
/// (`limit`/`continue`), for cluster admins.
pub async fn list_images(
    State(state): State<AppState>,
    caller: ApiCaller,
    options: ListOptions,
) -> Response {
    let after = options.after.clone().unwrap_or_default();
    let read_limit = options
        .limit
        .map_or(usize::MAX, |limit| limit.saturating_add(1));
    let images = match is::list_images(&state.services, &caller, &after, read_limit).await {
        Ok(images) => images,
        Err(error) => return failed(error, "Image", "images", ""),
    };
    let (mut images, more) = options.cut_page(images);
    // The page continues after its last image read, selected or not: a page
    // whose images all fail the selector must not end the list.
    let next = images
        .last()
        .filter(|_| more)
        .map(|image| continue_token(&image.metadata.name))
        .unwrap_or_default();
    images.retain(|image| options.selects(&image.metadata));
    Json(serde_json::json!({
        "kind": "ImageList",
        "apiVersion": "image.openshift.io/v1",
        "metadata": ListMeta { resource_version: String::new(), continue_token: next },
        "items": images,
    }))
    .into_response()
}

/// `GET /apis/image.openshift.io/v1/images/{digest}`
pub async fn get_cluster_image(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(digest): Path<String>,
) -> Response {
    match is::read_image(&state.services, &caller, &digest).await {
        Ok(image) => Json(image).into_response(),
        Err(error) => failed(error, "Image", "images", &digest),
    }
}
