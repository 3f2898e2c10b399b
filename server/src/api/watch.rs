//! `?watch=true` on image streams: newline-separated watch events (`ADDED`,
//! `MODIFIED`, `DELETED`, `BOOKMARK`, `ERROR`) as Kubernetes streams them,
//! from a resource version (or from the current state, sent as `ADDED`),
//! with the list's selectors applied, as Tables when `kubectl get -w` asks.

use std::time::Duration;

use axum::{
    body::Body,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use engine::{
    imagestreams as is,
    live::{WatchEvent, WatchRefused, WatchScope, watch},
    model::ImageStream,
    resources::IMAGE_STREAMS,
};
use futures::{StreamExt, stream};
use serde_json::{Value, json};

use super::{ApiError, list_options::ListOptions, table};
use crate::state::AppState;

/// How a watch presents each object.
#[derive(Clone, Copy)]
pub enum Shape {
    Object,
    Table,
}

impl Shape {
    /// Tables when kubectl asks for them.
    pub fn table_if(as_table: bool) -> Shape {
        if as_table {
            Shape::Table
        } else {
            Shape::Object
        }
    }
}

fn line(event: &str, object: Value) -> Result<axum::body::Bytes, std::convert::Infallible> {
    let mut text = json!({ "type": event, "object": object }).to_string();
    text.push('\n');
    Ok(axum::body::Bytes::from(text))
}

fn shaped(stream: &ImageStream, shape: Shape) -> Value {
    match shape {
        Shape::Object => serde_json::to_value(stream).unwrap_or(Value::Null),
        Shape::Table => serde_json::to_value(table::table(
            table::image_stream_columns(),
            vec![table::image_stream_row(
                stream,
                time::OffsetDateTime::now_utc(),
            )],
            &stream.metadata.resource_version,
            None,
        ))
        .unwrap_or(Value::Null),
    }
}

fn expired(message: String) -> Value {
    json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "Expired",
        "code": 410,
    })
}

/// Which projects a watch covers.
pub enum Projects {
    One(String),
    /// Every project the caller reads: these, or all for a cluster admin.
    Readable(Option<Vec<String>>),
}

impl Projects {
    fn includes(&self, namespace: &str) -> bool {
        match self {
            Projects::One(one) => one == namespace,
            Projects::Readable(None) => true,
            Projects::Readable(Some(names)) => names.iter().any(|name| name == namespace),
        }
    }
}

/// Watches the image streams of `projects`.
pub async fn image_streams(
    state: &AppState,
    projects: Projects,
    options: ListOptions,
    shape: Shape,
) -> Response {
    let services = &state.services;
    let failed = |error| {
        ApiError {
            error,
            kind: "ImageStream",
            group: "image.openshift.io",
            resource: "imagestreams",
            name: String::new(),
        }
        .into_response()
    };
    // From the current state (no version given, or a watch list): every
    // stream as ADDED, then what follows.
    let given = options
        .resource_version
        .filter(|version| *version > 0 && !options.send_initial_events);
    let (initial, since) = match given {
        Some(since) => (Vec::new(), since),
        None => {
            let head = match services.store.latest_change_id().await {
                Ok(head) => head,
                Err(error) => return failed(error),
            };
            let listed = match &projects {
                Projects::One(namespace) => is::list(services, namespace).await,
                Projects::Readable(_) => services.store.all_image_streams().await,
            };
            match listed {
                Ok(streams) => (streams, head),
                Err(error) => return failed(error),
            }
        }
    };
    let scope = WatchScope {
        resource: IMAGE_STREAMS,
        namespace: match &projects {
            Projects::One(namespace) => Some(namespace.clone()),
            Projects::Readable(_) => None,
        },
    };
    let changes = match watch(services.live.clone(), &services.store, scope, since).await {
        Ok(changes) => changes.boxed(),
        Err(WatchRefused::Gone { oldest }) => {
            let message = format!("too old resource version: {since} ({})", oldest - 1);
            return body(stream::iter([line("ERROR", expired(message))]).boxed());
        }
        Err(WatchRefused::Failed(error)) => return failed(error),
    };
    let bookmarks = options.bookmarks;
    let send_initial_events = options.send_initial_events;
    let timeout = options.timeout_seconds;
    let selected = move |stream: &ImageStream| {
        projects.includes(&stream.metadata.namespace) && options.selects(&stream.metadata)
    };
    let mut initial: Vec<_> = initial
        .iter()
        .filter(|stream| selected(stream))
        .map(|stream| line("ADDED", shaped(stream, shape)))
        .collect();
    if send_initial_events {
        initial.push(line("BOOKMARK", initial_events_end(since)));
    }
    let events = changes.filter_map(move |event| {
        let output = match event {
            Ok(WatchEvent::Change { event, object }) => {
                match serde_json::from_value::<ImageStream>(object) {
                    Ok(stream) if selected(&stream) => Some(line(&event, shaped(&stream, shape))),
                    Ok(_) => None,
                    Err(error) => {
                        tracing::warn!(%error, "a logged image stream does not decode");
                        None
                    }
                }
            }
            Ok(WatchEvent::Progress { resource_version }) => bookmarks.then(|| {
                let object = json!({
                    "kind": "ImageStream",
                    "apiVersion": "image.openshift.io/v1",
                    "metadata": { "resourceVersion": resource_version.to_string() },
                });
                line("BOOKMARK", object)
            }),
            Err(error) => {
                tracing::warn!(%error, "a watch cannot read the change log");
                None
            }
        };
        std::future::ready(output)
    });
    let all = stream::iter(initial).chain(events);
    match timeout {
        Some(seconds) => body(
            all.take_until(tokio::time::sleep(Duration::from_secs(seconds)))
                .boxed(),
        ),
        None => body(all.boxed()),
    }
}

/// The bookmark that ends a watch list's initial events.
fn initial_events_end(resource_version: i64) -> Value {
    json!({
        "kind": "ImageStream",
        "apiVersion": "image.openshift.io/v1",
        "metadata": {
            "resourceVersion": resource_version.to_string(),
            "annotations": { "k8s.io/initial-events-end": "true" },
        },
    })
}

fn body(
    lines: futures::stream::BoxStream<'static, Result<axum::body::Bytes, std::convert::Infallible>>,
) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            // Compression would hold events back until a block fills.
            (header::CONTENT_ENCODING, "identity"),
        ],
        Body::from_stream(lines),
    )
        .into_response()
}
