//! The order of a card's versions: version-like tag names newest first
//! (`3.10` before `3.9`, `v2` before `1.8`), then the other names A to Z.

use std::cmp::Ordering;

/// Compares two tag names, newest version first.
pub fn newest_first(a: &str, b: &str) -> Ordering {
    match (version_of(a), version_of(b)) {
        (Some(va), Some(vb)) => vb.cmp(&va).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// The numbers a tag name starts with (`v3.3-ubi9` → [3, 3]), and whether a
/// suffix follows them; a pre-release suffix sorts below the bare version.
fn version_of(tag: &str) -> Option<(Vec<u64>, bool)> {
    let text = tag.strip_prefix('v').unwrap_or(tag);
    let end = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let numbers: Vec<u64> = text[..end]
        .split('.')
        .map_while(|part| part.parse().ok())
        .collect();
    if numbers.is_empty() {
        return None;
    }
    let bare = end == text.len();
    Some((numbers, bare))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(tags: &[&str]) -> Vec<String> {
        let mut tags: Vec<String> = tags.iter().map(|tag| (*tag).to_owned()).collect();
        tags.sort_by(|a, b| newest_first(a, b));
        tags
    }

    #[test]
    fn versions_newest_first_then_names() {
        assert_eq!(
            sorted(&["latest", "3.9", "3.10", "2.7", "edge"]),
            ["3.10", "3.9", "2.7", "edge", "latest"]
        );
    }

    #[test]
    fn prefixes_and_suffixes_are_understood() {
        assert_eq!(
            sorted(&["1.8", "v2", "3.3-ubi9", "3.3", "3.3.1"]),
            ["3.3.1", "3.3", "3.3-ubi9", "v2", "1.8"]
        );
    }
}
