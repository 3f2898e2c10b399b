//! Server-side apply of a trigger owner (a BuildConfig, DeploymentConfig or
//! annotated workload; `kubectl apply --server-side`): created if missing,
//! the applier owns exactly the fields it applied (containers and their
//! `env` item by item, a list of triggers as a whole), and a change to a
//! field another manager owns is a conflict unless forced - as for image
//! streams ([`crate::api::apply`]).

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use engine::{
    clock,
    field_management::{self, Conflict, FieldOwner, ManagedFields},
    imagestreams::Write,
    model::{
        access::{Resource, Verb},
        triggers::OwnerKind,
    },
    store::StoredOwner,
    triggers,
};
use serde_json::Value;

use super::super::{
    apply::{conflicts_response, read_config, required_version, retried},
    field_manager::FieldManager,
    status::Refusal,
};
use crate::access::ApiCaller;

/// The object an apply is about.
pub struct Target<'a> {
    pub kind: OwnerKind,
    pub namespace: &'a str,
    pub name: &'a str,
}

/// Why an apply was refused.
enum Refused {
    Conflicts(Vec<Conflict>),
    Request(Refusal),
    Engine(engine::Error),
}

impl From<engine::Error> for Refused {
    fn from(error: engine::Error) -> Refused {
        Refused::Engine(error)
    }
}

/// The answer to an apply: the owner it made (201) or changed (200), or
/// why not.
pub async fn apply_owner(
    services: &engine::Services,
    caller: &ApiCaller,
    target: Target<'_>,
    write: Write,
    manager: &FieldManager,
    body: &[u8],
) -> Response {
    let Target { kind, name, .. } = target;
    match try_apply(services, caller, &target, write, manager, body).await {
        Ok((code, owner)) => (code, Json(owner.document)).into_response(),
        Err(Refused::Conflicts(conflicts)) => {
            conflicts_response(name, kind.group(), kind.resource(), &conflicts)
        }
        Err(Refused::Request(refusal)) => refusal.into_response(),
        Err(Refused::Engine(error)) => super::failed(error, kind, name),
    }
}

async fn try_apply(
    services: &engine::Services,
    caller: &ApiCaller,
    target: &Target<'_>,
    write: Write,
    manager: &FieldManager,
    body: &[u8],
) -> Result<(StatusCode, StoredOwner), Refused> {
    let Target {
        kind,
        namespace,
        name,
    } = *target;
    let applier = manager.for_apply().map_err(Refused::Request)?;
    let config =
        read_config(body, &[kind.api_version()], kind.as_str(), name).map_err(Refused::Request)?;
    let required_version = required_version(&config);
    retried(
        required_version.is_some(),
        async || -> Result<_, Refused> {
            let live = match triggers::get(services, namespace, kind, name).await {
                Ok(live) => Some(live.document),
                Err(engine::Error::NotFound { .. }) => None,
                Err(error) => return Err(error.into()),
            };
            if live.is_none() {
                caller.require(Verb::Create, Resource::TriggerOwners, namespace)?;
            }
            let mut document = applied(live.as_ref(), &config, applier, manager.force, target)?;
            if let (Some(_), Some(version)) = (&live, &required_version) {
                document["metadata"]["resourceVersion"] = Value::from(version.as_str());
            }
            Ok(match live {
                Some(_) => triggers::replace_with(
                    services,
                    namespace,
                    kind,
                    name,
                    document,
                    write,
                    &FieldOwner::Applied,
                )
                .await
                .map(|owner| (StatusCode::OK, owner)),
                None => triggers::create_with(
                    services,
                    namespace,
                    kind,
                    document,
                    write,
                    &FieldOwner::Applied,
                )
                .await
                .map(|owner| (StatusCode::CREATED, owner)),
            })
        },
    )
    .await
}

/// `config` applied by `applier` to the owner as it is now (`None`: not
/// there yet), with its field owners in `metadata.managedFields`.
fn applied(
    live: Option<&Value>,
    config: &Value,
    applier: &str,
    force: bool,
    target: &Target<'_>,
) -> Result<Value, Refused> {
    let mut managed =
        ManagedFields::read(live.and_then(|live| live.pointer("/metadata/managedFields")));
    managed.new_entries_version = target.kind.api_version();
    let (mut object, managed) =
        field_management::server_side_apply(live, config, &managed, applier, force, clock::now())
            .map_err(Refused::Conflicts)?;
    object["apiVersion"] = Value::from(target.kind.api_version());
    object["kind"] = Value::from(target.kind.as_str());
    if !object["metadata"].is_object() {
        object["metadata"] = Value::Object(Default::default());
    }
    object["metadata"]["name"] = Value::from(target.name);
    object["metadata"]["namespace"] = Value::from(target.namespace);
    managed.write_into(&mut object);
    Ok(object)
}
