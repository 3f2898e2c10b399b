//! Timestamps as Kubernetes writes them: RFC 3339 in UTC with whole seconds
//! (`2016-05-06T21:34:48Z`). Any RFC 3339 time with an offset is accepted on
//! input and converted to UTC.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A point in time, kept to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(OffsetDateTime);

impl Time {
    /// The Unix epoch (used for missing values).
    pub const EPOCH: Time = Time(OffsetDateTime::UNIX_EPOCH);

    /// Wraps an instant, dropping sub-second precision.
    pub fn new(at: OffsetDateTime) -> Time {
        Time(
            at.to_offset(UtcOffset::UTC)
                .replace_nanosecond(0)
                .unwrap_or(at),
        )
    }

    /// The instant `seconds` after the Unix epoch (the epoch if out of range).
    pub fn from_unix(seconds: i64) -> Time {
        Time(OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH))
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The underlying instant.
    pub fn instant(self) -> OffsetDateTime {
        self.0
    }

    /// Parses RFC 3339 (`2016-05-06T21:34:48Z`, `…T21:34:48.5+02:00`).
    pub fn parse(text: &str) -> Option<Time> {
        let bytes = text.as_bytes();
        if bytes.len() < 20
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || !matches!(bytes[10], b'T' | b't' | b' ')
            || bytes[13] != b':'
            || bytes[16] != b':'
        {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let digits = text.get(range)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse().ok())?
        };
        let year = i32::try_from(number(0..4)?).ok()?;
        let month = Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
        let day = u8::try_from(number(8..10)?).ok()?;
        let hour = u8::try_from(number(11..13)?).ok()?;
        let minute = u8::try_from(number(14..16)?).ok()?;
        let second = u8::try_from(number(17..19)?).ok()?;
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &fraction[digits..];
        }
        let offset_seconds: i32 = match rest {
            "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                    return None;
                }
                let hours: i32 = rest[1..3].parse().ok()?;
                let minutes: i32 = rest[4..6].parse().ok()?;
                sign * (hours * 3600 + minutes * 60)
            }
        };
        let date = Date::from_calendar_date(year, month, day).ok()?;
        let time = time::Time::from_hms(hour, minute, second).ok()?;
        let offset = UtcOffset::from_whole_seconds(offset_seconds).ok()?;
        Some(Time::new(
            PrimitiveDateTime::new(date, time).assume_offset(offset),
        ))
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        )
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Time::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid time {text:?}: expected RFC 3339, e.g. 2016-05-06T21:34:48Z"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_kubernetes() {
        let at = Time::parse("2016-05-06T21:34:48Z").unwrap();
        assert_eq!(at.to_string(), "2016-05-06T21:34:48Z");
        assert_eq!(
            serde_json::to_string(&at).unwrap(),
            "\"2016-05-06T21:34:48Z\""
        );
    }

    #[test]
    fn accepts_fractions_and_offsets_and_converts_to_utc() {
        assert_eq!(
            Time::parse("2016-05-06T23:34:48.75+02:00")
                .unwrap()
                .to_string(),
            "2016-05-06T21:34:48Z"
        );
        assert_eq!(
            Time::parse("2016-05-06t21:34:48z").unwrap().to_string(),
            "2016-05-06T21:34:48Z"
        );
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        for text in [
            "",
            "2016-05-06",
            "2016-05-06T21:34:48",
            "2016-13-06T21:34:48Z",
            "2016-05-06T21:34:48.Z",
            "yesterday",
        ] {
            assert_eq!(Time::parse(text), None, "{text}");
        }
        let error = serde_json::from_str::<Time>("\"soon\"").unwrap_err();
        assert!(error.to_string().contains("expected RFC 3339"), "{error}");
    }

    #[test]
    fn unix_seconds_round_trip() {
        assert_eq!(
            Time::from_unix(1_462_570_488).to_string(),
            "2016-05-06T21:34:48Z"
        );
        assert_eq!(Time::from_unix(1_462_570_488).unix(), 1_462_570_488);
    }
}
