//! What a page shows when there is nothing to list yet: a title, a sentence
//! on what would be here, and the action that fills it.

use leptos::prelude::*;

/// An empty state; the children hold the explanation and the actions.
#[component]
pub fn EmptyState(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state">
            <svg class="empty-state-icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M3 7l9-4 9 4-9 4-9-4zm0 5l9 4 9-4M3 17l9 4 9-4" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>
            </svg>
            <h2 class="empty-state-title">{title}</h2>
            <div class="empty-state-body">{children()}</div>
        </div>
    }
}
