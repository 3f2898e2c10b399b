//! Server functions for the Triggers page: the overview, deleting an
//! owner, and the dry run.

use engine::model::triggers::{OwnerKind, TriggersOverview};
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use engine::model::access::{Resource, Verb};

use crate::errors::ConsoleError;

/// Every trigger of the project, the builds and rollouts, the timeline.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_triggers_page")]
pub async fn load_triggers_page(namespace: String) -> Result<TriggersOverview, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::TriggerOwners, &namespace).await?;
    super::respond(engine::triggers::overview(&services, &namespace).await)
}

/// One owner's trigger evaluations, newest first.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_owner_timeline", input = Json)]
pub async fn load_owner_timeline(
    namespace: String,
    kind: OwnerKind,
    name: String,
) -> Result<Vec<engine::model::triggers::EvaluationView>, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::TriggerOwners, &namespace).await?;
    super::respond(engine::triggers::owner_timeline(&services, &namespace, kind, &name).await)
}

/// For each tag of a stream, the owners whose triggers watch it.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "tag_watchers")]
pub async fn tag_watchers(
    namespace: String,
    stream: String,
) -> Result<Vec<(String, String)>, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::TriggerOwners, &namespace).await?;
    super::respond(engine::triggers::tag_watchers(&services, &namespace, &stream).await)
}

/// `oc delete bc/<name>` (and the other kinds).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_trigger_owner", input = Json)]
pub async fn delete_trigger_owner(
    namespace: String,
    kind: OwnerKind,
    name: String,
) -> Result<(), ConsoleError> {
    let services = super::authorized(Verb::Delete, Resource::TriggerOwners, &namespace).await?;
    super::respond(engine::triggers::delete(&services, &namespace, kind, &name).await)
}

/// `oc set triggers`: one edit of an owner's triggers; answers what changed.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "set_triggers", input = Json)]
pub async fn set_triggers(
    namespace: String,
    kind: OwnerKind,
    name: String,
    edit: engine::model::triggers::TriggerEdit,
) -> Result<String, ConsoleError> {
    let services = super::authorized(Verb::Update, Resource::TriggerOwners, &namespace).await?;
    super::respond(
        engine::triggers::set_triggers(&services, &namespace, kind, &name, &edit).await,
    )?;
    Ok(updated(kind, &name))
}

/// `oc set triggers --from-image=<tag> [-c <containers>]` for the owner
/// `owner` (`Kind/name`); `tag` is `stream:tag` or `namespace/stream:tag`,
/// `containers` comma-separated.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "add_trigger", input = Json)]
pub async fn add_trigger(
    namespace: String,
    owner: String,
    tag: String,
    containers: String,
) -> Result<String, ConsoleError> {
    let services = super::authorized(Verb::Update, Resource::TriggerOwners, &namespace).await?;
    let chosen = owner
        .split_once('/')
        .and_then(|(kind, name)| Some((OwnerKind::parse(kind)?, name.to_owned())))
        .ok_or_else(|| engine::Error::invalid("owner", "Required value: choose an owner"));
    let (kind, name) = super::respond(chosen)?;
    let tag = super::respond(engine::triggers::parse_watched_tag(&namespace, &tag))?;
    let containers = containers
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    let edit = engine::model::triggers::TriggerEdit::Add { tag, containers };
    super::respond(
        engine::triggers::set_triggers(&services, &namespace, kind, &name, &edit).await,
    )?;
    Ok(updated(kind, &name))
}

/// What `oc set triggers` answers.
#[cfg(feature = "ssr")]
fn updated(kind: OwnerKind, name: &str) -> String {
    format!("{}/{name} triggers updated", kind.as_str().to_lowercase())
}

/// One owner's answer to the dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunLine {
    pub owner: String,
    pub verdict: String,
}

/// What would fire if `tag` (`stream:tag` or `namespace/stream:tag`) moved
/// to `target` (a digest or a pull spec). Nothing is written.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "dry_run_triggers", input = Json)]
pub async fn dry_run_triggers(
    namespace: String,
    tag: String,
    target: String,
) -> Result<Vec<DryRunLine>, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::TriggerOwners, &namespace).await?;
    let watched = super::respond(engine::triggers::parse_watched_tag(&namespace, &tag))?;
    let results = super::respond(engine::triggers::dry_run(&services, &watched, &target).await)?;
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
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_webhooks")]
pub async fn load_webhooks(namespace: String) -> Result<WebhooksPage, ConsoleError> {
    let services = super::authorized(Verb::List, Resource::Webhooks, &namespace).await?;
    Ok(WebhooksPage {
        webhooks: super::respond(engine::webhooks::list(&services, &namespace).await)?,
        deliveries: super::respond(engine::webhooks::deliveries(&services, &namespace).await)?,
    })
}

/// Adds a webhook.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "create_webhook", input = Json)]
pub async fn create_webhook(
    namespace: String,
    webhook: engine::model::webhooks::NewWebhook,
) -> Result<(), ConsoleError> {
    let services = super::authorized(Verb::Create, Resource::Webhooks, &namespace).await?;
    super::respond(engine::webhooks::create(&services, &namespace, webhook).await)
}

/// Removes a webhook and its delivery log.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_webhook", input = Json)]
pub async fn delete_webhook(namespace: String, name: String) -> Result<(), ConsoleError> {
    let services = super::authorized(Verb::Delete, Resource::Webhooks, &namespace).await?;
    super::respond(engine::webhooks::delete(&services, &namespace, &name).await)
}

/// Sends a delivery's payload again.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "redeliver_webhook", input = Json)]
pub async fn redeliver_webhook(namespace: String, id: i64) -> Result<i64, ConsoleError> {
    let services = super::authorized(Verb::Update, Resource::Webhooks, &namespace).await?;
    super::respond(engine::webhooks::redeliver(&services, &namespace, id).await)
}
