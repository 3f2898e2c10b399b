//! A labelled text input with a hint and an inline error, wired for screen
//! readers (`aria-invalid`, `aria-describedby`).

use leptos::prelude::*;

/// A text field bound to `value`. `error` is shown under the field as soon as
/// it is set; the value is never cleared by an error.
#[component]
pub fn TextField(
    /// Unique on the page; also the base of the hint's and error's ids.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] required: bool,
    /// A textarea instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
    #[prop(optional, into)] placeholder: Option<String>,
    #[prop(optional)] autofocus: bool,
    /// A password: typed into a masked input and never autofilled.
    #[prop(optional)]
    secret: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.get().is_some().then_some("true");
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=id.clone()
                class="form-control"
                rows="3"
                required=required
                placeholder=placeholder
                aria-invalid=invalid
                aria-describedby=described_by
                bind:value=value
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=id.clone()
                type=if secret { "password" } else { "text" }
                class="form-control"
                required=required
                placeholder=placeholder
                autofocus=autofocus
                autocomplete=if secret { "new-password" } else { "off" }
                spellcheck="false"
                aria-invalid=invalid
                aria-describedby=described_by
                bind:value=value
            />
        }
        .into_any()
    };
    view! {
        <div class="form-field">
            <label class="form-label" for=id>
                {label}
                {required.then(|| view! { <span class="form-required" aria-hidden="true">" *"</span> })}
            </label>
            {control}
            {hint.map(|hint| view! { <p class="form-hint" id=hint_id>{hint}</p> })}
            <p class="form-error" id=error_id role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled checkbox with an optional hint.
#[component]
pub fn Checkbox(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    checked: RwSignal<bool>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described_by = hint.is_some().then(|| hint_id.clone());
    view! {
        <div class="form-check">
            <input
                id=id.clone()
                type="checkbox"
                aria-describedby=described_by
                bind:checked=checked
            />
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="form-hint" id=hint_id>{hint}</p> })}
        </div>
    }
}

/// A labelled drop-down of `(value, label)` options.
#[component]
pub fn SelectField<O>(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    options: Vec<(O, O)>,
) -> impl IntoView
where
    O: Into<String> + 'static,
{
    view! {
        <div class="form-field">
            <label class="form-label" for=id.clone()>{label}</label>
            <select
                id=id
                class="form-control"
                prop:value=move || value.get()
                on:change=move |event| value.set(event_target_value(&event))
            >
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let (option, text): (String, String) = (option.into(), text.into());
                        view! { <option value=option>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
