//! The signed-in person in the masthead: who they are, and signing out of
//! this browser or of every browser at once; a link to sign in again when
//! the session ended.

use crate::api::{page_data, page_data::PageData};
use engine::model::access::SignedIn;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{api::access::current_user, errors::ConsoleError};

/// Who the pages are for (`None`: the session ended), loaded once per page.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub PageData<Result<Option<SignedIn>, ConsoleError>>);

impl CurrentUser {
    /// Creates the resource; call once, where the console starts.
    pub fn provide() {
        provide_context(CurrentUser(page_data::load(|| (), |_| current_user())));
    }

    pub fn get() -> CurrentUser {
        expect_context::<CurrentUser>()
    }
}

#[component]
pub(super) fn UserMenu() -> impl IntoView {
    let user = CurrentUser::get().0;
    let location = use_location();
    let menu = move || {
        Suspend::new(async move {
            match user.await {
                Ok(Some(user)) => {
                    crate::api::client::remember_csrf_token(&user.csrf_token);
                    view! { <SignedInMenu user/> }.into_any()
                }
                Ok(None) => {
                    let next = crate::session::return_address(
                        &location.pathname.get_untracked(),
                        &location.search.get_untracked(),
                    );
                    // Encoded in Rust: this also renders on the server
                    // (a page opened with a session that has ended).
                    let next: leptos_router::params::ParamsMap =
                        [("next", next)].into_iter().collect();
                    let href = format!("/login{}", next.to_query_string());
                    view! { <a class="btn btn-secondary" href=href>"Sign in"</a> }.into_any()
                }
                Err(_) => ().into_any(),
            }
        })
    };
    view! { <Suspense>{menu}</Suspense> }
}

#[component]
fn SignedInMenu(user: SignedIn) -> impl IntoView {
    let initial = user
        .user
        .chars()
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    let label = format!("Account of {}", user.user);
    let role = user
        .cluster_admin
        .then(|| view! { <span class="badge">"cluster-admin"</span> });
    let token = user.csrf_token.clone();
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move |_| {
        if let Some(menu) = menu.get() {
            menu.set_open(false);
        }
    };
    view! {
        <details class="user-menu" node_ref=menu>
            <summary class="user-menu-toggle" aria-label=label>
                <span class="user-avatar" aria-hidden="true">{initial}</span>
                <span class="user-name">{user.user.clone()}</span>
            </summary>
            <div class="user-menu-panel">
                <p class="user-menu-who">"Signed in as " <strong>{user.user.clone()}</strong> " " {role}</p>
                <a class="btn btn-link" href="/profile" on:click=close>"Your profile and API tokens"</a>
                <form method="post" action="/auth/sign-out">
                    <input type="hidden" name="csrf_token" value=token.clone()/>
                    <button type="submit" class="btn btn-secondary">"Sign out"</button>
                </form>
                <form method="post" action="/auth/sign-out">
                    <input type="hidden" name="csrf_token" value=token/>
                    <input type="hidden" name="everywhere" value="true"/>
                    <button type="submit" class="btn btn-link">"Sign out everywhere"</button>
                </form>
            </div>
        </details>
    }
}
