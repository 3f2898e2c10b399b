//! The audit log's recorder: a layer every request passes through. A
//! request that asks for a change (any server function that is not a read,
//! any API write, signing in and out) is recorded after it is answered:
//! who sent it, what it asked for and about which object, from which
//! address, and the answer's status and message. Bodies are read to name
//! the object; passwords and tokens in them are never recorded.

mod describe;
mod export;

pub use describe::{CALLER, CHANGES, READS, describe, is_dry_run};
pub use export::export;

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use engine::model::audit::NewAuditEntry;
use http::{Method, StatusCode};

use crate::{
    access::{client_address, credentials_of},
    state::AppState,
};

/// How a handler's answer should be recorded when its status alone would
/// mislead (a refused sign-in answers a browser with a redirect).
#[derive(Debug, Clone)]
pub struct AuditOutcome {
    pub status: StatusCode,
    pub message: String,
}

/// The most of an error answer read for its message.
const MAX_ERROR_BODY: usize = 64 * 1024;
/// The longest message kept.
const MAX_MESSAGE: usize = 500;

pub async fn record_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    // The body limit layer outside has already bounded the body.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let Some(mut target) = describe(&parts.method, parts.uri.path(), &bytes) else {
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    if is_dry_run(&parts.method, parts.uri.path(), parts.uri.query(), &bytes) {
        target.action.push_str(" (dry run)");
    }
    let services = &state.services;
    let user = if target.action == "sign-in" {
        target.name.clone()
    } else {
        match engine::access::authenticate(services, &credentials_of(&parts.headers)).await {
            Ok(caller) => {
                let user = caller.user.clone();
                // The handler takes the caller from here instead of
                // authenticating the request a second time.
                parts.extensions.insert(caller);
                user
            }
            Err(_) => String::new(),
        }
    };
    let name = if target.name == CALLER {
        user.clone()
    } else {
        target.name
    };
    let client = client_address(&parts.extensions);
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (mut response, status, message) = outcome(response).await;
    // A server function that names what it touched (an applied YAML text).
    let named = response
        .headers_mut()
        .remove(app::api::AUDIT_NAME_HEADER)
        .and_then(|value| value.to_str().ok().map(str::to_owned));
    let name = match named {
        Some(named) if name.is_empty() => named.chars().take(MAX_MESSAGE).collect(),
        _ => name,
    };
    engine::audit::record(
        services,
        NewAuditEntry {
            at_ms: engine::clock::now_millis(),
            user,
            action: target.action,
            kind: target.kind,
            namespace: target.namespace,
            name,
            client,
            status: status.as_u16(),
            message,
        },
    )
    .await;
    response
}

/// The status and (for a failure) the message of `response`, which is
/// passed on unchanged.
async fn outcome(response: Response) -> (Response, StatusCode, String) {
    if let Some(noted) = response.extensions().get::<AuditOutcome>().cloned() {
        return (response, noted.status, noted.message);
    }
    let status = response.status();
    if status.as_u16() < 400 {
        return (response, status, String::new());
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let message = message_of(&bytes);
    (
        Response::from_parts(parts, Body::from(bytes)),
        status,
        message,
    )
}

/// The message of an error answer: a server function's error as the page
/// shows it, a Kubernetes `Status`'s `message`, or the text itself.
fn message_of(bytes: &[u8]) -> String {
    if let Ok(error) = serde_json::from_slice::<app::errors::ConsoleError>(bytes) {
        return error.to_string().chars().take(MAX_MESSAGE).collect();
    }
    let message = match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => value
            .get("message")
            .and_then(|m| m.as_str())
            .map(str::to_owned)
            .or_else(|| first_text(&value))
            .unwrap_or_default(),
        Err(_) => String::from_utf8_lossy(bytes).trim().to_owned(),
    };
    message.chars().take(MAX_MESSAGE).collect()
}

fn first_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Array(items) => items.iter().find_map(first_text),
        serde_json::Value::Object(fields) => fields.values().find_map(first_text),
        _ => None,
    }
}
