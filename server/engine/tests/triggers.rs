//! Image change triggers on a real store (SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` names one): owners created from YAML, tags moved by
//! ImageStreamMappings and `oc tag`, the outbox consumed by the trigger
//! engine, and the builds, rollouts and timelines that result.

use engine::{
    Error, Services, Settings, imagestreams as is,
    model::{
        ReferencePolicy,
        triggers::{Outcome, OwnerKind, WatchedTag},
    },
    store::testing::{TestStore, fake_digest, mapping, services_with_project},
    triggers::{self, TriggerEngine},
};

const NS: &str = "team";
const REGISTRY: &str = "image-registry.openshift-image-registry.svc:5000";

fn digest(n: u8) -> String {
    fake_digest(n)
}

async fn setup() -> (Services, TestStore) {
    services_with_project(NS, Settings::default()).await
}

/// Points `stream:tag` at image `n` of `quay.io/team/<stream>`.
async fn push(services: &Services, stream: &str, tag: &str, n: u8) {
    let mapping = mapping(stream, tag, &digest(n), &pull_spec(stream, n));
    is::map_image(services, NS, mapping).await.unwrap();
}

fn pull_spec(stream: &str, n: u8) -> String {
    format!("quay.io/team/{stream}@{}", digest(n))
}

const BUILD_CONFIG: &str = r#"
kind: BuildConfig
apiVersion: build.openshift.io/v1
metadata:
  name: example-app
spec:
  source:
    type: Git
    git:
      uri: https://example.com/app.git
  strategy:
    type: Source
    sourceStrategy:
      from:
        kind: ImageStreamTag
        name: nodejs:latest
  output:
    to:
      kind: ImageStreamTag
      name: example-app:latest
  triggers:
    - type: ConfigChange
    - type: ImageChange
"#;

/// `(name, images)` of the owner's builds or rollouts, oldest first.
async fn runs(
    services: &Services,
    kind: OwnerKind,
    owner: &str,
) -> Vec<(String, Vec<(String, String)>)> {
    let mut runs: Vec<_> = services
        .store
        .trigger_runs(NS, Some((kind, owner)))
        .await
        .unwrap()
        .into_iter()
        .map(|run| (run.number, run.name, run.images))
        .collect();
    runs.sort();
    runs.into_iter()
        .map(|(_, name, images)| (name, images))
        .collect()
}

/// The owner's evaluations, oldest first, as its own timeline shows them.
async fn outcomes(services: &Services, kind: OwnerKind, owner: &str) -> Vec<Outcome> {
    let mut rows = triggers::owner_timeline(services, NS, kind, owner)
        .await
        .unwrap();
    assert!(
        rows.iter()
            .all(|row| row.kind == kind && row.owner == owner),
        "only {owner}'s evaluations: {rows:?}"
    );
    rows.reverse();
    rows.into_iter().map(|row| row.outcome).collect()
}

#[tokio::test]
async fn a_new_build_config_builds_once_its_tag_resolves_and_never_twice_for_one_image() {
    let (services, _store) = setup().await;
    let engine = TriggerEngine::new(services.clone());
    let applied = triggers::apply(&services, NS, BUILD_CONFIG).await.unwrap();
    assert_eq!(
        applied[0].to_string(),
        "buildconfig.build.openshift.io/example-app created"
    );
    assert!(
        runs(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .is_empty()
    );
    assert_eq!(
        outcomes(&services, OwnerKind::BuildConfig, "example-app").await,
        [Outcome::Unresolved]
    );

    push(&services, "nodejs", "latest", 1).await;
    assert_eq!(engine.drain().await.unwrap(), 1);
    let builds = runs(&services, OwnerKind::BuildConfig, "example-app").await;
    assert_eq!(
        builds,
        [(
            "example-app-1".to_owned(),
            vec![("build".to_owned(), pull_spec("nodejs", 1))]
        )]
    );
    let owner = triggers::get(&services, NS, OwnerKind::BuildConfig, "example-app")
        .await
        .unwrap();
    assert_eq!(
        owner.document["spec"]["triggers"][1]["imageChange"]["lastTriggeredImageID"],
        pull_spec("nodejs", 1)
    );
    assert_eq!(owner.document["status"]["lastVersion"], 1);

    // The same image again is no move; re-applying the YAML (which does not
    // carry lastTriggeredImageID) changes nothing, so it is no write: no
    // build, no evaluation, the same resource version.
    push(&services, "nodejs", "latest", 1).await;
    assert_eq!(engine.drain().await.unwrap(), 0);
    let evaluations = outcomes(&services, OwnerKind::BuildConfig, "example-app")
        .await
        .len();
    let applied = triggers::apply(&services, NS, BUILD_CONFIG).await.unwrap();
    assert_eq!(
        applied[0].to_string(),
        "buildconfig.build.openshift.io/example-app configured"
    );
    assert_eq!(
        runs(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .len(),
        1
    );
    assert_eq!(
        outcomes(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .len(),
        evaluations
    );
    let reapplied = triggers::get(&services, NS, OwnerKind::BuildConfig, "example-app")
        .await
        .unwrap();
    assert_eq!(
        reapplied.document["metadata"]["resourceVersion"],
        owner.document["metadata"]["resourceVersion"]
    );
    // A re-apply that changes something is evaluated again, and the image
    // it already built from is not built again.
    let relabelled = BUILD_CONFIG.replace(
        "  name: example-app\n",
        "  name: example-app\n  labels:\n    team: web\n",
    );
    triggers::apply(&services, NS, &relabelled).await.unwrap();
    assert_eq!(
        runs(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .len(),
        1
    );
    assert_eq!(
        outcomes(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .last(),
        Some(&Outcome::SameImage)
    );

    push(&services, "nodejs", "latest", 2).await;
    engine.drain().await.unwrap();
    let builds = runs(&services, OwnerKind::BuildConfig, "example-app").await;
    assert_eq!(builds.len(), 2);
    assert_eq!(builds[1].0, "example-app-2");
}

#[tokio::test]
async fn switching_a_tags_reference_policy_from_source_to_local_fires() {
    let (services, _store) = setup().await;
    let engine = TriggerEngine::new(services.clone());
    push(&services, "nodejs", "latest", 1).await;
    triggers::apply(&services, NS, BUILD_CONFIG).await.unwrap();
    engine.drain().await.unwrap();
    assert_eq!(
        runs(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .len(),
        1
    );

    let mut stream = is::get(&services, NS, "nodejs").await.unwrap();
    let mut tag = engine::model::TagReference {
        name: "latest".into(),
        ..Default::default()
    };
    tag.reference_policy.kind = ReferencePolicy::LOCAL.into();
    stream.spec.tags = vec![tag];
    is::replace(&services, NS, "nodejs", stream).await.unwrap();
    engine.drain().await.unwrap();
    let builds = runs(&services, OwnerKind::BuildConfig, "example-app").await;
    assert_eq!(builds.len(), 2);
    assert_eq!(
        builds[1].1[0].1,
        format!("{REGISTRY}/{NS}/nodejs@{}", digest(1))
    );
}

const DEPLOYMENT_CONFIG: &str = r#"
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata:
  name: marsview
spec:
  replicas: 1
  selector:
    deploymentconfig: marsview
  template:
    metadata:
      labels:
        deploymentconfig: marsview
    spec:
      containers:
        - name: main
          image: marsview
        - name: proxy
          image: proxy
  triggers:
    - type: ConfigChange
    - type: ImageChange
      imageChangeParams:
        automatic: true
        containerNames: [main]
        from:
          kind: ImageStreamTag
          namespace: team
          name: 'marsview:latest'
    - type: ImageChange
      imageChangeParams:
        automatic: true
        containerNames: [proxy]
        from:
          kind: ImageStreamTag
          name: 'proxy:stable'
"#;

#[tokio::test]
async fn a_deployment_config_waits_for_all_its_triggers_then_rolls_out_each_change() {
    let (services, _store) = setup().await;
    let engine = TriggerEngine::new(services.clone());
    triggers::apply(&services, NS, DEPLOYMENT_CONFIG)
        .await
        .unwrap();
    push(&services, "marsview", "latest", 1).await;
    engine.drain().await.unwrap();
    assert!(
        runs(&services, OwnerKind::DeploymentConfig, "marsview")
            .await
            .is_empty()
    );
    assert_eq!(
        outcomes(&services, OwnerKind::DeploymentConfig, "marsview")
            .await
            .last(),
        Some(&Outcome::Waiting)
    );

    push(&services, "proxy", "stable", 7).await;
    engine.drain().await.unwrap();
    let rollouts = runs(&services, OwnerKind::DeploymentConfig, "marsview").await;
    assert_eq!(
        rollouts,
        [(
            "marsview-1".to_owned(),
            vec![
                ("main".to_owned(), pull_spec("marsview", 1)),
                ("proxy".to_owned(), pull_spec("proxy", 7))
            ]
        )]
    );

    push(&services, "marsview", "latest", 2).await;
    engine.drain().await.unwrap();
    let owner = triggers::get(&services, NS, OwnerKind::DeploymentConfig, "marsview")
        .await
        .unwrap();
    assert_eq!(owner.document["status"]["latestVersion"], 2);
    assert_eq!(
        owner.document["spec"]["template"]["spec"]["containers"][0]["image"],
        pull_spec("marsview", 2)
    );
}

#[tokio::test]
async fn annotated_workloads_get_their_image_set_and_a_duplicate_field_path_is_refused() {
    let (services, _store) = setup().await;
    let engine = TriggerEngine::new(services.clone());
    let deployment = |paths: &[&str]| {
        let triggers: Vec<serde_json::Value> = paths
            .iter()
            .map(|path| serde_json::json!({"from": {"kind": "ImageStreamTag", "name": "web:latest"}, "fieldPath": path}))
            .collect();
        serde_json::json!({
            "kind": "Deployment",
            "metadata": {"name": "web", "annotations": {"image.openshift.io/triggers": serde_json::to_string(&triggers).unwrap()}},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "placeholder"}]}}}
        })
    };
    let path = "spec.template.spec.containers[?(@.name==\"web\")].image";
    let refused = triggers::create(
        &services,
        NS,
        OwnerKind::Deployment,
        deployment(&[path, path]),
    )
    .await;
    let Err(Error::Invalid(errors)) = refused else {
        panic!("a duplicate fieldPath must be refused: {refused:?}");
    };
    assert!(
        errors[0].to_string().contains("fieldPath: Duplicate value"),
        "{errors:?}"
    );

    triggers::create(&services, NS, OwnerKind::Deployment, deployment(&[path]))
        .await
        .unwrap();
    push(&services, "web", "latest", 3).await;
    engine.drain().await.unwrap();
    let owner = triggers::get(&services, NS, OwnerKind::Deployment, "web")
        .await
        .unwrap();
    assert_eq!(
        owner.document["spec"]["template"]["spec"]["containers"][0]["image"],
        pull_spec("web", 3)
    );
    assert_eq!(
        runs(&services, OwnerKind::Deployment, "web").await[0].0,
        "web-2"
    );
}

#[tokio::test]
async fn every_change_fires_exactly_once_across_engines_and_restarts() {
    let (services, store) = setup().await;
    triggers::apply(&services, NS, BUILD_CONFIG).await.unwrap();
    for n in 1..=30 {
        push(&services, "nodejs", "latest", n).await;
    }
    // An engine that "crashed": it took a row and rolled back.
    {
        let mut tx = services.store.write().await.unwrap();
        assert!(tx.take_tag_event().await.unwrap().is_some());
        drop(tx);
    }
    // Two engines on a second connection pool (another replica) and this one.
    let replica = Services::new(
        engine::store::Store::open(&store.url).await.unwrap(),
        Settings::default(),
    );
    let (here, there) = (
        TriggerEngine::new(services.clone()),
        TriggerEngine::new(replica),
    );
    let (a, b) = tokio::join!(here.drain(), there.drain());
    assert_eq!(a.unwrap() + b.unwrap(), 30);
    let builds = runs(&services, OwnerKind::BuildConfig, "example-app").await;
    let names: Vec<String> = builds.iter().map(|b| b.0.clone()).collect();
    let expected: Vec<String> = (1..=30).map(|n| format!("example-app-{n}")).collect();
    assert_eq!(names, expected);
    // In the order the tag moved.
    let images: Vec<String> = builds.iter().map(|b| b.1[0].1.clone()).collect();
    let moved: Vec<String> = (1..=30).map(|n| pull_spec("nodejs", n)).collect();
    assert_eq!(images, moved);
    assert_eq!(services.store.pending_tag_events().await.unwrap(), 0);
}

#[tokio::test]
async fn a_dry_run_says_what_would_fire_and_writes_nothing() {
    let (services, _store) = setup().await;
    let engine = TriggerEngine::new(services.clone());
    push(&services, "nodejs", "latest", 1).await;
    triggers::apply(&services, NS, BUILD_CONFIG).await.unwrap();
    engine.drain().await.unwrap();
    let tag = WatchedTag {
        namespace: NS.into(),
        stream: "nodejs".into(),
        tag: "latest".into(),
    };
    let moved = triggers::dry_run(&services, &tag, &digest(9))
        .await
        .unwrap();
    assert_eq!(moved[0].would_start.as_deref(), Some("example-app-2"));
    assert_eq!(moved[0].evaluations[0].to, pull_spec("nodejs", 9));
    let same = triggers::dry_run(&services, &tag, &digest(1))
        .await
        .unwrap();
    assert_eq!(same[0].evaluations[0].outcome, Outcome::SameImage);
    assert_eq!(
        runs(&services, OwnerKind::BuildConfig, "example-app")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_trigger_on_another_project_is_not_allowed_but_openshift_is() {
    let (services, _store) = setup().await;
    let bc = BUILD_CONFIG.replace(
        "name: nodejs:latest",
        "name: nodejs:latest\n        namespace: elsewhere",
    );
    triggers::apply(&services, NS, &bc).await.unwrap();
    assert_eq!(
        outcomes(&services, OwnerKind::BuildConfig, "example-app").await,
        [Outcome::NotAllowed]
    );
}

#[tokio::test]
async fn a_trigger_on_another_project_fires_once_its_project_may_pull_from_there() {
    let (services, store) = setup().await;
    engine::store::testing::add_project(&store.store, "elsewhere").await;
    let bc = BUILD_CONFIG.replace(
        "name: nodejs:latest",
        "name: nodejs:latest\n        namespace: elsewhere",
    );
    triggers::apply(&services, NS, &bc).await.unwrap();
    let push_elsewhere = |n: u8| {
        let services = services.clone();
        async move {
            let mapping = mapping("nodejs", "latest", &digest(n), &pull_spec("nodejs", n));
            is::map_image(&services, "elsewhere", mapping)
                .await
                .unwrap();
            TriggerEngine::new(services.clone()).drain().await.unwrap();
        }
    };
    push_elsewhere(1).await;
    assert_eq!(
        outcomes(&services, OwnerKind::BuildConfig, "example-app").await,
        [Outcome::NotAllowed, Outcome::NotAllowed]
    );

    // oc policy add-role-to-group system:image-puller system:serviceaccounts:team -n elsewhere
    engine::access::members::add(
        &services,
        &engine::access::Caller::system("test"),
        engine::model::access::RoleBinding {
            namespace: "elsewhere".into(),
            subject: engine::model::access::Subject::Group("system:serviceaccounts:team".into()),
            role: engine::model::access::Role::ImagePuller,
        },
    )
    .await
    .unwrap();
    push_elsewhere(2).await;
    assert_eq!(
        outcomes(&services, OwnerKind::BuildConfig, "example-app").await,
        [Outcome::NotAllowed, Outcome::NotAllowed, Outcome::Fired]
    );
    assert_eq!(
        runs(&services, OwnerKind::BuildConfig, "example-app").await,
        [(
            "example-app-1".to_owned(),
            vec![("build".to_owned(), pull_spec("nodejs", 2))]
        )]
    );
}

/// Who owns which fields of an owner: a writer through the API owns what it
/// set (entries in the kind's API version), a write that sends no owners
/// keeps them, the console's trigger form takes what it changed, and a dry
/// run keeps nothing.
#[tokio::test]
async fn owner_writes_record_their_field_managers_and_dry_runs_keep_nothing() {
    use engine::{field_management::FieldOwner, imagestreams::Write};
    let (services, _store) = setup().await;
    let deployment = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"template": {"spec": {"containers": [
            {"name": "web", "image": "quay.io/team/web:1", "env": [{"name": "MODE", "value": "prod"}]}
        ]}}}
    });
    let managers = |document: &serde_json::Value| -> Vec<String> {
        document["metadata"]["managedFields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| {
                format!(
                    "{}/{}/{}",
                    entry["manager"].as_str().unwrap(),
                    entry["operation"].as_str().unwrap(),
                    entry["apiVersion"].as_str().unwrap()
                )
            })
            .collect()
    };
    let ci = FieldOwner::Manager("ci".to_owned());

    let tried = triggers::create_with(
        &services,
        NS,
        OwnerKind::Deployment,
        deployment.clone(),
        Write::DryRun,
        &ci,
    )
    .await
    .unwrap();
    assert_eq!(managers(&tried.document), ["ci/Update/apps/v1"]);
    assert!(matches!(
        triggers::get(&services, NS, OwnerKind::Deployment, "web").await,
        Err(Error::NotFound { .. })
    ));

    let created = triggers::create_with(
        &services,
        NS,
        OwnerKind::Deployment,
        deployment.clone(),
        Write::Commit,
        &ci,
    )
    .await
    .unwrap();
    assert_eq!(managers(&created.document), ["ci/Update/apps/v1"]);
    let owned = created.document["metadata"]["managedFields"][0]["fieldsV1"].to_string();
    assert!(owned.contains(r#"k:{\"name\":\"MODE\"}"#), "{owned}");

    // A replace that sends no owners keeps them, and owns what it changed.
    let mut changed = created.document.clone();
    changed["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("managedFields");
    changed["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] = "debug".into();
    let replaced = triggers::replace_with(
        &services,
        NS,
        OwnerKind::Deployment,
        "web",
        changed,
        Write::Commit,
        &FieldOwner::Manager("ops".to_owned()),
    )
    .await
    .unwrap();
    assert_eq!(
        managers(&replaced.document),
        ["ci/Update/apps/v1", "ops/Update/apps/v1"]
    );
    let ops = replaced.document["metadata"]["managedFields"][1]["fieldsV1"].to_string();
    assert!(
        ops.contains(r#"f:value"#) && !ops.contains(r#"f:image"#),
        "{ops}"
    );

    // The console's trigger form owns the annotation it wrote.
    let edited = triggers::set_triggers(
        &services,
        NS,
        OwnerKind::Deployment,
        "web",
        &engine::model::triggers::TriggerEdit::Add {
            tag: WatchedTag {
                namespace: NS.to_owned(),
                stream: "web".to_owned(),
                tag: "latest".to_owned(),
            },
            containers: vec!["web".to_owned()],
        },
    )
    .await
    .unwrap();
    assert_eq!(
        managers(&edited.document),
        [
            "ci/Update/apps/v1",
            "ops/Update/apps/v1",
            "image-stream-console/Update/apps/v1"
        ]
    );

    // A dry-run delete keeps the owner.
    triggers::delete_with(&services, NS, OwnerKind::Deployment, "web", Write::DryRun)
        .await
        .unwrap();
    assert!(
        triggers::get(&services, NS, OwnerKind::Deployment, "web")
            .await
            .is_ok()
    );
}
