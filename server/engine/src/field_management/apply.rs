//! Server-side apply (`PATCH` with `application/apply-patch+yaml`) and the
//! ownership every other write takes of what it changed.

use serde_json::Value;

use super::{
    Entry, ManagedFields, Operation,
    field_set::{self, FieldSet, Path, Step},
};
use crate::model::Time;

/// A field the applier would change although another manager owns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub manager: String,
    /// How that manager came to own the field.
    pub operation: Operation,
    /// The API version that manager wrote the field with.
    pub api_version: String,
    pub path: Path,
}

impl Conflict {
    /// The field, written `.spec.tags[name="latest"].from.name`.
    pub fn field(&self) -> String {
        field_set::describe(&self.path)
    }
}

/// Applies `config` for `manager` to `live` (`None` when the object does
/// not exist yet) and returns the object to write; `managed` is updated.
///
/// The manager comes to own exactly the fields of `config`. Fields it
/// applied before and leaves out now are removed unless another manager
/// owns them. A field whose value would change while another manager owns
/// it is a conflict; `force` takes it over instead.
pub fn apply(
    live: Option<&Value>,
    config: &Value,
    managed: &mut ManagedFields,
    manager: &str,
    force: bool,
    now: Time,
) -> Result<Value, Vec<Conflict>> {
    let applied = FieldSet::of(config);
    let mut object = live
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    let is_other = |entry: &Entry| !entry.belongs_to(manager, Operation::Apply);

    let mut conflicts = Vec::new();
    for path in applied.iter() {
        if matches!(path.last(), Some(Step::Item(_))) {
            continue;
        }
        let current = field_set::get(&object, path);
        if current.is_none() || current == field_set::get(config, path) {
            continue;
        }
        for entry in &managed.entries {
            if is_other(entry) && entry.fields.contains(path) {
                conflicts.push(Conflict {
                    manager: entry.manager.clone(),
                    operation: entry.operation,
                    api_version: entry.api_version.clone(),
                    path: path.clone(),
                });
            }
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(conflicts);
    }
    for entry in managed.entries.iter_mut().filter(|entry| is_other(entry)) {
        for conflict in &conflicts {
            entry.fields.remove(&conflict.path);
        }
    }

    let previous = managed
        .entries
        .iter()
        .find(|entry| !is_other(entry))
        .map(|entry| entry.fields.clone())
        .unwrap_or_default();
    let mut dropped = previous.without(&applied);
    // A whole tag goes first; an item's key field goes only with the item.
    dropped.sort_by_key(|path| path.len());
    for path in dropped {
        if is_item_key(&path) {
            continue;
        }
        let kept_by_another = managed
            .entries
            .iter()
            .any(|entry| is_other(entry) && entry.fields.touches(&path));
        if !kept_by_another {
            field_set::remove(&mut object, &path);
        }
    }
    merge(&mut object, config, &mut Vec::new());

    // An apply that changes nothing keeps its time, so the stream is not
    // written again.
    let unchanged = live == Some(&object) && previous == applied;
    let entry = managed.entry_mut(manager, Operation::Apply, now);
    entry.fields = applied;
    if !unchanged {
        entry.time = now;
    }
    managed.prune();
    Ok(object)
}

/// Whether `path` is the key field of a keyed list's item (`name` of a tag).
fn is_item_key(path: &[Step]) -> bool {
    match path {
        [list @ .., Step::Item(_), Step::Field(field)] => {
            field_set::key_field(list) == Some(field.as_str())
        }
        _ => false,
    }
}

/// Records a write other than apply that turned `old` (`None` for a new
/// object) into `new`: `manager` comes to own every field it set or
/// changed, and no other manager owns a field changed or removed.
pub fn record_update(
    old: Option<&Value>,
    new: &Value,
    managed: &mut ManagedFields,
    manager: &str,
    now: Time,
) {
    let empty = Value::Object(Default::default());
    let old = old.unwrap_or(&empty);
    let changed: Vec<Path> = FieldSet::of(new)
        .iter()
        .filter(|path| match path.last() {
            Some(Step::Item(_)) => field_set::get(old, path).is_none(),
            _ => field_set::get(old, path) != field_set::get(new, path),
        })
        .cloned()
        .collect();
    let removed: Vec<Path> = FieldSet::of(old)
        .iter()
        .filter(|path| field_set::get(new, path).is_none())
        .cloned()
        .collect();
    if changed.is_empty() && removed.is_empty() {
        return;
    }
    for entry in &mut managed.entries {
        for path in changed.iter().chain(&removed) {
            entry.fields.remove(path);
        }
    }
    let entry = managed.entry_mut(manager, Operation::Update, now);
    for path in changed {
        entry.fields.insert(path);
    }
    entry.time = now;
    managed.prune();
}

/// Merges an applied configuration into the object: objects field by field,
/// keyed lists item by item, everything else replaced. Fields nobody owns
/// (identity, status) are not taken from the configuration.
fn merge(target: &mut Value, config: &Value, path: &mut Path) {
    match (target, config) {
        (Value::Object(fields), Value::Object(applied)) => {
            for (name, value) in applied {
                path.push(Step::Field(name.clone()));
                if !field_set::is_unowned(path) {
                    match fields.get_mut(name) {
                        Some(existing) => merge(existing, value, path),
                        None => {
                            fields.insert(name.clone(), value.clone());
                        }
                    }
                }
                path.pop();
            }
        }
        (Value::Array(items), Value::Array(applied)) if field_set::key_field(path).is_some() => {
            let key = field_set::key_field(path).unwrap_or("name");
            for item in applied {
                let existing = field_set::key_of(item, key).and_then(|key_value| {
                    let existing = field_set::item_mut(items, key, key_value)?;
                    Some((existing, key_value))
                });
                match existing {
                    Some((existing, key_value)) => {
                        path.push(Step::Item(key_value.to_owned()));
                        merge(existing, item, path);
                        path.pop();
                    }
                    None => items.push(item.clone()),
                }
            }
        }
        (target, config) => *target = config.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(seconds: i64) -> Time {
        Time::new(time::OffsetDateTime::from_unix_timestamp(seconds).unwrap())
    }

    fn stream(tags: Value) -> Value {
        json!({
            "apiVersion": "image.openshift.io/v1",
            "kind": "ImageStream",
            "metadata": { "name": "ruby" },
            "spec": { "tags": tags }
        })
    }

    #[test]
    fn an_applier_owns_what_it_applied_and_removes_what_it_stops_applying() {
        let mut managed = ManagedFields::default();
        let first = stream(json!([
            { "name": "a", "from": { "kind": "DockerImage", "name": "ruby:3.2" } },
            { "name": "b", "from": { "kind": "DockerImage", "name": "ruby:3.3" } }
        ]));
        let mut live = apply(None, &first, &mut managed, "flux", false, at(1)).unwrap();
        // What the server adds by default belongs to nobody.
        live["spec"]["tags"][0]["referencePolicy"] = json!({ "type": "Source" });
        let second =
            stream(json!([{ "name": "b", "from": { "kind": "DockerImage", "name": "ruby:3.4" } }]));
        let live = apply(Some(&live), &second, &mut managed, "flux", false, at(2)).unwrap();
        assert_eq!(
            live["spec"]["tags"],
            json!([{ "name": "b", "from": { "kind": "DockerImage", "name": "ruby:3.4" } }])
        );
        assert_eq!(managed.entries.len(), 1);
        assert_eq!(managed.entries[0].fields, FieldSet::of(&second));
        assert_eq!(managed.entries[0].time, at(2));
        // Applied again, nothing changes, not even the time.
        let again = apply(Some(&live), &second, &mut managed, "flux", false, at(3)).unwrap();
        assert_eq!(again, live);
        assert_eq!(managed.entries[0].time, at(2));
    }

    #[test]
    fn changing_a_field_another_manager_owns_conflicts_unless_forced() {
        let mut managed = ManagedFields::default();
        let config =
            stream(json!([{ "name": "a", "from": { "kind": "DockerImage", "name": "ruby:3.2" } }]));
        let live = apply(None, &config, &mut managed, "flux", false, at(1)).unwrap();
        let mut edited = live.clone();
        edited["spec"]["tags"][0]["from"]["name"] = json!("ruby:3.3");
        record_update(Some(&live), &edited, &mut managed, "kubectl-edit", at(2));
        assert_eq!(managed.entries.len(), 2);

        let conflicts =
            apply(Some(&edited), &config, &mut managed, "flux", false, at(3)).unwrap_err();
        let conflicts: Vec<(&str, Operation, String)> = conflicts
            .iter()
            .map(|c| (c.manager.as_str(), c.operation, c.field()))
            .collect();
        assert_eq!(
            conflicts,
            [(
                "kubectl-edit",
                Operation::Update,
                ".spec.tags[name=\"a\"].from.name".to_owned()
            )]
        );
        // The same value is no conflict: the field is shared.
        let same =
            stream(json!([{ "name": "a", "from": { "kind": "DockerImage", "name": "ruby:3.3" } }]));
        apply(
            Some(&edited),
            &same,
            &mut managed.clone(),
            "other",
            false,
            at(3),
        )
        .unwrap();

        let forced = apply(Some(&edited), &config, &mut managed, "flux", true, at(3)).unwrap();
        assert_eq!(forced["spec"]["tags"][0]["from"]["name"], json!("ruby:3.2"));
        assert_eq!(managed.entries.len(), 1, "the editor lost its only field");
    }

    #[test]
    fn a_field_another_manager_owns_stays_when_the_applier_drops_it() {
        let mut managed = ManagedFields::default();
        let config = stream(json!([{ "name": "a", "reference": true }]));
        let live = apply(None, &config, &mut managed, "flux", false, at(1)).unwrap();
        apply(Some(&live), &config, &mut managed, "argocd", false, at(1)).unwrap();
        let live = apply(
            Some(&live),
            &stream(json!([])),
            &mut managed,
            "flux",
            false,
            at(2),
        )
        .unwrap();
        assert_eq!(
            live["spec"]["tags"],
            json!([{ "name": "a", "reference": true }])
        );
        let owners: Vec<&str> = managed
            .entries
            .iter()
            .map(|entry| entry.manager.as_str())
            .collect();
        assert_eq!(owners, ["argocd"], "flux owns nothing any more");
    }

    #[test]
    fn an_update_owns_what_it_changed_and_takes_it_from_the_others() {
        let mut managed = ManagedFields::default();
        let old = stream(json!([{ "name": "a", "reference": true }]));
        record_update(None, &old, &mut managed, "console", at(1));
        let mut new = old.clone();
        new["metadata"]["labels"] = json!({ "team": "web" });
        record_update(Some(&old), &new, &mut managed, "kubectl-label", at(2));
        let owners: Vec<(&str, usize)> = managed
            .entries
            .iter()
            .map(|entry| (entry.manager.as_str(), entry.fields.iter().count()))
            .collect();
        assert_eq!(owners, [("console", 3), ("kubectl-label", 1)]);
        record_update(Some(&new), &new, &mut managed, "nobody", at(3));
        assert_eq!(
            managed.entries.len(),
            2,
            "a write that changes nothing owns nothing"
        );
    }
}
