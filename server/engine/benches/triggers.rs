//! Triggers at scale and webhook latency, on a real store:
//! 1. 1,000 BuildConfigs watch one tag; the tag moves; time until the trigger
//!    engine has recorded all 1,000 builds (five moves).
//! 2. A webhook subscribed to tag moves, a receiver on 127.0.0.1; the tag
//!    moves 200 times, one after another; time from the start of the write
//!    that moves the tag to the delivery arriving, with the trigger engine
//!    and the webhook sender running as the server runs them.
//!
//! `cargo bench -p engine --features testing --bench triggers`
//! (PostgreSQL: set `TEST_DATABASE_URL`.)

use std::time::{Duration, Instant};

use engine::{
    Services, Settings, imagestreams,
    model::webhooks::{NewWebhook, WebhookEvent},
    store::testing::{backend_under_test, fake_digest, mapping, services_with_project},
    triggers::{self, TriggerEngine},
    webhooks::{self, WebhookSender},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
    sync::mpsc,
};

const NS: &str = "bench";
const OWNERS: usize = 1_000;
const FAN_OUT_MOVES: u8 = 5;
const LATENCY_MOVES: usize = 200;

async fn move_tag(services: &Services, stream: &str, n: u8) {
    let digest = fake_digest(n);
    let reference = format!("quay.io/bench/{stream}@{digest}");
    imagestreams::map_image(services, NS, mapping(stream, "latest", &digest, &reference))
        .await
        .expect("move the tag");
}

async fn fan_out(services: &Services) {
    let mut yaml = String::new();
    for n in 0..OWNERS {
        yaml.push_str(&format!(
            "---\nkind: BuildConfig\nmetadata:\n  name: app-{n:04}\nspec:\n  triggers:\n  - type: ImageChange\n    imageChange:\n      from:\n        kind: ImageStreamTag\n        name: base:latest\n"
        ));
    }
    triggers::apply(services, NS, &yaml)
        .await
        .expect("apply the owners");
    let engine = TriggerEngine::new(services.clone());
    let mut times = Vec::new();
    for n in 1..=FAN_OUT_MOVES {
        let started = Instant::now();
        move_tag(services, "base", n).await;
        engine.drain().await.expect("drain");
        times.push(started.elapsed());
    }
    let builds = services
        .store
        .trigger_runs(NS, None)
        .await
        .expect("runs")
        .len();
    assert_eq!(
        builds,
        OWNERS * usize::from(FAN_OUT_MOVES),
        "one build per owner per move"
    );
    times.sort();
    println!(
        "1,000 triggers on one tag, move → all builds recorded: median {:.0} ms, max {:.0} ms ({} moves)",
        millis(times[times.len() / 2]),
        millis(*times.last().expect("times")),
        times.len()
    );
}

/// Answers every request 200 and reports when each body has arrived.
async fn receiver(arrived: mpsc::UnboundedSender<Instant>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let arrived = arrived.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0_u8; 4096];
                loop {
                    let Ok(read) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    buffer.extend_from_slice(&chunk[..read]);
                    let text = String::from_utf8_lossy(&buffer);
                    let Some(end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length: usize = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buffer.len() < end + 4 + length {
                        continue;
                    }
                    arrived.send(Instant::now()).ok();
                    buffer.drain(..end + 4 + length);
                    if socket
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    url
}

async fn webhook_latency(services: &Services) {
    let (sender, mut arrived) = mpsc::unbounded_channel();
    let url = receiver(sender).await;
    webhooks::create(
        services,
        NS,
        NewWebhook {
            name: "bench".into(),
            url,
            secret: "bench-secret-bench-secret".into(),
            events: vec![WebhookEvent::TagCreated, WebhookEvent::TagMoved],
        },
    )
    .await
    .expect("webhook");
    let shutdown = shutdown_signal();
    tokio::spawn(TriggerEngine::new(services.clone()).run(shutdown.0.clone().wait()));
    tokio::spawn(WebhookSender::new(services.clone()).run(shutdown.0.clone().wait()));
    let mut latencies = Vec::with_capacity(LATENCY_MOVES);
    for n in 0..LATENCY_MOVES {
        let started = Instant::now();
        move_tag(services, "web", (n % 250) as u8 + 1).await;
        let at = tokio::time::timeout(Duration::from_secs(10), arrived.recv())
            .await
            .expect("the delivery arrives")
            .expect("receiver running");
        latencies.push(at - started);
    }
    latencies.sort();
    let pick = |q: f64| {
        millis(latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)])
    };
    println!(
        "tag move → webhook delivered: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({LATENCY_MOVES} moves)",
        pick(0.50),
        pick(0.99),
        millis(*latencies.last().expect("latencies"))
    );
    shutdown.1.send(true).ok();
}

/// A shutdown signal for the background loops, from a watch channel.
fn shutdown_signal() -> (Shutdown, tokio::sync::watch::Sender<bool>) {
    let (sender, receiver) = tokio::sync::watch::channel(false);
    (Shutdown(receiver), sender)
}

#[derive(Clone)]
struct Shutdown(tokio::sync::watch::Receiver<bool>);

impl Shutdown {
    async fn wait(mut self) {
        self.0.wait_for(|stop| *stop).await.ok();
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    println!("backend: {}", backend_under_test());
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let key = engine::access::SecretsKey::parse(&"3c".repeat(32)).expect("a valid key");
    let services = services.with_secrets_key(key);
    fan_out(&services).await;
    webhook_latency(&services).await;
}
