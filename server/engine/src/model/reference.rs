//! Container image pull specs (`registry/namespace/name:tag@digest`), parsed
//! the way OpenShift parses them: the parts are kept as written, so
//! `python:3.6` stays `python:3.6` (no `docker.io/library/` added).
//!
//! A first path component is the registry when it contains `.` or `:` or is
//! `localhost`; the next component is the namespace and the rest the name.

use std::fmt;

/// The longest repository name accepted (registry and path, no tag or digest).
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;
/// The longest tag accepted.
pub const TAG_LENGTH_MAX: usize = 128;

/// The registry users mean when they name none.
pub const DOCKER_DEFAULT_REGISTRY: &str = "docker.io";

/// A parsed pull spec. Empty strings are parts that were not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DockerImageReference {
    pub registry: String,
    pub namespace: String,
    pub name: String,
    pub tag: String,
    /// The digest, e.g. `sha256:…`.
    pub id: String,
}

/// Why a pull spec does not parse (OpenShift's wording).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    Empty,
    Uppercase,
    TooLong,
    InvalidTag,
    InvalidDigest,
    InvalidFormat,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReferenceError::Empty => "repository name must have at least one component",
            ReferenceError::Uppercase => "repository name must be lowercase",
            ReferenceError::TooLong => "repository name must not be more than 255 characters",
            ReferenceError::InvalidTag => "invalid tag format",
            ReferenceError::InvalidDigest => "invalid digest format",
            ReferenceError::InvalidFormat => "invalid reference format",
        })
    }
}

impl std::error::Error for ReferenceError {}

impl DockerImageReference {
    /// Parses a pull spec.
    pub fn parse(spec: &str) -> Result<DockerImageReference, ReferenceError> {
        if spec.is_empty() {
            return Err(ReferenceError::Empty);
        }
        let (rest, id) = match spec.split_once('@') {
            Some((rest, digest)) => {
                if !is_digest(digest) {
                    return Err(ReferenceError::InvalidDigest);
                }
                (rest, digest)
            }
            None => (spec, ""),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(colon) => {
                let tag = &rest[last_slash + colon + 1..];
                if !is_tag(tag) {
                    return Err(ReferenceError::InvalidTag);
                }
                (&rest[..last_slash + colon], tag)
            }
            None => (rest, ""),
        };
        if name.is_empty() {
            return Err(ReferenceError::Empty);
        }
        if name.len() > NAME_TOTAL_LENGTH_MAX {
            return Err(ReferenceError::TooLong);
        }
        let mut components: Vec<&str> = name.split('/').collect();
        let registry = if components.len() > 1 && looks_like_registry(components[0]) {
            if !is_hostname(components[0]) {
                return Err(ReferenceError::InvalidFormat);
            }
            components.remove(0)
        } else {
            ""
        };
        for component in &components {
            if !is_name_component(component) {
                return Err(if is_name_component(&component.to_lowercase()) {
                    ReferenceError::Uppercase
                } else {
                    ReferenceError::InvalidFormat
                });
            }
        }
        let (namespace, name) = match components.split_first() {
            Some((first, rest)) if !rest.is_empty() => (first.to_string(), rest.join("/")),
            _ => (String::new(), components.join("/")),
        };
        Ok(DockerImageReference {
            registry: registry.to_owned(),
            namespace,
            name,
            tag: tag.to_owned(),
            id: id.to_owned(),
        })
    }

    /// The pull spec with exactly the parts that are set (`Exact()` in OpenShift).
    pub fn exact(&self) -> String {
        self.to_string()
    }

    /// The repository without tag or digest.
    pub fn as_repository(&self) -> DockerImageReference {
        DockerImageReference {
            tag: String::new(),
            id: String::new(),
            ..self.clone()
        }
    }

    /// The same reference pinned to `digest` (the tag dropped), as written to
    /// status after an import: `python:3.6` → `python@sha256:…`.
    pub fn with_digest(&self, digest: &str) -> DockerImageReference {
        DockerImageReference {
            tag: String::new(),
            id: digest.to_owned(),
            ..self.clone()
        }
    }

    /// The registry to talk to: the one given, else Docker Hub.
    pub fn registry_or_default(&self) -> &str {
        if self.registry.is_empty() {
            DOCKER_DEFAULT_REGISTRY
        } else {
            &self.registry
        }
    }

    /// The path within the registry (`namespace/name`), with Docker Hub's
    /// implied `library/` for single names there.
    pub fn repository_path(&self) -> String {
        match (
            self.namespace.is_empty(),
            is_docker_hub(self.registry_or_default()),
        ) {
            (true, true) => format!("library/{}", self.name),
            (true, false) => self.name.clone(),
            (false, _) => format!("{}/{}", self.namespace, self.name),
        }
    }
}

impl fmt::Display for DockerImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() {
            return Ok(());
        }
        if !self.registry.is_empty() {
            write!(f, "{}/", self.registry)?;
        }
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        f.write_str(&self.name)?;
        if !self.id.is_empty() {
            write!(f, "@{}", self.id)
        } else if !self.tag.is_empty() {
            write!(f, ":{}", self.tag)
        } else {
            Ok(())
        }
    }
}

/// Whether `registry` is one of Docker Hub's names.
pub fn is_docker_hub(registry: &str) -> bool {
    matches!(
        registry,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    )
}

fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':']) || component == "localhost"
}

/// `[\w][\w.-]{0,127}`
pub fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= TAG_LENGTH_MAX
        && word(bytes[0])
        && bytes[1..]
            .iter()
            .all(|&b| word(b) || b == b'.' || b == b'-')
}

/// `algorithm:hex` with at least 32 hex digits, e.g. `sha256:…`.
pub fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        part.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && part.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A path component: lowercase alphanumerics separated by `.`, `_`, `__` or dashes.
fn is_name_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    if bytes.is_empty() || !is_lower_alnum(bytes[0]) || !is_lower_alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if is_lower_alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_lower_alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let allowed = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !allowed {
            return false;
        }
    }
    true
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `host(.host)*(:port)?` with DNS-style labels.
fn is_hostname(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let label_ok = |label: &str| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes[0].is_ascii_alphanumeric()
            && bytes[bytes.len() - 1].is_ascii_alphanumeric()
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    };
    name.split('.').all(label_ok)
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:3a335d7d8a452970c5b4054ad7118ff134b3a6b50a2bb6d0c07c746e8986b28e";

    fn parts(spec: &str) -> (String, String, String, String, String) {
        let r = DockerImageReference::parse(spec).unwrap();
        (r.registry, r.namespace, r.name, r.tag, r.id)
    }

    #[test]
    fn parses_the_forms_users_type() {
        let s = String::from;
        assert_eq!(parts("python"), (s(""), s(""), s("python"), s(""), s("")));
        assert_eq!(
            parts("python:3.6"),
            (s(""), s(""), s("python"), s("3.6"), s(""))
        );
        assert_eq!(
            parts("bitnami/apache:2.4"),
            (s(""), s("bitnami"), s("apache"), s("2.4"), s(""))
        );
        assert_eq!(
            parts("docker.io/openshift/ruby-20-centos7:latest"),
            (
                s("docker.io"),
                s("openshift"),
                s("ruby-20-centos7"),
                s("latest"),
                s("")
            )
        );
        assert_eq!(
            parts("localhost:5000/a/b/c:v1"),
            (s("localhost:5000"), s("a"), s("b/c"), s("v1"), s(""))
        );
        assert_eq!(
            parts("my.repo.com:5000/myimage"),
            (s("my.repo.com:5000"), s(""), s("myimage"), s(""), s(""))
        );
        assert_eq!(
            parts(&format!("centos/ruby-22-centos7@{DIGEST}")),
            (s(""), s("centos"), s("ruby-22-centos7"), s(""), s(DIGEST))
        );
    }

    #[test]
    fn prints_exactly_what_was_given() {
        for spec in [
            "python:3.6",
            "registry.redhat.io/rhel7:latest",
            "localhost:5000/a/b/c",
            "bitnami/apache",
        ] {
            assert_eq!(DockerImageReference::parse(spec).unwrap().exact(), spec);
        }
    }

    #[test]
    fn pinning_to_a_digest_swaps_the_tag() {
        let r = DockerImageReference::parse("python:3.6").unwrap();
        assert_eq!(r.with_digest(DIGEST).exact(), format!("python@{DIGEST}"));
    }

    #[test]
    fn docker_hub_single_names_live_under_library() {
        let path = |spec| DockerImageReference::parse(spec).unwrap().repository_path();
        assert_eq!(path("python:3.6"), "library/python");
        assert_eq!(path("docker.io/python"), "library/python");
        assert_eq!(path("quay.io/python"), "python");
        assert_eq!(path("bitnami/apache"), "bitnami/apache");
    }

    #[test]
    fn refuses_bad_specs_with_openshift_messages() {
        let error = |spec| DockerImageReference::parse(spec).unwrap_err().to_string();
        assert_eq!(
            error(""),
            "repository name must have at least one component"
        );
        assert_eq!(error("Python"), "repository name must be lowercase");
        assert_eq!(error("python:3.6:x"), "invalid reference format");
        assert_eq!(error("python:.x"), "invalid tag format");
        assert_eq!(error("python@sha256:abc"), "invalid digest format");
        assert_eq!(error("-python"), "invalid reference format");
        assert_eq!(error("a//b"), "invalid reference format");
        assert_eq!(
            error(&"a".repeat(256)),
            "repository name must not be more than 255 characters"
        );
    }

    #[test]
    fn tags_and_digests_follow_the_distribution_grammar() {
        assert!(is_tag("3.6") && is_tag("latest") && is_tag("_x") && is_tag(&"a".repeat(128)));
        assert!(
            !is_tag("")
                && !is_tag(".x")
                && !is_tag("-x")
                && !is_tag("a:b")
                && !is_tag(&"a".repeat(129))
        );
        assert!(is_digest(DIGEST));
        assert!(!is_digest("sha256:xyz") && !is_digest("sha256") && !is_digest(":abc"));
    }
}
