//! Whether the request presents credentials (a session cookie or a bearer
//! token), decided before anything renders: the server reads the request's
//! headers and writes the answer into the page's head, where the browser
//! reads it back before hydrating, so both render the same frame. Whether
//! the credentials are still good is the server functions' business.

use leptos::prelude::*;

/// The `<meta>` that carries the answer to the browser.
const PRESENCE_META: &str = "isc-session";

/// Whether the page is rendered for someone presenting credentials. Outside
/// a request (the route list is generated that way) the console's routes
/// are what counts, so: yes.
pub fn presented() -> bool {
    #[cfg(feature = "ssr")]
    {
        use engine::{access::Credentials, model::access::CSRF_HEADER};
        let Some(parts) = use_context::<http::request::Parts>() else {
            return true;
        };
        let header = |name: http::header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
        };
        let credentials = Credentials::from_headers(
            header(http::header::COOKIE),
            header(http::header::AUTHORIZATION),
            parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok()),
        );
        !credentials.is_empty()
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
