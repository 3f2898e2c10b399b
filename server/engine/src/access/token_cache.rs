//! Callers recently authenticated by bearer token, so that a program's
//! stream of requests does not load the token, groups and role bindings from
//! the store every time. An entry is used for [`TOKEN_CACHE_TTL`] at most,
//! never past the token's expiry, and never after this process changed
//! access (a role, a group, a revocation: see `Store::access_epoch`). A
//! change made by another replica reaches this one within the TTL.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use super::Caller;

/// How long another replica's change to access may take to be noticed.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(2);
/// Entries kept at most; the cache starts afresh when full.
const CAPACITY: usize = 4096;

struct Entry {
    caller: Caller,
    expires_ms: Option<i64>,
    loaded: Instant,
    epoch: u64,
}

/// Cached callers by the SHA-256 of their token.
#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache").finish_non_exhaustive()
    }
}

impl TokenCache {
    /// The caller of the token hashed as `hash`, if cached, fresh, made at
    /// access epoch `epoch` and the token has not expired by `now_ms`.
    pub(super) fn get(&self, hash: &str, epoch: u64, now_ms: i64) -> Option<Caller> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(hash)?;
        let fresh = entry.epoch == epoch
            && entry.loaded.elapsed() < TOKEN_CACHE_TTL
            && entry.expires_ms.is_none_or(|expires| now_ms < expires);
        fresh.then(|| entry.caller.clone())
    }

    /// Keeps `caller`, loaded at access epoch `epoch` (read before loading,
    /// so that a change made meanwhile makes the entry stale).
    pub(super) fn put(&self, hash: String, caller: Caller, expires_ms: Option<i64>, epoch: u64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            hash,
            Entry {
                caller,
                expires_ms,
                loaded: Instant::now(),
                epoch,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller() -> Caller {
        Caller::system("test")
    }

    #[test]
    fn an_entry_serves_until_access_changes_or_the_token_expires() {
        let cache = TokenCache::default();
        cache.put("h".into(), caller(), Some(1_000), 7);
        assert!(cache.get("h", 7, 999).is_some());
        assert!(cache.get("h", 8, 999).is_none(), "access changed");
        assert!(cache.get("h", 7, 1_000).is_none(), "the token expired");
        assert!(cache.get("other", 7, 0).is_none());
    }

    #[test]
    fn the_cache_starts_afresh_when_full() {
        let cache = TokenCache::default();
        for index in 0..CAPACITY {
            cache.put(index.to_string(), caller(), None, 0);
        }
        assert!(cache.get("0", 0, 0).is_some());
        cache.put("one more".into(), caller(), None, 0);
        assert!(cache.get("0", 0, 0).is_none());
        assert!(cache.get("one more", 0, 0).is_some());
    }
}
