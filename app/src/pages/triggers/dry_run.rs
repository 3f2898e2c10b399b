//! "What would fire if this tag moved to this image?"

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::triggers::DryRunTriggers,
    components::{Button, ErrorAlert, TextField, Variant},
};

/// The dry-run form and its answer.
#[component]
pub fn DryRunForm(#[prop(into)] namespace: Signal<String>) -> impl IntoView {
    let tag = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let action = ServerAction::<DryRunTriggers>::new();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        action.dispatch(DryRunTriggers {
            namespace: namespace.get_untracked(),
            tag: tag.get_untracked(),
            target: target.get_untracked(),
        });
    };
    let answer = move || {
        match action.value().get() {
        None => None,
        Some(Err(error)) => Some(view! { <ErrorAlert error/> }.into_any()),
        Some(Ok(lines)) if lines.is_empty() => {
            Some(view! { <p class="muted" role="status">"No trigger watches that tag."</p> }.into_any())
        }
        Some(Ok(lines)) => Some(
            view! {
                <ul class="dry-run-answer" role="status">
                    {lines.into_iter().map(|line| view! { <li><strong>{line.owner}</strong>": "{line.verdict}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
        ),
    }
    };
    view! {
        <form class="dry-run" on:submit=on_submit novalidate>
            <TextField id="dry-run-tag" label="Tag" value=tag placeholder="ruby:latest or openshift/ruby:latest" required=true/>
            <TextField id="dry-run-target" label="Moves to" value=target placeholder="sha256:… or quay.io/org/ruby@sha256:…" required=true/>
            <Button variant=Variant::Primary submit=true busy=action.pending()>"What would fire?"</Button>
        </form>
        {answer}
    }
}
