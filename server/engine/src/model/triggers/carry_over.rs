//! What a re-applied owner keeps from the stored one: the values its
//! triggers last fired for (and the images they set), and the status. A
//! YAML file re-applied without them must not fire the same image again.

use serde_json::{Value, json};

use super::{
    ImageTrigger, OwnerKind, TriggerTarget,
    field_path::{set_named_images, set_slot_image},
};

/// Copies into `new` what `stored` knows that `new` does not: `status`, and
/// for each trigger watching the same tag with the same target as a stored
/// one, the last fired value and the image fields it set.
pub fn carry_over(
    kind: OwnerKind,
    stored: &Value,
    stored_triggers: &[ImageTrigger],
    new: &mut Value,
    new_triggers: &[ImageTrigger],
) {
    if let Some(status) = stored.get("status")
        && new.get("status").is_none_or(Value::is_null)
    {
        new["status"] = status.clone();
    }
    for trigger in new_triggers {
        let Some(old) = stored_triggers
            .iter()
            .find(|old| old.watched == trigger.watched && old.target == trigger.target)
        else {
            continue;
        };
        if old.last_triggered.is_empty() {
            continue;
        }
        let fired = &old.last_triggered;
        match &trigger.target {
            TriggerTarget::Build => {
                if trigger.last_triggered.is_empty()
                    && let Some(params) =
                        new.pointer_mut(&format!("/spec/triggers/{}", trigger.index))
                {
                    if params.get("imageChange").is_none_or(|c| !c.is_object()) {
                        params["imageChange"] = json!({});
                    }
                    params["imageChange"]["lastTriggeredImageID"] = json!(fired);
                }
            }
            TriggerTarget::Containers(names) => {
                if !trigger.last_triggered.is_empty() {
                    continue;
                }
                if let Some(params) = new.pointer_mut(&format!(
                    "/spec/triggers/{}/imageChangeParams",
                    trigger.index
                )) {
                    params["lastTriggeredImage"] = json!(fired);
                }
                set_named_images(kind, new, names, fired);
            }
            TriggerTarget::Slot { slot, .. } => set_slot_image(kind, new, slot, fired),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::triggers::triggers_of;

    #[test]
    fn a_reapplied_deployment_config_keeps_the_image_its_trigger_set() {
        let dc = |image: &str, last: Option<&str>| {
            let mut params = json!({"automatic": true, "containerNames": ["main"],
                "from": {"kind": "ImageStreamTag", "name": "app:latest"}});
            if let Some(last) = last {
                params["lastTriggeredImage"] = json!(last);
            }
            json!({"spec": {
                "template": {"spec": {"containers": [{"name": "main", "image": image}]}},
                "triggers": [{"type": "ImageChange", "imageChangeParams": params}]},
                "status": {"latestVersion": 3}})
        };
        let stored = dc("quay.io/app@sha256:1", Some("quay.io/app@sha256:1"));
        let mut new = dc("app", None);
        new.as_object_mut().unwrap().remove("status");
        let stored_triggers = triggers_of(OwnerKind::DeploymentConfig, "t", &stored).unwrap();
        let new_triggers = triggers_of(OwnerKind::DeploymentConfig, "t", &new).unwrap();
        carry_over(
            OwnerKind::DeploymentConfig,
            &stored,
            &stored_triggers,
            &mut new,
            &new_triggers,
        );
        assert_eq!(new, stored);
    }
}
