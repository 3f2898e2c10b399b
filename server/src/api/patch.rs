//! `PATCH`: a JSON merge patch (`application/merge-patch+json`), a JSON
//! patch (`application/json-patch+json`), or a strategic merge patch
//! (`application/strategic-merge-patch+json`, merged by the kind's
//! [`Strategy`]). Server-side apply (`application/apply-patch+yaml`) is
//! [`super::apply`]'s.

use axum::{
    body::Bytes,
    http::{HeaderMap, StatusCode, header},
};
use serde_json::Value;

use super::{status::Refusal, strategic_merge::Strategy};

/// The request's media type, without parameters.
fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
}

/// Whether the request is a server-side apply.
pub fn is_apply(headers: &HeaderMap) -> bool {
    content_type(headers) == "application/apply-patch+yaml"
}

/// `current` with the request's patch applied, or the 4xx answer saying why not.
pub fn apply(
    headers: &HeaderMap,
    current: Value,
    body: &Bytes,
    strategy: &Strategy,
) -> Result<Value, Refusal> {
    let content_type = content_type(headers);
    let mut patched = current;
    match content_type {
        "application/merge-patch+json" => {
            let patch: Value = serde_json::from_slice(body)
                .map_err(|error| Refusal::bad_request(format!("the patch is not JSON: {error}")))?;
            json_patch::merge(&mut patched, &patch);
        }
        "application/strategic-merge-patch+json" => {
            let patch: Value = serde_json::from_slice(body)
                .map_err(|error| Refusal::bad_request(format!("the patch is not JSON: {error}")))?;
            patched =
                super::strategic_merge::apply(patched, &patch, strategy).map_err(|problem| {
                    Refusal {
                        code: StatusCode::UNPROCESSABLE_ENTITY,
                        reason: "Invalid",
                        message: format!("the strategic merge patch cannot be applied: {problem}"),
                    }
                })?;
        }
        "application/json-patch+json" => {
            let patch: json_patch::Patch = serde_json::from_slice(body).map_err(|error| {
                Refusal::bad_request(format!("the JSON patch is malformed: {error}"))
            })?;
            json_patch::patch(&mut patched, &patch).map_err(|error| Refusal {
                code: StatusCode::UNPROCESSABLE_ENTITY,
                reason: "Invalid",
                message: format!("the JSON patch cannot be applied: {error}"),
            })?;
        }
        other => {
            return Err(Refusal {
                code: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                reason: "UnsupportedMediaType",
                message: format!(
                    "the body of the request was in an unknown format ({other:?}) - accepted media types include: \
                     application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"
                ),
            });
        }
    }
    Ok(patched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::strategic_merge::IMAGE_STREAM;
    use serde_json::json;

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
        headers
    }

    #[test]
    fn merge_strategic_and_json_patches_apply() {
        let current = json!({ "metadata": { "name": "a", "labels": { "x": "1" } }, "spec": {} });
        let merged = apply(
            &headers("application/merge-patch+json"),
            current.clone(),
            &Bytes::from_static(br#"{"metadata":{"labels":{"x":null,"y":"2"}}}"#),
            &IMAGE_STREAM,
        )
        .unwrap();
        assert_eq!(merged["metadata"]["labels"], json!({ "y": "2" }));
        let strategic = apply(
            &headers("application/strategic-merge-patch+json"),
            current.clone(),
            &Bytes::from_static(br#"{"metadata":{"labels":{"z":"3"}}}"#),
            &IMAGE_STREAM,
        )
        .unwrap();
        assert_eq!(
            strategic["metadata"]["labels"],
            json!({ "x": "1", "z": "3" })
        );
        let patched = apply(
            &headers("application/json-patch+json"),
            current,
            &Bytes::from_static(
                br#"[{"op":"add","path":"/spec/lookupPolicy","value":{"local":true}}]"#,
            ),
            &IMAGE_STREAM,
        )
        .unwrap();
        assert_eq!(patched["spec"]["lookupPolicy"]["local"], json!(true));
    }

    #[test]
    fn unknown_formats_and_failing_patches_are_refused() {
        let current = json!({ "spec": {} });
        let refused = apply(
            &headers("application/yaml"),
            current.clone(),
            &Bytes::new(),
            &IMAGE_STREAM,
        )
        .unwrap_err();
        assert_eq!(refused.code, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let refused = apply(
            &headers("application/json-patch+json"),
            current,
            &Bytes::from_static(br#"[{"op":"remove","path":"/spec/missing"}]"#),
            &IMAGE_STREAM,
        )
        .unwrap_err();
        assert_eq!(refused.code, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
