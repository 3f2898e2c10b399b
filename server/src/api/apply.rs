//! Server-side apply of an image stream (`PATCH` with
//! `application/apply-patch+yaml`, as `kubectl apply --server-side`, Flux
//! and Argo CD send it): the stream is created if missing, the applier owns
//! exactly the fields it applied, and a change to a field another manager
//! owns is a conflict unless forced.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use engine::{
    clock,
    field_management::{self, Conflict, FieldOwner, ManagedFields},
    imagestreams as is,
    model::{
        IMAGE_API_VERSION, IMAGE_STREAM_KIND, ImageStream,
        access::{Resource, Verb},
    },
};
use serde_json::Value;

use super::{
    body::{BadBody, decode},
    field_manager::FieldManager,
    status::{Cause, Details, Refusal, status_response},
};
use crate::access::ApiCaller;

const GROUP: &str = "image.openshift.io";

/// Attempts an apply makes when another write lands between its read and
/// its write (Kubernetes retries such an apply on the server as well).
const ATTEMPTS: usize = 3;

/// Why an apply was refused.
enum Refused {
    /// Fields other managers own would change.
    Conflicts(Vec<Conflict>),
    /// The request is wrong.
    Request(Refusal),
    /// The body does not make an ImageStream.
    Body(BadBody),
    /// An engine rule or the store said no.
    Engine(engine::Error),
}

impl Refused {
    fn answer(self, name: &str) -> Response {
        match self {
            Refused::Conflicts(conflicts) => {
                conflicts_response(name, GROUP, "imagestreams", &conflicts)
            }
            Refused::Request(refusal) => refusal.into_response(),
            Refused::Body(bad) => bad.into_response(),
            Refused::Engine(error) => super::image_streams::stream_failed(error, name),
        }
    }
}

impl From<engine::Error> for Refused {
    fn from(error: engine::Error) -> Refused {
        Refused::Engine(error)
    }
}

/// The answer to an apply: the stream it made (201) or changed (200), or
/// why not.
pub async fn apply_image_stream(
    services: &engine::Services,
    caller: &ApiCaller,
    namespace: &str,
    name: &str,
    write: is::Write,
    manager: &FieldManager,
    body: &[u8],
) -> Response {
    match try_apply(services, caller, namespace, name, write, manager, body).await {
        Ok((code, stream)) => (code, Json(stream)).into_response(),
        Err(refused) => refused.answer(name),
    }
}

async fn try_apply(
    services: &engine::Services,
    caller: &ApiCaller,
    namespace: &str,
    name: &str,
    write: is::Write,
    manager: &FieldManager,
    body: &[u8],
) -> Result<(StatusCode, ImageStream), Refused> {
    let applier = manager.for_apply().map_err(Refused::Request)?;
    let config = read_config(body, &[IMAGE_API_VERSION, "v1"], IMAGE_STREAM_KIND, name)
        .map_err(Refused::Request)?;
    let required_version = required_version(&config);
    retried(
        required_version.is_some(),
        async || -> Result<_, Refused> {
            let live = match is::get(services, namespace, name).await {
                Ok(live) => Some(live),
                Err(engine::Error::NotFound { .. }) => None,
                Err(error) => return Err(error.into()),
            };
            if live.is_none() {
                caller.require(Verb::Create, Resource::ImageStreams, namespace)?;
            }
            let mut stream = applied_stream(
                live.as_ref(),
                &config,
                applier,
                manager.force,
                namespace,
                name,
            )?;
            if let (Some(_), Some(version)) = (&live, &required_version) {
                stream.metadata.resource_version = version.clone();
            }
            is::require_references_access(caller, namespace, &stream.spec.tags)?;
            Ok(match live {
                Some(_) => is::replace_with(
                    services,
                    namespace,
                    name,
                    stream,
                    write,
                    FieldOwner::Applied,
                )
                .await
                .map(|stream| (StatusCode::OK, stream)),
                None => is::create_with(services, namespace, stream, write, FieldOwner::Applied)
                    .await
                    .map(|stream| (StatusCode::CREATED, stream)),
            })
        },
    )
    .await
}

/// `config` applied by `applier` to the stream as it is now (`None`: not
/// there yet), with its field owners worked out.
fn applied_stream(
    live: Option<&ImageStream>,
    config: &Value,
    applier: &str,
    force: bool,
    namespace: &str,
    name: &str,
) -> Result<ImageStream, Refused> {
    let internal = |error: serde_json::Error| engine::Error::Internal(error.to_string());
    let managed = ManagedFields::read(live.and_then(|live| live.metadata.managed_fields.as_ref()));
    let live_value = live
        .map(serde_json::to_value)
        .transpose()
        .map_err(internal)?;
    let (mut object, managed) = field_management::server_side_apply(
        live_value.as_ref(),
        config,
        &managed,
        applier,
        force,
        clock::now(),
    )
    .map_err(Refused::Conflicts)?;
    object["apiVersion"] = Value::from(IMAGE_API_VERSION);
    object["kind"] = Value::from(IMAGE_STREAM_KIND);
    object["metadata"]["name"] = Value::from(name);
    object["metadata"]["namespace"] = Value::from(namespace);
    let bytes = serde_json::to_vec(&object).map_err(internal)?;
    let mut stream: ImageStream = decode(&bytes, IMAGE_STREAM_KIND).map_err(Refused::Body)?;
    stream.metadata.managed_fields = managed.to_value();
    Ok(stream)
}

/// The body as an object (YAML or JSON, read with the limits of the
/// console's YAML editor), with the kind, one of the versions (the first is
/// the one named when another is given) and the name of the request.
pub(super) fn read_config(
    body: &[u8],
    versions: &[&str],
    kind: &str,
    name: &str,
) -> Result<Value, Refusal> {
    let text = std::str::from_utf8(body).map_err(|_| {
        Refusal::bad_request("the apply configuration is not UTF-8 text".to_owned())
    })?;
    let config = engine::manifests::read_document(text).map_err(|problem| {
        Refusal::bad_request(format!("the apply configuration cannot be read: {problem}"))
    })?;
    if !config.is_object() {
        return Err(Refusal::bad_request(
            "the apply configuration must be an object".to_owned(),
        ));
    }
    let text = |field: &str| config.get(field).and_then(Value::as_str).unwrap_or("");
    // For an image stream, `v1` is OpenShift 3's version of the kind (the
    // legacy paths).
    if !versions.contains(&text("apiVersion")) {
        return Err(Refusal::bad_request(format!(
            "the API version in the data ({}) does not match the expected API version ({})",
            text("apiVersion"),
            versions.first().copied().unwrap_or_default()
        )));
    }
    if text("kind") != kind {
        return Err(Refusal::bad_request(format!(
            "the kind in the data ({}) does not match the expected kind ({kind})",
            text("kind")
        )));
    }
    let applied_name = config
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if applied_name != name {
        return Err(Refusal::bad_request(format!(
            "the name of the object ({applied_name}) does not match the name on the URL ({name})"
        )));
    }
    Ok(config)
}

/// The `metadata.resourceVersion` of an applied configuration: a
/// precondition on an object that exists (and ignored when the apply
/// creates it), as in Kubernetes.
pub(super) fn required_version(config: &Value) -> Option<String> {
    config
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .filter(|version| !version.is_empty())
        .map(str::to_owned)
}

/// Runs an apply's `attempt` (read, apply, write; an `Err` stops it, an
/// `Ok` carries the write's result) again while its write loses to another
/// write that came between its read and its write, at most [`ATTEMPTS`]
/// times - unless the configuration pinned a resource version, which then
/// decides.
pub(super) async fn retried<T, E: From<engine::Error>, Attempt>(
    pinned: bool,
    mut attempt: impl FnMut() -> Attempt,
) -> Result<T, E>
where
    Attempt: Future<Output = Result<Result<T, engine::Error>, E>>,
{
    let mut tries = 1;
    loop {
        match attempt().await? {
            Err(engine::Error::Conflict(_) | engine::Error::AlreadyExists { .. })
                if tries < ATTEMPTS && !pinned =>
            {
                tries += 1;
            }
            written => return Ok(written?),
        }
    }
}

/// `Apply failed with N conflicts: …`, the fields grouped by owner (each
/// owner once, in the order first met).
fn conflicts_message(conflicts: &[Conflict]) -> String {
    let mut managers: Vec<&str> = Vec::new();
    for conflict in conflicts {
        if !managers.contains(&conflict.manager.as_str()) {
            managers.push(&conflict.manager);
        }
    }
    let described: Vec<String> = managers
        .iter()
        .map(|manager| {
            let fields: Vec<String> = conflicts
                .iter()
                .filter(|c| c.manager == *manager)
                .map(Conflict::field)
                .collect();
            let version = conflicts
                .iter()
                .find(|c| c.manager == *manager)
                .map_or(IMAGE_API_VERSION, |c| c.api_version.as_str());
            match fields.as_slice() {
                [one] => format!("{}: {one}", conflict_with(manager, version)),
                many => format!(
                    "conflicts with \"{manager}\" using {version}:\n- {}",
                    many.join("\n- ")
                ),
            }
        })
        .collect();
    let count = conflicts.len();
    format!(
        "Apply failed with {count} conflict{}: {}",
        if count == 1 { "" } else { "s" },
        described.join("\n")
    )
}

/// `conflict with "<manager>" using image.openshift.io/v1`, as Kubernetes
/// names a conflict's owner.
fn conflict_with(manager: &str, version: &str) -> String {
    format!("conflict with \"{manager}\" using {version}")
}

/// 409 for an apply that would change fields other managers own: the
/// message groups the fields by owner, and each is a cause
/// (`FieldManagerConflict`).
pub(super) fn conflicts_response(
    name: &str,
    group: &'static str,
    resource: &'static str,
    conflicts: &[Conflict],
) -> Response {
    let message = conflicts_message(conflicts);
    let causes = conflicts
        .iter()
        .map(|conflict| Cause {
            reason: "FieldManagerConflict",
            message: conflict_with(&conflict.manager, &conflict.api_version),
            field: conflict.field(),
        })
        .collect();
    let details = Details {
        name: name.to_owned(),
        group,
        kind: resource,
        causes,
    };
    status_response(StatusCode::CONFLICT, "Conflict", message, Some(details))
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::field_management::{Operation, Step};

    #[test]
    fn conflicts_name_each_owner_once_with_all_its_fields() {
        let conflict = |manager: &str, field: &str| Conflict {
            manager: manager.to_owned(),
            operation: Operation::Update,
            api_version: IMAGE_API_VERSION.to_owned(),
            path: vec![
                Step::Field("metadata".to_owned()),
                Step::Field("labels".to_owned()),
                Step::Field(field.to_owned()),
            ],
        };
        let message = conflicts_message(&[
            conflict("edit", "a"),
            conflict("label", "a"),
            conflict("edit", "b"),
            conflict("label", "b"),
        ]);
        assert_eq!(
            message,
            "Apply failed with 4 conflicts: conflicts with \"edit\" using image.openshift.io/v1:\n- .metadata.labels.a\n- .metadata.labels.b\nconflicts with \"label\" using image.openshift.io/v1:\n- .metadata.labels.a\n- .metadata.labels.b"
        );
        assert_eq!(
            conflicts_message(&[conflict("edit", "a")]),
            "Apply failed with 1 conflict: conflict with \"edit\" using image.openshift.io/v1: .metadata.labels.a"
        );
    }
}
