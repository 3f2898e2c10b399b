//! `?fieldManager=` and `?force=` on a change: whom the fields it sets
//! belong to (as Kubernetes does, the client's name from its User-Agent
//! when the request does not say).

use axum::{
    extract::{FromRequestParts, Query},
    http::{header, request::Parts},
    response::Response,
};
use engine::field_management::FieldOwner;
use serde::Deserialize;

use super::status::{Refusal, bad_request};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    field_manager: Option<String>,
    force: Option<String>,
}

/// The request's field manager and whether it forces an apply.
pub struct FieldManager {
    /// `?fieldManager=`, if given.
    pub named: Option<String>,
    /// The first word of the User-Agent (`kubectl/v1.31.0 …` → `kubectl`).
    pub user_agent: String,
    /// `?force=true`: an apply takes over fields other managers own.
    pub force: bool,
}

const MAX_LENGTH: usize = 128;

impl FieldManager {
    /// The owner of what a write other than apply changes; `force` is
    /// only for apply.
    pub fn for_update(&self) -> Result<FieldOwner, Refusal> {
        if self.force {
            return Err(invalid(
                "force: Invalid value: true: may not be specified for non-apply patch",
            ));
        }
        Ok(FieldOwner::Manager(
            self.named
                .clone()
                .unwrap_or_else(|| self.user_agent.clone()),
        ))
    }

    /// The manager of an apply, which must be named.
    pub fn for_apply(&self) -> Result<&str, Refusal> {
        self.named.as_deref().ok_or_else(|| {
            invalid(
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
            )
        })
    }
}

fn invalid(message: &str) -> Refusal {
    Refusal {
        code: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        reason: "Invalid",
        message: message.to_owned(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for FieldManager {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Query(raw) = Query::<Raw>::from_request_parts(parts, state)
            .await
            .map_err(|error| bad_request(error.body_text()))?;
        let named = raw.field_manager.filter(|name| !name.is_empty());
        if let Some(name) = &named
            && (name.chars().count() > MAX_LENGTH || name.chars().any(char::is_control))
        {
            return Err(bad_request(format!(
                "fieldManager: Invalid value: {name:?}: must be at most {MAX_LENGTH} printable characters"
            )));
        }
        let force = match raw.force.as_deref() {
            None | Some("") | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(bad_request(format!(
                    "force: Invalid value: {other:?}: must be true or false"
                )));
            }
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .split('/')
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .take(MAX_LENGTH)
            .collect();
        Ok(FieldManager {
            named,
            user_agent,
            force,
        })
    }
}
