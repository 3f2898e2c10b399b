//! The sign-in rate limit: after too many failed attempts for one account,
//! or from one address, within a window, further attempts are refused until
//! the oldest failure leaves the window. The failures live in the store, so
//! every replica counts against the same limit.

use crate::{Error, Result, store::Store};

/// How many failures an account and an address may have within a window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimiter {
    window_ms: i64,
    per_account: i64,
    per_client: i64,
}

impl Default for LoginLimiter {
    /// Five failures per account or twenty per address in fifteen minutes.
    fn default() -> Self {
        LoginLimiter::new(15 * 60 * 1000, 5, 20)
    }
}

impl LoginLimiter {
    pub fn new(window_ms: i64, per_account: i64, per_client: i64) -> Self {
        LoginLimiter {
            window_ms,
            per_account,
            per_client,
        }
    }

    /// `RateLimited` if the account or the address used up its attempts.
    pub async fn check(&self, store: &Store, user: &str, client: &str, now_ms: i64) -> Result<()> {
        for (key, limit) in [
            (account(user), self.per_account),
            (address(client), self.per_client),
        ] {
            let (failures, oldest) = store
                .login_failures_since(&key, now_ms - self.window_ms)
                .await?;
            if let Some(refusal) = refusal(failures, oldest, limit, self.window_ms, now_ms) {
                return Err(refusal);
            }
        }
        Ok(())
    }

    /// Counts a failed attempt against the account and the address.
    pub async fn record_failure(
        &self,
        store: &Store,
        user: &str,
        client: &str,
        now_ms: i64,
    ) -> Result<()> {
        store
            .record_login_failure(
                &[account(user), address(client)],
                now_ms,
                now_ms - self.window_ms,
            )
            .await
    }

    /// A successful sign-in clears the account's failures.
    pub async fn forget(&self, store: &Store, user: &str) -> Result<()> {
        store.forget_login_failures(&account(user)).await
    }
}

/// The refusal for `failures` within the window (the oldest at
/// `oldest_ms`) against `limit`, if they reach it.
fn refusal(
    failures: i64,
    oldest_ms: Option<i64>,
    limit: i64,
    window_ms: i64,
    now_ms: i64,
) -> Option<Error> {
    if failures < limit {
        return None;
    }
    let wait_ms = oldest_ms.map_or(0, |at| at + window_ms - now_ms);
    let minutes = (wait_ms + 59_999) / 60_000;
    Some(Error::RateLimited(format!(
        "too many failed sign-ins; try again in {minutes} minute{}",
        if minutes == 1 { "" } else { "s" }
    )))
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
    fn the_limit_refuses_until_the_oldest_failure_leaves_the_window() {
        assert!(refusal(2, Some(0), 3, 60_000, 10).is_none());
        assert_eq!(
            refusal(3, Some(0), 3, 60_000, 10).unwrap().to_string(),
            "too many failed sign-ins; try again in 1 minute"
        );
        assert_eq!(
            refusal(5, Some(0), 5, 15 * 60_000, 1_000)
                .unwrap()
                .to_string(),
            "too many failed sign-ins; try again in 15 minutes"
        );
    }
}
