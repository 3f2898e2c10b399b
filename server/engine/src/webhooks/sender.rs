//! The loop that posts queued deliveries: leased (so a replica that dies
//! mid-post lets another retry after the lease), signed, retried with
//! backoff (2^n seconds, at most 5 minutes) and given up after
//! [`MAX_ATTEMPTS`]. Delivery is at least once; the delivery id header lets
//! a receiver drop a repeat.

use std::{sync::Arc, time::Duration};

use super::manage::secret_context;
use super::sign::{DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use crate::{Result, Services, clock, store::DueDelivery};

/// Attempts before a delivery is marked failed.
pub const MAX_ATTEMPTS: i64 = 12;
const MAX_RETRY_SECONDS: i64 = 300;
const LEASE: Duration = Duration::from_secs(30);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_secs(1);
const BATCH: i64 = 16;

/// The wait after failed attempt number `attempts` (1-based).
pub fn retry_delay_millis(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    (1_i64 << exponent).min(MAX_RETRY_SECONDS) * 1000
}

/// Posts deliveries for one replica.
#[derive(Debug)]
pub struct WebhookSender {
    services: Services,
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new(services: Services) -> Arc<WebhookSender> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent("image-stream-console-webhooks")
            .build()
            .expect("the webhook client builds");
        Arc::new(WebhookSender { services, client })
    }

    /// Runs until `shutdown` completes.
    pub async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(error) = self.send_due().await {
                tracing::warn!(%error, "the webhook sender cannot read its queue");
            }
            let wait = match self.services.store.next_delivery_ms().await {
                Ok(Some(due)) => Duration::from_millis(
                    u64::try_from((due - clock::now_millis()).clamp(0, POLL.as_millis() as i64))
                        .unwrap_or(0),
                ),
                _ => POLL,
            };
            tokio::select! {
                _ = &mut shutdown => break,
                () = self.services.store.deliveries_queued() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("webhook sender stopped");
    }

    /// Posts every due delivery; returns how many were attempted.
    pub async fn send_due(&self) -> Result<usize> {
        let mut attempted = 0;
        loop {
            let lease_until = clock::now_millis() + LEASE.as_millis() as i64;
            let due = self
                .services
                .store
                .claim_deliveries(BATCH, lease_until)
                .await?;
            if due.is_empty() {
                return Ok(attempted);
            }
            attempted += due.len();
            let posts = due.into_iter().map(|delivery| self.post(delivery));
            for result in futures::future::join_all(posts).await {
                result?;
            }
        }
    }

    async fn post(&self, delivery: DueDelivery) -> Result<()> {
        let secret = match self.secret_of(&delivery) {
            Ok(secret) => secret,
            Err(problem) => return self.failed(&delivery, None, problem).await,
        };
        let timestamp = clock::now_millis() / 1000;
        let body = delivery.payload.clone().into_bytes();
        let signature = sign(&secret, timestamp, &body);
        let sent = self
            .client
            .post(&delivery.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(EVENT_HEADER, &delivery.event)
            .header(DELIVERY_HEADER, delivery.id.to_string())
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await;
        let (code, error) = match sent {
            Ok(response) if response.status().is_success() => {
                (Some(response.status().as_u16()), None)
            }
            Ok(response) => (
                Some(response.status().as_u16()),
                Some(format!("the receiver answered {}", response.status())),
            ),
            Err(error) => (None, Some(describe(&error))),
        };
        match error {
            Some(error) => self.failed(&delivery, code, error).await,
            None => {
                self.services
                    .store
                    .record_attempt(delivery.id, code, None, None)
                    .await
            }
        }
    }

    /// The webhook's signing secret, opened with the server's key if sealed.
    fn secret_of(&self, delivery: &DueDelivery) -> std::result::Result<String, String> {
        if !delivery.secret_sealed {
            return Ok(delivery.secret.clone());
        }
        let key = self
            .services
            .secrets_key
            .as_ref()
            .ok_or("the webhook's secret is sealed and this server has no secrets key")?;
        let bytes = key
            .open(
                &delivery.secret,
                &secret_context(&delivery.namespace, &delivery.webhook),
            )
            .map_err(|problem| format!("the webhook's secret cannot be opened: {problem}"))?;
        String::from_utf8(bytes).map_err(|_| "the webhook's secret is not text".to_owned())
    }

    /// Records a failed attempt, to be retried with backoff until the last.
    async fn failed(&self, delivery: &DueDelivery, code: Option<u16>, error: String) -> Result<()> {
        let retry_at = (delivery.attempts < MAX_ATTEMPTS)
            .then(|| clock::now_millis() + retry_delay_millis(delivery.attempts));
        tracing::warn!(delivery = delivery.id, attempts = delivery.attempts, %error, "webhook delivery failed");
        self.services
            .store
            .record_attempt(delivery.id, code, Some(&error), retry_at)
            .await
    }
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("no answer within {} s", REQUEST_TIMEOUT.as_secs())
    } else if error.is_connect() {
        "the receiver cannot be reached".to_owned()
    } else {
        format!("the request failed: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_one_second_up_to_five_minutes() {
        let waits: Vec<i64> = [1, 2, 3, 9, 10, 30]
            .map(|n| retry_delay_millis(n) / 1000)
            .to_vec();
        assert_eq!(waits, [1, 2, 4, 256, 300, 300]);
    }
}
