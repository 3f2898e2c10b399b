//! Server functions: thin adapters from the browser to the engine. Each takes
//! the services from context, calls one engine function and maps its error
//! (with the HTTP status that fits it).

pub mod catalog;
pub mod image_streams;
pub mod imports;
pub mod manifests;
pub mod projects;
pub mod search;
pub mod triggers;

#[cfg(feature = "ssr")]
pub(crate) use server_side::{respond, services};

#[cfg(feature = "ssr")]
mod server_side {
    use http::StatusCode;
    use leptos::prelude::use_context;

    use crate::errors::ConsoleError;

    /// The engine services the server put in context.
    pub(crate) fn services() -> Result<engine::Services, ConsoleError> {
        use_context::<engine::Services>().ok_or_else(|| {
            engine::Error::Internal("the server was started without its services".into()).into()
        })
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
            engine::Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            engine::Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
