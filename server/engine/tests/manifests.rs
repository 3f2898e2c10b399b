//! Image streams as YAML and JSON on a real store: the seeds' examples apply
//! and export back with an equal spec; bad and hostile text is refused with
//! the field path and line, and nothing is written.

use engine::{
    Error, Services, Settings, imagestreams as is,
    manifests::{AppliedAction, apply, decode_image_streams, to_json, to_yaml},
    model::FieldError,
    store::testing::{TestStore, add_project, fresh_store},
};

const NS: &str = "team";

async fn setup() -> (Services, TestStore) {
    let store = fresh_store().await;
    for name in [NS, "demo-project"] {
        add_project(&store, name).await;
    }
    (
        Services::new(store.store.clone(), Settings::default()),
        store,
    )
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn invalid(error: Error) -> Vec<FieldError> {
    match error {
        Error::Invalid(fields) => fields,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn the_seed_examples_apply_and_export_back_with_an_equal_spec() {
    let (services, _store) = setup().await;
    let cases = [
        ("001-dockerimagerepository.yaml", NS, "my-ruby"),
        ("001-synchronized.yaml", "demo-project", "my-ruby"),
        ("001-scheduled.yaml", NS, "ruby"),
        ("001-catalog.yaml", "demo-project", "ruby"),
        ("004-approved-apache.yaml", NS, "approved-apache"),
    ];
    for (file, namespace, name) in cases {
        let applied = apply(&services, namespace, &fixture(file))
            .await
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            applied[0].to_string(),
            format!("imagestream.image.openshift.io/{name} created"),
            "{file}"
        );
        let stored = is::get(&services, namespace, name).await.unwrap();

        for exported in [
            to_yaml(std::slice::from_ref(&stored)),
            to_json(std::slice::from_ref(&stored)),
        ] {
            let again = decode_image_streams(&exported)
                .unwrap_or_else(|e| panic!("{file}: export does not read back: {e:?}"));
            assert_eq!(again[0].stream.spec, stored.spec, "{file}");
            assert_eq!(again[0].stream.metadata.name, name);
        }
        let unchanged = apply(&services, namespace, &fixture(file)).await.unwrap();
        assert_eq!(
            unchanged[0].action,
            AppliedAction::Unchanged,
            "{file}: applying twice changes nothing"
        );
    }

    let synchronized = is::get(&services, "demo-project", "my-ruby").await.unwrap();
    assert!(
        synchronized.status.tags.is_empty(),
        "status is never taken from input"
    );
    assert_eq!(synchronized.metadata.generation, 1);
    let catalog = is::get(&services, "demo-project", "ruby").await.unwrap();
    assert_eq!(
        catalog.spec_tag("2.0").unwrap().annotation("tags"),
        Some("builder,ruby")
    );
    assert!(
        catalog
            .spec_tag("2.0")
            .unwrap()
            .annotation("description")
            .unwrap()
            .starts_with("Build and run Ruby 2.0")
    );
}

#[tokio::test]
async fn export_looks_like_oc_get_o_yaml() {
    let (services, _store) = setup().await;
    apply(&services, NS, &fixture("004-approved-apache.yaml"))
        .await
        .unwrap();
    let yaml = to_yaml(&[is::get(&services, NS, "approved-apache").await.unwrap()]);
    assert!(
        yaml.starts_with("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n"),
        "{yaml}"
    );
    for line in [
        "  - annotations: null",
        "    name: '2.4'",
        "      importMode: Legacy",
        "      type: Source",
        "  lookupPolicy:\n    local: false",
    ] {
        assert!(yaml.contains(line), "{line:?} missing in\n{yaml}");
    }
}

#[tokio::test]
async fn misplaced_fields_in_the_seeds_are_refused_by_path_and_line() {
    let (services, _store) = setup().await;
    let fields = invalid(
        apply(&services, NS, &fixture("001-insecure-annotation.yaml"))
            .await
            .unwrap_err(),
    );
    assert_eq!(fields[0].field, "metadata.spec");
    assert_eq!(fields[0].line, Some(7));
    assert!(
        fields[0].message.starts_with("unknown field `spec`"),
        "{}",
        fields[0].message
    );

    let fields = invalid(
        apply(&services, NS, &fixture("001-insecure-tag.yaml"))
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (fields[0].field.as_str(), fields[0].line),
        ("metadata.tags", Some(5))
    );
    assert!(is::list(&services, NS).await.unwrap().is_empty());

    // The corrected version of the same example applies.
    let corrected = fixture("001-insecure-tag.yaml").replacen("  tags:", "spec:\n  tags:", 1);
    apply(&services, NS, &corrected).await.unwrap();
    let ruby = is::get(&services, NS, "ruby").await.unwrap();
    let tag = ruby.spec_tag("mytag").unwrap();
    assert!(tag.import_policy.insecure);
    assert_eq!(tag.reference_policy.kind, "Local");
}

#[tokio::test]
async fn a_bad_document_anywhere_writes_nothing() {
    let (services, _store) = setup().await;
    let text = format!(
        "{}---\napiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: second\nspec:\n  tags:\n  - name: x\n    from:\n      kind: Docker\n      name: y\n",
        fixture("004-approved-apache.yaml")
    );
    let fields = invalid(apply(&services, NS, &text).await.unwrap_err());
    assert_eq!(fields[0].field, "spec.tags[x].from.kind");
    assert_eq!(fields[0].line, Some(24), "{fields:?}");
    assert!(
        is::list(&services, NS).await.unwrap().is_empty(),
        "the valid first document was not applied either"
    );
}

#[tokio::test]
async fn lists_apply_every_item_and_name_bad_items() {
    let (services, _store) = setup().await;
    let list = r#"{"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "a"}},
        {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream", "metadata": {"name": "b"}}
    ]}"#;
    let applied = apply(&services, NS, list).await.unwrap();
    assert_eq!(applied.len(), 2);
    let bad = list.replace(r#"{"name": "b"}"#, r#"{"name": "b", "nme": 1}"#);
    let fields = invalid(apply(&services, NS, &bad).await.unwrap_err());
    assert_eq!(
        (fields[0].field.as_str(), fields[0].line),
        ("items[1].metadata.nme", Some(3))
    );
}

#[tokio::test]
async fn applying_again_removes_what_the_last_apply_set_and_keeps_the_rest() {
    let (services, _store) = setup().await;
    let two_tags = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: app\n  labels:\n    team: a\nspec:\n  tags:\n  - name: one\n    from: {kind: DockerImage, name: quay.io/app:1}\n  - name: two\n    from: {kind: DockerImage, name: quay.io/app:2}\n";
    apply(&services, NS, two_tags).await.unwrap();
    is::tag(
        &services,
        NS,
        engine::model::TagRequest {
            source: "quay.io/app:3".into(),
            destination: "app:three".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let one_tag = two_tags
        .replace(
            "  - name: two\n    from: {kind: DockerImage, name: quay.io/app:2}\n",
            "",
        )
        .replace("    team: a\n", "    owner: b\n");
    let applied = apply(&services, NS, &one_tag).await.unwrap();
    assert_eq!(applied[0].action, AppliedAction::Configured);
    let app = is::get(&services, NS, "app").await.unwrap();
    let tags: Vec<_> = app.spec.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tags,
        ["one", "three"],
        "two was dropped from the applied text; three was set by oc tag and stays"
    );
    assert_eq!(app.metadata.labels.keys().collect::<Vec<_>>(), ["owner"]);
}

#[tokio::test]
async fn an_edited_export_applies_once_and_a_stale_one_conflicts() {
    let (services, _store) = setup().await;
    let text = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: app\nspec:\n  tags:\n  - name: one\n    from: {kind: DockerImage, name: quay.io/app:1}\n";
    apply(&services, NS, text).await.unwrap();
    let stored = is::get(&services, NS, "app").await.unwrap();
    let recorded = &stored.metadata.annotations[engine::manifests::LAST_APPLIED];
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(recorded).unwrap(),
        serde_json::json!({
            "apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
            "metadata": {"name": "app"},
            "spec": {"tags": [{"name": "one", "from": {"kind": "DockerImage", "name": "quay.io/app:1"}}]}
        }),
        "the record is the text as written, not the stored object"
    );

    // An export edited while someone else changed the stream is stale.
    let stale_export = to_yaml(std::slice::from_ref(&stored));
    is::set_image_lookup(&services, NS, "app", false)
        .await
        .unwrap();
    is::tag(
        &services,
        NS,
        engine::model::TagRequest {
            source: "quay.io/app:2".into(),
            destination: "app:two".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let stale = stale_export.replace("local: false", "local: true");
    assert_ne!(stale, stale_export);
    match apply(&services, NS, &stale).await {
        Err(Error::Conflict(message)) => assert!(
            message.contains("the object has been modified"),
            "{message}"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        !is::get(&services, NS, "app")
            .await
            .unwrap()
            .spec
            .lookup_policy
            .local
    );

    // The same edit of a fresh export applies, and records it without nesting.
    let fresh = is::get(&services, NS, "app").await.unwrap();
    let edited = to_yaml(std::slice::from_ref(&fresh)).replace("local: false", "local: true");
    let applied = apply(&services, NS, &edited).await.unwrap();
    assert_eq!(applied[0].action, AppliedAction::Configured);
    let after = is::get(&services, NS, "app").await.unwrap();
    assert!(after.spec.lookup_policy.local);
    let recorded = &after.metadata.annotations[engine::manifests::LAST_APPLIED];
    assert!(
        !recorded.contains("last-applied-configuration") && !recorded.contains("\"status\""),
        "records never nest and never hold status: {recorded}"
    );
    let tags: Vec<_> = after.spec.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["one", "two"]);
    let again = apply(&services, NS, &edited).await.unwrap();
    assert_eq!(
        again[0].action,
        AppliedAction::Unchanged,
        "applying the same text again is not a conflict"
    );
}

#[tokio::test]
async fn hostile_text_is_refused_with_a_clear_message() {
    let (services, _store) = setup().await;
    let header = "apiVersion: image.openshift.io/v1\nkind: ImageStream\n";
    let cases = [
        (
            format!("{header}metadata:\n  name: a\n  name: b\n"),
            "duplicate key \"name\"",
        ),
        (
            format!(
                "{header}metadata:\n  name: a\n  annotations:\n    x: &x [a, a, a, a, a, a, a, a, a, a]\n    y: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n    z: &z [*y, *y, *y, *y, *y, *y, *y, *y, *y, *y]\n    w: &w [*z, *z, *z, *z, *z, *z, *z, *z, *z, *z]\n    v: &v [*w, *w, *w, *w, *w, *w, *w, *w, *w, *w]\n    u: [*v, *v, *v, *v, *v, *v, *v, *v, *v, *v]\n"
            ),
            "more than 200000 values",
        ),
        (
            format!("{header}metadata: {}{}", "[".repeat(200), "]".repeat(200)),
            "nests deeper than 64 levels",
        ),
        (
            format!(
                "{header}metadata:\n  name: big\n  annotations:\n    x: \"{}\"\n",
                "a".repeat(2 * 1024 * 1024)
            ),
            "at most 1048576 are accepted",
        ),
        (
            format!("{header}metadata:\n  name: a\nspec:\n  tags:\n  - name: 2.0\n"),
            "expected text but found the number 2.0; write it in quotes, e.g. '2.0'",
        ),
        (
            "kind: Deployment\napiVersion: apps/v1\n".to_owned(),
            "only ImageStream (or a List of them) can be applied here",
        ),
        ("{{{{".to_owned(), "not valid YAML"),
    ];
    for (text, expected) in cases {
        let fields = invalid(apply(&services, NS, &text).await.unwrap_err());
        assert!(
            fields[0].message.contains(expected),
            "{expected:?} not in {fields:?}"
        );
    }
    assert!(is::list(&services, NS).await.unwrap().is_empty());
}
