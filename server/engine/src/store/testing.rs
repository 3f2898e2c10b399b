//! Test support: a fresh, empty store per test, on the backend the test run
//! was given.
//!
//! `TEST_DATABASE_URL` unset (or `sqlite:…`) gives a SQLite file in a fresh
//! temporary directory. A `postgres://…/<db>` URL names a server on which each
//! test gets a new database of its own, created through that URL.

use std::sync::atomic::{AtomicU32, Ordering};

use super::Store;

/// A store that lives as long as this value (and its temporary files).
pub struct TestStore {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// A fresh store for one test.
pub async fn fresh_store() -> TestStore {
    let url = fresh_database_url().await;
    let store = Store::open(&url.0).await.expect("open the test store");
    TestStore {
        store,
        url: url.0,
        _dir: url.1,
    }
}

/// A URL for a fresh, empty database (and the directory holding it, for SQLite).
pub async fn fresh_database_url() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => (fresh_postgres_database(&url).await, None),
        _ => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}/console.db", dir.path().display());
            (url, Some(dir))
        }
    }
}

/// The backend the tests run on, as named in the runner's output.
pub fn backend_under_test() -> &'static str {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

async fn fresh_postgres_database(admin_url: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "isc_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
    );
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .expect("create a test database");
    admin.close().await;
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL ends with /<database>");
    format!("{base}/{name}")
}

/// Creates the project `name` (with no display name or description).
pub async fn add_project(store: &Store, name: &str) {
    crate::projects::create(
        store,
        &crate::access::Caller::system("test"),
        crate::model::NewProject {
            name: name.into(),
            ..Default::default()
        },
    )
    .await
    .expect("create the test project");
}

/// A fresh store holding the project `namespace`, and services on it.
pub async fn services_with_project(
    namespace: &str,
    settings: crate::Settings,
) -> (crate::Services, TestStore) {
    let store = fresh_store().await;
    add_project(&store, namespace).await;
    (crate::Services::new(store.store.clone(), settings), store)
}

/// A well-formed digest, different for each `n`.
pub fn fake_digest(n: u8) -> String {
    format!("sha256:{}", format!("{n:02x}").repeat(32))
}

/// "Image `digest`, at `reference`, was pushed to `stream:tag`".
pub fn mapping(
    stream: &str,
    tag: &str,
    digest: &str,
    reference: &str,
) -> crate::model::ImageStreamMapping {
    use crate::model::{Image, ImageStreamMapping, ObjectMeta};
    ImageStreamMapping {
        metadata: ObjectMeta {
            name: stream.into(),
            ..ObjectMeta::default()
        },
        image: Image {
            metadata: ObjectMeta {
                name: digest.into(),
                ..ObjectMeta::default()
            },
            docker_image_reference: reference.into(),
            ..Image::default()
        },
        tag: tag.into(),
        ..ImageStreamMapping::default()
    }
}

/// The API token tests call the server with; it acts as the first admin.
pub const ADMIN_TOKEN: &str = "isc_test_token_0123456789abcdef0123456789abcdef";

/// Creates the first admin (`admin`, cluster-admin) and makes
/// [`ADMIN_TOKEN`] act as them.
pub async fn admin_token(store: &Store) -> &'static str {
    crate::access::ensure_first_admin(store, "admin", Some("admin password for tests"))
        .await
        .expect("create the first admin");
    crate::access::ensure_api_token(store, "admin", ADMIN_TOKEN)
        .await
        .expect("store the admin token");
    ADMIN_TOKEN
}
