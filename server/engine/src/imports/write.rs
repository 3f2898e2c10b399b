//! Recording a real import: new images stored, each `to` tag set to import
//! its `from`, and a tag event for each success (or an `ImportSuccess=False`
//! condition for each failure, once per distinct failure) - one transaction.

use super::fetch::FetchedImage;
use crate::{
    Result, Services,
    imagestreams::{create_in, replace_in},
    model::{
        IMPORT_SUCCESS, ImageStream, ImageStreamImport, ImportOutcome, ObjectMeta, ObjectReference,
        SourceKind, TagEvent, TagEventCondition, TagReference,
        tag_history::{add_tag_event, update_tracking_tags},
    },
};

pub async fn record(
    services: &Services,
    namespace: &str,
    request: &ImageStreamImport,
    fetched: &[std::result::Result<FetchedImage, ImportOutcome>],
) -> Result<ImageStream> {
    let name = &request.metadata.name;
    let mut tx = services.store.write().await?;
    for found in fetched.iter().flatten() {
        for image in std::iter::once(&found.image).chain(&found.manifests) {
            let mut image = image.clone();
            image.metadata.uid = uuid::Uuid::new_v4().to_string();
            image.metadata.creation_timestamp = Some(tx.now);
            tx.insert_image_if_absent(&mut image).await?;
        }
    }

    // The spec: each `to` tag imports its `from`.
    let existing = tx.image_stream(namespace, name).await?;
    let mut wanted = existing.clone().unwrap_or_else(|| ImageStream {
        metadata: ObjectMeta {
            name: name.clone(),
            ..ObjectMeta::default()
        },
        ..ImageStream::default()
    });
    for spec in &request.spec.images {
        let Some(to) = &spec.to else { continue };
        let tag = TagReference {
            name: to.name.clone(),
            annotations: wanted
                .spec_tag(&to.name)
                .and_then(|t| t.annotations.clone()),
            from: Some(ObjectReference {
                kind: SourceKind::DOCKER_IMAGE.into(),
                name: spec.from.name.clone(),
                ..ObjectReference::default()
            }),
            reference: false,
            generation: wanted.spec_tag(&to.name).and_then(|t| t.generation),
            import_policy: spec.import_policy.clone(),
            reference_policy: spec.reference_policy.clone(),
        };
        match wanted.spec.tags.iter_mut().find(|t| t.name == to.name) {
            Some(current) => *current = tag,
            None => wanted.spec.tags.push(tag),
        }
    }
    let mut stream = match existing {
        None => create_in(services, &mut tx, namespace, wanted).await?,
        Some(_) => {
            replace_in(services, &mut tx, namespace, name, wanted)
                .await?
                .0
        }
    };

    // The status: what each import found.
    let mut changed = false;
    for (spec, result) in request.spec.images.iter().zip(fetched) {
        let Some(to) = &spec.to else { continue };
        let generation = stream
            .spec_tag(&to.name)
            .and_then(|t| t.generation)
            .unwrap_or(stream.metadata.generation);
        match result {
            Ok(found) => {
                let event = TagEvent {
                    created: tx.now,
                    docker_image_reference: found.image.docker_image_reference.clone(),
                    image: found.image.metadata.name.clone(),
                    generation,
                    platforms: Vec::new(),
                };
                let moved = add_tag_event(&mut stream.status, &to.name, event.clone());
                let cleared = set_condition(&mut stream, &to.name, None);
                if moved {
                    update_tracking_tags(&mut stream, &to.name, &event);
                }
                changed |= moved || cleared;
            }
            Err(outcome) => {
                let condition = TagEventCondition {
                    kind: IMPORT_SUCCESS.into(),
                    status: "False".into(),
                    last_transition_time: Some(tx.now),
                    reason: outcome.reason.clone(),
                    message: outcome.message.clone(),
                    generation,
                };
                changed |= set_condition(&mut stream, &to.name, Some(condition));
            }
        }
    }
    if changed {
        tx.update_image_stream(&mut stream).await?;
    }
    tx.commit().await?;
    Ok(stream)
}

/// Sets (or with `None` clears) the tag's `ImportSuccess` condition. The same
/// failure again keeps its first time. Returns whether anything changed.
fn set_condition(
    stream: &mut ImageStream,
    tag: &str,
    condition: Option<TagEventCondition>,
) -> bool {
    let position = stream.status.tags.iter().position(|t| t.tag == tag);
    let list = match (position, &condition) {
        (Some(index), _) => &mut stream.status.tags[index],
        (None, None) => return false,
        (None, Some(_)) => {
            stream.status.tags.push(crate::model::NamedTagEventList {
                tag: tag.to_owned(),
                ..Default::default()
            });
            stream.status.tags.last_mut().expect("just pushed")
        }
    };
    let existing = list
        .conditions
        .iter()
        .position(|c| c.kind == IMPORT_SUCCESS);
    match (existing, condition) {
        (None, None) => false,
        (Some(index), None) => {
            list.conditions.remove(index);
            true
        }
        (Some(index), Some(next)) => {
            let current = &mut list.conditions[index];
            if current.reason == next.reason && current.message == next.message {
                if current.generation == next.generation {
                    return false;
                }
                current.generation = next.generation;
                return true;
            }
            *current = next;
            true
        }
        (None, Some(next)) => {
            list.conditions.push(next);
            true
        }
    }
}
