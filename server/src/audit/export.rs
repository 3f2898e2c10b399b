//! `GET /audit/export`: the audit log as JSON Lines (one entry per line,
//! newest first), filtered as the page filters it (`namespace`, `user`,
//! `kind`, `failed_only`), for the same callers as the page: a project's
//! admins for their project, cluster admins for every project (`namespace`
//! empty). Entries never hold a password or a token, so neither does this.

use axum::{
    extract::{Query, State},
    http::header,
    response::IntoResponse,
};
use engine::model::audit::AuditFilter;

use crate::{access::ApiCaller, api::ApiError, state::AppState};

pub async fn export(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(filter): Query<AuditFilter>,
) -> Result<impl IntoResponse, ApiError> {
    let entries = engine::audit::export(&state.services, &caller, &filter)
        .await
        .map_err(ApiError::about_nothing)?;
    let mut body = String::new();
    for entry in &entries {
        let line = serde_json::to_string(entry)
            .map_err(|error| ApiError::about_nothing(engine::Error::Internal(error.to_string())))?;
        body.push_str(&line);
        body.push('\n');
    }
    let scope = if filter.namespace.is_empty() {
        "all-projects".to_owned()
    } else {
        filter.namespace.clone()
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"audit-{scope}.jsonl\""),
            ),
        ],
        body,
    ))
}
