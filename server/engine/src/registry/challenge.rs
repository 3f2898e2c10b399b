//! `WWW-Authenticate` challenges (RFC 7235) as registries send them:
//! `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// `basic` or `bearer`, lower case.
    pub scheme: String,
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Every challenge in one header value (several schemes may be offered).
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut challenges: Vec<Challenge> = Vec::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        // A token followed by `=` is a parameter of the current challenge;
        // a token followed by a space or the end is a new scheme.
        let token_end = rest
            .find(|c: char| c == '=' || c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let token = &rest[..token_end];
        let after = rest[token_end..].trim_start();
        if let Some(value_text) = after.strip_prefix('=') {
            let value_text = value_text.trim_start();
            let (value, remaining) = if let Some(quoted) = value_text.strip_prefix('"') {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((index, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                value.push(escaped);
                            }
                        }
                        '"' => {
                            end = index + 1;
                            break;
                        }
                        other => value.push(other),
                    }
                }
                (value, &quoted[end.min(quoted.len())..])
            } else {
                let end = value_text.find(',').unwrap_or(value_text.len());
                (value_text[..end].trim().to_owned(), &value_text[end..])
            };
            if let Some(current) = challenges.last_mut() {
                current.params.insert(token.to_ascii_lowercase(), value);
            }
            rest = remaining.trim_start().trim_start_matches(',').trim_start();
        } else {
            if !token.is_empty() {
                challenges.push(Challenge {
                    scheme: token.to_ascii_lowercase(),
                    params: BTreeMap::new(),
                });
            }
            rest = after.trim_start_matches(',').trim_start();
            if token.is_empty() && after.len() == rest.len() {
                break;
            }
        }
    }
    challenges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_with_quoted_parameters() {
        let challenges = parse_challenges(
            r#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull""#,
        );
        assert_eq!(challenges.len(), 1);
        assert_eq!(challenges[0].scheme, "bearer");
        assert_eq!(
            challenges[0].param("realm"),
            Some("https://auth.example/token")
        );
        assert_eq!(challenges[0].param("service"), Some("registry.example"));
        assert_eq!(challenges[0].param("scope"), Some("repository:a/b:pull"));
    }

    #[test]
    fn basic_and_several_schemes() {
        let challenges = parse_challenges(
            r#"Basic realm="basic-realm", Bearer realm="x",error="invalid_token""#,
        );
        let schemes: Vec<_> = challenges.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["basic", "bearer"]);
        assert_eq!(challenges[0].param("realm"), Some("basic-realm"));
        assert_eq!(challenges[1].param("error"), Some("invalid_token"));
    }

    #[test]
    fn escapes_and_unquoted_values() {
        let challenges = parse_challenges(r#"Bearer realm="a\"b",service=plain"#);
        assert_eq!(challenges[0].param("realm"), Some("a\"b"));
        assert_eq!(challenges[0].param("service"), Some("plain"));
    }

    #[test]
    fn garbage_gives_no_panic() {
        for text in ["", "=", ",,,", "Bearer realm=\"unterminated", "=\"x\""] {
            let _ = parse_challenges(text);
        }
    }
}
