//! Evaluating one stored owner inside a write transaction: resolve the tags
//! its triggers watch, apply the rules, and record the timeline, the new
//! document and what was started - all in the caller's transaction.

use std::collections::BTreeMap;

use crate::{
    Error, Result,
    model::{
        ImageStream, resolved_pull_spec,
        triggers::{OwnerDoc, Resolution, Started, WatchedTag, evaluate_owner, triggers_of},
    },
    store::{StoredOwner, WriteTx},
};

use super::{may_pull, pullers_of, watches_elsewhere};

/// What a tag resolves to now, read in `tx`.
pub(super) async fn resolve_now(tx: &mut WriteTx, tag: &WatchedTag) -> Result<Option<Resolution>> {
    let Some(stream) = tx.peek_image_stream(&tag.namespace, &tag.stream).await? else {
        return Ok(None);
    };
    Ok(resolution_of(&stream, &tag.tag))
}

/// What tag `tag` of `stream` resolves to: its current event's resolved
/// pull spec, if it has one.
pub(super) fn resolution_of(stream: &ImageStream, tag: &str) -> Option<Resolution> {
    let event = stream.latest(tag)?;
    let pull_spec = resolved_pull_spec(stream, tag, event);
    (!pull_spec.is_empty()).then(|| Resolution {
        pull_spec,
        image: event.image.clone(),
    })
}

/// Evaluates `owner`'s triggers (those watching `moved.0` only, which
/// resolves to `moved.1`; or all when `moved` is `None`), records each
/// evaluation, saves the owner if a trigger changed it, and records what was
/// started.
pub(super) async fn evaluate_stored(
    tx: &mut WriteTx,
    owner: &mut StoredOwner,
    moved: Option<(&WatchedTag, Option<Resolution>)>,
) -> Result<Option<Started>> {
    let triggers =
        triggers_of(owner.kind, &owner.namespace, &owner.document).map_err(Error::Invalid)?;
    let mut resolved: BTreeMap<WatchedTag, Option<Resolution>> = BTreeMap::new();
    for trigger in &triggers {
        if resolved.contains_key(&trigger.watched) {
            continue;
        }
        let value = match &moved {
            Some((tag, value)) if **tag == trigger.watched => value.clone(),
            _ => resolve_now(tx, &trigger.watched).await?,
        };
        resolved.insert(trigger.watched.clone(), value);
    }
    // Grants to the owner's project, read only when a trigger needs one.
    let grants = if watches_elsewhere(&owner.namespace, &triggers) {
        tx.role_bindings_of(&pullers_of(&owner.namespace)).await?
    } else {
        Vec::new()
    };
    let change = evaluate_owner(
        OwnerDoc {
            kind: owner.kind,
            namespace: &owner.namespace,
            name: &owner.name,
            document: &owner.document,
        },
        &triggers,
        moved.as_ref().map(|(tag, _)| *tag),
        |tag| resolved.get(tag).cloned().flatten(),
        |owner_namespace, source| may_pull(owner_namespace, source, &grants),
    );
    for evaluation in &change.evaluations {
        tx.record_evaluation(&owner.namespace, owner.kind, &owner.name, evaluation)
            .await?;
    }
    if change.changed(&owner.document) {
        owner.document = change.document;
        let triggers =
            triggers_of(owner.kind, &owner.namespace, &owner.document).map_err(Error::Invalid)?;
        tx.save_trigger_owner(owner, &triggers, false).await?;
    }
    if let Some(started) = &change.started {
        tx.record_run(&owner.namespace, owner.kind, &owner.name, started)
            .await?;
        let tags: Vec<String> = change
            .evaluations
            .iter()
            .filter(|e| e.outcome == crate::model::triggers::Outcome::Fired)
            .map(|e| e.watched.to_string())
            .collect();
        crate::webhooks::queue_trigger_fired(
            tx,
            &owner.namespace,
            owner.kind,
            &owner.name,
            started,
            &tags,
        )
        .await?;
        tracing::info!(
            namespace = %owner.namespace,
            kind = %owner.kind,
            owner = %owner.name,
            run = %started.name,
            "image change trigger fired"
        );
    }
    Ok(change.started)
}
