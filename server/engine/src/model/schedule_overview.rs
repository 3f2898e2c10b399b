//! The import schedule as its overview page shows it: the settings, what
//! runs now, what fails and waits out its backoff, what is due soon, and how
//! much of the rate limit the last hour used.

use serde::{Deserialize, Serialize};

use super::Time;

/// One scheduled tag: when it is checked next and how the last check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledTag {
    pub namespace: String,
    pub stream: String,
    pub tag: String,
    pub registry: String,
    /// Checked every interval (`importPolicy.scheduled`); otherwise only
    /// until its first successful import.
    pub scheduled: bool,
    /// Its current source has not been imported yet.
    pub pending: bool,
    pub due: Time,
    pub last_check: Option<Time>,
    /// `Success`, or the reason of the last failure.
    pub last_result: Option<String>,
    pub last_error: Option<String>,
    /// Failures in a row (the backoff grows with them).
    pub failures: i64,
    /// A replica is importing it now.
    pub running: bool,
}

/// The settings the schedule runs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSettingsView {
    pub interval_seconds: u64,
    pub minimum_interval_seconds: u64,
    /// Zero or less: unlimited.
    pub max_imports_per_minute: i64,
    pub disabled: bool,
}

/// The whole overview (of one project, or of every project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOverview {
    pub settings: ScheduleSettingsView,
    /// Scheduled tags in all.
    pub total: usize,
    pub running: Vec<ScheduledTag>,
    /// Failing tags, the longest failing first, each with its next retry.
    pub failing: Vec<ScheduledTag>,
    /// The next tags to check (at most [`DUE_SOON`]).
    pub due_soon: Vec<ScheduledTag>,
    /// Checks of the last hour (over the whole installation: the rate limit
    /// is shared).
    pub succeeded_last_hour: i64,
    pub failed_last_hour: i64,
}

impl ScheduleOverview {
    /// The share of the hourly rate limit the last hour's checks used, in
    /// percent; `None` when the rate is unlimited.
    pub fn rate_limit_use_percent(&self) -> Option<i64> {
        let per_hour = self.settings.max_imports_per_minute.checked_mul(60)?;
        (per_hour > 0).then(|| (self.succeeded_last_hour + self.failed_last_hour) * 100 / per_hour)
    }
}

/// How many due tags the overview lists.
pub const DUE_SOON: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;

    fn overview(per_minute: i64, checks: i64) -> ScheduleOverview {
        ScheduleOverview {
            settings: ScheduleSettingsView {
                interval_seconds: 900,
                minimum_interval_seconds: 60,
                max_imports_per_minute: per_minute,
                disabled: false,
            },
            total: 0,
            running: Vec::new(),
            failing: Vec::new(),
            due_soon: Vec::new(),
            succeeded_last_hour: checks,
            failed_last_hour: 0,
        }
    }

    #[test]
    fn rate_limit_use_is_the_last_hours_checks_against_the_hourly_limit() {
        assert_eq!(overview(60, 900).rate_limit_use_percent(), Some(25));
        assert_eq!(overview(0, 900).rate_limit_use_percent(), None);
        assert_eq!(overview(-1, 900).rate_limit_use_percent(), None);
    }
}
