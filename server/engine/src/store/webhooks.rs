//! Webhooks and their deliveries: subscriptions per project, the delivery
//! queue (rows written with the event's transaction, leased by the sender of
//! any replica), and the delivery log.

use sqlx::{Row, any::AnyRow};

use super::{Backend, Store, WriteTx, errors::is_unique_violation, map_error};
use crate::{
    Error, Result, clock,
    model::webhooks::{DeliveryView, NewWebhook, WebhookEvent, WebhookView},
};

/// A delivery a sender claimed: where to send what, signed with which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    pub id: i64,
    pub namespace: String,
    pub webhook: String,
    pub url: String,
    /// The signing secret as stored: sealed when `secret_sealed`.
    pub secret: String,
    pub secret_sealed: bool,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
}

fn delivery_from_row(row: &AnyRow) -> Result<DeliveryView> {
    let created: i64 = row.try_get("created_ms").map_err(map_error)?;
    let delivered: Option<i64> = row.try_get("delivered_ms").map_err(map_error)?;
    Ok(DeliveryView {
        id: row.try_get("id").map_err(map_error)?,
        webhook: row.try_get("webhook").map_err(map_error)?,
        event: row.try_get("event").map_err(map_error)?,
        state: row.try_get("state").map_err(map_error)?,
        attempts: row.try_get::<i64, _>("attempts").map_err(map_error)?,
        status_code: row
            .try_get::<Option<i64>, _>("status_code")
            .map_err(map_error)?,
        last_error: row.try_get("last_error").map_err(map_error)?,
        created: clock::from_millis(created),
        delivered: delivered.map(clock::from_millis),
    })
}

impl Store {
    /// Adds a webhook (its fields were validated) with its secret sealed:
    /// `sealed_secret` is stored in place of `hook.secret`.
    pub async fn insert_webhook(
        &self,
        namespace: &str,
        hook: &NewWebhook,
        sealed_secret: &str,
    ) -> Result<()> {
        let events: Vec<&str> = hook.events.iter().map(|e| e.as_str()).collect();
        sqlx::query(
            "INSERT INTO webhooks (namespace, name, url, secret, secret_sealed, events, created_ms) \
             VALUES ($1, $2, $3, $4, 1, $5, $6)",
        )
        .bind(namespace)
        .bind(&hook.name)
        .bind(hook.url.trim())
        .bind(sealed_secret)
        .bind(events.join(","))
        .bind(clock::now_millis())
        .execute(self.pool())
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                Error::already_exists("webhooks", &hook.name)
            } else {
                map_error(error)
            }
        })?;
        Ok(())
    }

    /// Removes a webhook and its delivery log.
    pub async fn delete_webhook(&self, namespace: &str, name: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM webhook_deliveries WHERE namespace = $1 AND webhook = $2")
            .bind(namespace)
            .bind(name)
            .execute(&mut *tx.tx)
            .await
            .map_err(map_error)?;
        let deleted = sqlx::query("DELETE FROM webhooks WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .execute(&mut *tx.tx)
            .await
            .map_err(map_error)?
            .rows_affected();
        if deleted == 0 {
            return Err(Error::not_found("webhooks", name));
        }
        tx.commit().await
    }

    /// A project's webhooks, by name (without their secrets).
    pub async fn webhooks(&self, namespace: &str) -> Result<Vec<WebhookView>> {
        let rows = sqlx::query(
            "SELECT name, url, events, created_ms FROM webhooks WHERE namespace = $1 ORDER BY name",
        )
        .bind(namespace)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| {
                let events: String = row.try_get("events").map_err(map_error)?;
                Ok(WebhookView {
                    name: row.try_get("name").map_err(map_error)?,
                    url: row.try_get("url").map_err(map_error)?,
                    events: events.split(',').filter_map(WebhookEvent::parse).collect(),
                    created: clock::from_millis(row.try_get("created_ms").map_err(map_error)?),
                })
            })
            .collect()
    }

    /// The newest deliveries of a project, newest first.
    pub async fn deliveries(&self, namespace: &str, limit: i64) -> Result<Vec<DeliveryView>> {
        let rows = sqlx::query(
            "SELECT id, webhook, event, state, attempts, status_code, last_error, created_ms, delivered_ms \
             FROM webhook_deliveries WHERE namespace = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(namespace)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter().map(delivery_from_row).collect()
    }

    /// Queues a delivery's payload again, as a new delivery.
    pub async fn redeliver(&self, namespace: &str, id: i64) -> Result<i64> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT webhook, event, payload FROM webhook_deliveries WHERE namespace = $1 AND id = $2",
        )
        .bind(namespace)
        .bind(id)
        .fetch_optional(&mut *tx.tx)
        .await
        .map_err(map_error)?
        .ok_or_else(|| Error::not_found("deliveries", id.to_string()))?;
        let (webhook, event, payload): (String, String, String) =
            (row.get(0), row.get(1), row.get(2));
        let new_id = tx
            .insert_delivery(namespace, &webhook, &event, &payload)
            .await?;
        tx.commit().await?;
        Ok(new_id)
    }

    /// Leases up to `limit` due deliveries until `lease_until_ms`.
    pub async fn claim_deliveries(
        &self,
        limit: i64,
        lease_until_ms: i64,
    ) -> Result<Vec<DueDelivery>> {
        let now = clock::now_millis();
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE webhook_deliveries SET lease_until_ms = $1, attempts = attempts + 1 WHERE id IN (\
               SELECT id FROM webhook_deliveries WHERE state = 'pending' AND due_ms <= $2 \
                 AND (lease_until_ms IS NULL OR lease_until_ms < $2) ORDER BY id LIMIT $3{lock}) \
             RETURNING id, namespace, webhook, event, payload, attempts"
        );
        let rows = sqlx::query(&sql)
            .bind(lease_until_ms)
            .bind(now)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        let mut due = Vec::with_capacity(rows.len());
        for row in rows {
            let (namespace, webhook): (String, String) = (row.get(1), row.get(2));
            let hook =
                sqlx::query("SELECT url, secret, secret_sealed FROM webhooks WHERE namespace = $1 AND name = $2")
                    .bind(&namespace)
                    .bind(&webhook)
                    .fetch_optional(self.pool())
                    .await
                    .map_err(map_error)?;
            let Some(hook) = hook else { continue };
            let sealed: i32 = hook.get(2);
            due.push(DueDelivery {
                id: row.get(0),
                namespace,
                webhook,
                url: hook.get(0),
                secret: hook.get(1),
                secret_sealed: sealed != 0,
                event: row.get(3),
                payload: row.get(4),
                attempts: row.get::<i64, _>(5),
            });
        }
        due.sort_by_key(|d| d.id);
        Ok(due)
    }

    /// Records an attempt's result: delivered, retried at `retry_at_ms`, or
    /// (with `None`) given up.
    pub async fn record_attempt(
        &self,
        id: i64,
        status_code: Option<u16>,
        error: Option<&str>,
        retry_at_ms: Option<i64>,
    ) -> Result<()> {
        let now = clock::now_millis();
        let (state, due, delivered) = match (error, retry_at_ms) {
            (None, _) => ("delivered", now, Some(now)),
            (Some(_), Some(at)) => ("pending", at, None),
            (Some(_), None) => ("failed", now, None),
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, due_ms = $2, delivered_ms = $3, status_code = $4, \
             last_error = $5, lease_until_ms = NULL WHERE id = $6",
        )
        .bind(state)
        .bind(due)
        .bind(delivered)
        .bind(status_code.map(i64::from))
        .bind(error)
        .bind(id)
        .execute(self.pool())
        .await
        .map(|_| ())
        .map_err(map_error)
    }

    /// When the next pending delivery is due, if one waits.
    pub async fn next_delivery_ms(&self) -> Result<Option<i64>> {
        sqlx::query_scalar(
            "SELECT MIN(CASE WHEN lease_until_ms IS NOT NULL AND lease_until_ms > due_ms THEN lease_until_ms ELSE due_ms END) \
             FROM webhook_deliveries WHERE state = 'pending'",
        )
        .fetch_one(self.pool())
        .await
        .map_err(map_error)
    }
}

impl WriteTx {
    /// The project's webhooks subscribed to `event` (read once per transaction).
    pub async fn subscribers(
        &mut self,
        namespace: &str,
        event: WebhookEvent,
    ) -> Result<Vec<String>> {
        let key = (namespace.to_owned(), event.as_str());
        if let Some(known) = self.subscribers.get(&key) {
            return Ok(known.clone());
        }
        let rows =
            sqlx::query("SELECT name, events FROM webhooks WHERE namespace = $1 ORDER BY name")
                .bind(namespace)
                .fetch_all(&mut *self.tx)
                .await
                .map_err(map_error)?;
        let names: Vec<String> = rows
            .iter()
            .filter(|row| {
                let events: String = row.get(1);
                events.split(',').any(|e| e == event.as_str())
            })
            .map(|row| row.get(0))
            .collect();
        self.subscribers.insert(key, names.clone());
        Ok(names)
    }

    /// Queues a delivery; the sender is woken when the transaction commits.
    pub async fn insert_delivery(
        &mut self,
        namespace: &str,
        webhook: &str,
        event: &str,
        payload: &str,
    ) -> Result<i64> {
        let now = clock::now_millis();
        let id = sqlx::query_scalar(
            "INSERT INTO webhook_deliveries (namespace, webhook, event, payload, state, due_ms, created_ms) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING id",
        )
        .bind(namespace)
        .bind(webhook)
        .bind(event)
        .bind(payload)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(map_error)?;
        self.queued_deliveries = true;
        Ok(id)
    }
}
