//! Sets of field paths in an object (what one manager owns), read from and
//! written as Kubernetes `fieldsV1`, and the walks over JSON values they need.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// One step of a path: a field of an object, or the item of a keyed list
/// whose key field has the given value (`k:{"name":"latest"}`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Field(String),
    Item(String),
}

/// A path from the object's root.
pub type Path = Vec<Step>;

/// The lists whose items are merged and owned one by one, with their key
/// field; every other list is owned and replaced as a whole.
const KEYED_LISTS: &[(&[&str], &str)] = &[(&["spec", "tags"], "name")];

/// Lists of a workload's pod template (and a BuildConfig's strategy) whose
/// items Kubernetes merges by a key wherever they appear, by the list's
/// field name: `spec.template.spec.containers`, a CronJob's
/// `spec.jobTemplate.spec.template.spec.containers`, a Pod's
/// `spec.containers`, each container's `env`, and so on. Lists keyed by
/// more than one field or by a number (`ports`) are owned as a whole.
const KEYED_LIST_NAMES: &[(&str, &str)] = &[
    ("containers", "name"),
    ("initContainers", "name"),
    ("ephemeralContainers", "name"),
    ("env", "name"),
    ("volumes", "name"),
    ("volumeMounts", "mountPath"),
    ("imagePullSecrets", "name"),
];

/// Fields that belong to the server or to the object's identity and are
/// never owned: Kubernetes strips them before tracking fields. `*` stands
/// for any item of a keyed list.
const UNOWNED: &[&[&str]] = &[
    &["apiVersion"],
    &["kind"],
    &["status"],
    &["metadata", "name"],
    &["metadata", "namespace"],
    &["metadata", "uid"],
    &["metadata", "resourceVersion"],
    &["metadata", "generation"],
    &["metadata", "creationTimestamp"],
    &["metadata", "deletionTimestamp"],
    &["metadata", "managedFields"],
    &["metadata", "selfLink"],
    // The stream generation a tag was last changed at is the server's.
    &["spec", "tags", "*", "generation"],
];

/// The fields one manager owns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSet(BTreeSet<Path>);

impl FieldSet {
    /// Every field set in `object` (leaves, whole lists, and each item of a
    /// keyed list), except those nobody owns.
    pub fn of(object: &Value) -> FieldSet {
        let mut set = BTreeSet::new();
        collect(object, &mut Vec::new(), &mut set);
        FieldSet(set)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.0.contains(path)
    }

    /// Whether the set holds `path` or anything beneath it.
    pub fn touches(&self, path: &Path) -> bool {
        self.0
            .range(path.clone()..)
            .next()
            .is_some_and(|owned| owned.starts_with(path))
    }

    pub fn insert(&mut self, path: Path) {
        self.0.insert(path);
    }

    pub fn remove(&mut self, path: &Path) {
        self.0.remove(path);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Path> {
        self.0.iter()
    }

    /// The paths of `self` that `other` lacks.
    pub fn without(&self, other: &FieldSet) -> Vec<Path> {
        self.0.difference(&other.0).cloned().collect()
    }

    /// The set as Kubernetes writes it (`fieldsV1`): a tree of `f:<field>`
    /// and `k:{"<key>":"<value>"}` entries, `{}` for an owned leaf and
    /// `".": {}` for an owned node that has owned children.
    pub fn to_fields_v1(&self) -> Value {
        let mut root = Map::new();
        for path in &self.0 {
            let mut node = &mut root;
            for (index, step) in path.iter().enumerate() {
                let key = encode_step(&path[..index], step);
                node = node
                    .entry(key)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("field set nodes are objects");
            }
        }
        mark_owned_parents(&mut root, &self.0, &mut Vec::new());
        Value::Object(root)
    }

    /// Reads `fieldsV1`; entries it does not understand are skipped.
    pub fn from_fields_v1(fields: &Value) -> FieldSet {
        let mut set = BTreeSet::new();
        if let Some(node) = fields.as_object() {
            decode(node, &mut Vec::new(), &mut set);
        }
        FieldSet(set)
    }
}

/// A node written before its children were known gets `"."` here.
fn mark_owned_parents(node: &mut Map<String, Value>, set: &BTreeSet<Path>, path: &mut Path) {
    let keys: Vec<String> = node.keys().filter(|key| *key != ".").cloned().collect();
    for key in keys {
        let Some(step) = decode_step(&key) else {
            continue;
        };
        path.push(step);
        if let Some(child) = node.get_mut(&key).and_then(Value::as_object_mut) {
            if set.contains(path) && !child.is_empty() && !child.contains_key(".") {
                child.insert(".".to_owned(), Value::Object(Map::new()));
            }
            mark_owned_parents(child, set, path);
        }
        path.pop();
    }
}

fn encode_step(parent: &[Step], step: &Step) -> String {
    match step {
        Step::Field(name) => format!("f:{name}"),
        Step::Item(value) => {
            let key = key_field(parent).unwrap_or("name");
            let mut object = Map::new();
            object.insert(key.to_owned(), Value::String(value.clone()));
            format!("k:{}", Value::Object(object))
        }
    }
}

fn decode_step(key: &str) -> Option<Step> {
    if let Some(name) = key.strip_prefix("f:") {
        return Some(Step::Field(name.to_owned()));
    }
    let object: Map<String, Value> = serde_json::from_str(key.strip_prefix("k:")?).ok()?;
    let (_, value) = object.into_iter().next()?;
    Some(Step::Item(value.as_str()?.to_owned()))
}

fn decode(node: &Map<String, Value>, path: &mut Path, set: &mut BTreeSet<Path>) {
    for (key, child) in node {
        if key == "." {
            set.insert(path.clone());
            continue;
        }
        let Some(step) = decode_step(key) else {
            continue;
        };
        path.push(step);
        match child.as_object() {
            Some(children) if !children.is_empty() => decode(children, path, set),
            _ => {
                set.insert(path.clone());
            }
        }
        path.pop();
    }
}

fn collect(value: &Value, path: &mut Path, set: &mut BTreeSet<Path>) {
    if is_unowned(path) {
        return;
    }
    match value {
        Value::Object(fields) if !fields.is_empty() || path.is_empty() => {
            for (name, child) in fields {
                path.push(Step::Field(name.clone()));
                collect(child, path, set);
                path.pop();
            }
        }
        Value::Array(items) => match key_field(path) {
            Some(key) => {
                for item in items {
                    let Some(value) = key_of(item, key) else {
                        continue;
                    };
                    path.push(Step::Item(value.to_owned()));
                    set.insert(path.clone());
                    collect(item, path, set);
                    path.pop();
                }
            }
            None => {
                set.insert(path.clone());
            }
        },
        _ => {
            set.insert(path.clone());
        }
    }
}

pub fn is_unowned(path: &Path) -> bool {
    UNOWNED.iter().any(|unowned| same_fields(path, unowned))
}

fn same_fields(path: &[Step], fields: &[&str]) -> bool {
    path.len() == fields.len()
        && path.iter().zip(fields).all(|(step, field)| match step {
            Step::Field(name) => name == field,
            Step::Item(_) => *field == "*",
        })
}

/// The key field of the keyed list at `path`, if it is one.
pub fn key_field(path: &[Step]) -> Option<&'static str> {
    let exact = KEYED_LISTS
        .iter()
        .find(|(list, _)| same_fields(path, list))
        .map(|(_, key)| *key);
    // A list named like a pod template's, below `spec` (never in metadata
    // or status).
    let by_name = || match path {
        [Step::Field(first), .., Step::Field(last)] if first == "spec" => KEYED_LIST_NAMES
            .iter()
            .find(|(name, _)| name == last)
            .map(|(_, key)| *key),
        _ => None,
    };
    exact.or_else(by_name)
}

/// The value of an item's key field, if it is a string.
pub fn key_of<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Value::as_str)
}

/// The item of a keyed list whose `key` field is `value`.
pub fn item_mut<'a>(items: &'a mut [Value], key: &str, value: &str) -> Option<&'a mut Value> {
    items
        .iter_mut()
        .find(|item| key_of(item, key) == Some(value))
}

/// The value at `path` in `object`.
pub fn get<'a>(object: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut value = object;
    for (index, step) in path.iter().enumerate() {
        value = match step {
            Step::Field(name) => value.get(name)?,
            Step::Item(key_value) => {
                let key = key_field(&path[..index])?;
                value
                    .as_array()?
                    .iter()
                    .find(|item| key_of(item, key) == Some(key_value.as_str()))?
            }
        };
    }
    Some(value)
}

/// Removes the value at `path` from `object` (nothing if it is not there).
pub fn remove(object: &mut Value, path: &[Step]) {
    let Some((last, parent_path)) = path.split_last() else {
        return;
    };
    let Some(parent) = get_mut(object, parent_path) else {
        return;
    };
    match last {
        Step::Field(name) => {
            if let Some(fields) = parent.as_object_mut() {
                fields.remove(name);
            }
        }
        Step::Item(key_value) => {
            let Some(key) = key_field(parent_path) else {
                return;
            };
            if let Some(items) = parent.as_array_mut() {
                items.retain(|item| key_of(item, key) != Some(key_value.as_str()));
            }
        }
    }
}

fn get_mut<'a>(object: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut value = object;
    for (index, step) in path.iter().enumerate() {
        value = match step {
            Step::Field(name) => value.get_mut(name)?,
            Step::Item(key_value) => {
                let key = key_field(&path[..index])?;
                item_mut(value.as_array_mut()?, key, key_value)?
            }
        };
    }
    Some(value)
}

/// Writes `path` as people read it: `.spec.tags[name="latest"].from.name`.
pub fn describe(path: &[Step]) -> String {
    let mut text = String::new();
    for (index, step) in path.iter().enumerate() {
        match step {
            Step::Field(name) => {
                text.push('.');
                text.push_str(name);
            }
            Step::Item(value) => {
                let key = key_field(&path[..index]).unwrap_or("name");
                text.push_str(&format!("[{key}=\"{value}\"]"));
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &str) -> Step {
        Step::Field(name.to_owned())
    }

    #[test]
    fn a_workloads_containers_and_their_env_are_keyed_but_its_triggers_are_whole() {
        let deployment = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": { "name": "web" },
            "spec": { "template": { "spec": { "containers": [{
                "name": "web",
                "image": " ",
                "env": [{ "name": "MODE", "value": "prod" }],
                "ports": [{ "containerPort": 8080 }],
                "volumeMounts": [{ "name": "data", "mountPath": "/data" }]
            }] } } },
            "status": { "containers": [{ "name": "web" }] }
        });
        let paths: Vec<String> = FieldSet::of(&deployment)
            .iter()
            .map(|p| describe(p))
            .collect();
        assert_eq!(
            paths,
            [
                ".spec.template.spec.containers[name=\"web\"]",
                ".spec.template.spec.containers[name=\"web\"].env[name=\"MODE\"]",
                ".spec.template.spec.containers[name=\"web\"].env[name=\"MODE\"].name",
                ".spec.template.spec.containers[name=\"web\"].env[name=\"MODE\"].value",
                ".spec.template.spec.containers[name=\"web\"].image",
                ".spec.template.spec.containers[name=\"web\"].name",
                ".spec.template.spec.containers[name=\"web\"].ports",
                ".spec.template.spec.containers[name=\"web\"].volumeMounts[mountPath=\"/data\"]",
                ".spec.template.spec.containers[name=\"web\"].volumeMounts[mountPath=\"/data\"].mountPath",
                ".spec.template.spec.containers[name=\"web\"].volumeMounts[mountPath=\"/data\"].name",
            ]
        );
        let build_config = json!({
            "spec": { "triggers": [{ "type": "ImageChange", "imageChange": {} }] }
        });
        let paths: Vec<String> = FieldSet::of(&build_config)
            .iter()
            .map(|p| describe(p))
            .collect();
        assert_eq!(paths, [".spec.triggers"]);
    }

    #[test]
    fn the_set_of_an_object_holds_its_leaves_and_each_tag_but_not_identity_or_status() {
        let object = json!({
            "apiVersion": "image.openshift.io/v1",
            "kind": "ImageStream",
            "metadata": { "name": "ruby", "labels": { "app": "web" } },
            "spec": {
                "lookupPolicy": {},
                "tags": [{ "name": "3.3", "from": { "kind": "DockerImage", "name": "ruby:3.3" } }]
            },
            "status": { "dockerImageRepository": "x" }
        });
        let set = FieldSet::of(&object);
        let tag = vec![field("spec"), field("tags"), Step::Item("3.3".to_owned())];
        let mut from_name = tag.clone();
        from_name.extend([field("from"), field("name")]);
        let paths: Vec<String> = set.iter().map(|path| describe(path)).collect();
        assert_eq!(
            paths,
            [
                ".metadata.labels.app",
                ".spec.lookupPolicy",
                ".spec.tags[name=\"3.3\"]",
                ".spec.tags[name=\"3.3\"].from.kind",
                ".spec.tags[name=\"3.3\"].from.name",
                ".spec.tags[name=\"3.3\"].name",
            ]
        );
        assert!(set.contains(&from_name));
        assert!(set.touches(&tag));
        assert!(!set.touches(&vec![field("status")]));
        assert_eq!(get(&object, &from_name), Some(&json!("ruby:3.3")));
    }

    #[test]
    fn fields_v1_is_written_as_kubernetes_does_and_read_back() {
        let object = json!({
            "metadata": { "labels": { "app": "web" } },
            "spec": { "tags": [{ "name": "a", "from": { "kind": "DockerImage" } }] }
        });
        let set = FieldSet::of(&object);
        let written = set.to_fields_v1();
        assert_eq!(
            written,
            json!({
                "f:metadata": { "f:labels": { "f:app": {} } },
                "f:spec": { "f:tags": { "k:{\"name\":\"a\"}": {
                    ".": {}, "f:from": { "f:kind": {} }, "f:name": {}
                } } }
            })
        );
        assert_eq!(FieldSet::from_fields_v1(&written), set);
    }

    #[test]
    fn removing_a_tag_or_a_field_leaves_the_rest() {
        let mut object = json!({
            "spec": { "tags": [{ "name": "a" }, { "name": "b", "reference": true }] }
        });
        remove(
            &mut object,
            &[field("spec"), field("tags"), Step::Item("a".to_owned())],
        );
        remove(
            &mut object,
            &[
                field("spec"),
                field("tags"),
                Step::Item("b".to_owned()),
                field("reference"),
            ],
        );
        assert_eq!(object, json!({ "spec": { "tags": [{ "name": "b" }] } }));
    }
}
