//! `project.openshift.io/v1`: project requests and projects, and the same
//! projects as the core group's Namespaces: listed, read, created (a
//! Project or Namespace object, as `kubectl create namespace` and GitOps
//! tools send it), their display name and description changed (`PUT`,
//! patches, server-side apply), deleted; every write takes dry runs.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use engine::model::{
    NewProject, ObjectMeta, Project,
    access::{Resource, Verb},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    ApiError,
    apply::read_config,
    body::decode,
    dry_run::DryRun,
    field_manager::FieldManager,
    list_options::ListOptions,
    status::{Refusal, success},
    table,
};
use crate::{access::ApiCaller, state::AppState};

/// The routes of projects, project requests and namespaces.
pub fn routes() -> Router<AppState> {
    use axum::routing::{get, post};
    let handlers = |face: Face| {
        (
            move |state, caller, options, headers| list(face, state, caller, options, headers),
            move |state, caller, path| read(face, state, caller, path),
            move |state, caller, dry_run, headers, body| {
                create(face, state, caller, dry_run, headers, body)
            },
            move |state, caller, path, dry_run, headers, body| {
                replace(face, state, caller, path, dry_run, headers, body)
            },
            move |state, caller, path, dry_run, manager, headers, body| {
                patch(face, state, caller, path, dry_run, manager, headers, body)
            },
            move |state, caller, path, dry_run, body| {
                delete(face, state, caller, path, dry_run, body)
            },
        )
    };
    let (
        list_projects,
        read_project,
        create_project,
        replace_project,
        patch_project,
        delete_project,
    ) = handlers(Face::Project);
    let (
        list_namespaces,
        read_namespace,
        create_namespace,
        replace_namespace,
        patch_namespace,
        delete_namespace,
    ) = handlers(Face::Namespace);
    Router::new()
        .route(
            "/apis/project.openshift.io/v1/projectrequests",
            post(request),
        )
        .route(
            "/apis/project.openshift.io/v1/projects",
            get(list_projects).post(create_project),
        )
        .route(
            "/apis/project.openshift.io/v1/projects/{name}",
            get(read_project)
                .put(replace_project)
                .patch(patch_project)
                .delete(delete_project),
        )
        .route(
            "/api/v1/namespaces",
            get(list_namespaces).post(create_namespace),
        )
        .route(
            "/api/v1/namespaces/{name}",
            get(read_namespace)
                .put(replace_namespace)
                .patch(patch_namespace)
                .delete(delete_namespace),
        )
}

const GROUP: &str = "project.openshift.io";
const DISPLAY_NAME: &str = "openshift.io/display-name";
const DESCRIPTION: &str = "openshift.io/description";

/// `oc new-project`'s request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProjectRequest {
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted as sent by oc; the kind is implied by the URL"
    )]
    api_version: String,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted as sent by oc; the kind is implied by the URL"
    )]
    kind: String,
    #[serde(default)]
    metadata: ObjectMeta,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProjectObject {
    kind: &'static str,
    api_version: &'static str,
    metadata: ObjectMeta,
    spec: serde_json::Value,
    status: serde_json::Value,
}

fn object(project: Project) -> ProjectObject {
    let mut metadata = ObjectMeta {
        name: project.name,
        creation_timestamp: Some(project.created),
        ..ObjectMeta::default()
    };
    for (key, value) in [
        (DISPLAY_NAME, project.display_name),
        (DESCRIPTION, project.description),
    ] {
        if !value.is_empty() {
            metadata.annotations.insert(key.into(), value);
        }
    }
    ProjectObject {
        kind: "Project",
        api_version: "project.openshift.io/v1",
        metadata,
        spec: serde_json::json!({ "finalizers": ["kubernetes"] }),
        status: serde_json::json!({ "phase": "Active" }),
    }
}

fn failed(error: engine::Error, name: &str) -> ApiError {
    ApiError {
        error,
        kind: "Project",
        group: GROUP,
        resource: "projects",
        name: name.to_owned(),
    }
}

/// `POST /apis/project.openshift.io/v1/projectrequests`
async fn request(
    State(state): State<AppState>,
    caller: ApiCaller,
    DryRun(write): DryRun,
    body: Bytes,
) -> Response {
    let request: ProjectRequest = match decode(&body, "ProjectRequest") {
        Ok(request) => request,
        Err(bad) => return bad.into_response(),
    };
    let name = request.metadata.name.clone();
    let new = NewProject {
        name: request.metadata.name,
        display_name: request.display_name,
        description: request.description,
    };
    match engine::projects::create_with(&state.services.store, &caller, new, write).await {
        Ok(project) => (StatusCode::CREATED, Json(object(project))).into_response(),
        Err(error) => failed(error, &name).into_response(),
    }
}

/// The projects the caller sees that `options` choose (`labelSelector`,
/// `fieldSelector=metadata.name=…`) in the shape of `face`.
async fn chosen(
    state: &AppState,
    caller: &ApiCaller,
    options: &ListOptions,
    face: Face,
) -> Result<Vec<Project>, engine::Error> {
    let projects = engine::projects::list(&state.services.store, caller).await?;
    Ok(projects
        .into_iter()
        .filter(|project| options.selects_document(&face.shape(project.clone())))
        .collect())
}

fn project_value(project: Project) -> serde_json::Value {
    serde_json::to_value(object(project)).unwrap_or_default()
}

/// `GET` of the projects as `face` lists them, or a Table for kubectl (`oc
/// get projects`: name, display name, status; `kubectl get namespaces`:
/// name, status, age).
async fn list(
    face: Face,
    State(state): State<AppState>,
    caller: ApiCaller,
    options: ListOptions,
    headers: HeaderMap,
) -> Response {
    let projects = match chosen(&state, &caller, &options, face).await {
        Ok(projects) => projects,
        Err(error) => return face.failed(error, ""),
    };
    if table::wants_table(&headers) {
        let now = time::OffsetDateTime::now_utc();
        let objects: Vec<ProjectObject> = projects.into_iter().map(object).collect();
        let (columns, rows) = match face {
            Face::Project => (
                table::project_columns(),
                objects
                    .iter()
                    .map(|o| table::project_row(&o.metadata))
                    .collect(),
            ),
            Face::Namespace => (
                table::namespace_columns(),
                objects
                    .iter()
                    .map(|o| table::namespace_row(&o.metadata, now))
                    .collect(),
            ),
        };
        return Json(table::table(columns, rows, "", None)).into_response();
    }
    let items: Vec<Value> = projects.into_iter().map(|p| face.shape(p)).collect();
    Json(serde_json::json!({
        "kind": format!("{}List", face.kind()),
        "apiVersion": face.api_version(),
        "metadata": {},
        "items": items,
    }))
    .into_response()
}

/// `GET` of one project, as a Project or a Namespace.
async fn read(
    face: Face,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> Response {
    match engine::projects::get(&state.services.store, &caller, &name).await {
        Ok(project) => Json(face.shape(project)).into_response(),
        Err(error) => face.failed(error, &name),
    }
}

/// A project as the core group's Namespace (kubectl reads one to explain a
/// missing object, and `kubectl get namespaces` lists them).
fn namespace(project: Project) -> serde_json::Value {
    let mut object = project_value(project);
    object["kind"] = "Namespace".into();
    object["apiVersion"] = "v1".into();
    object
}

/// Which of the two faces of a project a request uses.
#[derive(Clone, Copy)]
enum Face {
    Project,
    Namespace,
}

impl Face {
    fn shape(self, project: Project) -> Value {
        match self {
            Face::Project => project_value(project),
            Face::Namespace => namespace(project),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Face::Project => "Project",
            Face::Namespace => "Namespace",
        }
    }

    fn api_version(self) -> &'static str {
        match self {
            Face::Project => "project.openshift.io/v1",
            Face::Namespace => "v1",
        }
    }

    fn failed(self, error: engine::Error, name: &str) -> Response {
        match self {
            Face::Project => failed(error, name).into_response(),
            Face::Namespace => ApiError {
                error,
                kind: "Namespace",
                group: "",
                resource: "namespaces",
                name: name.to_owned(),
            }
            .into_response(),
        }
    }
}

/// The project an object describes: its name, and its display name and
/// description from the OpenShift annotations (`base` supplies what the
/// object leaves out).
fn project_of(object: &Value, base: Option<&Project>) -> NewProject {
    let annotation = |key: &str| {
        object
            .pointer("/metadata/annotations")
            .and_then(|annotations| annotations.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let keep = |current: Option<&String>| current.cloned().unwrap_or_default();
    NewProject {
        name: object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        display_name: annotation(DISPLAY_NAME)
            .unwrap_or_else(|| keep(base.map(|project| &project.display_name))),
        description: annotation(DESCRIPTION)
            .unwrap_or_else(|| keep(base.map(|project| &project.description))),
    }
}

/// The object a create or replace sends: JSON, or protobuf as kubectl
/// sends a Namespace.
fn json_object(headers: &HeaderMap, body: &[u8], face: Face) -> Result<Value, Refusal> {
    if super::protobuf::is_protobuf(headers) {
        return super::protobuf::object_metadata(body).ok_or_else(|| {
            Refusal::bad_request(format!("the body is not a {} in protobuf", face.kind()))
        });
    }
    let object: Value = serde_json::from_slice(body).map_err(|error| {
        Refusal::bad_request(format!(
            "{kind} in version \"{version}\" cannot be handled as a {kind}: {error}",
            kind = face.kind(),
            version = face.api_version()
        ))
    })?;
    if !object.is_object() {
        return Err(Refusal::bad_request(format!(
            "the body must be a {} object",
            face.kind()
        )));
    }
    Ok(object)
}

/// `POST /apis/project.openshift.io/v1/projects` or `/api/v1/namespaces`:
/// a project made from a Project or Namespace object.
async fn create(
    face: Face,
    State(state): State<AppState>,
    caller: ApiCaller,
    DryRun(write): DryRun,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::ProjectRequests, "") {
        return face.failed(error, "");
    }
    let object = match json_object(&headers, &body, face) {
        Ok(object) => object,
        Err(refused) => return refused.into_response(),
    };
    let new = project_of(&object, None);
    let name = new.name.clone();
    match engine::projects::create_with(&state.services.store, &caller, new, write).await {
        Ok(project) => (StatusCode::CREATED, Json(face.shape(project))).into_response(),
        Err(error) => face.failed(error, &name),
    }
}

/// `PUT` of a project: its display name and description as the object
/// has them (annotations left out are cleared).
async fn replace(
    face: Face,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    DryRun(write): DryRun,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::Projects, &name) {
        return face.failed(error, &name);
    }
    let object = match json_object(&headers, &body, face) {
        Ok(object) => object,
        Err(refused) => return refused.into_response(),
    };
    let change = project_of(&object, None);
    if change.name != name {
        let refused = Refusal::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({name})",
            change.name
        ));
        return refused.into_response();
    }
    match engine::projects::update_with(&state.services.store, &caller, change, write).await {
        Ok(project) => Json(face.shape(project)).into_response(),
        Err(error) => face.failed(error, &name),
    }
}

/// `PATCH` of a project: merge, JSON or strategic merge patches of its
/// object, or a server-side apply (which creates it when missing, and
/// otherwise sets what the configuration names).
#[expect(
    clippy::too_many_arguments,
    reason = "an axum handler: the face and one argument per extractor"
)]
async fn patch(
    face: Face,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    DryRun(write): DryRun,
    manager: FieldManager,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let store = &state.services.store;
    let applying = super::patch::is_apply(&headers);
    // A patch changes a project that exists; an apply may also create one
    // (then the create decides).
    if !applying && let Err(error) = caller.require(Verb::Update, Resource::Projects, &name) {
        return face.failed(error, &name);
    }
    let current = match engine::projects::get(store, &caller, &name).await {
        Ok(current) => Some(current),
        // An apply may create the project: whether the caller may is the
        // create's to say.
        Err(engine::Error::NotFound { .. }) if applying => None,
        Err(engine::Error::Forbidden(_))
            if applying
                && matches!(
                    store.get_project(&name).await,
                    Err(engine::Error::NotFound { .. })
                ) =>
        {
            None
        }
        Err(error) => return face.failed(error, &name),
    };
    let patched = if applying {
        if let Err(refused) = manager.for_apply() {
            return refused.into_response();
        }
        read_config(&body, &[face.api_version()], face.kind(), &name)
    } else {
        let shaped = current.clone().map(|project| face.shape(project));
        super::patch::apply(
            &headers,
            shaped.unwrap_or_default(),
            &body,
            &super::strategic_merge::WORKLOAD,
        )
    };
    let patched = match patched {
        Ok(patched) => patched,
        Err(refused) => return refused.into_response(),
    };
    let mut change = project_of(&patched, current.as_ref());
    change.name = name.clone();
    let answer = match current {
        Some(_) => engine::projects::update_with(store, &caller, change, write)
            .await
            .map(|project| (StatusCode::OK, project)),
        None => engine::projects::create_with(store, &caller, change, write)
            .await
            .map(|project| (StatusCode::CREATED, project)),
    };
    match answer {
        Ok((code, project)) => (code, Json(face.shape(project))).into_response(),
        Err(error) => face.failed(error, &name),
    }
}

/// `DELETE` of a project or namespace (`kubectl delete namespace`).
async fn delete(
    face: Face,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
    dry_run: DryRun,
    body: Bytes,
) -> Response {
    let DryRun(write) = match dry_run.or_in_delete_options(&body) {
        Ok(dry_run) => dry_run,
        Err(refused) => return refused.into_response(),
    };
    match engine::projects::delete_with(&state.services.store, &caller, &name, write).await {
        Ok(()) => {
            let (group, resource) = match face {
                Face::Project => (GROUP, "projects"),
                Face::Namespace => ("", "namespaces"),
            };
            success(StatusCode::OK, group, resource, &name)
        }
        Err(error) => face.failed(error, &name),
    }
}
