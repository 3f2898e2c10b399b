//! Kubernetes list selectors: `labelSelector` (`app=web`, `tier!=db`,
//! `env in (a,b)`, `env notin (c)`, `team`, `!legacy`, comma-separated, all
//! must hold) and the `fieldSelector` on `metadata.name` and
//! `metadata.namespace`.

use std::collections::BTreeMap;

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed `labelSelector`; empty matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector(Vec<Requirement>);

impl LabelSelector {
    /// Parses a selector, or says which part is wrong.
    pub fn parse(text: &str) -> Result<LabelSelector, String> {
        let mut requirements = Vec::new();
        for part in split_outside_parentheses(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            requirements.push(requirement(part)?);
        }
        Ok(LabelSelector(requirements))
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|requirement| match requirement {
            Requirement::Equals(key, value) => labels.get(key) == Some(value),
            Requirement::NotEquals(key, value) => labels.get(key) != Some(value),
            Requirement::In(key, values) => labels.get(key).is_some_and(|v| values.contains(v)),
            Requirement::NotIn(key, values) => labels.get(key).is_none_or(|v| !values.contains(v)),
            Requirement::Exists(key) => labels.contains_key(key),
            Requirement::DoesNotExist(key) => !labels.contains_key(key),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn split_outside_parentheses(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (index, character) in text.char_indices() {
        match character {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn requirement(part: &str) -> Result<Requirement, String> {
    let wrong = |why: &str| format!("unable to parse requirement {part:?}: {why}");
    if let Some(key) = part.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(
            label_key(key.trim()).map_err(|w| wrong(&w))?,
        ));
    }
    for (operator, negated) in [(" notin ", true), (" in ", false)] {
        if let Some((key, values)) = part.split_once(operator) {
            let key = label_key(key.trim()).map_err(|w| wrong(&w))?;
            let values = values
                .trim()
                .strip_prefix('(')
                .and_then(|v| v.strip_suffix(')'))
                .ok_or_else(|| wrong("the values must be in parentheses"))?;
            let values: Vec<String> = values
                .split(',')
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect();
            if values.is_empty() {
                return Err(wrong(
                    "for 'in' and 'notin' operators, values set can't be empty",
                ));
            }
            return Ok(if negated {
                Requirement::NotIn(key, values)
            } else {
                Requirement::In(key, values)
            });
        }
    }
    for (operator, negated) in [("!=", true), ("==", false), ("=", false)] {
        if let Some((key, value)) = part.split_once(operator) {
            let key = label_key(key.trim()).map_err(|w| wrong(&w))?;
            let value = value.trim().to_owned();
            return Ok(if negated {
                Requirement::NotEquals(key, value)
            } else {
                Requirement::Equals(key, value)
            });
        }
    }
    Ok(Requirement::Exists(label_key(part).map_err(|w| wrong(&w))?))
}

fn label_key(key: &str) -> Result<String, String> {
    let valid = !key.is_empty()
        && key.len() <= 317
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if valid {
        Ok(key.to_owned())
    } else {
        Err(format!("{key:?} is not a valid label key"))
    }
}

/// A parsed `fieldSelector`: `metadata.name` and `metadata.namespace`,
/// with `=`, `==` or `!=`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSelector {
    requirements: Vec<(FieldName, bool, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldName {
    Name,
    Namespace,
}

impl FieldSelector {
    pub fn parse(text: &str) -> Result<FieldSelector, String> {
        let mut requirements = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!("invalid selector: {part:?}; expected field=value"));
            };
            let field = match field.trim() {
                "metadata.name" => FieldName::Name,
                "metadata.namespace" => FieldName::Namespace,
                other => {
                    return Err(format!(
                        "field label not supported: {other} (metadata.name and metadata.namespace are)"
                    ));
                }
            };
            requirements.push((field, equal, value.trim().to_owned()));
        }
        Ok(FieldSelector { requirements })
    }

    pub fn matches(&self, namespace: &str, name: &str) -> bool {
        self.requirements.iter().all(|(field, equal, value)| {
            let actual = match field {
                FieldName::Name => name,
                FieldName::Namespace => namespace,
            };
            (actual == value) == *equal
        })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn label_selectors_combine_every_operator() {
        let selector = LabelSelector::parse(
            "app=web, tier!=db,env in (prod, staging),team,!legacy,zone notin (x)",
        )
        .unwrap();
        let good = labels(&[("app", "web"), ("env", "prod"), ("team", "a")]);
        assert!(selector.matches(&good));
        let mut legacy = good.clone();
        legacy.insert("legacy".into(), "yes".into());
        assert!(!selector.matches(&legacy));
        let mut database = good.clone();
        database.insert("tier".into(), "db".into());
        assert!(!selector.matches(&database));
        let mut excluded_zone = good.clone();
        excluded_zone.insert("zone".into(), "x".into());
        assert!(!selector.matches(&excluded_zone));
        assert!(!selector.matches(&labels(&[("app", "web"), ("env", "dev"), ("team", "a")])));
        assert!(LabelSelector::parse("").unwrap().matches(&labels(&[])));
        assert!(LabelSelector::parse("app==web").unwrap().matches(&good));
    }

    #[test]
    fn bad_label_selectors_say_what_is_wrong() {
        let error = LabelSelector::parse("env in ()").unwrap_err();
        assert!(error.contains("values set can't be empty"), "{error}");
        let error = LabelSelector::parse("env in a").unwrap_err();
        assert!(error.contains("parentheses"), "{error}");
        let error = LabelSelector::parse("bad key=1").unwrap_err();
        assert!(error.contains("not a valid label key"), "{error}");
    }

    #[test]
    fn field_selectors_match_name_and_namespace_only() {
        let selector =
            FieldSelector::parse("metadata.name=ruby,metadata.namespace!=other").unwrap();
        assert!(selector.matches("team", "ruby"));
        assert!(!selector.matches("other", "ruby"));
        assert!(!selector.matches("team", "python"));
        let error = FieldSelector::parse("spec.tags=1").unwrap_err();
        assert!(
            error.contains("field label not supported: spec.tags"),
            "{error}"
        );
    }
}
