//! `GET /auth/oidc/start` and `GET /auth/oidc/callback`: signing in through
//! the OpenID Connect provider. The start sends the browser to the provider
//! with the sign-in's secrets in a short-lived HttpOnly cookie; the callback
//! checks the provider's answer against it and opens a session. A refusal
//! sends the browser back to the sign-in form with the reason. Both ends
//! are recorded in the audit log.

use axum::{
    extract::{Query, State},
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use engine::{
    Error,
    access::oidc::{PendingSignIn, sign_in_with_identity},
    model::audit::NewAuditEntry,
};
use serde::Deserialize;

use super::sign_in::{client_address, safe_next, see_other, session_cookie};
use crate::state::AppState;

/// The cookie that carries a sign-in in progress.
const PENDING_COOKIE: &str = "isc_oidc";
/// How long a sign-in at the provider may take.
const PENDING_MAX_AGE_SECS: u64 = 600;

#[derive(Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    /// The provider naming itself (RFC 9207), when it does.
    iss: Option<String>,
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

/// Why a sign-in through a provider cannot begin or finish here.
const NOT_CONFIGURED: &str =
    "sign-in through an identity provider is not configured on this server";

/// `GET /auth/oidc/start?next=/path`
pub async fn start(State(state): State<AppState>, Query(query): Query<StartQuery>) -> Response {
    let next = safe_next(&query.next);
    let Some(provider) = state.services.oidc.clone() else {
        // Back to the sign-in page with the reason, as a refused answer goes.
        return back_to_form(&Error::Unauthenticated(NOT_CONFIGURED.into()), next);
    };
    match provider.begin(next).await {
        Ok(start) => {
            let mut response = see_other(&start.authorize_url);
            let cookie = pending_cookie(
                &start.pending.encode(),
                PENDING_MAX_AGE_SECS,
                state.secure_cookies,
            );
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(error) => {
            tracing::warn!(%error, "the identity provider cannot be used");
            back_to_form(&error, next)
        }
    }
}

/// `GET /auth/oidc/callback?code=…&state=…` (or `?error=…`)
pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let client = client_address(&extensions);
    let pending = pending_of(&headers);
    let next = pending
        .as_ref()
        .map_or("/", |pending| safe_next(&pending.next))
        .to_owned();
    let outcome = finish(&state, pending, &query, &client).await;
    let (user, status, message) = match &outcome {
        Ok((user, _)) => (user.clone(), StatusCode::SEE_OTHER, String::new()),
        Err((user, error)) => (
            user.clone(),
            crate::api::ApiError::about_nothing(error.clone())
                .into_response()
                .status(),
            error.to_string(),
        ),
    };
    engine::audit::record(
        &state.services,
        NewAuditEntry {
            at_ms: engine::clock::now_millis(),
            user: user.clone(),
            action: "sign-in".into(),
            kind: "sessions".into(),
            namespace: String::new(),
            name: user,
            client,
            status: status.as_u16(),
            message,
        },
    )
    .await;
    let mut response = match outcome {
        Ok((_, session)) => {
            let max_age = state.services.settings.sessions.absolute.as_secs();
            let mut response = see_other(&next);
            response.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&session.id, max_age, state.secure_cookies),
            );
            response
        }
        Err((_, error)) => {
            tracing::info!(%error, "sign-in through the identity provider refused");
            back_to_form(&error, &next)
        }
    };
    // The sign-in's secrets are used up either way.
    response.headers_mut().append(
        header::SET_COOKIE,
        pending_cookie("", 0, state.secure_cookies),
    );
    response
}

/// The provider's answer checked and turned into a session, or the reason
/// not (with the user name, when the provider named one).
async fn finish(
    state: &AppState,
    pending: Option<PendingSignIn>,
    query: &CallbackQuery,
    client: &str,
) -> Result<(String, engine::access::NewSession), (String, Error)> {
    let Some(provider) = state.services.oidc.clone() else {
        return Err((String::new(), Error::Unauthenticated(NOT_CONFIGURED.into())));
    };
    if !query.error.is_empty() {
        let detail = if query.error_description.is_empty() {
            query.error.clone()
        } else {
            format!("{}: {}", query.error, query.error_description)
        };
        return Err((
            String::new(),
            Error::Unauthenticated(format!(
                "the identity provider refused the sign-in ({detail})"
            )),
        ));
    }
    let Some(pending) = pending else {
        return Err((
            String::new(),
            Error::Unauthenticated(
                "this sign-in was not started in this browser or took longer than 10 minutes; sign in again"
                    .into(),
            ),
        ));
    };
    if query.code.is_empty() {
        return Err((
            String::new(),
            Error::Unauthenticated("the identity provider's answer has no code".into()),
        ));
    }
    let identity = provider
        .finish(pending, &query.code, &query.state, query.iss.as_deref())
        .await
        .map_err(|error| (String::new(), error))?;
    sign_in_with_identity(&state.services, &identity, client)
        .await
        .map(|session| (session.user.clone(), session))
        .map_err(|error| (identity.preferred_name.clone(), error))
}

/// Back to the sign-in form with the reason.
fn back_to_form(error: &Error, next: &str) -> Response {
    let query =
        serde_urlencoded::to_string([("error", error.to_string().as_str()), ("next", next)])
            .unwrap_or_default();
    see_other(&format!("/login?{query}"))
}

/// The sign-in in progress this browser carries, if any.
fn pending_of(headers: &HeaderMap) -> Option<PendingSignIn> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == PENDING_COOKIE)
        .and_then(|(_, value)| PendingSignIn::decode(value))
}

/// `isc_oidc=…`, sent only to `/auth/oidc` and kept 10 minutes.
fn pending_cookie(value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!(
        "{PENDING_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pending_cookie_is_read_and_a_forged_one_is_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("isc_session=abc; isc_oidc=garbage!"),
        );
        assert!(pending_of(&headers).is_none());
    }

    #[test]
    fn the_pending_cookie_is_http_only_and_scoped_to_the_callback() {
        let cookie = pending_cookie("xyz", 600, true);
        assert_eq!(
            cookie.to_str().unwrap(),
            "isc_oidc=xyz; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600; Secure"
        );
    }
}
