//! Live updates in the browser: one server-sent event stream per page load,
//! for the current project and `openshift`. Pages subscribe to the changes
//! they show ([`use_live`]) and read their data again when one arrives; the
//! masthead shows whether the stream is up ([`LiveIndicator`]).

#[cfg(feature = "hydrate")]
mod connection;
mod indicator;
mod subscribers;

use leptos::prelude::*;

pub use indicator::LiveIndicator;
pub use subscribers::use_live;

use crate::errors::ConsoleError;
use subscribers::Subscribers;

/// The change-log position a page request was rendered at; the server
/// stamps it on the request before the page reads anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveCursor(pub i64);

/// Where this page's live stream starts: the position it was rendered at.
#[server(prefix = "/api/console", endpoint = "live_start")]
pub async fn live_start() -> Result<i64, ConsoleError> {
    let stamped = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<LiveCursor>().copied());
    match stamped {
        Some(LiveCursor(cursor)) => Ok(cursor),
        None => crate::api::respond(crate::api::services()?.store.latest_change_id().await),
    }
}

/// The state of the stream, as the masthead shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    /// No project open: nothing to follow.
    Off,
    Connecting,
    Live,
    /// The stream dropped; the browser is reconnecting.
    Reconnecting,
}

impl LiveStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LiveStatus::Off => "off",
            LiveStatus::Connecting => "connecting",
            LiveStatus::Live => "live",
            LiveStatus::Reconnecting => "reconnecting",
        }
    }
}

/// The live-update state every page shares.
#[derive(Clone, Copy)]
pub struct LiveUpdates {
    pub status: RwSignal<LiveStatus>,
    subscribers: StoredValue<Subscribers>,
    /// Where the stream starts (read once, with the page).
    cursor: Resource<Result<i64, ConsoleError>>,
}

impl LiveUpdates {
    /// Creates the state and, in the browser, the stream for `project`;
    /// call once, in the layout.
    pub fn provide(project: Memo<Option<String>>) {
        let live = LiveUpdates {
            status: RwSignal::new(LiveStatus::Connecting),
            subscribers: StoredValue::new(Subscribers::default()),
            cursor: Resource::new(|| (), |_| live_start()),
        };
        provide_context(live);
        #[cfg(feature = "hydrate")]
        connection::follow(live, project);
        #[cfg(not(feature = "hydrate"))]
        let _ = project;
    }

    pub fn get() -> Option<LiveUpdates> {
        use_context::<LiveUpdates>()
    }
}

/// The projects a page in `project` follows: it and the shared catalog.
pub fn followed_projects(project: &str) -> Vec<String> {
    let mut projects = vec![project.to_owned()];
    if project != engine::model::SHARED_PROJECT {
        projects.push(engine::model::SHARED_PROJECT.to_owned());
    }
    projects
}
