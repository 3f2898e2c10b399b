//! Copy-to-clipboard: a button, and a read-only field with a button (the
//! PatternFly "clipboard copy" used for pull specs).

use leptos::prelude::*;

/// A button that copies `text` and says "Copied" for a moment.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    /// What is copied, for screen readers ("Copy pull spec").
    #[prop(into, optional)]
    label: Option<String>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let label = label.unwrap_or_else(|| "Copy to clipboard".into());
    view! {
        <button
            type="button"
            class="btn btn-secondary btn-copy"
            aria-label=label
            on:click=move |_| copy(text.get_untracked(), copied)
        >
            <span aria-live="polite">{move || if copied.get() { "Copied" } else { "Copy" }}</span>
        </button>
    }
}

/// A read-only value with a copy button beside it.
#[component]
pub fn ClipboardCopy(
    #[prop(into)] value: Signal<String>,
    /// What the value is ("Pull spec"), for the field's accessible name.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let copy_label = format!("Copy {}", label.to_lowercase());
    view! {
        <div class="clipboard-copy">
            <input class="form-control mono" type="text" readonly aria-label=label prop:value=value/>
            <CopyButton text=value label=copy_label/>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn copy(text: String, copied: RwSignal<bool>) {
    use wasm_bindgen::JsCast;
    let done = move || {
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
    };
    // The Clipboard API needs a secure context (HTTPS or localhost); elsewhere
    // fall back to selecting a hidden text area and the copy command.
    let clipboard = window().navigator().clipboard();
    if window().is_secure_context() {
        let promise = clipboard.write_text(&text);
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                done();
            }
        });
        return;
    }
    let document = document();
    let Ok(area) = document.create_element("textarea") else {
        return;
    };
    let Ok(area) = area.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return;
    };
    area.set_value(&text);
    area.set_class_name("visually-hidden");
    if let Some(body) = document.body() {
        body.append_child(&area).ok();
        area.select();
        let copied_ok = document
            .dyn_ref::<web_sys::HtmlDocument>()
            .and_then(|html| html.exec_command("copy").ok())
            .unwrap_or(false);
        area.remove();
        if copied_ok {
            done();
        }
    }
}

#[cfg(not(feature = "hydrate"))]
fn copy(_text: String, _copied: RwSignal<bool>) {}
