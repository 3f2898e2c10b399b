//! Wall-clock time for the engine, in one place so that the storage format
//! (milliseconds since the Unix epoch) and the model type agree.

use time::OffsetDateTime;

/// The current time, truncated to whole milliseconds (what the store keeps).
pub fn now() -> OffsetDateTime {
    from_millis(to_millis(OffsetDateTime::now_utc()))
}

/// Milliseconds since the Unix epoch, as stored in the database.
pub fn to_millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The instant `millis` milliseconds after the Unix epoch (clamped to the
/// representable range, so a corrupt row cannot panic the server).
pub fn from_millis(millis: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_round_trip() {
        let at = now();
        assert_eq!(from_millis(to_millis(at)), at);
    }

    #[test]
    fn out_of_range_millis_do_not_panic() {
        assert_eq!(from_millis(i64::MAX), OffsetDateTime::UNIX_EPOCH);
    }
}
