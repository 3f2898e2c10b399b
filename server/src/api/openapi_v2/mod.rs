//! `/openapi/v2`: the Swagger 2.0 document, in protobuf as kubectl asks for
//! it (gnostic's `openapi_v2.Document`) or in JSON. kubectl validates an
//! object on its side with it when the OpenAPI v3 document does not promise
//! server-side field validation for the kind (it looks for it on the kind's
//! `PATCH`, so a ProjectRequest, which has none, is checked here). The kinds
//! described field by field (ImageStream) are in it; the others are left
//! out, so kubectl leaves them to the server, which validates every field.

mod messages;

use axum::{
    Json, Router,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
    routing::get,
};
use prost::Message;
use serde_json::{Map, Value, json};

use super::{
    discovery::resources,
    openapi::{described, object_schema, schema_name},
};
use crate::state::AppState;
use messages::{Definitions, Document, Info, NamedSchema, Paths, Schema};

/// The media type of the answer, as Kubernetes writes it (kubectl asks for
/// the older `…spec.v2@v1.0+protobuf`, whose `@` Go's media type parser
/// refuses in a Content-Type).
const PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// The described kinds' schemas, by definition name.
fn definitions() -> Map<String, Value> {
    resources()
        .iter()
        .filter(|resource| described(resource))
        .map(|resource| (schema_name(resource), object_schema(resource)))
        .collect()
}

fn title() -> (&'static str, &'static str) {
    ("Image Stream Console", env!("CARGO_PKG_VERSION"))
}

/// The document as protobuf bytes.
fn protobuf() -> Vec<u8> {
    let (title, version) = title();
    Document {
        swagger: "2.0".into(),
        info: Some(Info {
            title: title.into(),
            version: version.into(),
        }),
        paths: Some(Paths {}),
        definitions: Some(Definitions {
            additional_properties: definitions()
                .iter()
                .map(|(name, schema)| NamedSchema {
                    name: name.clone(),
                    value: Some(Schema::from_json(schema)),
                })
                .collect(),
        }),
    }
    .encode_to_vec()
}

fn document_json() -> Value {
    let (title, version) = title();
    json!({
        "swagger": "2.0",
        "info": { "title": title, "version": version },
        "paths": {},
        "definitions": definitions(),
    })
}

async fn document(headers: HeaderMap) -> Response {
    let wants_protobuf = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|accept| accept.contains("protobuf"));
    if wants_protobuf {
        ([(header::CONTENT_TYPE, PROTOBUF)], protobuf()).into_response()
    } else {
        Json(document_json()).into_response()
    }
}

/// The route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi/v2", get(document))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_protobuf_document_holds_image_stream_with_its_kind_and_merge_key() {
        let document = Document::decode(protobuf().as_slice()).unwrap();
        assert_eq!(document.swagger, "2.0");
        let definitions = document.definitions.unwrap().additional_properties;
        let names: Vec<&str> = definitions.iter().map(|d| d.name.as_str()).collect();
        assert!(
            names.contains(&"image.openshift.io.v1.ImageStream"),
            "{names:?}"
        );
        assert!(
            !names.iter().any(|name| name.contains("ProjectRequest")),
            "kinds without a field-by-field schema are left to the server: {names:?}"
        );
        let stream = definitions
            .iter()
            .find(|d| d.name == "image.openshift.io.v1.ImageStream")
            .and_then(|d| d.value.clone())
            .unwrap();
        let kind = stream
            .vendor_extension
            .iter()
            .find(|e| e.name == "x-kubernetes-group-version-kind")
            .and_then(|e| e.value.clone())
            .unwrap();
        let kind: Value = serde_json::from_str(&kind.yaml).unwrap();
        assert_eq!(kind[0]["kind"], "ImageStream");
        let property = |schema: &Schema, name: &str| {
            schema
                .properties
                .as_ref()
                .unwrap()
                .additional_properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
                .unwrap()
        };
        let tags = property(&property(&stream, "spec"), "tags");
        assert_eq!(tags.kind.unwrap().value, ["array"]);
        assert!(
            tags.vendor_extension
                .iter()
                .any(|e| e.name == "x-kubernetes-patch-merge-key"
                    && e.value.as_ref().unwrap().yaml == "\"name\"")
        );
        let labels = property(&property(&stream, "metadata"), "labels");
        let values = labels.additional_properties.unwrap().schema.unwrap();
        assert_eq!(values.kind.unwrap().value, ["string"]);
    }
}
