//! `/metrics`: the scheduler's numbers in Prometheus' text format, for
//! callers the authorization table lets read them (cluster admins: give
//! Prometheus a service account's token with that role).

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};

use engine::model::access::{Resource, Verb};

use crate::{access::ApiCaller, api::ApiError, state::AppState};

pub async fn metrics(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> Result<impl IntoResponse, ApiError> {
    caller
        .require(Verb::Get, Resource::Metrics, "")
        .map_err(ApiError::about_nothing)?;
    let services = &state.services;
    let periodic = match engine::cluster_policy::schedule_settings(services).await {
        Ok(settings) => !settings.disabled,
        Err(_) => !services.settings.schedule.disabled,
    };
    Ok(match services.store.due_count(periodic).await {
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
    })
}
