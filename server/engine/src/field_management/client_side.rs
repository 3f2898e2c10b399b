//! Moving from client-side to server-side `kubectl apply`, as the
//! Kubernetes API server allows it: kubectl's own server-side apply may
//! take fields that client-side apply set (those its
//! `last-applied-configuration` annotation names) without `--force-conflicts`,
//! and keeps that annotation up to date while it exists.

use serde_json::Value;

use super::{Conflict, FieldSet, ManagedFields, Operation, apply};
use crate::model::Time;

/// The field manager of `kubectl apply --server-side`.
pub const KUBECTL: &str = "kubectl";

/// The annotation client-side `kubectl apply` keeps its configuration in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn last_applied(object: &Value) -> Option<Value> {
    let text = object
        .pointer("/metadata/annotations")?
        .get(LAST_APPLIED)?
        .as_str()?;
    serde_json::from_str(text).ok()
}

/// Whether kubectl's apply of `live` may go ahead over `conflicts`: every
/// one is with a writer other than apply, on a field the object's
/// last-applied configuration names (so client-side apply set it).
pub fn conflicts_are_client_side_apply(live: &Value, conflicts: &[Conflict]) -> bool {
    let Some(configuration) = last_applied(live) else {
        return false;
    };
    let set = FieldSet::of(&configuration);
    conflicts
        .iter()
        .all(|conflict| conflict.operation == Operation::Update && set.contains(&conflict.path))
}

/// A server-side apply of `config` by `applier` to `live` (`None`: not
/// there yet) with its owners `managed`, as the API server does it: when
/// kubectl's apply conflicts only over fields its client-side apply set,
/// it takes them; and kubectl's apply keeps the last-applied annotation up
/// to date. Returns the object to write and its new owners.
pub fn server_side_apply(
    live: Option<&Value>,
    config: &Value,
    managed: &ManagedFields,
    applier: &str,
    force: bool,
    now: Time,
) -> Result<(Value, ManagedFields), Vec<Conflict>> {
    let attempt = |force: bool| {
        let mut managed = managed.clone();
        apply(live, config, &mut managed, applier, force, now).map(|object| (object, managed))
    };
    let (mut object, managed) = match attempt(force) {
        Err(conflicts)
            if applier == KUBECTL
                && live.is_some_and(|live| conflicts_are_client_side_apply(live, &conflicts)) =>
        {
            attempt(true)
        }
        answer => answer,
    }?;
    if applier == KUBECTL {
        keep_last_applied(&mut object, config);
    }
    Ok((object, managed))
}

/// After kubectl's apply of `config`, the annotation (if the object has
/// one) says `config`, so a later client-side apply starts from it.
pub fn keep_last_applied(object: &mut Value, config: &Value) {
    let Some(annotations) = object
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    if !annotations.contains_key(LAST_APPLIED) {
        return;
    }
    let mut configuration = config.clone();
    if let Some(applied) = configuration
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        applied.remove(LAST_APPLIED);
    }
    annotations.insert(
        LAST_APPLIED.to_owned(),
        Value::String(configuration.to_string()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_management::{ManagedFields, apply, field_set, record_update};
    use crate::model::Time;
    use serde_json::json;

    #[test]
    fn kubectl_takes_over_what_client_side_apply_set_and_nothing_else() {
        let now = Time::EPOCH;
        let config = |from: &str| {
            json!({
                "apiVersion": "image.openshift.io/v1",
                "kind": "ImageStream",
                "metadata": { "name": "web" },
                "spec": { "tags": [{ "name": "1", "from": { "kind": "DockerImage", "name": from } }] }
            })
        };
        let mut live = config("web:1");
        live["metadata"]["annotations"] = json!({ LAST_APPLIED: config("web:1").to_string() });
        let mut managed = ManagedFields::default();
        record_update(None, &live, &mut managed, "kubectl-client-side-apply", now);
        let conflicts = apply(
            Some(&live),
            &config("web:2"),
            &mut managed.clone(),
            KUBECTL,
            false,
            now,
        )
        .unwrap_err();
        assert!(conflicts_are_client_side_apply(&live, &conflicts));

        // A field the file never named is still a conflict, and so is
        // one another applier owns.
        let mut labelled = config("web:1");
        labelled["metadata"]["labels"] = json!({ "team": "web" });
        let label = FieldSet::of(&labelled)
            .iter()
            .find(|path| field_set::describe(path) == ".metadata.labels.team")
            .cloned()
            .unwrap();
        let outside = Conflict {
            path: label,
            ..conflicts[0].clone()
        };
        assert!(!conflicts_are_client_side_apply(&live, &[outside]));
        let applied = Conflict {
            operation: Operation::Apply,
            ..conflicts[0].clone()
        };
        assert!(!conflicts_are_client_side_apply(&live, &[applied]));

        let mut object = live.clone();
        keep_last_applied(&mut object, &config("web:2"));
        let kept: Value = serde_json::from_str(
            object["metadata"]["annotations"][LAST_APPLIED]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(kept, config("web:2"));
    }
}
