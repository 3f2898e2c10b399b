//! The Image Stream Console's user interface: the HTML shell, the router and
//! its pages, shared components and the server functions behind them.
//!
//! Rendered on the server (feature `ssr`) and hydrated in the browser (feature
//! `hydrate`, compiled to WebAssembly); never both at once.

pub mod api;
pub mod components;
pub mod errors;
mod layout;
pub mod live;
mod pages;
#[cfg(feature = "ssr")]
mod security;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use components::{ErrorPanel, Toasts, provide_now};
use layout::{Layout, ProjectList};
use pages::{
    AccessPage, CatalogPage, ImageStreamsPage, ImportImagePage, NotFound, ProjectsPage, SearchPage,
    SettingsPage, StreamPage, TagPage, TriggersPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=initial_theme()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                {live_cursor_meta()}
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The change-log position the page is rendered at, for its live stream.
fn live_cursor_meta() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let cursor = live::render_position();
    #[cfg(not(feature = "ssr"))]
    let cursor: Option<i64> = None;
    cursor.map(|cursor| view! { <meta name=live::CURSOR_META content=cursor.to_string()/> })
}

/// The theme the user chose (a cookie), so the first paint is right.
fn initial_theme() -> Option<&'static str> {
    #[cfg(feature = "ssr")]
    {
        let parts = use_context::<http::request::Parts>()?;
        let cookie = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
        layout::theme_from_cookie_header(cookie)
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// The console: layout, routes and the state every page shares.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_now();
    Toasts::provide();
    ProjectList::provide();
    view! {
        <Stylesheet id="leptos" href="/pkg/image-stream-console.css"/>
        <Title formatter=|page: String| format!("{page} · Image Stream Console")/>
        <Router>
            <Layout>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=ProjectsPage/>
                        <Route path=path!("/ns/:project/catalog") view=CatalogPage/>
                        <Route path=path!("/ns/:project/imagestreams") view=ImageStreamsPage/>
                        <Route path=path!("/ns/:project/imagestreams/:name") view=StreamPage/>
                        <Route path=path!("/ns/:project/imagestreams/:name/tags/:tag") view=TagPage/>
                        <Route path=path!("/ns/:project/import") view=ImportImagePage/>
                        <Route path=path!("/ns/:project/triggers") view=TriggersPage/>
                        <Route path=path!("/ns/:project/access") view=AccessPage/>
                        <Route path=path!("/settings") view=SettingsPage/>
                        <Route path=path!("/search") view=SearchPage/>
                    </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}

/// The browser's entry point: attaches the app to the server-rendered page,
/// then marks `<html data-hydrated>` so tests and styles know the page is live.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    if let Some(root) = document().document_element() {
        root.set_attribute("data-hydrated", "").ok();
    }
}
