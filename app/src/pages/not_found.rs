//! The 404 page, served with status 404.

use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any path the console does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <section class="page-section not-found">
            <p class="not-found-code">"404"</p>
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be wrong."</p>
            <a class="btn btn-primary" href="/">"Go to projects"</a>
        </section>
    }
}
