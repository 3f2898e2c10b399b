//! The review requests as kubectl sends them: Kubernetes' protobuf
//! encoding (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic, then
//! a `runtime.Unknown` holding the object), read into the JSON shape the
//! reviews are answered in. Only the fields a review asks with are read.

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
}
