//! Turning YAML or JSON text into image streams: each `ImageStream` document,
//! or each item of a `List`, decoded strictly (unknown or misplaced fields are
//! refused by path), every problem placed at its line.

use super::{
    locate::line_of,
    yaml_tree::{Limits, Node, Value, parse_documents, to_json},
};
use crate::model::{FieldError, IMAGE_STREAM_KIND, ImageStream};

/// An image stream read from text, with the node it came from (to place later
/// validation errors at their lines) and the path prefix of a `List` item.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub stream: ImageStream,
    pub node: Node,
    /// `items[3].` for the fourth item of a List, empty otherwise.
    pub prefix: String,
}

impl Decoded {
    /// Places `error` (a path in this stream) at its line, naming the List item.
    pub fn locate(&self, error: FieldError) -> FieldError {
        let line = line_of(&self.node, &error.field);
        FieldError::new(format!("{}{}", self.prefix, error.field), error.message)
            .at_line(Some(line))
    }
}

/// The API versions an ImageStream may be written with (`v1` is OpenShift 3's).
const IMAGE_STREAM_VERSIONS: [&str; 2] = ["image.openshift.io/v1", "v1"];

/// Reads `text` (YAML or JSON, within the same limits) as one document,
/// as a server-side apply sends it; the error says what is wrong and where.
pub fn read_document(text: &str) -> Result<serde_json::Value, String> {
    let documents = parse_documents(text, Limits::default()).map_err(|error| match error.line {
        Some(line) => format!("line {line}: {}", error.message),
        None => error.message,
    })?;
    let mut documents = documents.into_iter().filter(|d| d.value != Value::Null);
    match (documents.next(), documents.next()) {
        (Some(document), None) => Ok(to_json(&document)),
        (None, _) => Err("the body holds no document".to_owned()),
        (Some(_), Some(_)) => Err("the body holds more than one document".to_owned()),
    }
}

/// Reads every image stream in `text`. Any problem anywhere refuses the whole
/// text (nothing is applied half-way).
pub fn decode_image_streams(text: &str) -> Result<Vec<Decoded>, Vec<FieldError>> {
    let documents = parse_documents(text, Limits::default())
        .map_err(|error| vec![FieldError::new("(document)", error.message).at_line(error.line)])?;
    let mut decoded = Vec::new();
    let mut errors = Vec::new();
    for document in documents.into_iter().filter(|d| d.value != Value::Null) {
        match string_field(&document, "kind").as_deref() {
            Some("List") => match field(&document, "items") {
                Some(Node {
                    value: Value::Seq(items),
                    ..
                }) => {
                    for (index, item) in items.iter().enumerate() {
                        collect(
                            decode_one(item.clone(), format!("items[{index}].")),
                            &mut decoded,
                            &mut errors,
                        );
                    }
                }
                Some(Node {
                    value: Value::Null, ..
                }) => {}
                _ => errors.push(
                    FieldError::new("items", "Required value: a List needs a list of items")
                        .at_line(Some(document.line)),
                ),
            },
            _ => collect(
                decode_one(document, String::new()),
                &mut decoded,
                &mut errors,
            ),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if decoded.is_empty() {
        return Err(vec![
            FieldError::new("(document)", "the text holds no ImageStream").at_line(Some(1)),
        ]);
    }
    Ok(decoded)
}

fn collect(
    result: Result<Decoded, FieldError>,
    decoded: &mut Vec<Decoded>,
    errors: &mut Vec<FieldError>,
) {
    match result {
        Ok(one) => decoded.push(one),
        Err(error) => errors.push(error),
    }
}

/// Decodes one ImageStream object.
fn decode_one(node: Node, prefix: String) -> Result<Decoded, FieldError> {
    let at = |path: &str| Some(line_of(&node, path));
    if !matches!(node.value, Value::Map(_)) {
        return Err(FieldError::new(
            format!("{prefix}(object)"),
            "expected an object with apiVersion, kind, metadata and spec",
        )
        .at_line(Some(node.line)));
    }
    let kind = string_field(&node, "kind").unwrap_or_default();
    if kind != IMAGE_STREAM_KIND {
        let message = if kind.is_empty() {
            "Required value: kind must be ImageStream (or List)".to_owned()
        } else {
            format!(
                "Unsupported value: \"{kind}\": only ImageStream (or a List of them) can be applied here"
            )
        };
        return Err(FieldError::new(format!("{prefix}kind"), message).at_line(at("kind")));
    }
    let version = string_field(&node, "apiVersion").unwrap_or_default();
    if !IMAGE_STREAM_VERSIONS.contains(&version.as_str()) {
        return Err(FieldError::new(
            format!("{prefix}apiVersion"),
            format!("Unsupported value: \"{version}\": use image.openshift.io/v1"),
        )
        .at_line(at("apiVersion")));
    }
    let json = to_json(&node);
    let stream: ImageStream = serde_path_to_error::deserialize(&json).map_err(|error| {
        let path = error.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let message = explain(&error.inner().to_string(), &path, &node);
        FieldError::new(
            format!(
                "{prefix}{}",
                if path.is_empty() { "(object)" } else { &path }
            ),
            message,
        )
        .at_line(Some(line_of(&node, &path)))
    })?;
    Ok(Decoded {
        stream,
        node,
        prefix,
    })
}

/// A serde message, made friendlier where users often trip: a number where
/// text is expected (`name: 2.0` must be quoted).
fn explain(message: &str, path: &str, node: &Node) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!("unknown field {rest}");
    }
    let number = message.starts_with("invalid type: floating point")
        || message.starts_with("invalid type: integer");
    if number && message.ends_with("expected a string") {
        let shown = value_at(node, path).unwrap_or_default();
        return format!(
            "expected text but found the number {shown}; write it in quotes, e.g. '{shown}'"
        );
    }
    message.to_owned()
}

fn value_at(node: &Node, path: &str) -> Option<String> {
    let json = to_json(node);
    let mut current = &json;
    for segment in super::locate::segments(path) {
        current = match segment {
            super::locate::Segment::Field(name) => current.get(name)?,
            super::locate::Segment::Item(index) => current.get(index.parse::<usize>().ok()?)?,
        };
    }
    Some(current.to_string())
}

fn field<'a>(node: &'a Node, name: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(key, _, _)| key == name)
            .map(|(_, _, value)| value),
        _ => None,
    }
}

fn string_field(node: &Node, name: &str) -> Option<String> {
    match &field(node, name)?.value {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}
