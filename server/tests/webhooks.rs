//! Webhooks end to end on a real store and a real HTTP receiver on
//! 127.0.0.1: a tag move and the build it triggers are delivered, signed,
//! once each; a receiver that fails is retried; redelivery sends the same
//! payload again with a new delivery id.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post};
use engine::{
    Services, Settings,
    access::SecretsKey,
    imagestreams as is,
    model::webhooks::{NewWebhook, WebhookEvent},
    store::testing::{TestStore, fake_digest, mapping, services_with_project},
    triggers::{self, TriggerEngine},
    webhooks::{self, WebhookSender},
};

const NS: &str = "team";
const SECRET: &str = "s3cret-s3cret-s3cret";

/// What the receiver saw: per delivery id, the event and body; and how
/// many requests it refused on purpose.
#[derive(Default)]
struct Received {
    deliveries: BTreeMap<i64, (String, serde_json::Value)>,
    attempts: usize,
    fail_first: usize,
}

async fn receive(
    State(received): State<Arc<Mutex<Received>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let timestamp: i64 = header(webhooks::TIMESTAMP_HEADER)
        .parse()
        .unwrap_or_default();
    if !webhooks::verify(
        SECRET,
        timestamp,
        &body,
        &header(webhooks::SIGNATURE_HEADER),
    ) {
        return StatusCode::UNAUTHORIZED;
    }
    let mut received = received.lock().unwrap();
    received.attempts += 1;
    if received.fail_first > 0 {
        received.fail_first -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let id: i64 = header(webhooks::DELIVERY_HEADER).parse().unwrap();
    assert!(
        received
            .deliveries
            .insert(id, (header(webhooks::EVENT_HEADER), payload))
            .is_none(),
        "delivery {id} arrived twice"
    );
    StatusCode::NO_CONTENT
}

async fn start_receiver(fail_first: usize) -> (String, Arc<Mutex<Received>>) {
    let received = Arc::new(Mutex::new(Received {
        fail_first,
        ..Received::default()
    }));
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn setup(url: &str) -> (Services, TestStore) {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let services = services.with_secrets_key(SecretsKey::parse(&"9b".repeat(32)).unwrap());
    webhooks::create(
        &services,
        NS,
        NewWebhook {
            name: "ci".into(),
            url: url.into(),
            secret: SECRET.into(),
            events: vec![
                WebhookEvent::TagCreated,
                WebhookEvent::TagMoved,
                WebhookEvent::TriggerFired,
            ],
        },
    )
    .await
    .unwrap();
    // Stored sealed: the database alone does not give the secret away.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&store.url).await.unwrap();
    let stored: (String, i32) = sqlx::query_as("SELECT secret, secret_sealed FROM webhooks")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        !stored.0.contains(SECRET) && stored.0.starts_with("v1:"),
        "{stored:?}"
    );
    assert_eq!(stored.1, 1);
    (services, store)
}

async fn push(services: &Services, n: u8) {
    let digest = fake_digest(n);
    let reference = format!("quay.io/team/base@{digest}");
    let pushed = mapping("base", "latest", &digest, &reference);
    is::map_image(services, NS, pushed).await.unwrap();
}

const BUILD_CONFIG: &str = r#"{"kind": "BuildConfig", "metadata": {"name": "app"},
  "spec": {"triggers": [{"type": "ImageChange", "imageChange": {"from": {"kind": "ImageStreamTag", "name": "base:latest"}}}]}}"#;

#[tokio::test]
async fn tag_moves_and_fired_triggers_are_delivered_signed_and_once() {
    let (url, received) = start_receiver(0).await;
    let (services, _store) = setup(&url).await;
    triggers::apply(&services, NS, BUILD_CONFIG).await.unwrap();
    push(&services, 1).await;
    push(&services, 2).await;
    TriggerEngine::new(services.clone()).drain().await.unwrap();
    let sender = WebhookSender::new(services.clone());
    assert_eq!(sender.send_due().await.unwrap(), 4);
    assert_eq!(sender.send_due().await.unwrap(), 0);

    {
        let received = received.lock().unwrap();
        let events: Vec<&str> = received
            .deliveries
            .values()
            .map(|(event, _)| event.as_str())
            .collect();
        assert_eq!(
            events,
            ["tag-created", "trigger-fired", "tag-moved", "trigger-fired"]
        );
        let moved = &received.deliveries.values().nth(2).unwrap().1;
        assert_eq!(moved["project"], NS);
        assert_eq!(moved["stream"], "base");
        assert_eq!(moved["tag"], "latest");
        assert_eq!(moved["old"]["digest"], fake_digest(1));
        assert_eq!(
            moved["new"]["pullSpec"],
            format!("quay.io/team/base@{}", fake_digest(2))
        );
        let fired = &received.deliveries.values().nth(3).unwrap().1;
        assert_eq!(fired["run"], "app-2");
        assert_eq!(fired["owner"]["kind"], "BuildConfig");
    }

    let log = webhooks::deliveries(&services, NS).await.unwrap();
    assert!(
        log.iter()
            .all(|d| d.state == "delivered" && d.status_code == Some(204)),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_failing_receiver_is_retried_and_a_delivery_can_be_sent_again() {
    let (url, received) = start_receiver(1).await;
    let (services, _store) = setup(&url).await;
    push(&services, 1).await;
    TriggerEngine::new(services.clone()).drain().await.unwrap();
    let sender = WebhookSender::new(services.clone());
    assert_eq!(sender.send_due().await.unwrap(), 1);
    let log = webhooks::deliveries(&services, NS).await.unwrap();
    assert_eq!(
        (log[0].state.as_str(), log[0].status_code),
        ("pending", Some(503))
    );
    assert!(log[0].last_error.as_deref().unwrap().contains("503"));

    // The retry is due a second after the first failure.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(sender.send_due().await.unwrap(), 1);
    let log = webhooks::deliveries(&services, NS).await.unwrap();
    assert_eq!((log[0].state.as_str(), log[0].attempts), ("delivered", 2));

    let again = webhooks::redeliver(&services, NS, log[0].id).await.unwrap();
    assert_ne!(again, log[0].id);
    sender.send_due().await.unwrap();
    let received = received.lock().unwrap();
    assert_eq!(received.attempts, 3);
    let payloads: Vec<&serde_json::Value> = received.deliveries.values().map(|(_, p)| p).collect();
    assert_eq!(payloads.len(), 2);
    assert_eq!(payloads[0], payloads[1]);
}

#[tokio::test]
async fn webhook_fields_are_checked_by_name() {
    let (services, _store) = setup("http://127.0.0.1:9/hook").await;
    let refused = webhooks::create(
        &services,
        NS,
        NewWebhook {
            name: "x".into(),
            url: "not a url".into(),
            secret: "short".into(),
            events: vec![],
        },
    )
    .await;
    let Err(engine::Error::Invalid(errors)) = refused else {
        panic!("{refused:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["url", "secret", "events"]);
}

#[tokio::test]
async fn a_secret_sealed_with_another_key_is_not_sent_and_the_log_says_why() {
    let (url, received) = start_receiver(0).await;
    let (services, _store) = setup(&url).await;
    push(&services, 1).await;
    TriggerEngine::new(services.clone()).drain().await.unwrap();
    let rekeyed = services
        .clone()
        .with_secrets_key(SecretsKey::parse(&"01".repeat(32)).unwrap());
    assert_eq!(WebhookSender::new(rekeyed).send_due().await.unwrap(), 1);
    assert_eq!(received.lock().unwrap().attempts, 0, "nothing was posted");
    let log = webhooks::deliveries(&services, NS).await.unwrap();
    assert_eq!(
        log[0].state, "pending",
        "retried later, in case the key comes back"
    );
    assert_eq!(
        log[0].last_error.as_deref(),
        Some(
            "the webhook's secret cannot be opened: it was sealed with a different secrets key, or altered"
        )
    );
}
