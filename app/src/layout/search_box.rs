//! The masthead's search box: sends its words to `/search` (a plain GET form,
//! so it works before the page is live too). `/` anywhere focuses it.

use leptos::{ev, prelude::*};
use leptos_router::{components::Form, hooks::use_location, hooks::use_query_map};

#[component]
pub(super) fn SearchBox() -> impl IntoView {
    let location = use_location();
    let url = use_query_map();
    let current = move || {
        if location.pathname.get() == "/search" {
            url.read().get("q").unwrap_or_default()
        } else {
            String::new()
        }
    };
    let input = NodeRef::<leptos::html::Input>::new();
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = event
            .target()
            .and_then(|target| {
                use leptos::wasm_bindgen::JsCast;
                target.dyn_into::<web_sys::HtmlElement>().ok()
            })
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || element.is_content_editable()
            });
        if typing {
            return;
        }
        if let Some(input) = input.get_untracked() {
            event.prevent_default();
            input.focus().ok();
            input.select();
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <Form action="/search" method="get" attr:class="masthead-search" attr:role="search">
            <label for="global-search" class="visually-hidden">"Search all projects"</label>
            <input
                id="global-search"
                node_ref=input
                type="search"
                name="q"
                placeholder="Search streams, tags, digests…"
                autocomplete="off"
                prop:value=current
                aria-keyshortcuts="/"
            />
        </Form>
    }
}
