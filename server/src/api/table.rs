//! The Kubernetes `Table` answer `kubectl get` asks for (`Accept:
//! application/json;as=Table;…`), with the columns `oc get` prints: for
//! image streams NAME, IMAGE REPOSITORY, TAGS, UPDATED; for image stream
//! tags NAME, IMAGE REFERENCE, UPDATED.

use axum::http::{HeaderMap, header};
use engine::model::{ImageStream, ImageStreamTag, ListMeta, ObjectMeta, Time};
use serde::Serialize;
use serde_json::{Value, json};

/// Tags listed in the TAGS column before "+ N more...".
const TAGS_SHOWN: usize = 3;

/// Whether the request asks for a Table.
pub fn wants_table(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| {
            accept
                .split(',')
                .next()
                .is_some_and(|first| first.contains("as=Table"))
        })
}

fn column(name: &str, kind: &str, description: &str, priority: u8) -> Value {
    json!({ "name": name, "type": kind, "format": if name == "Name" { "name" } else { "" },
            "description": description, "priority": priority })
}

/// A Table of `rows` under `columns`, with the list's resource version and
/// continue token; serialized straight from the objects it shows.
pub fn table<'a>(
    columns: Vec<Value>,
    rows: Vec<Row<'a>>,
    resource_version: &str,
    next: Option<String>,
) -> Table<'a> {
    Table {
        kind: "Table",
        api_version: "meta.k8s.io/v1",
        metadata: ListMeta {
            resource_version: resource_version.to_owned(),
            continue_token: next.unwrap_or_default(),
        },
        column_definitions: columns,
        rows,
    }
}

/// `meta.k8s.io/v1` `Table`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Table<'a> {
    kind: &'static str,
    api_version: &'static str,
    metadata: ListMeta,
    column_definitions: Vec<Value>,
    rows: Vec<Row<'a>>,
}

/// One row: its cells, and the object's metadata as `PartialObjectMetadata`.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    cells: Vec<Value>,
    object: PartialObject<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PartialObject<'a> {
    kind: &'static str,
    api_version: &'static str,
    metadata: &'a ObjectMeta,
}

fn row(cells: Vec<Value>, metadata: &ObjectMeta) -> Row<'_> {
    Row {
        cells,
        object: PartialObject {
            kind: "PartialObjectMetadata",
            api_version: "meta.k8s.io/v1",
            metadata,
        },
    }
}

/// "5 minutes ago", as `oc get` says it.
fn ago(at: Option<Time>, now: time::OffsetDateTime) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let seconds = (now - at.instant()).whole_seconds().max(0);
    let (count, unit) = match seconds {
        0..120 => (seconds, "second"),
        120..7_200 => (seconds / 60, "minute"),
        7_200..172_800 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural} ago")
}

pub fn image_stream_columns() -> Vec<Value> {
    vec![
        column("Name", "string", "The stream's name.", 0),
        column(
            "Image Repository",
            "string",
            "Where its images can be pulled from.",
            0,
        ),
        column(
            "Tags",
            "string",
            "Its tags, most recently updated first.",
            0,
        ),
        column("Updated", "string", "When a tag last moved.", 0),
    ]
}

pub fn image_stream_row(stream: &ImageStream, now: time::OffsetDateTime) -> Row<'_> {
    let repository = if stream.status.public_docker_image_repository.is_empty() {
        &stream.status.docker_image_repository
    } else {
        &stream.status.public_docker_image_repository
    };
    let mut tags: Vec<(Option<Time>, &str)> = stream
        .status
        .tags
        .iter()
        .map(|history| {
            (
                history.items.first().map(|event| event.created),
                history.tag.as_str(),
            )
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut shown: Vec<&str> = tags.iter().take(TAGS_SHOWN).map(|(_, tag)| *tag).collect();
    let more = tags.len().saturating_sub(TAGS_SHOWN);
    let more_text = format!("+ {more} more...");
    if more > 0 {
        shown.push(&more_text);
    }
    let updated = tags.first().and_then(|(at, _)| *at);
    row(
        vec![
            json!(stream.metadata.name),
            json!(repository),
            json!(shown.join(",")),
            json!(ago(updated, now)),
        ],
        &stream.metadata,
    )
}

pub fn image_stream_tag_columns() -> Vec<Value> {
    vec![
        column("Name", "string", "The stream and tag.", 0),
        column("Image Reference", "string", "The image's pull spec.", 0),
        column("Updated", "string", "When the tag last moved.", 0),
    ]
}

pub fn image_stream_tag_row(tag: &ImageStreamTag, now: time::OffsetDateTime) -> Row<'_> {
    row(
        vec![
            json!(tag.metadata.name),
            json!(tag.image.docker_image_reference),
            json!(ago(tag.metadata.creation_timestamp, now)),
        ],
        &tag.metadata,
    )
}

/// `oc get projects`.
pub fn project_columns() -> Vec<Value> {
    vec![
        column("Name", "string", "The project's name.", 0),
        column("Display Name", "string", "The project's display name.", 0),
        column("Status", "string", "Whether the project is in use.", 0),
    ]
}

pub fn project_row(metadata: &ObjectMeta) -> Row<'_> {
    let display_name = metadata
        .annotations
        .get("openshift.io/display-name")
        .cloned()
        .unwrap_or_default();
    row(
        vec![json!(metadata.name), json!(display_name), json!("Active")],
        metadata,
    )
}

/// `kubectl get namespaces`.
pub fn namespace_columns() -> Vec<Value> {
    vec![
        column("Name", "string", "The namespace's name.", 0),
        column("Status", "string", "Whether the namespace is in use.", 0),
        column("Age", "string", "How long ago it was made.", 0),
    ]
}

pub fn namespace_row(metadata: &ObjectMeta, now: time::OffsetDateTime) -> Row<'_> {
    row(
        vec![
            json!(metadata.name),
            json!("Active"),
            json!(short_age(metadata.creation_timestamp, now)),
        ],
        metadata,
    )
}

/// "45s", "5m", "3h", "12d", "2y", as kubectl's age column says it.
fn short_age(at: Option<Time>, now: time::OffsetDateTime) -> String {
    let Some(at) = at else {
        return "<unknown>".to_owned();
    };
    let seconds = (now - at.instant()).whole_seconds().max(0);
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3_600 => format!("{}m", seconds / 60),
        3_600..86_400 => format!("{}h", seconds / 3_600),
        86_400..31_536_000 => format!("{}d", seconds / 86_400),
        _ => format!("{}y", seconds / 31_536_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_short_as_kubectl_writes_them() {
        let now = time::OffsetDateTime::from_unix_timestamp(1_000_000_000).unwrap();
        let before = |seconds: i64| Some(Time::new(now - time::Duration::seconds(seconds)));
        assert_eq!(short_age(before(45), now), "45s");
        assert_eq!(short_age(before(300), now), "5m");
        assert_eq!(short_age(before(3 * 3_600), now), "3h");
        assert_eq!(short_age(before(12 * 86_400), now), "12d");
        assert_eq!(short_age(before(800 * 86_400), now), "2y");
        assert_eq!(short_age(None, now), "<unknown>");
    }

    #[test]
    fn only_a_table_first_in_accept_is_a_table_request() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
                .parse()
                .unwrap(),
        );
        assert!(wants_table(&headers));
        headers.insert(header::ACCEPT, "application/json".parse().unwrap());
        assert!(!wants_table(&headers));
    }

    #[test]
    fn ages_read_like_oc() {
        let now = time::OffsetDateTime::from_unix_timestamp(1_000_000).unwrap();
        let at = |seconds_before: i64| Some(Time::from_unix(1_000_000 - seconds_before));
        assert_eq!(ago(at(1), now), "1 second ago");
        assert_eq!(ago(at(600), now), "10 minutes ago");
        assert_eq!(ago(at(3 * 3600), now), "3 hours ago");
        assert_eq!(ago(at(3 * 86_400), now), "3 days ago");
        assert_eq!(ago(None, now), "");
    }
}
