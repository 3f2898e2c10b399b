//! Write transactions. Every change to a stream, its images and the change
//! log commits together or not at all.
//!
//! A write transaction holds the write lock from its first statement (SQLite
//! `BEGIN IMMEDIATE`; PostgreSQL row locks with `FOR UPDATE`), so a
//! read-check-write sequence inside it cannot race another writer.

use sqlx::{Any, Transaction};

use super::{Backend, Store, map_error};
use crate::{Result, clock, model::Time};

/// What happened to an object, as watches report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeEvent {
    Added,
    Modified,
    Deleted,
}

impl ChangeEvent {
    fn as_str(self) -> &'static str {
        match self {
            ChangeEvent::Added => "ADDED",
            ChangeEvent::Modified => "MODIFIED",
            ChangeEvent::Deleted => "DELETED",
        }
    }
}

/// An open write transaction.
pub struct WriteTx {
    pub(super) tx: Transaction<'static, Any>,
    pub(super) backend: Backend,
    /// The time this transaction writes with.
    pub now: Time,
    /// Set when the transaction wrote to the tag-change outbox.
    pub(super) moved_tags: bool,
    pub(super) tags_moved: std::sync::Arc<tokio::sync::Notify>,
    /// Set when the transaction queued webhook deliveries.
    pub(super) queued_deliveries: bool,
    pub(super) deliveries_queued: std::sync::Arc<tokio::sync::Notify>,
    /// Set when the transaction logged a change.
    pub(super) recorded_changes: bool,
    pub(super) changes_committed: std::sync::Arc<tokio::sync::Notify>,
    /// Webhook subscribers read in this transaction, by project and event.
    pub(super) subscribers: std::collections::HashMap<(String, &'static str), Vec<String>>,
    /// A dry run: rolled back at the end, so nothing goes to the change log
    /// (on PostgreSQL a rolled-back entry's id would hold live updates and
    /// watches back while they wait for it to commit).
    pub(super) dry_run: bool,
    /// Whom the changes this transaction makes to image streams' fields
    /// belong to (`metadata.managedFields`).
    pub field_owner: crate::field_management::FieldOwner,
}

impl Store {
    /// Starts a write transaction.
    pub async fn write(&self) -> Result<WriteTx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool().begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool().begin().await,
        }
        .map_err(map_error)?;
        Ok(WriteTx {
            tx,
            backend: self.backend,
            now: clock::now(),
            moved_tags: false,
            tags_moved: self.tags_moved.clone(),
            queued_deliveries: false,
            deliveries_queued: self.deliveries_queued.clone(),
            recorded_changes: false,
            changes_committed: self.changes_committed.clone(),
            subscribers: Default::default(),
            dry_run: false,
            field_owner: Default::default(),
        })
    }
}

impl WriteTx {
    /// Marks this transaction as a dry run, to be dropped (rolled back)
    /// rather than committed.
    pub fn mark_dry_run(&mut self) {
        self.dry_run = true;
    }

    /// Makes every write of this transaction durable.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await.map_err(map_error)?;
        if self.moved_tags {
            self.tags_moved.notify_one();
        }
        if self.queued_deliveries {
            self.deliveries_queued.notify_one();
        }
        if self.recorded_changes {
            self.changes_committed.notify_one();
        }
        Ok(())
    }

    /// `FOR UPDATE` where the backend has row locks.
    pub(super) fn lock_clause(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// Appends to the change log and returns the new resource version.
    pub(super) async fn record_change(
        &mut self,
        resource: &str,
        namespace: &str,
        name: &str,
        event: ChangeEvent,
        document: &str,
    ) -> Result<i64> {
        if self.dry_run {
            // The version the change would have had, about.
            return sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM changes")
                .fetch_one(&mut *self.tx)
                .await
                .map_err(map_error);
        }
        if !self.recorded_changes {
            self.recorded_changes = true;
            if self.backend == Backend::Postgres {
                // Delivered to every listening replica when this commits.
                sqlx::query(&format!("NOTIFY {}", super::CHANGES_CHANNEL))
                    .execute(&mut *self.tx)
                    .await
                    .map_err(map_error)?;
            }
        }
        sqlx::query_scalar(
            "INSERT INTO changes (resource, namespace, name, event, at_ms, document) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(resource)
        .bind(namespace)
        .bind(name)
        .bind(event.as_str())
        .bind(clock::to_millis(self.now))
        .bind(document)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(map_error)
    }
}
