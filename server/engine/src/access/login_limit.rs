//! The sign-in rate limit: after too many failed attempts for one account,
//! or from one address, within a window, further attempts are refused until
//! the oldest failure leaves the window. Kept in memory by each replica.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

use crate::{Error, Result};

/// Failures remembered per account and per address.
#[derive(Debug)]
pub struct LoginLimiter {
    window_ms: i64,
    per_account: usize,
    per_client: usize,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl Default for LoginLimiter {
    /// Five failures per account or twenty per address in fifteen minutes.
    fn default() -> Self {
        LoginLimiter::new(15 * 60 * 1000, 5, 20)
    }
}

impl LoginLimiter {
    pub fn new(window_ms: i64, per_account: usize, per_client: usize) -> Self {
        LoginLimiter {
            window_ms,
            per_account,
            per_client,
            failures: Mutex::default(),
        }
    }

    /// `RateLimited` if the account or the address used up its attempts.
    pub fn check(&self, user: &str, client: &str, now_ms: i64) -> Result<()> {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for (key, limit) in [
            (account(user), self.per_account),
            (address(client), self.per_client),
        ] {
            let Some(times) = failures.get_mut(&key) else {
                continue;
            };
            while times
                .front()
                .is_some_and(|at| *at + self.window_ms <= now_ms)
            {
                times.pop_front();
            }
            if times.len() >= limit {
                let wait_ms = times.front().map_or(0, |at| at + self.window_ms - now_ms);
                let minutes = (wait_ms + 59_999) / 60_000;
                return Err(Error::RateLimited(format!(
                    "too many failed sign-ins; try again in {minutes} minute{}",
                    if minutes == 1 { "" } else { "s" }
                )));
            }
        }
        Ok(())
    }

    pub fn record_failure(&self, user: &str, client: &str, now_ms: i64) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for key in [account(user), address(client)] {
            failures.entry(key).or_default().push_back(now_ms);
        }
    }

    /// A successful sign-in clears the account's failures.
    pub fn forget(&self, user: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.remove(&account(user));
    }
}

fn account(user: &str) -> String {
    format!("user:{user}")
}

fn address(client: &str) -> String {
    format!("client:{client}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_locked_after_its_failures_until_the_window_passes() {
        let limiter = LoginLimiter::new(60_000, 3, 100);
        for at in 0..3 {
            assert!(limiter.check("bob", "a", at).is_ok());
            limiter.record_failure("bob", "a", at);
        }
        let error = limiter.check("bob", "b", 10).unwrap_err();
        assert_eq!(
            error.to_string(),
            "too many failed sign-ins; try again in 1 minute"
        );
        assert!(limiter.check("alice", "a", 10).is_ok());
        assert!(limiter.check("bob", "b", 60_000).is_ok());
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limiter = LoginLimiter::new(60_000, 100, 2);
        limiter.record_failure("a", "10.0.0.1", 0);
        limiter.record_failure("b", "10.0.0.1", 0);
        assert!(limiter.check("c", "10.0.0.1", 1).is_err());
        assert!(limiter.check("c", "10.0.0.2", 1).is_ok());
    }
}
