//! The OpenAPI v3 documents kubectl reads (`/openapi/v3` and one document
//! per group version), made from the discovery table: each resource's paths
//! and operations with their group-version-kind, the query parameters this
//! server honours (`dryRun`, `fieldValidation`, list and watch options), and
//! the patch formats it accepts: merge and JSON patch everywhere,
//! strategic merge where the kind is described field by field (ImageStream;
//! kubectl then sends strategic merge patches on `apply`), and server-side
//! apply for image streams, image stream tags, the trigger owners and
//! projects (and namespaces). The schemas are in [`super::schemas`]; the Swagger 2.0
//! document is [`super::openapi_v2`]'s.

use axum::{
    Json, Router,
    extract::Path,
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::{Map, Value, json};

use super::{
    discovery::{ApiResource, resources},
    status::not_found,
};
use crate::state::AppState;

fn split_group_version(group_version: &str) -> (&str, &str) {
    group_version.split_once('/').unwrap_or(("", group_version))
}

fn url_path(group_version: &str) -> String {
    if group_version.contains('/') {
        format!("apis/{group_version}")
    } else {
        format!("api/{group_version}")
    }
}

pub(super) fn schema_name(resource: &ApiResource) -> String {
    let (group, version) = split_group_version(resource.group_version);
    let group = if group.is_empty() { "core" } else { group };
    format!("{group}.{version}.{}", resource.kind)
}

fn gvk(resource: &ApiResource) -> Value {
    let (group, version) = split_group_version(resource.group_version);
    json!({ "group": group, "version": version, "kind": resource.kind })
}

fn query(name: &str, description: &str, kind: &str) -> Value {
    json!({ "name": name, "in": "query", "description": description, "schema": { "type": kind }, "uniqueItems": true })
}

fn path_parameter(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" }, "uniqueItems": true })
}

fn write_parameters() -> Vec<Value> {
    vec![
        query(
            "dryRun",
            "All: check the change without keeping it.",
            "string",
        ),
        query(
            "fieldValidation",
            "Unknown and duplicate fields are always refused (Strict).",
            "string",
        ),
        query(
            "fieldManager",
            "Who owns the fields this change sets (metadata.managedFields); required for apply.",
            "string",
        ),
    ]
}

fn list_parameters() -> Vec<Value> {
    vec![
        query("labelSelector", "Only objects with these labels.", "string"),
        query(
            "fieldSelector",
            "metadata.name and metadata.namespace.",
            "string",
        ),
        query(
            "limit",
            "At most this many objects; continue with the token returned.",
            "integer",
        ),
        query("continue", "The token of the previous page.", "string"),
        query("watch", "Stream changes as watch events.", "boolean"),
        query(
            "resourceVersion",
            "Watch from after this version.",
            "string",
        ),
        query("allowWatchBookmarks", "Send BOOKMARK events.", "boolean"),
        query(
            "timeoutSeconds",
            "End the watch after this long.",
            "integer",
        ),
    ]
}

fn operation(
    resource: &ApiResource,
    action: &str,
    parameters: Vec<Value>,
    body_types: &[&str],
) -> Value {
    let reference = json!({ "$ref": format!("#/components/schemas/{}", schema_name(resource)) });
    let mut operation = json!({
        "operationId": format!("{action}{}", resource.kind),
        "parameters": parameters,
        "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": reference } } } },
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": gvk(resource),
    });
    if !body_types.is_empty() {
        let content: Map<String, Value> = body_types
            .iter()
            .map(|kind| ((*kind).to_owned(), json!({ "schema": reference })))
            .collect();
        operation["requestBody"] = json!({ "content": content, "required": true });
    }
    operation
}

/// The collection and item paths of one resource.
fn resource_paths(resource: &ApiResource, paths: &mut Map<String, Value>) {
    let base = format!("/{}", url_path(resource.group_version));
    let collection = if resource.namespaced {
        format!("{base}/namespaces/{{namespace}}/{}", resource.name)
    } else {
        format!("{base}/{}", resource.name)
    };
    let namespace: Vec<Value> = if resource.namespaced {
        vec![path_parameter("namespace")]
    } else {
        Vec::new()
    };
    let has = |verb: &str| resource.verbs.contains(&verb);
    let mut collection_item = json!({ "parameters": namespace });
    if has("list") {
        collection_item["get"] = operation(resource, "list", list_parameters(), &[]);
    }
    if has("create") {
        collection_item["post"] =
            operation(resource, "post", write_parameters(), &["application/json"]);
    }
    paths.insert(collection.clone(), collection_item);
    let mut item_parameters = namespace;
    item_parameters.push(path_parameter("name"));
    let mut item = json!({ "parameters": item_parameters });
    if has("get") {
        item["get"] = operation(resource, "get", Vec::new(), &[]);
    }
    if has("update") {
        item["put"] = operation(resource, "put", write_parameters(), &["application/json"]);
    }
    if has("patch") {
        let mut formats = vec![
            "application/merge-patch+json",
            "application/json-patch+json",
        ];
        if described(resource) {
            formats.push("application/strategic-merge-patch+json");
        }
        if applies(resource) {
            formats.push("application/apply-patch+yaml");
        }
        item["patch"] = operation(resource, "patch", write_parameters(), &formats);
    }
    if has("delete") {
        item["delete"] = operation(resource, "delete", write_parameters(), &[]);
    }
    paths.insert(format!("{collection}/{{name}}"), item);
}

/// Whether the kind takes server-side apply.
fn applies(resource: &ApiResource) -> bool {
    matches!(
        resource.kind,
        "ImageStream" | "ImageStreamTag" | "Project" | "Namespace"
    ) || engine::model::triggers::OwnerKind::parse(resource.kind).is_some()
}

/// Whether the kind has a field-by-field schema (and strategic merge patches).
pub(super) fn described(resource: &ApiResource) -> bool {
    resource.kind == "ImageStream"
}

pub(super) fn object_schema(resource: &ApiResource) -> Value {
    if described(resource) {
        super::schemas::image_stream(gvk(resource))
    } else {
        super::schemas::open(
            format!("{} ({})", resource.kind, resource.group_version),
            gvk(resource),
        )
    }
}

/// The document of one group version, if it is served.
fn document(group_version: &str) -> Option<Value> {
    let served: Vec<ApiResource> = resources()
        .into_iter()
        .filter(|r| r.group_version == group_version)
        .collect();
    if served.is_empty() {
        return None;
    }
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for resource in &served {
        resource_paths(resource, &mut paths);
        schemas.insert(schema_name(resource), object_schema(resource));
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": { "title": "Image Stream Console", "version": env!("CARGO_PKG_VERSION") },
        "paths": paths,
        "components": { "schemas": schemas },
    }))
}

/// `/openapi/v3`: where each group version's document is.
async fn root() -> Json<Value> {
    let mut paths = Map::new();
    for resource in resources() {
        let path = url_path(resource.group_version);
        let url = format!("/openapi/v3/{path}?hash={}", env!("CARGO_PKG_VERSION"));
        paths.insert(path, json!({ "serverRelativeURL": url }));
    }
    Json(json!({ "paths": paths }))
}

async fn core_document(Path(version): Path<String>) -> Response {
    answer(&version)
}

async fn group_document(Path((group, version)): Path<(String, String)>) -> Response {
    answer(&format!("{group}/{version}"))
}

fn answer(group_version: &str) -> Response {
    match document(group_version) {
        Some(document) => Json(document).into_response(),
        None => not_found(format!("no OpenAPI document for {group_version}")),
    }
}

/// The OpenAPI routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi/v3", get(root))
        .route("/openapi/v3/api/{version}", get(core_document))
        .route("/openapi/v3/apis/{group}/{version}", get(group_document))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_streams_patch_names_its_kind_and_honours_field_validation() {
        let image = document("image.openshift.io/v1").unwrap();
        let patch = &image["paths"]["/apis/image.openshift.io/v1/namespaces/{namespace}/imagestreams/{name}"]
            ["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"]["kind"],
            "ImageStream"
        );
        let names: Vec<&str> = patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(names.contains(&"fieldValidation") && names.contains(&"dryRun"));
        let formats = &patch["requestBody"]["content"];
        assert!(formats.get("application/merge-patch+json").is_some());
        assert!(
            formats
                .get("application/strategic-merge-patch+json")
                .is_some()
        );
        let schema = &image["components"]["schemas"]["image.openshift.io.v1.ImageStream"];
        let tags = &schema["properties"]["spec"]["properties"]["tags"];
        assert_eq!(tags["x-kubernetes-patch-merge-key"], "name");
        assert_eq!(tags["x-kubernetes-patch-strategy"], "merge");
        // Kinds without a field-by-field schema do not offer strategic merge.
        let tag_patch = &image["paths"]["/apis/image.openshift.io/v1/namespaces/{namespace}/imagestreamtags/{name}"]
            ["patch"];
        if let Some(formats) = tag_patch["requestBody"]["content"].as_object() {
            assert!(!formats.contains_key("application/strategic-merge-patch+json"));
        }
        assert!(document("image.openshift.io/v9").is_none());
    }
}
