//! Scheduled imports: which tags are owed a check ([`wanted_checks`]), when
//! ([`ScheduleSettings`], backoff and jitter), at what rate
//! ([`RateLimiter`]), the loop that runs them on every replica
//! ([`Scheduler`]) and its [`Metrics`].

mod metrics;
mod policy;
mod rate_limit;
mod wanted;
mod worker;

pub use metrics::Metrics;
pub use policy::{FIRST_BACKOFF, JITTER_FRACTION, ScheduleSettings, first_check_in, jittered};
pub use rate_limit::RateLimiter;
pub use wanted::{INTERVAL_ANNOTATION, WantedCheck, tag_interval, wanted_checks};
pub use worker::Scheduler;
