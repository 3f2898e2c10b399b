//! The database schema: embedded migrations per backend, and the refusal to
//! run against a schema newer than this build knows.

use sqlx::migrate::Migrator;

use super::{Backend, OpenError, Store};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// The newest schema version this build knows (the same on both backends).
pub const SCHEMA_VERSION: i64 = 16;

fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    }
}

/// Applies pending migrations, after checking the database is not ahead of us.
pub(super) async fn migrate(store: &Store) -> Result<(), OpenError> {
    if let Some(found) = applied_version(store).await?
        && found > SCHEMA_VERSION
    {
        return Err(OpenError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    migrator(store.backend())
        .run(store.pool())
        .await
        .map_err(|error| OpenError::Migration(error.to_string()))
}

/// The newest migration applied to the database, if any ever was.
async fn applied_version(store: &Store) -> Result<Option<i64>, OpenError> {
    let exists_query = match store.backend() {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'"
        }
    };
    let failed = |error: sqlx::Error| OpenError::Migration(error.to_string());
    let exists: i64 = sqlx::query_scalar(exists_query)
        .fetch_one(store.pool())
        .await
        .map_err(failed)?;
    if exists == 0 {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(store.pool())
        .await
        .map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_know_the_same_versions() {
        let versions = |m: &Migrator| m.iter().map(|m| m.version).collect::<Vec<_>>();
        assert_eq!(versions(&SQLITE), versions(&POSTGRES));
        assert_eq!(versions(&SQLITE).last().copied(), Some(SCHEMA_VERSION));
    }
}
