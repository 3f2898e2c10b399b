//! The cluster image policy against real registries (Debian's
//! `docker-registry`, plain HTTP and HTTPS with a CA made for the test):
//! each setting changes what an import may do, with OpenShift's message,
//! and takes effect on the next import without a restart; a new internal
//! registry hostname moves every stream's repository at once.

use engine::registry::testing::{Layout, TestRegistry};
use engine::{
    Error, Services, Settings,
    access::Caller,
    cluster_policy, imagestreams as is, imports,
    model::{
        ImageImportSpec, ImageStreamImport, ImageStreamImportSpec, ImportOutcome,
        LocalObjectReference, ObjectMeta, ObjectReference, SourceHint, TagImportPolicy, TagRequest,
        access::{Role, RoleBinding, Subject},
        cluster_policy::{
            ClusterImagePolicy, RegistryLocation, RegistrySources, ScheduledImportSettings,
            TrustedCa,
        },
    },
    store::testing::{TestStore, fake_digest, mapping, services_with_project},
};

const NS: &str = "team";

fn admin() -> Caller {
    Caller::system("test")
}

fn pushed(registry: &TestRegistry, repo: &str) {
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", "APP=1");
    layout.tag("1.0", image);
    registry.push(&layout.path(), "1.0", repo);
}

async fn setup() -> (Services, TestStore, TestRegistry) {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let registry = TestRegistry::start_plain();
    pushed(&registry, "team/app");
    (services, store, registry)
}

fn request(from: &str, insecure: bool) -> ImageStreamImport {
    ImageStreamImport {
        metadata: ObjectMeta {
            name: "app".into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamImportSpec {
            import: true,
            images: vec![ImageImportSpec {
                from: ObjectReference {
                    kind: "DockerImage".into(),
                    name: from.into(),
                    ..ObjectReference::default()
                },
                to: Some(LocalObjectReference { name: "1.0".into() }),
                import_policy: TagImportPolicy {
                    insecure,
                    ..TagImportPolicy::default()
                },
                ..ImageImportSpec::default()
            }],
            repository: None,
        },
        ..ImageStreamImport::default()
    }
}

async fn import(services: &Services, from: &str, insecure: bool) -> ImportOutcome {
    let done = imports::import(services, NS, request(from, insecure))
        .await
        .unwrap();
    done.status.images[0].status.clone()
}

/// Saves `policy` over whatever is stored.
async fn set_policy(services: &Services, policy: ClusterImagePolicy) {
    let version = cluster_policy::get(services, &admin())
        .await
        .unwrap()
        .resource_version;
    cluster_policy::update(services, &admin(), policy, version)
        .await
        .unwrap();
}

fn whitelist(domains: &[&str]) -> ClusterImagePolicy {
    ClusterImagePolicy {
        allowed_registries_for_import: domains
            .iter()
            .map(|domain| RegistryLocation {
                domain_name: (*domain).into(),
                insecure: true,
            })
            .collect(),
        ..ClusterImagePolicy::default()
    }
}

fn sources(sources: RegistrySources) -> ClusterImagePolicy {
    ClusterImagePolicy {
        registry_sources: sources,
        ..ClusterImagePolicy::default()
    }
}

#[tokio::test]
async fn allowed_registries_for_import_refuse_other_registries_with_the_whitelist_message() {
    let (services, _store, registry) = setup().await;
    let from = format!("{}/team/app:1.0", registry.host);
    set_policy(&services, whitelist(&["quay.io"])).await;
    let refused = import(&services, &from, true).await;
    assert_eq!(refused.reason, "Forbidden");
    assert_eq!(refused.code, 403);
    assert_eq!(
        refused.message,
        format!(
            "importing images from registry \"{0}\" is forbidden: registry \"{0}\" not allowed by whitelist: \"quay.io:443\", \"quay.io:80\"",
            registry.host
        )
    );
    // A host without a port means 443 (and 80): the registry's port is not covered.
    set_policy(&services, whitelist(&["127.0.0.1"])).await;
    assert_eq!(import(&services, &from, true).await.reason, "Forbidden");
    // Port wildcards cover it, without a restart.
    set_policy(&services, whitelist(&["127.0.0.1:*"])).await;
    assert!(import(&services, &from, true).await.is_success());
    set_policy(&services, whitelist(&[&registry.host])).await;
    assert!(import(&services, &from, true).await.is_success());
}

#[tokio::test]
async fn the_whitelist_also_refuses_oc_tag_and_stream_writes_naming_the_tag() {
    let (services, _store, registry) = setup().await;
    set_policy(&services, whitelist(&["quay.io"])).await;
    let tagged = engine::imagestreams::tag(
        &services,
        NS,
        engine::model::TagRequest {
            source: format!("{}/team/app:1.0", registry.host),
            destination: "app:1.0".into(),
            insecure: true,
            ..engine::model::TagRequest::default()
        },
    )
    .await;
    let Err(Error::Invalid(errors)) = tagged else {
        panic!("{tagged:?}")
    };
    assert_eq!(errors[0].field, "spec.tags[1.0].from.name");
    assert_eq!(
        errors[0].message,
        format!(
            "Forbidden: registry \"{}\" not allowed by whitelist: \"quay.io:443\", \"quay.io:80\"",
            registry.host
        )
    );
    assert!(
        services
            .store
            .image_stream(NS, "app")
            .await
            .unwrap()
            .is_none()
    );
    // Allowed, the same tag is written; a stricter policy later leaves it
    // in place through other edits.
    set_policy(&services, whitelist(&[&registry.host])).await;
    engine::imagestreams::tag(
        &services,
        NS,
        engine::model::TagRequest {
            source: format!("{}/team/app:1.0", registry.host),
            destination: "app:1.0".into(),
            insecure: true,
            reference: true,
            ..engine::model::TagRequest::default()
        },
    )
    .await
    .unwrap();
    set_policy(&services, whitelist(&["quay.io"])).await;
    engine::imagestreams::set_image_lookup(&services, NS, "app", true)
        .await
        .unwrap();
    let alias = engine::imagestreams::tag(
        &services,
        NS,
        engine::model::TagRequest {
            source: "quay.io/team/app:2".into(),
            destination: "app:2".into(),
            reference: true,
            ..engine::model::TagRequest::default()
        },
    )
    .await;
    assert!(alias.is_ok(), "{alias:?}");
}

#[tokio::test]
async fn blocked_and_allowed_registry_sources_decide_which_registries_may_be_used() {
    let (services, _store, registry) = setup().await;
    let from = format!("{}/team/app:1.0", registry.host);
    set_policy(
        &services,
        sources(RegistrySources {
            blocked_registries: vec![registry.host.clone()],
            ..RegistrySources::default()
        }),
    )
    .await;
    let refused = import(&services, &from, true).await;
    assert_eq!(
        refused.message,
        format!(
            "importing images from registry \"{0}\" is forbidden: registry \"{0}\" is blocked by registrySources.blockedRegistries",
            registry.host
        )
    );
    // A path scope blocks only what lies below it.
    set_policy(
        &services,
        sources(RegistrySources {
            blocked_registries: vec![format!("{}/other", registry.host)],
            ..RegistrySources::default()
        }),
    )
    .await;
    assert!(import(&services, &from, true).await.is_success());
    set_policy(
        &services,
        sources(RegistrySources {
            allowed_registries: vec!["quay.io".into()],
            ..RegistrySources::default()
        }),
    )
    .await;
    let refused = import(&services, &from, true).await;
    assert!(
        refused
            .message
            .ends_with("is not in registrySources.allowedRegistries"),
        "{}",
        refused.message
    );
}

#[tokio::test]
async fn insecure_registries_let_a_tag_without_the_insecure_flag_use_plain_http() {
    let (services, _store, registry) = setup().await;
    let from = format!("{}/team/app:1.0", registry.host);
    let refused = import(&services, &from, false).await;
    assert!(
        refused.message.contains("requires the insecure flag"),
        "{}",
        refused.message
    );
    set_policy(
        &services,
        sources(RegistrySources {
            insecure_registries: vec![registry.host.clone()],
            ..RegistrySources::default()
        }),
    )
    .await;
    assert!(import(&services, &from, false).await.is_success());
}

#[tokio::test]
async fn short_names_are_looked_up_in_the_search_registries_and_keep_their_form() {
    let (services, _store, registry) = setup().await;
    pushed(&registry, "busybox");
    set_policy(
        &services,
        sources(RegistrySources {
            insecure_registries: vec![registry.host.clone()],
            container_runtime_search_registries: vec![registry.host.clone()],
            ..RegistrySources::default()
        }),
    )
    .await;
    let done = imports::import(&services, NS, request("busybox:1.0", false))
        .await
        .unwrap();
    let status = &done.status.images[0];
    assert!(status.status.is_success(), "{:?}", status.status);
    let image = status.image.as_ref().unwrap();
    assert_eq!(
        image.docker_image_reference,
        format!("busybox@{}", image.metadata.name)
    );
    // Blocking the only search registry leaves nowhere to look.
    set_policy(
        &services,
        sources(RegistrySources {
            blocked_registries: vec![registry.host.clone()],
            container_runtime_search_registries: vec![registry.host.clone()],
            ..RegistrySources::default()
        }),
    )
    .await;
    assert_eq!(
        import(&services, "busybox:1.0", false).await.reason,
        "Forbidden"
    );
}

#[tokio::test]
async fn a_ca_added_in_the_settings_lets_an_import_from_its_tls_registry_succeed_without_a_restart()
{
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let registry = TestRegistry::start_tls();
    pushed(&registry, "team/app");
    let from = format!("{}/team/app:1.0", registry.host);
    let untrusted = import(&services, &from, false).await;
    assert!(!untrusted.is_success(), "a CA nobody trusts was accepted");
    assert!(
        untrusted.message.contains("certificate") || untrusted.message.contains("UnknownIssuer"),
        "{}",
        untrusted.message
    );
    let (host, port) = registry.host.split_once(':').unwrap();
    set_policy(
        &services,
        ClusterImagePolicy {
            additional_trusted_ca: vec![TrustedCa {
                host: format!("{host}..{port}"),
                pem: registry.ca_pem.clone().unwrap(),
            }],
            ..ClusterImagePolicy::default()
        },
    )
    .await;
    let trusted = import(&services, &from, false).await;
    assert!(trusted.is_success(), "{trusted:?}");
}

#[tokio::test]
async fn bad_settings_are_refused_naming_each_field_and_stale_versions_conflict() {
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let bad = ClusterImagePolicy {
        registry_sources: RegistrySources {
            allowed_registries: vec!["quay.io".into()],
            blocked_registries: vec!["docker.io".into()],
            ..RegistrySources::default()
        },
        additional_trusted_ca: vec![TrustedCa {
            host: "registry.local".into(),
            pem: "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".into(),
        }],
        ..ClusterImagePolicy::default()
    };
    let Err(Error::Invalid(errors)) = cluster_policy::update(&services, &admin(), bad, 0).await
    else {
        panic!("a bad policy was saved");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["registrySources", "additionalTrustedCA[0].pem"]);
    assert_eq!(
        cluster_policy::get(&services, &admin())
            .await
            .unwrap()
            .resource_version,
        0,
        "nothing was stored"
    );
    let saved = cluster_policy::update(&services, &admin(), whitelist(&["quay.io"]), 0)
        .await
        .unwrap();
    assert_eq!(saved.resource_version, 1);
    assert_eq!(saved.updated_by, admin().user);
    let stale = cluster_policy::update(&services, &admin(), ClusterImagePolicy::default(), 0).await;
    assert!(matches!(stale, Err(Error::Conflict(_))), "{stale:?}");
}

#[tokio::test]
async fn only_cluster_admins_read_or_change_the_policy() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    engine::access::members::add(
        &services,
        &admin(),
        RoleBinding {
            namespace: NS.into(),
            subject: Subject::User("pat".into()),
            role: Role::Admin,
        },
    )
    .await
    .unwrap();
    let pat = Caller::of_user(&store.store, "pat").await.unwrap();
    assert!(matches!(
        cluster_policy::get(&services, &pat).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        cluster_policy::update(&services, &pat, ClusterImagePolicy::default(), 0).await,
        Err(Error::Forbidden(_))
    ));
}

#[tokio::test]
async fn scheduled_import_settings_change_at_run_time_within_the_minimum() {
    let (services, _store, registry) = setup().await;
    let with_schedule = |interval, minimum| ClusterImagePolicy {
        scheduled_import: ScheduledImportSettings {
            interval_seconds: interval,
            minimum_interval_seconds: minimum,
            max_imports_per_minute: Some(5),
            disabled: Some(false),
        },
        ..ClusterImagePolicy::default()
    };
    // Below the minimum the server was started with (60 s): refused.
    let Err(Error::Invalid(errors)) =
        cluster_policy::update(&services, &admin(), with_schedule(Some(30), None), 0).await
    else {
        panic!("an interval below the minimum was saved");
    };
    assert_eq!(errors[0].field, "scheduledImport.intervalSeconds");
    assert_eq!(
        errors[0].message,
        "Invalid value: 30: must not be below the minimum interval (60 s)"
    );
    set_policy(&services, with_schedule(Some(30), Some(10))).await;
    let settings = cluster_policy::schedule_settings(&services).await.unwrap();
    assert_eq!(settings.interval.as_secs(), 30);
    assert_eq!(settings.minimum_interval.as_secs(), 10);
    assert_eq!(settings.max_imports_per_minute, 5);
    let overview = engine::schedule::overview(&services, &admin(), NS)
        .await
        .unwrap();
    assert_eq!(overview.settings.interval_seconds, 30);
    // A scheduled tag imported now is next due one (jittered) new interval away.
    let mut scheduled = request(&format!("{}/team/app:1.0", registry.host), true);
    scheduled.spec.images[0].import_policy.scheduled = true;
    let done = imports::import(&services, NS, scheduled).await.unwrap();
    assert!(done.status.images[0].status.is_success());
    let tag = engine::schedule::of_tag(&services, &admin(), NS, "app", "1.0")
        .await
        .unwrap()
        .expect("the tag is scheduled");
    let ahead = tag.due.unix() - engine::clock::now_millis() / 1000;
    assert!(
        (20..=40).contains(&ahead),
        "due in {ahead} s, not about 30 s"
    );
}

#[tokio::test]
async fn the_internal_registry_hostname_moves_every_stream_and_local_pull_spec_at_once() {
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let started = services.settings.internal_registry_hostname.clone();
    let digest = fake_digest(7);
    is::map_image(
        &services,
        NS,
        mapping("app", "1", &digest, &format!("quay.io/app@{digest}")),
    )
    .await
    .unwrap();
    let local = TagRequest {
        source: format!("app@{digest}"),
        destination: "app:local".into(),
        reference_policy: "Local".into(),
        source_hint: SourceHint::ImageStreamImage,
        ..TagRequest::default()
    };
    is::tag(&services, NS, local).await.unwrap();
    let before = is::get(&services, NS, "app").await.unwrap();
    assert_eq!(
        before.status.docker_image_repository,
        format!("{started}/{NS}/app")
    );

    // A bad name is refused, naming the field; nothing moves.
    let version = cluster_policy::get(&services, &admin())
        .await
        .unwrap()
        .resource_version;
    let refused = cluster_policy::update(
        &services,
        &admin(),
        ClusterImagePolicy {
            internal_registry_hostname: "https://registry.example.com/team".into(),
            ..ClusterImagePolicy::default()
        },
        version,
    )
    .await;
    assert!(
        matches!(&refused, Err(Error::Invalid(errors))
            if errors[0].field == "internalRegistryHostname"
            && errors[0].message.contains("without a scheme")),
        "{refused:?}"
    );
    assert_eq!(is::get(&services, NS, "app").await.unwrap(), before);

    // Saved: the stream's repository and its Local pull spec follow at
    // once, as a change watchers see; new streams are born with it.
    set_policy(
        &services,
        ClusterImagePolicy {
            internal_registry_hostname: " registry.example.com:5000 ".into(),
            ..ClusterImagePolicy::default()
        },
    )
    .await;
    let moved = is::get(&services, NS, "app").await.unwrap();
    assert_eq!(
        moved.status.docker_image_repository,
        format!("registry.example.com:5000/{NS}/app")
    );
    assert_ne!(
        moved.metadata.resource_version,
        before.metadata.resource_version
    );
    assert_eq!(moved.spec, before.spec);
    let tag = is::get_tag(&services, NS, "app:local").await.unwrap();
    assert_eq!(
        tag.image.docker_image_reference,
        format!("registry.example.com:5000/{NS}/app@{digest}")
    );
    is::map_image(
        &services,
        NS,
        mapping("web", "1", &digest, &format!("quay.io/web@{digest}")),
    )
    .await
    .unwrap();
    assert_eq!(
        is::get(&services, NS, "web")
            .await
            .unwrap()
            .status
            .docker_image_repository,
        format!("registry.example.com:5000/{NS}/web")
    );

    // Emptied: back to the name the server was started with.
    set_policy(&services, ClusterImagePolicy::default()).await;
    for name in ["app", "web"] {
        assert_eq!(
            is::get(&services, NS, name)
                .await
                .unwrap()
                .status
                .docker_image_repository,
            format!("{started}/{NS}/{name}")
        );
    }
}

/// A server started again with another `--internal-registry-hostname` (and
/// none in the settings) moves every stream to it before it serves; a
/// start with the same name moves nothing, and a name in the settings wins
/// over the flag.
#[tokio::test]
async fn a_new_internal_registry_hostname_flag_moves_every_stream_at_the_next_start() {
    let (services, _store) = services_with_project(NS, Settings::default()).await;
    let started = services.settings.internal_registry_hostname.clone();
    let digest = fake_digest(8);
    for name in ["app", "web"] {
        is::map_image(
            &services,
            NS,
            mapping(name, "1", &digest, &format!("quay.io/{name}@{digest}")),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        cluster_policy::follow_registry_hostname_at_start(&services)
            .await
            .unwrap(),
        0
    );

    let restarted = |hostname: &str| {
        Services::new(
            services.store.clone(),
            Settings {
                internal_registry_hostname: hostname.to_owned(),
                ..Settings::default()
            },
        )
    };
    let second = restarted("registry.internal:5000");
    assert_eq!(
        cluster_policy::follow_registry_hostname_at_start(&second)
            .await
            .unwrap(),
        2
    );
    for name in ["app", "web"] {
        let stream = is::get(&second, NS, name).await.unwrap();
        assert_eq!(
            stream.status.docker_image_repository,
            format!("registry.internal:5000/{NS}/{name}")
        );
    }
    assert_eq!(
        cluster_policy::follow_registry_hostname_at_start(&second)
            .await
            .unwrap(),
        0
    );

    // A name saved in the settings is the one in force, whatever the flag.
    set_policy(
        &second,
        ClusterImagePolicy {
            internal_registry_hostname: "registry.example.com".into(),
            ..ClusterImagePolicy::default()
        },
    )
    .await;
    let third = restarted(&started);
    assert_eq!(
        cluster_policy::follow_registry_hostname_at_start(&third)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        is::get(&third, NS, "app")
            .await
            .unwrap()
            .status
            .docker_image_repository,
        format!("registry.example.com/{NS}/app")
    );
}
