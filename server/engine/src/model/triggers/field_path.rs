//! The `fieldPath` of an annotation trigger: which container's `image` it
//! sets, by name (`spec.template.spec.containers[?(@.name=="web")].image`) or
//! by index (`spec.containers[0].image`), in `containers` or `initContainers`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::OwnerKind;

/// How a field path picks its container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContainerSelector {
    Name(String),
    Index(usize),
}

/// One container's image field in a pod spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerSlot {
    /// `initContainers` rather than `containers`.
    pub init: bool,
    pub selector: ContainerSelector,
}

impl ContainerSlot {
    /// Reads `path` for an object of `kind`; the error says what form it must take.
    pub fn parse(kind: OwnerKind, path: &str) -> Result<ContainerSlot, String> {
        let prefix = kind.pod_spec_path().join(".");
        let expected = || {
            format!(
                "must be of the form {prefix}.containers[?(@.name==\"<name>\")].image or \
                 {prefix}.containers[<index>].image (or initContainers)"
            )
        };
        let rest = path
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix('.'))
            .ok_or_else(expected)?;
        let (init, rest) = if let Some(rest) = rest.strip_prefix("initContainers[") {
            (true, rest)
        } else if let Some(rest) = rest.strip_prefix("containers[") {
            (false, rest)
        } else {
            return Err(expected());
        };
        let selector_text = rest.strip_suffix("].image").ok_or_else(expected)?;
        let selector = if let Ok(index) = selector_text.parse::<usize>() {
            ContainerSelector::Index(index)
        } else {
            let name = selector_text
                .strip_prefix("?(@.name==")
                .and_then(|s| s.strip_suffix(')'))
                .and_then(|quoted| {
                    quoted
                        .strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .or_else(|| quoted.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                })
                .filter(|name| !name.is_empty())
                .ok_or_else(expected)?;
            ContainerSelector::Name(name.to_owned())
        };
        Ok(ContainerSlot { init, selector })
    }

    fn list_name(&self) -> &'static str {
        if self.init {
            "initContainers"
        } else {
            "containers"
        }
    }

    /// The container this slot picks in `pod_spec`.
    pub fn find_mut<'a>(&self, pod_spec: &'a mut Value) -> Option<&'a mut Value> {
        let list = pod_spec.get_mut(self.list_name())?.as_array_mut()?;
        match &self.selector {
            ContainerSelector::Index(index) => list.get_mut(*index),
            ContainerSelector::Name(name) => list
                .iter_mut()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(name)),
        }
    }

    /// Whether the slot picks a container of `pod_spec`.
    pub fn exists(&self, pod_spec: &Value) -> bool {
        let mut copy = pod_spec.clone();
        self.find_mut(&mut copy).is_some()
    }
}

/// The pod spec of `document`, an object of `kind`.
pub fn pod_spec_mut(kind: OwnerKind, document: &mut Value) -> Option<&mut Value> {
    let mut node = document;
    for key in kind.pod_spec_path() {
        node = node.get_mut(*key)?;
    }
    Some(node)
}

/// The pod spec of `document`, read only.
pub fn pod_spec(kind: OwnerKind, document: &Value) -> Option<&Value> {
    let mut node = document;
    for key in kind.pod_spec_path() {
        node = node.get(*key)?;
    }
    Some(node)
}

/// Sets `image` on every container (and init container) of `document`'s
/// pod spec whose name is in `names`.
pub fn set_named_images(kind: OwnerKind, document: &mut Value, names: &[String], image: &str) {
    let Some(spec) = pod_spec_mut(kind, document) else {
        return;
    };
    for list in ["containers", "initContainers"] {
        for container in spec
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let named = container
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| names.iter().any(|wanted| wanted == n));
            if named {
                container["image"] = Value::String(image.to_owned());
            }
        }
    }
}

/// Sets `image` on the container `slot` picks in `document`'s pod spec.
pub fn set_slot_image(kind: OwnerKind, document: &mut Value, slot: &ContainerSlot, image: &str) {
    if let Some(container) = pod_spec_mut(kind, document).and_then(|s| slot.find_mut(s)) {
        container["image"] = Value::String(image.to_owned());
    }
}

/// The names of the containers (and init containers) in `pod_spec`.
pub fn container_names(pod_spec: &Value) -> Vec<String> {
    ["containers", "initContainers"]
        .iter()
        .filter_map(|list| pod_spec.get(*list)?.as_array())
        .flatten()
        .filter_map(|c| c.get("name")?.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_paths_name_a_container_by_name_or_index() {
        let by_name = ContainerSlot::parse(
            OwnerKind::Deployment,
            "spec.template.spec.containers[?(@.name==\"web\")].image",
        )
        .unwrap();
        assert_eq!(by_name.selector, ContainerSelector::Name("web".into()));
        assert!(!by_name.init);
        let by_index =
            ContainerSlot::parse(OwnerKind::Pod, "spec.initContainers[1].image").unwrap();
        assert_eq!(by_index.selector, ContainerSelector::Index(1));
        assert!(by_index.init);
        let cron = "spec.jobTemplate.spec.template.spec.containers[?(@.name=='job')].image";
        assert!(ContainerSlot::parse(OwnerKind::CronJob, cron).is_ok());
    }

    #[test]
    fn field_paths_in_the_wrong_place_are_refused_with_the_expected_form() {
        for bad in [
            "spec.containers[0].image",
            "spec.template.spec.containers[0].name",
            "spec.template.spec.containers[?(@.name==\"\")].image",
            "spec.template.spec.volumes[0].image",
        ] {
            let error = ContainerSlot::parse(OwnerKind::Deployment, bad).unwrap_err();
            assert!(
                error.contains("spec.template.spec.containers["),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn a_slot_finds_its_container() {
        let mut spec = json!({"containers": [{"name": "a"}, {"name": "web"}]});
        let slot = ContainerSlot {
            init: false,
            selector: ContainerSelector::Name("web".into()),
        };
        slot.find_mut(&mut spec).unwrap()["image"] = json!("x");
        assert_eq!(spec["containers"][1]["image"], "x");
        assert!(
            !ContainerSlot {
                init: false,
                selector: ContainerSelector::Index(2)
            }
            .exists(&spec)
        );
        assert_eq!(container_names(&spec), ["a", "web"]);
    }
}
