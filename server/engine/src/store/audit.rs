//! Rows of the audit log: appended once, never changed, read newest first
//! with optional filters.

use sqlx::Row;

use super::{Store, map_error};
use crate::{
    Result, clock,
    model::audit::{AuditEntry, AuditFilter, NewAuditEntry},
};

impl Store {
    /// Appends an entry.
    pub async fn insert_audit_entry(&self, entry: &NewAuditEntry) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log \
             (at_ms, user_name, action, kind, namespace, name, client, status, message) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry.at_ms)
        .bind(&entry.user)
        .bind(&entry.action)
        .bind(&entry.kind)
        .bind(&entry.namespace)
        .bind(&entry.name)
        .bind(&entry.client)
        .bind(i32::from(entry.status))
        .bind(&entry.message)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        Ok(())
    }

    /// Forgets entries recorded before `before_ms`; returns how many.
    pub async fn prune_audit_entries(&self, before_ms: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM audit_log WHERE at_ms < $1")
            .bind(before_ms)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(done.rows_affected())
    }

    /// Up to `limit` entries matching `filter`, newest first.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: usize,
    ) -> Result<Vec<AuditEntry>> {
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        let mut equal = |column: &str, value: &str| {
            if !value.is_empty() {
                values.push(value.to_owned());
                conditions.push(format!("{column} = ${}", values.len()));
            }
        };
        equal("namespace", &filter.namespace);
        equal("user_name", &filter.user);
        equal("kind", &filter.kind);
        if filter.failed_only {
            conditions.push("status >= 400".into());
        }
        if let Some(before) = filter.before {
            conditions.push(format!("id < {before}"));
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT id, at_ms, user_name, action, kind, namespace, name, client, status, message \
             FROM audit_log {clause} ORDER BY id DESC LIMIT {limit}"
        );
        let mut query = sqlx::query(&sql);
        for value in &values {
            query = query.bind(value);
        }
        let rows = query.fetch_all(self.pool()).await.map_err(map_error)?;
        rows.iter()
            .map(|row| {
                let status: i32 = row.try_get("status")?;
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: clock::from_millis(row.try_get("at_ms")?),
                    user: row.try_get("user_name")?,
                    action: row.try_get("action")?,
                    kind: row.try_get("kind")?,
                    namespace: row.try_get("namespace")?,
                    name: row.try_get("name")?,
                    client: row.try_get("client")?,
                    status: u16::try_from(status).unwrap_or(500),
                    message: row.try_get("message")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(map_error)
    }
}
