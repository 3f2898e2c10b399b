use super::*;
use crate::model::cluster_policy::{ClusterImagePolicy, RegistryLocation, RegistrySources};

fn whitelist(entries: &[(&str, bool)]) -> ClusterImagePolicy {
    ClusterImagePolicy {
        allowed_registries_for_import: entries
            .iter()
            .map(|(domain, insecure)| RegistryLocation {
                domain_name: (*domain).into(),
                insecure: *insecure,
            })
            .collect(),
        ..ClusterImagePolicy::default()
    }
}

fn sources(sources: RegistrySources) -> ClusterImagePolicy {
    ClusterImagePolicy {
        registry_sources: sources,
        ..ClusterImagePolicy::default()
    }
}

#[test]
fn an_empty_policy_allows_everything() {
    let policy = ClusterImagePolicy::default();
    assert!(policy.admit("quay.io", "team/app", false).is_ok());
    assert!(policy.admit("127.0.0.1:5000", "app", true).is_ok());
}

#[test]
fn a_domain_without_a_port_means_443_and_80_only_when_insecure() {
    let secure = whitelist(&[("quay.io", false)]);
    assert!(secure.admit("quay.io", "a/b", false).is_ok());
    assert!(secure.admit("quay.io:443", "a/b", false).is_ok());
    let refused = secure.admit("quay.io:5000", "a/b", false).unwrap_err();
    assert_eq!(
        refused.0,
        "importing images from registry \"quay.io:5000\" is forbidden: registry \"quay.io:5000\" not allowed by whitelist: \"quay.io:443\""
    );
    assert!(secure.admit("quay.io:80", "a/b", true).is_err());
    let insecure = whitelist(&[("quay.io", true)]);
    assert!(insecure.admit("quay.io:80", "a/b", true).is_ok());
}

#[test]
fn wildcards_match_hosts_and_ports() {
    let policy = whitelist(&[("*.example.com", false), ("127.0.0.?:*", false)]);
    assert!(policy.admit("registry.example.com", "a", false).is_ok());
    assert!(policy.admit("example.com", "a", false).is_err());
    assert!(policy.admit("127.0.0.1:5000", "a", false).is_ok());
    assert!(policy.admit("127.0.0.10:5000", "a", false).is_err());
}

#[test]
fn docker_io_covers_its_aliases() {
    let policy = whitelist(&[("docker.io", false)]);
    for registry in ["", "docker.io", "index.docker.io", "registry-1.docker.io"] {
        assert!(
            policy.admit(registry, "library/ruby", false).is_ok(),
            "{registry}"
        );
    }
    let policy = whitelist(&[("registry-1.docker.io", false)]);
    assert!(policy.admit("docker.io", "library/ruby", false).is_ok());
}

#[test]
fn a_long_whitelist_is_summarised() {
    let policy = whitelist(&[
        ("a.io", false),
        ("b.io", false),
        ("c.io", true),
        ("d.io", false),
        ("e.io", false),
    ]);
    let refused = policy.admit("z.io", "x", false).unwrap_err();
    assert!(
        refused.0.ends_with(
            "not allowed by whitelist: \"a.io:443\", \"b.io:443\", \"c.io:443\", \"c.io:80\", \"d.io:443\", and 1 more"
        ),
        "{}",
        refused.0
    );
}

#[test]
fn blocked_registries_refuse_a_registry_or_a_path_below_it() {
    let policy = sources(RegistrySources {
        blocked_registries: vec![
            "untrusted.io".into(),
            "quay.io/bad".into(),
            "*.evil.com".into(),
        ],
        ..RegistrySources::default()
    });
    let refused = policy.admit("untrusted.io", "a/b", false).unwrap_err();
    assert_eq!(
        refused.0,
        "importing images from registry \"untrusted.io\" is forbidden: registry \"untrusted.io\" is blocked by registrySources.blockedRegistries"
    );
    assert!(policy.admit("quay.io", "bad/app", false).is_err());
    assert!(policy.admit("quay.io", "bad", false).is_err());
    assert!(policy.admit("quay.io", "badger/app", false).is_ok());
    assert!(policy.admit("mirror.evil.com", "x", false).is_err());
    assert!(policy.admit("docker.io", "library/ruby", false).is_ok());
}

#[test]
fn allowed_registries_refuse_every_other_registry() {
    let policy = sources(RegistrySources {
        allowed_registries: vec!["docker.io".into(), "127.0.0.1:5000".into()],
        ..RegistrySources::default()
    });
    assert!(policy.admit("", "library/ruby", false).is_ok());
    assert!(policy.admit("127.0.0.1:5000", "app", false).is_ok());
    let refused = policy.admit("127.0.0.1:5001", "app", false).unwrap_err();
    assert!(
        refused
            .0
            .ends_with("registry \"127.0.0.1:5001\" is not in registrySources.allowedRegistries")
    );
}

#[test]
fn insecure_and_search_registries() {
    let policy = sources(RegistrySources {
        insecure_registries: vec!["127.0.0.1:5000".into()],
        container_runtime_search_registries: vec!["mirror.local".into(), "docker.io".into()],
        ..RegistrySources::default()
    });
    assert!(is_insecure_registry(&policy, "127.0.0.1:5000", "app"));
    assert!(!is_insecure_registry(&policy, "127.0.0.1:5001", "app"));
    assert_eq!(search_registries(&policy), ["mirror.local", "docker.io"]);
    assert_eq!(
        search_registries(&ClusterImagePolicy::default()),
        ["docker.io"]
    );
}

#[test]
fn glob_handles_stars_anywhere() {
    assert!(glob("*", ""));
    assert!(glob("a*c", "abbbc"));
    assert!(glob("*.io", "quay.io"));
    assert!(!glob("a?c", "ac"));
    assert!(glob("A*", "abc"));
}
