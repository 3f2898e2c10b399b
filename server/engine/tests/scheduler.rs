//! The import scheduler against a real registry (Debian's `docker-registry`
//! on 127.0.0.1, images pushed with skopeo) and the real store: first imports
//! of tags nobody imported, periodic checks, backoff after failures, rows
//! that go with their tags, and several schedulers sharing one database.

use std::{collections::HashMap, sync::Arc, time::Duration};

use engine::registry::testing::{Layout, TestRegistry};
use engine::{
    Services, Settings, clock, imagestreams as is,
    model::{ImageStream, ObjectMeta, ObjectReference, SourceKind, TagImportPolicy, TagReference},
    schedule::{ScheduleSettings, Scheduler},
    store::{
        ScheduleRow,
        testing::{add_project, fresh_store},
    },
};

const NS: &str = "team";

async fn services_with(
    schedule: ScheduleSettings,
) -> (Services, engine::store::testing::TestStore) {
    let store = fresh_store().await;
    add_project(&store, NS).await;
    let services = Services::new(
        store.store.clone(),
        Settings {
            schedule,
            ..Settings::default()
        },
    );
    (services, store)
}

fn unlimited() -> ScheduleSettings {
    ScheduleSettings {
        max_imports_per_minute: 0,
        ..ScheduleSettings::default()
    }
}

fn stream(name: &str, tags: &[(&str, &str, bool)]) -> ImageStream {
    ImageStream {
        metadata: ObjectMeta {
            name: name.into(),
            ..ObjectMeta::default()
        },
        spec: engine::model::ImageStreamSpec {
            tags: tags
                .iter()
                .map(|(tag, from, scheduled)| TagReference {
                    name: (*tag).into(),
                    from: Some(ObjectReference {
                        kind: SourceKind::DOCKER_IMAGE.into(),
                        name: (*from).into(),
                        ..ObjectReference::default()
                    }),
                    import_policy: TagImportPolicy {
                        insecure: true,
                        scheduled: *scheduled,
                        ..TagImportPolicy::default()
                    },
                    ..TagReference::default()
                })
                .collect(),
            ..Default::default()
        },
        ..ImageStream::default()
    }
}

async fn rows(services: &Services) -> HashMap<String, ScheduleRow> {
    services
        .store
        .schedule_rows(None)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (format!("{}:{}", row.stream, row.tag), row))
        .collect()
}

fn one_image(registry: &TestRegistry, repo: &str, tag: &str, env: &str) -> String {
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", env);
    let digest = image["digest"].as_str().unwrap().to_owned();
    layout.tag(tag, image);
    registry.push(&layout.path(), tag, repo);
    digest
}

#[tokio::test]
async fn a_tag_nobody_imported_is_imported_once_and_leaves_the_schedule() {
    let registry = TestRegistry::start_plain();
    let digest = one_image(&registry, "team/app", "1.0", "A=1");
    let (services, _store) = services_with(unlimited()).await;
    let from = format!("{}/team/app:1.0", registry.host);
    is::create(&services, NS, stream("app", &[("1.0", &from, false)]))
        .await
        .unwrap();
    let row = &rows(&services).await["app:1.0"];
    assert!(row.pending && !row.scheduled);
    assert!(row.due_ms <= clock::now_millis());

    let scheduler = Scheduler::new(services.clone(), "test");
    assert!(scheduler.clone().run_once().await);
    let app = is::get(&services, NS, "app").await.unwrap();
    assert_eq!(app.status_tag("1.0").unwrap().items[0].image, digest);
    assert!(
        rows(&services).await.is_empty(),
        "an imported, unscheduled tag needs no more checks"
    );
    assert!(!scheduler.run_once().await);
}

#[tokio::test]
async fn a_scheduled_tag_is_checked_again_one_interval_later() {
    let registry = TestRegistry::start_plain();
    let first = one_image(&registry, "team/app", "1.0", "A=1");
    let settings = ScheduleSettings {
        interval: Duration::from_secs(1),
        minimum_interval: Duration::from_secs(1),
        ..unlimited()
    };
    let (services, _store) = services_with(settings).await;
    let from = format!("{}/team/app:1.0", registry.host);
    is::create(&services, NS, stream("app", &[("1.0", &from, true)]))
        .await
        .unwrap();
    let scheduler = Scheduler::new(services.clone(), "test");
    let before = clock::now_millis();
    assert!(scheduler.clone().run_once().await);
    let row = rows(&services).await["app:1.0"].clone();
    assert!(row.scheduled && !row.pending);
    assert_eq!(row.last_result.as_deref(), Some("Success"));
    assert_eq!(row.failures, 0);
    // One interval (1 s) ± 10 %.
    let after = clock::now_millis();
    assert!(
        row.due_ms >= before + 900 && row.due_ms <= after + 1100,
        "{row:?}"
    );
    assert!(!scheduler.clone().run_once().await, "not due yet");

    // The tag moves in the registry; the next check finds it.
    let second = one_image(&registry, "team/app", "1.0", "A=2");
    tokio::time::sleep(Duration::from_millis(
        (row.due_ms - clock::now_millis()).max(0) as u64 + 50,
    ))
    .await;
    assert!(scheduler.run_once().await);
    let app = is::get(&services, NS, "app").await.unwrap();
    let history: Vec<&str> = app
        .status_tag("1.0")
        .unwrap()
        .items
        .iter()
        .map(|e| e.image.as_str())
        .collect();
    assert_eq!(history, [second.as_str(), first.as_str()]);
}

#[tokio::test]
async fn a_failing_tag_backs_off_and_a_fixed_source_is_due_at_once() {
    let registry = TestRegistry::start_plain();
    let (services, _store) = services_with(unlimited()).await;
    let missing = format!("{}/team/app:9.9", registry.host);
    is::create(&services, NS, stream("app", &[("9.9", &missing, true)]))
        .await
        .unwrap();
    let scheduler = Scheduler::new(services.clone(), "test");
    let before = clock::now_millis();
    assert!(scheduler.clone().run_once().await);
    let row = rows(&services).await["app:9.9"].clone();
    assert_eq!(row.failures, 1);
    assert_eq!(row.last_result.as_deref(), Some("Failure"));
    assert_eq!(
        row.last_error.as_deref(),
        Some(format!("dockerimage.image.openshift.io \"{missing}\" not found").as_str())
    );
    // The first backoff step: 30 s ± 10 %.
    assert!(
        row.due_ms >= before + 27_000 && row.due_ms <= clock::now_millis() + 33_000,
        "{row:?}"
    );
    assert!(!scheduler.clone().run_once().await);

    // Pointing the tag somewhere else makes it due now, failures forgotten.
    one_image(&registry, "team/app", "1.0", "A=1");
    let mut app = is::get(&services, NS, "app").await.unwrap();
    app.spec.tags[0].from.as_mut().unwrap().name = format!("{}/team/app:1.0", registry.host);
    is::replace(&services, NS, "app", app).await.unwrap();
    let row = rows(&services).await["app:9.9"].clone();
    assert_eq!(row.failures, 0);
    assert!(row.due_ms <= clock::now_millis());
    assert!(scheduler.run_once().await);
    assert_eq!(
        rows(&services).await["app:9.9"].last_result.as_deref(),
        Some("Success")
    );
}

#[tokio::test]
async fn rows_go_with_their_tags_and_streams_and_digest_pins_stop_after_success() {
    let registry = TestRegistry::start_plain();
    let digest = one_image(&registry, "team/app", "1.0", "A=1");
    let (services, _store) = services_with(unlimited()).await;
    let by_tag = format!("{}/team/app:1.0", registry.host);
    let by_digest = format!("{}/team/app@{digest}", registry.host);
    is::create(
        &services,
        NS,
        stream(
            "app",
            &[
                ("a", &by_tag, true),
                ("b", &by_tag, true),
                ("pinned", &by_digest, true),
            ],
        ),
    )
    .await
    .unwrap();
    assert_eq!(rows(&services).await.len(), 3);
    Scheduler::new(services.clone(), "test").run_once().await;
    let left = rows(&services).await;
    assert!(left.contains_key("app:a") && left.contains_key("app:b"));
    assert!(
        !left.contains_key("app:pinned"),
        "a digest never moves: no more checks"
    );

    is::delete_tag(&services, NS, "app:b", Default::default())
        .await
        .unwrap();
    assert!(!rows(&services).await.contains_key("app:b"));
    is::delete(&services, NS, "app").await.unwrap();
    assert!(rows(&services).await.is_empty());
}

#[tokio::test]
async fn with_scheduled_import_disabled_only_first_imports_run() {
    let registry = TestRegistry::start_plain();
    one_image(&registry, "team/app", "1.0", "A=1");
    let settings = ScheduleSettings {
        disabled: true,
        interval: Duration::from_secs(1),
        minimum_interval: Duration::ZERO,
        ..unlimited()
    };
    let (services, _store) = services_with(settings).await;
    let from = format!("{}/team/app:1.0", registry.host);
    is::create(&services, NS, stream("app", &[("1.0", &from, true)]))
        .await
        .unwrap();
    let scheduler = Scheduler::new(services.clone(), "test");
    assert!(
        scheduler.clone().run_once().await,
        "the first import still runs"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(!scheduler.run_once().await, "no periodic checks");
    assert_eq!(services.store.check_counts(0).await.unwrap().succeeded, 1);
}

#[tokio::test]
async fn two_schedulers_on_one_database_never_import_a_tag_twice() {
    let registry = TestRegistry::start_plain();
    one_image(&registry, "team/app", "1.0", "A=1");
    let (services, _store) = services_with(unlimited()).await;
    let from = format!("{}/team/app:1.0", registry.host);
    // 200 scheduled tags over 20 streams.
    for s in 0..20 {
        let tags: Vec<(String, String, bool)> = (0..10)
            .map(|t| (format!("t{t}"), from.clone(), true))
            .collect();
        let borrowed: Vec<(&str, &str, bool)> = tags
            .iter()
            .map(|(t, f, s)| (t.as_str(), f.as_str(), *s))
            .collect();
        is::create(&services, NS, stream(&format!("s{s}"), &borrowed))
            .await
            .unwrap();
    }
    let one = Scheduler::new(services.clone(), "replica-1");
    let two = Scheduler::new(services.clone(), "replica-2");
    let work = |scheduler: Arc<Scheduler>| async move {
        let mut rounds = 0;
        while scheduler.clone().run_once().await {
            rounds += 1;
        }
        rounds
    };
    let (a, b) = tokio::join!(work(one), work(two));
    assert!(a + b > 0);
    let rows = rows(&services).await;
    assert_eq!(rows.len(), 200);
    let unfinished: Vec<&ScheduleRow> = rows
        .values()
        .filter(|row| row.last_result.as_deref() != Some("Success"))
        .collect();
    assert!(unfinished.is_empty(), "{unfinished:#?}");
    let counts = services.store.check_counts(0).await.unwrap();
    assert_eq!(
        (counts.succeeded, counts.failed),
        (200, 0),
        "each tag checked exactly once"
    );
}

#[tokio::test]
async fn the_overview_sorts_tags_into_failing_and_due_and_counts_the_last_hour() {
    let registry = TestRegistry::start_plain();
    let (services, _store) = services_with(ScheduleSettings {
        max_imports_per_minute: 10,
        ..ScheduleSettings::default()
    })
    .await;
    one_image(&registry, "team/app", "1.0", "A=1");
    let good = format!("{}/team/app:1.0", registry.host);
    let missing = format!("{}/team/app:9.9", registry.host);
    is::create(
        &services,
        NS,
        stream("app", &[("1.0", &good, true), ("9.9", &missing, true)]),
    )
    .await
    .unwrap();
    let admin = engine::access::Caller::system("test");
    let before = engine::schedule::overview(&services, &admin, NS)
        .await
        .unwrap();
    assert_eq!(before.total, 2);
    assert_eq!(before.due_soon.len(), 2);
    assert!(before.failing.is_empty() && before.running.is_empty());
    assert_eq!(before.succeeded_last_hour + before.failed_last_hour, 0);

    Scheduler::new(services.clone(), "test").run_once().await;
    let after = engine::schedule::overview(&services, &admin, NS)
        .await
        .unwrap();
    let failing: Vec<&str> = after.failing.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(failing, ["9.9"]);
    assert_eq!(after.failing[0].failures, 1);
    assert!(
        after.failing[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("not found")
    );
    let due: Vec<&str> = after.due_soon.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(due, ["1.0"], "checked, due again one interval later");
    assert_eq!(after.due_soon[0].last_result.as_deref(), Some("Success"));
    assert_eq!((after.succeeded_last_hour, after.failed_last_hour), (1, 1));
    assert_eq!(after.rate_limit_use_percent(), Some(0), "2 of 600 per hour");

    let one = engine::schedule::of_tag(&services, &admin, NS, "app", "9.9")
        .await
        .unwrap();
    assert_eq!(one.unwrap().failures, 1);
    assert_eq!(
        engine::schedule::of_tag(&services, &admin, NS, "app", "nope")
            .await
            .unwrap(),
        None
    );
    // Every project's overview is for cluster admins only.
    let viewer = engine::access::Caller::of_user(&services.store, "nobody")
        .await
        .unwrap();
    assert!(
        engine::schedule::overview(&services, &viewer, "")
            .await
            .is_err()
    );
}
