//! Imports over time, as the import-activity chart draws them: one bucket
//! per hour, successes and failures apart.

use serde::{Deserialize, Serialize};

use super::Time;

/// An hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// The hours the chart shows.
pub const HOURS_SHOWN: usize = 24;

/// The start of the hour holding `ms` (milliseconds since the epoch).
pub fn hour_of(ms: i64) -> i64 {
    ms.div_euclid(HOUR_MS) * HOUR_MS
}

/// One hour's imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportBucket {
    pub start: Time,
    pub succeeded: i64,
    pub failed: i64,
}

/// The last [`HOURS_SHOWN`] hours of a project's imports, oldest first,
/// the current hour last (hours without imports included, as zeros).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportActivity {
    pub buckets: Vec<ImportBucket>,
}

impl ImportActivity {
    /// Buckets for the hours up to the one holding `now_ms`, from the
    /// counted hours (start in ms, succeeded, failed).
    pub fn from_counts(now_ms: i64, counted: &[(i64, i64, i64)]) -> ImportActivity {
        let current = hour_of(now_ms);
        let buckets = (0..HOURS_SHOWN as i64)
            .rev()
            .map(|back| {
                let start = current - back * HOUR_MS;
                let (succeeded, failed) = counted
                    .iter()
                    .find(|(hour, _, _)| *hour == start)
                    .map_or((0, 0), |(_, s, f)| (*s, *f));
                ImportBucket {
                    start: Time::from_unix(start / 1000),
                    succeeded,
                    failed,
                }
            })
            .collect();
        ImportActivity { buckets }
    }

    /// The start of the oldest hour shown at `now_ms`.
    pub fn first_hour(now_ms: i64) -> i64 {
        hour_of(now_ms) - (HOURS_SHOWN as i64 - 1) * HOUR_MS
    }

    pub fn succeeded(&self) -> i64 {
        self.buckets.iter().map(|b| b.succeeded).sum()
    }

    pub fn failed(&self) -> i64 {
        self.buckets.iter().map(|b| b.failed).sum()
    }

    /// The largest hour's total (the chart's scale), at least 1.
    pub fn peak(&self) -> i64 {
        self.buckets
            .iter()
            .map(|b| b.succeeded + b.failed)
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hour_of_the_day_has_a_bucket_and_counts_land_in_theirs() {
        let now = 1_700_000_000_000 + 1234;
        let current = now / HOUR_MS * HOUR_MS;
        let activity = ImportActivity::from_counts(
            now,
            &[
                (current - 30 * HOUR_MS, 9, 9),
                (current - 2 * HOUR_MS, 3, 1),
                (current, 1, 0),
            ],
        );
        assert_eq!(activity.buckets.len(), HOURS_SHOWN);
        assert_eq!(activity.buckets[HOURS_SHOWN - 1].succeeded, 1);
        assert_eq!(
            (
                activity.buckets[HOURS_SHOWN - 3].succeeded,
                activity.buckets[HOURS_SHOWN - 3].failed
            ),
            (3, 1)
        );
        assert_eq!(
            activity.buckets[0].start.unix() * 1000,
            current - 23 * HOUR_MS
        );
        assert_eq!(
            (activity.succeeded(), activity.failed()),
            (4, 1),
            "older than a day is left out"
        );
        assert_eq!(activity.peak(), 4);
        assert_eq!(ImportActivity::from_counts(now, &[]).peak(), 1);
    }
}
