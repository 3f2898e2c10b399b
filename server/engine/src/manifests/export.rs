//! Writing image streams out as `oc get is -o yaml` (or `-o json`) does: keys
//! sorted at every level, a list of several objects as `kind: List`, and
//! without `metadata.managedFields` (kubectl's `--show-managed-fields=false`).

use crate::model::ImageStream;

/// One stream, or several as a `List`, in YAML.
pub fn to_yaml(streams: &[ImageStream]) -> String {
    yaml_serde::to_string(&document(streams)).unwrap_or_default()
}

/// One stream, or several as a `List`, in indented JSON.
pub fn to_json(streams: &[ImageStream]) -> String {
    serde_json::to_string_pretty(&document(streams)).unwrap_or_default()
}

fn document(streams: &[ImageStream]) -> serde_json::Value {
    let streams: Vec<ImageStream> = streams
        .iter()
        .cloned()
        .map(|mut stream| {
            stream.metadata.managed_fields = None;
            stream
        })
        .collect();
    let value = match streams.as_slice() {
        [one] => serde_json::to_value(one),
        many => serde_json::to_value(many).map(|items| {
            serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "metadata": { "resourceVersion": "" },
                "items": items,
            })
        }),
    };
    sorted(value.unwrap_or(serde_json::Value::Null))
}

/// The value with every object's keys in alphabetical order (as kubectl prints).
fn sorted(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted).collect())
        }
        other => other,
    }
}
