//! The console's frame: masthead (product, project switcher, theme), primary
//! navigation, the main area and the toast region.

mod nav;
mod project_switcher;
mod search_box;
mod theme;
mod user_menu;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

pub use nav::project_in_path;
pub use project_switcher::ProjectList;
#[cfg(feature = "ssr")]
pub use theme::theme_from_cookie_header;
pub use user_menu::CurrentUser;

use crate::{
    components::Toaster,
    live::{LiveIndicator, LiveUpdates},
};
use nav::PrimaryNav;
use project_switcher::ProjectSwitcher;
use search_box::SearchBox;
use theme::ThemeToggle;
use user_menu::UserMenu;

/// The project the current page is about (from the `/ns/<project>/…` path),
/// or none on cluster-wide pages.
#[derive(Clone, Copy)]
pub struct CurrentProject(pub Memo<Option<String>>);

/// The frame around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    let project = Memo::new(move |_| project_in_path(&location.pathname.get()));
    provide_context(CurrentProject(project));
    // Pages outside a project (settings, search, profile) follow the shared
    // project everyone reads: the samples' states, for one.
    let followed = Memo::new(move |_| {
        Some(
            project
                .get()
                .unwrap_or_else(|| engine::model::SHARED_PROJECT.to_owned()),
        )
    });
    LiveUpdates::provide(followed);
    let nav_open = RwSignal::new(false);
    // Navigating closes the menu on small screens.
    Effect::new(move |_| {
        location.pathname.track();
        nav_open.set(false);
    });
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="page" class:nav-open=move || nav_open.get()>
            <header class="masthead">
                <button
                    type="button"
                    class="nav-toggle"
                    aria-label="Main menu"
                    aria-controls="primary-nav"
                    aria-expanded=move || if nav_open.get() { "true" } else { "false" }
                    on:click=move |_| nav_open.update(|open| *open = !*open)
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" stroke-width="2"/></svg>
                </button>
                <a class="brand" href="/">
                    <img src="/logo.svg" alt="" width="28" height="28"/>
                    <span>"Image Stream Console"</span>
                </a>
                <ProjectSwitcher/>
                <SearchBox/>
                <div class="masthead-tools">
                    <LiveIndicator/>
                    <ThemeToggle/>
                    <UserMenu/>
                </div>
            </header>
            <PrimaryNav/>
            <main id="main" class="main" tabindex="-1">
                {children()}
            </main>
        </div>
        <Toaster/>
    }
}
