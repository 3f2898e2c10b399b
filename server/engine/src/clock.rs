//! Wall-clock time for the engine, in one place so that the storage format
//! (milliseconds since the Unix epoch) and the model's `Time` agree.

use crate::model::Time;

/// The current time (to the second, as the model keeps it).
pub fn now() -> Time {
    Time::new(time::OffsetDateTime::now_utc())
}

/// The current time in milliseconds since the Unix epoch (the schedule's
/// resolution).
pub fn now_millis() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Milliseconds since the Unix epoch, as stored in the database.
pub fn to_millis(at: Time) -> i64 {
    at.unix().saturating_mul(1000)
}

/// The time `millis` milliseconds after the Unix epoch, as stored.
pub fn from_millis(millis: i64) -> Time {
    Time::from_unix(millis.div_euclid(1000))
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
        assert_eq!(from_millis(i64::MAX), Time::EPOCH);
    }
}
