//! The objects that own image change triggers, at their Kubernetes and
//! OpenShift paths: BuildConfigs (`build.openshift.io/v1`), DeploymentConfigs
//! (`apps.openshift.io/v1`), Deployments, StatefulSets and DaemonSets
//! (`apps/v1`), CronJobs and Jobs (`batch/v1`) and Pods (`v1`); and the
//! builds the BuildConfigs' triggers started. Writes take `?dryRun=All`
//! and `?fieldManager=`; a `PATCH` may be a server-side apply ([`apply`]).

mod apply;

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use engine::{
    field_management::FieldOwner,
    imagestreams::Write,
    model::{
        access::{Resource, Verb},
        triggers::OwnerKind,
    },
    store::StoredOwner,
    triggers,
};
use serde_json::{Value, json};

use super::{
    ApiError,
    dry_run::DryRun,
    field_manager::FieldManager,
    list_options::{ListOptions, continue_token},
    status::{bad_request, success},
    watch::{self, Watched},
};
use crate::{access::ApiCaller, state::AppState};

fn failed(error: engine::Error, kind: OwnerKind, name: &str) -> Response {
    ApiError {
        error,
        kind: kind.as_str(),
        group: kind.group(),
        resource: kind.resource(),
        name: name.to_owned(),
    }
    .into_response()
}

/// The body as JSON, or why it is not (for a 400 answer).
fn json_body(body: &Bytes, kind: OwnerKind) -> Result<Value, String> {
    serde_json::from_slice(body).map_err(|error| {
        format!(
            "{kind} in version \"{}\" cannot be handled as a {kind}: {error}",
            kind.api_version()
        )
    })
}

/// The collection and item routes of every owner kind.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for kind in OwnerKind::ALL {
        let base = match kind.api_version() {
            "v1" => "/api/v1".to_owned(),
            version => format!("/apis/{version}"),
        };
        let collection = format!("{base}/namespaces/{{namespace}}/{}", kind.resource());
        router = router
            .route(
                &collection,
                get(move |state, caller, path, options| list(kind, state, caller, path, options))
                    .post(move |state, caller, path, dry_run, manager, body| {
                        create(kind, state, caller, path, dry_run, manager, body)
                    }),
            )
            .route(
                &format!("{collection}/{{name}}"),
                get(move |state, caller, path| read(kind, state, caller, path))
                    .put(move |state, caller, path, dry_run, manager, body| {
                        replace(kind, state, caller, path, dry_run, manager, body)
                    })
                    .patch(
                        move |state, caller, path, dry_run, manager, headers, body| {
                            patch(kind, state, caller, path, dry_run, manager, headers, body)
                        },
                    )
                    .delete(move |state, caller, path, dry_run, body| {
                        delete(kind, state, caller, path, dry_run, body)
                    }),
            );
    }
    router.route(
        "/apis/build.openshift.io/v1/namespaces/{namespace}/builds",
        get(builds),
    )
}

/// `GET` of a collection: the owners of one kind, chosen by `labelSelector`
/// and `fieldSelector`, a page at a time with `limit` and `continue`, or a
/// watch of them (`?watch=true`, as `kubectl get -w` and `kubectl wait`
/// ask).
async fn list(
    kind: OwnerKind,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    options: ListOptions,
) -> Response {
    if let Err(error) = caller.require(Verb::List, Resource::TriggerOwners, &namespace) {
        return failed(error, kind, "");
    }
    if options.watch {
        return watch_owners(&state, kind, namespace, options).await;
    }
    // Read first, so that a watch from this version misses nothing.
    let version = match super::image_streams::list_version(&state).await {
        Ok(version) => version,
        Err(error) => return failed(error, kind, ""),
    };
    let owners = match triggers::list(&state.services, &namespace, Some(kind)).await {
        Ok(owners) => owners,
        Err(error) => return failed(error, kind, ""),
    };
    let after = options.after.as_deref().unwrap_or("");
    let mut selected: Vec<StoredOwner> = owners
        .into_iter()
        .filter(|owner| owner.name.as_str() > after && options.selects_document(&owner.document))
        .collect();
    // In byte order, as the continue token's `>` compares (the database's
    // collation may order names otherwise).
    selected.sort_by(|a, b| a.name.cmp(&b.name));
    let (items, more) = options.cut_page(selected);
    let mut metadata = json!({ "resourceVersion": version });
    if let Some(last) = items.last().filter(|_| more) {
        metadata["continue"] = json!(continue_token(&last.name));
    }
    Json(json!({
        "kind": format!("{kind}List"),
        "apiVersion": kind.api_version(),
        "metadata": metadata,
        "items": items.into_iter().map(|o| o.document).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `?watch=true` on a collection of owners.
async fn watch_owners(
    state: &AppState,
    kind: OwnerKind,
    namespace: String,
    options: ListOptions,
) -> Response {
    let watched = Watched {
        kind: kind.as_str(),
        api_version: kind.api_version(),
        group: kind.group(),
        resource: kind.resource(),
        logged_as: kind.qualified_resource(),
    };
    let services = state.services.clone();
    let selector = options.clone();
    let one = namespace.clone();
    let current = async move {
        let owners = triggers::list(&services, &one, Some(kind)).await?;
        Ok(owners
            .into_iter()
            .map(|owner| owner.document)
            .filter(|document| selector.selects_document(document))
            .collect())
    };
    let selector = options.clone();
    let present = move |object: Value| selector.selects_document(&object).then_some(object);
    watch::follow(state, watched, Some(namespace), options, current, present).await
}

async fn read(
    kind: OwnerKind,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
) -> Response {
    if let Err(error) = caller.require(Verb::Get, Resource::TriggerOwners, &namespace) {
        return failed(error, kind, &name);
    }
    match triggers::get(&state.services, &namespace, kind, &name).await {
        Ok(owner) => Json(owner.document).into_response(),
        Err(error) => failed(error, kind, &name),
    }
}

async fn create(
    kind: OwnerKind,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    DryRun(write): DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Create, Resource::TriggerOwners, &namespace) {
        return failed(error, kind, "");
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let document = match json_body(&body, kind) {
        Ok(document) => document,
        Err(message) => return bad_request(message),
    };
    let name = document
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match triggers::create_with(&state.services, &namespace, kind, document, write, &owner).await {
        Ok(owner) => (StatusCode::CREATED, Json(owner.document)).into_response(),
        Err(error) => failed(error, kind, &name),
    }
}

async fn replace(
    kind: OwnerKind,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    DryRun(write): DryRun,
    manager: FieldManager,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::TriggerOwners, &namespace) {
        return failed(error, kind, &name);
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let document = match json_body(&body, kind) {
        Ok(document) => document,
        Err(message) => return bad_request(message),
    };
    let target = apply::Target {
        kind,
        namespace: &namespace,
        name: &name,
    };
    replace_answer(&state.services, target, document, write, &owner).await
}

/// The answer to a `PUT` or a `PATCH` once the new document is known.
async fn replace_answer(
    services: &engine::Services,
    target: apply::Target<'_>,
    document: Value,
    write: Write,
    owner: &FieldOwner,
) -> Response {
    let apply::Target {
        kind,
        namespace,
        name,
    } = target;
    match triggers::replace_with(services, namespace, kind, name, document, write, owner).await {
        Ok(owner) => Json(owner.document).into_response(),
        Err(error) => failed(error, kind, name),
    }
}

/// `PATCH`: merge or JSON patch applied to the object as stored now, or a
/// server-side apply (which may also create it).
#[expect(
    clippy::too_many_arguments,
    reason = "an axum handler: the owner kind and one argument per extractor"
)]
async fn patch(
    kind: OwnerKind,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    DryRun(write): DryRun,
    manager: FieldManager,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Update, Resource::TriggerOwners, &namespace) {
        return failed(error, kind, &name);
    }
    if super::patch::is_apply(&headers) {
        let target = apply::Target {
            kind,
            namespace: &namespace,
            name: &name,
        };
        return apply::apply_owner(&state.services, &caller, target, write, &manager, &body).await;
    }
    let owner = match manager.for_update() {
        Ok(owner) => owner,
        Err(refused) => return refused.into_response(),
    };
    let current = match triggers::get(&state.services, &namespace, kind, &name).await {
        Ok(owner) => owner.document,
        Err(error) => return failed(error, kind, &name),
    };
    let document =
        match super::patch::apply(&headers, current, &body, &super::strategic_merge::WORKLOAD) {
            Ok(document) => document,
            Err(refused) => return refused.into_response(),
        };
    let target = apply::Target {
        kind,
        namespace: &namespace,
        name: &name,
    };
    replace_answer(&state.services, target, document, write, &owner).await
}

async fn delete(
    kind: OwnerKind,
    State(state): State<AppState>,
    caller: ApiCaller,
    Path((namespace, name)): Path<(String, String)>,
    dry_run: DryRun,
    body: Bytes,
) -> Response {
    if let Err(error) = caller.require(Verb::Delete, Resource::TriggerOwners, &namespace) {
        return failed(error, kind, &name);
    }
    let DryRun(write) = match dry_run.or_in_delete_options(&body) {
        Ok(dry_run) => dry_run,
        Err(refused) => return refused.into_response(),
    };
    match triggers::delete_with(&state.services, &namespace, kind, &name, write).await {
        Ok(_) => success(StatusCode::OK, kind.group(), kind.resource(), &name),
        Err(error) => failed(error, kind, &name),
    }
}

/// `GET …/builds`: the builds image change triggers started, as Build
/// objects, chosen by `labelSelector` (`buildconfig=<name>`, as `oc get
/// builds -l` asks) and `fieldSelector`.
async fn builds(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(namespace): Path<String>,
    options: ListOptions,
) -> Response {
    if let Err(error) = caller.require(Verb::List, Resource::TriggerOwners, &namespace) {
        return failed(error, OwnerKind::BuildConfig, "");
    }
    let runs = match state.services.store.trigger_runs(&namespace, None).await {
        Ok(runs) => runs,
        Err(error) => return failed(error, OwnerKind::BuildConfig, ""),
    };
    let items: Vec<Value> = runs
        .into_iter()
        .filter(|run| run.kind == OwnerKind::BuildConfig)
        .map(|run| {
            let image = run.images.first().map(|(_, image)| image.clone()).unwrap_or_default();
            json!({
                "kind": "Build",
                "apiVersion": "build.openshift.io/v1",
                "metadata": {
                    "name": run.name,
                    "namespace": namespace,
                    "creationTimestamp": engine::clock::from_millis(run.created_ms),
                    "labels": {"buildconfig": run.owner},
                    "annotations": {"openshift.io/build.number": run.number.to_string()},
                },
                "spec": {"triggeredBy": [{
                    "message": run.cause,
                    "imageChangeBuild": {"imageID": image},
                }]},
                "status": {"phase": "New", "config": {"kind": "BuildConfig", "name": run.owner, "namespace": namespace}},
            })
        })
        .filter(|build| options.selects_document(build))
        .collect();
    Json(json!({"kind": "BuildList", "apiVersion": "build.openshift.io/v1", "metadata": {}, "items": items}))
        .into_response()
}
