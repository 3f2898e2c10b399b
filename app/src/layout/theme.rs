//! Light and dark themes. The choice lives in a cookie so the server renders
//! the right one at once (no flash); without a choice the system's preference
//! applies (see `style/main.css`).

use leptos::prelude::*;

/// The theme named by a `Cookie` header, if the user chose one.
#[cfg(any(feature = "ssr", test))]
pub fn theme_from_cookie_header(cookie: &str) -> Option<&'static str> {
    cookie.split(';').find_map(|pair| match pair.trim() {
        "theme=dark" => Some("dark"),
        "theme=light" => Some("light"),
        _ => None,
    })
}

#[component]
pub(super) fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| dark.set(is_dark_now()));
    let toggle = move |_| {
        let next = !dark.get_untracked();
        dark.set(next);
        #[cfg(feature = "hydrate")]
        apply(if next { "dark" } else { "light" });
    };
    view! {
        <button
            type="button"
            class="btn btn-plain theme-toggle"
            aria-pressed=move || if dark.get() { "true" } else { "false" }
            on:click=toggle
        >
            <svg viewBox="0 0 24 24" aria-hidden="true" width="18" height="18">
                <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" fill="currentColor"/>
            </svg>
            <span>"Dark theme"</span>
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn is_dark_now() -> bool {
    let root = document().document_element();
    match root
        .and_then(|root| root.get_attribute("data-theme"))
        .as_deref()
    {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|query| query.matches()),
    }
}

#[cfg(feature = "hydrate")]
fn apply(theme: &str) {
    use wasm_bindgen::JsCast;
    if let Some(root) = document().document_element() {
        root.set_attribute("data-theme", theme).ok();
    }
    if let Some(html) = document().dyn_ref::<web_sys::HtmlDocument>() {
        html.set_cookie(&format!(
            "theme={theme}; Path=/; Max-Age=31536000; SameSite=Lax"
        ))
        .ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_theme_cookie_among_others() {
        assert_eq!(
            theme_from_cookie_header("a=1; theme=dark; b=2"),
            Some("dark")
        );
        assert_eq!(theme_from_cookie_header("theme=light"), Some("light"));
        assert_eq!(theme_from_cookie_header("theme=pink"), None);
        assert_eq!(theme_from_cookie_header(""), None);
    }
}
