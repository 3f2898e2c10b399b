//! A pull spec shown short where space is scarce: the digest cut to its
//! first 12 hex digits (as `docker images` shows ids), the whole spec on
//! hover and for screen readers.

use leptos::prelude::*;

/// `spec` with a `@sha256:<64 hex>` digest cut to 12 hex digits and an
/// ellipsis; any other spec unchanged.
pub fn shortened_pull_spec(spec: &str) -> String {
    match spec.rsplit_once("@sha256:") {
        Some((repository, hex)) if hex.len() > 12 => {
            format!("{repository}@sha256:{}…", &hex[..12])
        }
        _ => spec.to_owned(),
    }
}

/// A pull spec in monospace, shortened on screen; the whole spec is its
/// tooltip and what screen readers (and a search of the page) find.
#[component]
pub fn ShortPullSpec(#[prop(into)] spec: String) -> impl IntoView {
    let short = shortened_pull_spec(&spec);
    let title = spec.clone();
    view! {
        <span class="mono" title=title>
            <span aria-hidden="true">{short}</span>
            <span class="visually-hidden">{spec}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_a_digest_and_leaves_tags_alone() {
        let digest = "93c26dd85782b8ed3a1ba91e91bd4a891cd1641e7852721086892ebde206fb8a";
        assert_eq!(
            shortened_pull_spec(&format!("quay.io/team/app@sha256:{digest}")),
            "quay.io/team/app@sha256:93c26dd85782…"
        );
        assert_eq!(
            shortened_pull_spec("quay.io/team/app:1.0"),
            "quay.io/team/app:1.0"
        );
        assert_eq!(
            shortened_pull_spec("127.0.0.1:5000/app@sha256:abc"),
            "127.0.0.1:5000/app@sha256:abc"
        );
    }
}
