//! `?dryRun=All` on a change: every check runs and the answer shows the
//! result, but nothing is kept.

use axum::{
    extract::{FromRequestParts, Query},
    http::request::Parts,
    response::Response,
};
use engine::imagestreams::Write;
use serde::Deserialize;

use super::status::{Refusal, bad_request};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    dry_run: Option<String>,
}

/// Whether the request's change is kept.
pub struct DryRun(pub Write);

fn unsupported(value: impl std::fmt::Debug) -> String {
    format!("dryRun: Unsupported value: {value:?}: supported values: \"All\"")
}

impl DryRun {
    /// A delete may say it in its body instead (`DeleteOptions.dryRun`, as
    /// client-go sends it).
    pub fn or_in_delete_options(self, body: &[u8]) -> Result<DryRun, Refusal> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(self);
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct DeleteOptions {
            #[serde(default)]
            dry_run: Vec<String>,
        }
        let options: DeleteOptions = serde_json::from_slice(body)
            .map_err(|error| Refusal::bad_request(format!("DeleteOptions: {error}")))?;
        match options.dry_run.as_slice() {
            [] => Ok(self),
            [all] if all == "All" => Ok(DryRun(Write::DryRun)),
            other => Err(Refusal::bad_request(unsupported(other))),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for DryRun {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Query(raw) = Query::<Raw>::from_request_parts(parts, state)
            .await
            .map_err(|error| bad_request(error.body_text()))?;
        match raw.dry_run.as_deref() {
            None | Some("") => Ok(DryRun(Write::Commit)),
            Some("All") => Ok(DryRun(Write::DryRun)),
            Some(other) => Err(bad_request(unsupported(other))),
        }
    }
}
