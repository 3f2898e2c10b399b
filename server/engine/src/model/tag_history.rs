//! The tag history rules: how a new event lands on a tag's history, how
//! tracking tags (aliases) follow their source, and how a digest prefix finds
//! an image in a stream. These are OpenShift's rules exactly; the table-driven
//! tests below pin each one.

use super::{
    ImageStream, ImageStreamStatus, NamedTagEventList, SourceKind, TagEvent, TagReference,
};

/// Adds `next` to the history of `tag` and reports whether anything changed.
///
/// Compared with the current top event: same reference, image and generation
/// → nothing happens; same reference and image → the generation is updated in
/// place; only the reference or only the image equal → the other field is
/// updated in place; both differ → `next` is pushed on top. Any change clears
/// the tag's conditions. Histories stay sorted by tag name.
pub fn add_tag_event(status: &mut ImageStreamStatus, tag: &str, next: TagEvent) -> bool {
    let position = match status
        .tags
        .binary_search_by(|list| list.tag.as_str().cmp(tag))
    {
        Ok(position) => position,
        Err(position) => {
            status.tags.insert(
                position,
                NamedTagEventList {
                    tag: tag.to_owned(),
                    items: Vec::new(),
                    conditions: Vec::new(),
                },
            );
            position
        }
    };
    let list = &mut status.tags[position];
    let Some(previous) = list.items.first_mut() else {
        list.items.push(next);
        list.conditions.clear();
        return true;
    };
    let same_reference = previous.docker_image_reference == next.docker_image_reference;
    let same_image = previous.image == next.image;
    let same_generation = previous.generation == next.generation;
    match (same_reference, same_image) {
        (true, true) if same_generation => return false,
        (true, true) => {}
        (true, false) => previous.image = next.image.clone(),
        (false, true) => previous.docker_image_reference = next.docker_image_reference.clone(),
        (false, false) => {
            list.items.insert(0, next);
            list.conditions.clear();
            return true;
        }
    }
    previous.generation = next.generation;
    if !next.platforms.is_empty() {
        previous.platforms = next.platforms;
    }
    list.conditions.clear();
    true
}

/// The tag of this stream that `spec_tag` tracks, if it is a tracking tag:
/// `from.kind` `ImageStreamTag`, in this namespace, naming `<tag>` or
/// `<this stream>:<tag>`.
pub fn tracked_tag<'a>(stream: &ImageStream, spec_tag: &'a TagReference) -> Option<&'a str> {
    let from = spec_tag.from.as_ref()?;
    if from.kind != SourceKind::IMAGE_STREAM_TAG {
        return None;
    }
    if !from.namespace.is_empty() && from.namespace != stream.metadata.namespace {
        return None;
    }
    match from.name.split_once(':') {
        None => Some(from.name.as_str()),
        Some((name, tag)) if name == stream.metadata.name && !tag.contains(':') => Some(tag),
        Some(_) => None,
    }
}

/// Gives `event` to every tag that tracks `updated_tag`, and to the tags that
/// track those (cycles are cut). Returns the names of the tags that changed.
pub fn update_tracking_tags(
    stream: &mut ImageStream,
    updated_tag: &str,
    event: &TagEvent,
) -> Vec<String> {
    let mut changed = Vec::new();
    let mut visited = vec![updated_tag.to_owned()];
    let mut pending = vec![updated_tag.to_owned()];
    while let Some(source) = pending.pop() {
        let followers: Vec<String> = stream
            .spec
            .tags
            .iter()
            .filter(|tag| tracked_tag(stream, tag) == Some(source.as_str()))
            .map(|tag| tag.name.clone())
            .filter(|name| !visited.contains(name))
            .collect();
        for follower in followers {
            if add_tag_event(&mut stream.status, &follower, event.clone()) {
                changed.push(follower.clone());
            }
            visited.push(follower.clone());
            pending.push(follower);
        }
    }
    changed
}

/// Why a digest prefix did not name exactly one image of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageIdError {
    NotFound,
    /// Several images match; their digests, sorted.
    Ambiguous(Vec<String>),
}

impl ImageIdError {
    /// OpenShift's message for this failure.
    pub fn message(&self, id: &str) -> String {
        match self {
            ImageIdError::NotFound => format!("no image in the stream matches {id:?}"),
            ImageIdError::Ambiguous(digests) => {
                format!(
                    "multiple images match the prefix {id:?}: {}",
                    digests.join(", ")
                )
            }
        }
    }
}

/// Whether `image` (a digest) is named by `id`: a prefix of its hex part or of
/// the whole `algorithm:hex` form. No minimum length.
pub fn digest_matches(image: &str, id: &str) -> bool {
    let hex = image.split_once(':').map_or(image, |(_, hex)| hex);
    hex.starts_with(id) || image.starts_with(id)
}

/// The history event of the one image in `stream` that `id` names.
pub fn resolve_image_id(stream: &ImageStream, id: &str) -> Result<TagEvent, ImageIdError> {
    let mut found: Option<&TagEvent> = None;
    let mut digests: Vec<String> = Vec::new();
    for event in stream.status.tags.iter().flat_map(|list| list.items.iter()) {
        if !event.image.is_empty() && digest_matches(&event.image, id) {
            found = Some(event);
            if !digests.contains(&event.image) {
                digests.push(event.image.clone());
            }
        }
    }
    match (found, digests.len()) {
        (Some(event), 1) => Ok(event.clone()),
        (None, _) => Err(ImageIdError::NotFound),
        _ => {
            digests.sort();
            Err(ImageIdError::Ambiguous(digests))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectMeta, ObjectReference, Time};

    /// (reference, image, generation)
    type Item = (&'static str, &'static str, i64);
    /// (what the step shows, the event added, whether it changes anything, the history after)
    type Step = (&'static str, Item, bool, &'static [Item]);
    /// A spec tag's source: (kind, namespace, name).
    type Source = Option<(&'static str, &'static str, &'static str)>;

    fn event(reference: &str, image: &str, generation: i64) -> TagEvent {
        TagEvent {
            created: Time::from_unix(1_000 + generation),
            docker_image_reference: reference.into(),
            image: image.into(),
            generation,
            platforms: Vec::new(),
        }
    }

    /// (reference, image, generation) of each history item, newest first.
    fn history(status: &ImageStreamStatus, tag: &str) -> Vec<(String, String, i64)> {
        status
            .tags
            .iter()
            .find(|list| list.tag == tag)
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

    fn h(items: &[(&str, &str, i64)]) -> Vec<(String, String, i64)> {
        items
            .iter()
            .map(|(r, i, g)| (r.to_string(), i.to_string(), *g))
            .collect()
    }

    #[test]
    fn every_history_rule_step_by_step() {
        let steps: &[Step] = &[
            (
                "first event starts the history",
                ("r@A", "A", 1),
                true,
                &[("r@A", "A", 1)],
            ),
            (
                "same reference, image and generation: nothing",
                ("r@A", "A", 1),
                false,
                &[("r@A", "A", 1)],
            ),
            (
                "same reference and image, new generation: updated in place",
                ("r@A", "A", 2),
                true,
                &[("r@A", "A", 2)],
            ),
            (
                "same reference, other image: image updated in place",
                ("r@A", "A2", 2),
                true,
                &[("r@A", "A2", 2)],
            ),
            (
                "same image, other reference: reference updated in place",
                ("mirror@A2", "A2", 3),
                true,
                &[("mirror@A2", "A2", 3)],
            ),
            (
                "both differ: pushed on top",
                ("r@B", "B", 3),
                true,
                &[("r@B", "B", 3), ("mirror@A2", "A2", 3)],
            ),
            (
                "back to an earlier image: A→B→A is three entries",
                ("mirror@A2", "A2", 4),
                true,
                &[
                    ("mirror@A2", "A2", 4),
                    ("r@B", "B", 3),
                    ("mirror@A2", "A2", 3),
                ],
            ),
            (
                "reference tag (no image) after an image: pushed on top",
                ("docker.io/x:1", "", 5),
                true,
                &[
                    ("docker.io/x:1", "", 5),
                    ("mirror@A2", "A2", 4),
                    ("r@B", "B", 3),
                    ("mirror@A2", "A2", 3),
                ],
            ),
        ];
        let mut status = ImageStreamStatus::default();
        for (what, (reference, image, generation), changes, expected) in steps {
            let changed = add_tag_event(&mut status, "t", event(reference, image, *generation));
            assert_eq!(changed, *changes, "{what}");
            assert_eq!(history(&status, "t"), h(expected), "{what}");
        }
    }

    #[test]
    fn an_unchanged_event_keeps_the_old_timestamp() {
        let mut status = ImageStreamStatus::default();
        add_tag_event(&mut status, "t", event("r@A", "A", 1));
        let mut later = event("r@A", "A", 1);
        later.created = Time::from_unix(99_999);
        assert!(!add_tag_event(&mut status, "t", later));
        assert_eq!(status.tags[0].items[0].created, Time::from_unix(1_001));
    }

    #[test]
    fn any_change_clears_the_conditions() {
        let mut status = ImageStreamStatus::default();
        add_tag_event(&mut status, "t", event("r@A", "A", 1));
        let failed = crate::model::TagEventCondition {
            kind: "ImportSuccess".into(),
            status: "False".into(),
            last_transition_time: None,
            reason: "NotFound".into(),
            message: "not found".into(),
            generation: 2,
        };
        status.tags[0].conditions.push(failed.clone());
        assert!(!add_tag_event(&mut status, "t", event("r@A", "A", 1)));
        assert_eq!(status.tags[0].conditions.len(), 1, "no change keeps them");
        assert!(add_tag_event(&mut status, "t", event("r@A", "A", 2)));
        assert!(
            status.tags[0].conditions.is_empty(),
            "an in-place change clears them"
        );
        status.tags[0].conditions.push(failed);
        assert!(add_tag_event(&mut status, "t", event("r@B", "B", 2)));
        assert!(
            status.tags[0].conditions.is_empty(),
            "a new event clears them"
        );
    }

    #[test]
    fn histories_stay_sorted_by_tag() {
        let mut status = ImageStreamStatus::default();
        for tag in ["latest", "2.0", "static", "1.9"] {
            add_tag_event(&mut status, tag, event("r@A", "A", 1));
        }
        let tags: Vec<_> = status.tags.iter().map(|t| t.tag.as_str()).collect();
        assert_eq!(tags, ["1.9", "2.0", "latest", "static"]);
    }

    fn stream_with(tags: &[(&str, Source)]) -> ImageStream {
        ImageStream {
            metadata: ObjectMeta {
                name: "ruby".into(),
                namespace: "team".into(),
                ..ObjectMeta::default()
            },
            spec: crate::model::ImageStreamSpec {
                tags: tags
                    .iter()
                    .map(|(name, from)| TagReference {
                        name: name.to_string(),
                        from: from.map(|(kind, namespace, name)| ObjectReference {
                            kind: kind.into(),
                            namespace: namespace.into(),
                            name: name.into(),
                            ..ObjectReference::default()
                        }),
                        ..TagReference::default()
                    })
                    .collect(),
                ..Default::default()
            },
            ..ImageStream::default()
        }
    }

    #[test]
    fn tracking_tags_are_same_stream_image_stream_tags() {
        let stream = stream_with(&[
            ("a", Some(("ImageStreamTag", "", "2.0"))),
            ("b", Some(("ImageStreamTag", "", "ruby:2.0"))),
            ("c", Some(("ImageStreamTag", "team", "ruby:2.0"))),
            ("d", Some(("ImageStreamTag", "other", "ruby:2.0"))),
            ("e", Some(("ImageStreamTag", "", "python:2.0"))),
            ("f", Some(("ImageStreamImage", "", "ruby@sha256:abc"))),
            ("g", Some(("DockerImage", "", "ruby:2.0"))),
            ("h", None),
        ]);
        let tracked: Vec<_> = stream
            .spec
            .tags
            .iter()
            .map(|t| tracked_tag(&stream, t))
            .collect();
        assert_eq!(
            tracked,
            [
                Some("2.0"),
                Some("2.0"),
                Some("2.0"),
                None,
                None,
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn aliases_follow_their_source_also_through_chains_and_cycles() {
        let mut stream = stream_with(&[
            ("2.0", Some(("DockerImage", "", "ruby:2.0"))),
            ("latest", Some(("ImageStreamTag", "", "2.0"))),
            ("stable", Some(("ImageStreamTag", "", "ruby:latest"))),
            ("loop-a", Some(("ImageStreamTag", "", "loop-b"))),
            ("loop-b", Some(("ImageStreamTag", "", "loop-a"))),
        ]);
        let moved = event("ruby@B", "B", 2);
        add_tag_event(&mut stream.status, "2.0", moved.clone());
        let changed = update_tracking_tags(&mut stream, "2.0", &moved);
        assert_eq!(changed, ["latest", "stable"]);
        assert_eq!(history(&stream.status, "stable"), h(&[("ruby@B", "B", 2)]));

        let looped = event("ruby@C", "C", 3);
        let changed = update_tracking_tags(&mut stream, "loop-a", &looped);
        assert_eq!(changed, ["loop-b"], "a cycle stops where it began");
    }

    #[test]
    fn digest_prefixes_find_images_with_no_minimum_length() {
        let mut stream = stream_with(&[]);
        let a = "sha256:aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111";
        let b = "sha256:aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222aaaa2222";
        add_tag_event(&mut stream.status, "x", event(&format!("r@{a}"), a, 1));
        add_tag_event(&mut stream.status, "y", event(&format!("r@{b}"), b, 1));
        add_tag_event(&mut stream.status, "z", event(&format!("mirror@{b}"), b, 1));
        assert_eq!(resolve_image_id(&stream, "aaaa1").unwrap().image, a);
        assert_eq!(
            resolve_image_id(&stream, "sha256:aaaa2").unwrap().image,
            b,
            "one image in two tags is one match"
        );
        assert_eq!(
            resolve_image_id(&stream, "a").unwrap_err(),
            ImageIdError::Ambiguous(vec![a.into(), b.into()])
        );
        assert_eq!(
            ImageIdError::Ambiguous(vec![a.into(), b.into()]).message("a"),
            format!("multiple images match the prefix \"a\": {a}, {b}")
        );
        assert_eq!(
            resolve_image_id(&stream, "ffff").unwrap_err(),
            ImageIdError::NotFound
        );
    }
}
