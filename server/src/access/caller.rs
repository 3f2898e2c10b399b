//! The caller of an API request (or of the live-update stream): a bearer
//! token or a session cookie, checked by the engine.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
    response::{IntoResponse, Response},
};
use engine::{
    access::{Caller, Credentials},
    model::access::CSRF_HEADER,
};

use crate::{api::ApiError, state::AppState};

/// What a request's headers present.
pub fn credentials_of(headers: &HeaderMap) -> Credentials {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    Credentials::from_headers(
        header(header::COOKIE.as_str()),
        header(header::AUTHORIZATION.as_str()),
        header(CSRF_HEADER),
    )
}

/// An authenticated caller; a request without valid credentials is answered
/// `401 Unauthorized` before the handler runs.
pub struct ApiCaller(pub Caller);

impl std::ops::Deref for ApiCaller {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        // A change request was authenticated by the audit layer already.
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(ApiCaller(caller.clone()));
        }
        let credentials = credentials_of(&parts.headers);
        engine::access::authenticate(&state.services, &credentials)
            .await
            .map(ApiCaller)
            .map_err(|error| ApiError::about_nothing(error).into_response())
    }
}
