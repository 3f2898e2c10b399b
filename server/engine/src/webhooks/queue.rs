//! Queuing deliveries inside the transaction that records their event, so a
//! delivery exists exactly when its event does.

use serde_json::json;

use crate::{
    Result, clock,
    model::{
        triggers::{OwnerKind, Started, TagChange},
        webhooks::WebhookEvent,
    },
    store::{TagEvent, WriteTx},
};

/// Queues a delivery of a tag change to each subscribed webhook of the tag's project.
pub(crate) async fn queue_tag_event(tx: &mut WriteTx, event: &TagEvent) -> Result<()> {
    let kind = match event.change {
        TagChange::Created => WebhookEvent::TagCreated,
        TagChange::Moved => WebhookEvent::TagMoved,
        TagChange::Deleted => WebhookEvent::TagDeleted,
    };
    let hooks = tx.subscribers(&event.tag.namespace, kind).await?;
    if hooks.is_empty() {
        return Ok(());
    }
    let payload = json!({
        "event": kind.as_str(),
        "project": event.tag.namespace,
        "stream": event.tag.stream,
        "tag": event.tag.tag,
        "old": {"digest": event.old_image, "pullSpec": event.old_spec},
        "new": {"digest": event.new_image, "pullSpec": event.new_spec},
        "at": clock::from_millis(event.at_ms),
    })
    .to_string();
    for hook in hooks {
        tx.insert_delivery(&event.tag.namespace, &hook, kind.as_str(), &payload)
            .await?;
    }
    Ok(())
}

/// Queues a delivery of "a trigger started this build or rollout".
pub(crate) async fn queue_trigger_fired(
    tx: &mut WriteTx,
    namespace: &str,
    kind: OwnerKind,
    owner: &str,
    started: &Started,
    tags: &[String],
) -> Result<()> {
    let event = WebhookEvent::TriggerFired;
    let hooks = tx.subscribers(namespace, event).await?;
    if hooks.is_empty() {
        return Ok(());
    }
    let images: Vec<serde_json::Value> = started
        .images
        .iter()
        .map(|(container, image)| json!({"container": container, "pullSpec": image}))
        .collect();
    let payload = json!({
        "event": event.as_str(),
        "project": namespace,
        "owner": {"kind": kind.as_str(), "name": owner},
        "run": started.name,
        "cause": started.cause,
        "images": images,
        "tags": tags,
        "at": tx.now,
    })
    .to_string();
    for hook in hooks {
        tx.insert_delivery(namespace, &hook, event.as_str(), &payload)
            .await?;
    }
    Ok(())
}
