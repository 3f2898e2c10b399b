//! The server binary as an operator meets it: mistakes in the configuration
//! are one line and a non-zero exit with nothing left behind; SIGTERM lets a
//! request in flight finish, exits 0, and the data is there after a restart.

mod support;

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    process::{Command, Output},
    time::{Duration, Instant},
};

use engine::store::testing::fresh_database_url;
use support::{BINARY, TOKEN, create_team_project, free_port, http, signal, start, start_with};

fn run_to_end(args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .env_remove("ISC_DATABASE_URL")
        .env_remove("ISC_DATA_DIR")
        .output()
        .unwrap()
}

/// The process failed with exactly one line on stderr containing `expected`.
fn assert_one_line_failure(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert!(!output.status.success(), "should fail: {stderr}");
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(
        lines[0].contains(expected),
        "{:?} should contain {expected:?}",
        lines[0]
    );
}

#[test]
fn an_unknown_flag_is_one_line_and_exit_code_2() {
    let output = run_to_end(&["--no-such-flag"]);
    assert_one_line_failure(&output, "unexpected argument '--no-such-flag'");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_documents_every_setting_with_its_variable() {
    let output = run_to_end(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for (flag, variable) in [
        ("--listen", "ISC_LISTEN"),
        ("--data-dir", "ISC_DATA_DIR"),
        ("--database-url", "ISC_DATABASE_URL"),
        ("--log-level", "ISC_LOG_LEVEL"),
        ("--log-format", "ISC_LOG_FORMAT"),
        ("--site-root", "LEPTOS_SITE_ROOT"),
        ("--max-body-bytes", "ISC_MAX_BODY_BYTES"),
        ("--shutdown-timeout", "ISC_SHUTDOWN_TIMEOUT"),
        (
            "--scheduled-import-interval",
            "ISC_SCHEDULED_IMPORT_INTERVAL",
        ),
        (
            "--max-scheduled-imports-per-minute",
            "ISC_MAX_SCHEDULED_IMPORTS_PER_MINUTE",
        ),
        ("--disable-scheduled-import", "ISC_DISABLE_SCHEDULED_IMPORT"),
        ("--schedule-lease", "ISC_SCHEDULE_LEASE"),
        ("--secrets-key-file", "ISC_SECRETS_KEY"),
    ] {
        assert!(
            help.contains(flag) && help.contains(variable),
            "{flag} / {variable} missing:\n{help}"
        );
    }
}

#[test]
fn a_bad_database_url_leaves_nothing_behind() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let port = free_port().to_string();
    let listen = format!("127.0.0.1:{port}");
    for (url, expected) in [
        ("mysql://root:secret@localhost/console", "is not supported"),
        (
            "postgres://app:secret@127.0.0.1:1/console",
            "connection refused",
        ),
    ] {
        let output = run_to_end(&[
            "--listen",
            &listen,
            "--data-dir",
            data_dir.to_str().unwrap(),
            "--database-url",
            url,
        ]);
        assert_one_line_failure(&output, expected);
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains("secret"),
            "password leaked"
        );
        assert!(
            !data_dir.exists(),
            "the data directory was left behind for {url}"
        );
    }
}

#[test]
fn an_unusable_secrets_key_is_named_and_never_echoed() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let key_file = temp.path().join("key");
    std::fs::write(&key_file, "short-but-secret-key").unwrap();
    let listen = format!("127.0.0.1:{}", free_port());
    let output = run_to_end(&[
        "--listen",
        &listen,
        "--data-dir",
        data_dir.to_str().unwrap(),
        "--secrets-key-file",
        key_file.to_str().unwrap(),
    ]);
    assert_one_line_failure(
        &output,
        &format!(
            "the secrets key cannot be used: {}: the secrets key must be 64 hex digits",
            key_file.display()
        ),
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("short-but-secret-key"));
    assert!(!data_dir.exists());
    let missing = run_to_end(&["--secrets-key-file", "/nonexistent/key"]);
    assert_one_line_failure(&missing, "cannot read /nonexistent/key");
}

#[test]
fn a_port_in_use_is_named() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let listen = taken.local_addr().unwrap().to_string();
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let output = run_to_end(&[
        "--listen",
        &listen,
        "--data-dir",
        data_dir.to_str().unwrap(),
    ]);
    assert_one_line_failure(
        &output,
        &format!("cannot listen on {listen}: the address is already in use"),
    );
    assert!(!data_dir.exists());
}

#[test]
fn an_unusable_data_directory_is_named() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let listen = format!("127.0.0.1:{}", free_port());
    for data_dir in [file.clone(), file.join("below-a-file")] {
        let output = run_to_end(&[
            "--listen",
            &listen,
            "--data-dir",
            data_dir.to_str().unwrap(),
        ]);
        assert_one_line_failure(
            &output,
            &format!("the data directory {} cannot be used", data_dir.display()),
        );
    }
}

#[tokio::test]
async fn sigterm_lets_a_slow_request_finish_then_exits_0_and_the_data_survives() {
    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let mut server = start(&database_url, data_dir.path());

    // A client that sends its request slowly: headers and half the body now…
    let body = r#"{"request":{"name":"survivor"}}"#;
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "POST /api/console/create_project HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
         Accept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));

    // …then SIGTERM arrives, and only after it the rest of the body.
    signal(&server.child, "TERM");
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server must wait for the request in flight"
    );
    stream.write_all(rest.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""name":"survivor""#), "{response}");

    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean shutdown exits 0");

    let restarted = start(&database_url, data_dir.path());
    let listed = http(
        restarted.port,
        &format!("POST /api/console/list_projects HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {TOKEN}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    )
    .unwrap();
    assert!(listed.contains(r#""name":"survivor""#), "{listed}");
}

/// Creates `team/<name>` with `tags` scheduled tags `t0`, `t1`, … all
/// following `from` (a plain-HTTP registry).
async fn create_scheduled_stream(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    from: &str,
    tags: usize,
) {
    let tags: Vec<serde_json::Value> = (0..tags)
        .map(|t| {
            serde_json::json!({
                "name": format!("t{t}"),
                "from": {"kind": "DockerImage", "name": from},
                "importPolicy": {"insecure": true, "scheduled": true}
            })
        })
        .collect();
    let response = client
        .post(format!(
            "{base}/apis/image.openshift.io/v1/namespaces/team/imagestreams"
        ))
        .json(&serde_json::json!({"metadata": {"name": name}, "spec": {"tags": tags}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

/// How many tags of the `team` project's streams have an image, over HTTP.
async fn imported_tags(port: u16) -> usize {
    let list: serde_json::Value = support::client()
        .get(format!(
            "http://127.0.0.1:{port}/apis/image.openshift.io/v1/namespaces/team/imagestreams"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|stream| {
            stream["status"]["tags"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|tag| {
            tag["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
        })
        .count()
}

#[tokio::test]
async fn kill_9_in_the_middle_of_scheduled_imports_loses_none() {
    use engine::registry::testing::{Layout, TestRegistry};
    const STREAMS: usize = 20;
    const TAGS: usize = 10;
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "A=1");
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", "team/app");

    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    // 60 imports a minute, bursts of 120: the 200 tags take well over a
    // minute, so the kill lands in the middle.
    let mut server = start_with(
        &database_url,
        data_dir.path(),
        &[
            "--max-scheduled-imports-per-minute",
            "60",
            "--schedule-lease",
            "3",
        ],
    );
    let client = support::client();
    let base = format!("http://127.0.0.1:{}", server.port);
    create_team_project(&client, &base).await;
    let from = format!("{}/team/app:1.0", registry.host);
    for s in 0..STREAMS {
        create_scheduled_stream(&client, &base, &format!("s{s}"), &from, TAGS).await;
    }

    // Wait until the burst is through and the rate limit holds the rest.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut before_kill = 0;
    while Instant::now() < deadline {
        before_kill = imported_tags(server.port).await;
        if before_kill >= 100 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        (100..STREAMS * TAGS).contains(&before_kill),
        "the kill should land mid-way; {before_kill} imported"
    );
    signal(&server.child, "KILL");
    server.child.wait().unwrap();

    // Restarted without the rate limit: the dead process's leases run out
    // after 3 s and every tag gets its image.
    let restarted = start_with(
        &database_url,
        data_dir.path(),
        &[
            "--max-scheduled-imports-per-minute",
            "0",
            "--schedule-lease",
            "3",
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut imported = 0;
    while Instant::now() < deadline {
        imported = imported_tags(restarted.port).await;
        if imported == STREAMS * TAGS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        imported,
        STREAMS * TAGS,
        "every due tag imported after the restart"
    );
    let metrics = support::client()
        .get(format!("http://127.0.0.1:{}/metrics", restarted.port))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("isc_import_queue_depth 0"), "{metrics}");
}

/// How many tag changes wait in the outbox of the database at `url`.
async fn pending_tag_changes(url: &str) -> i64 {
    let store = engine::store::Store::open(url).await.unwrap();
    let pending = store.pending_tag_events().await.unwrap();
    store.close().await;
    pending
}

#[tokio::test]
async fn kill_9_between_tag_changes_and_their_builds_builds_each_change_exactly_once() {
    // Enough owners that the engine, recording a build of each for every
    // change, falls behind the pushes (each also authenticated and audited).
    const OWNERS: usize = 300;
    /// Changes per burst.
    const CHANGES: usize = 40;
    /// Bursts tried before the test gives up on killing mid-way.
    const BURSTS: usize = 4;
    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let mut server = start(&database_url, data_dir.path());
    let client = support::client();
    let base = format!("http://127.0.0.1:{}", server.port);
    create_team_project(&client, &base).await;
    let builds_url = format!("{base}/apis/build.openshift.io/v1/namespaces/team/buildconfigs");
    for n in 0..OWNERS {
        let bc = serde_json::json!({
            "kind": "BuildConfig",
            "metadata": {"name": format!("app-{n}")},
            "spec": {"triggers": [{"type": "ImageChange", "imageChange": {
                "from": {"kind": "ImageStreamTag", "name": "base:latest"}}}]}
        });
        let response = client.post(&builds_url).json(&bc).send().await.unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    }
    let digest = |n: usize| format!("sha256:{n:064x}");
    // Pushes arrive one after another, usually faster than 300 builds each
    // are recorded, and the server is killed right after the last one. The
    // kill must land while changes are still pending; when the engine kept
    // up anyway, the server is started again for another burst.
    let mut pushed = 0;
    let mut pending = 0;
    for burst in 0..BURSTS {
        if burst > 0 {
            server = start(&database_url, data_dir.path());
        }
        let base = format!("http://127.0.0.1:{}", server.port);
        for _ in 0..CHANGES {
            let response = client
                .post(format!(
                    "{base}/apis/image.openshift.io/v1/namespaces/team/imagestreammappings"
                ))
                .json(&serde_json::json!({
                    "metadata": {"name": "base"},
                    "image": {"metadata": {"name": digest(pushed)},
                              "dockerImageReference": format!("quay.io/team/base@{}", digest(pushed))},
                    "tag": "latest"
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            pushed += 1;
        }
        signal(&server.child, "KILL");
        server.child.wait().unwrap();
        pending = pending_tag_changes(&database_url).await;
        if pending > 0 {
            break;
        }
    }
    assert!(
        pending > 0,
        "the kill should land before the engine acted on every change (in any of {BURSTS} bursts)"
    );

    let restarted = start(&database_url, data_dir.path());
    let deadline = Instant::now() + Duration::from_secs(60);
    while pending_tag_changes(&database_url).await > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let builds: serde_json::Value = client
        .get(format!(
            "http://127.0.0.1:{}/apis/build.openshift.io/v1/namespaces/team/builds",
            restarted.port
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = builds["items"].as_array().unwrap();
    let expected_images: std::collections::BTreeSet<String> = (0..pushed)
        .map(|n| format!("quay.io/team/base@{}", digest(n)))
        .collect();
    for n in 0..OWNERS {
        let owner = format!("app-{n}");
        let mine: Vec<&serde_json::Value> = items
            .iter()
            .filter(|b| b["metadata"]["labels"]["buildconfig"] == owner.as_str())
            .collect();
        assert_eq!(
            mine.len(),
            pushed,
            "{owner}: one build per change, {pending} were pending at the kill"
        );
        let images: std::collections::BTreeSet<String> = mine
            .iter()
            .map(|b| {
                b["spec"]["triggeredBy"][0]["imageChangeBuild"]["imageID"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(images, expected_images, "{owner}: each image built once");
    }
}

/// `isc_scheduled_imports_total{result="success"}` of the server on `port`.
async fn scheduled_successes(port: u16) -> u64 {
    let metrics = support::client()
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("isc_scheduled_imports_total{result=\"success\"} "))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or_else(|| panic!("no success count in {metrics}"))
}

#[tokio::test]
async fn two_replicas_on_postgresql_share_500_scheduled_tags_and_import_each_once() {
    use engine::registry::testing::{Layout, TestRegistry};
    const STREAMS: usize = 50;
    const TAGS: usize = 10;
    let (database_url, _temp) = fresh_database_url().await;
    if !database_url.starts_with("postgres") {
        eprintln!(
            "skipped: several replicas need PostgreSQL (TEST_DATABASE_URL); SQLite runs one process"
        );
        return;
    }
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "A=1");
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", "team/app");

    // Two processes on one database; one interval is an hour, so within the
    // test every tag is owed exactly one check.
    let flags = [
        "--scheduled-import-interval",
        "3600",
        "--max-scheduled-imports-per-minute",
        "0",
        "--schedule-lease",
        "30",
    ];
    let (dir_one, dir_two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let one = start_with(&database_url, dir_one.path(), &flags);
    let two = start_with(&database_url, dir_two.path(), &flags);
    let client = support::client();
    let base_one = format!("http://127.0.0.1:{}", one.port);
    let base_two = format!("http://127.0.0.1:{}", two.port);
    create_team_project(&client, &base_one).await;
    let from = format!("{}/team/app:1.0", registry.host);
    for s in 0..STREAMS {
        // Half the streams through each replica.
        let base = if s % 2 == 0 { &base_one } else { &base_two };
        create_scheduled_stream(&client, base, &format!("s{s}"), &from, TAGS).await;
    }

    let deadline = Instant::now() + Duration::from_secs(120);
    let mut imported = 0;
    while Instant::now() < deadline {
        imported = imported_tags(two.port).await;
        if imported == STREAMS * TAGS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(imported, STREAMS * TAGS, "every tag imported");
    // Give a duplicate the chance to show, then count every check made.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let store = engine::store::Store::open(&database_url).await.unwrap();
    let checks = store.check_counts(0).await.unwrap();
    assert_eq!(
        (checks.succeeded, checks.failed),
        ((STREAMS * TAGS) as i64, 0),
        "each tag checked exactly once within the interval"
    );
    let (by_one, by_two) = (
        scheduled_successes(one.port).await,
        scheduled_successes(two.port).await,
    );
    eprintln!("replica one imported {by_one} tags, replica two {by_two}");
    assert_eq!(by_one + by_two, (STREAMS * TAGS) as u64);
    assert!(
        by_one > 0 && by_two > 0,
        "both replicas took a share: {by_one} and {by_two}"
    );
    store.close().await;
}
