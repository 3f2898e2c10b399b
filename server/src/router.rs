//! The HTTP router: pages (server-rendered Leptos routes), server functions,
//! static files, health checks, and the middleware every response passes
//! through (logging, compression, body limit, security headers).

use app::{App, shell};
use axum::{
    Router,
    http::HeaderValue,
    routing::{get, post},
};
use http::header;
use leptos::prelude::provide_context;
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list,
};
use std::sync::OnceLock;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

use crate::{access, api, audit, health, live, metrics, state::AppState};

/// The policy of responses that are not HTML pages (pages set their own,
/// with a per-response script nonce).
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The console's page routes, generated once per process.
///
/// Generating them runs the app with resource loading suppressed through a
/// process-wide flag (leptos issue #4773): a page rendered at that moment on
/// another thread would wait forever. Generating once, before any router
/// exists, keeps renders and generation apart (tests build many routers).
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application; tests drive it with `tower::ServiceExt::oneshot`.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    let routes = page_routes();
    let services = state.services.clone();
    let context = move || provide_context(services.clone());
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::metrics))
        .route("/events", get(live::events))
        .route("/audit/export", get(audit::export))
        .route("/auth/sign-in", post(access::sign_in))
        .route("/auth/sign-out", post(access::sign_out))
        .route("/auth/oidc/start", get(access::oidc_start))
        .route("/auth/oidc/callback", get(access::oidc_callback))
        .merge(api::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        // Innermost: it sees the request and the answer as the handler does.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::record_changes,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(RequestBodyLimitLayer::new(max_body_bytes))
                .layer(CompressionLayer::new())
                .layer(header_layer(
                    header::X_CONTENT_TYPE_OPTIONS,
                    "nosniff",
                    true,
                ))
                .layer(header_layer(header::X_FRAME_OPTIONS, "DENY", true))
                .layer(header_layer(header::REFERRER_POLICY, "same-origin", true))
                .layer(header_layer(
                    http::HeaderName::from_static("cross-origin-opener-policy"),
                    "same-origin",
                    true,
                ))
                .layer(header_layer(
                    header::CONTENT_SECURITY_POLICY,
                    DEFAULT_CSP,
                    false,
                ))
                .layer(header_layer(header::CACHE_CONTROL, "no-cache", false)),
        )
        .with_state(state)
}

/// Sets a response header: always (`overriding`), or only where the handler
/// did not set one.
fn header_layer(
    name: http::HeaderName,
    value: &'static str,
    overriding: bool,
) -> SetResponseHeaderLayer<HeaderValue> {
    let value = HeaderValue::from_static(value);
    if overriding {
        SetResponseHeaderLayer::overriding(name, value)
    } else {
        SetResponseHeaderLayer::if_not_present(name, value)
    }
}
