//! Webhooks: a project's subscriptions to tag and trigger events, with the
//! validation of their fields, and the deliveries as pages show them.

use serde::{Deserialize, Serialize};

use super::{FieldError, Time, validate_dns_label};

/// What a webhook can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    TagCreated,
    TagMoved,
    TagDeleted,
    TriggerFired,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 4] = [
        WebhookEvent::TagCreated,
        WebhookEvent::TagMoved,
        WebhookEvent::TagDeleted,
        WebhookEvent::TriggerFired,
    ];

    /// The stored and sent spelling (`X-Console-Event`).
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::TagCreated => "tag-created",
            WebhookEvent::TagMoved => "tag-moved",
            WebhookEvent::TagDeleted => "tag-deleted",
            WebhookEvent::TriggerFired => "trigger-fired",
        }
    }

    pub fn parse(text: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// A webhook as it is created (the secret is never read back).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    pub name: String,
    pub url: String,
    pub secret: String,
    pub events: Vec<WebhookEvent>,
}

/// The shortest signing key accepted.
pub const MIN_SECRET_LENGTH: usize = 16;

impl NewWebhook {
    /// Every problem with the fields, each naming its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.name.is_empty() {
            errors.push(FieldError::new("name", "Required value"));
        } else if let Err(error) = validate_dns_label("name", &self.name) {
            errors.push(error);
        }
        let url = self.url.trim();
        if url.is_empty() {
            errors.push(FieldError::new("url", "Required value"));
        } else if !(url.starts_with("http://") || url.starts_with("https://"))
            || url.contains(char::is_whitespace)
            || url
                .split_once("://")
                .is_some_and(|(_, rest)| rest.is_empty() || rest.starts_with('/'))
        {
            errors.push(FieldError::new(
                "url",
                format!("Invalid value: \"{url}\": must be an http:// or https:// URL with a host"),
            ));
        }
        if self.secret.chars().count() < MIN_SECRET_LENGTH {
            errors.push(FieldError::new(
                "secret",
                format!("Invalid value: must be at least {MIN_SECRET_LENGTH} characters (it signs every delivery)"),
            ));
        }
        if self.events.is_empty() {
            errors.push(FieldError::new(
                "events",
                "Required value: choose at least one event",
            ));
        }
        errors
    }
}

/// A webhook as pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    pub name: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub created: Time,
}

/// One delivery as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub webhook: String,
    pub event: String,
    /// `pending`, `delivered` or `failed` (gave up).
    pub state: String,
    pub attempts: i64,
    pub status_code: Option<i64>,
    pub last_error: Option<String>,
    pub created: Time,
    pub delivered: Option<Time>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_checked_and_named() {
        let errors = NewWebhook {
            name: "Bad Name".into(),
            url: "ftp://x".into(),
            secret: "short".into(),
            events: vec![],
        }
        .validate();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "url", "secret", "events"]);
        let fine = NewWebhook {
            name: "ci".into(),
            url: "http://127.0.0.1:9000/hook".into(),
            secret: "0123456789abcdef".into(),
            events: vec![WebhookEvent::TagMoved],
        };
        assert!(fine.validate().is_empty());
    }
}
