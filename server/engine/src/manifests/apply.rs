//! `kubectl apply -f` for image streams: each stream in the text is created,
//! or updated the way kubectl applies (the tags, labels and annotations the
//! last apply set and this one drops are removed; everything else the text
//! says is set; what others set stays). All in one transaction.

use std::collections::BTreeMap;

use super::{
    decode::{Decoded, decode_image_streams},
    yaml_tree::to_json,
};
use crate::{
    Error, Result, Services,
    imagestreams::{create_in, replace_in, require_project},
    model::ImageStream,
};

/// Where kubectl keeps what it last applied to an object.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What applying did to one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliedAction {
    Created,
    Configured,
    Unchanged,
}

/// One stream's outcome, worded as kubectl words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub name: String,
    pub action: AppliedAction,
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = match self.action {
            AppliedAction::Created => "created",
            AppliedAction::Configured => "configured",
            AppliedAction::Unchanged => "unchanged",
        };
        write!(f, "imagestream.image.openshift.io/{} {action}", self.name)
    }
}

/// Applies every image stream in `text` (YAML or JSON, one object, several
/// documents, or a `List`) to `namespace`. Any problem refuses the whole text;
/// invalid fields are reported with their lines.
pub async fn apply(services: &Services, namespace: &str, text: &str) -> Result<Vec<Applied>> {
    require_project(services, namespace).await?;
    let decoded = decode_image_streams(text).map_err(Error::Invalid)?;
    let mut tx = services.store.write().await?;
    let mut results = Vec::with_capacity(decoded.len());
    for item in &decoded {
        let mut wanted = item.stream.clone();
        wanted.status = Default::default();
        let name = wanted.metadata.name.clone();
        let last_applied = last_applied_json(item);
        let existing = if name.is_empty() {
            None
        } else {
            tx.image_stream(namespace, &name).await?
        };
        let action = match existing {
            None => {
                wanted
                    .metadata
                    .annotations
                    .insert(LAST_APPLIED.into(), last_applied);
                create_in(services, &mut tx, namespace, wanted)
                    .await
                    .map_err(|e| located(item, e))?;
                AppliedAction::Created
            }
            Some(current) => {
                let previous = previously_applied(&current);
                let mut merged = merge(&current, &previous, &wanted, last_applied);
                // Like kubectl's patch: a resourceVersion the text changed
                // since the last apply (an edited export) must still be the
                // stored one, else the edit is stale and conflicts.
                let version = &wanted.metadata.resource_version;
                if !version.is_empty() && *version != previous.metadata.resource_version {
                    merged.metadata.resource_version = version.clone();
                }
                let (_, changed) = replace_in(services, &mut tx, namespace, &name, merged)
                    .await
                    .map_err(|e| located(item, e))?;
                if changed {
                    AppliedAction::Configured
                } else {
                    AppliedAction::Unchanged
                }
            }
        };
        results.push(Applied { name, action });
    }
    tx.commit().await?;
    Ok(results)
}

/// What kubectl records as applied: the object as the user wrote it, without
/// the record of the previous apply (so records never nest) and without
/// status (never taken from input).
fn last_applied_json(item: &Decoded) -> String {
    let mut value = to_json(&item.node);
    if let Some(object) = value.as_object_mut() {
        object.remove("status");
        if let Some(metadata) = object.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            let now_empty = match metadata
                .get_mut("annotations")
                .and_then(|a| a.as_object_mut())
            {
                Some(annotations) => {
                    annotations.remove(LAST_APPLIED);
                    annotations.is_empty()
                }
                None => false,
            };
            if now_empty {
                metadata.remove("annotations");
            }
        }
    }
    value.to_string()
}

/// Places invalid fields at their lines in the applied text.
fn located(item: &Decoded, error: Error) -> Error {
    match error {
        Error::Invalid(fields) => {
            Error::Invalid(fields.into_iter().map(|field| item.locate(field)).collect())
        }
        other => other,
    }
}

/// What the last apply recorded (empty when the stream was never applied).
fn previously_applied(current: &ImageStream) -> ImageStream {
    current
        .metadata
        .annotations
        .get(LAST_APPLIED)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// The three-way merge kubectl does: start from what is stored, drop what the
/// last apply set and this one does not mention, set what this one says.
fn merge(
    current: &ImageStream,
    previous: &ImageStream,
    wanted: &ImageStream,
    last_applied: String,
) -> ImageStream {
    let mut merged = current.clone();
    merge_map(
        &mut merged.metadata.labels,
        &previous.metadata.labels,
        &wanted.metadata.labels,
    );
    merge_map(
        &mut merged.metadata.annotations,
        &previous.metadata.annotations,
        &wanted.metadata.annotations,
    );
    merged
        .metadata
        .annotations
        .insert(LAST_APPLIED.into(), last_applied);
    merged.spec.lookup_policy = wanted.spec.lookup_policy;
    merged.spec.docker_image_repository = wanted.spec.docker_image_repository.clone();
    merged.spec.tags.retain(|tag| {
        let dropped =
            previous.spec_tag(&tag.name).is_some() && wanted.spec_tag(&tag.name).is_none();
        !dropped
    });
    for tag in &wanted.spec.tags {
        match merged
            .spec
            .tags
            .iter_mut()
            .find(|existing| existing.name == tag.name)
        {
            Some(existing) => *existing = tag.clone(),
            None => merged.spec.tags.push(tag.clone()),
        }
    }
    merged
}

fn merge_map(
    current: &mut BTreeMap<String, String>,
    previous: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) {
    current.retain(|key, _| !previous.contains_key(key) || wanted.contains_key(key));
    current.extend(wanted.iter().map(|(k, v)| (k.clone(), v.clone())));
}
