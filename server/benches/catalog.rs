//! Server render time of the catalog page with 1,000 builder image streams
//! (target: p50 under 30 ms): the whole page as a browser first gets it,
//! rendered by Leptos through the real router on a real store, and the same
//! with a search in the URL, and the first page after each of 200 changes in
//! another project and in this one. Runs on SQLite in a temporary directory, or on
//! the PostgreSQL that `TEST_DATABASE_URL` names.
//!
//! `cargo bench -p server --bench catalog`

use std::time::{Duration, Instant};

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Request, StatusCode},
};
use engine::{
    Services, Settings,
    manifests::apply,
    model::NewProject,
    projects,
    store::testing::{backend_under_test, fresh_store},
};
use leptos::config::LeptosOptions;
use server::{router::router, state::AppState};
use tower::ServiceExt;

const STREAMS: usize = 1_000;
const ROUNDS: usize = 200;

fn streams() -> usize {
    std::env::var("CATALOG_BENCH_STREAMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(STREAMS)
}
const NAMESPACE: &str = "bench";
/// A project whose changes the bench's catalog does not show.
const OTHER_NAMESPACE: &str = "elsewhere";
const LANGUAGES: [&str; 8] = [
    "ruby", "python", "nodejs", "golang", "php", "perl", "java", "dotnet",
];

/// A builder stream with three versions, described as the samples describe theirs.
fn stream_yaml(index: usize) -> String {
    let language = LANGUAGES[index % LANGUAGES.len()];
    let mut yaml = format!(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: {language}-{index:04}\n  annotations:\n    openshift.io/display-name: {language} {index}\n    openshift.io/provider-display-name: Bench, Inc.\nspec:\n  tags:\n"
    );
    for minor in 0..3 {
        yaml.push_str(&format!(
            "  - name: '3.{minor}'\n    reference: true\n    annotations:\n      tags: builder,{language}\n      iconClass: icon-{language}\n      description: Build and run {language} 3.{minor} applications on UBI 9. For more information see the README.\n      sampleRepo: https://example.com/{language}-ex.git\n      version: '3.{minor}'\n    from:\n      kind: DockerImage\n      name: quay.io/bench/{language}-{index:04}:3.{minor}\n"
        ));
    }
    yaml
}

async fn render(app: &Router, path: &str) -> (Duration, usize) {
    let started = Instant::now();
    let request = Request::get(path)
        .header(
            "authorization",
            format!("Bearer {}", engine::store::testing::ADMIN_TOKEN),
        )
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (started.elapsed(), body.len())
}

fn percentile(sorted: &[Duration], fraction: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn measure(app: &Router, label: &str, path: &str) {
    measure_after(app, label, path, None).await;
}

/// Renders `path` `ROUNDS` times; with `changed`, each render follows a
/// write to a stream of that project (not timed).
async fn measure_after(app: &Router, label: &str, path: &str, changed: Option<(&Services, &str)>) {
    render(app, path).await;
    let mut times = Vec::with_capacity(ROUNDS);
    let mut bytes = 0;
    for round in 0..ROUNDS {
        if let Some((services, namespace)) = changed {
            let yaml = format!(
                "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: moving\n  labels:\n    round: '{round}'\n"
            );
            apply(services, namespace, &yaml).await.unwrap();
        }
        let (elapsed, size) = render(app, path).await;
        times.push(elapsed);
        bytes = size;
    }
    times.sort();
    println!(
        "{label:<34} p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms  {:>4} KiB",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0),
        bytes / 1024
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let store = fresh_store().await;
    projects::create(
        &store,
        &engine::access::Caller::system("bench"),
        NewProject {
            name: NAMESPACE.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    engine::store::testing::admin_token(&store.store).await;
    projects::create(
        &store,
        &engine::access::Caller::system("bench"),
        NewProject {
            name: OTHER_NAMESPACE.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let services = Services::new(store.store.clone(), Settings::default());
    // The live feed follows the change log, as in the server (the catalog
    // reads only the changed streams again when it knows which changed).
    tokio::spawn(
        services
            .live
            .clone()
            .run(store.store.clone(), std::future::pending::<()>()),
    );
    for index in 0..streams() {
        apply(&services, NAMESPACE, &stream_yaml(index))
            .await
            .unwrap();
    }
    let state = AppState::new(
        LeptosOptions::builder()
            .output_name("image-stream-console")
            .build(),
        services.clone(),
    );
    let app = router(state, 64 * 1024);
    println!(
        "backend: {}; {} builder streams x 3 versions; {ROUNDS} renders each",
        backend_under_test(),
        streams()
    );
    measure(
        &app,
        "catalog, first page",
        &format!("/ns/{NAMESPACE}/catalog"),
    )
    .await;
    measure(
        &app,
        "catalog, search and category",
        &format!("/ns/{NAMESPACE}/catalog?q=python+3.2&category=languages"),
    )
    .await;
    measure(
        &app,
        "catalog, page 2 by update",
        &format!("/ns/{NAMESPACE}/catalog?sort=updated&page=2"),
    )
    .await;
    measure_after(
        &app,
        "catalog, another project changed",
        &format!("/ns/{NAMESPACE}/catalog"),
        Some((&services, OTHER_NAMESPACE)),
    )
    .await;
    measure_after(
        &app,
        "catalog, this project changed",
        &format!("/ns/{NAMESPACE}/catalog"),
        Some((&services, NAMESPACE)),
    )
    .await;
}
