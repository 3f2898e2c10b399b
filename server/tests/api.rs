//! The Kubernetes-style API through the real router: OpenShift's JSON in and
//! out, errors as `Status` objects with the right codes.

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Method, Request, StatusCode, header},
};
use engine::{
    Services, Settings,
    manifests::decode_image_streams,
    store::testing::{TestStore, fresh_store},
};
use leptos::config::LeptosOptions;
use serde_json::{Value, json};
use server::{router::router, state::AppState};
use tower::ServiceExt;

const IS: &str = "/apis/image.openshift.io/v1/namespaces/team";

async fn app() -> (Router, TestStore) {
    let store = fresh_store().await;
    engine::store::testing::admin_token(&store.store).await;
    let state = AppState::new(
        LeptosOptions::builder()
            .output_name("image-stream-console")
            .build(),
        Services::new(store.store.clone(), Settings::default()),
    );
    let app = router(state, 1024 * 1024);
    let (status, _) = call(
        &app,
        Method::POST,
        "/apis/project.openshift.io/v1/projectrequests",
        Some(json!({"metadata": {"name": "team"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    (app, store)
}

async fn call(
    app: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    call_with(app, method, path, "application/json", body).await
}

/// [`call`] with a body of any media type.
async fn call_with(
    app: &Router,
    method: Method,
    path: &str,
    content_type: &str,
    body: Body,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", engine::store::testing::ADMIN_TOKEN),
        )
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn seed(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/engine/tests/fixtures/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let decoded = decode_image_streams(&text).unwrap();
    serde_json::to_value(&decoded[0].stream).unwrap()
}

#[tokio::test]
async fn projects_are_requested_listed_read_and_deleted() {
    let (app, _store) = app().await;
    let (_, list) = call(
        &app,
        Method::GET,
        "/apis/project.openshift.io/v1/projects",
        None,
    )
    .await;
    assert_eq!(list["kind"], "ProjectList");
    let names: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["default", "openshift", "team"]);

    let (status, project) = call(
        &app,
        Method::GET,
        "/apis/project.openshift.io/v1/projects/openshift",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        project["metadata"]["annotations"]["openshift.io/display-name"],
        "Shared images"
    );
    assert_eq!(project["status"]["phase"], "Active");

    let (status, deleted) = call(
        &app,
        Method::DELETE,
        "/apis/project.openshift.io/v1/projects/team",
        None,
    )
    .await;
    assert_eq!(
        (status, deleted["status"].as_str()),
        (StatusCode::OK, Some("Success"))
    );
    let (status, missing) = call(
        &app,
        Method::GET,
        "/apis/project.openshift.io/v1/projects/team",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["reason"], "NotFound");
    assert_eq!(
        missing["message"],
        "projects.project.openshift.io \"team\" not found"
    );

    let (status, invalid) = call(
        &app,
        Method::POST,
        "/apis/project.openshift.io/v1/projectrequests",
        Some(json!({"metadata": {"name": "Bad"}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid["details"]["causes"][0]["field"], "metadata.name");
}

#[tokio::test]
async fn the_seed_examples_go_through_the_api_and_come_back_with_an_equal_spec() {
    let (app, _store) = app().await;
    for file in [
        "001-dockerimagerepository.yaml",
        "001-scheduled.yaml",
        "001-catalog.yaml",
        "004-approved-apache.yaml",
    ] {
        let mut object = seed(file);
        object["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("namespace");
        let (status, created) = call(
            &app,
            Method::POST,
            &format!("{IS}/imagestreams"),
            Some(object.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{file}: {created}");
        let name = created["metadata"]["name"].as_str().unwrap().to_owned();
        let (_, read) = call(
            &app,
            Method::GET,
            &format!("{IS}/imagestreams/{name}"),
            None,
        )
        .await;
        assert_eq!(read["spec"], created["spec"], "{file}");
        assert_eq!(
            read["spec"]["tags"].as_array().map(Vec::len),
            object["spec"]["tags"].as_array().map(Vec::len)
        );
        let stored_tags = read["spec"]["tags"].as_array().cloned().unwrap_or_default();
        for (given, stored) in object["spec"]["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(&stored_tags)
        {
            assert_eq!(given["name"], stored["name"]);
            assert_eq!(given["from"], stored["from"], "{file}");
        }
        let (status, _) = call(
            &app,
            Method::DELETE,
            &format!("{IS}/imagestreams/{name}"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn updates_without_the_current_resource_version_conflict() {
    let (app, _store) = app().await;
    let (_, created) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreams"),
        Some(seed("004-approved-apache.yaml")),
    )
    .await;
    let mut change = created.clone();
    change["spec"]["lookupPolicy"]["local"] = json!(true);
    let (status, updated) = call(
        &app,
        Method::PUT,
        &format!("{IS}/imagestreams/approved-apache"),
        Some(change.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["metadata"]["generation"], 2);

    let (status, conflict) = call(
        &app,
        Method::PUT,
        &format!("{IS}/imagestreams/approved-apache"),
        Some(change),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["reason"], "Conflict");
    assert!(
        conflict["message"]
            .as_str()
            .unwrap()
            .contains("the object has been modified")
    );
}

#[tokio::test]
async fn bad_objects_are_refused_naming_the_field() {
    let (app, _store) = app().await;
    let mut unknown = seed("004-approved-apache.yaml");
    unknown["spec"]["tagz"] = json!([]);
    let (status, refused) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreams"),
        Some(unknown),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("strict decoding error: spec.tagz: unknown field `tagz`"),
        "{refused}"
    );

    let mut invalid = seed("004-approved-apache.yaml");
    invalid["spec"]["tags"][0]["from"]["kind"] = json!("Docker");
    let (status, refused) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreams"),
        Some(invalid),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["reason"], "Invalid");
    assert_eq!(
        refused["details"]["causes"][0]["field"],
        "spec.tags[2.4].from.kind"
    );
    assert!(refused["message"].as_str().unwrap().starts_with(
        "ImageStream.image.openshift.io \"approved-apache\" is invalid: spec.tags[2.4].from.kind"
    ));
}

#[tokio::test]
async fn tags_images_and_mappings() {
    let (app, _store) = app().await;
    let digest = format!("sha256:{}", "ab".repeat(32));
    let mapping = json!({
        "apiVersion": "image.openshift.io/v1", "kind": "ImageStreamMapping",
        "metadata": {"name": "app"}, "tag": "1",
        "image": {"metadata": {"name": digest}, "dockerImageReference": format!("quay.io/app@{digest}"),
                  "dockerImageMetadata": {"Architecture": "amd64", "Config": {"Env": ["A=b"]}}}
    });
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreammappings"),
        Some(mapping),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, istag) = call(
        &app,
        Method::GET,
        &format!("{IS}/imagestreamtags/app:1"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(istag["kind"], "ImageStreamTag");
    assert_eq!(
        istag["image"]["dockerImageMetadata"]["Config"]["Env"][0],
        "A=b"
    );

    let (status, isimage) = call(
        &app,
        Method::GET,
        &format!("{IS}/imagestreamimages/app@abab"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(isimage["image"]["metadata"]["name"], digest);

    let put = json!({"metadata": {"name": "app:latest", "annotations": {"note": "alias"}},
                     "tag": {"name": "latest", "from": {"kind": "ImageStreamTag", "name": "app:1"}}});
    let (status, latest) = call(
        &app,
        Method::PUT,
        &format!("{IS}/imagestreamtags/app:latest"),
        Some(put),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{latest}");
    assert_eq!(latest["image"]["metadata"]["name"], digest);
    assert_eq!(latest["metadata"]["annotations"]["note"], "alias");

    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("{IS}/imagestreamtags/app:latest"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, gone) = call(
        &app,
        Method::GET,
        &format!("{IS}/imagestreamtags/app:latest"),
        None,
    )
    .await;
    assert_eq!(
        (status, gone["reason"].as_str()),
        (StatusCode::NOT_FOUND, Some("NotFound"))
    );
}

#[tokio::test]
async fn image_stream_imports_look_up_and_import_from_a_real_registry() {
    use engine::registry::testing::{Layout, TestRegistry};
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=api");
    let digest = image["digest"].as_str().unwrap().to_owned();
    layout.tag("2.0", image);
    registry.push(&layout.path(), "2.0", "team/api");
    let (app, _store) = app().await;
    let from = format!("{}/team/api:2.0", registry.host);
    let body = |import: bool| {
        json!({
            "apiVersion": "image.openshift.io/v1",
            "kind": "ImageStreamImport",
            "metadata": {"name": "api"},
            "spec": {
                "import": import,
                "images": [{
                    "from": {"kind": "DockerImage", "name": from},
                    "to": {"name": "2.0"},
                    "importPolicy": {"insecure": true}
                }]
            }
        })
    };

    let (status, dry) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreamimports"),
        Some(body(false)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{dry}");
    assert_eq!(dry["status"]["images"][0]["status"]["status"], "Success");
    assert_eq!(
        dry["status"]["images"][0]["image"]["metadata"]["name"],
        digest.as_str()
    );
    assert!(
        dry["status"]["import"].is_null(),
        "a dry run imports nothing"
    );
    let (status, _) = call(&app, Method::GET, &format!("{IS}/imagestreams/api"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, done) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreamimports"),
        Some(body(true)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(
        done["status"]["import"]["status"]["tags"][0]["items"][0]["image"],
        digest.as_str()
    );
    let (status, tag) = call(
        &app,
        Method::GET,
        &format!("{IS}/imagestreamtags/api:2.0"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        tag["image"]["dockerImageMetadata"]["Config"]["Env"][0],
        "APP=api"
    );

    let mut bad = body(true);
    bad["spec"]["images"][0]["from"]["kind"] = json!("ImageStreamTag");
    let (status, refused) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreamimports"),
        Some(bad),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(
        refused["details"]["causes"][0]["field"],
        "spec.images[0].from.kind"
    );
}

#[tokio::test]
async fn images_page_by_digest_and_a_page_the_selector_empties_does_not_end_the_list() {
    let (app, _store) = app().await;
    for (tag, byte, labels) in [("1", "00", json!({})), ("2", "ff", json!({"team": "web"}))] {
        let digest = format!("sha256:{}", byte.repeat(32));
        let mapping = json!({
            "apiVersion": "image.openshift.io/v1", "kind": "ImageStreamMapping",
            "metadata": {"name": "app"}, "tag": tag,
            "image": {"metadata": {"name": digest, "labels": labels},
                      "dockerImageReference": format!("quay.io/app@{digest}")}
        });
        let (status, body) = call(
            &app,
            Method::POST,
            &format!("{IS}/imagestreammappings"),
            Some(mapping),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let images = "/apis/image.openshift.io/v1/images";
    let (status, all) = call(&app, Method::GET, images, None).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(all["items"].as_array().unwrap().len(), 2);

    // The first page of one holds only the unlabelled image: it comes back
    // empty, with a token that leads on to the labelled one.
    let selected = format!("{images}?limit=1&labelSelector=team%3Dweb");
    let (_, first) = call(&app, Method::GET, &selected, None).await;
    assert_eq!(first["items"], json!([]));
    let token = first["metadata"]["continue"].as_str().expect("more pages");
    let (_, second) = call(
        &app,
        Method::GET,
        &format!("{selected}&continue={token}"),
        None,
    )
    .await;
    assert_eq!(
        second["items"][0]["metadata"]["name"],
        format!("sha256:{}", "ff".repeat(32))
    );
}

#[tokio::test]
async fn a_page_read_again_after_any_change_and_gone_with_its_project() {
    let (app, _store) = app().await;
    let names = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["metadata"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    for name in ["a", "c"] {
        let (status, _) = call(
            &app,
            Method::POST,
            &format!("{IS}/imagestreams"),
            Some(json!({"metadata": {"name": name}})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let page = format!("{IS}/imagestreams?limit=2");
    let (status, first) = call(&app, Method::GET, &page, None).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(names(&first), ["a", "c"]);
    let (_, again) = call(&app, Method::GET, &page, None).await;
    assert_eq!(again, first, "nothing changed, the same page");

    // A new stream inside the page, and a change to one on it, show at once.
    let (status, _) = call(
        &app,
        Method::POST,
        &format!("{IS}/imagestreams"),
        Some(json!({"metadata": {"name": "b"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let request = Request::builder()
        .method(Method::PATCH)
        .uri(format!("{IS}/imagestreams/a"))
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", engine::store::testing::ADMIN_TOKEN),
        )
        .header(header::CONTENT_TYPE, "application/merge-patch+json")
        .body(Body::from(r#"{"metadata":{"labels":{"tier":"web"}}}"#))
        .unwrap();
    let patched = app.clone().oneshot(request).await.unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    let (_, after) = call(&app, Method::GET, &page, None).await;
    assert_eq!(names(&after), ["a", "b"]);
    assert_eq!(after["items"][0]["metadata"]["labels"]["tier"], "web");
    assert_ne!(
        after["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"],
        "{after}"
    );
    let next = after["metadata"]["continue"].as_str().unwrap().to_owned();
    let (_, rest) = call(&app, Method::GET, &format!("{page}&continue={next}"), None).await;
    assert_eq!(names(&rest), ["c"]);

    let (status, _) = call(
        &app,
        Method::DELETE,
        "/apis/project.openshift.io/v1/projects/team",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, gone) = call(&app, Method::GET, &page, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
}

/// A server-side apply of `body` at `path`.
async fn apply(app: &Router, path: &str, body: String) -> (StatusCode, Value) {
    call_with(
        app,
        Method::PATCH,
        path,
        "application/apply-patch+yaml",
        Body::from(body),
    )
    .await
}

/// OpenShift 3's `apiVersion: v1` YAML, applied server-side at the legacy
/// path: created, answered as `v1`, owned by the applier; YAML that is not
/// an ImageStream of this name is refused with the reason.
#[tokio::test]
async fn server_side_apply_works_at_the_legacy_paths_and_refuses_bad_bodies() {
    let (app, _store) = app().await;
    let yaml = std::fs::read_to_string(format!(
        "{}/engine/tests/fixtures/seeds/001-scheduled.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (status, created) = apply(
        &app,
        "/api/v1/namespaces/team/imagestreams/ruby?fieldManager=ops",
        yaml.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["apiVersion"], "v1");
    assert_eq!(created["metadata"]["managedFields"][0]["manager"], "ops");
    assert_eq!(
        created["metadata"]["managedFields"][0]["operation"],
        "Apply"
    );

    let (status, refused) = apply(
        &app,
        &format!("{IS}/imagestreams/python?fieldManager=ops"),
        yaml.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused["message"],
        "the name of the object (ruby) does not match the name on the URL (python)"
    );
    let (status, refused) = apply(
        &app,
        &format!("{IS}/imagestreams/ruby?fieldManager=ops"),
        "kind: [unclosed".to_owned(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .starts_with("the apply configuration cannot be read: line "),
        "{refused}"
    );
    let (status, refused) = apply(
        &app,
        &format!("{IS}/imagestreams/ruby?fieldManager=ops"),
        yaml.replace("ImageStream", "BuildConfig"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused["message"],
        "the kind in the data (BuildConfig) does not match the expected kind (ImageStream)"
    );
}

/// An apply that names a `resourceVersion` is a precondition, as in
/// Kubernetes: it creates a stream that is not there yet, changes one still
/// at that version, and is refused with a conflict once the stream moved on.
#[tokio::test]
async fn server_side_apply_checks_a_resource_version_it_is_given() {
    let (app, _store) = app().await;
    let path = format!("{IS}/imagestreams/web?fieldManager=ops");
    let config = |version: &str, tier: &str| {
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: web\n  resourceVersion: \"{version}\"\n  labels:\n    tier: {tier}\n"
        )
    };
    let (status, created) = apply(&app, &path, config("12345", "a")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let version = created["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_owned();

    let (status, changed) = apply(&app, &path, config(&version, "b")).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["metadata"]["labels"]["tier"], "b");
    assert_ne!(changed["metadata"]["resourceVersion"], version.as_str());

    let (status, refused) = apply(&app, &path, config(&version, "c")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["reason"], "Conflict");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("the object has been modified"),
        "{refused}"
    );
    let (_, now) = call(&app, Method::GET, &format!("{IS}/imagestreams/web"), None).await;
    assert_eq!(now["metadata"]["labels"]["tier"], "b");
}
