//! Server functions: thin adapters from the browser to the engine. Each
//! finds its caller (session cookie or bearer token), checks the engine's
//! authorization table, calls one engine function and maps its error (with
//! the HTTP status that fits it).

pub mod access;
pub mod audit;
pub mod catalog;
pub mod client;
pub mod image_streams;
pub mod imports;
pub mod manifests;
pub mod page_data;
pub mod projects;
pub mod pull_secrets;
pub mod schedule;
pub mod search;
pub mod settings;
pub mod triggers;

#[cfg(feature = "ssr")]
pub(crate) use server_side::{
    authenticate, authorized, caller, name_for_audit, request_credentials, respond, services,
};

/// A response header a server function sets to name, for the audit log, the
/// objects a change touched when its arguments do not say (an applied YAML
/// text); the server's audit layer reads it and takes it off the response.
pub const AUDIT_NAME_HEADER: &str = "x-isc-audit-name";

#[cfg(feature = "ssr")]
mod server_side {
    use engine::{
        access::{Caller, Credentials},
        model::access::{CSRF_HEADER, Resource, Verb},
    };
    use http::{StatusCode, header, request::Parts};
    use leptos::prelude::use_context;

    use crate::errors::ConsoleError;

    /// The services and the authenticated caller of this request.
    pub(crate) async fn caller() -> Result<(engine::Services, Caller), ConsoleError> {
        let services = services()?;
        let caller = respond(authenticate(&services).await)?;
        Ok((services, caller))
    }

    /// Who sent this request (a page render or a server function call).
    /// A change request comes authenticated by the server's audit layer,
    /// which leaves the caller in the request's extensions.
    pub(crate) async fn authenticate(services: &engine::Services) -> engine::Result<Caller> {
        let known =
            use_context::<Parts>().and_then(|parts| parts.extensions.get::<Caller>().cloned());
        match known {
            Some(caller) => Ok(caller),
            None => engine::access::authenticate(services, &request_credentials()).await,
        }
    }

    /// What this request presents: session cookie, CSRF header, bearer token.
    pub(crate) fn request_credentials() -> Credentials {
        use_context::<Parts>()
            .map(|parts| {
                let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
                Credentials::from_headers(
                    header(header::COOKIE),
                    header(header::AUTHORIZATION),
                    parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()),
                )
            })
            .unwrap_or_default()
    }

    /// The services, once the caller is allowed `verb` on `resource` in
    /// `namespace` (empty for cluster-scoped resources).
    pub(crate) async fn authorized(
        verb: Verb,
        resource: Resource,
        namespace: &str,
    ) -> Result<engine::Services, ConsoleError> {
        let (services, caller) = caller().await?;
        respond(caller.require(verb, resource, namespace))?;
        Ok(services)
    }

    /// The engine services the server put in context.
    pub(crate) fn services() -> Result<engine::Services, ConsoleError> {
        use_context::<engine::Services>().ok_or_else(|| {
            engine::Error::Internal("the server was started without its services".into()).into()
        })
    }

    /// Names the objects this change touched for the audit log (see
    /// [`super::AUDIT_NAME_HEADER`]).
    pub(crate) fn name_for_audit(names: &[&str]) {
        let joined = names.join(", ");
        if let (Some(response), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&joined),
        ) {
            response.insert_header(
                http::HeaderName::from_static(super::AUDIT_NAME_HEADER),
                value,
            );
        }
    }

    /// Passes an engine result on, setting the response status for errors so
    /// that programs (and logs) see 400/404/409 rather than 500.
    pub(crate) fn respond<T>(result: engine::Result<T>) -> Result<T, ConsoleError> {
        result.map_err(|error| {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(status_of(&error));
            }
            error.into()
        })
    }

    fn status_of(error: &engine::Error) -> StatusCode {
        match error {
            engine::Error::Invalid(_) => StatusCode::BAD_REQUEST,
            engine::Error::NotFound { .. } => StatusCode::NOT_FOUND,
            engine::Error::AlreadyExists { .. } | engine::Error::Conflict(_) => {
                StatusCode::CONFLICT
            }
            engine::Error::Forbidden(_) => StatusCode::FORBIDDEN,
            engine::Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            engine::Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            engine::Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            engine::Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
