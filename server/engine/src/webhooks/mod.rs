//! Webhooks: subscriptions per project ([`create`], [`delete`], [`list`]),
//! the deliveries queued with the events that cause them ([`queue`]), their
//! signature ([`sign`]) and the [`WebhookSender`] that posts them with
//! retries.

mod manage;
mod queue;
mod sender;
mod sign;

pub use manage::{create, delete, deliveries, list, redeliver};
pub(crate) use queue::{queue_tag_event, queue_trigger_fired};
pub use sender::{WebhookSender, retry_delay_millis};
pub use sign::{DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify};
