//! Failed sign-ins, counted per key (an account or an address) over a
//! window, shared by every replica.

use sqlx::Row;

use super::{Store, map_error};
use crate::Result;

impl Store {
    /// How many failures `key` had after `after_ms`, and the oldest of them.
    pub async fn login_failures_since(
        &self,
        key: &str,
        after_ms: i64,
    ) -> Result<(i64, Option<i64>)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS failures, MIN(at_ms) AS oldest FROM login_failures \
             WHERE key = $1 AND at_ms > $2",
        )
        .bind(key)
        .bind(after_ms)
        .fetch_one(self.pool())
        .await
        .map_err(map_error)?;
        Ok((
            row.try_get("failures").map_err(map_error)?,
            row.try_get("oldest").map_err(map_error)?,
        ))
    }

    /// Records a failure at `at_ms` for each of `keys`, dropping every
    /// failure at or before `forget_before_ms` (out of every window).
    pub async fn record_login_failure(
        &self,
        keys: &[String],
        at_ms: i64,
        forget_before_ms: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await.map_err(map_error)?;
        sqlx::query("DELETE FROM login_failures WHERE at_ms <= $1")
            .bind(forget_before_ms)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at_ms) VALUES ($1, $2)")
                .bind(key)
                .bind(at_ms)
                .execute(&mut *tx)
                .await
                .map_err(map_error)?;
        }
        tx.commit().await.map_err(map_error)
    }

    /// Forgets every failure of `key`.
    pub async fn forget_login_failures(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(())
    }
}
