//! The SQL store: one connection pool on SQLite (the default, a file under the
//! data directory) or PostgreSQL (for several replicas), with embedded
//! migrations per backend.
//!
//! Queries are written once in the SQL both backends accept (`$1`
//! placeholders, `ON CONFLICT`, `RETURNING`, integers for times in
//! milliseconds since the epoch); where a backend needs its own statement,
//! [`Backend`] selects it.

mod access;
mod audit;
mod changes;
mod cluster_settings;
mod errors;
mod groups;
mod image_streams;
mod images;
mod import_activity;
mod login_failures;
mod open;
pub mod projects;
mod pull_secrets;
mod schedule;
mod schema;
mod search;
#[cfg(feature = "testing")]
pub mod testing;
mod triggers;
mod webhooks;
mod write;

use sqlx::AnyPool;

pub use access::{SessionRow, TokenRow};
pub use changes::{CHANGES_CHANNEL, ChangeDocument, ChangeListener};
pub use cluster_settings::StoredSettings;
pub use errors::map_error;
pub use open::{OpenError, redact};
pub use pull_secrets::PullSecretRow;
pub use schedule::{CheckCounts, DueCheck, ScheduleRow};
pub use schema::SCHEMA_VERSION;
pub use triggers::{EvaluationRow, RunRow, StoredOwner, TagEvent};
pub use webhooks::DueDelivery;
pub use write::{ChangeEvent, WriteTx};

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// A handle to the database; cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Woken when a committed write moved a tag (the trigger engine waits on it).
    tags_moved: std::sync::Arc<tokio::sync::Notify>,
    /// Woken when a committed write queued webhook deliveries.
    deliveries_queued: std::sync::Arc<tokio::sync::Notify>,
    /// Woken when a committed write logged a change (the live feed waits on it).
    changes_committed: std::sync::Arc<tokio::sync::Notify>,
    /// The database URL, for connections outside the pool (`LISTEN`).
    url: std::sync::Arc<str>,
    /// Counts the changes this process made to who may do what (role
    /// bindings, groups, token revocations): cached callers made before the
    /// latest one are stale.
    access_epoch: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), refuses a schema
    /// newer than this build knows, and applies the pending migrations.
    pub async fn open(url: &str) -> Result<Store, OpenError> {
        let (pool, backend) = open::connect(url).await?;
        let store = Store {
            pool,
            backend,
            tags_moved: Default::default(),
            deliveries_queued: Default::default(),
            changes_committed: Default::default(),
            url: url.into(),
            access_epoch: Default::default(),
        };
        schema::migrate(&store).await?;
        Ok(store)
    }

    /// The database this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks the database answers a trivial query (for `/readyz`).
    pub async fn ping(&self) -> crate::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(map_error)
    }

    /// Waits for the connections in use to return, then closes them all.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Resolves after a write in this process committed tag changes (for
    /// the trigger engine; other replicas' writes are found by polling).
    pub async fn tags_moved(&self) {
        self.tags_moved.notified().await;
    }

    /// Resolves after a write in this process queued webhook deliveries.
    pub async fn deliveries_queued(&self) {
        self.deliveries_queued.notified().await;
    }

    /// How many changes to access this process has made (see
    /// [`Store::access_changed`]).
    pub fn access_epoch(&self) -> u64 {
        self.access_epoch.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Notes a change to role bindings, groups or tokens, so that callers
    /// cached before it are loaded again.
    fn access_changed(&self) {
        self.access_epoch
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The collation that compares names byte by byte, as Rust does, so
    /// that `name > $after ORDER BY name` pages agree on both databases
    /// (PostgreSQL's default collation may not).
    fn byte_order(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " COLLATE \"C\"",
            Backend::Sqlite => "",
        }
    }
}

/// `namespace IN ($first, …)` for `count` namespaces bound from placeholder
/// `first` on (callers bind them in that order).
fn namespace_in(first: usize, count: usize) -> String {
    let placeholders: Vec<String> = (first..first + count).map(|n| format!("${n}")).collect();
    format!("namespace IN ({})", placeholders.join(", "))
}
