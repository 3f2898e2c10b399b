//! The shared samples in a running server: a first start with samples
//! `Managed` installs them into `openshift` (offline they wait, with the
//! reason, rather than break), and a cluster admin pointing them at a mirror
//! in the settings gets them imported from it at once, without a restart.

mod support;

use std::time::{Duration, Instant};

use engine::{
    registry::testing::{Layout, TestRegistry},
    store::testing::fresh_database_url,
};
use serde_json::{Value, json};
use support::start_with;

/// The stream `openshift/<name>` over the API, if it exists.
async fn shared_stream(client: &reqwest::Client, base: &str, name: &str) -> Option<Value> {
    let response = client
        .get(format!(
            "{base}/apis/image.openshift.io/v1/namespaces/openshift/imagestreams/{name}"
        ))
        .send()
        .await
        .unwrap();
    if response.status() == 404 {
        return None;
    }
    assert!(response.status().is_success(), "{}", response.status());
    Some(response.json().await.unwrap())
}

/// Tag `tag`'s status: whether it has an image, and its failed import's message.
fn tag_state(stream: &Value, tag: &str) -> (bool, Option<String>) {
    let Some(status) = stream["status"]["tags"]
        .as_array()
        .and_then(|tags| tags.iter().find(|t| t["tag"] == tag))
    else {
        return (false, None);
    };
    let imported = status["items"].as_array().is_some_and(|i| !i.is_empty());
    let failure = status["conditions"].as_array().and_then(|conditions| {
        conditions
            .iter()
            .find(|c| c["type"] == "ImportSuccess" && c["status"] == "False")
            .map(|c| c["message"].as_str().unwrap_or("").to_owned())
    });
    (imported, failure)
}

/// Calls console server function `endpoint` with a JSON body.
async fn console(client: &reqwest::Client, base: &str, endpoint: &str, body: Value) -> Value {
    let response = client
        .post(format!("{base}/api/console/{endpoint}"))
        .header("accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{endpoint}: {status} {text}");
    serde_json::from_str(&text).unwrap()
}

/// Loads with an empty form body (the default codec of read functions).
async fn load(client: &reqwest::Client, base: &str, endpoint: &str) -> Value {
    let response = client
        .post(format!("{base}/api/console/{endpoint}"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{endpoint}");
    response.json().await.unwrap()
}

/// Polls `check` until it holds or `seconds` pass.
async fn eventually<F, Fut>(seconds: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what} did not happen within {seconds} s");
}

#[tokio::test]
async fn samples_install_at_first_start_and_follow_the_mirror_set_in_the_settings() {
    let registry = TestRegistry::start_plain();
    for tag in ["3.3", "3.2"] {
        let mut layout = Layout::new();
        let image = layout.image("linux", "amd64", &format!("RUBY={tag}"));
        layout.tag(tag, image);
        registry.push(&layout.path(), tag, "library/ruby");
    }
    let (database_url, _temp) = fresh_database_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let server = start_with(
        &database_url,
        data_dir.path(),
        &["--samples-management-state", "Managed"],
    );
    let client = support::client();
    let base = format!("http://127.0.0.1:{}", server.port);

    // First start: every sample is installed, and each ruby tag either has
    // its image (with access to Docker Hub) or says why not (without).
    eventually(30, "the ruby sample's first import", || async {
        let Some(ruby) = shared_stream(&client, &base, "ruby").await else {
            return false;
        };
        ["3.3", "3.2"].iter().all(|tag| {
            let (imported, failure) = tag_state(&ruby, tag);
            imported || failure.is_some()
        })
    })
    .await;
    for name in ["python", "nodejs", "postgresql", "dotnet"] {
        assert!(
            shared_stream(&client, &base, name).await.is_some(),
            "{name}"
        );
    }
    // The samples own what they set (metadata.managedFields).
    let python = shared_stream(&client, &base, "python").await.unwrap();
    assert_eq!(
        python["metadata"]["managedFields"][0]["manager"], "image-stream-console-samples",
        "{python}"
    );

    // The admin lets imports reach the mirror, then points the samples at it.
    let settings = load(&client, &base, "load_cluster_settings").await;
    let mut policy = settings["policy"].clone();
    policy["registrySources"]["insecureRegistries"] = json!([registry.host]);
    console(
        &client,
        &base,
        "save_cluster_settings",
        json!({"policy": policy, "resource_version": settings["resource_version"]}),
    )
    .await;
    let samples = load(&client, &base, "load_samples").await;
    assert_eq!(samples["config"]["managementState"], "Managed");
    let skipped: Vec<&str> = samples["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .filter(|name| *name != "ruby")
        .collect();
    let saved = console(
        &client,
        &base,
        "save_samples",
        json!({
            "config": {"managementState": "Managed", "skippedImagestreams": skipped, "samplesRegistry": registry.host},
            "resource_version": samples["resource_version"],
        }),
    )
    .await;
    let ruby_row = saved["samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ruby")
        .unwrap();
    assert_eq!(
        ruby_row["source"],
        format!("{}/library/ruby:3.3", registry.host)
    );

    // Without waiting for the next pass, both tags come from the mirror.
    eventually(20, "the import from the mirror", || async {
        let ruby = shared_stream(&client, &base, "ruby").await.unwrap();
        ["3.3", "3.2"].iter().all(|tag| {
            let (imported, failure) = tag_state(&ruby, tag);
            imported && failure.is_none()
        })
    })
    .await;
    let ruby = shared_stream(&client, &base, "ruby").await.unwrap();
    let spec = ruby["status"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tag"] == "3.3")
        .unwrap()["items"][0]["dockerImageReference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        spec.starts_with(&format!("{}/library/ruby@sha256:", registry.host)),
        "{spec}"
    );

    // The change is in the audit log, under the samples' kind.
    let audit = console(
        &client,
        &base,
        "list_audit_log",
        json!({"filter": {"kind": "configs.samples.operator.openshift.io"}}),
    )
    .await;
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["action"], "update");
    assert_eq!(entries[0]["status"], 200);
}
