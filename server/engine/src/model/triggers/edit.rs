//! `oc set triggers` on an owner's document: add an image change trigger,
//! remove one, pause or resume it, make a DeploymentConfig trigger
//! automatic or manual. The edited document is validated like any other.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{OwnerKind, TRIGGERS_ANNOTATION, WatchedTag};
use crate::model::FieldError;

/// One change to an owner's triggers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriggerEdit {
    /// `oc set triggers --from-image=<tag> [-c <containers>]`.
    Add {
        tag: WatchedTag,
        containers: Vec<String>,
    },
    /// `oc set triggers --remove` of the trigger at `index`.
    Remove { index: usize },
    /// Pause or resume the trigger at `index` (BuildConfigs and annotations).
    SetPaused { index: usize, paused: bool },
    /// `--auto` / `--manual` of a DeploymentConfig trigger.
    SetAutomatic { index: usize, automatic: bool },
}

fn from_reference(tag: &WatchedTag, namespace: &str) -> Value {
    let mut from = json!({"kind": "ImageStreamTag", "name": format!("{}:{}", tag.stream, tag.tag)});
    if tag.namespace != namespace {
        from["namespace"] = json!(tag.namespace);
    }
    from
}

fn annotation_entries(document: &Value) -> Result<Vec<Value>, FieldError> {
    match document
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(TRIGGERS_ANNOTATION))
    {
        None => Ok(Vec::new()),
        Some(raw) => raw
            .as_str()
            .and_then(|raw| serde_json::from_str(raw).ok())
            .ok_or_else(|| {
                FieldError::new(
                    format!("metadata.annotations[{TRIGGERS_ANNOTATION}]"),
                    "Invalid value: not a JSON array of triggers",
                )
            }),
    }
}

fn set_annotation_entries(document: &mut Value, entries: &[Value]) {
    if document
        .pointer("/metadata/annotations")
        .is_none_or(|a| !a.is_object())
    {
        document["metadata"]["annotations"] = json!({});
    }
    document["metadata"]["annotations"][TRIGGERS_ANNOTATION] =
        json!(serde_json::to_string(entries).unwrap_or_default());
}

fn no_trigger(index: usize) -> FieldError {
    FieldError::new(
        "index",
        format!("Invalid value: {index}: there is no trigger at that position"),
    )
}

fn spec_trigger(document: &mut Value, index: usize) -> Result<&mut Value, FieldError> {
    document
        .pointer_mut(&format!("/spec/triggers/{index}"))
        .ok_or_else(|| no_trigger(index))
}

/// Applies `edit` to `document`, an owner of `kind` in `namespace`.
pub fn edit_triggers(
    kind: OwnerKind,
    namespace: &str,
    document: &mut Value,
    edit: &TriggerEdit,
) -> Result<(), FieldError> {
    match (edit, kind) {
        (TriggerEdit::Add { tag, .. }, OwnerKind::BuildConfig) => {
            push_spec_trigger(
                document,
                json!({"type": "ImageChange", "imageChange": {"from": from_reference(tag, namespace)}}),
            );
        }
        (TriggerEdit::Add { tag, containers }, OwnerKind::DeploymentConfig) => {
            if containers.is_empty() {
                return Err(FieldError::new(
                    "containers",
                    "Required value: name the containers the image goes to",
                ));
            }
            push_spec_trigger(
                document,
                json!({"type": "ImageChange", "imageChangeParams": {
                "automatic": true, "containerNames": containers, "from": from_reference(tag, namespace)}}),
            );
        }
        (TriggerEdit::Add { tag, containers }, _) => {
            if containers.is_empty() {
                return Err(FieldError::new(
                    "containers",
                    "Required value: name the containers the image goes to",
                ));
            }
            let prefix = kind.pod_spec_path().join(".");
            let mut entries = annotation_entries(document)?;
            for container in containers {
                entries.push(json!({
                    "from": from_reference(tag, namespace),
                    "fieldPath": format!("{prefix}.containers[?(@.name==\"{container}\")].image"),
                }));
            }
            set_annotation_entries(document, &entries);
        }
        (TriggerEdit::Remove { index }, OwnerKind::BuildConfig | OwnerKind::DeploymentConfig) => {
            let list = document
                .pointer_mut("/spec/triggers")
                .and_then(Value::as_array_mut)
                .ok_or_else(|| no_trigger(*index))?;
            if *index >= list.len() {
                return Err(no_trigger(*index));
            }
            list.remove(*index);
        }
        (TriggerEdit::Remove { index }, _) => {
            let mut entries = annotation_entries(document)?;
            if *index >= entries.len() {
                return Err(no_trigger(*index));
            }
            entries.remove(*index);
            set_annotation_entries(document, &entries);
        }
        (TriggerEdit::SetPaused { index, paused }, OwnerKind::BuildConfig) => {
            let trigger = spec_trigger(document, *index)?;
            if trigger.get("imageChange").is_none_or(|c| !c.is_object()) {
                trigger["imageChange"] = json!({});
            }
            trigger["imageChange"]["paused"] = json!(paused);
        }
        (TriggerEdit::SetPaused { .. }, OwnerKind::DeploymentConfig) => {
            return Err(FieldError::new(
                "paused",
                "Invalid value: a DeploymentConfig trigger is not paused on its own; make it manual, or pause the DeploymentConfig",
            ));
        }
        (TriggerEdit::SetPaused { index, paused }, _) => {
            let mut entries = annotation_entries(document)?;
            let entry = entries.get_mut(*index).ok_or_else(|| no_trigger(*index))?;
            entry["paused"] = json!(paused.to_string());
            set_annotation_entries(document, &entries);
        }
        (TriggerEdit::SetAutomatic { index, automatic }, OwnerKind::DeploymentConfig) => {
            let trigger = spec_trigger(document, *index)?;
            let params = trigger
                .get_mut("imageChangeParams")
                .ok_or_else(|| no_trigger(*index))?;
            params["automatic"] = json!(automatic);
        }
        (TriggerEdit::SetAutomatic { .. }, _) => {
            return Err(FieldError::new(
                "automatic",
                format!(
                    "Invalid value: only DeploymentConfig triggers are automatic or manual; a {kind} trigger is paused instead"
                ),
            ));
        }
    }
    Ok(())
}

fn push_spec_trigger(document: &mut Value, trigger: Value) {
    if document
        .pointer("/spec/triggers")
        .is_none_or(|t| !t.is_array())
    {
        if document.get("spec").is_none_or(|s| !s.is_object()) {
            document["spec"] = json!({});
        }
        document["spec"]["triggers"] = json!([]);
    }
    if let Some(list) = document["spec"]["triggers"].as_array_mut() {
        list.push(trigger);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::triggers::triggers_of;

    fn tag(stream: &str) -> WatchedTag {
        WatchedTag {
            namespace: "team".into(),
            stream: stream.into(),
            tag: "latest".into(),
        }
    }

    #[test]
    fn add_pause_and_remove_on_a_deployment_annotation() {
        let mut deployment = json!({"metadata": {"name": "web"},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "x"}]}}}});
        let add = TriggerEdit::Add {
            tag: tag("app"),
            containers: vec!["web".into()],
        };
        edit_triggers(OwnerKind::Deployment, "team", &mut deployment, &add).unwrap();
        let triggers = triggers_of(OwnerKind::Deployment, "team", &deployment).unwrap();
        assert_eq!(triggers[0].watched.to_string(), "team/app:latest");
        edit_triggers(
            OwnerKind::Deployment,
            "team",
            &mut deployment,
            &TriggerEdit::SetPaused {
                index: 0,
                paused: true,
            },
        )
        .unwrap();
        assert!(triggers_of(OwnerKind::Deployment, "team", &deployment).unwrap()[0].paused);
        edit_triggers(
            OwnerKind::Deployment,
            "team",
            &mut deployment,
            &TriggerEdit::Remove { index: 0 },
        )
        .unwrap();
        assert!(
            triggers_of(OwnerKind::Deployment, "team", &deployment)
                .unwrap()
                .is_empty()
        );
        let missing = edit_triggers(
            OwnerKind::Deployment,
            "team",
            &mut deployment,
            &TriggerEdit::Remove { index: 0 },
        );
        assert_eq!(missing.unwrap_err().field, "index");
    }

    #[test]
    fn a_deployment_config_trigger_is_made_manual_not_paused() {
        let mut dc = json!({"spec": {"template": {"spec": {"containers": [{"name": "main"}]}}}});
        let add = TriggerEdit::Add {
            tag: tag("app"),
            containers: vec!["main".into()],
        };
        edit_triggers(OwnerKind::DeploymentConfig, "team", &mut dc, &add).unwrap();
        edit_triggers(
            OwnerKind::DeploymentConfig,
            "team",
            &mut dc,
            &TriggerEdit::SetAutomatic {
                index: 0,
                automatic: false,
            },
        )
        .unwrap();
        assert!(!triggers_of(OwnerKind::DeploymentConfig, "team", &dc).unwrap()[0].automatic);
        let paused = edit_triggers(
            OwnerKind::DeploymentConfig,
            "team",
            &mut dc,
            &TriggerEdit::SetPaused {
                index: 0,
                paused: true,
            },
        );
        assert_eq!(paused.unwrap_err().field, "paused");
        let no_containers = TriggerEdit::Add {
            tag: tag("x"),
            containers: vec![],
        };
        assert_eq!(
            edit_triggers(OwnerKind::DeploymentConfig, "team", &mut dc, &no_containers)
                .unwrap_err()
                .field,
            "containers"
        );
    }
}
