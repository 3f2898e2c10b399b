//! Strategic merge patch (`application/strategic-merge-patch+json`) as the
//! Kubernetes API server applies it: maps merge and `null` deletes a field;
//! a list with a merge key merges its items by that key (an item with
//! `$patch: delete` removes one, a `{"$patch": "replace"}` item replaces the
//! list); a list with the merge strategy of plain values adds the values it
//! lacks; every other list is replaced. The directives kubectl sends are
//! honoured: `$patch` (`merge`, `replace`, `delete`) on a map,
//! `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and
//! `$retainKeys`.
//!
//! Which lists merge comes from a [`Strategy`] per kind, written from the
//! `patchStrategy`/`patchMergeKey` tags of the OpenShift and Kubernetes types.

use serde_json::{Map, Value};

/// The lists of one kind that merge rather than being replaced. Paths are
/// field names joined by dots; a list's items add no segment
/// (`spec.template.spec.containers.env` is each container's `env`).
#[derive(Debug, Clone, Copy)]
pub struct Strategy {
    /// Lists of objects merged by a key field: `(path, key)`.
    pub keyed_lists: &'static [(&'static str, &'static str)],
    /// Lists of plain values merged as sets.
    pub value_lists: &'static [&'static str],
}

const METADATA_KEYED: [(&str, &str); 1] = [("metadata.ownerReferences", "uid")];
const METADATA_VALUES: [&str; 1] = ["metadata.finalizers"];

/// `ImageStream`: `spec.tags` merge by `name` (`+patchMergeKey=name`).
pub const IMAGE_STREAM: Strategy = Strategy {
    keyed_lists: &[METADATA_KEYED[0], ("spec.tags", "name")],
    value_lists: &METADATA_VALUES,
};

/// `ImageStreamTag`: only metadata's lists are merged by key (its `tag` has
/// no lists).
pub const IMAGE_STREAM_TAG: Strategy = Strategy {
    keyed_lists: &METADATA_KEYED,
    value_lists: &METADATA_VALUES,
};

/// The workloads triggers update (and BuildConfigs and DeploymentConfigs,
/// whose trigger lists are atomic): containers and their lists by the keys
/// Kubernetes gives them.
pub const WORKLOAD: Strategy = Strategy {
    keyed_lists: &[
        METADATA_KEYED[0],
        ("spec.containers", "name"),
        ("spec.initContainers", "name"),
        ("spec.volumes", "name"),
        ("spec.containers.env", "name"),
        ("spec.containers.ports", "containerPort"),
        ("spec.containers.volumeMounts", "mountPath"),
        ("spec.template.spec.containers", "name"),
        ("spec.template.spec.initContainers", "name"),
        ("spec.template.spec.volumes", "name"),
        ("spec.template.spec.containers.env", "name"),
        ("spec.template.spec.containers.ports", "containerPort"),
        ("spec.template.spec.containers.volumeMounts", "mountPath"),
        ("spec.jobTemplate.spec.template.spec.containers", "name"),
        ("spec.jobTemplate.spec.template.spec.initContainers", "name"),
        ("spec.jobTemplate.spec.template.spec.volumes", "name"),
        ("spec.jobTemplate.spec.template.spec.containers.env", "name"),
    ],
    value_lists: &METADATA_VALUES,
};

impl Strategy {
    fn merge_key(&self, path: &str) -> Option<&'static str> {
        self.keyed_lists
            .iter()
            .find(|(list, _)| *list == path)
            .map(|(_, key)| *key)
    }

    fn merges_values(&self, path: &str) -> bool {
        self.value_lists.contains(&path)
    }
}

const PATCH: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const SET_ORDER: &str = "$setElementOrder/";
const DELETE_FROM: &str = "$deleteFromPrimitiveList/";

/// `current` with `patch` applied, or why the patch cannot be applied.
pub fn apply(mut current: Value, patch: &Value, strategy: &Strategy) -> Result<Value, String> {
    let Value::Object(patch) = patch else {
        return Err("a strategic merge patch must be a JSON object".to_owned());
    };
    let Value::Object(object) = &mut current else {
        return Err("only an object can be patched".to_owned());
    };
    if merge_map(object, patch, "", strategy)? == Outcome::Delete {
        return Err("the whole object cannot be deleted by a patch".to_owned());
    }
    Ok(current)
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Keep,
    /// The map asked to be removed (`$patch: delete`).
    Delete,
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn merge_map(
    original: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    path: &str,
    strategy: &Strategy,
) -> Result<Outcome, String> {
    match patch.get(PATCH).map(|v| v.as_str()) {
        None | Some(Some("merge")) => {}
        Some(Some("delete")) => return Ok(Outcome::Delete),
        Some(Some("replace")) => {
            *original = Map::new();
            let rest: Map<String, Value> = patch
                .iter()
                .filter(|(key, _)| key.as_str() != PATCH)
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
            return merge_map(original, &rest, path, strategy);
        }
        Some(other) => {
            return Err(format!(
                "{}: unknown $patch value {}",
                display(path),
                other.map_or_else(|| "(not a string)".to_owned(), |s| format!("{s:?}"))
            ));
        }
    }
    let mut orders = Vec::new();
    for (key, value) in patch {
        if key == PATCH {
            continue;
        }
        if key == RETAIN_KEYS {
            continue;
        }
        if let Some(list) = key.strip_prefix(SET_ORDER) {
            orders.push((list, value));
            continue;
        }
        if let Some(list) = key.strip_prefix(DELETE_FROM) {
            let Value::Array(doomed) = value else {
                return Err(format!("{}: {key} must be a list", display(path)));
            };
            if let Some(Value::Array(items)) = original.get_mut(list) {
                items.retain(|item| !doomed.contains(item));
            }
            continue;
        }
        let field = child(path, key);
        match value {
            Value::Null => {
                original.remove(key);
            }
            Value::Object(sub) => {
                let slot = original
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                let Value::Object(target) = slot else {
                    unreachable!("made an object above")
                };
                if merge_map(target, sub, &field, strategy)? == Outcome::Delete {
                    original.remove(key);
                }
            }
            Value::Array(items) => {
                let merged = match (strategy.merge_key(&field), original.remove(key)) {
                    (Some(merge_key), Some(Value::Array(existing))) => {
                        merge_keyed_list(existing, items, merge_key, &field, strategy)?
                    }
                    (Some(merge_key), _) => {
                        merge_keyed_list(Vec::new(), items, merge_key, &field, strategy)?
                    }
                    (None, Some(Value::Array(mut existing))) if strategy.merges_values(&field) => {
                        for item in items {
                            if !existing.contains(item) {
                                existing.push(item.clone());
                            }
                        }
                        existing
                    }
                    (None, _) => items.clone(),
                };
                original.insert(key.clone(), Value::Array(merged));
            }
            scalar => {
                original.insert(key.clone(), scalar.clone());
            }
        }
    }
    for (list, order) in orders {
        let Value::Array(order) = order else {
            return Err(format!(
                "{}: {SET_ORDER}{list} must be a list",
                display(path)
            ));
        };
        let field = child(path, list);
        if let Some(Value::Array(items)) = original.get_mut(list) {
            reorder(items, order, strategy.merge_key(&field));
        }
    }
    if let Some(retained) = patch.get(RETAIN_KEYS) {
        let Value::Array(retained) = retained else {
            return Err(format!("{}: {RETAIN_KEYS} must be a list", display(path)));
        };
        original.retain(|key, _| retained.iter().any(|kept| kept.as_str() == Some(key)));
    }
    Ok(Outcome::Keep)
}

fn merge_keyed_list(
    mut existing: Vec<Value>,
    patch: &[Value],
    merge_key: &str,
    path: &str,
    strategy: &Strategy,
) -> Result<Vec<Value>, String> {
    let replace = patch
        .iter()
        .any(|item| item.get(PATCH).and_then(Value::as_str) == Some("replace"));
    if replace {
        existing.clear();
    }
    for item in patch {
        let Value::Object(fields) = item else {
            return Err(format!(
                "{}: each item must be an object with {merge_key:?}",
                display(path)
            ));
        };
        if fields.get(PATCH).and_then(Value::as_str) == Some("replace") && fields.len() == 1 {
            continue;
        }
        let Some(key) = fields.get(merge_key) else {
            return Err(format!(
                "{}: an item does not contain the declared merge key {merge_key:?}",
                display(path)
            ));
        };
        let found = existing
            .iter()
            .position(|candidate| candidate.get(merge_key) == Some(key));
        if fields.get(PATCH).and_then(Value::as_str) == Some("delete") {
            existing.retain(|candidate| candidate.get(merge_key) != Some(key));
            continue;
        }
        match found {
            Some(index) => {
                if !existing[index].is_object() {
                    existing[index] = Value::Object(Map::new());
                }
                let Value::Object(target) = &mut existing[index] else {
                    unreachable!("made an object above")
                };
                if merge_map(target, fields, path, strategy)? == Outcome::Delete {
                    existing.remove(index);
                }
            }
            None => {
                let mut fresh = Map::new();
                merge_map(&mut fresh, fields, path, strategy)?;
                existing.push(Value::Object(fresh));
            }
        }
    }
    Ok(existing)
}

/// Puts the items named in `order` first, in that order; the others (the
/// server's own) follow in the order they had.
fn reorder(items: &mut Vec<Value>, order: &[Value], merge_key: Option<&str>) {
    let identity = |item: &Value| -> Value {
        match merge_key {
            Some(key) => item.get(key).cloned().unwrap_or(Value::Null),
            None => item.clone(),
        }
    };
    let mut rest = std::mem::take(items);
    for wanted in order {
        let wanted = identity(wanted);
        if let Some(index) = rest.iter().position(|item| identity(item) == wanted) {
            items.push(rest.remove(index));
        }
    }
    items.append(&mut rest);
}

fn display(path: &str) -> &str {
    if path.is_empty() { "(object)" } else { path }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stream() -> Value {
        json!({
            "metadata": {"name": "ruby", "labels": {"a": "1"}, "finalizers": ["x"]},
            "spec": {"tags": [
                {"name": "3.3", "from": {"kind": "DockerImage", "name": "ruby:3.3"}, "annotations": {"k": "v"}},
                {"name": "3.2", "from": {"kind": "DockerImage", "name": "ruby:3.2"}},
            ]}
        })
    }

    fn patched(patch: Value) -> Value {
        apply(stream(), &patch, &IMAGE_STREAM).unwrap()
    }

    #[test]
    fn tags_merge_by_name_keeping_the_others() {
        let result =
            patched(json!({"spec": {"tags": [{"name": "3.3", "annotations": {"k2": "v2"}}]}}));
        let tags = result["spec"]["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0]["annotations"], json!({"k": "v", "k2": "v2"}));
        assert_eq!(tags[0]["from"]["name"], "ruby:3.3");
        let added = patched(
            json!({"spec": {"tags": [{"name": "3.4", "from": {"kind": "DockerImage", "name": "ruby:3.4"}}]}}),
        );
        assert_eq!(added["spec"]["tags"].as_array().unwrap().len(), 3);
        assert_eq!(added["spec"]["tags"][2]["name"], "3.4");
    }

    #[test]
    fn directives_delete_replace_and_order_items() {
        let deleted = patched(json!({"spec": {"tags": [{"name": "3.2", "$patch": "delete"}]}}));
        assert_eq!(deleted["spec"]["tags"].as_array().unwrap().len(), 1);
        let replaced = patched(json!({"spec": {"tags": [{"$patch": "replace"}, {"name": "9"}]}}));
        assert_eq!(replaced["spec"]["tags"], json!([{"name": "9"}]));
        let ordered = patched(json!({"spec": {
            "$setElementOrder/tags": [{"name": "3.2"}, {"name": "3.3"}],
            "tags": [{"name": "3.3", "annotations": {"k": null}}]
        }}));
        assert_eq!(ordered["spec"]["tags"][0]["name"], "3.2");
        assert_eq!(ordered["spec"]["tags"][1]["annotations"], json!({}));
        let map_replaced =
            patched(json!({"metadata": {"labels": {"$patch": "replace", "b": "2"}}}));
        assert_eq!(map_replaced["metadata"]["labels"], json!({"b": "2"}));
        let map_deleted = patched(json!({"metadata": {"labels": {"$patch": "delete"}}}));
        assert!(map_deleted["metadata"].get("labels").is_none());
    }

    #[test]
    fn value_lists_merge_as_sets_and_other_lists_are_replaced() {
        let added = patched(json!({"metadata": {"finalizers": ["y", "x"]}}));
        assert_eq!(added["metadata"]["finalizers"], json!(["x", "y"]));
        let removed = patched(json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["x"]}}));
        assert_eq!(removed["metadata"]["finalizers"], json!([]));
        let workload = json!({"spec": {"triggers": [{"type": "A"}, {"type": "B"}]}});
        let replaced = apply(
            workload,
            &json!({"spec": {"triggers": [{"type": "C"}]}}),
            &WORKLOAD,
        )
        .unwrap();
        assert_eq!(replaced["spec"]["triggers"], json!([{"type": "C"}]));
    }

    #[test]
    fn nested_keyed_lists_merge_inside_their_items() {
        let deployment = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "web", "image": "a", "env": [{"name": "A", "value": "1"}]},
            {"name": "side", "image": "b"}
        ]}}}});
        let patch = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "web", "image": "c", "env": [{"name": "B", "value": "2"}]}
        ]}}}});
        let result = apply(deployment, &patch, &WORKLOAD).unwrap();
        let containers = &result["spec"]["template"]["spec"]["containers"];
        assert_eq!(containers.as_array().unwrap().len(), 2);
        assert_eq!(containers[0]["image"], "c");
        assert_eq!(containers[0]["env"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn malformed_patches_name_the_problem() {
        let missing = apply(
            stream(),
            &json!({"spec": {"tags": [{"annotations": {}}]}}),
            &IMAGE_STREAM,
        );
        assert!(
            missing
                .unwrap_err()
                .contains("spec.tags: an item does not contain the declared merge key \"name\"")
        );
        let unknown = apply(
            stream(),
            &json!({"spec": {"$patch": "explode"}}),
            &IMAGE_STREAM,
        );
        assert!(
            unknown
                .unwrap_err()
                .contains("unknown $patch value \"explode\"")
        );
        assert!(apply(stream(), &json!([1]), &IMAGE_STREAM).is_err());
    }
}
