//! Rows of cluster-wide settings: one JSON document per name, replaced
//! only by a writer who saw the current version.

use sqlx::Row;

use super::{Store, WriteTx, map_error};
use crate::{Error, Result};

const SELECT: &str = "SELECT document, resource_version, updated_by, updated_at \
                      FROM cluster_settings WHERE name = $1";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredSettings> {
    Ok(StoredSettings {
        document: row.try_get("document").map_err(map_error)?,
        resource_version: row.try_get("resource_version").map_err(map_error)?,
        updated_by: row.try_get("updated_by").map_err(map_error)?,
        updated_at: row.try_get("updated_at").map_err(map_error)?,
    })
}

impl WriteTx {
    /// [`Store::cluster_settings`], read within the transaction (so a write
    /// never waits for a second connection).
    pub async fn cluster_settings(&mut self, name: &str) -> Result<Option<StoredSettings>> {
        let row = sqlx::query(SELECT)
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_error)?;
        row.as_ref().map(from_row).transpose()
    }

    /// [`Store::put_cluster_settings`] within the transaction, so that what
    /// the change implies commits with it.
    /// Saves `document` as `name` if its version is still `expected` (0: none
    /// saved yet) and returns the new version; `Conflict` otherwise.
    pub async fn put_cluster_settings(
        &mut self,
        name: &str,
        document: &str,
        expected: i64,
        by: &str,
        at: i64,
    ) -> Result<i64> {
        let next = expected + 1;
        let done = if expected == 0 {
            sqlx::query(
                "INSERT INTO cluster_settings (name, document, resource_version, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
            )
        } else {
            sqlx::query(
                "UPDATE cluster_settings SET document = $2, resource_version = $3, updated_by = $4, \
                 updated_at = $5 WHERE name = $1 AND resource_version = $3 - 1",
            )
        }
        .bind(name)
        .bind(document)
        .bind(next)
        .bind(by)
        .bind(at)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::Conflict(format!(
                "the {name} settings were changed by someone else since you loaded them; reload to see their change, then apply yours again"
            )));
        }
        Ok(next)
    }
}

/// A stored settings document and who saved it last.
#[derive(Debug, Clone)]
pub struct StoredSettings {
    pub document: String,
    pub resource_version: i64,
    pub updated_by: String,
    /// Milliseconds since the epoch.
    pub updated_at: i64,
}

impl Store {
    /// The settings document called `name`, if one was ever saved.
    pub async fn cluster_settings(&self, name: &str) -> Result<Option<StoredSettings>> {
        let row = sqlx::query(SELECT)
            .bind(name)
            .fetch_optional(self.pool())
            .await
            .map_err(map_error)?;
        row.as_ref().map(from_row).transpose()
    }

    /// Saves `document` as `name` if its version is still `expected` (0: none
    /// saved yet) and returns the new version; `Conflict` otherwise.
    pub async fn put_cluster_settings(
        &self,
        name: &str,
        document: &str,
        expected: i64,
        by: &str,
        at: i64,
    ) -> Result<i64> {
        let mut tx = self.write().await?;
        let version = tx
            .put_cluster_settings(name, document, expected, by, at)
            .await?;
        tx.commit().await?;
        Ok(version)
    }
}
