//! Whether the request presents credentials (a session cookie or a bearer
//! token), decided before anything renders: the server reads the request's
//! headers and writes the answer into the page's head, where the browser
//! reads it back before hydrating, so both render the same frame. Whether
//! the credentials are still good is the server functions' business.

use leptos::prelude::*;

/// The `<meta>` that carries the answer to the browser.
const PRESENCE_META: &str = "isc-session";

/// Whether the page is rendered for someone presenting credentials. (The
/// route list is generated with a request that presents none.)
pub fn presented() -> bool {
    #[cfg(feature = "ssr")]
    {
        !crate::api::request_credentials().is_empty()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .query_selector(&format!("meta[name=\"{PRESENCE_META}\"]"))
            .ok()
            .flatten()
            .and_then(|meta| meta.get_attribute("content"))
            .is_some_and(|content| content == "yes")
    }
}

/// The head's `<meta>` with the answer (rendered on the server only).
pub fn presence_meta() -> impl IntoView {
    let content = if presented() { "yes" } else { "no" };
    view! { <meta name=PRESENCE_META content=content/> }
}

/// Where to return after signing in: `path` with its query string
/// (`search`, which the router gives without its `?`).
pub fn return_address(path: &str, search: &str) -> String {
    if search.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{search}")
    }
}

#[cfg(test)]
mod tests {
    use super::return_address;

    #[test]
    fn keeps_the_query_behind_its_question_mark() {
        assert_eq!(return_address("/search", ""), "/search");
        assert_eq!(
            return_address("/ns/team/catalog", "q=ruby&sort=name"),
            "/ns/team/catalog?q=ruby&sort=name"
        );
    }
}
