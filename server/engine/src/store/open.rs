//! Connecting to the database named by a URL, with errors that say which part
//! of the configuration is wrong (and never print a password).

use std::{str::FromStr, time::Duration};

use sqlx::{
    AnyConnection, AnyPool, Connection, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
};

use super::Backend;

/// How long start-up waits for a first connection before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections per process.
const MAX_CONNECTIONS: u32 = 10;

/// Why the store could not be opened. Each message is one line meant for the
/// person starting the server.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "database URL {url:?} is not supported: use sqlite://<file> or postgres://<user>@<host>/<database>"
    )]
    UnsupportedUrl { url: String },
    #[error("database URL {url:?} is not valid: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot open the database {url:?}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error(
        "the database schema is at version {found}, newer than this server knows (up to {known}); \
         run the newer server or restore a backup"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("cannot migrate the database schema: {0}")]
    Migration(String),
}

/// Opens a pool on `url` and checks a first connection works.
pub(super) async fn connect(url: &str) -> Result<(AnyPool, Backend), OpenError> {
    sqlx::any::install_default_drivers();
    let shown = redact(url);
    let backend =
        backend_of(url).ok_or_else(|| OpenError::UnsupportedUrl { url: shown.clone() })?;
    let url = match backend {
        Backend::Sqlite => with_create_mode(url),
        Backend::Postgres => url.to_owned(),
    };
    let options = AnyConnectOptions::from_str(&url).map_err(|error| OpenError::InvalidUrl {
        url: shown.clone(),
        reason: error.to_string(),
    })?;
    // One direct connection first: a pool retries until its timeout and then
    // reports only that, while this gives the real reason (refused, bad password…).
    let first = tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect_with(&options))
        .await
        .map_err(|_| OpenError::Unreachable {
            url: shown.clone(),
            reason: describe(&sqlx::Error::PoolTimedOut, backend),
        })?
        .map_err(|error| match error {
            sqlx::Error::Configuration(reason) => OpenError::InvalidUrl {
                url: shown.clone(),
                reason: reason.to_string(),
            },
            other => OpenError::Unreachable {
                url: shown.clone(),
                reason: describe(&other, backend),
            },
        })?;
    first.close().await.ok();
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(CONNECT_TIMEOUT)
        .after_connect(move |connection, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    connection.execute("PRAGMA journal_mode = WAL").await?;
                    connection.execute("PRAGMA synchronous = NORMAL").await?;
                    connection.execute("PRAGMA foreign_keys = ON").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|error| OpenError::Unreachable {
            url: shown.clone(),
            reason: describe(&error, backend),
        })?;
    Ok((pool, backend))
}

/// The backend a URL names, if it is one this server supports.
pub(super) fn backend_of(url: &str) -> Option<Backend> {
    if url.starts_with("sqlite:") {
        Some(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Some(Backend::Postgres)
    } else {
        None
    }
}

/// SQLite URLs open read-write and create the file unless the user chose a mode.
fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The URL with any password replaced, fit for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// A short reason for a failed first connection.
fn describe(error: &sqlx::Error, backend: Backend) -> String {
    match error {
        sqlx::Error::Io(io) => match (io.kind(), backend) {
            (std::io::ErrorKind::ConnectionRefused, _) => {
                "connection refused (is the database server running on that host and port?)".into()
            }
            _ => io.to_string(),
        },
        sqlx::Error::PoolTimedOut => format!(
            "no answer within {} seconds (is the host reachable?)",
            CONNECT_TIMEOUT.as_secs()
        ),
        sqlx::Error::Database(db) if backend == Backend::Sqlite => format!(
            "{} (does the directory exist and is it writable?)",
            db.message()
        ),
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/console"),
            "postgres://app:***@db.example:5432/console"
        );
        assert_eq!(
            redact("postgres://app@db/console"),
            "postgres://app@db/console"
        );
        assert_eq!(
            redact("sqlite://./data/console.db"),
            "sqlite://./data/console.db"
        );
    }

    #[test]
    fn sqlite_urls_create_the_file_unless_a_mode_is_given() {
        assert_eq!(with_create_mode("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(
            with_create_mode("sqlite://a.db?cache=shared"),
            "sqlite://a.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            with_create_mode("sqlite://a.db?mode=ro"),
            "sqlite://a.db?mode=ro"
        );
    }

    #[test]
    fn only_sqlite_and_postgres_are_supported() {
        assert_eq!(backend_of("sqlite://a.db"), Some(Backend::Sqlite));
        assert_eq!(backend_of("postgresql://h/db"), Some(Backend::Postgres));
        assert_eq!(backend_of("mysql://h/db"), None);
    }

    #[tokio::test]
    async fn unsupported_url_is_refused_with_the_accepted_forms() {
        let error = connect("mysql://root:pw@localhost/db").await.unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("mysql://root:***@localhost/db"),
            "{message}"
        );
        assert!(message.contains("use sqlite://"), "{message}");
    }

    #[tokio::test]
    async fn missing_sqlite_directory_says_so() {
        let error = connect("sqlite:///nonexistent-dir-for-test/x.db")
            .await
            .unwrap_err();
        assert!(matches!(error, OpenError::Unreachable { .. }), "{error}");
        assert!(
            error.to_string().contains("does the directory exist"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn refused_postgres_connection_says_so() {
        // Port 1 on loopback is never a database.
        let error = connect("postgres://u:p@127.0.0.1:1/db").await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("connection refused"), "{message}");
        assert!(!message.contains(":p@"), "password leaked: {message}");
    }
}
