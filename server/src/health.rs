//! Health checks: `/healthz` says the process serves; `/readyz` says it can
//! also reach its database (load balancers route only to ready replicas).

use axum::{extract::State, http::StatusCode};

use crate::state::AppState;

/// Liveness: the process answers.
pub async fn live() -> &'static str {
    "ok\n"
}

/// Readiness: the database answers too.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.services.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database is not reachable\n",
        ),
    }
}
