//! "What would fire if this tag moved to this image?" - the rules applied to
//! every owner watching the tag, with nothing written.

use serde::{Deserialize, Serialize};

use crate::{
    Error, Result, Services,
    model::{
        DockerImageReference, TagEvent, resolved_pull_spec,
        triggers::{
            Evaluation, OwnerDoc, OwnerKind, Resolution, WatchedTag, evaluate_owner, triggers_of,
        },
    },
    resources::IMAGE_STREAMS,
};

use super::{evaluate::resolution_of, may_pull, pullers_of, watches_elsewhere};

/// One owner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunResult {
    pub kind: OwnerKind,
    pub namespace: String,
    pub owner: String,
    pub evaluations: Vec<Evaluation>,
    /// The build or rollout it would start (`app-4`), if any.
    pub would_start: Option<String>,
}

/// Evaluates the owners watching `tag` as if it moved to `target`: an image
/// digest (`sha256:…`, in the tag's current repository) or a full pull spec.
pub async fn dry_run(
    services: &Services,
    tag: &WatchedTag,
    target: &str,
) -> Result<Vec<DryRunResult>> {
    let target = target.trim();
    let stream = services
        .store
        .image_stream(&tag.namespace, &tag.stream)
        .await?
        .ok_or_else(|| Error::not_found(IMAGE_STREAMS, &tag.stream))?;
    let reference = if target.starts_with("sha256:") {
        let current = stream.latest(&tag.tag).ok_or_else(|| {
            Error::invalid(
                "target",
                format!("the tag {tag} has no image yet, so a digest alone does not say which repository; give a full pull spec"),
            )
        })?;
        DockerImageReference::parse(&current.docker_image_reference)
            .map_err(|e| Error::invalid("target", e.to_string()))?
            .with_digest(target)
    } else {
        DockerImageReference::parse(target).map_err(|e| Error::invalid("target", e.to_string()))?
    };
    let event = TagEvent {
        created: crate::clock::now(),
        docker_image_reference: reference.exact(),
        image: reference.id.clone(),
        generation: 0,
        platforms: Vec::new(),
    };
    let moved_to = Resolution {
        pull_spec: resolved_pull_spec(&stream, &tag.tag, &event),
        image: event.image.clone(),
    };
    let mut results = Vec::new();
    for (kind, namespace, name) in services.store.watchers_of(tag).await? {
        let Some(owner) = services
            .store
            .trigger_owner(&namespace, kind, &name)
            .await?
        else {
            continue;
        };
        let Ok(triggers) = triggers_of(kind, &namespace, &owner.document) else {
            continue;
        };
        let mut current = Vec::new();
        for trigger in &triggers {
            if trigger.watched != *tag {
                current.push((
                    trigger.watched.clone(),
                    now_resolved(services, &trigger.watched).await?,
                ));
            }
        }
        let grants = if watches_elsewhere(&namespace, &triggers) {
            services
                .store
                .role_bindings_of(&pullers_of(&namespace))
                .await?
        } else {
            Vec::new()
        };
        let change = evaluate_owner(
            OwnerDoc {
                kind,
                namespace: &namespace,
                name: &name,
                document: &owner.document,
            },
            &triggers,
            Some(tag),
            |watched| {
                if watched == tag {
                    return Some(moved_to.clone());
                }
                current
                    .iter()
                    .find(|(w, _)| w == watched)
                    .and_then(|(_, r)| r.clone())
            },
            |owner_namespace, source| may_pull(owner_namespace, source, &grants),
        );
        results.push(DryRunResult {
            kind,
            namespace,
            owner: name,
            evaluations: change.evaluations,
            would_start: change.started.map(|s| s.name),
        });
    }
    Ok(results)
}

async fn now_resolved(services: &Services, tag: &WatchedTag) -> Result<Option<Resolution>> {
    let Some(stream) = services
        .store
        .image_stream(&tag.namespace, &tag.stream)
        .await?
    else {
        return Ok(None);
    };
    Ok(resolution_of(&stream, &tag.tag))
}

/// Reads `stream:tag` or `namespace/stream:tag` (the namespace defaults to
/// `namespace`), naming the field when it is neither.
pub fn parse_watched_tag(namespace: &str, text: &str) -> Result<WatchedTag> {
    let text = text.trim();
    let (source_namespace, rest) = text.split_once('/').unwrap_or((namespace, text));
    let (stream, tag) = crate::model::split_stream_tag(rest).map_err(|_| {
        Error::invalid(
            "tag",
            format!(
                "Invalid value: \"{text}\": must be <stream>:<tag> or <namespace>/<stream>:<tag>"
            ),
        )
    })?;
    Ok(WatchedTag {
        namespace: source_namespace.to_owned(),
        stream: stream.to_owned(),
        tag: tag.to_owned(),
    })
}
