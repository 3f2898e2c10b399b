//! Recording a real import: new images stored, each `to` tag set to import
//! its `from`, and a tag event for each success (or an `ImportSuccess=False`
//! condition for each failure, once per distinct failure) - one transaction.
//! A repository import sets a tag for each of its tags that imported.

use std::time::Duration;

use super::{Fetched, repository::RepositoryFetched};
use crate::{
    Result, Services, clock,
    imagestreams::{create_in, replace_in},
    model::{
        IMPORT_SUCCESS, ImageStream, ImageStreamImport, ObjectMeta, ObjectReference, SourceKind,
        TagEvent, TagEventCondition, TagImportPolicy, TagReference, TagReferencePolicy,
        tag_history::{add_tag_event, update_tracking_tags},
    },
    schedule::{jittered, tag_interval},
    store::WriteTx,
};

/// One tag the import writes.
struct Target<'a> {
    tag: &'a str,
    from: &'a str,
    import_policy: &'a TagImportPolicy,
    reference_policy: &'a TagReferencePolicy,
    result: &'a Fetched,
    /// A single-image import sets its spec tag even when it failed (unless
    /// the cluster image policy refused its registry); a repository import
    /// only sets the tags it found.
    spec_even_if_failed: bool,
}

pub async fn record(
    services: &Services,
    namespace: &str,
    request: &ImageStreamImport,
    fetched: &[Fetched],
    repository: Option<&RepositoryFetched>,
    elapsed: Duration,
) -> Result<ImageStream> {
    let mut targets: Vec<Target<'_>> = request
        .spec
        .images
        .iter()
        .zip(fetched)
        .filter_map(|(spec, result)| {
            Some(Target {
                tag: &spec.to.as_ref()?.name,
                from: &spec.from.name,
                import_policy: &spec.import_policy,
                reference_policy: &spec.reference_policy,
                result,
                spec_even_if_failed: true,
            })
        })
        .collect();
    if let (Some(spec), Some(found)) = (&request.spec.repository, repository) {
        targets.extend(found.tags.iter().map(|tag| Target {
            tag: &tag.tag,
            from: &tag.from,
            import_policy: &spec.import_policy,
            reference_policy: &spec.reference_policy,
            result: &tag.result,
            spec_even_if_failed: false,
        }));
    }

    let name = &request.metadata.name;
    let mut tx = services.store.write().await?;
    // Images in digest order, so that two imports storing the same images
    // at once wait for each other instead of deadlocking.
    let mut images: Vec<_> = targets
        .iter()
        .filter_map(|t| t.result.as_ref().ok())
        .flat_map(|found| std::iter::once(&found.image).chain(&found.manifests))
        .collect();
    images.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    images.dedup_by(|a, b| a.metadata.name == b.metadata.name);
    for image in images {
        let mut image = image.clone();
        image.metadata.uid = uuid::Uuid::new_v4().to_string();
        image.metadata.creation_timestamp = Some(tx.now);
        tx.insert_image_if_absent(&mut image).await?;
    }

    // The spec: each tag imports its `from`.
    let existing = tx.image_stream(namespace, name).await?;
    let mut wanted = existing.clone().unwrap_or_else(|| ImageStream {
        metadata: ObjectMeta {
            name: name.clone(),
            ..ObjectMeta::default()
        },
        ..ImageStream::default()
    });
    for target in &targets {
        if target.result.is_err() && !target.spec_even_if_failed || refused_by_policy(target) {
            continue;
        }
        let tag = TagReference {
            name: target.tag.to_owned(),
            annotations: wanted
                .spec_tag(target.tag)
                .and_then(|t| t.annotations.clone()),
            from: Some(ObjectReference {
                kind: SourceKind::DOCKER_IMAGE.into(),
                name: target.from.to_owned(),
                ..ObjectReference::default()
            }),
            reference: false,
            generation: wanted.spec_tag(target.tag).and_then(|t| t.generation),
            import_policy: target.import_policy.clone(),
            reference_policy: target.reference_policy.clone(),
        };
        match wanted.spec.tags.iter_mut().find(|t| t.name == target.tag) {
            Some(current) => *current = tag,
            None => wanted.spec.tags.push(tag),
        }
    }
    if existing.is_none() && targets.iter().all(refused_by_policy) {
        // Nothing the policy allows: no stream is made (the transaction
        // rolls back); the statuses say why.
        return Ok(wanted);
    }
    let mut stream = match existing {
        None => create_in(services, &mut tx, namespace, wanted).await?,
        Some(_) => {
            replace_in(services, &mut tx, namespace, name, wanted)
                .await?
                .0
        }
    };

    // A tag the policy refused and the stream does not have is left out.
    targets.retain(|target| !refused_by_policy(target) || stream.spec_tag(target.tag).is_some());

    // The status: what each import found.
    let mut changed = false;
    for target in &targets {
        let generation = stream
            .spec_tag(target.tag)
            .and_then(|t| t.generation)
            .unwrap_or(stream.metadata.generation);
        match target.result {
            Ok(found) => {
                let event = TagEvent {
                    created: tx.now,
                    docker_image_reference: found.image.docker_image_reference.clone(),
                    image: found.image.metadata.name.clone(),
                    generation,
                    platforms: Vec::new(),
                };
                let moved = add_tag_event(&mut stream.status, target.tag, event.clone());
                let cleared = set_condition(&mut stream, target.tag, None);
                if moved {
                    update_tracking_tags(&mut stream, target.tag, &event);
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
                changed |= set_condition(&mut stream, target.tag, Some(condition));
            }
        }
    }
    if changed {
        tx.update_image_stream(&mut stream).await?;
    }
    record_checks(services, &mut tx, &stream, &targets, elapsed).await?;
    tx.commit().await?;
    Ok(stream)
}

/// Whether the cluster image policy refused the target's registry.
fn refused_by_policy(target: &Target<'_>) -> bool {
    target
        .result
        .as_ref()
        .is_err_and(|outcome| outcome.reason == "Forbidden")
}

/// Writes each tag's check to the import schedule: success pushes the next
/// check one interval away; a failure backs off (honouring `Retry-After`).
async fn record_checks(
    services: &Services,
    tx: &mut WriteTx,
    stream: &ImageStream,
    targets: &[Target<'_>],
    elapsed: Duration,
) -> Result<()> {
    // Read within the transaction: it already holds a connection.
    let policy = crate::cluster_policy::current_in(services, tx).await?;
    let settings =
        &crate::cluster_policy::merge(&services.settings.schedule, &policy.scheduled_import);
    let (namespace, name) = (&stream.metadata.namespace, &stream.metadata.name);
    let now = clock::now_millis();
    let failed = targets.iter().filter(|t| t.result.is_err()).count();
    tx.count_imports(namespace, (targets.len() - failed) as i64, failed as i64)
        .await?;
    for target in targets {
        let interval = settings.interval_for(stream.spec_tag(target.tag).and_then(tag_interval));
        let (error, failures, wait) = match target.result {
            Ok(_) => (None, 0, interval),
            Err(outcome) => {
                let failures = tx.schedule_failures(namespace, name, target.tag).await? + 1;
                let retry_after = outcome.retry_after_seconds.map(Duration::from_secs);
                let wait = settings.backoff(failures as u32, interval, retry_after);
                (Some(outcome.message.as_str()), failures, wait)
            }
        };
        let due = now + jittered(wait, fastrand::f64()).as_millis() as i64;
        tx.record_check(
            namespace,
            name,
            target.tag,
            error,
            failures,
            due,
            elapsed.as_millis() as i64,
        )
        .await?;
    }
    Ok(())
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
