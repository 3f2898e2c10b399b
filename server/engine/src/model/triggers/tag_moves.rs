//! Which tags of a stream moved in one write: the value triggers compare is
//! each tag's resolved pull spec (reference policy applied), so a change of
//! reference policy moves a tag just as a new image does.

use serde::{Deserialize, Serialize};

use crate::model::{ImageStream, resolved_pull_spec};

/// How a tag changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagChange {
    Created,
    Moved,
    Deleted,
}

impl TagChange {
    /// The stored (and webhook) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TagChange::Created => "created",
            TagChange::Moved => "moved",
            TagChange::Deleted => "deleted",
        }
    }

    /// The change stored as `text`.
    pub fn parse(text: &str) -> Option<TagChange> {
        [TagChange::Created, TagChange::Moved, TagChange::Deleted]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// One tag whose resolved pull spec changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagMove {
    pub tag: String,
    pub change: TagChange,
    /// Image digests before and after (empty when none).
    pub old_image: String,
    pub new_image: String,
    /// Resolved pull specs before and after (empty when none).
    pub old_spec: String,
    pub new_spec: String,
}

/// `(image, resolved pull spec)` of every tag with a current event.
fn resolved(stream: Option<&ImageStream>) -> Vec<(String, String, String)> {
    let Some(stream) = stream else {
        return Vec::new();
    };
    stream
        .status
        .tags
        .iter()
        .filter_map(|tag| {
            let event = tag.items.first()?;
            Some((
                tag.tag.clone(),
                event.image.clone(),
                resolved_pull_spec(stream, &tag.tag, event),
            ))
        })
        .collect()
}

/// The tags whose resolved pull spec differs between `old` and `new` (either
/// may be absent: a created or deleted stream), in tag name order.
pub fn tag_moves(old: Option<&ImageStream>, new: Option<&ImageStream>) -> Vec<TagMove> {
    let before = resolved(old);
    let after = resolved(new);
    let mut names: Vec<&String> = before.iter().chain(after.iter()).map(|t| &t.0).collect();
    names.sort();
    names.dedup();
    let find = |list: &[(String, String, String)], name: &str| {
        list.iter()
            .find(|t| t.0 == name)
            .map(|t| (t.1.clone(), t.2.clone()))
    };
    names
        .into_iter()
        .filter_map(|name| {
            let (change, (old_image, old_spec), (new_image, new_spec)) =
                match (find(&before, name), find(&after, name)) {
                    (None, Some(new)) => (TagChange::Created, Default::default(), new),
                    (Some(old), None) => (TagChange::Deleted, old, Default::default()),
                    (Some(old), Some(new)) if old.1 != new.1 => (TagChange::Moved, old, new),
                    _ => return None,
                };
            Some(TagMove {
                tag: name.clone(),
                change,
                old_image,
                new_image,
                old_spec,
                new_spec,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NamedTagEventList, TagEvent, TagReference, Time};

    fn stream(tags: &[(&str, &str)]) -> ImageStream {
        let mut stream = ImageStream::default();
        stream.status.docker_image_repository = "registry.local/team/app".into();
        for (tag, image) in tags {
            stream.spec.tags.push(TagReference {
                name: (*tag).into(),
                ..TagReference::default()
            });
            stream.status.tags.push(NamedTagEventList {
                tag: (*tag).into(),
                items: vec![TagEvent {
                    created: Time::from_unix(0),
                    docker_image_reference: format!("quay.io/app@{image}"),
                    image: (*image).into(),
                    generation: 1,
                    platforms: vec![],
                }],
                conditions: vec![],
            });
        }
        stream
    }

    #[test]
    fn created_moved_and_deleted_tags_are_reported_and_unchanged_ones_not() {
        let old = stream(&[("a", "sha256:1"), ("b", "sha256:2"), ("c", "sha256:3")]);
        let new = stream(&[("b", "sha256:2"), ("c", "sha256:4"), ("d", "sha256:5")]);
        let moves = tag_moves(Some(&old), Some(&new));
        let summary: Vec<_> = moves.iter().map(|m| (m.tag.as_str(), m.change)).collect();
        assert_eq!(
            summary,
            [
                ("a", TagChange::Deleted),
                ("c", TagChange::Moved),
                ("d", TagChange::Created)
            ]
        );
        assert_eq!(moves[1].old_spec, "quay.io/app@sha256:3");
        assert_eq!(moves[1].new_image, "sha256:4");
    }

    #[test]
    fn switching_the_reference_policy_to_local_moves_the_tag() {
        let old = stream(&[("a", "sha256:1")]);
        let mut new = old.clone();
        new.spec.tags[0].reference_policy.kind = crate::model::ReferencePolicy::LOCAL.into();
        let moves = tag_moves(Some(&old), Some(&new));
        assert_eq!(moves.len(), 1);
        assert_eq!(moves[0].new_spec, "registry.local/team/app@sha256:1");
    }
}
