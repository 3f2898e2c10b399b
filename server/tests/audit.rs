//! The audit log against a real server process: changes made by an admin's
//! token, a person's browser session and a refused viewer are recorded with
//! who, what, which object, from where and the answer; reads are not;
//! passwords never are; project admins read their project's entries, only
//! cluster admins read everything. And every server function is known to
//! the recorder as a read or a change.

mod support;

use engine::model::audit::{AuditEntry, AuditPage};
use engine::store::testing::fresh_database_url;
use serde_json::{Value, json};
use server::audit::{CHANGES, READS};
use support::{BrowserSession, client, create_team_project, sign_in_over_http, start_with};

const VIC_PASSWORD: &str = "vic's long first password";
const VIC_NEW_PASSWORD: &str = "vic's longer second password";
const PULL_PASSWORD: &str = "a registry password 4e1d";

#[test]
fn every_server_function_is_a_read_or_a_described_change() {
    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert!(
        paths.len() > 20,
        "server functions are registered: {paths:?}"
    );
    for path in &paths {
        let endpoint = path.strip_prefix("/api/console/").unwrap_or(path);
        let read = READS.contains(&endpoint);
        let change = CHANGES.iter().any(|(name, ..)| *name == endpoint);
        assert!(read != change, "{endpoint}: read {read}, change {change}");
    }
    for (name, ..) in CHANGES {
        assert!(
            paths.iter().any(|p| p.ends_with(&format!("/{name}"))),
            "{name} is not a server function"
        );
    }
}

async fn sign_in(base: &str, user: &str, password: &str) -> Option<BrowserSession> {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    sign_in_over_http(&browser, base, user, password).await
}

async fn call(
    base: &str,
    session: Option<&BrowserSession>,
    endpoint: &str,
    body: Value,
) -> (u16, String) {
    let request = match session {
        Some(session) => session.call(&reqwest::Client::new(), base, endpoint, &body),
        None => client()
            .post(format!("{base}/api/console/{endpoint}"))
            .header("accept", "application/json")
            .json(&body),
    };
    let answer = request.send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

async fn audit(
    base: &str,
    session: Option<&BrowserSession>,
    filter: Value,
) -> (u16, Vec<AuditEntry>) {
    let (status, body) = call(base, session, "list_audit_log", json!({"filter": filter})).await;
    if status != 200 {
        return (status, Vec::new());
    }
    let page: AuditPage = serde_json::from_str(&body).unwrap();
    (status, page.entries)
}

/// `(user, action, kind, namespace, name, status)` of each entry.
fn summary(entries: &[AuditEntry]) -> Vec<(String, String, String, String, String, u16)> {
    entries
        .iter()
        .map(|e| {
            (
                e.user.clone(),
                e.action.clone(),
                e.kind.clone(),
                e.namespace.clone(),
                e.name.clone(),
                e.status,
            )
        })
        .collect()
}

fn row(
    user: &str,
    action: &str,
    kind: &str,
    ns: &str,
    name: &str,
    status: u16,
) -> (String, String, String, String, String, u16) {
    (
        user.into(),
        action.into(),
        kind.into(),
        ns.into(),
        name.into(),
        status,
    )
}

#[tokio::test]
async fn changes_are_recorded_with_who_what_where_and_the_answer() {
    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let key_file = data_dir.path().join("key");
    std::fs::write(&key_file, "ab".repeat(32)).unwrap();
    let server = start_with(
        &database_url,
        data_dir.path(),
        &["--secrets-key-file", key_file.to_str().unwrap()],
    );
    let base = format!("http://127.0.0.1:{}", server.port);
    let admin = client();

    create_team_project(&admin, &base).await;
    let (status, _) = call(
        &base,
        None,
        "create_user",
        json!({"name": "vic", "password": VIC_PASSWORD}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        &base,
        None,
        "add_member",
        json!({"namespace": "team", "kind": "User", "name": "vic", "role": "view"}),
    )
    .await;
    assert_eq!(status, 200);
    // Reads are not recorded.
    admin
        .get(format!(
            "{base}/apis/image.openshift.io/v1/namespaces/team/imagestreams"
        ))
        .send()
        .await
        .unwrap();
    let members = admin
        .post(format!("{base}/api/console/list_members"))
        .form(&[("namespace", "team")])
        .send()
        .await
        .unwrap();
    assert_eq!(members.status(), 200);

    assert!(
        sign_in(&base, "vic", "not vic's password at all")
            .await
            .is_none()
    );
    let vic = sign_in(&base, "vic", VIC_PASSWORD)
        .await
        .expect("vic signs in");
    let secret = json!({
        "namespace": "team", "name": "quay", "registry": "quay.io", "username": "robot",
        "password": PULL_PASSWORD, "config_json": "",
    });
    let (status, _) = call(&base, Some(&vic), "create_pull_secret", secret.clone()).await;
    assert_eq!(status, 403, "a viewer may not add secrets");
    let (status, _) = call(&base, None, "create_pull_secret", secret).await;
    assert_eq!(status, 200);
    let missing = admin
        .delete(format!(
            "{base}/apis/image.openshift.io/v1/namespaces/team/imagestreams/nothing"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    // A dry run keeps nothing; its entry says so.
    let tried = admin
        .post(format!(
            "{base}/apis/image.openshift.io/v1/namespaces/team/imagestreams?dryRun=All"
        ))
        .json(
            &json!({"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": "tried"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(tried.status(), 201);

    let (status, entries) = audit(&base, None, json!({"namespace": "team"})).await;
    assert_eq!(status, 200);
    assert_eq!(
        summary(&entries),
        vec![
            row(
                "admin",
                "create (dry run)",
                "imagestreams",
                "team",
                "tried",
                201
            ),
            row("admin", "delete", "imagestreams", "team", "nothing", 404),
            row("admin", "create", "secrets", "team", "quay", 200),
            row("vic", "create", "secrets", "team", "quay", 403),
            row("admin", "create", "rolebindings", "team", "vic", 200),
            row("admin", "create", "projects", "team", "team", 201),
        ]
    );
    assert!(
        entries.iter().all(|e| e.client == "127.0.0.1"),
        "{entries:?}"
    );
    assert!(
        entries[1].message.contains("not found"),
        "{}",
        entries[1].message
    );
    assert!(
        entries[3]
            .message
            .contains("User \"vic\" cannot create resource \"secrets\""),
        "{}",
        entries[3].message
    );
    assert!(entries[2].message.is_empty());

    // Cluster-wide: the user and both sign-ins (the refused one with its reason).
    let (_, everything) = audit(&base, None, json!({"kind": "sessions"})).await;
    assert_eq!(
        summary(&everything),
        vec![
            row("vic", "sign-in", "sessions", "", "vic", 303),
            row("vic", "sign-in", "sessions", "", "vic", 401),
        ]
    );
    assert_eq!(everything[1].message, "wrong user name or password");
    let (_, failures) = audit(&base, None, json!({"failed_only": true, "user": "vic"})).await;
    assert_eq!(failures.len(), 2, "{failures:?}");
    // An applied YAML text is recorded with the names of what it touched.
    let (status, body) = call(
        &base,
        None,
        "apply_yaml",
        json!({
            "namespace": "team",
            "objects": "ImageStreams",
            "text": "kind: ImageStream\napiVersion: image.openshift.io/v1\nmetadata:\n  name: ruby\n---\nkind: ImageStream\napiVersion: image.openshift.io/v1\nmetadata:\n  name: python\n",
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, applied) = audit(
        &base,
        None,
        json!({"namespace": "team", "kind": "manifests"}),
    )
    .await;
    assert_eq!(
        summary(&applied),
        vec![row(
            "admin",
            "apply",
            "manifests",
            "team",
            "ruby, python",
            200
        )]
    );

    // Changing one's own password names the person whose password it is.
    let (status, _) = call(
        &base,
        Some(&vic),
        "change_password",
        json!({"current_password": VIC_PASSWORD, "new_password": VIC_NEW_PASSWORD}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, changed) = audit(&base, None, json!({"user": "vic", "kind": "users"})).await;
    assert_eq!(
        summary(&changed),
        vec![row("vic", "update", "users", "", "vic", 200)]
    );
    let (_, all) = audit(&base, None, json!({})).await;
    assert!(
        all.iter()
            .any(|e| e.kind == "users" && e.name == "vic" && e.namespace.is_empty())
    );
    let recorded = serde_json::to_string(&all).unwrap();
    for secret in [
        VIC_PASSWORD,
        VIC_NEW_PASSWORD,
        PULL_PASSWORD,
        "not vic's password at all",
        support::TOKEN,
    ] {
        assert!(!recorded.contains(secret), "the audit log holds a secret");
    }

    // A viewer reads no audit log; an admin of their own project reads its.
    let (status, _) = audit(&base, Some(&vic), json!({"namespace": "team"})).await;
    assert_eq!(status, 403);
    let (status, _) = call(
        &base,
        Some(&vic),
        "create_project",
        json!({"request": {"name": "vics", "display_name": "", "description": ""}}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, own) = audit(&base, Some(&vic), json!({"namespace": "vics"})).await;
    assert_eq!(status, 200);
    assert_eq!(
        summary(&own),
        vec![row("vic", "create", "projects", "vics", "vics", 200)]
    );
    let (status, _) = audit(&base, Some(&vic), json!({})).await;
    assert_eq!(
        status, 403,
        "only cluster admins read every project's entries"
    );

    // The export: the same entries as JSON Lines, for the same callers.
    let (_, entries) = audit(&base, None, json!({"namespace": "team"})).await;
    assert_eq!(entries.len(), 7, "{entries:?}");
    let exported = admin
        .get(format!("{base}/audit/export?namespace=team"))
        .send()
        .await
        .unwrap();
    assert_eq!(exported.status(), 200);
    assert_eq!(exported.headers()["content-type"], "application/x-ndjson");
    assert_eq!(
        exported.headers()["content-disposition"],
        "attachment; filename=\"audit-team.jsonl\""
    );
    let text = exported.text().await.unwrap();
    let lines: Vec<AuditEntry> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(summary(&lines), summary(&entries));
    let everything = admin
        .get(format!(
            "{base}/audit/export?namespace=&kind=sessions&failed_only=true"
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(everything.lines().count(), 1, "{everything}");
    assert!(everything.contains("wrong user name or password"));
    let whole = admin
        .get(format!("{base}/audit/export?namespace="))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for secret in [
        VIC_PASSWORD,
        VIC_NEW_PASSWORD,
        PULL_PASSWORD,
        "not vic's password at all",
        support::TOKEN,
    ] {
        assert!(!whole.contains(secret), "the export holds a secret");
    }
    let as_vic = |query: &'static str| {
        reqwest::Client::new()
            .get(format!("{base}/audit/export?{query}"))
            .header("cookie", &vic.cookie)
            .send()
    };
    assert_eq!(as_vic("namespace=vics").await.unwrap().status(), 200);
    assert_eq!(as_vic("namespace=team").await.unwrap().status(), 403);
    assert_eq!(as_vic("namespace=").await.unwrap().status(), 403);
}
