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
mod session;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use components::{ErrorPanel, Toasts, provide_now};
use layout::{CurrentUser, Layout, ProjectList};
use pages::{
    AccessPage, AuditLogPage, CatalogPage, ImageStreamsPage, ImportImagePage, NotFound,
    ProfilePage, ProjectsPage, SchedulePage, SearchPage, SettingsPage, SignInPage, StreamPage,
    TagPage, TriggersPage,
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
                {session::presence_meta()}
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

/// The console: the pages in their layout for a request that presents
/// credentials, the sign-in form at every address for one that does not.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_now();
    Toasts::provide();
    view! {
        <Stylesheet id="leptos" href="/pkg/image-stream-console.css"/>
        <Title formatter=|page: String| format!("{page} · Image Stream Console")/>
        <Router><Frame/></Router>
    }
}

/// The console's pages in their layout for someone presenting credentials;
/// for anyone else the same addresses show the sign-in form. One list of
/// routes serves both, so the route list (generated with a request that
/// presents no credentials) names every page - and only pages, not files.
/// Who is signed in loads like any other data (the masthead shows them); a
/// session that ended makes the pages' calls answer "Please sign in".
#[component]
fn Frame() -> impl IntoView {
    let signed_in = session::presented();
    let routes = move || {
        view! {
            <Routes fallback=gated(signed_in, NotFound)>
                <Route path=path!("/") view=gated(signed_in, ProjectsPage)/>
                <Route path=path!("/ns/:project/catalog") view=gated(signed_in, CatalogPage)/>
                <Route path=path!("/ns/:project/imagestreams") view=gated(signed_in, ImageStreamsPage)/>
                <Route path=path!("/ns/:project/imagestreams/:name") view=gated(signed_in, StreamPage)/>
                <Route path=path!("/ns/:project/imagestreams/:name/tags/:tag") view=gated(signed_in, TagPage)/>
                <Route path=path!("/ns/:project/import") view=gated(signed_in, ImportImagePage)/>
                <Route path=path!("/ns/:project/triggers") view=gated(signed_in, TriggersPage)/>
                <Route path=path!("/ns/:project/access") view=gated(signed_in, AccessPage)/>
                <Route path=path!("/ns/:project/audit") view=gated(signed_in, AuditLogPage)/>
                <Route path=path!("/ns/:project/schedule") view=gated(signed_in, SchedulePage)/>
                <Route path=path!("/settings") view=gated(signed_in, SettingsPage)/>
                <Route path=path!("/search") view=gated(signed_in, SearchPage)/>
                <Route path=path!("/profile") view=gated(signed_in, ProfilePage)/>
                <Route path=path!("/login") view=gated(signed_in, SignInAgain)/>
            </Routes>
        }
    };
    if !signed_in {
        return routes().into_any();
    }
    CurrentUser::provide();
    ProjectList::provide();
    view! {
        <Layout>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>
                {routes()}
            </ErrorBoundary>
        </Layout>
    }
    .into_any()
}

/// `page` for someone presenting credentials, the sign-in form for anyone else.
fn gated<V>(signed_in: bool, page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send + 'static
where
    V: IntoView + 'static,
{
    move || {
        if signed_in {
            page().into_any()
        } else {
            view! { <SignInPage/> }.into_any()
        }
    }
}

/// `/login` with a session cookie: on to where the link wanted to go if the
/// session is good, else the sign-in form.
#[component]
fn SignInAgain() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .filter(|next| next.starts_with('/') && !next.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let user = CurrentUser::get();
    let page = move || {
        let next = next.clone();
        Suspend::new(async move {
            match user.0.await {
                Ok(Some(_)) => {
                    view! { <leptos_router::components::Redirect path=next/> }.into_any()
                }
                _ => view! { <SignInPage/> }.into_any(),
            }
        })
    };
    view! { <Suspense>{page}</Suspense> }
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
