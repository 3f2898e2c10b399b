//! Live updates through the running server: `/events` streams a project's
//! changes, a reconnection with `Last-Event-ID` is replayed what it missed,
//! bad parameters are named, an open stream does not hold up shutdown, and
//! on PostgreSQL a change made through one server reaches a page open on
//! another.

mod support;

use std::time::{Duration, Instant};

use engine::store::testing::fresh_database_url;
use support::{Server, create_team_project, signal, start};

/// One server-sent event.
#[derive(Debug, Default, Clone)]
struct Sse {
    event: String,
    id: Option<String>,
    data: String,
}

/// Reads events off an open `/events` response.
struct EventReader {
    response: reqwest::Response,
    buffer: String,
}

impl EventReader {
    async fn open(port: u16, query: &str, last_event_id: Option<&str>) -> EventReader {
        let mut request = support::client().get(format!("http://127.0.0.1:{port}/events?{query}"));
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        EventReader {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (comments, such as keep-alives, skipped).
    async fn next(&mut self) -> Sse {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = Sse::default();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        event.event = value.trim().into();
                    } else if let Some(value) = line.strip_prefix("id:") {
                        event.id = Some(value.trim().into());
                    } else if let Some(value) = line.strip_prefix("data:") {
                        event.data.push_str(value.trim());
                    }
                }
                if !event.event.is_empty() {
                    return event;
                }
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.response.chunk())
                .await
                .expect("an event within 20 s")
                .unwrap()
                .expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next `change` event's data.
    async fn next_change(&mut self) -> (String, serde_json::Value) {
        let event = self.next().await;
        assert_eq!(event.event, "change", "{event:?}");
        (
            event.id.expect("a change carries its id"),
            serde_json::from_str(&event.data).unwrap(),
        )
    }
}

async fn create_stream(port: u16, namespace: &str, name: &str) {
    let response = support::client()
        .post(format!(
            "http://127.0.0.1:{port}/apis/image.openshift.io/v1/namespaces/{namespace}/imagestreams"
        ))
        .json(&serde_json::json!({"metadata": {"name": name}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

async fn started() -> (Server, tempfile::TempDir, Option<tempfile::TempDir>, String) {
    let (database_url, temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let server = start(&database_url, data_dir.path());
    create_team_project(
        &support::client(),
        &format!("http://127.0.0.1:{}", server.port),
    )
    .await;
    (server, data_dir, temp, database_url)
}

#[tokio::test]
async fn a_page_sees_its_projects_changes_and_after_a_drop_is_replayed_what_it_missed() {
    let (server, _data, _db, _url) = started().await;
    let port = server.port;
    let mut events = EventReader::open(port, "namespaces=team", None).await;
    let ready = events.next().await;
    assert_eq!(ready.event, "ready");
    assert!(ready.data.contains("cursor"), "{ready:?}");

    create_stream(port, "openshift", "not-followed").await;
    create_stream(port, "team", "ruby").await;
    let (last_id, change) = events.next_change().await;
    assert_eq!(change["namespace"], "team");
    assert_eq!(change["name"], "ruby", "openshift's change is not sent");
    assert_eq!(change["resource"], "imagestreams.image.openshift.io");
    assert_eq!(change["event"], "ADDED");

    // The page goes away; changes happen; it comes back with Last-Event-ID.
    drop(events);
    create_stream(port, "team", "python").await;
    create_stream(port, "team", "golang").await;
    let mut events = EventReader::open(port, "namespaces=team", Some(&last_id)).await;
    assert_eq!(events.next().await.event, "ready");
    let replayed = [
        events.next_change().await.1["name"].clone(),
        events.next_change().await.1["name"].clone(),
    ];
    assert_eq!(replayed, ["python", "golang"]);
    create_stream(port, "team", "php").await;
    assert_eq!(events.next_change().await.1["name"], "php");
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let (server, _data, _db, _url) = started().await;
    let client = support::client();
    for (query, expected) in [
        (
            "since=yesterday",
            "since: \"yesterday\" is not a change-log position",
        ),
        ("since=-4", "since: \"-4\""),
        ("namespaces=team,Not_A_Project", "namespaces: "),
    ] {
        let response = client
            .get(format!("http://127.0.0.1:{}/events?{query}", server.port))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let text = response.text().await.unwrap();
        assert!(text.contains(expected), "{query}: {text}");
    }
}

#[tokio::test]
async fn an_open_stream_does_not_hold_up_a_graceful_shutdown() {
    let (mut server, _data, _db, _url) = started().await;
    let mut events = EventReader::open(server.port, "namespaces=team", None).await;
    assert_eq!(events.next().await.event, "ready");
    let asked = Instant::now();
    signal(&server.child, "TERM");
    let status = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0));
    // The default shutdown timeout is 30 s; a stream that held the server
    // up would make it wait all of that.
    assert!(
        asked.elapsed() < Duration::from_secs(15),
        "the stream ended with the server"
    );
}

#[tokio::test]
async fn on_postgres_a_change_made_through_one_server_reaches_a_page_on_another() {
    let (first, _data, _db, database_url) = started().await;
    if !database_url.starts_with("postgres") {
        eprintln!("skipped: needs TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let second_data = tempfile::tempdir().unwrap();
    let second = start(&database_url, second_data.path());
    let mut events = EventReader::open(second.port, "namespaces=team", None).await;
    assert_eq!(events.next().await.event, "ready");
    create_stream(first.port, "team", "made-on-the-first").await;
    assert_eq!(events.next_change().await.1["name"], "made-on-the-first");
}
