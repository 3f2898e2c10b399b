//! Sections of the navigation whose capabilities have not landed yet. Each
//! says plainly what it will hold; none pretends to work.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::EmptyState;

#[component]
fn Upcoming(title: &'static str, what: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <section class="page-section">
            <h1 class="page-title">{title}</h1>
            <EmptyState title="Not available yet">
                <p>{what}</p>
            </EmptyState>
        </section>
    }
}

/// Cluster image policy and scheduler settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <Upcoming title="Settings" what="Cluster image policy and scheduled-import settings will be managed here."/> }
}
