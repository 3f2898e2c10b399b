//! The scheduler loop: claims due tags with a lease, imports them a stream
//! at a time within the overall and per-registry limits and the per-minute
//! rate, and gives the leases back. Results and next due times are written
//! by the import itself (see `imports`), so a manual import pushes a tag's
//! next check back in the same way.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::{sync::Semaphore, task::JoinSet};

use super::{RateLimiter, jittered};
use crate::{Services, clock, imports, store::DueCheck};

/// Rows claimed at once.
const BATCH: i64 = 64;
/// The longest the loop sleeps before looking for due rows again (new tags
/// are due at once).
const POLL: Duration = Duration::from_secs(1);

pub struct Scheduler {
    services: Services,
    owner: String,
    limiter: RateLimiter,
    overall: Arc<Semaphore>,
    per_host: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Scheduler {
    /// A scheduler for this replica; `owner` names it in leases.
    pub fn new(services: Services, owner: impl Into<String>) -> Arc<Scheduler> {
        let settings = &services.settings.schedule;
        Arc::new(Scheduler {
            limiter: RateLimiter::new(settings.max_imports_per_minute),
            overall: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            per_host: Mutex::new(HashMap::new()),
            owner: owner.into(),
            services,
        })
    }

    /// Runs until `shutdown` completes; in-flight imports are stopped and
    /// their leases given back.
    pub async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        tracing::info!(owner = %self.owner, "import scheduler started");
        let mut pruned = Instant::now() - Duration::from_secs(3600);
        loop {
            let round = self.clone().run_once();
            tokio::select! {
                _ = &mut shutdown => break,
                worked = round => {
                    if worked {
                        continue;
                    }
                }
            }
            if pruned.elapsed() > Duration::from_secs(600) {
                pruned = Instant::now();
                let day_ago = clock::now_millis() - 24 * 3600 * 1000;
                if let Err(error) = self.services.store.prune_checks(day_ago).await {
                    tracing::warn!(%error, "could not prune the import check log");
                }
            }
            let wait = self.idle_wait().await;
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!(owner = %self.owner, "import scheduler stopped");
    }

    /// The settings in force now (a cluster admin may change them at run
    /// time); the started ones when the store cannot say.
    async fn settings(&self) -> super::ScheduleSettings {
        match crate::cluster_policy::schedule_settings(&self.services).await {
            Ok(settings) => settings,
            Err(error) => {
                tracing::warn!(%error, "could not read the scheduled-import settings");
                self.services.settings.schedule.clone()
            }
        }
    }

    async fn idle_wait(&self) -> Duration {
        let periodic = !self.settings().await.disabled;
        match self.services.store.next_due_ms(periodic).await {
            Ok(Some(due)) => {
                let ahead = (due - clock::now_millis()).max(0) as u64;
                Duration::from_millis(ahead).min(POLL)
            }
            Ok(None) => POLL,
            Err(error) => {
                tracing::warn!(%error, "could not read the import schedule");
                POLL * 5
            }
        }
    }

    /// Claims one batch of due tags and imports them. Returns whether there
    /// was anything to do.
    pub async fn run_once(self: Arc<Self>) -> bool {
        let settings = self.settings().await;
        self.limiter.set_per_minute(settings.max_imports_per_minute);
        let periodic = !settings.disabled;
        let until = clock::now_millis() + self.services.settings.schedule.lease.as_millis() as i64;
        let claimed = match self
            .services
            .store
            .claim_due(&self.owner, until, BATCH, periodic)
            .await
        {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::warn!(%error, "could not claim due imports");
                return false;
            }
        };
        if claimed.is_empty() {
            return false;
        }
        self.services.metrics.leases_taken(claimed.len());
        let mut by_stream: Vec<Vec<DueCheck>> = Vec::new();
        for check in claimed {
            match by_stream.iter_mut().find(|group| {
                group[0].namespace == check.namespace && group[0].stream == check.stream
            }) {
                Some(group) => group.push(check),
                None => by_stream.push(vec![check]),
            }
        }
        let mut tasks = JoinSet::new();
        for group in by_stream {
            let me = self.clone();
            tasks.spawn(async move {
                let guard = ReleaseOnDrop {
                    scheduler: me.clone(),
                    checks: group.clone(),
                };
                me.check_stream(&group).await;
                guard.release().await;
            });
        }
        while tasks.join_next().await.is_some() {}
        true
    }

    fn host_limit(&self, registry: &str) -> Arc<Semaphore> {
        let per_host = self.services.settings.schedule.per_host_concurrency.max(1);
        self.per_host
            .lock()
            .expect("the host map is never poisoned")
            .entry(registry.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(per_host)))
            .clone()
    }

    /// Imports the claimed tags of one stream in one request.
    async fn check_stream(&self, checks: &[DueCheck]) {
        let first = &checks[0];
        let _overall = self.overall.acquire().await;
        let host = self.host_limit(&first.registry);
        let _host = host.acquire().await;
        for _ in checks {
            let waited = self.limiter.acquire().await;
            self.services.metrics.record_rate_limit_wait(waited);
        }
        let stream = match self
            .services
            .store
            .image_stream(&first.namespace, &first.stream)
            .await
        {
            Ok(Some(stream)) => stream,
            // Deleted meanwhile: its rows went with it.
            Ok(None) => return,
            Err(error) => return self.postpone(checks, &error.to_string()).await,
        };
        let Some(request) =
            imports::request_for(&stream, checks.iter().map(|check| check.tag.as_str()))
        else {
            return;
        };
        let started = Instant::now();
        match imports::import(&self.services, &first.namespace, request).await {
            Ok(answer) => {
                let took = started.elapsed();
                for image in &answer.status.images {
                    self.services
                        .metrics
                        .record_import(image.status.is_success(), took);
                }
                tracing::debug!(namespace = %first.namespace, stream = %first.stream, tags = checks.len(), "scheduled import done");
            }
            Err(error) => {
                tracing::warn!(namespace = %first.namespace, stream = %first.stream, %error, "scheduled import failed");
                self.postpone(checks, &error.to_string()).await;
            }
        }
    }

    /// A check that could not even be attempted (the store or the stream
    /// write failed): try again after the first backoff step.
    async fn postpone(&self, checks: &[DueCheck], error: &str) {
        let due = clock::now_millis()
            + jittered(super::FIRST_BACKOFF, fastrand::f64()).as_millis() as i64;
        for check in checks {
            if let Err(error) = self.services.store.postpone(check, due, error).await {
                tracing::warn!(%error, "could not postpone a scheduled import");
            }
        }
    }
}

/// Gives a batch's leases back, also when its task is cancelled.
struct ReleaseOnDrop {
    scheduler: Arc<Scheduler>,
    checks: Vec<DueCheck>,
}

impl ReleaseOnDrop {
    async fn release(mut self) {
        let checks = std::mem::take(&mut self.checks);
        release_all(&self.scheduler, &checks).await;
    }
}

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        if self.checks.is_empty() {
            return;
        }
        let checks = std::mem::take(&mut self.checks);
        let scheduler = self.scheduler.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move { release_all(&scheduler, &checks).await });
        }
    }
}

async fn release_all(scheduler: &Scheduler, checks: &[DueCheck]) {
    for check in checks {
        if let Err(error) = scheduler
            .services
            .store
            .release(&scheduler.owner, check)
            .await
        {
            tracing::warn!(%error, "could not give a schedule lease back");
        }
    }
    scheduler.services.metrics.leases_released(checks.len());
}
