//! Reading the change log for live updates, and hearing about new entries:
//! in this process through a wake-up on commit, from other replicas on
//! PostgreSQL through `LISTEN`/`NOTIFY` (every write transaction that logs a
//! change sends a notification, delivered when it commits).

use std::time::Duration;

use sqlx::Row;

use super::{Backend, Store, map_error};
use crate::{Result, model::live::LiveChange};

/// One change log entry with the object it wrote (for API watches).
#[derive(Debug, Clone)]
pub struct ChangeDocument {
    pub id: i64,
    /// `ADDED`, `MODIFIED` or `DELETED`.
    pub event: String,
    /// The object as JSON, without its resource version (the entry's id is it).
    pub document: String,
}

/// The PostgreSQL channel committed changes are announced on.
pub const CHANGES_CHANNEL: &str = "image_stream_console_changes";

impl Store {
    /// The newest entry of the change log (0 when it is empty).
    pub async fn latest_change_id(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM changes")
            .fetch_one(self.pool())
            .await
            .map_err(map_error)
    }

    /// The newest entry of the change log about `namespace` (0 when none).
    pub async fn latest_change_id_in(&self, namespace: &str) -> Result<i64> {
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM changes WHERE namespace = $1")
            .bind(namespace)
            .fetch_one(self.pool())
            .await
            .map_err(map_error)
    }

    /// Up to `limit` entries after `after`, oldest first; only those in
    /// `namespaces` when it is not empty.
    pub async fn changes_after(
        &self,
        after: i64,
        namespaces: &[String],
        limit: usize,
    ) -> Result<Vec<LiveChange>> {
        let in_namespaces = if namespaces.is_empty() {
            String::new()
        } else {
            format!(" AND {}", super::namespace_in(3, namespaces.len()))
        };
        let sql = format!(
            "SELECT id, resource, namespace, name, event FROM changes \
             WHERE id > $1{in_namespaces} ORDER BY id LIMIT $2"
        );
        let mut query = sqlx::query(&sql)
            .bind(after)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX));
        for namespace in namespaces {
            query = query.bind(namespace);
        }
        let rows = query.fetch_all(self.pool()).await.map_err(map_error)?;
        rows.iter()
            .map(|row| {
                Ok(LiveChange {
                    id: row.try_get("id")?,
                    resource: row.try_get("resource")?,
                    namespace: row.try_get("namespace")?,
                    name: row.try_get("name")?,
                    event: row.try_get("event")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// The oldest entry still in the change log (`None` when it is empty).
    pub async fn oldest_change_id(&self) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT MIN(id) FROM changes")
            .fetch_one(self.pool())
            .await
            .map_err(map_error)
    }

    /// Up to `limit` entries after `after` and up to `upto` about
    /// `resource` (in `namespace` when given), oldest first, each with the
    /// object as it was written.
    pub async fn change_documents_after(
        &self,
        after: i64,
        upto: i64,
        resource: &str,
        namespace: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ChangeDocument>> {
        let in_namespace = if namespace.is_some() {
            " AND namespace = $5"
        } else {
            ""
        };
        let sql = format!(
            "SELECT id, event, document FROM changes \
             WHERE id > $1 AND id <= $2 AND resource = $3{in_namespace} ORDER BY id LIMIT $4"
        );
        let mut query = sqlx::query(&sql)
            .bind(after)
            .bind(upto)
            .bind(resource)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX));
        if let Some(namespace) = namespace {
            query = query.bind(namespace);
        }
        let rows = query.fetch_all(self.pool()).await.map_err(map_error)?;
        rows.iter()
            .map(|row| {
                Ok(ChangeDocument {
                    id: row.try_get("id")?,
                    event: row.try_get("event")?,
                    document: row.try_get("document")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// Deletes entries written before `before`, always keeping the newest
    /// (versions keep counting from it); returns how many went.
    pub async fn prune_changes(&self, before: crate::model::Time) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM changes WHERE at_ms < $1 AND id < (SELECT MAX(id) FROM changes)",
        )
        .bind(crate::clock::to_millis(before))
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        Ok(done.rows_affected())
    }

    /// Resolves after a write in this process committed a change.
    pub async fn changes_committed(&self) {
        self.changes_committed.notified().await;
    }

    /// A listener for changes committed by any replica, on PostgreSQL; none
    /// on SQLite, where this process is the only writer.
    pub async fn change_listener(&self) -> Result<Option<ChangeListener>> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url)
            .await
            .map_err(map_error)?;
        listener.listen(CHANGES_CHANNEL).await.map_err(map_error)?;
        Ok(Some(ChangeListener { listener }))
    }
}

/// Notifications of committed changes from every replica.
pub struct ChangeListener {
    listener: sqlx::postgres::PgListener,
}

impl ChangeListener {
    /// Waits for the next notification. A lost connection is re-made on the
    /// next call (notifications sent meanwhile are lost, so callers also
    /// poll); when that fails this waits a moment and reports it.
    pub async fn next(&mut self) -> Result<()> {
        match self.listener.recv().await {
            Ok(_) => Ok(()),
            Err(error) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                Err(map_error(error))
            }
        }
    }
}
