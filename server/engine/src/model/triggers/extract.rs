//! Reading the image change triggers out of an owner's document, with the
//! validation OpenShift applies (every problem names its field).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    OwnerKind, TRIGGERS_ANNOTATION,
    field_path::{ContainerSlot, container_names, pod_spec},
};
use crate::model::{FieldError, SourceKind, split_stream_tag};

/// The tag a trigger watches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WatchedTag {
    pub namespace: String,
    pub stream: String,
    pub tag: String,
}

impl std::fmt::Display for WatchedTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}:{}", self.namespace, self.stream, self.tag)
    }
}

/// What a trigger changes when it fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TriggerTarget {
    /// A BuildConfig trigger: starts a build.
    Build,
    /// A DeploymentConfig trigger: sets these containers' images.
    Containers(Vec<String>),
    /// An annotation trigger: sets this container's image.
    Slot {
        field_path: String,
        slot: ContainerSlot,
    },
}

/// One image change trigger of an owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageTrigger {
    /// Its position in `spec.triggers`, or in the annotation's array.
    pub index: usize,
    pub watched: WatchedTag,
    pub paused: bool,
    /// `automatic` of a DeploymentConfig trigger; always true for the others.
    pub automatic: bool,
    pub target: TriggerTarget,
    /// The resolved pull spec the trigger last fired for (for annotation
    /// triggers, the container's current image); empty if never.
    pub last_triggered: String,
}

/// The image change triggers of `document`, an object of `kind` in
/// `namespace`, or every problem with them.
pub fn triggers_of(
    kind: OwnerKind,
    namespace: &str,
    document: &Value,
) -> Result<Vec<ImageTrigger>, Vec<FieldError>> {
    match kind {
        OwnerKind::BuildConfig => build_config_triggers(namespace, document),
        OwnerKind::DeploymentConfig => deployment_config_triggers(namespace, document),
        _ => annotation_triggers(kind, namespace, document),
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A `paused` given as a boolean or, as annotations often do, a string.
fn flag(value: &Value, key: &str) -> bool {
    match value.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// The tag an `ImageStreamTag` reference at `field` names.
fn watched_tag(
    field: &str,
    from: &Value,
    namespace: &str,
    errors: &mut Vec<FieldError>,
) -> Option<WatchedTag> {
    let kind = text(from, "kind");
    if kind != SourceKind::IMAGE_STREAM_TAG {
        errors.push(FieldError::new(
            format!("{field}.kind"),
            format!("Invalid value: \"{kind}\": must be ImageStreamTag"),
        ));
        return None;
    }
    let name = text(from, "name");
    match split_stream_tag(name) {
        Ok((stream, tag)) => {
            let source_namespace = match text(from, "namespace") {
                "" => namespace,
                other => other,
            };
            Some(WatchedTag {
                namespace: source_namespace.to_owned(),
                stream: stream.to_owned(),
                tag: tag.to_owned(),
            })
        }
        Err(_) => {
            errors.push(FieldError::new(
                format!("{field}.name"),
                format!("Invalid value: \"{name}\": must be of the form <stream_name>:<tag>"),
            ));
            None
        }
    }
}

fn spec_triggers(document: &Value) -> Vec<&Value> {
    document
        .pointer("/spec/triggers")
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default()
}

fn build_config_triggers(
    namespace: &str,
    document: &Value,
) -> Result<Vec<ImageTrigger>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut triggers = Vec::new();
    let mut without_from = 0;
    for (index, trigger) in spec_triggers(document).into_iter().enumerate() {
        if text(trigger, "type") != "ImageChange" {
            continue;
        }
        let field = format!("spec.triggers[{index}].imageChange");
        let params = trigger.get("imageChange").cloned().unwrap_or(Value::Null);
        let watched = match params.get("from") {
            Some(from) if !from.is_null() => {
                watched_tag(&format!("{field}.from"), from, namespace, &mut errors)
            }
            _ => {
                without_from += 1;
                if without_from > 1 {
                    errors.push(FieldError::new(
                        format!("{field}.from"),
                        "Invalid value: only one ImageChange trigger may omit from",
                    ));
                    None
                } else {
                    match strategy_from(document) {
                        Some(from) if text(from, "kind") == SourceKind::IMAGE_STREAM_TAG => {
                            watched_tag("spec.strategy.from", from, namespace, &mut errors)
                        }
                        _ => {
                            errors.push(FieldError::new(
                                format!("{field}.from"),
                                "Required value: a trigger without from needs the build \
                                 strategy's from to be an ImageStreamTag",
                            ));
                            None
                        }
                    }
                }
            }
        };
        if let Some(watched) = watched {
            triggers.push(ImageTrigger {
                index,
                watched,
                paused: flag(&params, "paused"),
                automatic: true,
                target: TriggerTarget::Build,
                last_triggered: text(&params, "lastTriggeredImageID").to_owned(),
            });
        }
    }
    if errors.is_empty() {
        Ok(triggers)
    } else {
        Err(errors)
    }
}

/// The `from` of a BuildConfig's build strategy.
pub(super) fn strategy_from(document: &Value) -> Option<&Value> {
    let strategy = document.pointer("/spec/strategy")?;
    ["sourceStrategy", "dockerStrategy", "customStrategy"]
        .iter()
        .find_map(|key| strategy.get(*key)?.get("from"))
}

fn deployment_config_triggers(
    namespace: &str,
    document: &Value,
) -> Result<Vec<ImageTrigger>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut triggers = Vec::new();
    let paused = document
        .pointer("/spec/paused")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let known = pod_spec(OwnerKind::DeploymentConfig, document)
        .map(container_names)
        .unwrap_or_default();
    for (index, trigger) in spec_triggers(document).into_iter().enumerate() {
        if text(trigger, "type") != "ImageChange" {
            continue;
        }
        let field = format!("spec.triggers[{index}].imageChangeParams");
        let Some(params) = trigger.get("imageChangeParams") else {
            errors.push(FieldError::new(field, "Required value"));
            continue;
        };
        let watched = match params.get("from") {
            Some(from) => watched_tag(&format!("{field}.from"), from, namespace, &mut errors),
            None => {
                errors.push(FieldError::new(format!("{field}.from"), "Required value"));
                None
            }
        };
        let names: Vec<String> = params
            .get("containerNames")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if names.is_empty() {
            errors.push(FieldError::new(
                format!("{field}.containerNames"),
                "Required value: name the containers the image goes to",
            ));
        }
        let missing: Vec<&str> = names
            .iter()
            .filter(|name| !known.contains(name))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                format!("{field}.containerNames"),
                format!(
                    "not all container names exist: {} (accepts: {})",
                    missing.join(", "),
                    known.join(", ")
                ),
            ));
        }
        if let Some(watched) = watched {
            triggers.push(ImageTrigger {
                index,
                watched,
                paused,
                automatic: params
                    .get("automatic")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                target: TriggerTarget::Containers(names),
                last_triggered: text(params, "lastTriggeredImage").to_owned(),
            });
        }
    }
    if errors.is_empty() {
        Ok(triggers)
    } else {
        Err(errors)
    }
}

fn annotation_triggers(
    kind: OwnerKind,
    namespace: &str,
    document: &Value,
) -> Result<Vec<ImageTrigger>, Vec<FieldError>> {
    let field = format!("metadata.annotations[{TRIGGERS_ANNOTATION}]");
    let Some(raw) = document
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(TRIGGERS_ANNOTATION))
    else {
        return Ok(Vec::new());
    };
    let Some(raw) = raw.as_str() else {
        return Err(vec![FieldError::new(
            field,
            "Invalid value: must be a string holding a JSON array",
        )]);
    };
    let list: Vec<Value> = serde_json::from_str(raw).map_err(|error| {
        vec![FieldError::new(
            field.clone(),
            format!("Invalid value: not a JSON array of triggers: {error}"),
        )]
    })?;
    let spec = pod_spec(kind, document).cloned().unwrap_or(Value::Null);
    let known = container_names(&spec);
    let mut errors = Vec::new();
    let mut triggers: Vec<ImageTrigger> = Vec::new();
    for (index, entry) in list.iter().enumerate() {
        let at = format!("{field}[{index}]");
        let watched = match entry.get("from") {
            Some(from) => watched_tag(&format!("{at}.from"), from, namespace, &mut errors),
            None => {
                errors.push(FieldError::new(format!("{at}.from"), "Required value"));
                None
            }
        };
        let path = text(entry, "fieldPath");
        if list[..index].iter().any(|e| text(e, "fieldPath") == path) {
            errors.push(FieldError::new(
                format!("{at}.fieldPath"),
                format!("Duplicate value: \"{path}\": the annotation is invalid"),
            ));
            continue;
        }
        let slot = match ContainerSlot::parse(kind, path) {
            Ok(slot) => slot,
            Err(message) => {
                errors.push(FieldError::new(
                    format!("{at}.fieldPath"),
                    format!("Invalid value: \"{path}\": {message}"),
                ));
                continue;
            }
        };
        let mut pod = spec.clone();
        let Some(container) = slot.find_mut(&mut pod) else {
            errors.push(FieldError::new(
                format!("{at}.fieldPath"),
                format!(
                    "Invalid value: \"{path}\": no such container (accepts: {})",
                    known.join(", ")
                ),
            ));
            continue;
        };
        let current = text(container, "image").to_owned();
        if let Some(watched) = watched {
            triggers.push(ImageTrigger {
                index,
                watched,
                paused: flag(entry, "paused"),
                automatic: true,
                target: TriggerTarget::Slot {
                    field_path: path.to_owned(),
                    slot,
                },
                last_triggered: current,
            });
        }
    }
    if errors.is_empty() {
        Ok(triggers)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_build_config_trigger_without_from_watches_the_strategy_image() {
        let bc = json!({"spec": {
            "strategy": {"type": "Source", "sourceStrategy": {"from": {"kind": "ImageStreamTag", "name": "nodejs:latest", "namespace": "openshift"}}},
            "triggers": [{"type": "ConfigChange"}, {"type": "ImageChange", "imageChange": {}}]
        }});
        let triggers = triggers_of(OwnerKind::BuildConfig, "team", &bc).unwrap();
        assert_eq!(triggers.len(), 1);
        assert_eq!(triggers[0].index, 1);
        assert_eq!(triggers[0].watched.to_string(), "openshift/nodejs:latest");
    }

    #[test]
    fn a_build_config_trigger_without_from_needs_an_image_stream_strategy() {
        let bc = json!({"spec": {
            "strategy": {"dockerStrategy": {"from": {"kind": "DockerImage", "name": "x"}}},
            "triggers": [{"type": "ImageChange"}]
        }});
        let errors = fields(triggers_of(OwnerKind::BuildConfig, "team", &bc).unwrap_err());
        assert!(errors[0].starts_with("spec.triggers[0].imageChange.from: Required value"));
    }

    #[test]
    fn deployment_config_triggers_default_to_the_owner_namespace_and_check_containers() {
        let dc = json!({"spec": {
            "template": {"spec": {"containers": [{"name": "main", "image": "marsview"}]}},
            "triggers": [{"type": "ImageChange", "imageChangeParams": {
                "automatic": true, "containerNames": ["main"],
                "from": {"kind": "ImageStreamTag", "name": "marsview:latest"}}}]
        }});
        let triggers = triggers_of(OwnerKind::DeploymentConfig, "mars", &dc).unwrap();
        assert_eq!(triggers[0].watched.to_string(), "mars/marsview:latest");
        assert!(triggers[0].automatic);

        let mut wrong = dc.clone();
        wrong["spec"]["triggers"][0]["imageChangeParams"]["containerNames"] = json!(["x"]);
        let errors = fields(triggers_of(OwnerKind::DeploymentConfig, "mars", &wrong).unwrap_err());
        assert_eq!(
            errors,
            [
                "spec.triggers[0].imageChangeParams.containerNames: not all container names exist: x (accepts: main)"
            ]
        );
    }

    #[test]
    fn a_duplicate_field_path_makes_the_annotation_invalid() {
        let path = "spec.template.spec.containers[?(@.name==\"web\")].image";
        let entry =
            json!({"from": {"kind": "ImageStreamTag", "name": "app:latest"}, "fieldPath": path});
        let deployment = json!({
            "metadata": {"annotations": {TRIGGERS_ANNOTATION: json!([entry, entry]).to_string()}},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "old"}]}}}
        });
        let errors = fields(triggers_of(OwnerKind::Deployment, "team", &deployment).unwrap_err());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("[1].fieldPath: Duplicate value"),
            "{errors:?}"
        );
    }

    #[test]
    fn annotation_triggers_accept_paused_as_a_string() {
        let deployment = json!({
            "metadata": {"annotations": {TRIGGERS_ANNOTATION: r#"[{"from":{"kind":"ImageStreamTag","name":"app:latest"},"fieldPath":"spec.template.spec.containers[0].image","paused":"true"}]"#}},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "old"}]}}}
        });
        let triggers = triggers_of(OwnerKind::Deployment, "team", &deployment).unwrap();
        assert!(triggers[0].paused);
        assert_eq!(triggers[0].last_triggered, "old");
    }
}
