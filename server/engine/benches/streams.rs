//! Apply 1,000 image streams of 10 tags each through the YAML path, then list
//! and describe them; prints wall time per phase and the process's peak
//! memory. Runs on SQLite in a temporary directory, or on the PostgreSQL that
//! `TEST_DATABASE_URL` names.
//!
//! `cargo bench -p engine --features testing --bench streams`

use std::time::{Duration, Instant};

use engine::{
    Services, Settings, imagestreams,
    manifests::{apply, to_yaml},
    model::NewProject,
    projects,
    store::testing::{backend_under_test, fresh_store},
};

const STREAMS: usize = 1_000;
const TAGS: usize = 10;
const NAMESPACE: &str = "bench";

fn stream_yaml(index: usize) -> String {
    let mut yaml = format!(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: app-{index:04}\n  annotations:\n    openshift.io/display-name: App {index}\nspec:\n  tags:\n"
    );
    for tag in 0..TAGS {
        yaml.push_str(&format!(
            "  - name: '1.{tag}'\n    reference: true\n    annotations:\n      tags: builder,app\n    from:\n      kind: DockerImage\n      name: quay.io/bench/app-{index:04}:1.{tag}\n"
        ));
    }
    yaml
}

fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn report(phase: &str, operations: usize, elapsed: Duration) {
    println!(
        "{phase:<34} {operations:>6} ops  {:>9.2} s  {:>8.3} ms/op",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / operations as f64
    );
}

#[tokio::main]
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
    let services = Services::new(store.store.clone(), Settings::default());
    let texts: Vec<String> = (0..STREAMS).map(stream_yaml).collect();
    println!(
        "backend: {}; {STREAMS} streams x {TAGS} tags",
        backend_under_test()
    );

    let started = Instant::now();
    for text in &texts {
        apply(&services, NAMESPACE, text).await.unwrap();
    }
    report("apply (one stream per call)", STREAMS, started.elapsed());

    let started = Instant::now();
    for text in &texts {
        let applied = apply(&services, NAMESPACE, text).await.unwrap();
        assert_eq!(
            applied[0].action,
            engine::manifests::AppliedAction::Unchanged
        );
    }
    report("apply again (unchanged)", STREAMS, started.elapsed());

    let started = Instant::now();
    let rounds = 20;
    let mut listed = 0;
    for _ in 0..rounds {
        listed = imagestreams::list(&services, NAMESPACE)
            .await
            .unwrap()
            .len();
    }
    assert_eq!(listed, STREAMS);
    report("list all 1,000 (oc get is)", rounds, started.elapsed());

    let started = Instant::now();
    let mut bytes = 0;
    for index in 0..STREAMS {
        let stream = imagestreams::get(&services, NAMESPACE, &format!("app-{index:04}"))
            .await
            .unwrap();
        assert_eq!(stream.status.tags.len(), TAGS);
        bytes += to_yaml(&[stream]).len();
    }
    report(
        "describe each (get + YAML export)",
        STREAMS,
        started.elapsed(),
    );
    println!("exported YAML: {} KiB in all", bytes / 1024);
    println!("peak memory (VmHWM): {} MiB", peak_memory_kib() / 1024);
}
