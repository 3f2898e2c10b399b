//! Server functions for the Triggers page: the overview, deleting an
//! owner, and the dry run.

use engine::model::triggers::{OwnerKind, TriggersOverview};
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

use crate::errors::ConsoleError;

/// Every trigger of the project, the builds and rollouts, the timeline.
#[server(prefix = "/api/console", endpoint = "load_triggers_page")]
pub async fn load_triggers_page(namespace: String) -> Result<TriggersOverview, ConsoleError> {
    super::respond(engine::triggers::overview(&super::services()?, &namespace).await)
}

/// `oc delete bc/<name>` (and the other kinds).
#[server(prefix = "/api/console", endpoint = "delete_trigger_owner", input = Json)]
pub async fn delete_trigger_owner(
    namespace: String,
    kind: OwnerKind,
    name: String,
) -> Result<(), ConsoleError> {
    super::respond(engine::triggers::delete(&super::services()?, &namespace, kind, &name).await)
}

/// One owner's answer to the dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunLine {
    pub owner: String,
    pub verdict: String,
}

/// What would fire if `tag` (`stream:tag` or `namespace/stream:tag`) moved
/// to `target` (a digest or a pull spec). Nothing is written.
#[server(prefix = "/api/console", endpoint = "dry_run_triggers", input = Json)]
pub async fn dry_run_triggers(
    namespace: String,
    tag: String,
    target: String,
) -> Result<Vec<DryRunLine>, ConsoleError> {
    let watched = super::respond(engine::triggers::parse_watched_tag(&namespace, &tag))?;
    let results =
        super::respond(engine::triggers::dry_run(&super::services()?, &watched, &target).await)?;
    Ok(results
        .into_iter()
        .map(|result| DryRunLine {
            owner: format!("{}/{}", result.kind, result.owner),
            verdict: match &result.would_start {
                Some(run) => format!("would fire and start {run}"),
                None => result
                    .evaluations
                    .iter()
                    .map(|e| {
                        if e.detail.is_empty() {
                            e.outcome.words().to_owned()
                        } else {
                            format!("{}: {}", e.outcome.words(), e.detail)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            },
        })
        .collect())
}

/// The project's webhooks and the newest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksPage {
    pub webhooks: Vec<engine::model::webhooks::WebhookView>,
    pub deliveries: Vec<engine::model::webhooks::DeliveryView>,
}

/// Webhooks and the delivery log.
#[server(prefix = "/api/console", endpoint = "load_webhooks")]
pub async fn load_webhooks(namespace: String) -> Result<WebhooksPage, ConsoleError> {
    let services = super::services()?;
    Ok(WebhooksPage {
        webhooks: super::respond(engine::webhooks::list(&services, &namespace).await)?,
        deliveries: super::respond(engine::webhooks::deliveries(&services, &namespace).await)?,
    })
}

/// Adds a webhook.
#[server(prefix = "/api/console", endpoint = "create_webhook", input = Json)]
pub async fn create_webhook(
    namespace: String,
    webhook: engine::model::webhooks::NewWebhook,
) -> Result<(), ConsoleError> {
    super::respond(engine::webhooks::create(&super::services()?, &namespace, webhook).await)
}

/// Removes a webhook and its delivery log.
#[server(prefix = "/api/console", endpoint = "delete_webhook", input = Json)]
pub async fn delete_webhook(namespace: String, name: String) -> Result<(), ConsoleError> {
    super::respond(engine::webhooks::delete(&super::services()?, &namespace, &name).await)
}

/// Sends a delivery's payload again.
#[server(prefix = "/api/console", endpoint = "redeliver_webhook", input = Json)]
pub async fn redeliver_webhook(namespace: String, id: i64) -> Result<i64, ConsoleError> {
    super::respond(engine::webhooks::redeliver(&super::services()?, &namespace, id).await)
}
