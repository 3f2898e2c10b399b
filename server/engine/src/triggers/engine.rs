//! The loop that consumes the tag-change outbox. Each row is acted on in
//! one transaction that records the evaluations, the owners' new documents,
//! the builds and rollouts started, and removes the row: a crash before the
//! commit leaves the row for the next attempt, after it leaves nothing to
//! redo, so every trigger fires exactly once per change. Rows of one tag are
//! taken in order; failures retry with backoff (2^n s, at most 30 s).

use std::{sync::Arc, time::Duration};

use super::evaluate::evaluate_stored;
use crate::{
    Result, Services, clock,
    model::triggers::{Resolution, TagChange},
    store::TagEvent,
};

/// How often the outbox is looked at without a wake-up (writes by other
/// replicas wake nobody here).
const POLL: Duration = Duration::from_secs(1);
/// The longest wait between attempts at a failing row.
const MAX_BACKOFF_SECONDS: i64 = 30;

/// The wait before attempt `attempts + 1` of a failing row.
pub fn backoff_millis(attempts: i64) -> i64 {
    let seconds = 1_i64
        .checked_shl(u32::try_from(attempts.clamp(0, 16)).unwrap_or(16))
        .unwrap_or(MAX_BACKOFF_SECONDS)
        .min(MAX_BACKOFF_SECONDS);
    seconds * 1000
}

/// The trigger engine of one replica.
#[derive(Debug)]
pub struct TriggerEngine {
    services: Services,
}

impl TriggerEngine {
    pub fn new(services: Services) -> Arc<TriggerEngine> {
        Arc::new(TriggerEngine { services })
    }

    /// Runs until `shutdown` completes; a row being acted on finishes (or
    /// rolls back) first.
    pub async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let wait = match self.drain().await {
                Ok(_) => self.wait_time().await,
                Err(error) => {
                    tracing::warn!(%error, "the trigger engine cannot read the outbox");
                    POLL
                }
            };
            tokio::select! {
                _ = &mut shutdown => break,
                () = self.services.store.tags_moved() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("trigger engine stopped");
    }

    async fn wait_time(&self) -> Duration {
        match self.services.store.next_tag_event_ms().await {
            Ok(Some(due)) => {
                let millis = (due - clock::now_millis()).clamp(0, POLL.as_millis() as i64);
                Duration::from_millis(u64::try_from(millis).unwrap_or(0))
            }
            _ => POLL,
        }
    }

    /// Acts on every due row; returns how many were handled.
    pub async fn drain(&self) -> Result<usize> {
        let mut handled = 0;
        while self.run_once().await? {
            handled += 1;
        }
        Ok(handled)
    }

    /// Acts on the oldest due row, if any; a failure postpones the row.
    /// Returns whether a row was taken.
    pub async fn run_once(&self) -> Result<bool> {
        let store = &self.services.store;
        if store
            .next_tag_event_ms()
            .await?
            .is_none_or(|due| due > clock::now_millis())
        {
            return Ok(false);
        }
        let mut tx = store.write().await?;
        let Some(event) = tx.take_tag_event().await? else {
            return Ok(false);
        };
        let outcome = async {
            act_on(&mut tx, &event).await?;
            tx.finish_tag_event(event.id).await?;
            tx.commit().await
        }
        .await;
        if let Err(error) = outcome {
            let delay = backoff_millis(event.attempts);
            tracing::warn!(
                tag = %event.tag, attempts = event.attempts + 1, retry_in_ms = delay, %error,
                "acting on a tag change failed; it will be retried"
            );
            store
                .postpone_tag_event(event.id, clock::now_millis() + delay, &error.to_string())
                .await?;
        }
        Ok(true)
    }
}

/// Queues the change's webhook deliveries, then evaluates every owner
/// watching the event's tag against the value the tag moved to.
async fn act_on(tx: &mut crate::store::WriteTx, event: &TagEvent) -> Result<()> {
    let moved_to =
        (event.change != TagChange::Deleted && !event.new_spec.is_empty()).then(|| Resolution {
            pull_spec: event.new_spec.clone(),
            image: event.new_image.clone(),
        });
    crate::webhooks::queue_tag_event(tx, event).await?;
    for mut owner in tx.owners_watching(&event.tag).await? {
        evaluate_stored(tx, &mut owner, Some((&event.tag, moved_to.clone()))).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_up_to_thirty() {
        let waits: Vec<i64> = (0..8).map(|n| backoff_millis(n) / 1000).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30, 30]);
        assert_eq!(backoff_millis(i64::MAX), 30_000);
    }
}
