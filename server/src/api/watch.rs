//! `?watch=true` on image streams and trigger owners: newline-separated
//! watch events (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK`, `ERROR`) as
//! Kubernetes streams them, from a resource version (or from the current
//! state, sent as `ADDED`), with the list's selectors applied, as Tables
//! when `kubectl get -w` asks for image streams.

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
#[derive(Clone)]
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

/// The kind a watch follows.
pub struct Watched {
    pub kind: &'static str,
    pub api_version: &'static str,
    pub group: &'static str,
    /// The plural name in paths (`imagestreams`).
    pub resource: &'static str,
    /// Its name in the change log (`imagestreams.image.openshift.io`).
    pub logged_as: String,
}

impl Watched {
    fn failed(&self, error: engine::Error) -> Response {
        ApiError {
            error,
            kind: self.kind,
            group: self.group,
            resource: self.resource,
            name: String::new(),
        }
        .into_response()
    }
}

/// Watches the image streams of `projects`.
pub async fn image_streams(
    state: &AppState,
    projects: Projects,
    options: ListOptions,
    shape: Shape,
) -> Response {
    let services = state.services.clone();
    let watched = Watched {
        kind: "ImageStream",
        api_version: "image.openshift.io/v1",
        group: "image.openshift.io",
        resource: "imagestreams",
        logged_as: IMAGE_STREAMS.to_owned(),
    };
    let namespace = match &projects {
        Projects::One(namespace) => Some(namespace.clone()),
        Projects::Readable(_) => None,
    };
    let selector = options.clone();
    let selected = move |stream: &ImageStream| {
        projects.includes(&stream.metadata.namespace) && selector.selects(&stream.metadata)
    };
    let one = namespace.clone();
    let listed = selected.clone();
    let current = async move {
        let streams = match &one {
            Some(namespace) => is::list(&services, namespace).await,
            None => services.store.all_image_streams().await,
        }?;
        Ok(streams
            .iter()
            .filter(|stream| listed(stream))
            .map(|stream| shaped(stream, shape))
            .collect())
    };
    let present = move |object: Value| match serde_json::from_value::<ImageStream>(object) {
        Ok(stream) => selected(&stream).then(|| shaped(&stream, shape)),
        Err(error) => {
            tracing::warn!(%error, "a logged image stream does not decode");
            None
        }
    };
    follow(state, watched, namespace, options, current, present).await
}

/// Watches the objects of `watched` in `namespace` (all projects: `None`),
/// as `options` ask: from their version, or from the current state
/// (`current`, already chosen and shaped, sent as `ADDED`). `present`
/// chooses and shapes each logged change (`None`: not for this watch).
pub async fn follow(
    state: &AppState,
    watched: Watched,
    namespace: Option<String>,
    options: ListOptions,
    current: impl Future<Output = Result<Vec<Value>, engine::Error>>,
    present: impl Fn(Value) -> Option<Value> + Send + 'static,
) -> Response {
    let services = &state.services;
    // From the current state (no version given, or a watch list): every
    // object as ADDED, then what follows.
    let given = options
        .resource_version
        .filter(|version| *version > 0 && !options.send_initial_events);
    let (initial, since) = match given {
        Some(since) => (Vec::new(), since),
        None => {
            let head = match services.store.latest_change_id().await {
                Ok(head) => head,
                Err(error) => return watched.failed(error),
            };
            match current.await {
                Ok(objects) => (objects, head),
                Err(error) => return watched.failed(error),
            }
        }
    };
    let scope = WatchScope {
        resource: watched.logged_as.clone(),
        namespace,
    };
    let changes = match watch(services.live.clone(), &services.store, scope, since).await {
        Ok(changes) => changes.boxed(),
        Err(WatchRefused::Gone { oldest }) => {
            let message = format!("too old resource version: {since} ({})", oldest - 1);
            return body(stream::iter([line("ERROR", expired(message))]).boxed());
        }
        Err(WatchRefused::Failed(error)) => return watched.failed(error),
    };
    let mut initial: Vec<_> = initial
        .into_iter()
        .map(|object| line("ADDED", object))
        .collect();
    if options.send_initial_events {
        initial.push(line("BOOKMARK", initial_events_end(&watched, since)));
    }
    let bookmarks = options.bookmarks;
    let events = changes.filter_map(move |event| {
        let output = match event {
            Ok(WatchEvent::Change { event, object }) => {
                present(object).map(|object| line(&event, object))
            }
            Ok(WatchEvent::Progress { resource_version }) => bookmarks.then(|| {
                let object = json!({
                    "kind": watched.kind,
                    "apiVersion": watched.api_version,
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
    match options.timeout_seconds {
        Some(seconds) => body(
            all.take_until(tokio::time::sleep(Duration::from_secs(seconds)))
                .boxed(),
        ),
        None => body(all.boxed()),
    }
}

/// The bookmark that ends a watch list's initial events.
fn initial_events_end(watched: &Watched, resource_version: i64) -> Value {
    json!({
        "kind": watched.kind,
        "apiVersion": watched.api_version,
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
