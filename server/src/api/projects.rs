//! `project.openshift.io/v1`: project requests, projects.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use engine::model::{NewProject, ObjectMeta, Project};
use serde::{Deserialize, Serialize};

use super::{ApiError, body::decode, dry_run::DryRun, list_options::ListOptions, status::success};
use crate::{access::ApiCaller, state::AppState};

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
pub async fn request(
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

/// The projects the caller sees, as `shape` makes them, that `options`
/// choose (`labelSelector`, `fieldSelector=metadata.name=…`).
async fn chosen(
    state: &AppState,
    caller: &ApiCaller,
    options: &ListOptions,
    shape: fn(Project) -> serde_json::Value,
) -> Result<Vec<serde_json::Value>, engine::Error> {
    let projects = engine::projects::list(&state.services.store, caller).await?;
    Ok(projects
        .into_iter()
        .map(shape)
        .filter(|object| options.selects_document(object))
        .collect())
}

fn project_value(project: Project) -> serde_json::Value {
    serde_json::to_value(object(project)).unwrap_or_default()
}

/// `GET /apis/project.openshift.io/v1/projects`
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    options: ListOptions,
) -> Response {
    match chosen(&state, &caller, &options, project_value).await {
        Ok(items) => Json(serde_json::json!({
            "kind": "ProjectList",
            "apiVersion": "project.openshift.io/v1",
            "metadata": {},
            "items": items,
        }))
        .into_response(),
        Err(error) => failed(error, "").into_response(),
    }
}

/// `GET /apis/project.openshift.io/v1/projects/{name}`
pub async fn get(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> Response {
    match engine::projects::get(&state.services.store, &caller, &name).await {
        Ok(project) => Json(object(project)).into_response(),
        Err(error) => failed(error, &name).into_response(),
    }
}

/// `DELETE /apis/project.openshift.io/v1/projects/{name}`
pub async fn delete(
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
        Ok(()) => success(StatusCode::OK, GROUP, "projects", &name),
        Err(error) => failed(error, &name).into_response(),
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

/// `GET /api/v1/namespaces`
pub async fn list_namespaces(
    State(state): State<AppState>,
    caller: ApiCaller,
    options: ListOptions,
) -> Response {
    match chosen(&state, &caller, &options, namespace).await {
        Ok(items) => Json(serde_json::json!({
            "kind": "NamespaceList",
            "apiVersion": "v1",
            "metadata": {},
            "items": items,
        }))
        .into_response(),
        Err(error) => namespace_failed(error, "").into_response(),
    }
}

/// `GET /api/v1/namespaces/{name}`
pub async fn get_namespace(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(name): Path<String>,
) -> Response {
    match engine::projects::get(&state.services.store, &caller, &name).await {
        Ok(project) => Json(namespace(project)).into_response(),
        Err(error) => namespace_failed(error, &name).into_response(),
    }
}

fn namespace_failed(error: engine::Error, name: &str) -> ApiError {
    ApiError {
        error,
        kind: "Namespace",
        group: "",
        resource: "namespaces",
        name: name.to_owned(),
    }
}
