//! The query of a list or watch request (`labelSelector`, `fieldSelector`,
//! `limit`, `continue`, `watch`, `resourceVersion`, `allowWatchBookmarks`,
//! `timeoutSeconds`), read strictly: a bad value is a 400 naming it.

use axum::{
    extract::{FromRequestParts, Query},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use engine::model::selectors::{FieldSelector, LabelSelector};
use serde::Deserialize;

use super::status::bad_request;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawOptions {
    label_selector: Option<String>,
    field_selector: Option<String>,
    limit: Option<String>,
    #[serde(rename = "continue")]
    continue_token: Option<String>,
    watch: Option<String>,
    resource_version: Option<String>,
    allow_watch_bookmarks: Option<String>,
    send_initial_events: Option<String>,
    resource_version_match: Option<String>,
    timeout_seconds: Option<String>,
}

/// What a list or watch asks for.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
    /// At most this many items (none: all).
    pub limit: Option<usize>,
    /// Start after this name (from a `continue` token).
    pub after: Option<String>,
    pub watch: bool,
    /// Start a watch after this version (none or 0: from the current state).
    pub resource_version: Option<i64>,
    pub bookmarks: bool,
    /// A watch that starts with the current state and marks its end with a
    /// bookmark (`sendInitialEvents`, as client-go's watch lists ask).
    pub send_initial_events: bool,
    pub timeout_seconds: Option<u64>,
}

fn flag(value: Option<&str>, name: &str) -> Result<bool, String> {
    match value {
        None | Some("false" | "0" | "") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(other) => Err(format!("{name}: {other:?} is not a boolean")),
    }
}

/// The `continue` token naming the last item of a page.
pub fn continue_token(last_name: &str) -> String {
    URL_SAFE_NO_PAD.encode(last_name)
}

impl ListOptions {
    fn parse(raw: RawOptions) -> Result<ListOptions, String> {
        let labels = LabelSelector::parse(raw.label_selector.as_deref().unwrap_or(""))
            .map_err(|error| format!("labelSelector: {error}"))?;
        let fields = FieldSelector::parse(raw.field_selector.as_deref().unwrap_or(""))
            .map_err(|error| format!("fieldSelector: {error}"))?;
        let limit = match raw.limit.as_deref() {
            None | Some("") => None,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if n <= 0 => None,
                Ok(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                Err(_) => return Err(format!("limit: {text:?} is not a number")),
            },
        };
        let after = match raw.continue_token.as_deref() {
            None | Some("") => None,
            Some(token) => Some(
                URL_SAFE_NO_PAD
                    .decode(token)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or(
                        "continue: the token is not one this server gave (start the list again)",
                    )?,
            ),
        };
        let resource_version = match raw.resource_version.as_deref() {
            None | Some("") => None,
            Some(text) => Some(text.parse::<i64>().map_err(|_| {
                format!("resourceVersion: {text:?} is not a resource version of this server")
            })?),
        };
        let timeout_seconds = match raw.timeout_seconds.as_deref() {
            None | Some("") => None,
            Some(text) => Some(
                text.parse::<u64>()
                    .map_err(|_| format!("timeoutSeconds: {text:?} is not a number of seconds"))?,
            ),
        };
        let watch = flag(raw.watch.as_deref(), "watch")?;
        let bookmarks = flag(raw.allow_watch_bookmarks.as_deref(), "allowWatchBookmarks")?;
        let send_initial_events = flag(raw.send_initial_events.as_deref(), "sendInitialEvents")?;
        if send_initial_events {
            // Kubernetes' rules for a watch list, with its messages.
            if !watch {
                return Err(
                    "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"
                        .to_owned(),
                );
            }
            if raw.resource_version_match.as_deref() != Some("NotOlderThan") {
                return Err("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan".to_owned());
            }
            if !bookmarks {
                return Err("allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true".to_owned());
            }
        }
        Ok(ListOptions {
            labels,
            fields,
            limit,
            after,
            watch,
            resource_version,
            bookmarks,
            send_initial_events,
            timeout_seconds,
        })
    }

    /// The first `limit` of `items` (read one past the limit), and whether
    /// more follow.
    pub fn cut_page<T>(&self, mut items: Vec<T>) -> (Vec<T>, bool) {
        let more = self.limit.is_some_and(|limit| items.len() > limit);
        if let Some(limit) = self.limit {
            items.truncate(limit);
        }
        (items, more)
    }

    /// Whether an object passes both selectors.
    pub fn selects(&self, metadata: &engine::model::ObjectMeta) -> bool {
        self.labels.matches(&metadata.labels)
            && self.fields.matches(&metadata.namespace, &metadata.name)
    }

    /// Whether an object kept as a JSON document passes both selectors.
    pub fn selects_document(&self, object: &serde_json::Value) -> bool {
        let text = |field: &str| {
            object
                .pointer(&format!("/metadata/{field}"))
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
        };
        let labels: std::collections::BTreeMap<String, String> = object
            .pointer("/metadata/labels")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
            .collect();
        self.labels.matches(&labels) && self.fields.matches(text("namespace"), text("name"))
    }

    /// Whether only the page's names matter (no selector to apply).
    pub fn selects_all(&self) -> bool {
        self.labels.is_empty() && self.fields.is_empty()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListOptions {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Query(raw) = Query::<RawOptions>::from_request_parts(parts, state)
            .await
            .map_err(|error| bad_request(error.body_text()))?;
        ListOptions::parse(raw).map_err(|message| bad_request(message).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_and_bad_values_name_the_parameter() {
        let options = ListOptions::parse(RawOptions {
            label_selector: Some("app=web".into()),
            limit: Some("50".into()),
            continue_token: Some(continue_token("ruby")),
            watch: Some("true".into()),
            resource_version: Some("12".into()),
            ..RawOptions::default()
        })
        .unwrap();
        assert_eq!(options.limit, Some(50));
        assert_eq!(options.after.as_deref(), Some("ruby"));
        assert!(options.watch);
        assert_eq!(options.resource_version, Some(12));
        let error = ListOptions::parse(RawOptions {
            limit: Some("many".into()),
            ..RawOptions::default()
        })
        .unwrap_err();
        assert!(error.starts_with("limit:"), "{error}");
        let error = ListOptions::parse(RawOptions {
            continue_token: Some("!!".into()),
            ..RawOptions::default()
        })
        .unwrap_err();
        assert!(error.starts_with("continue:"), "{error}");
    }

    #[test]
    fn a_watch_list_needs_a_watch_bookmarks_and_not_older_than() {
        let watch_list = || RawOptions {
            watch: Some("true".into()),
            allow_watch_bookmarks: Some("true".into()),
            send_initial_events: Some("true".into()),
            resource_version_match: Some("NotOlderThan".into()),
            ..RawOptions::default()
        };
        assert!(
            ListOptions::parse(watch_list())
                .unwrap()
                .send_initial_events
        );
        let refused = |raw: RawOptions| ListOptions::parse(raw).unwrap_err();
        assert!(
            refused(RawOptions {
                watch: None,
                ..watch_list()
            })
            .starts_with("sendInitialEvents: Forbidden")
        );
        assert!(
            refused(RawOptions {
                resource_version_match: Some("Exact".into()),
                ..watch_list()
            })
            .starts_with("resourceVersionMatch: Forbidden")
        );
        assert!(
            refused(RawOptions {
                allow_watch_bookmarks: None,
                ..watch_list()
            })
            .starts_with("allowWatchBookmarks: Forbidden")
        );
    }
}
