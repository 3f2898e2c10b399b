//! Creating, listing and deleting a project's webhooks; the delivery log
//! and redelivery.

use crate::{
    Error, Result, Services,
    imagestreams::require_project,
    model::webhooks::{DeliveryView, NewWebhook, WebhookView},
};

/// How many deliveries the log shows.
const LOG_LENGTH: i64 = 100;

/// Adds a webhook, refusing invalid fields with their names.
pub async fn create(services: &Services, namespace: &str, hook: NewWebhook) -> Result<()> {
    require_project(services, namespace).await?;
    let errors = hook.validate();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    services.store.insert_webhook(namespace, &hook).await?;
    tracing::info!(namespace, webhook = %hook.name, "webhook created");
    Ok(())
}

/// Removes a webhook and its delivery log.
pub async fn delete(services: &Services, namespace: &str, name: &str) -> Result<()> {
    services.store.delete_webhook(namespace, name).await
}

/// The project's webhooks (never their secrets).
pub async fn list(services: &Services, namespace: &str) -> Result<Vec<WebhookView>> {
    require_project(services, namespace).await?;
    services.store.webhooks(namespace).await
}

/// The newest deliveries, newest first.
pub async fn deliveries(services: &Services, namespace: &str) -> Result<Vec<DeliveryView>> {
    services.store.deliveries(namespace, LOG_LENGTH).await
}

/// Sends a delivery's payload again (as a new delivery); returns its id.
pub async fn redeliver(services: &Services, namespace: &str, id: i64) -> Result<i64> {
    services.store.redeliver(namespace, id).await
}
