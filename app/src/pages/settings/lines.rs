//! The policy as the settings form shows it: one entry per line, ` insecure`
//! after a whitelisted registry, and CA blocks of a host line followed by
//! its PEM certificates - and back.

use engine::model::cluster_policy::{RegistryLocation, TrustedCa};

/// `quay.io` or `registry.local:5000 insecure`, one per line.
pub fn whitelist_text(entries: &[RegistryLocation]) -> String {
    entries
        .iter()
        .map(|entry| {
            if entry.insecure {
                format!("{} insecure", entry.domain_name)
            } else {
                entry.domain_name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whitelist typed in the form. A line with anything else after the
/// registry than `insecure` is kept whole, so the server names it.
pub fn parse_whitelist(text: &str) -> Vec<RegistryLocation> {
    non_blank_lines(text)
        .map(|line| {
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(domain), Some(flag), None) if flag.eq_ignore_ascii_case("insecure") => {
                    RegistryLocation {
                        domain_name: domain.to_owned(),
                        insecure: true,
                    }
                }
                _ => RegistryLocation {
                    domain_name: line.to_owned(),
                    insecure: false,
                },
            }
        })
        .collect()
}

pub fn list_text(entries: &[String]) -> String {
    entries.join("\n")
}

pub fn parse_list(text: &str) -> Vec<String> {
    non_blank_lines(text).map(str::to_owned).collect()
}

/// Each CA as its host line followed by its PEM, blocks apart by a blank line.
pub fn cas_text(cas: &[TrustedCa]) -> String {
    cas.iter()
        .map(|ca| format!("{}\n{}", ca.host, ca.pem.trim()))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Host lines and PEM blocks: the certificates after a host line belong to
/// it. A certificate before any host gets an empty host, which the server
/// reports.
pub fn parse_cas(text: &str) -> Vec<TrustedCa> {
    let mut cas: Vec<TrustedCa> = Vec::new();
    let mut in_pem = false;
    for line in text.lines().map(str::trim) {
        if in_pem || line.starts_with("-----BEGIN") {
            in_pem = !line.starts_with("-----END");
            if cas.is_empty() {
                cas.push(TrustedCa::default());
            }
            let current = cas.last_mut().expect("one exists");
            current.pem.push_str(line);
            current.pem.push('\n');
        } else if !line.is_empty() {
            cas.push(TrustedCa {
                host: line.to_owned(),
                pem: String::new(),
            });
        }
    }
    cas
}

fn non_blank_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitelist_lines_round_trip() {
        let entries =
            parse_whitelist("quay.io\n\n  registry.local:5000 INSECURE \nbad entry here\n");
        assert_eq!(
            entries,
            [
                RegistryLocation {
                    domain_name: "quay.io".into(),
                    insecure: false
                },
                RegistryLocation {
                    domain_name: "registry.local:5000".into(),
                    insecure: true
                },
                RegistryLocation {
                    domain_name: "bad entry here".into(),
                    insecure: false
                },
            ]
        );
        assert_eq!(
            whitelist_text(&entries[..2]),
            "quay.io\nregistry.local:5000 insecure"
        );
    }

    #[test]
    fn ca_blocks_belong_to_the_host_line_above_them() {
        let text = "registry.local..5000\n-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n\nquay.io\n-----BEGIN CERTIFICATE-----\nCCC\n-----END CERTIFICATE-----";
        let cas = parse_cas(text);
        assert_eq!(cas.len(), 2);
        assert_eq!(cas[0].host, "registry.local..5000");
        assert_eq!(cas[0].pem.matches("BEGIN CERTIFICATE").count(), 2);
        assert_eq!(cas[1].host, "quay.io");
        assert_eq!(parse_cas(&cas_text(&cas)), cas);
        let orphan = parse_cas("-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----");
        assert_eq!(orphan[0].host, "");
    }
}
