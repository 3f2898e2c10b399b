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

use subscribers::Subscribers;

/// The name of the `<meta>` in the page's head that carries the position
/// the page was rendered at (the head is rendered on the server only).
pub const CURSOR_META: &str = "live-cursor";

/// The position the page is rendered at: every change up to it was
/// committed before the page reads anything (the live feed has seen it),
/// so the page's stream starts there and misses nothing in between.
#[cfg(feature = "ssr")]
pub fn render_position() -> Option<i64> {
    use_context::<engine::Services>().map(|services| services.live.position())
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
}

impl LiveUpdates {
    /// Creates the state and, in the browser, the stream for `project`;
    /// call once, in the layout.
    pub fn provide(project: Memo<Option<String>>) {
        let live = LiveUpdates {
            status: RwSignal::new(LiveStatus::Connecting),
            subscribers: StoredValue::new(Subscribers::default()),
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
