//! The state every route can reach: Leptos' options, the engine services and
//! how the session cookie is sent.

use std::sync::Arc;

use axum::extract::FromRef;
use engine::Services;
use leptos::config::LeptosOptions;

use crate::api::page_cache::PageCache;

/// Shared by all routes; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    /// Whether the session cookie carries `Secure` (see `--insecure-cookies`).
    pub secure_cookies: bool,
    /// Pages of image stream lists, read once per change.
    pub page_cache: Arc<PageCache>,
}

impl AppState {
    /// State with the session cookie marked `Secure`.
    pub fn new(leptos_options: LeptosOptions, services: Services) -> Self {
        AppState {
            leptos_options,
            services,
            secure_cookies: true,
            page_cache: Arc::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
