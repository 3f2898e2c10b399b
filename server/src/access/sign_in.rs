//! `POST /auth/sign-in` and `POST /auth/sign-out`: the sign-in page's form
//! and the masthead's sign-out buttons.
//!
//! A browser (asking for HTML) is sent on with `303 See Other`: to the page it
//! wanted after signing in, back to the form with the reason after a refusal.
//! Other clients get the status code itself (401, 403, 429) with a message.

use axum::{
    Form,
    extract::{ConnectInfo, State},
    http::{Extensions, HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use engine::{Error, model::access::SESSION_COOKIE};
use serde::Deserialize;

use super::caller::credentials_of;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
    /// Where to go afterwards (a path on this server).
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    csrf_token: String,
    /// End every session of the user, not only this one.
    #[serde(default)]
    everywhere: bool,
}

/// `POST /auth/sign-in`
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(&form.next);
    let browser = wants_html(&headers);
    if let Err(error) = same_origin(&headers) {
        return refused(browser, error, &form.user, next);
    }
    let user = form.user.trim();
    if user.is_empty() || form.password.is_empty() {
        let error = Error::invalid(
            if user.is_empty() { "user" } else { "password" },
            "Required value",
        );
        return refused(browser, error, user, next);
    }
    let client = client_address(&extensions);
    match engine::access::sign_in(&state.services, user, &form.password, &client).await {
        Ok(session) => {
            let max_age = state.services.settings.sessions.absolute.as_secs();
            let cookie = session_cookie(&session.id, max_age, state.secure_cookies);
            let mut response = see_other(next);
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(error) => {
            tracing::info!(user, client, %error, "sign-in refused");
            refused(browser, error, user, next)
        }
    }
}

/// `POST /auth/sign-out`
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Response {
    let browser = wants_html(&headers);
    let mut credentials = credentials_of(&headers);
    credentials.csrf_token = Some(form.csrf_token);
    let result = engine::access::sign_out(&state.services, &credentials, form.everywhere).await;
    match result {
        // Signing out of an ended session still clears the cookie.
        Ok(()) | Err(Error::Unauthenticated(_)) => {
            let mut response = see_other("/login");
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie("", 0, state.secure_cookies),
            );
            response
        }
        Err(error) => refused(browser, error, "", "/"),
    }
}

/// `isc_session=…`: HttpOnly (no script reads it), SameSite=Lax (other
/// sites' forms do not send it), Secure unless configured otherwise.
pub(super) fn session_cookie(id: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A path on this server, or `/`: never another site (`//host`, `https:`).
pub(super) fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

/// Refuses a form posted from another site (login CSRF): the browser's
/// `Origin` must name this server.
fn same_origin(headers: &HeaderMap) -> Result<(), Error> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or_default();
    if !host.is_empty() && origin_host == host {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "sign-in from another site ({origin}) is refused"
        )))
    }
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The address a request came from (`unknown` when it did not come over TCP).
pub fn client_address(extensions: &Extensions) -> String {
    extensions
        .get::<ConnectInfo<crate::peer::PeerAddress>>()
        .map(|info| info.0.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub(super) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The refusal: back to the form with the reason for a browser, the status
/// and message for anything else.
fn refused(browser: bool, error: Error, user: &str, next: &str) -> Response {
    if browser {
        let query = serde_urlencoded::to_string([
            ("error", error.to_string().as_str()),
            ("user", user),
            ("next", next),
        ])
        .unwrap_or_default();
        let mut response = see_other(&format!("/login?{query}"));
        // The redirect is how a browser hears "no"; the audit log records the no.
        response
            .extensions_mut()
            .insert(crate::audit::AuditOutcome {
                status: crate::api::ApiError::about_nothing(error.clone())
                    .into_response()
                    .status(),
                message: error.to_string(),
            });
        return response;
    }
    crate::api::ApiError::about_nothing(error).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_server() {
        assert_eq!(
            safe_next("/ns/team/catalog?q=ruby"),
            "/ns/team/catalog?q=ruby"
        );
        assert_eq!(safe_next("//evil.example/x"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
    }

    #[test]
    fn the_cookie_is_http_only_and_same_site() {
        let cookie = session_cookie("abc", 60, true);
        assert_eq!(
            cookie.to_str().unwrap(),
            "isc_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
    }
}
