//! Finding the line of a field path (`spec.tags[2.0].from.kind`) in a parsed
//! YAML document. A `[key]` on a list picks the item at that index, or the item
//! whose `name` (or `tag`) is `key`, since tags are named that way in errors.

use super::yaml_tree::{Node, Value};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Field(String),
    Item(String),
}

/// Splits `spec.tags[2.0].from.kind` into its steps (a `[…]` may contain dots).
pub fn segments(path: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !current.is_empty() {
                    segments.push(Segment::Field(std::mem::take(&mut current)));
                }
            }
            '[' => {
                if !current.is_empty() {
                    segments.push(Segment::Field(std::mem::take(&mut current)));
                }
                let inside: String = chars.by_ref().take_while(|&c| c != ']').collect();
                segments.push(Segment::Item(inside));
            }
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        segments.push(Segment::Field(current));
    }
    segments
}

/// The line of the deepest node on `path` that exists in `node` (so a missing
/// field is reported where its parent is).
pub fn line_of(node: &Node, path: &str) -> u32 {
    let mut current = node;
    let mut line = node.line;
    for segment in segments(path) {
        let next = match (&current.value, &segment) {
            (Value::Map(entries), Segment::Field(name)) => entries
                .iter()
                .find(|(key, _, _)| key == name)
                .map(|(_, key_line, value)| (*key_line, value)),
            (Value::Seq(items), Segment::Item(key)) => key
                .parse::<usize>()
                .ok()
                .and_then(|index| items.get(index))
                .or_else(|| items.iter().find(|item| named(item, key)))
                .map(|item| (item.line, item)),
            _ => None,
        };
        match next {
            Some((found_line, value)) => {
                line = found_line;
                current = value;
            }
            None => break,
        }
    }
    line
}

fn named(item: &Node, key: &str) -> bool {
    let Value::Map(entries) = &item.value else {
        return false;
    };
    entries.iter().any(|(field, _, value)| {
        (field == "name" || field == "tag") && matches!(&value.value, Value::String(s) if s == key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifests::yaml_tree::{Limits, parse_documents};

    const STREAM: &str = "\
kind: ImageStream
metadata:
  name: ruby
spec:
  tags:
  - name: '2.0'
    from:
      kind: Docker
      name: ruby:2.0
  - name: latest
    from:
      kind: ImageStreamTag
";

    #[test]
    fn paths_split_on_dots_outside_brackets() {
        assert_eq!(
            segments("spec.tags[2.0].from.kind"),
            [
                Segment::Field("spec".into()),
                Segment::Field("tags".into()),
                Segment::Item("2.0".into()),
                Segment::Field("from".into()),
                Segment::Field("kind".into())
            ]
        );
    }

    #[test]
    fn finds_fields_by_index_or_by_name() {
        let doc = &parse_documents(STREAM, Limits::default()).unwrap()[0];
        assert_eq!(line_of(doc, "spec.tags[2.0].from.kind"), 8);
        assert_eq!(line_of(doc, "spec.tags[1].from.kind"), 12);
        assert_eq!(line_of(doc, "metadata.name"), 3);
        assert_eq!(
            line_of(doc, "spec.tags[latest].from.name"),
            11,
            "a missing field is placed at its parent"
        );
        assert_eq!(line_of(doc, "status.tags"), 1);
    }
}
