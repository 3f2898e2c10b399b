//! Which pull secret's login an import presents to a registry, matched the
//! way Kubernetes' credential keyring does: the login's key is a host (with
//! an optional port, `*` wildcards per label) and an optional path prefix;
//! the most specific key wins; Docker Hub's names are one registry.

use crate::{model::reference::is_docker_hub, registry::Credentials};

/// A login that may be presented, or why its secret cannot be read.
#[derive(Debug, Clone)]
pub enum Usable {
    Login(Credentials),
    /// The secret exists but cannot be opened (no key, a different key).
    Unreadable(String),
}

#[derive(Debug, Clone)]
struct Entry {
    secret: String,
    key: Key,
    usable: Usable,
}

/// Every login of a project's pull secrets.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    entries: Vec<Entry>,
}

/// A login's registry key, normalised: host (lower case, Docker Hub's
/// aliases as `docker.io`), port, and path segments.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    host: String,
    port: Option<String>,
    path: Vec<String>,
}

impl Key {
    /// `https://index.docker.io/v1/`, `quay.io/team`, `*.example.com:5000`.
    fn parse(text: &str) -> Option<Key> {
        let text = text.trim();
        let text = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .unwrap_or(text);
        let mut parts = text.split('/').filter(|part| !part.is_empty());
        let authority = parts.next()?.to_ascii_lowercase();
        let mut path: Vec<String> = parts.map(str::to_owned).collect();
        // `/v1/` and `/v2/` name the API, not a repository.
        if matches!(path.as_slice(), [only] if only == "v1" || only == "v2") {
            path.clear();
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
                (host.to_owned(), Some(port.to_owned()))
            }
            _ => (authority, None),
        };
        let host = if is_docker_hub(&host) {
            "docker.io".to_owned()
        } else {
            host
        };
        Some(Key { host, port, path })
    }

    /// Whether an image at `host[:port]` / `path` is covered.
    fn covers(&self, image: &Key) -> bool {
        self.port == image.port
            && host_matches(&self.host, &image.host)
            && self.path.len() <= image.path.len()
            && self.path.iter().zip(&image.path).all(|(a, b)| a == b)
    }

    /// Longer keys are more specific: exact hosts before wildcards, deeper
    /// paths before shallower.
    fn specificity(&self) -> (usize, usize, usize) {
        let literal_labels = self.host.split('.').filter(|label| *label != "*").count();
        (
            self.path.len(),
            literal_labels,
            self.host.len() + self.port.as_deref().map_or(0, str::len),
        )
    }
}

/// `*.example.com` matches `a.example.com`, not `example.com` nor
/// `a.b.example.com`; labels match with `*` as a glob.
fn host_matches(pattern: &str, host: &str) -> bool {
    let patterns: Vec<&str> = pattern.split('.').collect();
    let labels: Vec<&str> = host.split('.').collect();
    patterns.len() == labels.len()
        && patterns
            .iter()
            .zip(&labels)
            .all(|(pattern, label)| glob(pattern, label))
}

fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((prefix, rest)) => {
            let Some(tail) = text.strip_prefix(prefix) else {
                return false;
            };
            (0..=tail.len())
                .filter(|at| tail.is_char_boundary(*at))
                .any(|at| glob(rest, &tail[at..]))
        }
    }
}

impl Keyring {
    /// Adds a secret's login for `registry` (the key as written).
    pub fn add(&mut self, secret: &str, registry: &str, usable: Usable) {
        if let Some(key) = Key::parse(registry) {
            self.entries.push(Entry {
                secret: secret.to_owned(),
                key,
                usable,
            });
        }
    }

    /// The most specific login for an image at `registry` (as the user
    /// wrote it: `docker.io`, `quay.io`, `127.0.0.1:5000`) and `path`
    /// (`library/ruby`), with the name of its secret. Ties go to the secret
    /// whose name sorts first.
    pub fn find(&self, registry: &str, path: &str) -> Option<(&str, &Usable)> {
        let image = Key::parse(&format!("{registry}/{path}"))?;
        self.entries
            .iter()
            .filter(|entry| entry.key.covers(&image))
            .max_by(|a, b| {
                a.key
                    .specificity()
                    .cmp(&b.key.specificity())
                    .then_with(|| b.secret.cmp(&a.secret))
            })
            .map(|entry| (entry.secret.as_str(), &entry.usable))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(user: &str) -> Usable {
        Usable::Login(Credentials {
            username: user.into(),
            password: "pw".into(),
        })
    }

    fn found(keyring: &Keyring, registry: &str, path: &str) -> Option<String> {
        keyring
            .find(registry, path)
            .map(|(secret, _)| secret.to_owned())
    }

    #[test]
    fn docker_hub_is_one_registry_whatever_its_name() {
        let mut keyring = Keyring::default();
        keyring.add("hub", "https://index.docker.io/v1/", login("a"));
        assert_eq!(
            found(&keyring, "docker.io", "library/ruby").as_deref(),
            Some("hub")
        );
        assert_eq!(
            found(&keyring, "registry-1.docker.io", "x/y").as_deref(),
            Some("hub")
        );
        assert_eq!(found(&keyring, "quay.io", "x/y"), None);
    }

    #[test]
    fn ports_must_match_and_paths_match_by_segment() {
        let mut keyring = Keyring::default();
        keyring.add("local", "127.0.0.1:5000/team", login("a"));
        assert_eq!(
            found(&keyring, "127.0.0.1:5000", "team/app").as_deref(),
            Some("local")
        );
        assert_eq!(found(&keyring, "127.0.0.1:5001", "team/app"), None);
        assert_eq!(found(&keyring, "127.0.0.1", "team/app"), None);
        assert_eq!(found(&keyring, "127.0.0.1:5000", "teams/app"), None);
    }

    #[test]
    fn the_most_specific_key_wins() {
        let mut keyring = Keyring::default();
        keyring.add("wild", "*.example.com", login("a"));
        keyring.add("host", "registry.example.com", login("b"));
        keyring.add("team", "registry.example.com/team", login("c"));
        assert_eq!(
            found(&keyring, "registry.example.com", "team/app").as_deref(),
            Some("team")
        );
        assert_eq!(
            found(&keyring, "registry.example.com", "other/app").as_deref(),
            Some("host")
        );
        assert_eq!(
            found(&keyring, "mirror.example.com", "other/app").as_deref(),
            Some("wild")
        );
        assert_eq!(found(&keyring, "example.com", "other/app"), None);
        assert_eq!(found(&keyring, "a.mirror.example.com", "x"), None);
    }

    #[test]
    fn ties_go_to_the_first_secret_by_name() {
        let mut keyring = Keyring::default();
        keyring.add("zeta", "quay.io", login("z"));
        keyring.add("alpha", "QUAY.IO", login("a"));
        assert_eq!(found(&keyring, "quay.io", "x/y").as_deref(), Some("alpha"));
    }
}
