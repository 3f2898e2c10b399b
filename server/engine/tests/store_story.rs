//! The store's story, told against whichever backend `TEST_DATABASE_URL`
//! names (SQLite when unset): CI runs it once on each.

use engine::{
    Error,
    model::{NewProject, SHARED_PROJECT},
    projects,
    resources::PROJECTS,
    store::{OpenError, SCHEMA_VERSION, Store, testing::fresh_store},
};

/// The server itself, which may do anything.
fn system() -> engine::access::Caller {
    engine::access::Caller::system("test")
}

fn request(name: &str) -> NewProject {
    NewProject {
        name: name.into(),
        display_name: "Team A".into(),
        description: "Images of team A".into(),
    }
}

#[tokio::test]
async fn a_new_store_has_the_shared_and_default_projects() {
    let store = fresh_store().await;
    let names: Vec<_> = projects::list(&store, &system())
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["default", SHARED_PROJECT]);
}

#[tokio::test]
async fn projects_are_created_read_and_deleted() {
    let store = fresh_store().await;
    let created = projects::create(&store, &system(), request("team-a"))
        .await
        .unwrap();
    assert_eq!(created.title(), "Team A");

    let read = projects::get(&store, &system(), "team-a").await.unwrap();
    assert_eq!(read, created, "what was written is what is read");

    let duplicate = projects::create(&store, &system(), request("team-a"))
        .await
        .unwrap_err();
    assert_eq!(duplicate, Error::already_exists(PROJECTS, "team-a"));

    projects::delete(&store, &system(), "team-a").await.unwrap();
    assert_eq!(
        projects::get(&store, &system(), "team-a")
            .await
            .unwrap_err(),
        Error::not_found(PROJECTS, "team-a")
    );
    assert_eq!(
        projects::delete(&store, &system(), "team-a")
            .await
            .unwrap_err(),
        Error::not_found(PROJECTS, "team-a")
    );
}

#[tokio::test]
async fn invalid_requests_write_nothing() {
    let store = fresh_store().await;
    let error = projects::create(&store, &system(), request("Team A"))
        .await
        .unwrap_err();
    let Error::Invalid(fields) = error else {
        panic!("expected Invalid, got {error:?}")
    };
    assert_eq!(fields[0].field, "metadata.name");
    assert_eq!(projects::list(&store, &system()).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_shared_project_cannot_be_deleted() {
    let store = fresh_store().await;
    let error = projects::delete(&store, &system(), SHARED_PROJECT)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
    assert!(
        projects::get(&store, &system(), SHARED_PROJECT)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn data_survives_reopening_and_migrations_are_not_reapplied() {
    let test = fresh_store().await;
    projects::create(&test, &system(), request("team-a"))
        .await
        .unwrap();
    test.store.close().await;

    let reopened = Store::open(&test.url).await.unwrap();
    assert!(projects::get(&reopened, &system(), "team-a").await.is_ok());
    reopened.close().await;
}

#[tokio::test]
async fn a_schema_newer_than_this_build_is_refused() {
    let test = fresh_store().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, 'from a newer server', $2, $3, 0)",
    )
    .bind(SCHEMA_VERSION + 1)
    .bind(true)
    .bind(vec![0_u8; 48])
    .execute(&any_pool(&test.url).await)
    .await
    .unwrap();
    test.store.close().await;

    let error = Store::open(&test.url).await.unwrap_err();
    assert!(
        matches!(error, OpenError::SchemaTooNew { found, known } if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION),
        "{error}"
    );
    assert!(
        error.to_string().contains("newer than this server knows"),
        "{error}"
    );
}

async fn any_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url).await.unwrap()
}
