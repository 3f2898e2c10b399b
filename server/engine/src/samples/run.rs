//! The samples' background work: write the first configuration, then
//! reconcile at start, about every 15 minutes (failed imports are retried
//! then) and right after a cluster admin changes the configuration.

use std::{future::Future, time::Duration};

use crate::Services;

/// How often failed sample imports are tried again unless configured otherwise.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(15 * 60);

/// How the server runs the samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplesSettings {
    /// The management state written at first start.
    pub first_state: crate::model::samples::ManagementState,
    /// Time between passes.
    pub retry: Duration,
}

impl Default for SamplesSettings {
    fn default() -> Self {
        SamplesSettings {
            first_state: crate::model::samples::ManagementState::Managed,
            retry: DEFAULT_RETRY,
        }
    }
}

/// Runs until `stop` completes.
pub async fn run(services: Services, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    let work = async {
        if let Err(error) = super::settings::write_first(&services).await {
            tracing::warn!(%error, "the samples configuration could not be written");
        }
        loop {
            match super::reconcile(&services).await {
                Ok(done) => {
                    let failed = done.imports.values().filter(|ok| !**ok).count();
                    if !done.imports.is_empty() {
                        tracing::info!(
                            imported = done.imports.len() - failed,
                            failed,
                            "sample imports tried"
                        );
                    }
                }
                Err(error) => tracing::warn!(%error, "the samples could not be reconciled"),
            }
            tokio::select! {
                () = tokio::time::sleep(services.settings.samples.retry) => {}
                () = services.samples_changed.notified() => {}
            }
        }
    };
    tokio::select! {
        () = &mut stop => {}
        () = work => {}
    }
}
