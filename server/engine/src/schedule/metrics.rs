//! The scheduler's numbers in Prometheus' text format: imports by result, an
//! import duration histogram, queue depth, rate-limit waits and leases held.

use std::{
    fmt::Write,
    sync::atomic::{AtomicI64, AtomicU64, Ordering},
    time::Duration,
};

/// Upper bounds of the duration histogram, in seconds.
const BUCKETS: [f64; 10] = [0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

#[derive(Debug, Default)]
pub struct Metrics {
    succeeded: AtomicU64,
    failed: AtomicU64,
    /// Per bucket, then one for +Inf.
    duration_buckets: [AtomicU64; BUCKETS.len() + 1],
    duration_micros: AtomicU64,
    rate_limit_waits: AtomicU64,
    rate_limit_wait_micros: AtomicU64,
    leases_held: AtomicI64,
}

impl Metrics {
    pub fn record_import(&self, succeeded: bool, took: Duration) {
        let counter = if succeeded {
            &self.succeeded
        } else {
            &self.failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        self.duration_buckets[bucket].fetch_add(1, Ordering::Relaxed);
        self.duration_micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn record_rate_limit_wait(&self, waited: Duration) {
        if waited.is_zero() {
            return;
        }
        self.rate_limit_waits.fetch_add(1, Ordering::Relaxed);
        self.rate_limit_wait_micros
            .fetch_add(waited.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn leases_taken(&self, count: usize) {
        self.leases_held.fetch_add(count as i64, Ordering::Relaxed);
    }

    pub fn leases_released(&self, count: usize) {
        self.leases_held.fetch_sub(count as i64, Ordering::Relaxed);
    }

    pub fn imports(&self) -> (u64, u64) {
        (
            self.succeeded.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }

    /// The text `/metrics` serves; `queue_depth` is the number of tags due
    /// now (read from the store by the caller).
    pub fn render(&self, queue_depth: i64) -> String {
        let mut out = String::new();
        let (succeeded, failed) = self.imports();
        let _ = writeln!(
            out,
            "# HELP isc_scheduled_imports_total Scheduled tag imports by result."
        );
        let _ = writeln!(out, "# TYPE isc_scheduled_imports_total counter");
        let _ = writeln!(
            out,
            "isc_scheduled_imports_total{{result=\"success\"}} {succeeded}"
        );
        let _ = writeln!(
            out,
            "isc_scheduled_imports_total{{result=\"failure\"}} {failed}"
        );

        let _ = writeln!(
            out,
            "# HELP isc_scheduled_import_duration_seconds Time one scheduled import request took."
        );
        let _ = writeln!(
            out,
            "# TYPE isc_scheduled_import_duration_seconds histogram"
        );
        let mut cumulative = 0;
        for (index, bound) in BUCKETS.iter().enumerate() {
            cumulative += self.duration_buckets[index].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "isc_scheduled_import_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += self.duration_buckets[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "isc_scheduled_import_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let _ = writeln!(
            out,
            "isc_scheduled_import_duration_seconds_sum {}",
            self.duration_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(
            out,
            "isc_scheduled_import_duration_seconds_count {cumulative}"
        );

        let _ = writeln!(
            out,
            "# HELP isc_import_queue_depth Scheduled tags due now and not yet checked."
        );
        let _ = writeln!(out, "# TYPE isc_import_queue_depth gauge");
        let _ = writeln!(out, "isc_import_queue_depth {queue_depth}");

        let _ = writeln!(
            out,
            "# HELP isc_rate_limit_waits_total Imports that waited for the per-minute limit."
        );
        let _ = writeln!(out, "# TYPE isc_rate_limit_waits_total counter");
        let _ = writeln!(
            out,
            "isc_rate_limit_waits_total {}",
            self.rate_limit_waits.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP isc_rate_limit_wait_seconds_total Time spent waiting for the per-minute limit."
        );
        let _ = writeln!(out, "# TYPE isc_rate_limit_wait_seconds_total counter");
        let _ = writeln!(
            out,
            "isc_rate_limit_wait_seconds_total {}",
            self.rate_limit_wait_micros.load(Ordering::Relaxed) as f64 / 1e6
        );

        let _ = writeln!(
            out,
            "# HELP isc_schedule_leases_held Schedule rows this replica holds a lease on."
        );
        let _ = writeln!(out, "# TYPE isc_schedule_leases_held gauge");
        let _ = writeln!(
            out,
            "isc_schedule_leases_held {}",
            self.leases_held.load(Ordering::Relaxed)
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_counts_match() {
        let metrics = Metrics::default();
        metrics.record_import(true, Duration::from_millis(5));
        metrics.record_import(true, Duration::from_millis(300));
        metrics.record_import(false, Duration::from_secs(60));
        metrics.record_rate_limit_wait(Duration::from_secs(2));
        metrics.record_rate_limit_wait(Duration::ZERO);
        metrics.leases_taken(3);
        metrics.leases_released(1);
        let text = metrics.render(7);
        for line in [
            "isc_scheduled_imports_total{result=\"success\"} 2",
            "isc_scheduled_imports_total{result=\"failure\"} 1",
            "isc_scheduled_import_duration_seconds_bucket{le=\"0.01\"} 1",
            "isc_scheduled_import_duration_seconds_bucket{le=\"0.25\"} 1",
            "isc_scheduled_import_duration_seconds_bucket{le=\"0.5\"} 2",
            "isc_scheduled_import_duration_seconds_bucket{le=\"30\"} 2",
            "isc_scheduled_import_duration_seconds_bucket{le=\"+Inf\"} 3",
            "isc_scheduled_import_duration_seconds_count 3",
            "isc_import_queue_depth 7",
            "isc_rate_limit_waits_total 1",
            "isc_rate_limit_wait_seconds_total 2",
            "isc_schedule_leases_held 2",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line} in\n{text}");
        }
    }
}
