//! When a tag is checked next: the cluster-wide interval and its minimum, a
//! per-tag interval, jitter so that many tags do not fire together, capped
//! exponential backoff after failures, and the registry's `Retry-After`.

use std::time::Duration;

/// The scheduler's settings (OpenShift's `imagePolicyConfig` names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleSettings {
    /// How often a scheduled tag is checked (`scheduledImageImportMinimumIntervalSeconds`
    /// is the floor below).
    pub interval: Duration,
    /// No tag is checked more often than this, whatever it asks for.
    pub minimum_interval: Duration,
    /// `maxScheduledImageImportsPerMinute`; zero or less means unlimited.
    /// Bursts of twice this are allowed.
    pub max_imports_per_minute: i64,
    /// `disableScheduledImport`: no periodic checks (first imports of new
    /// tags still run).
    pub disabled: bool,
    /// Imports running at once, over all registries.
    pub concurrency: usize,
    /// Imports running at once against one registry host.
    pub per_host_concurrency: usize,
    /// How long a claimed tag stays with the replica that claimed it; a
    /// replica that dies loses its tags to the others after this.
    pub lease: Duration,
}

impl ScheduleSettings {
    /// The settings as pages show them.
    pub fn view(&self) -> crate::model::schedule_overview::ScheduleSettingsView {
        crate::model::schedule_overview::ScheduleSettingsView {
            interval_seconds: self.interval.as_secs(),
            minimum_interval_seconds: self.minimum_interval.as_secs(),
            max_imports_per_minute: self.max_imports_per_minute,
            disabled: self.disabled,
        }
    }
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            interval: Duration::from_secs(900),
            minimum_interval: Duration::from_secs(60),
            max_imports_per_minute: 60,
            disabled: false,
            concurrency: 8,
            per_host_concurrency: 4,
            lease: Duration::from_secs(120),
        }
    }
}

/// The first retry after a failure; each further failure doubles it.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(30);

/// How far a due time may be moved either way (a tenth of the wait).
pub const JITTER_FRACTION: f64 = 0.1;

impl ScheduleSettings {
    /// The interval a tag gets: its own when it has one, else the
    /// cluster's; never below the minimum.
    pub fn interval_for(&self, tag_interval: Option<Duration>) -> Duration {
        tag_interval
            .unwrap_or(self.interval)
            .max(self.minimum_interval)
    }

    /// The wait after `failures` consecutive failures (1 = the first):
    /// 30 s doubling, never longer than the tag's interval, and never
    /// shorter than the registry's `Retry-After`.
    pub fn backoff(
        &self,
        failures: u32,
        interval: Duration,
        retry_after: Option<Duration>,
    ) -> Duration {
        let doublings = failures.saturating_sub(1).min(20);
        let backoff = FIRST_BACKOFF
            .saturating_mul(1 << doublings)
            .min(interval.max(FIRST_BACKOFF));
        backoff.max(retry_after.unwrap_or_default())
    }
}

/// `wait` moved by up to ±10 %; `unit` is a random number in [0, 1).
pub fn jittered(wait: Duration, unit: f64) -> Duration {
    let factor = 1.0 + JITTER_FRACTION * (2.0 * unit.clamp(0.0, 1.0) - 1.0);
    wait.mul_f64(factor)
}

/// When a scheduled tag that was never checked first comes due: spread
/// over one interval so that a thousand new tags do not fire at once.
pub fn first_check_in(interval: Duration, unit: f64) -> Duration {
    interval.mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> ScheduleSettings {
        ScheduleSettings::default()
    }

    #[test]
    fn a_tag_interval_below_the_minimum_is_raised_to_it() {
        let s = settings();
        assert_eq!(s.interval_for(None), Duration::from_secs(900));
        assert_eq!(
            s.interval_for(Some(Duration::from_secs(300))),
            Duration::from_secs(300)
        );
        assert_eq!(
            s.interval_for(Some(Duration::from_secs(5))),
            Duration::from_secs(60)
        );
        let strict = ScheduleSettings {
            minimum_interval: Duration::from_secs(1200),
            ..settings()
        };
        assert_eq!(strict.interval_for(None), Duration::from_secs(1200));
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_the_interval() {
        let s = settings();
        let interval = Duration::from_secs(900);
        let waits: Vec<u64> = (1..=7)
            .map(|n| s.backoff(n, interval, None).as_secs())
            .collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(s.backoff(u32::MAX, interval, None).as_secs(), 900);
    }

    #[test]
    fn retry_after_is_honoured_even_beyond_the_backoff() {
        let s = settings();
        let interval = Duration::from_secs(900);
        assert_eq!(
            s.backoff(1, interval, Some(Duration::from_secs(120)))
                .as_secs(),
            120
        );
        assert_eq!(
            s.backoff(1, interval, Some(Duration::from_secs(5)))
                .as_secs(),
            30
        );
        assert_eq!(
            s.backoff(9, interval, Some(Duration::from_secs(3600)))
                .as_secs(),
            3600
        );
    }

    #[test]
    fn jitter_stays_within_a_tenth_either_way() {
        let wait = Duration::from_secs(900);
        assert_eq!(jittered(wait, 0.0), Duration::from_secs(810));
        assert_eq!(jittered(wait, 0.5), wait);
        assert!(jittered(wait, 0.999_999) <= Duration::from_secs(990));
        for _ in 0..1000 {
            let got = jittered(wait, fastrand::f64());
            assert!(
                got >= Duration::from_secs(810) && got <= Duration::from_secs(990),
                "{got:?}"
            );
        }
        assert_eq!(first_check_in(wait, 0.0), Duration::ZERO);
        assert!(first_check_in(wait, 0.999) < wait);
    }
}
