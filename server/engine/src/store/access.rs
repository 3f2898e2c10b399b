//! Rows of sign-in and access: users, sessions, role bindings, API tokens.
//! Secrets never reach this module in the clear: sessions and tokens are
//! stored by the SHA-256 of their value, passwords as argon2id hashes.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, errors::is_unique_violation, map_error};
use crate::{
    Error, Result, clock,
    model::access::{Role, RoleBinding, Subject},
};

/// A stored browser session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id_hash: String,
    pub user: String,
    pub csrf_token: String,
    pub created_ms: i64,
    pub last_seen_ms: i64,
    pub client: String,
}

/// A stored API token.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: String,
    pub user: String,
    pub description: String,
    pub created_ms: i64,
    pub expires_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
}

fn session_from_row(row: &AnyRow) -> std::result::Result<SessionRow, sqlx::Error> {
    Ok(SessionRow {
        id_hash: row.try_get("id_hash")?,
        user: row.try_get("user_name")?,
        csrf_token: row.try_get("csrf_token")?,
        created_ms: row.try_get("created_ms")?,
        last_seen_ms: row.try_get("last_seen_ms")?,
        client: row.try_get("client")?,
    })
}

fn token_from_row(row: &AnyRow) -> std::result::Result<TokenRow, sqlx::Error> {
    Ok(TokenRow {
        id: row.try_get("id")?,
        user: row.try_get("user_name")?,
        description: row.try_get("description")?,
        created_ms: row.try_get("created_ms")?,
        expires_ms: row.try_get("expires_ms")?,
        revoked_ms: row.try_get("revoked_ms")?,
    })
}

fn binding_from_row(row: &AnyRow) -> Option<RoleBinding> {
    let kind: String = row.try_get("subject_kind").ok()?;
    let name: String = row.try_get("subject_name").ok()?;
    let role: String = row.try_get("role").ok()?;
    Some(RoleBinding {
        namespace: row.try_get("namespace").ok()?,
        subject: match kind.as_str() {
            "Group" => Subject::Group(name),
            _ => Subject::User(name),
        },
        // A role this build does not know grants nothing.
        role: Role::parse(&role)?,
    })
}

/// `AlreadyExists` for a taken user name, else the store's error.
fn user_insert_error(error: sqlx::Error, name: &str) -> Error {
    if is_unique_violation(&error) {
        Error::already_exists("users", name)
    } else {
        map_error(error)
    }
}

impl Store {
    /// Adds a person; `AlreadyExists` if the name is taken.
    pub async fn insert_user(&self, name: &str, password_hash: &str) -> Result<()> {
        sqlx::query("INSERT INTO users (name, password_hash, created_ms) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(password_hash)
            .bind(clock::now_millis())
            .execute(self.pool())
            .await
            .map_err(|error| user_insert_error(error, name))?;
        Ok(())
    }

    /// The password hash of `name`, if that person exists.
    pub async fn password_hash(&self, name: &str) -> Result<Option<String>> {
        self.optional_text(
            "SELECT password_hash AS value FROM users WHERE name = $1",
            &[name],
        )
        .await
    }

    /// The `value` column of the one row `sql` finds with `binds`, if any.
    async fn optional_text(&self, sql: &str, binds: &[&str]) -> Result<Option<String>> {
        let mut query = sqlx::query(sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        let row = query.fetch_optional(self.pool()).await.map_err(map_error)?;
        row.map(|row| row.try_get("value"))
            .transpose()
            .map_err(map_error)
    }

    /// Everyone who can sign in, by name, with when they were added.
    pub async fn users(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT name, created_ms FROM users ORDER BY name")
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter()
            .map(|row| Ok((row.try_get("name")?, row.try_get("created_ms")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// Replaces `name`'s password hash; `NotFound` if there is no such person.
    pub async fn set_password_hash(&self, name: &str, password_hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
            .bind(password_hash)
            .bind(name)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("users", name));
        }
        Ok(())
    }

    /// Removes a person with everything that lets them in: sessions, API
    /// tokens (revoked, kept for the record), role bindings and group
    /// memberships, in one transaction; `NotFound` if there is no such person.
    pub async fn delete_user(&self, name: &str) -> Result<()> {
        let mut tx = self.pool().begin().await.map_err(map_error)?;
        let done = sqlx::query("DELETE FROM users WHERE name = $1")
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("users", name));
        }
        for statement in [
            "DELETE FROM sessions WHERE user_name = $1",
            "DELETE FROM role_bindings WHERE subject_kind = 'User' AND subject_name = $1",
            "DELETE FROM group_members WHERE user_name = $1",
            "DELETE FROM identities WHERE user_name = $1",
            "DELETE FROM provider_group_members WHERE user_name = $1",
        ] {
            sqlx::query(statement)
                .bind(name)
                .execute(&mut *tx)
                .await
                .map_err(map_error)?;
        }
        sqlx::query(
            "UPDATE api_tokens SET revoked_ms = $1 WHERE user_name = $2 AND revoked_ms IS NULL",
        )
        .bind(clock::now_millis())
        .bind(name)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        tx.commit().await.map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    /// The user an identity provider's person signs in as, if they have
    /// signed in before.
    pub async fn identity_user(&self, issuer: &str, subject: &str) -> Result<Option<String>> {
        self.optional_text(
            "SELECT user_name AS value FROM identities WHERE issuer = $1 AND subject = $2",
            &[issuer, subject],
        )
        .await
    }

    /// Adds a person who signs in through an identity provider (no password)
    /// with their identity there, in one transaction; `AlreadyExists` if the
    /// name is taken.
    pub async fn insert_identity_user(
        &self,
        name: &str,
        issuer: &str,
        subject: &str,
    ) -> Result<()> {
        let now = clock::now_millis();
        let mut tx = self.pool().begin().await.map_err(map_error)?;
        sqlx::query("INSERT INTO users (name, password_hash, created_ms) VALUES ($1, '', $2)")
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|error| user_insert_error(error, name))?;
        sqlx::query(
            "INSERT INTO identities (issuer, subject, user_name, created_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(issuer)
        .bind(subject)
        .bind(name)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_error)?;
        tx.commit().await.map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    /// The identity provider (issuer) `user` signs in through, if any.
    pub async fn identity_issuer_of(&self, user: &str) -> Result<Option<String>> {
        self.optional_text(
            "SELECT issuer AS value FROM identities WHERE user_name = $1",
            &[user],
        )
        .await
    }

    /// The identity provider (issuer) of each person who signs in through
    /// one, by user name.
    pub async fn identity_issuers(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT user_name, issuer FROM identities ORDER BY user_name")
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter()
            .map(|row| Ok((row.try_get("user_name")?, row.try_get("issuer")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// How many people can sign in.
    pub async fn count_users(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(self.pool())
            .await
            .map_err(map_error)?;
        row.try_get("n").map_err(map_error)
    }

    pub async fn insert_session(&self, session: &SessionRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_name, csrf_token, created_ms, last_seen_ms, client) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.id_hash)
        .bind(&session.user)
        .bind(&session.csrf_token)
        .bind(session.created_ms)
        .bind(session.last_seen_ms)
        .bind(&session.client)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT id_hash, user_name, csrf_token, created_ms, last_seen_ms, client \
             FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(map_error)?;
        row.as_ref()
            .map(session_from_row)
            .transpose()
            .map_err(map_error)
    }

    /// Records that the session was used at `now_ms`.
    pub async fn touch_session(&self, id_hash: &str, now_ms: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE id_hash = $2")
            .bind(now_ms)
            .bind(id_hash)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(())
    }

    /// Ends every session of `user`; returns how many there were.
    pub async fn delete_sessions_of(&self, user: &str) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_name = $1")
            .bind(user)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(done.rows_affected())
    }

    /// Ends every session of `user` but the one whose id hashes to
    /// `keep_id_hash`; returns how many ended.
    pub async fn delete_other_sessions_of(&self, user: &str, keep_id_hash: &str) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_name = $1 AND id_hash <> $2")
            .bind(user)
            .bind(keep_id_hash)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        Ok(done.rows_affected())
    }

    /// Adds a binding; binding the same role twice changes nothing.
    pub async fn insert_role_binding(&self, binding: &RoleBinding) -> Result<()> {
        sqlx::query(
            "INSERT INTO role_bindings (namespace, subject_kind, subject_name, role, created_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(&binding.namespace)
        .bind(binding.subject.kind())
        .bind(binding.subject.name())
        .bind(binding.role.name())
        .bind(clock::now_millis())
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    /// Removes a binding; `NotFound` if there was none.
    pub async fn delete_role_binding(&self, binding: &RoleBinding) -> Result<()> {
        let done = sqlx::query(
            "DELETE FROM role_bindings WHERE namespace = $1 AND subject_kind = $2 \
             AND subject_name = $3 AND role = $4",
        )
        .bind(&binding.namespace)
        .bind(binding.subject.kind())
        .bind(binding.subject.name())
        .bind(binding.role.name())
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        self.access_changed();
        if done.rows_affected() == 0 {
            return Err(Error::not_found(
                "rolebindings",
                format!(
                    "{} {} as {}",
                    binding.subject.kind(),
                    binding.subject.name(),
                    binding.role
                ),
            ));
        }
        Ok(())
    }

    /// Every binding naming one of `subjects`, in any project.
    pub async fn role_bindings_of(&self, subjects: &[Subject]) -> Result<Vec<RoleBinding>> {
        if subjects.is_empty() {
            return Ok(Vec::new());
        }
        let sql = bindings_of_sql(subjects.len());
        let mut query = sqlx::query(&sql);
        for subject in subjects {
            query = query.bind(subject.kind()).bind(subject.name());
        }
        let rows = query.fetch_all(self.pool()).await.map_err(map_error)?;
        Ok(rows.iter().filter_map(binding_from_row).collect())
    }

    /// The bindings of one project, by subject and role.
    pub async fn role_bindings_in(&self, namespace: &str) -> Result<Vec<RoleBinding>> {
        let rows = sqlx::query(
            "SELECT namespace, subject_kind, subject_name, role FROM role_bindings \
             WHERE namespace = $1 ORDER BY subject_kind, subject_name, role",
        )
        .bind(namespace)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        Ok(rows.iter().filter_map(binding_from_row).collect())
    }

    /// Removes the bindings of a deleted project.
    pub async fn delete_role_bindings_in(&self, namespace: &str) -> Result<()> {
        sqlx::query("DELETE FROM role_bindings WHERE namespace = $1")
            .bind(namespace)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    pub async fn insert_api_token(&self, token_hash: &str, token: &TokenRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, id, user_name, description, created_ms, expires_ms, revoked_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token_hash)
        .bind(&token.id)
        .bind(&token.user)
        .bind(&token.description)
        .bind(token.created_ms)
        .bind(token.expires_ms)
        .bind(token.revoked_ms)
        .execute(self.pool())
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                Error::already_exists("tokens", &token.id)
            } else {
                map_error(error)
            }
        })?;
        Ok(())
    }

    /// The token whose value hashes to `token_hash`.
    pub async fn api_token(&self, token_hash: &str) -> Result<Option<TokenRow>> {
        let row = sqlx::query(
            "SELECT id, user_name, description, created_ms, expires_ms, revoked_ms \
             FROM api_tokens WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(map_error)?;
        row.as_ref()
            .map(token_from_row)
            .transpose()
            .map_err(map_error)
    }

    /// The tokens acting as `user`, newest first.
    pub async fn api_tokens_of(&self, user: &str) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(
            "SELECT id, user_name, description, created_ms, expires_ms, revoked_ms \
             FROM api_tokens WHERE user_name = $1 ORDER BY created_ms DESC, id",
        )
        .bind(user)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(token_from_row)
            .collect::<std::result::Result<_, _>>()
            .map_err(map_error)
    }

    /// Adds a service account; `AlreadyExists` if the name is taken.
    pub async fn insert_service_account(&self, namespace: &str, name: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO service_accounts (namespace, name, created_ms) VALUES ($1, $2, $3)",
        )
        .bind(namespace)
        .bind(name)
        .bind(clock::now_millis())
        .execute(self.pool())
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                Error::already_exists("serviceaccounts", name)
            } else {
                map_error(error)
            }
        })?;
        Ok(())
    }

    /// The service accounts of a project, by name.
    pub async fn service_accounts_in(&self, namespace: &str) -> Result<Vec<String>> {
        let rows =
            sqlx::query("SELECT name FROM service_accounts WHERE namespace = $1 ORDER BY name")
                .bind(namespace)
                .fetch_all(self.pool())
                .await
                .map_err(map_error)?;
        rows.iter()
            .map(|row| row.try_get("name"))
            .collect::<std::result::Result<_, _>>()
            .map_err(map_error)
    }

    /// Removes a service account and revokes its tokens; `NotFound` if
    /// there was none.
    pub async fn delete_service_account(&self, namespace: &str, name: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM service_accounts WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found("serviceaccounts", name));
        }
        sqlx::query("DELETE FROM pull_secret_links WHERE namespace = $1 AND service_account = $2")
            .bind(namespace)
            .bind(name)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_ms = $1 WHERE user_name = $2 AND revoked_ms IS NULL",
        )
        .bind(clock::now_millis())
        .bind(crate::model::access::service_account_user(namespace, name))
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    /// Marks a token revoked; `NotFound` if there is no such live token.
    pub async fn revoke_api_token(&self, id: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL",
        )
        .bind(clock::now_millis())
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        self.access_changed();
        if done.rows_affected() == 0 {
            return Err(Error::not_found("tokens", id));
        }
        Ok(())
    }
}

/// The query of the bindings naming one of `count` subjects (bound as kind
/// and name pairs).
fn bindings_of_sql(count: usize) -> String {
    let conditions: Vec<String> = (0..count)
        .map(|i| {
            format!(
                "(subject_kind = ${} AND subject_name = ${})",
                2 * i + 1,
                2 * i + 2
            )
        })
        .collect();
    format!(
        "SELECT namespace, subject_kind, subject_name, role FROM role_bindings WHERE {}",
        conditions.join(" OR ")
    )
}

impl super::WriteTx {
    /// [`Store::role_bindings_of`], read inside the transaction.
    pub async fn role_bindings_of(&mut self, subjects: &[Subject]) -> Result<Vec<RoleBinding>> {
        if subjects.is_empty() {
            return Ok(Vec::new());
        }
        let sql = bindings_of_sql(subjects.len());
        let mut query = sqlx::query(&sql);
        for subject in subjects {
            query = query.bind(subject.kind()).bind(subject.name());
        }
        let rows = query.fetch_all(&mut *self.tx).await.map_err(map_error)?;
        Ok(rows.iter().filter_map(binding_from_row).collect())
    }
}
