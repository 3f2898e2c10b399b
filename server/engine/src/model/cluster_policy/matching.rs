//! Whether the policy lets an import use a registry, and how: the
//! `allowedRegistriesForImport` whitelist (host and port, wildcards, Docker
//! Hub's aliases) and the `registrySources` scopes (`host[:port][/path]`,
//! `*.domain`), with OpenShift's messages.

use super::{ClusterImagePolicy, RegistryLocation};
use crate::model::reference::is_docker_hub;

/// Why the policy refuses an import: the message users see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

/// How many whitelist entries a refusal lists before "and N more".
const SUMMARY_ENTRIES: usize = 5;

/// Short names are looked up here unless the policy says otherwise.
const DEFAULT_SEARCH_REGISTRY: &str = "docker.io";

impl ClusterImagePolicy {
    /// Whether an import may read `path` (`namespace/name`) from `registry`
    /// (`host[:port]` as the reference names it) over a secure or an
    /// insecure transport.
    pub fn admit(&self, registry: &str, path: &str, insecure: bool) -> Result<(), Denied> {
        let registry = canonical_registry(registry);
        let sources = &self.registry_sources;
        let forbidden = |why: String| {
            Denied(format!(
                "importing images from registry \"{registry}\" is forbidden: {why}"
            ))
        };
        if sources
            .blocked_registries
            .iter()
            .any(|scope| scope_matches(scope, &registry, path))
        {
            return Err(forbidden(format!(
                "registry \"{registry}\" is blocked by registrySources.blockedRegistries"
            )));
        }
        if !sources.allowed_registries.is_empty()
            && !sources
                .allowed_registries
                .iter()
                .any(|scope| scope_matches(scope, &registry, path))
        {
            return Err(forbidden(format!(
                "registry \"{registry}\" is not in registrySources.allowedRegistries"
            )));
        }
        if let Some(refusal) = self.whitelist_refusal(&registry, insecure) {
            let host_port = whitelist_host_port(&registry);
            return Err(Denied(format!(
                "importing images from registry \"{host_port}\" is forbidden: {refusal}"
            )));
        }
        Ok(())
    }

    /// Why `allowedRegistriesForImport` refuses `registry` over a secure or
    /// insecure transport, if it does: `registry "h:p" not allowed by
    /// whitelist: …` (what OpenShift says of a stream's tag).
    pub fn whitelist_refusal(&self, registry: &str, insecure: bool) -> Option<String> {
        let registry = canonical_registry(registry);
        let whitelist = &self.allowed_registries_for_import;
        if whitelist.is_empty()
            || whitelist
                .iter()
                .any(|entry| whitelisted(entry, &registry, insecure))
        {
            return None;
        }
        Some(format!(
            "registry \"{}\" not allowed by whitelist: {}",
            whitelist_host_port(&registry),
            whitelist_summary(whitelist)
        ))
    }
}

/// `host:port` of a canonical `registry` as a refusal names it: the port
/// given, else 443 (an insecure import also tries 80, but 443 is named).
fn whitelist_host_port(registry: &str) -> String {
    match split_port(registry) {
        (host, Some(port)) => format!("{host}:{port}"),
        (host, None) => format!("{host}:443"),
    }
}

/// The whitelist as a refusal lists it: `"quay.io:443", "*.example.com:443"`.
fn whitelist_summary(whitelist: &[RegistryLocation]) -> String {
    let mut shown: Vec<String> = Vec::new();
    for entry in whitelist {
        let (host, port) = split_port(&entry.domain_name);
        let host = canonical_registry(host);
        match port {
            Some(port) => shown.push(format!("\"{host}:{port}\"")),
            None => {
                shown.push(format!("\"{host}:443\""));
                if entry.insecure {
                    shown.push(format!("\"{host}:80\""));
                }
            }
        }
    }
    if shown.len() > SUMMARY_ENTRIES {
        let more = shown.len() - SUMMARY_ENTRIES;
        shown.truncate(SUMMARY_ENTRIES);
        format!("{}, and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Whether `registry`/`path` is listed in `registrySources.insecureRegistries`.
pub fn is_insecure_registry(policy: &ClusterImagePolicy, registry: &str, path: &str) -> bool {
    let registry = canonical_registry(registry);
    policy
        .registry_sources
        .insecure_registries
        .iter()
        .any(|scope| scope_matches(scope, &registry, path))
}

/// Where a short name is looked up, in order.
pub fn search_registries(policy: &ClusterImagePolicy) -> Vec<String> {
    let configured = &policy.registry_sources.container_runtime_search_registries;
    if configured.is_empty() {
        vec![DEFAULT_SEARCH_REGISTRY.to_owned()]
    } else {
        configured.clone()
    }
}

/// Docker Hub under its one name; other registries as given, lowercased.
fn canonical_registry(registry: &str) -> String {
    if registry.is_empty() || is_docker_hub(registry) {
        DEFAULT_SEARCH_REGISTRY.to_owned()
    } else {
        registry.to_ascii_lowercase()
    }
}

fn split_port(registry: &str) -> (&str, Option<&str>) {
    match registry.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (registry, None),
    }
}

/// One whitelist entry against a registry: the host by glob, the port by
/// glob against the port given or the default ports of the transport.
fn whitelisted(entry: &RegistryLocation, registry: &str, insecure: bool) -> bool {
    let (entry_host, entry_port) = split_port(entry.domain_name.trim());
    let entry_host = canonical_registry(entry_host);
    let (host, port) = split_port(registry);
    if !glob(&entry_host, host) {
        return false;
    }
    let wanted: &[&str] = match port {
        Some(port) => &[port][..],
        None if insecure => &["443", "80"],
        None => &["443"],
    };
    let allowed: &[&str] = match entry_port {
        Some(port) => &[port][..],
        None if entry.insecure => &["443", "80"],
        None => &["443"],
    };
    wanted
        .iter()
        .any(|port| allowed.iter().any(|pattern| glob(pattern, port)))
}

/// A `registrySources` scope against `registry` and `path`: `*.domain`
/// matches its subdomains; `host[:port][/path]` matches itself and what lies
/// below it.
fn scope_matches(scope: &str, registry: &str, path: &str) -> bool {
    let scope = scope.trim().trim_end_matches('/');
    if let Some(domain) = scope.strip_prefix("*.") {
        let (host, _) = split_port(registry);
        return host.ends_with(&format!(".{}", domain.to_ascii_lowercase()));
    }
    let (scope_registry, scope_path) = match scope.split_once('/') {
        Some((registry, path)) => (registry, Some(path)),
        None => (scope, None),
    };
    if canonical_registry(scope_registry) != registry {
        return false;
    }
    match scope_path {
        None => true,
        Some(prefix) => path == prefix || path.starts_with(&format!("{prefix}/")),
    }
}

/// `*` (any run) and `?` (one character) wildcards, case-insensitive.
fn glob(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let text: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests;
