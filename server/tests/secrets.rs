//! Secrets stay secret: a real server process, logging everything it can
//! (`debug`, JSON), is signed into, creates a user, refuses a wrong password,
//! answers API calls with a token, stores pull secrets and imports with one
//! from a registry that requires it, stores a webhook; afterwards no
//! response body, no log line and (on SQLite) no byte of the database holds
//! a password, the API token, a session id, a pull secret's password, a
//! webhook's secret or the secrets key in the clear.

mod support;

use std::time::Duration;

use base64::{Engine as _, engine::general_purpose::STANDARD};
use engine::registry::testing::{Layout, TestRegistry};
use engine::store::testing::fresh_database_url;
use support::{TOKEN, signal, start_logging};

const ADMIN_PASSWORD: &str = "the admin's password 7c1f";
const BOB_PASSWORD: &str = "bob's first password 93ad";
const WRONG_PASSWORD: &str = "a wrong guess for bob e41b";
const PULL_PASSWORD: &str = "the registry robot's password 5b0e";
const CONFIG_PASSWORD: &str = "a password inside a config.json 0d7a";
const WEBHOOK_SECRET: &str = "a webhook signing secret 61f3";
const SECRETS_KEY: &str = "9d2f0c4b7a1e6d3c8b5a2f9e4d7c1b6a3f8e5d2c9b4a7f1e6d3c8b5a2f9e4d7c";

#[tokio::test]
async fn no_response_log_or_stored_row_holds_a_password_token_or_session_id() {
    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let password_file = data_dir.path().join("admin-password");
    std::fs::write(&password_file, ADMIN_PASSWORD).unwrap();
    let key_file = data_dir.path().join("secrets-key");
    std::fs::write(&key_file, SECRETS_KEY).unwrap();
    let log = data_dir.path().join("server.log");
    let mut server = start_logging(
        &database_url,
        data_dir.path(),
        &[
            "--admin-password-file",
            password_file.to_str().unwrap(),
            "--secrets-key-file",
            key_file.to_str().unwrap(),
        ],
        &log,
    );
    let registry = TestRegistry::start_with_login("robot", PULL_PASSWORD);
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=1");
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", "private/app");
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

    // Pull secrets: a login and a config.json; listed; used by an import.
    let login = call(
        "create_pull_secret",
        Some(&csrf),
        serde_json::json!({
            "namespace": "openshift", "name": "robot", "registry": registry.host,
            "username": "robot", "password": PULL_PASSWORD, "config_json": "",
        }),
    )
    .await
    .unwrap();
    assert_eq!(login.status(), 200);
    bodies.push(login.text().await.unwrap());
    let config = serde_json::json!({"auths": {"quay.io": {
        "auth": STANDARD.encode(format!("someone:{CONFIG_PASSWORD}"))
    }}});
    let from_config = call(
        "create_pull_secret",
        Some(&csrf),
        serde_json::json!({
            "namespace": "openshift", "name": "quay", "registry": "", "username": "",
            "password": "", "config_json": config.to_string(),
        }),
    )
    .await
    .unwrap();
    assert_eq!(from_config.status(), 200);
    bodies.push(from_config.text().await.unwrap());
    let webhook = call(
        "create_webhook",
        Some(&csrf),
        serde_json::json!({"namespace": "openshift", "webhook": {
            "name": "hook", "url": "http://127.0.0.1:1/hook", "secret": WEBHOOK_SECRET,
            "events": ["TagMoved"],
        }}),
    )
    .await
    .unwrap();
    assert_eq!(webhook.status(), 200, "{}", webhook.text().await.unwrap());
    let listed = browser
        .post(format!("{base}/api/console/list_pull_secrets"))
        .header("cookie", format!("isc_session={session}"))
        .form(&[("namespace", "openshift")])
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    bodies.push(listed.text().await.unwrap());
    let imported = support::client()
        .post(format!(
            "{base}/apis/image.openshift.io/v1/namespaces/openshift/imagestreamimports"
        ))
        .json(&serde_json::json!({
            "apiVersion": "image.openshift.io/v1", "kind": "ImageStreamImport",
            "metadata": {"name": "app"},
            "spec": {"import": true, "images": [{
                "from": {"kind": "DockerImage", "name": format!("{}/private/app:1.0", registry.host)},
                "to": {"name": "1.0"}, "importPolicy": {"insecure": true}
            }]}
        }))
        .send()
        .await
        .unwrap();
    let imported = imported.text().await.unwrap();
    let answer: serde_json::Value = serde_json::from_str(&imported).unwrap();
    assert_eq!(
        answer["status"]["images"][0]["status"]["status"], "Success",
        "{imported}"
    );
    assert_eq!(answer["status"]["images"][0]["pullSecret"], "robot");
    bodies.push(imported);

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
        ("a pull secret's password", PULL_PASSWORD),
        ("a config.json's password", CONFIG_PASSWORD),
        ("a webhook's secret", WEBHOOK_SECRET),
        ("the secrets key", SECRETS_KEY),
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
