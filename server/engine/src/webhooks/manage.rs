//! Creating, listing and deleting a project's webhooks; the delivery log
//! and redelivery.

use crate::{
    Error, Result, Services,
    access::no_secrets_key,
    imagestreams::require_project,
    model::webhooks::{DeliveryView, NewWebhook, WebhookView},
};

/// What a webhook's sealed secret is bound to.
pub(super) fn secret_context(namespace: &str, name: &str) -> String {
    format!("webhook/{namespace}/{name}")
}

/// How many deliveries the log shows.
const LOG_LENGTH: i64 = 100;

/// Adds a webhook, refusing invalid fields with their names. Its signing
/// secret is sealed with the server's secrets key (none: refused).
pub async fn create(services: &Services, namespace: &str, hook: NewWebhook) -> Result<()> {
    require_project(services, namespace).await?;
    let errors = hook.validate();
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let key = services
        .secrets_key
        .as_ref()
        .ok_or_else(|| Error::Unavailable(no_secrets_key("webhook secrets")))?;
    let sealed = key.seal(
        hook.secret.as_bytes(),
        &secret_context(namespace, &hook.name),
    )?;
    services
        .store
        .insert_webhook(namespace, &hook, &sealed)
        .await?;
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
