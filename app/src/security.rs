//! The Content Security Policy of HTML pages. Leptos inlines a few scripts
//! (the hydration bootstrap, streamed data); each response gets a fresh nonce
//! that only those scripts carry, so no other inline script can run.

use http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
use leptos::{nonce::use_nonce, prelude::*};

/// Generates this response's nonce and sets the policy header that allows it.
pub fn provide_content_security_policy() {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}
