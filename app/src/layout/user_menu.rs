//! The signed-in person in the masthead: who they are, and signing out of
//! this browser or of every browser at once.

use engine::model::access::SignedIn;
use leptos::prelude::*;

/// The person the console is rendered for; provided once they signed in.
#[derive(Clone, Debug)]
pub struct SignedInUser(pub SignedIn);

#[component]
pub(super) fn UserMenu() -> impl IntoView {
    let SignedInUser(user) = expect_context::<SignedInUser>();
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
    view! {
        <details class="user-menu">
            <summary class="user-menu-toggle" aria-label=label>
                <span class="user-avatar" aria-hidden="true">{initial}</span>
                <span class="user-name">{user.user.clone()}</span>
            </summary>
            <div class="user-menu-panel">
                <p class="user-menu-who">"Signed in as " <strong>{user.user.clone()}</strong> " " {role}</p>
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
