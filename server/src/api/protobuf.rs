//! Objects as kubectl sends built-in kinds: Kubernetes' protobuf encoding
//! (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic, then a
//! `runtime.Unknown` holding the object), read into their JSON shape. Only
//! the fields this server uses are read: the access reviews' questions, and
//! a Namespace's name, labels and annotations.

use serde_json::{Value, json};

/// The magic that starts every Kubernetes protobuf body.
const MAGIC: &[u8] = b"k8s\0";

#[derive(Clone, PartialEq, prost::Message)]
struct Unknown {
    #[prost(bytes = "vec", tag = "2")]
    raw: Vec<u8>,
}

/// `SelfSubjectAccessReview` and `SelfSubjectRulesReview`: field 2 is the spec.
#[derive(Clone, PartialEq, prost::Message)]
struct AccessReview {
    #[prost(message, optional, tag = "2")]
    spec: Option<AccessSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct AccessSpec {
    #[prost(message, optional, tag = "1")]
    resource_attributes: Option<ResourceAttributes>,
    #[prost(message, optional, tag = "2")]
    non_resource_attributes: Option<NonResourceAttributes>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct ResourceAttributes {
    #[prost(string, tag = "1")]
    namespace: String,
    #[prost(string, tag = "2")]
    verb: String,
    #[prost(string, tag = "3")]
    group: String,
    #[prost(string, tag = "4")]
    version: String,
    #[prost(string, tag = "5")]
    resource: String,
    #[prost(string, tag = "6")]
    subresource: String,
    #[prost(string, tag = "7")]
    name: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct NonResourceAttributes {
    #[prost(string, tag = "1")]
    path: String,
    #[prost(string, tag = "2")]
    verb: String,
}

#[derive(Clone, PartialEq, prost::Message)]
struct RulesReview {
    #[prost(message, optional, tag = "2")]
    spec: Option<RulesSpec>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct RulesSpec {
    #[prost(string, tag = "1")]
    namespace: String,
}

/// Whether a request's body is in Kubernetes' protobuf encoding.
pub fn is_protobuf(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/vnd.kubernetes.protobuf"))
}

/// An object with only its metadata read (`Namespace`: field 1).
#[derive(Clone, PartialEq, prost::Message)]
struct WithMetadata {
    #[prost(message, optional, tag = "1")]
    metadata: Option<ObjectMeta>,
}

/// The parts of `ObjectMeta` read.
#[derive(Clone, PartialEq, prost::Message)]
struct ObjectMeta {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(map = "string, string", tag = "11")]
    labels: std::collections::HashMap<String, String>,
    #[prost(map = "string, string", tag = "12")]
    annotations: std::collections::HashMap<String, String>,
}

/// An object's name, labels and annotations from a protobuf body, as JSON
/// (`{"metadata": {…}}`).
pub fn object_metadata(body: &[u8]) -> Option<Value> {
    let object: WithMetadata = prost::Message::decode(object(body)?.as_slice()).ok()?;
    let metadata = object.metadata.unwrap_or_default();
    Some(json!({ "metadata": {
        "name": metadata.name,
        "labels": metadata.labels,
        "annotations": metadata.annotations,
    } }))
}

/// The object inside a protobuf body.
fn object(body: &[u8]) -> Option<Vec<u8>> {
    let unknown = body.strip_prefix(MAGIC)?;
    prost::Message::decode(unknown)
        .ok()
        .map(|unknown: Unknown| unknown.raw)
}

/// A `SelfSubjectAccessReview` in protobuf, as JSON.
pub fn access_review(body: &[u8]) -> Option<Value> {
    let review: AccessReview = prost::Message::decode(object(body)?.as_slice()).ok()?;
    let spec = review.spec.unwrap_or_default();
    let mut json_spec = json!({});
    if let Some(a) = spec.resource_attributes {
        json_spec["resourceAttributes"] = json!({
            "namespace": a.namespace, "verb": a.verb, "group": a.group, "version": a.version,
            "resource": a.resource, "subresource": a.subresource, "name": a.name,
        });
    }
    if let Some(a) = spec.non_resource_attributes {
        json_spec["nonResourceAttributes"] = json!({ "path": a.path, "verb": a.verb });
    }
    Some(json!({ "spec": json_spec }))
}

/// A `SelfSubjectRulesReview` in protobuf, as JSON.
pub fn rules_review(body: &[u8]) -> Option<Value> {
    let review: RulesReview = prost::Message::decode(object(body)?.as_slice()).ok()?;
    let namespace = review.spec.unwrap_or_default().namespace;
    Some(json!({ "spec": { "namespace": namespace } }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[derive(Clone, PartialEq, prost::Message)]
    struct Envelope {
        #[prost(bytes = "vec", tag = "2")]
        raw: Vec<u8>,
    }

    #[test]
    fn a_protobuf_access_review_reads_as_its_json() {
        let review = AccessReview {
            spec: Some(AccessSpec {
                resource_attributes: Some(ResourceAttributes {
                    namespace: "team".into(),
                    verb: "create".into(),
                    group: "image.openshift.io".into(),
                    resource: "imagestreams".into(),
                    ..ResourceAttributes::default()
                }),
                non_resource_attributes: None,
            }),
        };
        let mut body = MAGIC.to_vec();
        body.extend(
            Envelope {
                raw: review.encode_to_vec(),
            }
            .encode_to_vec(),
        );
        let read = access_review(&body).unwrap();
        assert_eq!(read["spec"]["resourceAttributes"]["verb"], "create");
        assert_eq!(read["spec"]["resourceAttributes"]["namespace"], "team");
        assert!(access_review(b"{}").is_none());
    }

    #[test]
    fn a_protobuf_namespace_reads_as_its_name_and_annotations() {
        let namespace = WithMetadata {
            metadata: Some(ObjectMeta {
                name: "made".into(),
                labels: [("team".to_owned(), "web".to_owned())].into(),
                annotations: [("openshift.io/display-name".to_owned(), "Made".to_owned())].into(),
            }),
        };
        let mut body = MAGIC.to_vec();
        body.extend(
            Envelope {
                raw: namespace.encode_to_vec(),
            }
            .encode_to_vec(),
        );
        let read = object_metadata(&body).unwrap();
        assert_eq!(read["metadata"]["name"], "made");
        assert_eq!(read["metadata"]["labels"]["team"], "web");
        assert_eq!(
            read["metadata"]["annotations"]["openshift.io/display-name"],
            "Made"
        );
        assert!(object_metadata(b"{}").is_none());
    }
}
