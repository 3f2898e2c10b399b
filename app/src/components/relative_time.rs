//! "3 minutes ago" (or "in 14 minutes" for a time to come) with the exact
//! time on hover, aging while the page is open.

use std::time::Duration;

use engine::model::Time;
use leptos::prelude::*;
use time::OffsetDateTime;

/// The time relative times are measured against; ticks in the browser.
#[derive(Clone, Copy)]
struct Now(RwSignal<OffsetDateTime>);

/// Provides the ticking clock; call once at the root of the app.
pub fn provide_now() {
    let now = RwSignal::new(OffsetDateTime::now_utc());
    #[cfg(feature = "hydrate")]
    set_interval(
        move || now.set(OffsetDateTime::now_utc()),
        Duration::from_secs(20),
    );
    provide_context(Now(now));
}

/// A point in time as "N units ago" or "in N units", with the exact UTC
/// time as a tooltip.
#[component]
pub fn RelativeTime(at: Time) -> impl IntoView {
    let now = use_context::<Now>().map(|now| now.0);
    let exact = at.to_string();
    let text = move || {
        // The tick makes the text current again; the real clock is read too,
        // since a time made after the last tick (ticks come every 20 seconds,
        // rarer in a background tab) must not read "in 3 seconds".
        let real = OffsetDateTime::now_utc();
        let now = now.map_or(real, |now| now.get().max(real));
        let elapsed = now - at.instant();
        if elapsed.is_negative() {
            // A time still to come (a next check): "in 14 minutes".
            let ahead = elapsed.unsigned_abs();
            if ahead < Duration::from_secs(1) {
                "just now".to_string()
            } else {
                format!("in {}", human_duration(ahead).to_lowercase())
            }
        } else {
            format!("{} ago", human_duration(elapsed.unsigned_abs()))
        }
    };
    view! { <time datetime=exact.clone() title=exact.replace('T', " ")>{text}</time> }
}

/// A duration in the words `oc describe` uses ("About a minute", "19 minutes").
pub fn human_duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let minutes = seconds / 60;
    let hours = (duration.as_secs_f64() / 3600.0 + 0.5) as u64;
    match () {
        _ if duration < Duration::from_secs(1) => "Less than a second".into(),
        _ if seconds == 1 => "1 second".into(),
        _ if seconds < 60 => format!("{seconds} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", seconds / 3600 / 24 / 365),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_oc_describe() {
        let cases = [
            (0, "Less than a second"),
            (1, "1 second"),
            (42, "42 seconds"),
            (60, "About a minute"),
            (119, "About a minute"),
            (19 * 60, "19 minutes"),
            (3600, "About an hour"),
            (5 * 3600, "5 hours"),
            (47 * 3600, "47 hours"),
            (3 * 86400, "3 days"),
            (20 * 86400, "2 weeks"),
            (90 * 86400, "3 months"),
            (800 * 86400, "2 years"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(
                human_duration(Duration::from_secs(seconds)),
                expected,
                "{seconds} s"
            );
        }
    }
}
