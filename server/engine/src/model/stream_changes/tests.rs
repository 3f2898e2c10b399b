//! The stream strategy, case by case: defaults, generations, and what each
//! kind of tag does to the history.

use super::*;
use crate::model::{
    ImageStreamSpec, NamedTagEventList, ObjectMeta, ObjectReference, TagEventCondition,
    TagImportPolicy, tag_history::add_tag_event,
};

const REGISTRY: &str = "image-registry.local:5000";
const A: &str = "sha256:aaaa000000000000000000000000000000000000000000000000000000000000";
const B: &str = "sha256:bbbb000000000000000000000000000000000000000000000000000000000000";

fn at(seconds: i64) -> Time {
    Time::from_unix(1_700_000_000 + seconds)
}

fn context(now: Time, others: &[ImageStream]) -> ChangeContext {
    ChangeContext {
        now,
        internal_registry: REGISTRY.into(),
        other_streams: others.to_vec(),
        policy: Default::default(),
    }
}

fn tag(name: &str, kind: &str, from: &str) -> TagReference {
    TagReference {
        name: name.into(),
        from: Some(ObjectReference {
            kind: kind.into(),
            name: from.into(),
            ..ObjectReference::default()
        }),
        ..TagReference::default()
    }
}

fn reference_tag(name: &str, from: &str) -> TagReference {
    TagReference {
        reference: true,
        ..tag(name, "DockerImage", from)
    }
}

fn stream(namespace: &str, name: &str, tags: Vec<TagReference>) -> ImageStream {
    ImageStream {
        metadata: ObjectMeta {
            name: name.into(),
            namespace: namespace.into(),
            ..ObjectMeta::default()
        },
        spec: ImageStreamSpec {
            tags,
            ..ImageStreamSpec::default()
        },
        ..ImageStream::default()
    }
}

fn created(mut s: ImageStream, now: Time, others: &[ImageStream]) -> ImageStream {
    prepare_create(&mut s, &context(now, others)).unwrap();
    s
}

fn updated(old: &ImageStream, edit: impl FnOnce(&mut ImageStream), now: Time) -> ImageStream {
    let mut next = old.clone();
    edit(&mut next);
    prepare_update(old, &mut next, &context(now, &[])).unwrap();
    next
}

fn history(s: &ImageStream, tag: &str) -> Vec<(String, String, i64)> {
    s.status_tag(tag)
        .map(|list| {
            list.items
                .iter()
                .map(|e| {
                    (
                        e.docker_image_reference.clone(),
                        e.image.clone(),
                        e.generation,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn spec_generation(s: &ImageStream, tag: &str) -> Option<i64> {
    s.spec_tag(tag).and_then(|t| t.generation)
}

/// An import landing: the tag's top event becomes `image` at the tag's generation.
fn imported(s: &mut ImageStream, tag: &str, image: &str) {
    let generation = spec_generation(s, tag).unwrap();
    let event = TagEvent {
        created: at(50),
        docker_image_reference: format!("python@{image}"),
        image: image.into(),
        generation,
        platforms: Vec::new(),
    };
    add_tag_event(&mut s.status, tag, event.clone());
    crate::model::tag_history::update_tracking_tags(s, tag, &event);
}

#[test]
fn create_fills_defaults_collapses_duplicates_and_sorts() {
    let s = created(
        stream(
            "team",
            "python",
            vec![
                tag("3.6", "DockerImage", "python:3.5"),
                tag("2.7", "DockerImage", "python:2.7"),
                tag("3.6", "DockerImage", "python:3.6"),
            ],
        ),
        at(0),
        &[],
    );
    assert_eq!(s.api_version, "image.openshift.io/v1");
    assert_eq!(s.kind, "ImageStream");
    assert_eq!(s.metadata.generation, 1);
    let names: Vec<_> = s.spec.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["2.7", "3.6"]);
    let t = s.spec_tag("3.6").unwrap();
    assert_eq!(
        t.from.as_ref().unwrap().name,
        "python:3.6",
        "the last duplicate wins"
    );
    assert_eq!(
        (
            t.reference_policy.kind.as_str(),
            t.import_policy.import_mode.as_str()
        ),
        ("Source", "Legacy")
    );
    assert_eq!(t.generation, Some(1));
    assert_eq!(
        s.status.docker_image_repository,
        format!("{REGISTRY}/team/python")
    );
}

#[test]
fn status_is_never_taken_from_input() {
    let mut input = stream(
        "team",
        "python",
        vec![tag("3.6", "DockerImage", "python:3.6")],
    );
    add_tag_event(
        &mut input.status,
        "3.6",
        TagEvent {
            created: at(0),
            docker_image_reference: "evil@sha256:x".into(),
            image: "sha256:x".into(),
            generation: 9,
            platforms: Vec::new(),
        },
    );
    input.status.docker_image_repository = "evil.example/x".into();
    let s = created(input.clone(), at(0), &[]);
    assert!(s.status.tags.is_empty());
    assert_eq!(
        s.status.docker_image_repository,
        format!("{REGISTRY}/team/python")
    );

    let mut update = s.clone();
    update.status = input.status;
    prepare_update(&s, &mut update, &context(at(1), &[])).unwrap();
    assert_eq!(update.status, s.status);
}

#[test]
fn a_docker_image_tag_waits_for_an_import_and_a_reference_tag_does_not() {
    let s = created(
        stream(
            "team",
            "python",
            vec![
                tag("3.6", "DockerImage", "python:3.6"),
                reference_tag("ref", "docker.io/python:3.6.0"),
            ],
        ),
        at(0),
        &[],
    );
    assert!(history(&s, "3.6").is_empty());
    assert!(needs_import(&s, s.spec_tag("3.6").unwrap()));
    assert_eq!(
        history(&s, "ref"),
        [("docker.io/python:3.6.0".to_string(), String::new(), 1)]
    );
    assert!(
        !needs_import(&s, s.spec_tag("ref").unwrap()),
        "reference tags are never imported"
    );
}

#[test]
fn only_source_reference_and_import_mode_changes_cause_a_reimport() {
    let mut s = created(
        stream(
            "team",
            "python",
            vec![tag("3.6", "DockerImage", "python:3.6")],
        ),
        at(0),
        &[],
    );
    imported(&mut s, "3.6", A);
    assert!(!needs_import(&s, s.spec_tag("3.6").unwrap()));

    // (what changes, does the stream generation move, does the tag need an import)
    type Edit = fn(&mut TagReference);
    let cases: &[(&str, Edit, bool)] = &[
        ("scheduled", |t| t.import_policy.scheduled = true, false),
        ("insecure", |t| t.import_policy.insecure = true, false),
        (
            "reference policy",
            |t| t.reference_policy.kind = "Local".into(),
            false,
        ),
        (
            "annotations",
            |t| t.annotations = Some([("description".into(), "x".into())].into()),
            false,
        ),
        (
            "source name",
            |t| t.from.as_mut().unwrap().name = "python:3.7".into(),
            true,
        ),
        (
            "import mode",
            |t| t.import_policy.import_mode = "PreserveOriginal".into(),
            true,
        ),
        ("generation reset to 0", |t| t.generation = Some(0), true),
    ];
    for (what, edit, reimport) in cases {
        let before = s.metadata.generation;
        let next = updated(
            &s,
            |n| edit(n.spec.tags.iter_mut().find(|t| t.name == "3.6").unwrap()),
            at(1),
        );
        assert_eq!(
            next.metadata.generation,
            before + 1,
            "{what}: any spec change bumps the stream generation"
        );
        assert_eq!(
            needs_import(&next, next.spec_tag("3.6").unwrap()),
            *reimport,
            "{what}"
        );
        let expected_tag_generation = if *reimport {
            next.metadata.generation
        } else {
            1
        };
        assert_eq!(
            spec_generation(&next, "3.6"),
            Some(expected_tag_generation),
            "{what}"
        );
    }
}

#[test]
fn an_unchanged_spec_keeps_the_generation_and_users_cannot_set_tag_generations() {
    let s = created(
        stream(
            "team",
            "python",
            vec![tag("3.6", "DockerImage", "python:3.6")],
        ),
        at(0),
        &[],
    );
    let same = updated(&s, |_| {}, at(1));
    assert_eq!(same.metadata.generation, 1);
    let forged = updated(&s, |n| n.spec.tags[0].generation = Some(42), at(1));
    assert_eq!(spec_generation(&forged, "3.6"), Some(1));
    assert_eq!(forged.metadata.generation, 1);
}

#[test]
fn a_failed_import_is_not_retried_in_a_loop() {
    let mut s = created(
        stream(
            "team",
            "python",
            vec![tag("3.6", "DockerImage", "python:3.6")],
        ),
        at(0),
        &[],
    );
    s.status.tags.push(NamedTagEventList {
        tag: "3.6".into(),
        items: Vec::new(),
        conditions: vec![TagEventCondition {
            kind: "ImportSuccess".into(),
            status: "False".into(),
            last_transition_time: Some(at(1)),
            reason: "NotFound".into(),
            message: "not found".into(),
            generation: 1,
        }],
    });
    assert!(!needs_import(&s, s.spec_tag("3.6").unwrap()));
    let retry = updated(&s, |n| n.spec.tags[0].generation = Some(0), at(2));
    assert!(
        needs_import(&retry, retry.spec_tag("3.6").unwrap()),
        "a generation reset asks again"
    );
}

#[test]
fn tags_from_tags_and_images_resolve_now_and_aliases_keep_following() {
    // ruby:2.0 imported at A; latest aliases 2.0; static is a permanent copy of 2.0's image.
    let mut s = created(
        stream("team", "ruby", vec![tag("2.0", "DockerImage", "ruby:2.0")]),
        at(0),
        &[],
    );
    imported(&mut s, "2.0", A);
    let s = updated(
        &s,
        |n| {
            n.spec.tags.push(tag("latest", "ImageStreamTag", "2.0"));
            n.spec.tags.push(tag(
                "static",
                "ImageStreamImage",
                &format!("ruby@{}", &A[7..15]),
            ));
        },
        at(10),
    );
    let a_event = (format!("python@{A}"), A.to_string(), 2);
    assert_eq!(history(&s, "latest"), std::slice::from_ref(&a_event));
    assert_eq!(history(&s, "static"), [a_event]);
    assert_eq!(
        s.status_tag("latest").unwrap().items[0].created,
        at(10),
        "a new event is dated now"
    );

    // 2.0 moves to B (an import or a mapping): latest follows, static does not.
    let mut s = s;
    imported(&mut s, "2.0", B);
    assert_eq!(history(&s, "latest")[0].1, B);
    assert_eq!(history(&s, "latest").len(), 2);
    assert_eq!(history(&s, "static").len(), 1);
    assert_eq!(history(&s, "static")[0].1, A);
}

#[test]
fn a_reference_tag_change_moves_its_aliases() {
    let s = created(
        stream(
            "team",
            "app",
            vec![
                reference_tag("src", "quay.io/app:1"),
                tag("alias", "ImageStreamTag", "src"),
            ],
        ),
        at(0),
        &[],
    );
    assert_eq!(
        history(&s, "alias"),
        [("quay.io/app:1".to_string(), String::new(), 1)]
    );
    let s = updated(
        &s,
        |n| {
            n.spec
                .tags
                .iter_mut()
                .find(|t| t.name == "src")
                .unwrap()
                .from
                .as_mut()
                .unwrap()
                .name = "quay.io/app:2".into()
        },
        at(5),
    );
    // Both events have no image, so by the history rules the reference is
    // updated in place (as OpenShift does for reference tags).
    assert_eq!(
        history(&s, "src"),
        [("quay.io/app:2".to_string(), String::new(), 2)]
    );
    assert_eq!(
        history(&s, "alias"),
        [("quay.io/app:2".to_string(), String::new(), 2)]
    );
}

#[test]
fn tags_from_other_streams_resolve_once_and_pulls_go_through_this_stream() {
    let mut shared = created(
        stream(
            "openshift",
            "ruby",
            vec![tag("2.0", "DockerImage", "ruby:2.0")],
        ),
        at(0),
        &[],
    );
    let local = format!("{REGISTRY}/openshift/ruby@{A}");
    add_tag_event(
        &mut shared.status,
        "2.0",
        TagEvent {
            created: at(1),
            docker_image_reference: local,
            image: A.into(),
            generation: 1,
            platforms: Vec::new(),
        },
    );
    let mut from_shared = tag("base", "ImageStreamTag", "ruby:2.0");
    from_shared.from.as_mut().unwrap().namespace = "openshift".into();
    let s = created(
        stream("team", "app", vec![from_shared]),
        at(2),
        std::slice::from_ref(&shared),
    );
    assert_eq!(
        history(&s, "base"),
        [(format!("{REGISTRY}/team/app@{A}"), A.to_string(), 1)]
    );

    let mut missing = tag("base", "ImageStreamTag", "nope:2.0");
    missing.from.as_mut().unwrap().namespace = "openshift".into();
    let mut s = stream("team", "app", vec![missing]);
    let errors = prepare_create(&mut s, &context(at(0), &[])).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "spec.tags[base].from.name: Not found: \"nope:2.0\""
    );
}

#[test]
fn an_ambiguous_image_prefix_is_refused_with_the_candidates() {
    let mut s = created(
        stream(
            "team",
            "ruby",
            vec![
                tag("a", "DockerImage", "ruby:a"),
                tag("b", "DockerImage", "ruby:b"),
            ],
        ),
        at(0),
        &[],
    );
    imported(&mut s, "a", A);
    imported(
        &mut s,
        "b",
        "sha256:aaaa111100000000000000000000000000000000000000000000000000000000",
    );
    let mut next = s.clone();
    next.spec
        .tags
        .push(tag("pin", "ImageStreamImage", "ruby@aaaa"));
    let errors = prepare_update(&s, &mut next, &context(at(1), &[])).unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("multiple images match the prefix \"aaaa\""),
        "{}",
        errors[0]
    );
}

#[test]
fn malformed_sources_and_invalid_specs_are_refused_with_paths() {
    let mut s = stream("team", "ruby", vec![tag("x", "ImageStreamTag", "a:b:c")]);
    let errors = prepare_create(&mut s, &context(at(0), &[])).unwrap_err();
    assert_eq!(
        errors[0].to_string(),
        "spec.tags[x].from.name: Invalid value: \"a:b:c\": must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>"
    );
    let mut s = stream("team", "Ruby", vec![]);
    assert_eq!(
        prepare_create(&mut s, &context(at(0), &[])).unwrap_err()[0].field,
        "metadata.name"
    );
}

#[test]
fn import_policy_defaults_keep_explicit_values() {
    let mut t = tag("x", "DockerImage", "x");
    t.import_policy = TagImportPolicy {
        import_mode: "PreserveOriginal".into(),
        ..TagImportPolicy::default()
    };
    let s = created(stream("team", "x", vec![t]), at(0), &[]);
    assert_eq!(s.spec.tags[0].import_policy.import_mode, "PreserveOriginal");
}

#[test]
fn the_whitelist_refuses_new_and_changed_registry_sources_only() {
    use crate::model::cluster_policy::{ClusterImagePolicy, RegistryLocation};
    let policy = ClusterImagePolicy {
        allowed_registries_for_import: vec![RegistryLocation {
            domain_name: "quay.io".into(),
            insecure: false,
        }],
        ..ClusterImagePolicy::default()
    };
    let strict = ChangeContext {
        policy: std::sync::Arc::new(policy),
        ..context(at(0), &[])
    };
    // Created with a tag from elsewhere: refused at the tag's field.
    let mut new = stream(
        "team",
        "app",
        vec![
            tag("ok", SourceKind::DOCKER_IMAGE, "quay.io/team/app:1"),
            tag("hub", SourceKind::DOCKER_IMAGE, "ruby:3.3"),
        ],
    );
    let errors = prepare_create(&mut new, &strict).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "spec.tags[hub].from.name");
    assert_eq!(
        errors[0].message,
        "Forbidden: registry \"docker.io:443\" not allowed by whitelist: \"quay.io:443\""
    );
    // A stream made before the policy keeps its tag through other edits; a
    // changed source is checked.
    let old = created(
        stream(
            "team",
            "app",
            vec![tag("hub", SourceKind::DOCKER_IMAGE, "ruby:3.3")],
        ),
        at(0),
        &[],
    );
    let mut relabelled = old.clone();
    relabelled
        .metadata
        .labels
        .insert("team".into(), "web".into());
    relabelled
        .spec
        .tags
        .push(tag("ok", SourceKind::DOCKER_IMAGE, "quay.io/team/app:1"));
    assert!(prepare_update(&old, &mut relabelled, &strict).is_ok());
    let mut moved = old.clone();
    moved.spec.tags[0].from.as_mut().unwrap().name = "ghcr.io/team/app:1".into();
    let errors = prepare_update(&old, &mut moved, &strict).unwrap_err();
    assert_eq!(
        errors[0].message,
        "Forbidden: registry \"ghcr.io:443\" not allowed by whitelist: \"quay.io:443\""
    );
}
