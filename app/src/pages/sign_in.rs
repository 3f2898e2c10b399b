//! The sign-in page: what anyone who is not signed in sees, at whatever
//! address they opened. A plain form posted to `/auth/sign-in`, so it works
//! before (and without) WebAssembly; afterwards the server sends the browser
//! back to the page it asked for. With an identity provider configured, a
//! button above the form signs in there instead.

use crate::api::page_data;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::access::sign_in_provider;

/// The sign-in form, in a frame of its own.
#[component]
pub fn SignInPage() -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    let error = move || query.read().get("error");
    let user = move || query.read().get("user").unwrap_or_default();
    // After signing in, back to this page (or to where /login was asked to
    // send the browser).
    let next = move || {
        let path = location.pathname.get();
        if path == "/login" {
            query
                .read()
                .get("next")
                .filter(|next| next.starts_with('/') && !next.starts_with("//"))
                .unwrap_or_else(|| "/".into())
        } else {
            crate::session::return_address(&path, &location.search.get())
        }
    };
    let provider = page_data::load(|| (), |_| sign_in_provider());
    let provider_button = move || {
        Suspend::new(async move {
            let name = provider.await.ok().flatten()?;
            let href = format!("/auth/oidc/start?next={}", query_escape(&next()));
            Some(view! {
                <a class="btn btn-primary sign-in-submit" href=href rel="external">"Sign in with " {name}</a>
                <p class="sign-in-or"><span>"or with a password"</span></p>
            })
        })
    };
    view! {
        <Title text="Sign in"/>
        <div class="sign-in-page">
            <main id="main" class="sign-in-card" tabindex="-1">
                <div class="brand sign-in-brand">
                    <img src="/logo.svg" alt="" width="36" height="36"/>
                    <span>"Image Stream Console"</span>
                </div>
                <h1 class="page-title">"Sign in"</h1>
                {move || error().map(|message| view! {
                    <div class="alert alert-danger" role="alert">
                        <p class="alert-title">{message}</p>
                    </div>
                })}
                <Suspense>{provider_button}</Suspense>
                <form method="post" action="/auth/sign-in" class="sign-in-form">
                    <input type="hidden" name="next" value=next/>
                    <div class="form-field">
                        <label class="form-label" for="sign-in-user">"User name"</label>
                        <input
                            id="sign-in-user"
                            name="user"
                            type="text"
                            class="form-control"
                            autocomplete="username"
                            autocapitalize="none"
                            spellcheck="false"
                            required
                            autofocus
                            value=user
                        />
                    </div>
                    <div class="form-field">
                        <label class="form-label" for="sign-in-password">"Password"</label>
                        <input
                            id="sign-in-password"
                            name="password"
                            type="password"
                            class="form-control"
                            autocomplete="current-password"
                            required
                        />
                    </div>
                    <button type="submit" class="btn btn-primary sign-in-submit">"Sign in"</button>
                </form>
                <p class="form-hint">
                    "The first administrator's password is set when the server first starts; "
                    "ask your administrator for an account."
                </p>
            </main>
        </div>
    }
}

/// `text` for a URL's query: letters, digits, `-._~/` as they are, every
/// other byte as `%XX`.
fn query_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::query_escape;

    #[test]
    fn the_next_page_survives_the_query() {
        assert_eq!(
            query_escape("/ns/team/catalog?q=ruby 3&x=ä"),
            "/ns/team/catalog%3Fq%3Druby%203%26x%3D%C3%A4"
        );
    }
}
