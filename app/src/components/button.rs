//! Buttons in the console's four styles, with a busy state for actions in flight.

use leptos::{ev::MouseEvent, prelude::*};

/// How prominent a button is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Variant {
    /// The one main action of a view.
    Primary,
    /// Other actions.
    #[default]
    Secondary,
    /// Actions that destroy something.
    Danger,
    /// An action that reads like a link.
    Link,
}

impl Variant {
    fn class(self) -> &'static str {
        match self {
            Variant::Primary => "btn btn-primary",
            Variant::Secondary => "btn btn-secondary",
            Variant::Danger => "btn btn-danger",
            Variant::Link => "btn btn-link",
        }
    }
}

/// A button. While `busy`, it is disabled and shows a spinner, so a slow action
/// cannot be submitted twice.
#[component]
pub fn Button(
    #[prop(optional)] variant: Variant,
    /// Submits the enclosing form instead of running `on_click`.
    #[prop(optional)]
    submit: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] busy: Signal<bool>,
    #[prop(optional)] on_click: Option<Callback<MouseEvent>>,
    #[prop(optional, into)] label: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type=if submit { "submit" } else { "button" }
            class=variant.class()
            disabled=move || disabled.get() || busy.get()
            aria-busy=move || busy.get().then_some("true")
            aria-label=label
            on:click=move |event| {
                if let Some(on_click) = on_click {
                    on_click.run(event);
                }
            }
        >
            <Show when=move || busy.get()>
                <span class="spinner" aria-hidden="true"></span>
            </Show>
            {children()}
        </button>
    }
}
