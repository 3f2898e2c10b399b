//! The state every route can reach: Leptos' options and the engine services.

use axum::extract::FromRef;
use engine::Services;
use leptos::config::LeptosOptions;

/// Shared by all routes; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
