//! Rows of pull secrets and their links to service accounts. The passwords
//! arrive here sealed; this module never sees them in the clear.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, errors::is_unique_violation, map_error};
use crate::{Error, Result};

const SECRETS: &str = "secrets";

/// A stored pull secret.
#[derive(Debug, Clone)]
pub struct PullSecretRow {
    pub namespace: String,
    pub name: String,
    /// JSON: `[{"registry": …, "username": …}]`.
    pub logins: String,
    /// The sealed JSON of the logins with their passwords.
    pub sealed: String,
    pub created_ms: i64,
    pub created_by: String,
}

fn secret_from_row(row: &AnyRow) -> std::result::Result<PullSecretRow, sqlx::Error> {
    Ok(PullSecretRow {
        namespace: row.try_get("namespace")?,
        name: row.try_get("name")?,
        logins: row.try_get("logins")?,
        sealed: row.try_get("sealed")?,
        created_ms: row.try_get("created_ms")?,
        created_by: row.try_get("created_by")?,
    })
}

impl Store {
    /// Adds a pull secret; `AlreadyExists` if the name is taken.
    pub async fn insert_pull_secret(&self, row: &PullSecretRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO pull_secrets (namespace, name, logins, sealed, created_ms, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&row.namespace)
        .bind(&row.name)
        .bind(&row.logins)
        .bind(&row.sealed)
        .bind(row.created_ms)
        .bind(&row.created_by)
        .execute(self.pool())
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                Error::already_exists(SECRETS, &row.name)
            } else {
                map_error(error)
            }
        })?;
        Ok(())
    }

    /// The project's pull secrets, by name.
    pub async fn pull_secrets_in(&self, namespace: &str) -> Result<Vec<PullSecretRow>> {
        let rows = sqlx::query(
            "SELECT namespace, name, logins, sealed, created_ms, created_by \
             FROM pull_secrets WHERE namespace = $1 ORDER BY name",
        )
        .bind(namespace)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(secret_from_row)
            .collect::<std::result::Result<_, _>>()
            .map_err(map_error)
    }

    /// Removes a pull secret and its links; `NotFound` if there was none.
    pub async fn delete_pull_secret(&self, namespace: &str, name: &str) -> Result<()> {
        let mut tx = self.pool().begin().await.map_err(map_error)?;
        let done = sqlx::query("DELETE FROM pull_secrets WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found(SECRETS, name));
        }
        sqlx::query("DELETE FROM pull_secret_links WHERE namespace = $1 AND secret = $2")
            .bind(namespace)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        tx.commit().await.map_err(map_error)
    }

    /// `(secret, service account)` links of the project.
    pub async fn pull_secret_links_in(&self, namespace: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT secret, service_account FROM pull_secret_links WHERE namespace = $1 \
             ORDER BY secret, service_account",
        )
        .bind(namespace)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| Ok((row.try_get("secret")?, row.try_get("service_account")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// Links a secret to a service account (again is fine).
    pub async fn link_pull_secret(
        &self,
        namespace: &str,
        secret: &str,
        account: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO pull_secret_links (namespace, secret, service_account) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(namespace)
        .bind(secret)
        .bind(account)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        Ok(())
    }

    /// Removes a link; `NotFound` if there was none.
    pub async fn unlink_pull_secret(
        &self,
        namespace: &str,
        secret: &str,
        account: &str,
    ) -> Result<()> {
        let done = sqlx::query(
            "DELETE FROM pull_secret_links \
             WHERE namespace = $1 AND secret = $2 AND service_account = $3",
        )
        .bind(namespace)
        .bind(secret)
        .bind(account)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("serviceaccounts", account));
        }
        Ok(())
    }

    /// Forgets every pull secret and link of a deleted project.
    pub(crate) async fn forget_pull_secrets(&self, namespace: &str) -> Result<()> {
        for table in ["pull_secret_links", "pull_secrets"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE namespace = $1"))
                .bind(namespace)
                .execute(self.pool())
                .await
                .map_err(map_error)?;
        }
        Ok(())
    }
}
