//! The trigger rules: given an owner, its triggers and what the watched tags
//! resolve to now, decide for each trigger whether it fires, change the
//! owner's document accordingly, and say what was started.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{
    ImageTrigger, OwnerKind, TriggerTarget, WatchedTag,
    field_path::{pod_spec_mut, set_named_images, set_slot_image},
    outcome::Outcome,
};

/// What a watched tag resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The resolved pull spec (reference policy applied): the value compared.
    pub pull_spec: String,
    /// The image digest (empty for a reference without one).
    pub image: String,
}

/// One trigger's evaluation, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub trigger_index: usize,
    pub watched: WatchedTag,
    /// The value the trigger last fired for, and the one it saw now.
    pub from: String,
    pub to: String,
    pub outcome: Outcome,
    /// What it started, or more about why not.
    pub detail: String,
}

/// What a set of fired triggers started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Started {
    /// The build's or rollout's number (`<owner>-<number>` names it).
    pub number: i64,
    pub name: String,
    /// "Image change".
    pub cause: String,
    /// The images it used: `(container or "build", pull spec)`.
    pub images: Vec<(String, String)>,
}

/// The result of evaluating an owner.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerChange {
    /// The owner's document with the fired triggers applied.
    pub document: Value,
    pub evaluations: Vec<Evaluation>,
    pub started: Option<Started>,
}

impl OwnerChange {
    /// Whether any trigger changed the document.
    pub fn changed(&self, before: &Value) -> bool {
        &self.document != before
    }
}

/// The owner being evaluated.
#[derive(Debug, Clone, Copy)]
pub struct OwnerDoc<'a> {
    pub kind: OwnerKind,
    pub namespace: &'a str,
    pub name: &'a str,
    pub document: &'a Value,
}

/// Evaluates the triggers of `owner`. `only` limits the evaluation to the triggers watching one tag (a tag
/// moved); `None` evaluates all (the owner was written). `resolve` says what
/// a tag resolves to; `allowed(owner_ns, source_ns)` whether the owner's
/// project may pull from the source project.
pub fn evaluate_owner(
    owner: OwnerDoc<'_>,
    triggers: &[ImageTrigger],
    only: Option<&WatchedTag>,
    resolve: impl Fn(&WatchedTag) -> Option<Resolution>,
    allowed: impl Fn(&str, &str) -> bool,
) -> OwnerChange {
    let OwnerDoc {
        kind,
        namespace,
        name,
        document,
    } = owner;
    let mut document = document.clone();
    let mut evaluations = Vec::new();
    let mut fired: Vec<(usize, String)> = Vec::new();
    for trigger in triggers {
        if only.is_some_and(|watched| *watched != trigger.watched) {
            continue;
        }
        let resolution = resolve(&trigger.watched);
        let to = resolution
            .as_ref()
            .map(|r| r.pull_spec.clone())
            .unwrap_or_default();
        let outcome = if trigger.paused {
            Outcome::Paused
        } else if trigger.watched.namespace != namespace
            && !allowed(namespace, &trigger.watched.namespace)
        {
            Outcome::NotAllowed
        } else if resolution.is_none() {
            Outcome::Unresolved
        } else if !trigger.automatic {
            Outcome::NotAutomatic
        } else if to == trigger.last_triggered {
            Outcome::SameImage
        } else {
            Outcome::Fired
        };
        let detail = match (outcome, kind) {
            (Outcome::SameImage, OwnerKind::BuildConfig) => format!(
                "build config {namespace}/{name} has already instantiated a build for imageid {to}"
            ),
            (Outcome::NotAllowed, _) => format!(
                "project {namespace} may not pull images from project {}",
                trigger.watched.namespace
            ),
            _ => String::new(),
        };
        if outcome == Outcome::Fired {
            apply_trigger(kind, &mut document, trigger, &to);
            fired.push((evaluations.len(), to.clone()));
        }
        evaluations.push(Evaluation {
            trigger_index: trigger.index,
            watched: trigger.watched.clone(),
            from: trigger.last_triggered.clone(),
            to,
            outcome,
            detail,
        });
    }
    let started = if fired.is_empty() {
        None
    } else {
        start(
            kind,
            name,
            &mut document,
            triggers,
            &fired,
            &mut evaluations,
        )
    };
    OwnerChange {
        document,
        evaluations,
        started,
    }
}

/// Writes a fired trigger's new value into the document.
fn apply_trigger(kind: OwnerKind, document: &mut Value, trigger: &ImageTrigger, to: &str) {
    match &trigger.target {
        TriggerTarget::Build => {
            if let Some(params) = document
                .pointer_mut(&format!("/spec/triggers/{}", trigger.index))
                .and_then(Value::as_object_mut)
            {
                let change = params.entry("imageChange").or_insert_with(|| json!({}));
                if !change.is_object() {
                    *change = json!({});
                }
                change["lastTriggeredImageID"] = json!(to);
            }
        }
        TriggerTarget::Containers(names) => {
            if let Some(params) = document.pointer_mut(&format!(
                "/spec/triggers/{}/imageChangeParams",
                trigger.index
            )) {
                params["lastTriggeredImage"] = json!(to);
            }
            set_named_images(kind, document, names, to);
        }
        TriggerTarget::Slot { slot, .. } => set_slot_image(kind, document, slot, to),
    }
}

fn counter(document: &Value, pointer: &str) -> i64 {
    document
        .pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn set_counter(document: &mut Value, parent: &str, key: &str, value: i64) {
    if document.get(parent).is_none_or(|p| !p.is_object()) {
        document[parent] = json!({});
    }
    document[parent][key] = json!(value);
}

/// Starts the build or rollout the fired triggers call for, numbering it,
/// and fills in the fired evaluations' details. A DeploymentConfig's first
/// rollout waits until every automatic trigger has fired once.
fn start(
    kind: OwnerKind,
    name: &str,
    document: &mut Value,
    triggers: &[ImageTrigger],
    fired: &[(usize, String)],
    evaluations: &mut [Evaluation],
) -> Option<Started> {
    let images: Vec<(String, String)>;
    let number;
    match kind {
        OwnerKind::BuildConfig => {
            number = counter(document, "/status/lastVersion") + 1;
            set_counter(document, "status", "lastVersion", number);
            images = vec![("build".to_owned(), fired[0].1.clone())];
        }
        OwnerKind::DeploymentConfig => {
            let unresolved: Vec<String> = triggers
                .iter()
                .filter(|t| t.automatic && !t.paused)
                .filter(|t| {
                    document
                        .pointer(&format!(
                            "/spec/triggers/{}/imageChangeParams/lastTriggeredImage",
                            t.index
                        ))
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                })
                .map(|t| t.watched.to_string())
                .collect();
            if counter(document, "/status/latestVersion") == 0 && !unresolved.is_empty() {
                for (at, _) in fired {
                    evaluations[*at].outcome = Outcome::Waiting;
                    evaluations[*at].detail =
                        format!("the first rollout waits for {}", unresolved.join(", "));
                }
                return None;
            }
            number = counter(document, "/status/latestVersion") + 1;
            set_counter(document, "status", "latestVersion", number);
            images = container_images(kind, document);
        }
        _ => {
            number = counter(document, "/metadata/generation") + 1;
            set_counter(document, "metadata", "generation", number);
            images = container_images(kind, document);
        }
    }
    let run_name = format!("{name}-{number}");
    let words = match kind {
        OwnerKind::BuildConfig => format!("started build {run_name}"),
        _ => format!("rolled out revision {number} ({run_name})"),
    };
    for (at, _) in fired {
        evaluations[*at].detail = words.clone();
    }
    Some(Started {
        number,
        name: run_name,
        cause: match kind {
            OwnerKind::BuildConfig => "Image change".into(),
            _ => "image change".into(),
        },
        images,
    })
}

/// `(container, image)` of every container in the owner's pod spec.
fn container_images(kind: OwnerKind, document: &mut Value) -> Vec<(String, String)> {
    let Some(spec) = pod_spec_mut(kind, document) else {
        return Vec::new();
    };
    ["containers", "initContainers"]
        .iter()
        .filter_map(|list| spec.get(*list)?.as_array())
        .flatten()
        .map(|c| {
            let field = |key| {
                c.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            (field("name"), field("image"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::triggers::triggers_of;

    fn run(kind: OwnerKind, document: &Value, resolved: &[(&str, &str)]) -> OwnerChange {
        let triggers = triggers_of(kind, "team", document).unwrap();
        let owner = OwnerDoc {
            kind,
            namespace: "team",
            name: "app",
            document,
        };
        evaluate_owner(
            owner,
            &triggers,
            None,
            |watched| {
                resolved
                    .iter()
                    .find(|(stream, _)| *stream == watched.stream)
                    .map(|(_, spec)| Resolution {
                        pull_spec: (*spec).into(),
                        image: String::new(),
                    })
            },
            |_, _| false,
        )
    }

    fn build_config() -> Value {
        json!({"spec": {"triggers": [{"type": "ImageChange", "imageChange": {
            "from": {"kind": "ImageStreamTag", "name": "ruby:latest"}}}]}})
    }

    #[test]
    fn a_build_config_builds_once_its_tag_resolves_and_never_twice_for_one_image() {
        let bc = build_config();
        let unresolved = run(OwnerKind::BuildConfig, &bc, &[]);
        assert_eq!(unresolved.evaluations[0].outcome, Outcome::Unresolved);
        assert!(unresolved.started.is_none());

        let first = run(
            OwnerKind::BuildConfig,
            &bc,
            &[("ruby", "quay.io/ruby@sha256:1")],
        );
        let started = first.started.clone().unwrap();
        assert_eq!(
            (started.name.as_str(), started.cause.as_str()),
            ("app-1", "Image change")
        );
        assert_eq!(
            first.document["spec"]["triggers"][0]["imageChange"]["lastTriggeredImageID"],
            "quay.io/ruby@sha256:1"
        );

        let again = run(
            OwnerKind::BuildConfig,
            &first.document,
            &[("ruby", "quay.io/ruby@sha256:1")],
        );
        assert_eq!(again.evaluations[0].outcome, Outcome::SameImage);
        assert!(
            again.evaluations[0]
                .detail
                .contains("has already instantiated a build for imageid")
        );
        assert!(again.started.is_none());

        let moved = run(
            OwnerKind::BuildConfig,
            &first.document,
            &[("ruby", "quay.io/ruby@sha256:2")],
        );
        assert_eq!(moved.started.unwrap().name, "app-2");
    }

    #[test]
    fn a_paused_trigger_is_ignored() {
        let mut bc = build_config();
        bc["spec"]["triggers"][0]["imageChange"]["paused"] = json!(true);
        let change = run(
            OwnerKind::BuildConfig,
            &bc,
            &[("ruby", "quay.io/ruby@sha256:1")],
        );
        assert_eq!(change.evaluations[0].outcome, Outcome::Paused);
        assert!(change.started.is_none());
        assert_eq!(change.document, bc);
    }

    #[test]
    fn a_trigger_on_another_project_needs_permission() {
        let mut bc = build_config();
        bc["spec"]["triggers"][0]["imageChange"]["from"]["namespace"] = json!("other");
        let change = run(
            OwnerKind::BuildConfig,
            &bc,
            &[("ruby", "quay.io/ruby@sha256:1")],
        );
        assert_eq!(change.evaluations[0].outcome, Outcome::NotAllowed);
    }

    fn deployment_config(automatic: bool) -> Value {
        let trigger = |stream: &str, container: &str| {
            json!({"type": "ImageChange", "imageChangeParams": {
                "automatic": automatic, "containerNames": [container],
                "from": {"kind": "ImageStreamTag", "name": format!("{stream}:latest")}}})
        };
        json!({"spec": {
            "template": {"spec": {"containers": [{"name": "web", "image": " "}, {"name": "proxy", "image": " "}]}},
            "triggers": [{"type": "ConfigChange"}, trigger("web", "web"), trigger("proxy", "proxy")]
        }})
    }

    #[test]
    fn a_deployment_config_waits_for_all_its_triggers_then_rolls_out_on_each_change() {
        let dc = deployment_config(true);
        let half = run(OwnerKind::DeploymentConfig, &dc, &[("web", "w@1")]);
        assert!(half.started.is_none());
        assert_eq!(half.evaluations[0].outcome, Outcome::Waiting);
        assert!(half.evaluations[0].detail.contains("team/proxy:latest"));
        assert_eq!(half.evaluations[1].outcome, Outcome::Unresolved);

        let both = run(
            OwnerKind::DeploymentConfig,
            &half.document,
            &[("web", "w@1"), ("proxy", "p@1")],
        );
        let rollout = both.started.unwrap();
        assert_eq!(rollout.number, 1);
        assert_eq!(
            rollout.images,
            [("web".into(), "w@1".into()), ("proxy".into(), "p@1".into())]
        );
        assert_eq!(both.evaluations[0].outcome, Outcome::SameImage);

        let next = run(
            OwnerKind::DeploymentConfig,
            &both.document,
            &[("web", "w@2"), ("proxy", "p@1")],
        );
        assert_eq!(next.started.unwrap().number, 2);
        assert_eq!(
            next.document["spec"]["template"]["spec"]["containers"][0]["image"],
            "w@2"
        );
    }

    #[test]
    fn a_manual_deployment_config_trigger_does_not_fire() {
        let change = run(
            OwnerKind::DeploymentConfig,
            &deployment_config(false),
            &[("web", "w@1"), ("proxy", "p@1")],
        );
        assert!(
            change
                .evaluations
                .iter()
                .all(|e| e.outcome == Outcome::NotAutomatic)
        );
        assert!(change.started.is_none());
    }

    #[test]
    fn an_annotation_trigger_sets_the_image_when_it_differs() {
        let deployment = json!({
            "metadata": {"generation": 4, "annotations": {super::super::TRIGGERS_ANNOTATION:
                r#"[{"from":{"kind":"ImageStreamTag","name":"web:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image"}]"#}},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "w@1"}]}}}
        });
        let same = run(OwnerKind::Deployment, &deployment, &[("web", "w@1")]);
        assert_eq!(same.evaluations[0].outcome, Outcome::SameImage);
        let moved = run(OwnerKind::Deployment, &deployment, &[("web", "w@2")]);
        assert_eq!(moved.started.unwrap().number, 5);
        assert_eq!(
            moved.document["spec"]["template"]["spec"]["containers"][0]["image"],
            "w@2"
        );
    }
}
