//! Errors shown in words a user understands: a headline, advice, and the
//! server's message (which names the field and the problem).

use leptos::{error::Errors, prelude::*};

use crate::errors::ConsoleError;

/// The fallback of an error boundary: every error caught, explained.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    let list = move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| {
                let console_error = error
                    .downcast_ref::<ConsoleError>()
                    .cloned()
                    .unwrap_or_else(|| ConsoleError::Transport(error.to_string()));
                view! { <ErrorAlert error=console_error/> }
            })
            .collect_view()
    };
    view! {
        <div class="error-panel">
            {list}
            <a class="btn btn-secondary" href="" rel="external">"Reload the page"</a>
        </div>
    }
}

/// One error as an alert box.
#[component]
pub fn ErrorAlert(error: ConsoleError) -> impl IntoView {
    let fields = error
        .field_errors()
        .iter()
        .map(|field| {
            view! {
                <li><code>{field.field.clone()}</code>": "{field.message.clone()}</li>
            }
        })
        .collect_view();
    let detail = error.field_errors().is_empty().then(|| error.to_string());
    view! {
        <div class="alert alert-danger" role="alert">
            <p class="alert-title">{error.title()}</p>
            <p>{error.advice()}</p>
            <ul class="alert-fields">{fields}</ul>
            {detail.map(|detail| view! { <p class="alert-detail">{detail}</p> })}
        </div>
    }
}
