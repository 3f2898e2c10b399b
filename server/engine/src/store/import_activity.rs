//! Import counts per project and hour, added to in the transaction that
//! records each import.

use sqlx::Row;

use super::{Store, WriteTx, map_error};
use crate::{Result, clock, model::import_activity::hour_of};

impl WriteTx {
    /// Counts `succeeded` and `failed` image imports in `namespace` now.
    pub async fn count_imports(
        &mut self,
        namespace: &str,
        succeeded: i64,
        failed: i64,
    ) -> Result<()> {
        if succeeded == 0 && failed == 0 {
            return Ok(());
        }
        let hour = hour_of(clock::to_millis(self.now));
        sqlx::query(
            "INSERT INTO import_activity (namespace, hour_ms, succeeded, failed) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (namespace, hour_ms) DO UPDATE SET \
             succeeded = import_activity.succeeded + excluded.succeeded, \
             failed = import_activity.failed + excluded.failed",
        )
        .bind(namespace)
        .bind(hour)
        .bind(succeeded)
        .bind(failed)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?;
        Ok(())
    }
}

impl Store {
    /// (hour start in ms, succeeded, failed) for the hours from `since_ms`
    /// on that saw imports, oldest first.
    pub async fn import_activity(
        &self,
        namespace: &str,
        since_ms: i64,
    ) -> Result<Vec<(i64, i64, i64)>> {
        let rows = sqlx::query(
            "SELECT hour_ms, succeeded, failed FROM import_activity \
             WHERE namespace = $1 AND hour_ms >= $2 ORDER BY hour_ms",
        )
        .bind(namespace)
        .bind(since_ms)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// Forgets a deleted project's counts.
    pub(super) async fn forget_import_activity(&self, namespace: &str) -> Result<()> {
        sqlx::query("DELETE FROM import_activity WHERE namespace = $1")
            .bind(namespace)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(())
    }
}
