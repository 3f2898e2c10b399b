//! `oc import-image` against a real registry (Debian's `docker-registry` on
//! 127.0.0.1, images pushed with skopeo): single images, manifest lists in
//! both import modes, dry runs, and the failures users meet.

use engine::registry::testing::{Layout, TestRegistry};
use engine::{
    Services, Settings, imagestreams as is, imports,
    model::{
        ImageImportSpec, ImageStream, ImageStreamImport, ImageStreamImportSpec,
        LocalObjectReference, ObjectMeta, ObjectReference, RepositoryImportSpec, TagImportPolicy,
        TagReference,
    },
    store::testing::{TestStore, services_with_project},
};

const NS: &str = "team";

async fn setup() -> (Services, TestStore) {
    setup_with(Settings::default()).await
}

async fn setup_with(settings: Settings) -> (Services, TestStore) {
    services_with_project(NS, settings).await
}

/// Deletes from the registry the configuration blob of the image `answer`
/// found first, so that only a stored copy can still describe it.
async fn delete_config_blob(registry: &TestRegistry, repo: &str, answer: &ImageStreamImport) {
    let config = &answer.status.images[0]
        .image
        .as_ref()
        .unwrap()
        .docker_image_metadata
        .id;
    let deleted = reqwest::Client::new()
        .delete(format!("http://{}/v2/{repo}/blobs/{config}", registry.host))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 202);
}

fn request(
    stream: &str,
    from: &str,
    tag: &str,
    import: bool,
    policy: TagImportPolicy,
) -> ImageStreamImport {
    ImageStreamImport {
        metadata: ObjectMeta {
            name: stream.into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import,
            images: vec![ImageImportSpec {
                from: ObjectReference {
                    kind: "DockerImage".into(),
                    name: from.into(),
                    ..ObjectReference::default()
                },
                to: Some(LocalObjectReference { name: tag.into() }),
                import_policy: policy,
                ..ImageImportSpec::default()
            }],
            repository: None,
        },
        ..ImageStreamImport::default()
    }
}

fn insecure() -> TagImportPolicy {
    TagImportPolicy {
        insecure: true,
        ..TagImportPolicy::default()
    }
}

#[tokio::test]
async fn one_image_is_imported_with_its_metadata_and_a_dry_run_writes_nothing() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=1");
    let digest = image["digest"].as_str().unwrap().to_owned();
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", "team/app");
    let (services, _store) = setup().await;
    let from = format!("{}/team/app:1.0", registry.host);

    let dry = imports::import(
        &services,
        NS,
        request("app", &from, "1.0", false, insecure()),
    )
    .await
    .unwrap();
    let found = &dry.status.images[0];
    assert!(found.status.is_success(), "{:?}", found.status);
    let image = found.image.as_ref().unwrap();
    assert_eq!(image.metadata.name, digest);
    let config = image.docker_image_metadata.config.as_ref().unwrap();
    assert_eq!(config.env, ["APP=1"]);
    assert_eq!(config.user, "1001");
    assert_eq!(config.working_dir, "/app");
    assert!(config.exposed_ports.contains_key("8080/tcp"));
    assert_eq!(config.labels["io.k8s.display-name"], "Test app");
    assert_eq!(image.docker_image_layers.len(), 1);
    assert!(
        is::get(&services, NS, "app").await.is_err(),
        "a dry run writes nothing"
    );

    let done = imports::import(
        &services,
        NS,
        request("app", &from, "1.0", true, insecure()),
    )
    .await
    .unwrap();
    assert!(done.status.images[0].status.is_success());
    let stream = is::get(&services, NS, "app").await.unwrap();
    let event = stream.latest("1.0").unwrap();
    assert_eq!(event.image, digest);
    assert_eq!(
        event.docker_image_reference,
        format!("{}/team/app@{digest}", registry.host),
        "the user's reference with the tag swapped for the digest"
    );
    let tag = is::get_tag(&services, NS, "app:1.0").await.unwrap();
    assert_eq!(tag.image.metadata.name, digest);

    // The same import again changes nothing in the history.
    imports::import(
        &services,
        NS,
        request("app", &from, "1.0", true, insecure()),
    )
    .await
    .unwrap();
    let again = is::get(&services, NS, "app").await.unwrap();
    assert_eq!(again.status_tag("1.0").unwrap().items.len(), 1);

    // Both real imports count in this hour's activity; the dry run does not.
    let activity = imports::activity(&services, NS).await.unwrap();
    assert_eq!((activity.succeeded(), activity.failed()), (2, 0));
    let this_hour = activity.buckets.last().unwrap();
    assert_eq!((this_hour.succeeded, this_hour.failed), (2, 0));
}

#[tokio::test]
async fn manifest_lists_keep_one_platform_or_all_of_them() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let arm = layout.image("linux", "arm64", "ARCH=arm64");
    let amd = layout.image("linux", "amd64", "ARCH=amd64");
    let amd_digest = amd["digest"].as_str().unwrap().to_owned();
    let list = layout.index_of(vec![arm, amd]);
    let list_digest = list["digest"].as_str().unwrap().to_owned();
    layout.tag("multi", list);
    registry.push(&layout.path(), "multi", "team/multi");
    let (services, _store) = setup().await;
    let from = format!("{}/team/multi:multi", registry.host);

    let legacy = imports::import(
        &services,
        NS,
        request("multi", &from, "legacy", true, insecure()),
    )
    .await
    .unwrap();
    let image = legacy.status.images[0].image.as_ref().unwrap();
    assert_eq!(image.metadata.name, amd_digest, "Legacy keeps linux/amd64");
    assert_eq!(
        image.docker_image_metadata.config.as_ref().unwrap().env,
        ["ARCH=amd64"]
    );

    let preserve = TagImportPolicy {
        insecure: true,
        import_mode: "PreserveOriginal".into(),
        ..TagImportPolicy::default()
    };
    let kept = imports::import(
        &services,
        NS,
        request("multi", &from, "all", true, preserve),
    )
    .await
    .unwrap();
    let status = &kept.status.images[0];
    let image = status.image.as_ref().unwrap();
    assert_eq!(image.metadata.name, list_digest, "the list itself");
    let platforms: Vec<_> = image
        .docker_image_manifests
        .iter()
        .map(|m| m.platform())
        .collect();
    assert_eq!(platforms, ["linux/arm64", "linux/amd64"]);
    assert_eq!(status.manifests.len(), 2, "every platform's image");
    let stream = is::get(&services, NS, "multi").await.unwrap();
    assert_eq!(stream.latest("all").unwrap().image, list_digest);
}

#[tokio::test]
async fn a_tag_annotation_chooses_the_platform_a_legacy_import_keeps() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let arm = layout.image("linux", "arm64", "ARCH=arm64");
    let amd = layout.image("linux", "amd64", "ARCH=amd64");
    let arm_digest = arm["digest"].as_str().unwrap().to_owned();
    let amd_digest = amd["digest"].as_str().unwrap().to_owned();
    let list = layout.index_of(vec![amd, arm]);
    layout.tag("multi", list);
    registry.push(&layout.path(), "multi", "team/multi");
    let (services, _store) = setup().await;
    let from = format!("{}/team/multi:multi", registry.host);
    let tag = |name: &str, arch: &str| {
        let mut tag: TagReference = serde_json::from_value(serde_json::json!({
            "name": name,
            "from": {"kind": "DockerImage", "name": from},
            "importPolicy": {"insecure": true},
        }))
        .unwrap();
        if !arch.is_empty() {
            tag.annotations = Some([(imports::PREFER_ARCH.to_owned(), arch.to_owned())].into());
        }
        tag
    };
    let mut stream: ImageStream =
        serde_json::from_value(serde_json::json!({"metadata": {"name": "multi"}})).unwrap();
    stream.spec.tags = vec![
        tag("arm", "arm64"),
        tag("missing", "riscv64"),
        tag("plain", ""),
    ];
    is::create(&services, NS, stream).await.unwrap();

    for (name, expected) in [
        ("arm", &arm_digest),
        ("missing", &amd_digest),
        ("plain", &amd_digest),
    ] {
        let answer = imports::import(
            &services,
            NS,
            request("multi", &from, name, true, insecure()),
        )
        .await
        .unwrap();
        let image = answer.status.images[0].image.as_ref().unwrap();
        assert_eq!(&image.metadata.name, expected, "tag {name}");
    }
    // Scheduled or repeated, the stream's own tag keeps asking for arm64.
    let stream = is::get(&services, NS, "multi").await.unwrap();
    assert_eq!(stream.latest("arm").unwrap().image, arm_digest);
}

#[tokio::test]
async fn failures_name_the_problem_and_are_recorded_once() {
    let registry = TestRegistry::start_plain();
    let (services, _store) = setup().await;

    let missing = format!("{}/team/missing:1.0", registry.host);
    let answer = imports::import(
        &services,
        NS,
        request("app", &missing, "1.0", true, insecure()),
    )
    .await
    .unwrap();
    assert_eq!(
        answer.status.images[0].status.message,
        format!("dockerimage.image.openshift.io \"{missing}\" not found")
    );
    let stream = is::get(&services, NS, "app").await.unwrap();
    let condition = stream.status_tag("1.0").unwrap().conditions[0].clone();
    assert_eq!(
        (condition.status.as_str(), condition.reason.as_str()),
        ("False", "NotFound")
    );

    // The same failure again keeps its first time and does not rewrite the stream.
    imports::import(
        &services,
        NS,
        request("app", &missing, "1.0", true, insecure()),
    )
    .await
    .unwrap();
    let again = is::get(&services, NS, "app").await.unwrap();
    assert_eq!(again.status_tag("1.0").unwrap().conditions, vec![condition]);
    let activity = imports::activity(&services, NS).await.unwrap();
    assert_eq!(
        (activity.succeeded(), activity.failed()),
        (0, 2),
        "each failed import counts, even when the stream is not rewritten"
    );

    // Plain HTTP without the insecure flag.
    let secure = imports::import(
        &services,
        NS,
        request("app", &missing, "1.0", false, TagImportPolicy::default()),
    )
    .await
    .unwrap();
    assert!(
        secure.status.images[0].status.message.contains(&format!(
            "the repository {} is HTTP only and requires the insecure flag to import",
            registry.host
        )),
        "{}",
        secure.status.images[0].status.message
    );

    // Nothing listens here.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let nowhere = format!("{closed}/team/app:1");
    let refused = imports::import(
        &services,
        NS,
        request("app", &nowhere, "x", false, insecure()),
    )
    .await
    .unwrap();
    assert_eq!(refused.status.images[0].status.reason, "InternalError");

    // Bad input is refused by field before anything is fetched.
    let mut bad = request("Bad_Name", "not a reference", "1.0", true, insecure());
    bad.spec.images[0].from.kind = "ImageStreamTag".into();
    match imports::import(&services, NS, bad).await {
        Err(engine::Error::Invalid(fields)) => {
            let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(
                names,
                [
                    "metadata.name",
                    "spec.images[0].from.kind",
                    "spec.images[0].from.name"
                ]
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn an_image_imported_before_is_not_read_again() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "KNOWN=1");
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", "team/known");
    let (services, _store) = setup().await;
    let from = format!("{}/team/known:1.0", registry.host);
    let first = imports::import(
        &services,
        NS,
        request("known", &from, "1.0", true, insecure()),
    )
    .await
    .unwrap();
    // Only a stored image can still answer after this.
    delete_config_blob(&registry, "team/known", &first).await;
    let again = imports::import(
        &services,
        NS,
        request("known", &from, "2.0", true, insecure()),
    )
    .await
    .unwrap();
    let status = &again.status.images[0];
    assert!(status.status.is_success(), "{:?}", status.status);
    assert_eq!(
        status
            .image
            .as_ref()
            .unwrap()
            .docker_image_metadata
            .config
            .as_ref()
            .unwrap()
            .env,
        ["KNOWN=1"]
    );
}

fn repository_request(stream: &str, from: &str, import: bool) -> ImageStreamImport {
    ImageStreamImport {
        metadata: ObjectMeta {
            name: stream.into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import,
            images: Vec::new(),
            repository: Some(RepositoryImportSpec {
                from: ObjectReference {
                    kind: "DockerImage".into(),
                    name: from.into(),
                    ..ObjectReference::default()
                },
                import_policy: insecure(),
                ..RepositoryImportSpec::default()
            }),
        },
        ..ImageStreamImport::default()
    }
}

#[tokio::test]
async fn a_whole_repository_imports_its_first_tags_in_order_and_lists_the_rest() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    for (index, tag) in ["misc", "1.0", "latest", "2.0.0", "1.1", "broken"]
        .iter()
        .enumerate()
    {
        let image = layout.image("linux", "amd64", &format!("N={index}"));
        layout.tag(tag, image);
    }
    for tag in ["misc", "1.0", "latest", "2.0.0", "1.1", "broken"] {
        registry.push(&layout.path(), tag, "team/all");
    }
    let repository = format!("{}/team/all", registry.host);

    // Break one tag: learn its configuration blob through one import, then
    // delete that blob from the registry.
    let (scout, _scout_store) = setup().await;
    let broken = imports::import(
        &scout,
        NS,
        request(
            "scout",
            &format!("{repository}:broken"),
            "x",
            false,
            insecure(),
        ),
    )
    .await
    .unwrap();
    delete_config_blob(&registry, "team/all", &broken).await;

    let (services, _store) = setup_with(Settings {
        max_images_bulk_imported_per_repository: 5,
        ..Settings::default()
    })
    .await;
    let answer = imports::import(&services, NS, repository_request("all", &repository, true))
        .await
        .unwrap();
    let status = answer.status.repository.as_ref().unwrap();
    let tags: Vec<&str> = status.images.iter().map(|i| i.tag.as_str()).collect();
    assert_eq!(tags, ["latest", "1.1", "1.0", "2.0.0", "broken"]);
    assert_eq!(status.additional_tags, ["misc"]);
    assert_eq!(status.status.reason, "ImportFailed");
    assert_eq!(
        status.status.message,
        "one of the images from this repository failed to import"
    );
    assert!(!status.images[4].status.is_success());

    // Each imported tag imports `<repository>:<tag>`; the broken one has no
    // spec tag, only its failure.
    let stream = is::get(&services, NS, "all").await.unwrap();
    let mut spec_tags: Vec<(&str, &str)> = stream
        .spec
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.from.as_ref().unwrap().name.as_str()))
        .collect();
    spec_tags.sort();
    let expected: Vec<(String, String)> = ["1.0", "1.1", "2.0.0", "latest"]
        .iter()
        .map(|t| (t.to_string(), format!("{repository}:{t}")))
        .collect();
    assert_eq!(
        spec_tags,
        expected
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>()
    );
    let latest = stream
        .status
        .tags
        .iter()
        .find(|t| t.tag == "latest")
        .unwrap();
    assert!(
        latest.items[0]
            .docker_image_reference
            .starts_with(&format!("{repository}@sha256:"))
    );
    let failed = stream
        .status
        .tags
        .iter()
        .find(|t| t.tag == "broken")
        .unwrap();
    assert!(failed.items.is_empty());
    assert_eq!(failed.conditions[0].kind, "ImportSuccess");
    assert_eq!(failed.conditions[0].status, "False");
}

#[tokio::test]
async fn a_repository_import_names_a_missing_repository_and_refuses_a_tag() {
    let registry = TestRegistry::start_plain();
    let (services, _store) = setup().await;
    let missing = format!("{}/team/nothing", registry.host);
    let answer = imports::import(&services, NS, repository_request("none", &missing, false))
        .await
        .unwrap();
    let status = answer.status.repository.unwrap().status;
    assert_eq!(status.reason, "NotFound");
    assert_eq!(
        status.message,
        format!("dockerimage.image.openshift.io \"{missing}\" not found")
    );

    let refused = imports::import(
        &services,
        NS,
        repository_request("none", &format!("{missing}:1.0"), false),
    )
    .await
    .unwrap_err();
    assert!(
        refused.to_string().contains("spec.repository.from.name")
            && refused
                .to_string()
                .contains("you must specify an image repository, not a tag or ID"),
        "{refused}"
    );
}

#[tokio::test]
async fn import_now_imports_a_tag_again_as_its_spec_says() {
    let registry = TestRegistry::start_plain();
    let mut layout = Layout::new();
    let first = layout.image("linux", "amd64", "V=1");
    let first_digest = first["digest"].as_str().unwrap().to_owned();
    layout.tag("1", first);
    registry.push(&layout.path(), "1", "team/app");
    let (services, _store) = setup().await;
    let stream: ImageStream = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "app"},
        "spec": {"tags": [
            {"name": "1", "from": {"kind": "DockerImage", "name": format!("{}/team/app:1", registry.host)},
             "importPolicy": {"insecure": true}},
            {"name": "ref", "reference": true,
             "from": {"kind": "DockerImage", "name": format!("{}/team/app:1", registry.host)}},
        ]}
    }))
    .unwrap();
    is::create(&services, NS, stream).await.unwrap();

    let answer = imports::import_now(&services, NS, "app", "1")
        .await
        .unwrap();
    assert!(answer.status.images[0].status.is_success());
    assert_eq!(
        is::get(&services, NS, "app")
            .await
            .unwrap()
            .latest("1")
            .unwrap()
            .image,
        first_digest
    );

    // The registry moves the tag; importing now follows it.
    let mut layout = Layout::new();
    let second = layout.image("linux", "amd64", "V=2");
    let second_digest = second["digest"].as_str().unwrap().to_owned();
    layout.tag("1", second);
    registry.push(&layout.path(), "1", "team/app");
    imports::import_now(&services, NS, "app", "1")
        .await
        .unwrap();
    let stream = is::get(&services, NS, "app").await.unwrap();
    assert_eq!(stream.latest("1").unwrap().image, second_digest);

    let reference = imports::import_now(&services, NS, "app", "ref")
        .await
        .unwrap_err();
    assert!(
        reference
            .to_string()
            .contains("app:ref cannot be imported: it is a reference tag"),
        "{reference}"
    );
    let missing = imports::import_now(&services, NS, "app", "nope")
        .await
        .unwrap_err();
    assert!(
        matches!(missing, engine::Error::NotFound { .. }),
        "{missing:?}"
    );
}
