//! `/metrics`: the scheduler's numbers in Prometheus' text format.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};

use crate::state::AppState;

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let services = &state.services;
    let periodic = !services.settings.schedule.disabled;
    match services.store.due_count(periodic).await {
        Ok(depth) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            services.metrics.render(depth),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "the database is not reachable\n".to_owned(),
        ),
    }
}
