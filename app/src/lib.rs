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
    SsrMode,
    components::{Outlet, ParentRoute, Route, Router, Routes},
    path,
};

use components::{ErrorPanel, Toasts, provide_now};
use layout::{Layout, ProjectList, SignedInUser};
use pages::{
    AccessPage, CatalogPage, ImageStreamsPage, ImportImagePage, NotFound, ProjectsPage, SearchPage,
    SettingsPage, SignInPage, StreamPage, TagPage, TriggersPage,
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

/// The console: every page behind the sign-in gate, in the layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_now();
    Toasts::provide();
    // Blocking: the server answers only once it knows who the page is for.
    provide_context(CurrentUser(Resource::new_blocking(
        || (),
        |_| api::access::current_user(),
    )));
    view! {
        <Stylesheet id="leptos" href="/pkg/image-stream-console.css"/>
        <Title formatter=|page: String| format!("{page} · Image Stream Console")/>
        <Router>
            <Routes fallback=|| view! { <Gate><NotFound/></Gate> }>
                <ParentRoute path=path!("") ssr=SSR view=|| view! { <Gate><Outlet/></Gate> }>
                    <Route path=path!("/") ssr=SSR view=ProjectsPage/>
                    <Route path=path!("/ns/:project/catalog") ssr=SSR view=CatalogPage/>
                    <Route path=path!("/ns/:project/imagestreams") ssr=SSR view=ImageStreamsPage/>
                    <Route path=path!("/ns/:project/imagestreams/:name") ssr=SSR view=StreamPage/>
                    <Route path=path!("/ns/:project/imagestreams/:name/tags/:tag") ssr=SSR view=TagPage/>
                    <Route path=path!("/ns/:project/import") ssr=SSR view=ImportImagePage/>
                    <Route path=path!("/ns/:project/triggers") ssr=SSR view=TriggersPage/>
                    <Route path=path!("/ns/:project/access") ssr=SSR view=AccessPage/>
                    <Route path=path!("/settings") ssr=SSR view=SettingsPage/>
                    <Route path=path!("/search") ssr=SSR view=SearchPage/>
                    <Route path=path!("/login") ssr=SSR view=SignedInAlready/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Pages stream in order: out of order, the layout inside the sign-in
/// gate's `Suspense` came out scrambled around its nested boundaries.
const SSR: SsrMode = SsrMode::InOrder;

/// Who the page is for (`None`: nobody signed in).
#[derive(Clone, Copy)]
struct CurrentUser(Resource<Result<Option<engine::model::access::SignedIn>, errors::ConsoleError>>);

/// The page for a signed-in person, in the console's layout; the sign-in
/// form for anyone else, at whatever address they opened.
#[component]
fn Gate(children: ChildrenFn) -> impl IntoView {
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let children = StoredValue::new(children);
    let page = move || {
        Suspend::new(async move {
            match user.await {
                Ok(Some(signed_in)) => {
                    api::client::remember_csrf_token(&signed_in.csrf_token);
                    provide_context(SignedInUser(signed_in));
                    ProjectList::provide();
                    view! {
                        <Layout>
                            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>
                                {children.read_value()()}
                            </ErrorBoundary>
                        </Layout>
                    }
                    .into_any()
                }
                Ok(None) => view! { <SignInPage/> }.into_any(),
                Err(error) => {
                    let mut errors = Errors::default();
                    errors.insert(ErrorId::default(), error);
                    view! { <ErrorPanel errors=ArcRwSignal::new(errors)/> }.into_any()
                }
            }
        })
    };
    view! { <Suspense>{page}</Suspense> }
}

/// `/login` when already signed in: on to where the link wanted to go.
#[component]
fn SignedInAlready() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .filter(|next| next.starts_with('/') && !next.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    view! { <leptos_router::components::Redirect path=next/> }
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
