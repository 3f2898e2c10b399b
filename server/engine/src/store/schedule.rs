//! The import schedule's rows: kept in step with each stream write, claimed
//! with leases by the scheduler of any replica (PostgreSQL `FOR UPDATE SKIP
//! LOCKED`; SQLite has one process), and updated with each check's result.

use sqlx::Row;

use super::{Backend, Store, WriteTx, map_error};
use crate::{Result, clock, model::ImageStream, schedule::wanted_checks};

/// One tag the scheduler claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCheck {
    pub namespace: String,
    pub stream: String,
    pub tag: String,
    pub registry: String,
}

/// A row of the schedule, as the overview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub namespace: String,
    pub stream: String,
    pub tag: String,
    pub registry: String,
    pub scheduled: bool,
    pub pending: bool,
    pub due_ms: i64,
    pub last_check_ms: Option<i64>,
    pub last_result: Option<String>,
    pub last_error: Option<String>,
    pub failures: i64,
    pub leased: bool,
}

/// Counts over the recorded checks since a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckCounts {
    pub succeeded: i64,
    pub failed: i64,
}

impl WriteTx {
    /// Brings the stream's schedule rows in line with its spec and status:
    /// new tags due now, a changed source due now again, tags that need no
    /// more checks removed.
    pub(super) async fn sync_schedule(&mut self, stream: &ImageStream) -> Result<()> {
        let (namespace, name) = (&stream.metadata.namespace, &stream.metadata.name);
        let wanted = wanted_checks(stream);
        let existing: Vec<(String, i64)> = sqlx::query(
            "SELECT tag, generation FROM import_schedule WHERE namespace = $1 AND stream = $2",
        )
        .bind(namespace)
        .bind(name)
        .fetch_all(&mut *self.tx)
        .await
        .map_err(map_error)?
        .iter()
        .map(|row| (row.get::<String, _>(0), row.get::<i64, _>(1)))
        .collect();
        let now = clock::now_millis();
        for (tag, _) in &existing {
            if !wanted.iter().any(|w| &w.tag == tag) {
                sqlx::query(
                    "DELETE FROM import_schedule WHERE namespace = $1 AND stream = $2 AND tag = $3",
                )
                .bind(namespace)
                .bind(name)
                .bind(tag)
                .execute(&mut *self.tx)
                .await
                .map_err(map_error)?;
            }
        }
        for check in &wanted {
            let known = existing.iter().find(|(tag, _)| tag == &check.tag);
            // A newer source: check it now, forgetting old failures.
            let reset =
                known.map(|(_, generation)| check.generation > *generation && check.pending);
            let query = match reset {
                None => sqlx::query(
                    "INSERT INTO import_schedule (namespace, stream, tag, registry, scheduled, pending, generation, due_ms, failures) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
                ),
                Some(true) => sqlx::query(
                    "UPDATE import_schedule SET registry = $4, scheduled = $5, pending = $6, generation = $7, \
                     due_ms = $8, failures = 0 WHERE namespace = $1 AND stream = $2 AND tag = $3",
                ),
                Some(false) => sqlx::query(
                    "UPDATE import_schedule SET registry = $4, scheduled = $5, pending = $6, generation = $7 \
                     WHERE namespace = $1 AND stream = $2 AND tag = $3",
                ),
            };
            let query = query
                .bind(namespace)
                .bind(name)
                .bind(&check.tag)
                .bind(&check.registry)
                .bind(i64::from(check.scheduled))
                .bind(i64::from(check.pending))
                .bind(check.generation);
            let query = if reset == Some(false) {
                query
            } else {
                query.bind(now)
            };
            query.execute(&mut *self.tx).await.map_err(map_error)?;
        }
        Ok(())
    }

    /// Removes every row of a deleted stream.
    pub(super) async fn clear_schedule(&mut self, namespace: &str, stream: &str) -> Result<()> {
        sqlx::query("DELETE FROM import_schedule WHERE namespace = $1 AND stream = $2")
            .bind(namespace)
            .bind(stream)
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
        Ok(())
    }

    /// The consecutive failures recorded for a tag (0 when it has no row).
    pub async fn schedule_failures(
        &mut self,
        namespace: &str,
        stream: &str,
        tag: &str,
    ) -> Result<i64> {
        let failures: Option<i64> = sqlx::query_scalar(
            "SELECT failures FROM import_schedule WHERE namespace = $1 AND stream = $2 AND tag = $3",
        )
        .bind(namespace)
        .bind(stream)
        .bind(tag)
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(map_error)?;
        Ok(failures.unwrap_or(0))
    }

    /// Records a check of a tag: its result, its next due time, and a line
    /// in the check log.
    #[expect(clippy::too_many_arguments, reason = "one value per column written")]
    pub async fn record_check(
        &mut self,
        namespace: &str,
        stream: &str,
        tag: &str,
        error: Option<&str>,
        failures: i64,
        due_ms: i64,
        duration_ms: i64,
    ) -> Result<()> {
        let now = clock::now_millis();
        let result = if error.is_some() {
            "Failure"
        } else {
            "Success"
        };
        sqlx::query(
            "UPDATE import_schedule SET last_check_ms = $4, last_result = $5, last_error = $6, \
             failures = $7, due_ms = $8 WHERE namespace = $1 AND stream = $2 AND tag = $3",
        )
        .bind(namespace)
        .bind(stream)
        .bind(tag)
        .bind(now)
        .bind(result)
        .bind(error)
        .bind(failures)
        .bind(due_ms)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?;
        sqlx::query(
            "INSERT INTO import_checks (at_ms, namespace, stream, tag, result, duration_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now)
        .bind(namespace)
        .bind(stream)
        .bind(tag)
        .bind(result)
        .bind(duration_ms)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?;
        Ok(())
    }
}

impl Store {
    /// Leases up to `limit` due rows to `owner` until `lease_until_ms`.
    /// With `periodic` false only tags never imported are claimed
    /// (`disableScheduledImport`).
    pub async fn claim_due(
        &self,
        owner: &str,
        lease_until_ms: i64,
        limit: i64,
        periodic: bool,
    ) -> Result<Vec<DueCheck>> {
        let now = clock::now_millis();
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE import_schedule SET lease_owner = $1, lease_until_ms = $2 \
             WHERE (namespace, stream, tag) IN (\
               SELECT namespace, stream, tag FROM import_schedule \
               WHERE due_ms <= $3 AND (lease_until_ms IS NULL OR lease_until_ms < $3) \
                 AND (pending = 1 OR $5 = 1) \
               ORDER BY due_ms LIMIT $4{lock}) \
             RETURNING namespace, stream, tag, registry"
        );
        let rows = sqlx::query(&sql)
            .bind(owner)
            .bind(lease_until_ms)
            .bind(now)
            .bind(limit)
            .bind(i64::from(periodic))
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        Ok(rows
            .iter()
            .map(|row| DueCheck {
                namespace: row.get(0),
                stream: row.get(1),
                tag: row.get(2),
                registry: row.get(3),
            })
            .collect())
    }

    /// Gives up `owner`'s lease on a row.
    pub async fn release(&self, owner: &str, check: &DueCheck) -> Result<()> {
        sqlx::query(
            "UPDATE import_schedule SET lease_owner = NULL, lease_until_ms = NULL \
             WHERE namespace = $1 AND stream = $2 AND tag = $3 AND lease_owner = $4",
        )
        .bind(&check.namespace)
        .bind(&check.stream)
        .bind(&check.tag)
        .bind(owner)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        Ok(())
    }

    /// Moves a row's due time without a check result (its stream could not
    /// be read or written this time).
    pub async fn postpone(&self, check: &DueCheck, due_ms: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE import_schedule SET due_ms = $4, last_error = $5, failures = failures + 1 \
             WHERE namespace = $1 AND stream = $2 AND tag = $3",
        )
        .bind(&check.namespace)
        .bind(&check.stream)
        .bind(&check.tag)
        .bind(due_ms)
        .bind(error)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        Ok(())
    }

    /// The earliest due time among rows not leased, if any.
    pub async fn next_due_ms(&self, periodic: bool) -> Result<Option<i64>> {
        sqlx::query_scalar(
            "SELECT MIN(due_ms) FROM import_schedule WHERE lease_owner IS NULL AND (pending = 1 OR $1 = 1)",
        )
        .bind(i64::from(periodic))
        .fetch_one(self.pool())
        .await
        .map_err(map_error)
    }

    /// How many tags are due now and not leased.
    pub async fn due_count(&self, periodic: bool) -> Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM import_schedule WHERE due_ms <= $1 \
             AND (lease_until_ms IS NULL OR lease_until_ms < $1) AND (pending = 1 OR $2 = 1)",
        )
        .bind(clock::now_millis())
        .bind(i64::from(periodic))
        .fetch_one(self.pool())
        .await
        .map_err(map_error)
    }

    /// Every schedule row, soonest due first (optionally one project's).
    pub async fn schedule_rows(&self, namespace: Option<&str>) -> Result<Vec<ScheduleRow>> {
        let rows = sqlx::query(&format!(
            "{SCHEDULE_COLUMNS} WHERE ($1 = '' OR namespace = $1) \
             ORDER BY due_ms, namespace, stream, tag"
        ))
        .bind(namespace.unwrap_or(""))
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        Ok(schedule_rows_of(&rows))
    }

    /// One tag's schedule row, if it has one.
    pub async fn schedule_row(
        &self,
        namespace: &str,
        stream: &str,
        tag: &str,
    ) -> Result<Option<ScheduleRow>> {
        let rows = sqlx::query(&format!(
            "{SCHEDULE_COLUMNS} WHERE namespace = $1 AND stream = $2 AND tag = $3"
        ))
        .bind(namespace)
        .bind(stream)
        .bind(tag)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        Ok(schedule_rows_of(&rows).pop())
    }

    /// How many checks succeeded and failed since `since_ms`.
    pub async fn check_counts(&self, since_ms: i64) -> Result<CheckCounts> {
        let rows = sqlx::query(
            "SELECT result, COUNT(*) FROM import_checks WHERE at_ms >= $1 GROUP BY result",
        )
        .bind(since_ms)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        let mut counts = CheckCounts::default();
        for row in &rows {
            let count: i64 = row.get(1);
            match row.get::<String, _>(0).as_str() {
                "Success" => counts.succeeded = count,
                _ => counts.failed = count,
            }
        }
        Ok(counts)
    }

    /// Forgets check log lines older than `before_ms`.
    pub async fn prune_checks(&self, before_ms: i64) -> Result<()> {
        sqlx::query("DELETE FROM import_checks WHERE at_ms < $1")
            .bind(before_ms)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(())
    }
}

/// The columns a [`ScheduleRow`] is read from.
const SCHEDULE_COLUMNS: &str = "SELECT namespace, stream, tag, registry, scheduled, pending, \
     due_ms, last_check_ms, last_result, last_error, failures, lease_until_ms FROM import_schedule";

fn schedule_rows_of(rows: &[sqlx::any::AnyRow]) -> Vec<ScheduleRow> {
    let now = clock::now_millis();
    rows.iter()
        .map(|row| ScheduleRow {
            namespace: row.get(0),
            stream: row.get(1),
            tag: row.get(2),
            registry: row.get(3),
            scheduled: row.get::<i64, _>(4) != 0,
            pending: row.get::<i64, _>(5) != 0,
            due_ms: row.get(6),
            last_check_ms: row.get(7),
            last_result: row.get(8),
            last_error: row.get(9),
            failures: row.get::<i64, _>(10),
            leased: row
                .get::<Option<i64>, _>(11)
                .is_some_and(|until| until >= now),
        })
        .collect()
}
