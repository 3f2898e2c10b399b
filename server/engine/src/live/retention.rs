//! Pruning the change log: entries older than the retention are deleted
//! hourly, so the log does not grow forever; a watch or page that wants to
//! resume from before the oldest entry left is told its version is gone.

use std::time::Duration;

use crate::{Result, clock, services::Services};

/// Deletes the entries older than the retention; returns how many went.
pub async fn prune(services: &Services) -> Result<u64> {
    let hours = services.settings.change_log_retention_hours;
    if hours == 0 {
        return Ok(0);
    }
    let now = clock::now().instant();
    let before = crate::model::Time::new(now - Duration::from_secs(u64::from(hours) * 3600));
    services.store.prune_changes(before).await
}

/// Prunes now and then hourly until `shutdown`.
pub async fn run_retention(services: Services, shutdown: impl std::future::Future<Output = ()>) {
    tokio::pin!(shutdown);
    loop {
        match prune(&services).await {
            Ok(0) => {}
            Ok(pruned) => tracing::info!(pruned, "old change log entries pruned"),
            Err(error) => tracing::warn!(%error, "could not prune the change log"),
        }
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}
