//! The masthead's live-update badge: "Live" while the stream is open,
//! "Reconnecting…" after it dropped (announced to screen readers).

use leptos::prelude::*;

use super::{LiveStatus, LiveUpdates};

#[component]
pub fn LiveIndicator() -> impl IntoView {
    let Some(live) = LiveUpdates::get() else {
        return ().into_any();
    };
    let status = live.status;
    let label = move || match status.get() {
        LiveStatus::Off => "",
        LiveStatus::Connecting => "Connecting…",
        LiveStatus::Live => "Live",
        LiveStatus::Reconnecting => "Reconnecting…",
    };
    let title = move || match status.get() {
        LiveStatus::Live => "Changes appear as they happen",
        LiveStatus::Reconnecting => "The connection dropped; changes will appear once it is back",
        _ => "",
    };
    view! {
        <span
            class="live-status"
            aria-live="polite"
            data-live=move || status.get().as_str()
            title=title
            hidden=move || status.get() == LiveStatus::Off
        >
            <span class="live-dot" aria-hidden="true"></span>
            <span class="live-label">{label}</span>
        </span>
    }
    .into_any()
}
