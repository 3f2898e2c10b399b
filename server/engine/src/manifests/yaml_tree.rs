//! Reading YAML (and JSON, which it contains) into a tree that remembers the
//! line of every node, with limits that make hostile input harmless: a size
//! cap, a nesting cap, a node budget that alias expansion counts against
//! (no "billion laughs"), and duplicate keys refused.

use std::collections::HashMap;

use yaml_rust2::{
    Event,
    parser::Parser,
    scanner::{Marker, TScalarStyle},
};

/// Bounds on what one request may ask the server to parse.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 1024 * 1024,
            max_depth: 64,
            max_nodes: 200_000,
        }
    }
}

/// A parsed value and the (1-based) line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
}

/// A YAML value in JSON's data model.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Seq(Vec<Node>),
    /// Entries in document order: key, key line, value.
    Map(Vec<(String, u32, Node)>),
}

/// Why a text could not be read; `line` is 1-based when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: Option<u32>,
    pub message: String,
}

impl ParseError {
    fn at(line: u32, message: impl Into<String>) -> Self {
        ParseError {
            line: Some(line),
            message: message.into(),
        }
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        line: u32,
        anchor: usize,
    },
    Map {
        entries: Vec<(String, u32, Node)>,
        key: Option<(String, u32)>,
        line: u32,
        anchor: usize,
    },
}

/// Parses every document of `text` (separated by `---`).
pub fn parse_documents(text: &str, limits: Limits) -> Result<Vec<Node>, ParseError> {
    if text.len() > limits.max_bytes {
        return Err(ParseError {
            line: None,
            message: format!(
                "the document is {} bytes; at most {} are accepted",
                text.len(),
                limits.max_bytes
            ),
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut documents = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut nodes = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|error| ParseError {
            line: Some(u32::try_from(error.marker().line()).unwrap_or(u32::MAX)),
            message: format!("not valid YAML: {}", error.info()),
        })?;
        let line = line_of(&mark);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => None,
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                let literal = tag.as_ref().is_some_and(|tag| tag.suffix == "str");
                Some((
                    Node {
                        value: scalar(text, style, literal),
                        line,
                    },
                    anchor,
                ))
            }
            Event::Alias(id) => {
                let (node, size) = anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| ParseError::at(line, "an alias refers to an unknown anchor"))?;
                nodes += size;
                Some((node, 0))
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq {
                    items: Vec::new(),
                    line,
                    anchor,
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map {
                    entries: Vec::new(),
                    key: None,
                    line,
                    anchor,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq {
                    items,
                    line,
                    anchor,
                }) => Some((
                    Node {
                        value: Value::Seq(items),
                        line,
                    },
                    anchor,
                )),
                Some(Frame::Map {
                    entries,
                    line,
                    anchor,
                    ..
                }) => Some((
                    Node {
                        value: Value::Map(entries),
                        line,
                    },
                    anchor,
                )),
                None => return Err(ParseError::at(line, "unbalanced document")),
            },
        };
        if stack.len() > limits.max_depth {
            return Err(ParseError::at(
                line,
                format!("the document nests deeper than {} levels", limits.max_depth),
            ));
        }
        if nodes > limits.max_nodes {
            return Err(ParseError::at(
                line,
                format!(
                    "the document has more than {} values (aliases count once per use)",
                    limits.max_nodes
                ),
            ));
        }
        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor > 0 {
            anchors.insert(anchor, (node.clone(), size_of(&node)));
        }
        match stack.last_mut() {
            None => documents.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let name = match &node.value {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => "null".to_owned(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(ParseError::at(
                                node.line,
                                "a mapping key must be a plain value",
                            ));
                        }
                    };
                    if entries.iter().any(|(existing, _, _)| *existing == name) {
                        return Err(ParseError::at(
                            node.line,
                            format!("duplicate key \"{name}\""),
                        ));
                    }
                    *key = Some((name, node.line));
                }
                Some((name, key_line)) => entries.push((name, key_line, node)),
            },
        }
    }
    Ok(documents)
}

fn line_of(mark: &Marker) -> u32 {
    u32::try_from(mark.line()).unwrap_or(u32::MAX).max(1)
}

/// How many values a node holds (what an alias to it costs).
fn size_of(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(size_of).sum(),
        Value::Map(entries) => entries.iter().map(|(_, _, value)| size_of(value)).sum(),
        _ => 0,
    }
}

/// Types a scalar by YAML's core schema: quoted and block scalars are
/// strings; plain ones may be null, booleans or numbers.
fn scalar(text: String, style: TScalarStyle, literal: bool) -> Value {
    if literal || style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if looks_like_integer(&text)
        && let Ok(number) = text.parse::<i64>()
    {
        return Value::Number(number.into());
    }
    if looks_like_float(&text)
        && let Some(number) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(number);
    }
    Value::String(text)
}

fn looks_like_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn looks_like_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (!whole.is_empty() || !fraction.is_empty())
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some())
}

/// The node as JSON, for typed decoding.
pub fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::Number(n.clone()),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, _, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Node>, ParseError> {
        parse_documents(text, Limits::default())
    }

    #[test]
    fn reads_values_with_their_lines() {
        let docs =
            parse("kind: ImageStream\nspec:\n  tags:\n  - name: '2.0'\n    reference: true\n")
                .unwrap();
        let json = to_json(&docs[0]);
        assert_eq!(json["spec"]["tags"][0]["name"], "2.0");
        assert_eq!(json["spec"]["tags"][0]["reference"], true);
        let Value::Map(entries) = &docs[0].value else {
            panic!()
        };
        assert_eq!((entries[1].0.as_str(), entries[1].1), ("spec", 2));
    }

    #[test]
    fn types_plain_scalars_like_yaml_and_keeps_quoted_ones_as_text() {
        let json = to_json(
            &parse("a: 2.0\nb: '2.0'\nc: 10\nd: null\ne: 1e3\nf: !!str 5\ng: v1.2\n").unwrap()[0],
        );
        assert_eq!(json["a"], 2.0);
        assert_eq!(json["b"], "2.0");
        assert_eq!(json["c"], 10);
        assert!(json["d"].is_null());
        assert_eq!(json["e"], 1000.0);
        assert_eq!(json["f"], "5");
        assert_eq!(json["g"], "v1.2");
    }

    #[test]
    fn several_documents_and_json_are_read() {
        assert_eq!(parse("a: 1\n---\nb: 2\n").unwrap().len(), 2);
        assert_eq!(
            to_json(&parse(r#"{"kind": "List", "items": []}"#).unwrap()[0])["kind"],
            "List"
        );
    }

    #[test]
    fn duplicate_keys_are_refused_at_their_line() {
        let error = parse("metadata:\n  name: a\n  name: b\n").unwrap_err();
        assert_eq!(error, ParseError::at(3, "duplicate key \"name\""));
    }

    #[test]
    fn alias_bombs_run_out_of_budget() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (name, previous) in ["b", "c", "d", "e", "f", "g"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
        }
        let error = parse(&bomb).unwrap_err();
        assert!(
            error.message.contains("more than 200000 values"),
            "{error:?}"
        );
    }

    #[test]
    fn deep_nesting_and_huge_input_are_refused() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(
            parse(&deep)
                .unwrap_err()
                .message
                .contains("nests deeper than 64 levels")
        );
        let huge = "a: b\n".repeat(300_000);
        let error = parse(&huge).unwrap_err();
        assert!(
            error.message.contains("at most 1048576 are accepted"),
            "{error:?}"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let error = parse("a: b\n  c: d\n").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(error.message.starts_with("not valid YAML"), "{error:?}");
    }
}
