//! Which image of a manifest list a `Legacy` import keeps: the platform the
//! tag's annotations ask for (`importer.image.openshift.io/prefer-arch`,
//! `prefer-os`), else this server's platform, else linux/amd64, else the
//! first in the list.

use crate::model::{ImageManifest, ImageStream};

/// The tag annotation naming the architecture to prefer (`arm64`).
pub const PREFER_ARCH: &str = "importer.image.openshift.io/prefer-arch";
/// The tag annotation naming the operating system to prefer (`linux`).
pub const PREFER_OS: &str = "importer.image.openshift.io/prefer-os";

/// The platform a tag's annotations ask for; a part left out matches any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preference {
    pub os: Option<String>,
    pub arch: Option<String>,
}

impl Preference {
    /// What the spec tag `tag` of `stream` (if both exist) asks for.
    pub fn of_tag(stream: Option<&ImageStream>, tag: &str) -> Preference {
        let Some(tag) = stream.and_then(|s| s.spec.tags.iter().find(|t| t.name == tag)) else {
            return Preference::default();
        };
        let value = |key| {
            tag.annotation(key)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Preference {
            os: value(PREFER_OS),
            arch: value(PREFER_ARCH),
        }
    }

    fn is_set(&self) -> bool {
        self.os.is_some() || self.arch.is_some()
    }

    fn matches(&self, entry: &ImageManifest) -> bool {
        self.os.as_deref().is_none_or(|os| entry.os == os)
            && self
                .arch
                .as_deref()
                .is_none_or(|arch| entry.architecture == arch)
    }
}

/// `(os, arch)` of this server in OCI's words.
pub fn server_platform() -> (String, String) {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64le",
        other => other,
    };
    ("linux".into(), arch.into())
}

/// The entry a `Legacy` import keeps (`entries` is not empty).
pub fn choose_platform<'a>(
    entries: &'a [ImageManifest],
    preferred: &Preference,
) -> &'a ImageManifest {
    let (os, arch) = server_platform();
    let platform = |os: &str, arch: &str| {
        entries
            .iter()
            .find(move |e| e.os == os && e.architecture == arch)
    };
    preferred
        .is_set()
        .then(|| entries.iter().find(|e| preferred.matches(e)))
        .flatten()
        .or_else(|| platform(&os, &arch))
        .or_else(|| platform("linux", "amd64"))
        .unwrap_or(&entries[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(os: &str, arch: &str) -> ImageManifest {
        ImageManifest {
            digest: format!("sha256:{os}-{arch}"),
            os: os.into(),
            architecture: arch.into(),
            ..ImageManifest::default()
        }
    }

    fn prefer(os: Option<&str>, arch: Option<&str>) -> Preference {
        Preference {
            os: os.map(str::to_owned),
            arch: arch.map(str::to_owned),
        }
    }

    #[test]
    fn the_tag_preference_comes_first_then_the_server_then_linux_amd64_then_the_first() {
        let (_, server_arch) = server_platform();
        let list = vec![
            entry("windows", "amd64"),
            entry("linux", "s390x"),
            entry("linux", "arm64"),
            entry("linux", "amd64"),
        ];
        assert_eq!(
            choose_platform(&list, &prefer(None, Some("s390x"))).digest,
            "sha256:linux-s390x"
        );
        assert_eq!(
            choose_platform(&list, &prefer(Some("windows"), None)).digest,
            "sha256:windows-amd64"
        );
        // Not in the list: the server's platform.
        let fallback = choose_platform(&list, &prefer(None, Some("riscv64")));
        assert_eq!(fallback.architecture, server_arch);
        assert_eq!(fallback.os, "linux");
        let only_others = vec![entry("linux", "mips64le"), entry("windows", "arm64")];
        assert_eq!(
            choose_platform(&only_others, &Preference::default()).digest,
            "sha256:linux-mips64le"
        );
    }
}
