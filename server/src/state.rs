//! The state every route can reach: Leptos' options, the engine services and
//! how the session cookie is sent.

use axum::extract::FromRef;
use engine::Services;
use leptos::config::LeptosOptions;

/// Shared by all routes; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    /// Whether the session cookie carries `Secure` (see `--insecure-cookies`).
    pub secure_cookies: bool,
}

impl AppState {
    /// State with the session cookie marked `Secure`.
    pub fn new(leptos_options: LeptosOptions, services: Services) -> Self {
        AppState {
            leptos_options,
            services,
            secure_cookies: true,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
