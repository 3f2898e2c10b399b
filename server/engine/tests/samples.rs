//! The shared sample catalog against a real registry (Debian's
//! `docker-registry` as the samples' mirror): samples installed into the
//! `openshift` project as configured, imported from the mirror, failed
//! imports retried on the next pass, skipped samples and users' own streams
//! left alone, and `Removed` removing what the samples manage.

use std::collections::BTreeSet;

use engine::registry::testing::{Layout, TestRegistry};
use engine::{
    Error, Services, Settings,
    access::Caller,
    catalog, cluster_policy,
    imagestreams::{self, tag},
    model::{
        IMPORT_SUCCESS, ImageStream, ObjectMeta, SHARED_PROJECT, TagRequest,
        access::{Role, RoleBinding, Subject},
        catalog::CatalogQuery,
        cluster_policy::{ClusterImagePolicy, RegistrySources},
        samples::{ManagementState, SampleState, SamplesConfig, SamplesView},
    },
    samples,
    store::testing::{TestStore, services_with_project},
};

const NS: &str = "team";

fn admin() -> Caller {
    Caller::system("test")
}

/// Pushes one small image as `repo:tag`.
fn push(registry: &TestRegistry, repo: &str, tag: &str) {
    let mut layout = Layout::new();
    let image = layout.image("linux", "amd64", &format!("SAMPLE={repo}:{tag}"));
    layout.tag(tag, image);
    registry.push(&layout.path(), tag, repo);
}

/// Every sample skipped except `kept`.
fn skip_all_but(kept: &[&str]) -> Vec<String> {
    samples::names()
        .into_iter()
        .filter(|name| !kept.contains(name))
        .map(str::to_owned)
        .collect()
}

async fn view(services: &Services) -> SamplesView {
    samples::get(services, &admin()).await.unwrap()
}

async fn configure(services: &Services, config: SamplesConfig) -> SamplesView {
    let version = view(services).await.resource_version;
    samples::update(services, &admin(), config, version)
        .await
        .unwrap()
}

fn state_of(view: &SamplesView, name: &str) -> SampleState {
    view.samples
        .iter()
        .find(|sample| sample.name == name)
        .unwrap()
        .state
        .clone()
}

async fn shared_stream(services: &Services, name: &str) -> Option<ImageStream> {
    services
        .store
        .image_stream(SHARED_PROJECT, name)
        .await
        .unwrap()
}

/// Services whose imports may reach the plain-HTTP `registry` (the store
/// lives as long as the returned guard).
async fn setup(registry: &TestRegistry) -> (Services, TestStore) {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    cluster_policy::update(
        &services,
        &admin(),
        ClusterImagePolicy {
            registry_sources: RegistrySources {
                insecure_registries: vec![registry.host.clone()],
                ..RegistrySources::default()
            },
            ..ClusterImagePolicy::default()
        },
        0,
    )
    .await
    .unwrap();
    (services, store)
}

#[tokio::test]
async fn samples_install_from_the_mirror_and_failed_tags_are_retried_on_the_next_pass() {
    let registry = TestRegistry::start_plain();
    push(&registry, "library/ruby", "3.3");
    let (services, _store) = setup(&registry).await;

    // Saving installs the samples at once; nothing is imported yet.
    let saved = configure(
        &services,
        SamplesConfig {
            management_state: ManagementState::Managed,
            skipped_imagestreams: skip_all_but(&["ruby", "python"]),
            samples_registry: registry.host.clone(),
        },
    )
    .await;
    assert_eq!(
        state_of(&saved, "ruby"),
        SampleState::Installed {
            imported: 0,
            tags: 3
        }
    );
    assert_eq!(state_of(&saved, "golang"), SampleState::Skipped);
    assert!(shared_stream(&services, "golang").await.is_none());
    let ruby = saved.samples.iter().find(|s| s.name == "ruby").unwrap();
    assert_eq!(ruby.source, format!("{}/library/ruby:3.3", registry.host));

    // The first pass imports what the mirror has and records why the rest failed.
    let first = samples::reconcile(&services).await.unwrap();
    assert_eq!(
        first.imports.keys().cloned().collect::<BTreeSet<_>>(),
        ["python:3.11", "python:3.12", "ruby:3.2", "ruby:3.3"]
            .map(str::to_owned)
            .into()
    );
    assert!(first.imports["ruby:3.3"]);
    assert!(!first.imports["ruby:3.2"]);
    let ruby = shared_stream(&services, "ruby").await.unwrap();
    let newest = ruby.latest("3.3").expect("ruby:3.3 imported");
    // `latest` follows the newest version: it has 3.3's image as soon as
    // 3.3 was imported, and no image while its source has none.
    assert_eq!(
        ruby.latest("latest").map(|event| &event.image),
        Some(&newest.image)
    );
    let python = shared_stream(&services, "python").await.unwrap();
    assert!(python.latest("latest").is_none());
    let failed = ruby.status_tag("3.2").unwrap();
    assert!(failed.items.is_empty());
    assert!(
        failed
            .conditions
            .iter()
            .any(|c| c.kind == IMPORT_SUCCESS && c.status == "False" && !c.message.is_empty()),
        "{failed:?}"
    );

    // The catalog shows the unimported sample as waiting, with the reason.
    let page = catalog::page(&services, NS, &CatalogQuery::default())
        .await
        .unwrap();
    let card = |stream: &str| {
        page.items
            .iter()
            .find(|item| item.namespace == SHARED_PROJECT && item.stream == stream)
            .unwrap_or_else(|| panic!("no {stream} card in {page:?}"))
    };
    assert!(!card("ruby").not_imported());
    assert!(card("python").not_imported());
    let reason = card("python").import_error().unwrap();
    assert!(reason.contains("library/python"), "{reason}");
    let ruby_card = card("ruby");
    assert!(ruby_card.versions[0].pull_spec.is_some());
    assert!(ruby_card.versions[1].import_error.is_some());
    let tags: Vec<&str> = ruby_card.versions.iter().map(|v| v.tag.as_str()).collect();
    assert_eq!(tags, ["3.3", "3.2", "latest"]);
    assert_eq!(
        ruby_card.versions[2].pull_spec,
        ruby_card.versions[0].pull_spec
    );

    // Once the mirror has the image, the next pass imports it - and only
    // the tags still missing are asked for.
    push(&registry, "library/ruby", "3.2");
    let second = samples::reconcile(&services).await.unwrap();
    assert_eq!(
        second.imports.keys().cloned().collect::<BTreeSet<_>>(),
        ["python:3.11", "python:3.12", "ruby:3.2"]
            .map(str::to_owned)
            .into()
    );
    assert!(second.imports["ruby:3.2"]);
    let after = view(&services).await;
    assert_eq!(
        state_of(&after, "ruby"),
        SampleState::Installed {
            imported: 3,
            tags: 3
        }
    );
    let ruby_status = after.samples.iter().find(|s| s.name == "ruby").unwrap();
    assert_eq!(ruby_status.last_error, None);
    assert!(
        after
            .samples
            .iter()
            .find(|s| s.name == "python")
            .unwrap()
            .last_error
            .is_some()
    );
}

#[tokio::test]
async fn changed_samples_are_repaired_skipped_ones_and_users_streams_left_alone_and_removed_removes()
 {
    let registry = TestRegistry::start_plain();
    let (services, _store) = setup(&registry).await;
    // A user's own stream that shares a sample's name.
    imagestreams::create(
        &services,
        SHARED_PROJECT,
        ImageStream {
            metadata: ObjectMeta {
                name: "nginx".into(),
                ..ObjectMeta::default()
            },
            ..ImageStream::default()
        },
    )
    .await
    .unwrap();

    configure(
        &services,
        SamplesConfig {
            management_state: ManagementState::Managed,
            skipped_imagestreams: skip_all_but(&["ruby", "nginx"]),
            samples_registry: String::new(),
        },
    )
    .await;
    let ruby = shared_stream(&services, "ruby").await.unwrap();
    assert_eq!(
        ruby.spec_tag("3.3").unwrap().from.as_ref().unwrap().name,
        "docker.io/library/ruby:3.3"
    );
    let nginx = shared_stream(&services, "nginx").await.unwrap();
    assert!(
        nginx.spec.tags.is_empty(),
        "the user's stream is not taken over"
    );

    // Someone points a sample tag elsewhere; the next pass puts it back.
    tag(
        &services,
        SHARED_PROJECT,
        TagRequest {
            source: "quay.io/someone/ruby:evil".into(),
            destination: "ruby:3.3".into(),
            reference: true,
            ..TagRequest::default()
        },
    )
    .await
    .unwrap();
    let pass = samples::install(&services).await.unwrap();
    assert_eq!(pass.repaired, ["ruby"]);
    let ruby = shared_stream(&services, "ruby").await.unwrap();
    assert_eq!(
        ruby.spec_tag("3.3").unwrap().from.as_ref().unwrap().name,
        "docker.io/library/ruby:3.3"
    );
    assert!(
        samples::install(&services)
            .await
            .unwrap()
            .repaired
            .is_empty()
    );

    // A mirror set later moves every managed sample to it.
    let moved = configure(
        &services,
        SamplesConfig {
            management_state: ManagementState::Managed,
            skipped_imagestreams: skip_all_but(&["ruby", "nginx"]),
            samples_registry: registry.host.clone(),
        },
    )
    .await;
    let ruby = shared_stream(&services, "ruby").await.unwrap();
    assert_eq!(
        ruby.spec_tag("3.3").unwrap().from.as_ref().unwrap().name,
        format!("{}/library/ruby:3.3", registry.host)
    );
    assert_eq!(state_of(&moved, "nginx"), SampleState::NotInstalled);

    // Removed removes the managed samples and nothing else.
    let removed = configure(
        &services,
        SamplesConfig {
            management_state: ManagementState::Removed,
            skipped_imagestreams: Vec::new(),
            samples_registry: String::new(),
        },
    )
    .await;
    assert!(shared_stream(&services, "ruby").await.is_none());
    assert!(shared_stream(&services, "nginx").await.is_some());
    assert!(
        removed
            .samples
            .iter()
            .all(|s| s.state == SampleState::NotInstalled)
    );
    let pass = samples::reconcile(&services).await.unwrap();
    assert!(pass.installed.is_empty() && pass.imports.is_empty());
}

#[tokio::test]
async fn the_configuration_is_validated_versioned_and_for_cluster_admins_only() {
    let (services, store) = services_with_project(NS, Settings::default()).await;
    let bad = samples::update(
        &services,
        &admin(),
        SamplesConfig {
            management_state: ManagementState::Managed,
            skipped_imagestreams: vec!["ruby".into(), "rubby".into()],
            samples_registry: "mirror.example.com/path".into(),
        },
        0,
    )
    .await;
    let Err(Error::Invalid(errors)) = bad else {
        panic!("{bad:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["skippedImagestreams[1]", "samplesRegistry"]);
    assert!(
        errors[0]
            .message
            .contains("\"rubby\": not one of the samples")
    );
    // Nothing was saved or installed.
    assert_eq!(view(&services).await.resource_version, 0);
    assert!(shared_stream(&services, "ruby").await.is_none());

    // First start writes the state the server started with; saving on top
    // of a stale version is refused.
    samples::write_first(&services).await.unwrap();
    let first = view(&services).await;
    assert_eq!(first.resource_version, 1);
    assert_eq!(first.updated_by, "system:samples");
    let stale = samples::update(&services, &admin(), SamplesConfig::default(), 0).await;
    assert!(matches!(stale, Err(Error::Conflict(_))), "{stale:?}");

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
        samples::get(&services, &pat).await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        samples::update(&services, &pat, SamplesConfig::default(), 1).await,
        Err(Error::Forbidden(_))
    ));
}

#[tokio::test]
async fn first_start_keeps_the_state_the_server_was_started_with() {
    let settings = Settings {
        samples: samples::SamplesSettings {
            first_state: ManagementState::Removed,
            ..samples::SamplesSettings::default()
        },
        ..Settings::default()
    };
    let (services, _store) = services_with_project(NS, settings).await;
    samples::write_first(&services).await.unwrap();
    samples::reconcile(&services).await.unwrap();
    assert!(shared_stream(&services, "ruby").await.is_none());
    // A later start with another flag does not overwrite the stored choice.
    let managed_later = Services {
        settings: Settings::default(),
        ..services.clone()
    };
    samples::write_first(&managed_later).await.unwrap();
    assert_eq!(
        samples::current(&managed_later)
            .await
            .unwrap()
            .management_state,
        ManagementState::Removed
    );
}
