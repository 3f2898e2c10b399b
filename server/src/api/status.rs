//! Errors as Kubernetes `Status` objects, with the HTTP code and reason
//! kubectl and client libraries expect (404 NotFound, 409 Conflict or
//! AlreadyExists, 422 Invalid with one cause per field, …).

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use engine::Error;
use serde::Serialize;

/// What an API call refused, and about which object.
#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    /// The object's kind (`ImageStream`) and group, for messages and details.
    pub kind: &'static str,
    pub group: &'static str,
    pub resource: &'static str,
    pub name: String,
}

impl ApiError {
    /// An error about no object in particular (signing in, credentials).
    pub fn about_nothing(error: Error) -> Self {
        ApiError {
            error,
            kind: "",
            group: "",
            resource: "",
            name: String::new(),
        }
    }
}

/// A request that is malformed before any rule applies (bad JSON).
pub fn bad_request(message: String) -> Response {
    status_response(StatusCode::BAD_REQUEST, "BadRequest", message, None)
}

/// A request refused before any engine rule ran (malformed patch, unknown
/// option), answered as a `Status`.
#[derive(Debug)]
pub struct Refusal {
    pub code: StatusCode,
    pub reason: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn bad_request(message: String) -> Refusal {
        Refusal {
            code: StatusCode::BAD_REQUEST,
            reason: "BadRequest",
            message,
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        status_response(self.code, self.reason, self.message, None)
    }
}

/// A path or object that does not exist, outside any handler's object.
pub fn not_found(message: String) -> Response {
    status_response(StatusCode::NOT_FOUND, "NotFound", message, None)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    kind: &'static str,
    api_version: &'static str,
    metadata: serde_json::Value,
    status: &'static str,
    message: String,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Details>,
    code: u16,
}

#[derive(Serialize)]
pub(super) struct Details {
    pub name: String,
    pub group: &'static str,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<Cause>,
}

#[derive(Serialize)]
pub(super) struct Cause {
    pub reason: &'static str,
    pub message: String,
    pub field: String,
}

pub(super) fn status_response(
    code: StatusCode,
    reason: &'static str,
    message: String,
    details: Option<Details>,
) -> Response {
    let body = Status {
        kind: "Status",
        api_version: "v1",
        metadata: serde_json::json!({}),
        status: "Failure",
        message,
        reason,
        details,
        code: code.as_u16(),
    };
    (code, Json(body)).into_response()
}

/// `{"kind":"Status","status":"Success",…}`, as Kubernetes answers a delete.
pub fn success(
    code: StatusCode,
    group: &'static str,
    resource: &'static str,
    name: &str,
) -> Response {
    let body = serde_json::json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": { "name": name, "group": group, "kind": resource },
    });
    (code, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let details = |causes| {
            Some(Details {
                name: self.name.clone(),
                group: self.group,
                kind: self.resource,
                causes,
            })
        };
        match &self.error {
            Error::Invalid(fields) => {
                let message = format!(
                    "{}.{} \"{}\" is invalid: {}",
                    self.kind,
                    self.group,
                    self.name,
                    fields
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                let causes = fields
                    .iter()
                    .map(|field| Cause {
                        reason: "FieldValueInvalid",
                        message: field.message.clone(),
                        field: field.field.clone(),
                    })
                    .collect();
                status_response(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid",
                    message,
                    details(causes),
                )
            }
            Error::NotFound { .. } => status_response(
                StatusCode::NOT_FOUND,
                "NotFound",
                self.error.to_string(),
                details(vec![]),
            ),
            Error::AlreadyExists { .. } => status_response(
                StatusCode::CONFLICT,
                "AlreadyExists",
                self.error.to_string(),
                details(vec![]),
            ),
            Error::Conflict(message) => status_response(
                StatusCode::CONFLICT,
                "Conflict",
                message.clone(),
                details(vec![]),
            ),
            Error::Unauthenticated(message) => status_response(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                message.clone(),
                None,
            ),
            Error::RateLimited(message) => status_response(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                message.clone(),
                None,
            ),
            Error::Forbidden(message) => status_response(
                StatusCode::FORBIDDEN,
                "Forbidden",
                message.clone(),
                details(vec![]),
            ),
            Error::Unavailable(message) => status_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                message.clone(),
                None,
            ),
            Error::Internal(message) => status_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                message.clone(),
                None,
            ),
        }
    }
}
