//! The icon a card shows for its `iconClass` annotation: one of the SVG files
//! the console ships under `/icons/`, or the generic one.

/// The icons shipped in `public/icons/`, by file stem.
const SHIPPED: &[&str] = &[
    "dotnet",
    "golang",
    "httpd",
    "java",
    "jenkins",
    "mariadb",
    "mongodb",
    "mysql",
    "nginx",
    "nodejs",
    "perl",
    "php",
    "postgresql",
    "python",
    "redis",
    "ruby",
    "rust",
];

/// Other names icon classes use for a shipped icon.
const ALIASES: &[(&str, &str)] = &[
    ("go", "golang"),
    ("gopher", "golang"),
    ("openjdk", "java"),
    ("jboss", "java"),
    ("apache", "httpd"),
    ("node", "nodejs"),
    ("js", "nodejs"),
    ("postgres", "postgresql"),
    ("mongo", "mongodb"),
    ("csharp", "dotnet"),
];

/// The fallback for an unknown or missing icon class.
pub const GENERIC_ICON: &str = "/icons/generic.svg";

/// The path of the icon for `icon_class` (`icon-ruby`, `fa fa-python`, ...).
pub fn icon_path(icon_class: &str) -> String {
    icon_class
        .split_whitespace()
        .filter_map(|class| {
            let name = class
                .strip_prefix("icon-")
                .or_else(|| class.strip_prefix("fa-"))
                .or_else(|| class.strip_prefix("pficon-"))
                .unwrap_or(class)
                .to_ascii_lowercase();
            shipped(&name)
        })
        .map(|stem| format!("/icons/{stem}.svg"))
        .next()
        .unwrap_or_else(|| GENERIC_ICON.to_owned())
}

fn shipped(name: &str) -> Option<&'static str> {
    if let Some(stem) = SHIPPED.iter().find(|stem| **stem == name) {
        return Some(stem);
    }
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, stem)| *stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icon_classes_find_shipped_icons() {
        assert_eq!(icon_path("icon-ruby"), "/icons/ruby.svg");
        assert_eq!(icon_path("icon-openjdk"), "/icons/java.svg");
        assert_eq!(icon_path("fa fa-python"), "/icons/python.svg");
        assert_eq!(icon_path("icon-Postgres"), "/icons/postgresql.svg");
    }

    #[test]
    fn unknown_or_missing_classes_fall_back_to_generic() {
        assert_eq!(icon_path("icon-cobol"), GENERIC_ICON);
        assert_eq!(icon_path(""), GENERIC_ICON);
        assert_eq!(icon_path("fa fa-"), GENERIC_ICON);
    }

    #[test]
    fn every_shipped_icon_exists() {
        let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/icons");
        for stem in SHIPPED.iter().copied().chain(["generic"]) {
            let file = public.join(format!("{stem}.svg"));
            assert!(file.is_file(), "{} is missing", file.display());
        }
    }
}
