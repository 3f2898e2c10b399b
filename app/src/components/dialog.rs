//! A modal dialog on the native `<dialog>` element, which brings focus
//! trapping, Escape to close and a backdrop for free.

use leptos::prelude::*;

/// A modal shown while `open` is true. Closing it (Escape, the close button)
/// sets `open` back to false.
#[component]
pub fn Dialog(
    open: RwSignal<bool>,
    /// Unique on the page; labels the dialog for assistive technology.
    #[prop(into)]
    id: String,
    #[prop(into)] title: Signal<String>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let wanted = open.get();
        if let Some(element) = dialog.get() {
            if wanted && !element.open() {
                element.show_modal().ok();
            } else if !wanted && element.open() {
                element.close();
            }
        }
    });
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <dialog
            id=id
            node_ref=dialog
            class="modal"
            aria-labelledby=labelled_by
            on:close=move |_| open.set(false)
        >
            <header class="modal-header">
                <h2 class="modal-title" id=title_id>{title}</h2>
                <button type="button" class="btn-close" aria-label="Close" on:click=move |_| open.set(false)>
                    "×"
                </button>
            </header>
            <div class="modal-body">{children()}</div>
        </dialog>
    }
}
