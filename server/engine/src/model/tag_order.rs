//! The order in which a whole repository's tags are imported (and versions
//! are shown): `latest`, then minor versions newest first (`5.1`, `v5.1`,
//! `5.1-rc1`), then full semantic versions newest first, then the rest in
//! lexical order.

use semver::Version;
use std::cmp::Ordering;

/// Sorts `tags` into import order.
pub fn prioritize_tags(tags: &mut [String]) {
    tags.sort_by_cached_key(|tag| Ranked::of(tag));
}

#[derive(Debug, PartialEq, Eq)]
struct Ranked {
    kind: Kind,
    version: Option<Version>,
    prefix: &'static str,
    tag: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Latest,
    Minor,
    Full,
    Other,
}

impl Ranked {
    fn of(tag: &str) -> Ranked {
        let (prefix, short) = match tag.strip_prefix('v') {
            Some(rest) => ("v", rest),
            None => ("", tag),
        };
        let (kind, version) = if tag == "latest" {
            (Kind::Latest, None)
        } else if let Ok(version) = Version::parse(short) {
            (Kind::Full, Some(version))
        } else if let Some(version) = minor_version(short) {
            (Kind::Minor, Some(version))
        } else {
            (Kind::Other, None)
        };
        Ranked {
            kind,
            version,
            prefix,
            tag: tag.to_owned(),
        }
    }
}

/// `5.1` → 5.1.0 and `5.1-rc1` → 5.1.0-rc1.
fn minor_version(short: &str) -> Option<Version> {
    let (numbers, suffix) = match short.split_once('-') {
        Some((numbers, suffix)) => (numbers, Some(suffix)),
        None => (short, None),
    };
    let (major, minor) = numbers.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(major) || !digits(minor) {
        return None;
    }
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    match suffix {
        None => Version::parse(&format!("{numbers}.0")).ok(),
        Some(suffix) if word(suffix) => Version::parse(&format!("{numbers}.0-{suffix}")).ok(),
        Some(_) => None,
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.kind
            .cmp(&other.kind)
            .then_with(|| match (&self.version, &other.version) {
                // Newer versions first; at equal versions the bare one before `v`.
                (Some(mine), Some(theirs)) => theirs
                    .cmp_precedence(mine)
                    .then_with(|| self.prefix.cmp(other.prefix))
                    .then_with(|| self.tag.cmp(&other.tag)),
                _ => self.tag.cmp(&other.tag),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered(tags: &[&str]) -> Vec<String> {
        let mut tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        prioritize_tags(&mut tags);
        tags
    }

    #[test]
    fn latest_then_minor_then_full_then_the_rest() {
        assert_eq!(
            ordered(&[
                "other", "1.0.0", "5.1", "latest", "v5.1", "5.1-rc1", "10.0", "2.3.4", "abc",
                "v2.3.4",
            ]),
            [
                "latest", "10.0", "5.1", "v5.1", "5.1-rc1", "2.3.4", "v2.3.4", "1.0.0", "abc",
                "other",
            ]
        );
    }

    #[test]
    fn minor_versions_compare_as_numbers_not_text() {
        assert_eq!(ordered(&["3.9", "3.10", "3.1"]), ["3.10", "3.9", "3.1"]);
    }

    #[test]
    fn near_versions_are_other_tags() {
        assert_eq!(
            ordered(&["1", "1.2.3.4", "1.2-rc-1", "zz", "1.2.3"]),
            ["1.2.3", "1", "1.2-rc-1", "1.2.3.4", "zz"]
        );
    }

    #[test]
    fn prereleases_come_after_their_release() {
        assert_eq!(
            ordered(&["2.0.0-beta.1", "2.0.0", "1.9.9"]),
            ["2.0.0", "2.0.0-beta.1", "1.9.9"]
        );
    }
}
