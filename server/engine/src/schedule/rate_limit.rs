//! The cluster-wide limit on scheduled imports per minute: a token bucket
//! refilled at the rate, holding up to twice the rate (the burst). Waits
//! with tokio's clock, so tests run it in paused time.

use std::{
    sync::atomic::{AtomicI64, Ordering},
    time::Duration,
};
use tokio::{sync::Mutex, time::Instant};

#[derive(Debug)]
pub struct RateLimiter {
    per_minute: AtomicI64,
    state: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

impl RateLimiter {
    /// `per_minute` ≤ 0 means unlimited.
    pub fn new(per_minute: i64) -> RateLimiter {
        RateLimiter {
            per_minute: AtomicI64::new(per_minute),
            state: Mutex::new(Bucket {
                tokens: (2 * per_minute.max(0)) as f64,
                refilled: Instant::now(),
            }),
        }
    }

    /// Changes the rate from now on (a cluster admin changed the setting).
    pub fn set_per_minute(&self, per_minute: i64) {
        self.per_minute.store(per_minute, Ordering::Relaxed);
    }

    fn per_minute(&self) -> i64 {
        self.per_minute.load(Ordering::Relaxed)
    }

    /// Takes one token, waiting until there is one. Returns how long it
    /// waited.
    pub async fn acquire(&self) -> Duration {
        let per_minute = self.per_minute();
        if per_minute <= 0 {
            return Duration::ZERO;
        }
        let started = Instant::now();
        let per_second = per_minute as f64 / 60.0;
        let capacity = (2 * per_minute) as f64;
        // The lock is held while waiting, so waiters are served in turn.
        let mut bucket = self.state.lock().await;
        loop {
            let now = Instant::now();
            let earned = now.duration_since(bucket.refilled).as_secs_f64() * per_second;
            bucket.tokens = (bucket.tokens + earned).min(capacity);
            bucket.refilled = now;
            if bucket.tokens >= 1.0 {
                bucket.tokens -= 1.0;
                return started.elapsed();
            }
            let missing = 1.0 - bucket.tokens;
            tokio::time::sleep(Duration::from_secs_f64(missing / per_second)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_twice_the_rate_then_the_rate() {
        let limiter = RateLimiter::new(60);
        let start = Instant::now();
        for _ in 0..120 {
            assert_eq!(limiter.acquire().await, Duration::ZERO);
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        // Then one a second.
        for n in 1..=30 {
            limiter.acquire().await;
            let elapsed = start.elapsed().as_secs_f64();
            assert!((elapsed - n as f64).abs() < 0.01, "token {n} at {elapsed}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_bucket_refills_only_up_to_the_burst() {
        let limiter = RateLimiter::new(6);
        for _ in 0..12 {
            limiter.acquire().await;
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
        let start = Instant::now();
        for _ in 0..12 {
            limiter.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire().await;
        assert!((start.elapsed().as_secs_f64() - 10.0).abs() < 0.01);
    }

    #[tokio::test(start_paused = true)]
    async fn zero_or_less_is_unlimited() {
        for rate in [0, -1] {
            let limiter = RateLimiter::new(rate);
            let start = Instant::now();
            for _ in 0..10_000 {
                limiter.acquire().await;
            }
            assert_eq!(start.elapsed(), Duration::ZERO);
        }
    }
}
