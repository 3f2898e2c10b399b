//! API token pieces shared by the service accounts section and the profile
//! page: a token in a list (with its revoke button), the form that issues
//! one, and the alert that shows a new token once, with a kubeconfig that
//! uses it.

use engine::model::{access::TokenView, kubeconfig::kubeconfig};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    components::{Button, ClipboardCopy, CopyButton, RelativeTime, TextField, Toasts, Variant},
    errors::ConsoleError,
};

/// What a token form asks: a description and a lifetime in days (empty:
/// until revoked), as typed.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub description: String,
    pub days: String,
}

/// The form that issues a token; `ids` keeps its fields' ids unique on the
/// page.
#[component]
pub fn TokenForm(
    #[prop(into)] ids: String,
    #[prop(into)] label: String,
    busy: Signal<bool>,
    on_issue: Callback<TokenRequest>,
    /// What was wrong with the lifetime last time, shown under its field.
    #[prop(optional, into)]
    days_error: MaybeProp<String>,
) -> impl IntoView {
    let description = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        on_issue.run(TokenRequest {
            description: description.get_untracked(),
            days: days.get_untracked(),
        });
    };
    view! {
        <form class="token-form" on:submit=on_submit aria-label=label>
            <TextField id=format!("{ids}-description") label="Token description" value=description placeholder="CI on main"/>
            <TextField id=format!("{ids}-days") label="Expires after (days)" value=days hint="Empty: until revoked." error=days_error/>
            <Button variant=Variant::Secondary submit=true busy>"New token"</Button>
        </form>
    }
}

/// Where an issue action's answer goes: a new token to `issued`, a wrong
/// lifetime to `days_error` (under the field), any other failure to a toast.
pub fn on_issued<T: Clone + Send + Sync + 'static>(
    value: impl Get<Value = Option<Result<T, ConsoleError>>> + Send + Sync + 'static,
    issued: RwSignal<Option<T>>,
    days_error: RwSignal<Option<String>>,
    changed: RwSignal<u64>,
) {
    let toasts = Toasts::get();
    Effect::new(move |_| match value.get() {
        Some(Ok(token)) => {
            days_error.set(None);
            issued.set(Some(token));
            changed.update(|n| *n += 1);
        }
        Some(Err(error)) => match error.for_field("days") {
            Some(problem) => days_error.set(Some(problem)),
            None => toasts.error(&error),
        },
        None => {}
    });
}

/// A token just issued, with a copy button and a kubeconfig that uses it
/// (acting as `user` in `namespace`); it is not shown again.
#[component]
pub fn IssuedTokenAlert(
    /// Whose token it is, in words ("ci", "you").
    #[prop(into)]
    owner: String,
    #[prop(into)] user: String,
    #[prop(into)] token: String,
    #[prop(into)] namespace: Signal<String>,
    on_done: Callback<()>,
) -> impl IntoView {
    let value = Signal::derive({
        let token = token.clone();
        move || token.clone()
    });
    let config =
        Signal::derive(move || kubeconfig(&server_origin(), &namespace.get(), &user, &token));
    view! {
        <div class="alert alert-info" role="status">
            <p class="alert-title">"New token for " {owner} " - copy it now, it is not shown again"</p>
            <ClipboardCopy value label="Token"/>
            <details class="kubeconfig">
                <summary>"kubeconfig for kubectl"</summary>
                <pre class="mono" aria-label="kubeconfig">{config}</pre>
                <CopyButton text=config label="Copy kubeconfig"/>
            </details>
            <button type="button" class="btn btn-link" on:click=move |_| on_done.run(())>"Done"</button>
        </div>
    }
}

/// This console's origin as the browser reached it (tokens are issued in
/// the browser, so the alert never renders on the server).
pub fn server_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// One token in a list: its id, description, age and state, and a revoke
/// button while it is live.
#[component]
pub fn TokenRow(token: TokenView, on_revoke: Callback<String>) -> impl IntoView {
    let state = match (&token.revoked, &token.expires) {
        (Some(at), _) => {
            view! { <span class="badge">"revoked " <RelativeTime at=*at/></span> }.into_any()
        }
        (None, Some(at)) => {
            view! { <span class="badge">"expires " <RelativeTime at=*at/></span> }.into_any()
        }
        (None, None) => view! { <span class="badge">"no expiry"</span> }.into_any(),
    };
    let live = token.revoked.is_none();
    let id = token.id.clone();
    let label = format!("Revoke token {}", token.id);
    let description = if token.description.is_empty() {
        "(no description)".to_owned()
    } else {
        token.description.clone()
    };
    view! {
        <li class="token-row">
            <code>{token.id.clone()}</code>
            <span>{description}</span>
            <span class="token-created">"created " <RelativeTime at=token.created/></span>
            {state}
            {live.then(|| view! {
                <button type="button" class="btn btn-link btn-danger-link" aria-label=label on:click=move |_| on_revoke.run(id.clone())>
                    "Revoke"
                </button>
            })}
        </li>
    }
}
