//! Checks on a cluster image policy before it is saved; each problem names
//! its field (`registrySources.blockedRegistries[1]`).

use std::collections::HashSet;

use super::ClusterImagePolicy;
use crate::model::FieldError;

/// Every problem with `policy`; empty when it may be saved. (Whether a CA's
/// PEM holds certificates is checked by the server, which parses them.)
pub fn validate_policy(policy: &ClusterImagePolicy) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (index, entry) in policy.allowed_registries_for_import.iter().enumerate() {
        let field = format!("allowedRegistriesForImport[{index}].domainName");
        let domain = entry.domain_name.trim();
        if let Some(problem) = host_pattern_problem(domain, true) {
            errors.push(invalid(&field, domain, problem));
        } else if !seen.insert(domain.to_ascii_lowercase()) {
            errors.push(duplicate(&field, domain));
        }
    }
    let sources = &policy.registry_sources;
    if !sources.allowed_registries.is_empty() && !sources.blocked_registries.is_empty() {
        errors.push(FieldError::new(
            "registrySources",
            "Invalid value: only one of allowedRegistries and blockedRegistries may be set",
        ));
    }
    for (name, scopes) in [
        ("allowedRegistries", &sources.allowed_registries),
        ("blockedRegistries", &sources.blocked_registries),
        ("insecureRegistries", &sources.insecure_registries),
    ] {
        let mut seen = HashSet::new();
        for (index, scope) in scopes.iter().enumerate() {
            let field = format!("registrySources.{name}[{index}]");
            let scope = scope.trim();
            if let Some(problem) = scope_problem(scope) {
                errors.push(invalid(&field, scope, problem));
            } else if !seen.insert(scope.to_ascii_lowercase()) {
                errors.push(duplicate(&field, scope));
            }
        }
    }
    let mut seen = HashSet::new();
    for (index, registry) in sources
        .container_runtime_search_registries
        .iter()
        .enumerate()
    {
        let field = format!("registrySources.containerRuntimeSearchRegistries[{index}]");
        let registry = registry.trim();
        if let Some(problem) = host_pattern_problem(registry, false) {
            errors.push(invalid(&field, registry, problem));
        } else if !seen.insert(registry.to_ascii_lowercase()) {
            errors.push(duplicate(&field, registry));
        }
    }
    let mut seen = HashSet::new();
    for (index, ca) in policy.additional_trusted_ca.iter().enumerate() {
        let field = format!("additionalTrustedCA[{index}]");
        let host = ca.host.trim();
        let as_registry = host.replacen("..", ":", 1);
        if host.contains(':') {
            errors.push(invalid(
                &format!("{field}.host"),
                host,
                "write a port as host..port (two dots), as OpenShift's ConfigMap keys do",
            ));
        } else if let Some(problem) = host_pattern_problem(&as_registry, false) {
            errors.push(invalid(&format!("{field}.host"), host, problem));
        } else if !seen.insert(host.to_ascii_lowercase()) {
            errors.push(duplicate(&format!("{field}.host"), host));
        }
        if ca.pem.trim().is_empty() {
            errors.push(FieldError::new(
                format!("{field}.pem"),
                "Required value: paste the CA certificate in PEM form",
            ));
        } else if !ca.pem.contains("-----BEGIN CERTIFICATE-----") {
            errors.push(FieldError::new(
                format!("{field}.pem"),
                "Invalid value: not a PEM certificate (it must contain -----BEGIN CERTIFICATE-----)",
            ));
        }
    }
    let hostname = policy.internal_registry_hostname.trim();
    if !hostname.is_empty()
        && let Some(problem) = host_pattern_problem(hostname, false)
    {
        errors.push(invalid("internalRegistryHostname", hostname, problem));
    }
    let schedule = &policy.scheduled_import;
    for (field, value) in [
        ("scheduledImport.intervalSeconds", schedule.interval_seconds),
        (
            "scheduledImport.minimumIntervalSeconds",
            schedule.minimum_interval_seconds,
        ),
    ] {
        if value == Some(0) {
            errors.push(FieldError::new(
                field,
                "Invalid value: 0: must be at least 1 second",
            ));
        }
    }
    errors
}

fn invalid(field: &str, value: &str, problem: &str) -> FieldError {
    FieldError::new(field, format!("Invalid value: \"{value}\": {problem}"))
}

fn duplicate(field: &str, value: &str) -> FieldError {
    FieldError::new(field, format!("Duplicate value: \"{value}\""))
}

/// What is wrong with a registry written as `host[:port]`, if anything.
pub fn registry_host_problem(value: &str) -> Option<&'static str> {
    host_pattern_problem(value, false)
}

/// `host[:port]`, with `*` and `?` allowed when `wildcards`.
fn host_pattern_problem(value: &str, wildcards: bool) -> Option<&'static str> {
    if value.is_empty() {
        return Some("a registry host is required");
    }
    if value.contains("://") {
        return Some("give the host without a scheme (no https://)");
    }
    if value.contains('/') {
        return Some("give the host only, without a path");
    }
    let (host, port) = match value.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (value, None),
    };
    let wild = |c: char| wildcards && (c == '*' || c == '?');
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || wild(c))
    {
        return Some(if wildcards {
            "a host may hold letters, digits, '.', '-' and the wildcards '*' and '?'"
        } else {
            "a host may hold letters, digits, '.' and '-'"
        });
    }
    if let Some(port) = port
        && (port.is_empty() || !port.chars().all(|c| c.is_ascii_digit() || wild(c)))
    {
        return Some("the port must be a number");
    }
    None
}

/// `host[:port][/path]` or `*.domain`.
fn scope_problem(value: &str) -> Option<&'static str> {
    if let Some(domain) = value.strip_prefix("*.") {
        return host_pattern_problem(domain, false)
            .map(|_| "a wildcard scope is *. followed by a domain, e.g. *.example.com");
    }
    if value.contains("://") {
        return Some("give the registry without a scheme (no https://)");
    }
    let (registry, path) = match value.split_once('/') {
        Some((registry, path)) => (registry, Some(path)),
        None => (value, None),
    };
    if let Some(problem) = host_pattern_problem(registry, false) {
        return Some(problem);
    }
    if let Some(path) = path
        && (path.is_empty()
            || !path.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '/')
            }))
    {
        return Some("a repository path may hold lowercase letters, digits, '.', '_', '-' and '/'");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::cluster_policy::{RegistryLocation, RegistrySources, TrustedCa};

    fn fields(policy: &ClusterImagePolicy) -> Vec<String> {
        validate_policy(policy)
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    #[test]
    fn a_good_policy_passes() {
        let policy = ClusterImagePolicy {
            allowed_registries_for_import: vec![RegistryLocation {
                domain_name: "*.example.com:*".into(),
                insecure: true,
            }],
            registry_sources: RegistrySources {
                blocked_registries: vec!["quay.io/bad".into(), "*.evil.com".into()],
                insecure_registries: vec!["127.0.0.1:5000".into()],
                container_runtime_search_registries: vec!["docker.io".into()],
                ..RegistrySources::default()
            },
            additional_trusted_ca: vec![TrustedCa {
                host: "registry.local..5000".into(),
                pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".into(),
            }],
            ..ClusterImagePolicy::default()
        };
        assert_eq!(fields(&policy), Vec::<String>::new());
    }

    #[test]
    fn allowed_and_blocked_together_are_refused() {
        let policy = ClusterImagePolicy {
            registry_sources: RegistrySources {
                allowed_registries: vec!["quay.io".into()],
                blocked_registries: vec!["docker.io".into()],
                ..RegistrySources::default()
            },
            ..ClusterImagePolicy::default()
        };
        assert_eq!(
            fields(&policy),
            [
                "registrySources: Invalid value: only one of allowedRegistries and blockedRegistries may be set"
            ]
        );
    }

    #[test]
    fn each_bad_entry_names_its_field() {
        let policy = ClusterImagePolicy {
            allowed_registries_for_import: vec![
                RegistryLocation {
                    domain_name: "https://quay.io".into(),
                    insecure: false,
                },
                RegistryLocation {
                    domain_name: "quay.io:abc".into(),
                    insecure: false,
                },
            ],
            registry_sources: RegistrySources {
                insecure_registries: vec!["a.io".into(), "a.io".into()],
                container_runtime_search_registries: vec!["*.io".into()],
                ..RegistrySources::default()
            },
            additional_trusted_ca: vec![TrustedCa {
                host: "registry.local:5000".into(),
                pem: "hello".into(),
            }],
            ..ClusterImagePolicy::default()
        };
        assert_eq!(
            fields(&policy),
            [
                "allowedRegistriesForImport[0].domainName: Invalid value: \"https://quay.io\": give the host without a scheme (no https://)",
                "allowedRegistriesForImport[1].domainName: Invalid value: \"quay.io:abc\": the port must be a number",
                "registrySources.insecureRegistries[1]: Duplicate value: \"a.io\"",
                "registrySources.containerRuntimeSearchRegistries[0]: Invalid value: \"*.io\": a host may hold letters, digits, '.' and '-'",
                "additionalTrustedCA[0].host: Invalid value: \"registry.local:5000\": write a port as host..port (two dots), as OpenShift's ConfigMap keys do",
                "additionalTrustedCA[0].pem: Invalid value: not a PEM certificate (it must contain -----BEGIN CERTIFICATE-----)",
            ]
        );
    }
}
