//! Image streams through the engine on a real store (SQLite, or PostgreSQL
//! when `TEST_DATABASE_URL` names one): streams, `oc tag`, ImageStreamTags,
//! ImageStreamImages and mappings, with OpenShift's messages.

use engine::{
    Error, Services, Settings,
    access::Caller,
    imagestreams as is,
    model::{
        ImageManifest, ImageStream, ImageStreamSpec, ObjectMeta, ObjectReference, SourceHint,
        TagReference, TagRequest,
        access::{Role, RoleBinding, Subject},
    },
    projects,
    store::testing::{TestStore, add_project, fake_digest, mapping, services_with_project},
};

const NS: &str = "team";
const REGISTRY: &str = "image-registry.openshift-image-registry.svc:5000";

fn digest(n: u8) -> String {
    fake_digest(n)
}

async fn setup() -> (Services, TestStore) {
    services_with_project(NS, Settings::default()).await
}

fn stream(name: &str, tags: Vec<TagReference>) -> ImageStream {
    ImageStream {
        metadata: ObjectMeta {
            name: name.into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamSpec {
            tags,
            ..ImageStreamSpec::default()
        },
        ..ImageStream::default()
    }
}

fn docker_tag(name: &str, from: &str) -> TagReference {
    TagReference {
        name: name.into(),
        from: Some(ObjectReference {
            kind: "DockerImage".into(),
            name: from.into(),
            ..ObjectReference::default()
        }),
        ..TagReference::default()
    }
}

fn tag_request(source: &str, destination: &str) -> TagRequest {
    TagRequest {
        source: source.into(),
        destination: destination.into(),
        ..TagRequest::default()
    }
}

/// (pull spec, image) of each history item of `tag`, newest first.
async fn history(services: &Services, stream: &str, tag: &str) -> Vec<(String, String)> {
    let stream = is::get(services, NS, stream).await.unwrap();
    stream
        .status_tag(tag)
        .map(|t| {
            t.items
                .iter()
                .map(|e| (e.docker_image_reference.clone(), e.image.clone()))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn streams_are_created_listed_read_and_deleted() {
    let (services, _store) = setup().await;
    let mut input = stream("python", vec![docker_tag("3.6", "python:3.6")]);
    input.status.docker_image_repository = "ignored.example/x".into();
    let created = is::create(&services, NS, input.clone()).await.unwrap();
    assert_eq!(created.metadata.generation, 1);
    assert!(!created.metadata.uid.is_empty() && !created.metadata.resource_version.is_empty());
    assert_eq!(
        created.status.docker_image_repository,
        format!("{REGISTRY}/{NS}/python")
    );
    assert_eq!(is::get(&services, NS, "python").await.unwrap(), created);

    assert_eq!(
        is::create(&services, NS, input).await.unwrap_err(),
        Error::already_exists("imagestreams.image.openshift.io", "python")
    );
    let names: Vec<_> = is::list(&services, NS)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.metadata.name)
        .collect();
    assert_eq!(names, ["python"]);

    is::delete(&services, NS, "python").await.unwrap();
    assert_eq!(
        is::get(&services, NS, "python")
            .await
            .unwrap_err()
            .to_string(),
        "imagestreams.image.openshift.io \"python\" not found"
    );
    assert!(matches!(
        is::list(&services, "nope").await.unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[tokio::test]
async fn invalid_streams_write_nothing() {
    let (services, _store) = setup().await;
    let mut bad = stream("Python", vec![docker_tag("3.6", "python:3.6")]);
    bad.spec.tags[0].import_policy.import_mode = "All".into();
    let Error::Invalid(fields) = is::create(&services, NS, bad).await.unwrap_err() else {
        panic!()
    };
    let paths: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        paths,
        ["metadata.name", "spec.tags[3.6].importPolicy.importMode"]
    );
    assert!(is::list(&services, NS).await.unwrap().is_empty());
}

#[tokio::test]
async fn updates_need_the_current_resource_version() {
    let (services, _store) = setup().await;
    let created = is::create(
        &services,
        NS,
        stream("python", vec![docker_tag("3.6", "python:3.6")]),
    )
    .await
    .unwrap();

    let mut change = created.clone();
    change.spec.tags[0].import_policy.scheduled = true;
    let updated = is::replace(&services, NS, "python", change.clone())
        .await
        .unwrap();
    assert_eq!(updated.metadata.generation, 2);
    assert_ne!(
        updated.metadata.resource_version,
        created.metadata.resource_version
    );
    assert_eq!(
        updated.spec.tags[0].generation,
        Some(1),
        "scheduling is not a reason to re-import"
    );

    let stale = is::replace(&services, NS, "python", change.clone())
        .await
        .unwrap_err();
    assert_eq!(
        stale.to_string(),
        "Operation cannot be fulfilled on imagestreams.image.openshift.io \"python\": the object has been modified; \
         please apply your changes to the latest version and try again"
    );
    change.metadata.resource_version.clear();
    let missing = is::replace(&services, NS, "python", change)
        .await
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
    );
    assert_eq!(
        is::get(&services, NS, "python").await.unwrap(),
        updated,
        "refused updates change nothing"
    );

    let same = is::replace(&services, NS, "python", updated.clone())
        .await
        .unwrap();
    assert_eq!(
        same.metadata.resource_version, updated.metadata.resource_version,
        "a no-op update writes nothing"
    );
}

#[tokio::test]
async fn oc_tag_answers_like_oc_and_sets_the_spec() {
    let (services, _store) = setup().await;
    let message = is::tag(
        &services,
        NS,
        tag_request("docker.io/python:3.6.0", "python:3.6"),
    )
    .await
    .unwrap();
    assert_eq!(message, "Tag python:3.6 set to docker.io/python:3.6.0.");
    let python = is::get(&services, NS, "python").await.unwrap();
    let spec = python.spec_tag("3.6").unwrap();
    assert_eq!(spec.from.as_ref().unwrap().kind, "DockerImage");
    assert!(
        engine::model::stream_changes::needs_import(&python, spec),
        "a pull spec waits for an import"
    );

    let scheduled = TagRequest {
        scheduled: true,
        ..tag_request("docker.io/python:3.6.0", "python:3.6")
    };
    assert_eq!(
        is::tag(&services, NS, scheduled).await.unwrap(),
        "Tag python:3.6 set to import docker.io/python:3.6.0 periodically."
    );

    let alias = TagRequest {
        alias: true,
        ..tag_request("python:3.6", "python:latest")
    };
    assert_eq!(
        is::tag(&services, NS, alias).await.unwrap(),
        "Tag python:latest set up to track python:3.6."
    );

    let across = TagRequest {
        alias: true,
        ..tag_request("python:3.6", "ruby:latest")
    };
    assert_eq!(
        is::tag(&services, NS, across)
            .await
            .unwrap_err()
            .to_string(),
        "alias: cannot set alias across different Image Streams"
    );

    let reference = TagRequest {
        reference: true,
        ..tag_request("quay.io/app:1", "app:1")
    };
    is::tag(&services, NS, reference).await.unwrap();
    assert_eq!(
        history(&services, "app", "1").await,
        [("quay.io/app:1".to_string(), String::new())]
    );

    assert_eq!(
        is::untag(&services, NS, "app:1").await.unwrap(),
        "Deleted tag team/app:1."
    );
    assert!(
        history(&services, "app", "1").await.is_empty(),
        "deleting a tag removes its history"
    );
    assert!(matches!(
        is::untag(&services, NS, "app:1").await.unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[tokio::test]
async fn aliases_follow_mappings_permanent_tags_do_not_and_rollback_is_a_new_event() {
    let (services, _store) = setup().await;
    let (a, b) = (digest(0xa), digest(0xb));
    assert!(
        is::map_image(
            &services,
            NS,
            mapping("ruby", "2.0", &a, &format!("docker.io/ruby@{a}"))
        )
        .await
        .unwrap()
    );
    assert!(
        !is::map_image(
            &services,
            NS,
            mapping("ruby", "2.0", &a, &format!("docker.io/ruby@{a}"))
        )
        .await
        .unwrap(),
        "same image again: no change"
    );

    is::tag(
        &services,
        NS,
        TagRequest {
            alias: true,
            ..tag_request("ruby:2.0", "ruby:latest")
        },
    )
    .await
    .unwrap();
    let permanent = is::tag(&services, NS, tag_request("ruby:2.0", "ruby:static"))
        .await
        .unwrap();
    assert_eq!(permanent, format!("Tag ruby:static set to ruby@{a}."));

    is::map_image(
        &services,
        NS,
        mapping("ruby", "2.0", &b, &format!("docker.io/ruby@{b}")),
    )
    .await
    .unwrap();
    assert_eq!(
        history(&services, "ruby", "latest")
            .await
            .iter()
            .map(|(_, i)| i.clone())
            .collect::<Vec<_>>(),
        [b.clone(), a.clone()]
    );
    assert_eq!(
        history(&services, "ruby", "static")
            .await
            .iter()
            .map(|(_, i)| i.clone())
            .collect::<Vec<_>>(),
        [a.as_str()]
    );

    // Roll 2.0 back to a: tagging the earlier image pushes it on top (A→B→A).
    let rollback = TagRequest {
        source_hint: SourceHint::ImageStreamImage,
        ..tag_request(&format!("ruby@{a}"), "ruby:2.0")
    };
    is::tag(&services, NS, rollback).await.unwrap();
    let images: Vec<_> = history(&services, "ruby", "2.0")
        .await
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    assert_eq!(images, [a.clone(), b.clone(), a.clone()]);
    assert_eq!(
        history(&services, "ruby", "latest").await[0].1,
        a,
        "the alias follows the rollback"
    );
}

#[tokio::test]
async fn image_stream_tags_show_the_current_image_and_its_pull_spec() {
    let (services, _store) = setup().await;
    let a = digest(0xa);
    is::tag(
        &services,
        NS,
        TagRequest {
            reference: true,
            ..tag_request("quay.io/app:1", "app:ref")
        },
    )
    .await
    .unwrap();
    assert_eq!(
        is::get_tag(&services, NS, "app:ref")
            .await
            .unwrap_err()
            .to_string(),
        "imagestreamtags.image.openshift.io \"app:ref\" not found",
        "a reference tag has no image"
    );
    is::map_image(
        &services,
        NS,
        mapping("app", "1", &a, &format!("quay.io/app@{a}")),
    )
    .await
    .unwrap();
    let istag = is::get_tag(&services, NS, "app:1").await.unwrap();
    assert_eq!(istag.metadata.name, "app:1");
    assert_eq!(istag.image.metadata.name, a);
    assert_eq!(
        istag.image.docker_image_reference,
        format!("quay.io/app@{a}")
    );
    assert!(istag.tag.is_none(), "a tag made by a push has no spec");

    let local = TagRequest {
        reference_policy: "Local".into(),
        source_hint: SourceHint::ImageStreamImage,
        ..tag_request(&format!("app@{a}"), "app:local")
    };
    is::tag(&services, NS, local).await.unwrap();
    let istag = is::get_tag(&services, NS, "app:local").await.unwrap();
    assert_eq!(
        istag.image.docker_image_reference,
        format!("{REGISTRY}/{NS}/app@{a}")
    );
    assert!(is::get_tag(&services, NS, "app:1:x").await.is_err());
}

#[tokio::test]
async fn image_stream_images_resolve_digest_prefixes() {
    let (services, _store) = setup().await;
    let one = format!("sha256:abc1{}", "0".repeat(60));
    let two = format!("sha256:abc2{}", "0".repeat(60));
    let platform = format!("sha256:fed0{}", "0".repeat(60));
    let mut list = mapping("multi", "latest", &two, &format!("quay.io/multi@{two}"));
    list.image.docker_image_manifests = vec![ImageManifest {
        digest: platform.clone(),
        media_type: "application/vnd.oci.image.manifest.v1+json".into(),
        manifest_size: 500,
        architecture: "arm64".into(),
        os: "linux".into(),
        variant: String::new(),
    }];
    is::map_image(
        &services,
        NS,
        mapping("multi", "old", &one, &format!("quay.io/multi@{one}")),
    )
    .await
    .unwrap();
    is::map_image(&services, NS, list).await.unwrap();

    let found = is::get_image(&services, NS, "multi@abc1").await.unwrap();
    assert_eq!(
        (
            found.metadata.name.as_str(),
            found.image.metadata.name.as_str()
        ),
        ("multi@abc1", one.as_str())
    );
    assert_eq!(
        is::get_image(&services, NS, "multi@abc")
            .await
            .unwrap_err()
            .to_string(),
        format!("multiple images match the prefix \"abc\": {one}, {two}")
    );
    // The platforms of a manifest list are images of the stream too.
    assert_eq!(
        is::get_image(&services, NS, "multi@sha256:")
            .await
            .unwrap_err()
            .to_string(),
        format!("multiple images match the prefix \"sha256:\": {one}, {two}, {platform}")
    );
    assert!(matches!(
        is::get_image(&services, NS, "multi@ffff")
            .await
            .unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[tokio::test]
async fn mappings_are_checked_and_create_the_stream() {
    let (services, _store) = setup().await;
    let error = is::map_image(
        &services,
        NS,
        mapping("pushed", "latest", "not-a-digest", "x"),
    )
    .await
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("image.metadata.name: Invalid value: \"not-a-digest\""),
        "{error}"
    );
    assert!(is::list(&services, NS).await.unwrap().is_empty());

    let a = digest(1);
    is::map_image(
        &services,
        NS,
        mapping("pushed", "", &a, &format!("{REGISTRY}/{NS}/pushed@{a}")),
    )
    .await
    .unwrap();
    let pushed = is::get(&services, NS, "pushed").await.unwrap();
    assert_eq!(
        pushed.latest("latest").unwrap().image,
        a,
        "no tag means latest"
    );
}

#[tokio::test]
async fn deleting_a_project_deletes_its_streams() {
    let (services, store) = setup().await;
    is::create(&services, NS, stream("python", vec![]))
        .await
        .unwrap();
    projects::delete(&store, &engine::access::Caller::system("test"), NS)
        .await
        .unwrap();
    let logged = store
        .change_documents_after(
            0,
            i64::MAX,
            "imagestreams.image.openshift.io",
            Some(NS),
            100,
        )
        .await
        .unwrap();
    let last = logged.last().expect("the stream's changes are logged");
    assert_eq!(
        last.event, "DELETED",
        "watchers hear the stream went with its project"
    );
    assert!(last.document.contains("\"python\""));
    add_project(&store, NS).await;
    assert!(is::list(&services, NS).await.unwrap().is_empty());
}

/// A builder tag: `tags: builder,<words>` and an icon.
fn builder_tag(name: &str, from: &str, words: &str) -> TagReference {
    TagReference {
        annotations: Some(
            [
                ("tags".to_owned(), format!("builder,{words}")),
                ("iconClass".to_owned(), format!("icon-{words}")),
            ]
            .into(),
        ),
        ..docker_tag(name, from)
    }
}

#[tokio::test]
async fn the_catalog_shows_builders_of_the_project_and_of_openshift() {
    use engine::{catalog, model::catalog::CatalogQuery};
    let (services, _store) = setup().await;
    let shared = stream("ruby", vec![builder_tag("3.3", "ruby:3.3", "ruby")]);
    is::create(&services, "openshift", shared).await.unwrap();
    let own = stream(
        "postgresql",
        vec![builder_tag("16", "postgres:16", "postgresql")],
    );
    is::create(&services, NS, own).await.unwrap();
    let not_a_builder = stream("tools", vec![docker_tag("1", "busybox:1")]);
    is::create(&services, NS, not_a_builder).await.unwrap();
    is::map_image(
        &services,
        NS,
        mapping(
            "postgresql",
            "16",
            &digest(1),
            &format!("docker.io/library/postgres@{}", digest(1)),
        ),
    )
    .await
    .unwrap();

    let page = catalog::page(&services, NS, &CatalogQuery::default())
        .await
        .unwrap();
    let cards: Vec<(&str, &str, &str)> = page
        .items
        .iter()
        .map(|item| {
            (
                item.namespace.as_str(),
                item.stream.as_str(),
                item.icon.as_str(),
            )
        })
        .collect();
    assert_eq!(
        cards,
        [
            (NS, "postgresql", "/icons/postgresql.svg"),
            ("openshift", "ruby", "/icons/ruby.svg")
        ]
    );
    assert_eq!(
        page.items[0].versions[0].pull_spec.as_deref(),
        Some(format!("docker.io/library/postgres@{}", digest(1)).as_str()),
        "a version carries the pull spec of its current image"
    );

    let shared_only = catalog::page(&services, "openshift", &CatalogQuery::default())
        .await
        .unwrap();
    assert_eq!(shared_only.total, 1, "openshift sees only its own builders");

    // A change in one project leaves the other's decoded items in use.
    let reads = services.catalog_cache.reads();
    is::map_image(
        &services,
        NS,
        mapping(
            "postgresql",
            "16",
            &digest(2),
            &format!("docker.io/library/postgres@{}", digest(2)),
        ),
    )
    .await
    .unwrap();
    catalog::page(&services, NS, &CatalogQuery::default())
        .await
        .unwrap();
    assert_eq!(
        services.catalog_cache.reads(),
        reads + 1,
        "only the changed project is read again"
    );
    catalog::page(&services, NS, &CatalogQuery::default())
        .await
        .unwrap();
    assert_eq!(services.catalog_cache.reads(), reads + 1, "nothing changed");

    // Pages after a change show it (the decoded items are reused only
    // until the next change).
    let python = stream("python", vec![builder_tag("3.12", "python:3.12", "python")]);
    is::create(&services, "openshift", python).await.unwrap();
    let after = catalog::page(&services, NS, &CatalogQuery::default())
        .await
        .unwrap();
    assert_eq!(after.total, 3);
    is::delete(&services, NS, "postgresql").await.unwrap();
    let after_delete = catalog::page(&services, NS, &CatalogQuery::default())
        .await
        .unwrap();
    let left: Vec<&str> = after_delete
        .items
        .iter()
        .map(|i| i.stream.as_str())
        .collect();
    assert_eq!(left, ["python", "ruby"]);
    assert!(matches!(
        catalog::page(&services, "nope", &CatalogQuery::default())
            .await
            .unwrap_err(),
        Error::NotFound { .. }
    ));
}

/// Waits until the live feed has passed on every committed change.
async fn fed(services: &Services) {
    let newest = services.store.latest_change_id().await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while services.live.position() < newest {
        assert!(
            std::time::Instant::now() < deadline,
            "the live feed keeps up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// With the live feed following the log, a change to a project makes its
/// catalog read again only the streams the change names - and shows it.
#[tokio::test]
async fn after_a_change_the_catalog_reads_only_the_changed_streams_again() {
    use engine::{catalog, model::catalog::CatalogQuery};
    let (services, _store) = setup().await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(
        services
            .live
            .clone()
            .run(services.store.clone(), async move {
                stopped.await.ok();
            }),
    );
    for language in ["ruby", "python", "perl"] {
        let builder = stream(
            language,
            vec![builder_tag("1", &format!("{language}:1"), language)],
        );
        is::create(&services, NS, builder).await.unwrap();
    }
    fed(&services).await;
    let page = |services: &Services| {
        let services = services.clone();
        async move {
            let page = catalog::page(&services, NS, &CatalogQuery::default())
                .await
                .unwrap();
            page.items
                .iter()
                .map(|item| {
                    let tags: Vec<&str> = item.versions.iter().map(|v| v.tag.as_str()).collect();
                    format!("{}:{}", item.stream, tags.join(","))
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(page(&services).await, ["perl:1", "python:1", "ruby:1"]);
    let (reads, refreshes) = (
        services.catalog_cache.reads(),
        services.catalog_cache.refreshes(),
    );

    let mut ruby = is::get(&services, NS, "ruby").await.unwrap();
    ruby.spec.tags.push(builder_tag("2", "ruby:2", "ruby"));
    is::replace(&services, NS, "ruby", ruby).await.unwrap();
    assert_eq!(page(&services).await, ["perl:1", "python:1", "ruby:2,1"]);
    is::delete(&services, NS, "perl").await.unwrap();
    fed(&services).await;
    assert_eq!(page(&services).await, ["python:1", "ruby:2,1"]);
    assert_eq!(services.catalog_cache.reads(), reads, "no full read");
    assert!(
        services.catalog_cache.refreshes() > refreshes,
        "the changed streams were read again"
    );
    stop.send(()).ok();
}

#[tokio::test]
async fn the_global_search_finds_streams_tags_digests_and_registries_across_projects() {
    use engine::model::search::SearchKind;
    let (services, _store) = setup().await;
    add_project(&services.store, "other").await;
    is::create(
        &services,
        NS,
        stream("ruby", vec![docker_tag("3.3", "quay.io/rubyists/ruby:3.3")]),
    )
    .await
    .unwrap();
    is::create(&services, "other", stream("ruby_tools", vec![]))
        .await
        .unwrap();
    is::create(&services, "other", stream("rubytools", vec![]))
        .await
        .unwrap();
    is::map_image(
        &services,
        NS,
        mapping(
            "ruby",
            "3.3",
            &digest(0xab),
            &format!("quay.io/rubyists/ruby@{}", digest(0xab)),
        ),
    )
    .await
    .unwrap();
    let admin = Caller::system("test");
    let found = |results: &engine::model::search::SearchResults, kind| {
        results
            .of(kind)
            .map(|hit| match &hit.tag {
                Some(tag) => format!("{}/{}:{tag}", hit.namespace, hit.stream),
                None => format!("{}/{}", hit.namespace, hit.stream),
            })
            .collect::<Vec<_>>()
    };

    let results = engine::search::search(&services, &admin, "Ruby")
        .await
        .unwrap();
    assert_eq!(
        found(&results, SearchKind::Stream),
        ["other/ruby_tools", "other/rubytools", "team/ruby"]
    );
    assert_eq!(found(&results, SearchKind::Tag), ["team/ruby:3.3"]);

    // `_` is a character here, not LIKE's wildcard.
    let results = engine::search::search(&services, &admin, "ruby_")
        .await
        .unwrap();
    assert_eq!(found(&results, SearchKind::Stream), ["other/ruby_tools"]);

    let prefix = &digest(0xab)["sha256:".len()..][..8];
    let results = engine::search::search(&services, &admin, prefix)
        .await
        .unwrap();
    assert_eq!(found(&results, SearchKind::Image), ["team/ruby:3.3"]);
    assert!(
        results
            .of(SearchKind::Image)
            .all(|hit| hit.current && hit.detail == digest(0xab))
    );

    let results = engine::search::search(&services, &admin, "quay.io/rubyists")
        .await
        .unwrap();
    assert_eq!(found(&results, SearchKind::Repository), ["team/ruby:3.3"]);

    // A viewer of `other` finds only what is there.
    services
        .store
        .insert_role_binding(&RoleBinding {
            namespace: "other".into(),
            subject: Subject::User("alice".into()),
            role: Role::View,
        })
        .await
        .unwrap();
    let alice = Caller::of_user(&services.store, "alice").await.unwrap();
    let only_other = engine::search::search(&services, &alice, "ruby")
        .await
        .unwrap();
    assert_eq!(
        found(&only_other, SearchKind::Stream),
        ["other/ruby_tools", "other/rubytools"]
    );
    assert!(
        engine::search::search(&services, &admin, "  ")
            .await
            .unwrap()
            .hits
            .is_empty()
    );
}
