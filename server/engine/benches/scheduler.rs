//! The import scheduler with 100,000 scheduled tags in a real store
//! (`SCHEDULER_BENCH_TAGS=n` for another number; 10 tags per stream), all
//! importing from a real registry process (Debian's `docker-registry`) on
//! 127.0.0.1:
//! 1. idle - every tag due in an hour: the CPU the scheduler loop uses
//!    over 20 s, and the cost of one scheduling pass that finds nothing due;
//! 2. every tag due, no rate limit: imports per minute over 60 s;
//! 3. one tag of each stream due, `maxScheduledImageImportsPerMinute` 300:
//!    the import rate over 60 s once the burst (twice the rate) is spent,
//!    against 300 (target ±1%).
//!
//! `cargo bench -p engine --features testing --bench scheduler`
//! (PostgreSQL: set `TEST_DATABASE_URL`.)

use std::time::{Duration, Instant};

use engine::{
    Services, Settings, clock, imagestreams,
    model::{
        ImageStream, ImageStreamSpec, ObjectMeta, ObjectReference, TagImportPolicy, TagReference,
    },
    registry::testing::{Layout, TestRegistry},
    schedule::{ScheduleSettings, Scheduler},
    store::{
        ScheduleRow,
        testing::{add_project, backend_under_test, fresh_store},
    },
};
use tokio::sync::oneshot;

const NS: &str = "bench";
const TAGS_PER_STREAM: usize = 10;
const RATE: i64 = 300;

fn tags() -> usize {
    std::env::var("SCHEDULER_BENCH_TAGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn stream(index: usize, from: &str) -> ImageStream {
    ImageStream {
        metadata: ObjectMeta {
            name: format!("app-{index:05}"),
            ..ObjectMeta::default()
        },
        spec: ImageStreamSpec {
            tags: (0..TAGS_PER_STREAM)
                .map(|tag| TagReference {
                    name: format!("t{tag}"),
                    from: Some(ObjectReference {
                        kind: "DockerImage".into(),
                        name: from.to_owned(),
                        ..ObjectReference::default()
                    }),
                    import_policy: TagImportPolicy {
                        insecure: true,
                        scheduled: true,
                        ..TagImportPolicy::default()
                    },
                    ..TagReference::default()
                })
                .collect(),
            ..ImageStreamSpec::default()
        },
        ..ImageStream::default()
    }
}

fn services(store: &engine::store::Store, max_imports_per_minute: i64) -> Services {
    Services::new(
        store.clone(),
        Settings {
            schedule: ScheduleSettings {
                max_imports_per_minute,
                ..ScheduleSettings::default()
            },
            ..Settings::default()
        },
    )
}

/// Sets every tag due at `due_ms` (one transaction).
async fn all_due_at(services: &Services, due_ms: i64) {
    due_at(services, due_ms, |_| true).await;
}

/// Sets the tags `which` picks due at `due_ms` (one transaction).
async fn due_at(services: &Services, due_ms: i64, which: impl Fn(&ScheduleRow) -> bool) {
    let rows = services.store.schedule_rows(None).await.unwrap();
    let mut tx = services.store.write().await.unwrap();
    for row in rows.iter().filter(|row| which(row)) {
        tx.record_check(&row.namespace, &row.stream, &row.tag, None, 0, due_ms, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// This process's CPU time so far (user and system), from `/proc`.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15 of stat, counted from the pid.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// Runs a scheduler on `services` in the background until the sender is
/// dropped or sent to.
fn run(services: &Services) -> oneshot::Sender<()> {
    let (stop, stopped) = oneshot::channel::<()>();
    let scheduler = Scheduler::new(services.clone(), "bench");
    tokio::spawn(scheduler.run(async move {
        stopped.await.ok();
    }));
    stop
}

fn imports(services: &Services) -> u64 {
    let (succeeded, failed) = services.metrics.imports();
    assert_eq!(failed, 0, "no import fails against the local registry");
    succeeded
}

#[tokio::main]
async fn main() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=1");
    layout.tag("1", image);
    registry.push(&layout.path(), "1", "bench/app");
    let from = format!("{}/bench/app:1", registry.host);

    let store = fresh_store().await;
    add_project(&store, NS).await;
    let total = tags();
    println!(
        "backend: {}; {total} scheduled tags in {} streams",
        backend_under_test(),
        total / TAGS_PER_STREAM
    );
    let setup = services(&store.store, 0);
    let started = Instant::now();
    for index in 0..total / TAGS_PER_STREAM {
        imagestreams::create(&setup, NS, stream(index, &from))
            .await
            .unwrap();
    }
    println!("made in {:.1} s", started.elapsed().as_secs_f64());

    // 1. Idle.
    all_due_at(&setup, clock::now_millis() + 3_600_000).await;
    let idle = services(&store.store, 0);
    let scheduler = Scheduler::new(idle.clone(), "bench");
    let mut passes = Vec::new();
    for _ in 0..200 {
        let pass = Instant::now();
        assert!(!scheduler.clone().run_once().await);
        passes.push(pass.elapsed());
    }
    passes.sort();
    let cpu = cpu_time();
    let stop = run(&idle);
    tokio::time::sleep(Duration::from_secs(20)).await;
    let used = cpu_time() - cpu;
    stop.send(()).ok();
    println!(
        "idle: scheduling pass p50 {:.2} ms, p95 {:.2} ms; CPU {:.2}% of one core over 20 s",
        passes[passes.len() / 2].as_secs_f64() * 1000.0,
        passes[passes.len() * 95 / 100].as_secs_f64() * 1000.0,
        used.as_secs_f64() / 20.0 * 100.0
    );

    // 2. Every tag due, no rate limit.
    all_due_at(&setup, clock::now_millis() - 1).await;
    let unlimited = services(&store.store, 0);
    let stop = run(&unlimited);
    tokio::time::sleep(Duration::from_secs(10)).await;
    let from_count = imports(&unlimited);
    tokio::time::sleep(Duration::from_secs(60)).await;
    let per_minute = imports(&unlimited) - from_count;
    stop.send(()).ok();
    println!("every tag due, no rate limit: {per_minute} imports per minute");

    // 3. The rate limit, counted once the burst is spent (at the unlimited
    //    pace the burst of twice the rate lasts 2·RATE / (pace - RATE)
    //    minutes). One tag of each stream is due, so imports land one at a
    //    time (a stream's due tags go in one request, landing together).
    tokio::time::sleep(Duration::from_secs(3)).await;
    all_due_at(&setup, clock::now_millis() + 3_600_000).await;
    due_at(&setup, clock::now_millis() - 1, |row| row.tag == "t0").await;
    let limited = services(&store.store, RATE);
    let spent = if per_minute as i64 > RATE {
        2.0 * RATE as f64 / (per_minute as i64 - RATE) as f64 * 60.0
    } else {
        f64::INFINITY
    };
    let settle = Duration::from_secs_f64((spent + 10.0).clamp(30.0, 600.0));
    let stop = run(&limited);
    tokio::time::sleep(settle).await;
    // The rate between the first and the last import landing in the window.
    let window = Instant::now();
    let mut count = imports(&limited);
    let mut landings: Vec<(Instant, u64)> = Vec::new();
    while window.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = imports(&limited);
        if now != count {
            count = now;
            landings.push((Instant::now(), now));
        }
    }
    stop.send(()).ok();
    let (first, last) = (landings[0], landings[landings.len() - 1]);
    let rate = (last.1 - first.1) as f64 / last.0.duration_since(first.0).as_secs_f64() * 60.0;
    println!(
        "rate limit {RATE}/min: {:.1} imports per minute over {} imports from {:.0} s on ({:+.2}%)",
        rate,
        last.1 - first.1,
        settle.as_secs_f64(),
        (rate - RATE as f64) / RATE as f64 * 100.0
    );
}
