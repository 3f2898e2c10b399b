//! OpenShift 3's legacy paths (`/api/v1/namespaces/{ns}/imagestreams…`):
//! the same handlers, with objects answered as `apiVersion: v1`, as the
//! legacy API did, so `kubectl apply` of `apiVersion: v1` YAML sees the
//! version it sent and patches instead of refusing a version change.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::header,
    middleware::Next,
    response::Response,
};
use serde_json::Value;

/// The most of an answer rewritten (larger ones pass unchanged).
const MAX_REWRITTEN: usize = 64 * 1024 * 1024;
const GROUP_VERSION: &str = "image.openshift.io/v1";

fn legacy(value: &mut Value) {
    if value.get("apiVersion").and_then(Value::as_str) == Some(GROUP_VERSION) {
        value["apiVersion"] = Value::String("v1".into());
    }
    if let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(legacy);
    }
}

/// Rewrites JSON answers (watch streams, marked `Content-Encoding:
/// identity`, are left alone).
pub async fn answer_as_v1(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !is_json || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_REWRITTEN).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    legacy(&mut value);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn objects_and_list_items_become_v1_and_others_stay() {
        let mut list = json!({
            "apiVersion": GROUP_VERSION,
            "items": [{ "apiVersion": GROUP_VERSION }, { "apiVersion": "v1" }],
        });
        legacy(&mut list);
        assert_eq!(
            list,
            json!({ "apiVersion": "v1", "items": [{ "apiVersion": "v1" }, { "apiVersion": "v1" }] })
        );
        let mut table = json!({ "apiVersion": "meta.k8s.io/v1" });
        legacy(&mut table);
        assert_eq!(table["apiVersion"], "meta.k8s.io/v1");
    }
}
