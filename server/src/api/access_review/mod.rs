//! `authorization.k8s.io/v1` self reviews: what the caller may do, as
//! `kubectl auth can-i` asks (`SelfSubjectAccessReview`) and lists
//! (`SelfSubjectRulesReview`, `--list`), answered from the same
//! authorization table every request is checked against.

use axum::{
    Json,
    body::Bytes,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use engine::model::access::{Resource, Verb};
use serde_json::{Value, json};

use super::status::Refusal;
use crate::access::ApiCaller;

const API_VERSION: &str = "authorization.k8s.io/v1";

/// The review in `body` (JSON, or protobuf as kubectl sends it) as JSON,
/// read by `from_protobuf` from protobuf.
fn read_review(
    headers: &HeaderMap,
    body: &[u8],
    kind: &str,
    from_protobuf: fn(&[u8]) -> Option<Value>,
) -> Result<Value, Refusal> {
    let review = if super::protobuf::is_protobuf(headers) {
        from_protobuf(body)
    } else {
        serde_json::from_slice(body).ok().filter(Value::is_object)
    };
    review.ok_or_else(|| Refusal::bad_request(format!("the body is not a {kind}")))
}

/// `review` answered with `status`, as Kubernetes answers a review (201).
fn answered(mut review: Value, kind: &str, status: Value) -> Response {
    review["apiVersion"] = Value::from(API_VERSION);
    review["kind"] = Value::from(kind);
    review["metadata"] = json!({ "creationTimestamp": null });
    review["status"] = status;
    (StatusCode::CREATED, Json(review)).into_response()
}

/// `POST …/selfsubjectaccessreviews`: may the caller do one thing?
pub async fn access_review(caller: ApiCaller, headers: HeaderMap, body: Bytes) -> Response {
    const KIND: &str = "SelfSubjectAccessReview";
    let review = match read_review(&headers, &body, KIND, super::protobuf::access_review) {
        Ok(review) => review,
        Err(refused) => return refused.into_response(),
    };
    let (allowed, reason) = match review.pointer("/spec/resourceAttributes") {
        Some(attributes) => judge(&caller, attributes),
        None if review.pointer("/spec/nonResourceAttributes").is_some() => (
            false,
            "this server answers for resources only, not for non-resource URLs".to_owned(),
        ),
        None => {
            return Refusal {
                code: StatusCode::UNPROCESSABLE_ENTITY,
                reason: "Invalid",
                message: format!(
                    "{KIND}.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"
                ),
            }
            .into_response();
        }
    };
    answered(
        review,
        KIND,
        json!({ "allowed": allowed, "reason": reason }),
    )
}

/// Whether the caller may do what `attributes` name, and why.
fn judge(caller: &ApiCaller, attributes: &Value) -> (bool, String) {
    let text = |key: &str| attributes.get(key).and_then(Value::as_str).unwrap_or("");
    let Some(verb) = Verb::from_name(text("verb")) else {
        return (
            false,
            format!(
                "the verb \"{}\" is not one this server grants",
                text("verb")
            ),
        );
    };
    let Some(resource) = Resource::from_api(text("group"), text("resource"), text("subresource"))
    else {
        return (
            false,
            format!(
                "this server does not serve \"{}\" in the API group \"{}\"",
                text("resource"),
                text("group")
            ),
        );
    };
    let namespace = text("namespace");
    if caller.can(verb, resource, namespace) {
        (
            true,
            format!("allowed by a role bound to \"{}\"", caller.user),
        )
    } else {
        (false, String::new())
    }
}

/// `POST …/selfsubjectrulesreviews`: everything the caller may do in
/// `spec.namespace`, one rule per resource.
pub async fn rules_review(caller: ApiCaller, headers: HeaderMap, body: Bytes) -> Response {
    const KIND: &str = "SelfSubjectRulesReview";
    let review = match read_review(&headers, &body, KIND, super::protobuf::rules_review) {
        Ok(review) => review,
        Err(refused) => return refused.into_response(),
    };
    let namespace = review
        .pointer("/spec/namespace")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut rules = Vec::new();
    for resource in Resource::ALL {
        let verbs: Vec<&str> = Verb::ALL
            .into_iter()
            .filter(|verb| caller.can(*verb, resource, namespace))
            .map(Verb::name)
            .collect();
        if verbs.is_empty() {
            continue;
        }
        for (group, plural) in resource.api_names() {
            rules.push(json!({ "verbs": verbs, "apiGroups": [group], "resources": [plural] }));
        }
    }
    answered(
        review,
        KIND,
        json!({ "resourceRules": rules, "nonResourceRules": [], "incomplete": false }),
    )
}
