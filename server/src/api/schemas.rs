//! The object schemas of the OpenAPI documents. ImageStream is described
//! field by field, with `spec.tags` merging by `name` as in OpenShift, so
//! kubectl computes strategic merge patches on `apply` (tags added by
//! others survive, and an unchanged file is "unchanged"). The other kinds
//! name their top-level fields and leave the rest open; the server
//! validates every field itself.

use serde_json::{Value, json};

fn string() -> Value {
    json!({ "type": "string" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

fn string_map() -> Value {
    json!({ "type": "object", "additionalProperties": { "type": "string" } })
}

fn open_object() -> Value {
    json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true })
}

/// `metadata`, with the patch strategies of Kubernetes' ObjectMeta.
fn object_meta() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": string(),
            "generateName": string(),
            "namespace": string(),
            "uid": string(),
            "resourceVersion": string(),
            "generation": { "type": "integer", "format": "int64" },
            "creationTimestamp": { "type": "string", "format": "date-time" },
            "deletionTimestamp": { "type": "string", "format": "date-time" },
            "labels": string_map(),
            "annotations": string_map(),
            "finalizers": {
                "type": "array",
                "items": string(),
                "x-kubernetes-patch-strategy": "merge",
            },
            "ownerReferences": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "apiVersion": string(),
                        "kind": string(),
                        "name": string(),
                        "uid": string(),
                        "controller": boolean(),
                        "blockOwnerDeletion": boolean(),
                    },
                },
                "x-kubernetes-patch-merge-key": "uid",
                "x-kubernetes-patch-strategy": "merge",
            },
            "managedFields": { "type": "array", "items": open_object() },
        },
    })
}

/// `spec.tags[*]`: a TagReference.
fn tag_reference() -> Value {
    json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": string(),
            "annotations": string_map(),
            "from": {
                "type": "object",
                "properties": {
                    "kind": string(),
                    "name": string(),
                    "namespace": string(),
                    "apiVersion": string(),
                    "uid": string(),
                    "resourceVersion": string(),
                    "fieldPath": string(),
                },
            },
            "reference": boolean(),
            "generation": { "type": "integer", "format": "int64" },
            "importPolicy": {
                "type": "object",
                "properties": {
                    "insecure": boolean(),
                    "scheduled": boolean(),
                    "importMode": string(),
                },
            },
            "referencePolicy": {
                "type": "object",
                "properties": { "type": string() },
            },
        },
    })
}

/// ImageStream (`image.openshift.io/v1`), field by field.
pub fn image_stream(gvk: Value) -> Value {
    json!({
        "type": "object",
        "description": "An ImageStream stores a mapping of tags to images, and the history of each tag.",
        "properties": {
            "apiVersion": string(),
            "kind": string(),
            "metadata": object_meta(),
            "spec": {
                "type": "object",
                "properties": {
                    "lookupPolicy": {
                        "type": "object",
                        "properties": { "local": boolean() },
                    },
                    "dockerImageRepository": string(),
                    "tags": {
                        "type": "array",
                        "items": tag_reference(),
                        "x-kubernetes-patch-merge-key": "name",
                        "x-kubernetes-patch-strategy": "merge",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                    },
                },
            },
            "status": open_object(),
        },
        "x-kubernetes-group-version-kind": [gvk],
    })
}

/// Any other kind: its top-level fields, the rest open.
pub fn open(description: String, gvk: Value) -> Value {
    json!({
        "type": "object",
        "description": description,
        "properties": {
            "apiVersion": string(),
            "kind": string(),
            "metadata": open_object(),
            "spec": open_object(),
            "status": open_object(),
        },
        "x-kubernetes-group-version-kind": [gvk],
    })
}
