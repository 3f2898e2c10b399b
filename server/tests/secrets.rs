//! Secrets stay secret: a real server process, logging everything it can
//! (`debug`, JSON), is signed into, creates a user, refuses a wrong password,
//! answers API calls with a token; afterwards no response body, no log line
//! and (on SQLite) no byte of the database holds a password, the API token or
//! a session id in the clear.

mod support;

use std::time::Duration;

use engine::store::testing::fresh_database_url;
use support::{TOKEN, signal, start_logging};

const ADMIN_PASSWORD: &str = "the admin's password 7c1f";
const BOB_PASSWORD: &str = "bob's first password 93ad";
const WRONG_PASSWORD: &str = "a wrong guess for bob e41b";

#[tokio::test]
async fn no_response_log_or_stored_row_holds_a_password_token_or_session_id() {
    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let password_file = data_dir.path().join("admin-password");
    std::fs::write(&password_file, ADMIN_PASSWORD).unwrap();
    let log = data_dir.path().join("server.log");
    let mut server = start_logging(
        &database_url,
        data_dir.path(),
        &["--admin-password-file", password_file.to_str().unwrap()],
        &log,
    );
    let base = format!("http://127.0.0.1:{}", server.port);
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut bodies = Vec::new();
    let mut sessions = Vec::new();

    // The admin signs in, reads who they are, creates bob.
    let signed_in = browser
        .post(format!("{base}/auth/sign-in"))
        .header("accept", "text/html")
        .form(&[
            ("user", "admin"),
            ("password", ADMIN_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    let session = cookie
        .strip_prefix("isc_session=")
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_owned();
    sessions.push(session.clone());
    let call = |endpoint: &str, csrf: Option<&str>, body: serde_json::Value| {
        let mut request = browser
            .post(format!("{base}/api/console/{endpoint}"))
            .header("cookie", format!("isc_session={session}"))
            .header("accept", "application/json")
            .json(&body);
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.send()
    };
    let me: serde_json::Value = call("current_user", None, serde_json::json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();
    let created = call(
        "create_user",
        Some(&csrf),
        serde_json::json!({"name": "bob", "password": BOB_PASSWORD}),
    )
    .await
    .unwrap();
    assert_eq!(created.status(), 200);
    bodies.push(created.text().await.unwrap());

    // Bob: a wrong password, then the right one.
    for password in [WRONG_PASSWORD, BOB_PASSWORD] {
        let answer = browser
            .post(format!("{base}/auth/sign-in"))
            .header("accept", "application/json")
            .form(&[("user", "bob"), ("password", password)])
            .send()
            .await
            .unwrap();
        if let Some(cookie) = answer.headers().get("set-cookie") {
            let value = cookie.to_str().unwrap();
            sessions.push(
                value["isc_session=".len()..]
                    .split(';')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
        bodies.push(answer.text().await.unwrap());
    }
    assert_eq!(sessions.len(), 2, "bob signed in once");

    // A program with the token: lists, a refused call, a page.
    let program = support::client();
    for path in [
        "/apis/project.openshift.io/v1/projects",
        "/apis/image.openshift.io/v1/namespaces/openshift/imagestreams",
        "/apis/image.openshift.io/v1/namespaces/nowhere/imagestreams/x",
        "/",
    ] {
        let answer = program.get(format!("{base}{path}")).send().await.unwrap();
        bodies.push(answer.text().await.unwrap());
    }
    let page = browser
        .get(format!("{base}/"))
        .header("cookie", format!("isc_session={session}"))
        .send()
        .await
        .unwrap();
    bodies.push(page.text().await.unwrap());

    signal(&server.child, "TERM");
    server.child.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("signed in"), "the log is written: {logged}");

    let secrets: Vec<(&str, &str)> = [
        ("the admin's password", ADMIN_PASSWORD),
        ("bob's password", BOB_PASSWORD),
        ("the wrong password", WRONG_PASSWORD),
        ("the API token", TOKEN),
    ]
    .into_iter()
    .chain(sessions.iter().map(|id| ("a session id", id.as_str())))
    .collect();
    for (what, secret) in &secrets {
        assert!(!logged.contains(secret), "the log holds {what}");
        // Responses may carry a session id only in the cookie that sets it.
        for body in &bodies {
            assert!(!body.contains(secret), "a response holds {what}: {body}");
        }
    }
    if let Some(path) = database_url.strip_prefix("sqlite://") {
        let mut stored = std::fs::read(path).unwrap();
        stored.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        let stored = String::from_utf8_lossy(&stored);
        for (what, secret) in &secrets {
            assert!(
                !stored.contains(secret),
                "the database holds {what} in the clear"
            );
        }
        assert!(
            stored.contains("$argon2id$"),
            "passwords are stored as argon2id hashes"
        );
    }
}
