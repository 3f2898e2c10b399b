//! Live updates over HTTP: `GET /events` streams the changes in the pages'
//! projects as server-sent events (a reconnecting browser sends
//! `Last-Event-ID` and is replayed what it missed; a page opens its stream
//! from the position in its head, so nothing committed while it loaded is
//! missed).

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use engine::{
    live::LiveMessage,
    model::{
        access::{Resource, Verb},
        live::{CHANGE_EVENT, READY_EVENT, RESET_EVENT},
        validate_dns_label,
    },
};
use futures::StreamExt;
use serde::Deserialize;

use crate::{access::ApiCaller, state::AppState};

/// How soon a browser reconnects after the stream drops.
const RECONNECT: Duration = Duration::from_secs(1);

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    /// Comma-separated projects; empty or absent means all.
    #[serde(default)]
    namespaces: String,
    /// The change-log position the page has seen (a first connection;
    /// reconnections send `Last-Event-ID`, which wins).
    since: Option<String>,
}

/// `GET /events?namespaces=a,b&since=N`
pub async fn events(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> Response {
    let mut namespaces: Vec<String> = query
        .namespaces
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(error) = namespaces
        .iter()
        .find_map(|name| validate_dns_label("namespaces", name).err())
    {
        return bad_request(error.to_string());
    }
    // Only the projects the caller may read; "all" means all of those.
    if let Some(error) = namespaces.iter().find_map(|namespace| {
        caller
            .require(Verb::Watch, Resource::ImageStreams, namespace)
            .err()
    }) {
        return forbidden(error.to_string());
    }
    if namespaces.is_empty() {
        match engine::projects::readable_names(&state.services.store, &caller).await {
            // A cluster admin follows every project.
            Ok(None) => {}
            Ok(Some(names)) if names.is_empty() => {
                return forbidden("there is no project you may read".into());
            }
            Ok(Some(names)) => namespaces = names,
            Err(error) => return unavailable(error.to_string()),
        }
    }
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok());
    let since = match last_event_id.or(query.since.as_deref()) {
        None | Some("") => None,
        Some(text) => match text.parse::<i64>() {
            Ok(since) if since >= 0 => Some(since),
            _ => {
                return bad_request(format!(
                    "since: {text:?} is not a change-log position (a whole number ≥ 0)"
                ));
            }
        },
    };
    let services = &state.services;
    let messages = match services
        .live
        .follow(&services.store, namespaces, since)
        .await
    {
        Ok(messages) => messages,
        Err(error) => {
            tracing::warn!(%error, "cannot open a live update stream");
            return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response();
        }
    };
    let events = messages.map(|message| Ok::<_, Infallible>(to_event(message)));
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

fn to_event(message: LiveMessage) -> Event {
    match message {
        LiveMessage::Ready { cursor } => Event::default()
            .event(READY_EVENT)
            .retry(RECONNECT)
            .data(serde_json::json!({ "cursor": cursor }).to_string()),
        LiveMessage::Change(change) => Event::default()
            .event(CHANGE_EVENT)
            .id(change.id.to_string())
            .data(serde_json::to_string(&*change).unwrap_or_default()),
        LiveMessage::Reset { cursor } => {
            let event = Event::default().event(RESET_EVENT).data("{}");
            match cursor {
                Some(cursor) => event.id(cursor.to_string()),
                None => event,
            }
        }
    }
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

fn forbidden(message: String) -> Response {
    (StatusCode::FORBIDDEN, message).into_response()
}

fn unavailable(message: String) -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, message).into_response()
}
