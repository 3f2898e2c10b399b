//! The Kubernetes-style list `kubectl get is --chunk-size=50` reads: a page
//! of 50 image streams out of 10,000 in one project, over real HTTP on
//! 127.0.0.1 with a bearer token (target: 5,000 requests per second on 2
//! cores), with p50 and p99 latency; the first page, a page from the middle
//! (a `continue` token), the same as a kubectl Table, and the first page
//! while another stream changes 50 times a second (each change makes the
//! next request read the page again). The load comes
//! from `wrk` (Debian's package) when it is installed, else from this
//! process; either way 64 keep-alive connections share the 2 cores with the
//! server. SQLite in a temporary directory, or the PostgreSQL that
//! `TEST_DATABASE_URL` names.
//!
//! `cargo bench -p server --bench api_list`

use std::time::{Duration, Instant};

use engine::{
    Settings, imagestreams as is,
    model::{ImageStream, ObjectMeta, TagReference},
    store::testing::{ADMIN_TOKEN, backend_under_test, services_with_project},
};
use leptos::config::LeptosOptions;
use server::{router::router, state::AppState};

const STREAMS: usize = 10_000;
const CONNECTIONS: usize = 64;
const SECONDS: u64 = 10;
const NAMESPACE: &str = "bench";

fn stream(index: usize) -> ImageStream {
    let mut stream = ImageStream {
        metadata: ObjectMeta {
            name: format!("app-{index:05}"),
            ..ObjectMeta::default()
        },
        ..ImageStream::default()
    };
    for tag in ["1.0", "latest"] {
        stream.spec.tags.push(TagReference {
            name: tag.into(),
            from: Some(engine::model::ObjectReference {
                kind: "DockerImage".into(),
                name: format!("quay.io/bench/app-{index:05}:{tag}"),
                ..Default::default()
            }),
            reference: true,
            ..TagReference::default()
        });
    }
    stream
}

fn percentile(sorted: &[Duration], fraction: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

/// Runs `wrk` against `url`; `None` when it is not installed.
fn measure_with_wrk(label: &str, url: &str, table: bool) -> Option<()> {
    let mut command = std::process::Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{CONNECTIONS}"),
        &format!("-d{SECONDS}s"),
        "--latency",
    ]);
    command.args(["-H", &format!("Authorization: Bearer {ADMIN_TOKEN}")]);
    if table {
        command.args(["-H", &format!("Accept: {TABLE}")]);
    }
    let output = command.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && !text.contains("Non-2xx"),
        "wrk: {text}"
    );
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(prefix))
            .map(|rest| rest.trim().to_owned())
            .unwrap_or_default()
    };
    println!(
        "{label:<32} {:>8} req/s  p50 {:>9}  p99 {:>9}  (wrk)",
        field("Requests/sec:"),
        field("50%"),
        field("99%")
    );
    Some(())
}

async fn measure(base: &str, label: &str, path: &str, table: bool) {
    if measure_with_wrk(label, &format!("{base}{path}"), table).is_some() {
        return;
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    let url = format!("{base}{path}");
    let accept = if table { TABLE } else { "application/json" };
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, url) = (client.clone(), url.clone());
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < deadline {
                let started = Instant::now();
                let response = client
                    .get(&url)
                    .bearer_auth(ADMIN_TOKEN)
                    .header("accept", accept)
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                let body = response.bytes().await.unwrap();
                assert!(body.len() > 1000);
                times.push(started.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for worker in workers {
        times.extend(worker.await.unwrap());
    }
    times.sort();
    println!(
        "{label:<32} {:>8.0} req/s  p50 {:>6.2}ms  p99 {:>6.2}ms  (in-process client, {} requests)",
        times.len() as f64 / SECONDS as f64,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.len()
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (services, _store) = services_with_project(NAMESPACE, Settings::default()).await;
        engine::store::testing::admin_token(&services.store).await;
        for index in 0..STREAMS {
            is::create(&services, NAMESPACE, stream(index)).await.unwrap();
        }
        // The live feed runs as in the server (lists take their version from it).
        tokio::spawn(
            services
                .live
                .clone()
                .run(services.store.clone(), std::future::pending()),
        );
        let state = AppState::new(
            LeptosOptions::builder()
                .output_name("image-stream-console")
                .build(),
            services.clone(),
        );
        let app = router(state, 64 * 1024);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        println!(
            "backend: {}; {STREAMS} streams in one project; {CONNECTIONS} connections for {SECONDS} s each",
            backend_under_test()
        );
        let list = format!("/apis/image.openshift.io/v1/namespaces/{NAMESPACE}/imagestreams?limit=50");
        let middle = server_continue_token("app-05000");
        measure(&base, "first page of 50", &list, false).await;
        measure(&base, "page of 50 from the middle", &format!("{list}&continue={middle}"), false).await;
        measure(&base, "first page of 50 as a Table", &list, true).await;
        // Every change makes the next request for a page read it again.
        let churn = tokio::spawn(change_a_stream_every(services, Duration::from_millis(20)));
        measure(&base, "first page, 50 changes a second", &list, false).await;
        churn.abort();
    });
}

/// Flips `lookupPolicy.local` of the last stream (outside the pages read)
/// every `period`, as imports and tags change streams in a busy project.
async fn change_a_stream_every(services: engine::Services, period: Duration) {
    let last = format!("app-{:05}", STREAMS - 1);
    let mut local = false;
    let mut ticks = tokio::time::interval(period);
    loop {
        ticks.tick().await;
        local = !local;
        is::set_image_lookup(&services, NAMESPACE, &last, local)
            .await
            .unwrap();
    }
}

/// The `continue` token the server hands out after `name` (base64url).
fn server_continue_token(name: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(name)
}
