//! Scheduled imports: which tags are owed a check ([`wanted_checks`]), when
//! ([`ScheduleSettings`], backoff and jitter), at what rate
//! ([`RateLimiter`]), the loop that runs them on every replica
//! ([`Scheduler`]), its [`Metrics`], and the [`overview`] pages show.

mod metrics;
mod overview;
mod policy;
mod rate_limit;
mod wanted;
mod worker;

pub use metrics::Metrics;
pub use overview::{of_tag, overview};
pub use policy::{FIRST_BACKOFF, JITTER_FRACTION, ScheduleSettings, first_check_in, jittered};
pub use rate_limit::RateLimiter;
pub use wanted::{INTERVAL_ANNOTATION, WantedCheck, tag_interval, wanted_checks};
pub use worker::Scheduler;
