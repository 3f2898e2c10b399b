//! Catalog categories, derived from a tag's `tags` annotation the way the
//! OpenShift console groups builder images.

use serde::{Deserialize, Serialize};

/// A catalog category. An item belongs to every category one of its keywords
/// names, and to `Other` when it names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    Languages,
    Databases,
    Middleware,
    CiCd,
    Other,
}

impl Category {
    /// Every category, in the order the filter lists them.
    pub const ALL: [Category; 5] = [
        Category::Languages,
        Category::Databases,
        Category::Middleware,
        Category::CiCd,
        Category::Other,
    ];

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Category::Languages => "Languages",
            Category::Databases => "Databases",
            Category::Middleware => "Middleware",
            Category::CiCd => "CI/CD",
            Category::Other => "Other",
        }
    }

    /// The name in a URL (`?category=cicd`).
    pub fn slug(self) -> &'static str {
        match self {
            Category::Languages => "languages",
            Category::Databases => "databases",
            Category::Middleware => "middleware",
            Category::CiCd => "cicd",
            Category::Other => "other",
        }
    }

    /// The category a URL names, if any.
    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| category.slug() == slug)
    }

    /// The keywords (from the `tags` annotation) that put an item here.
    fn keywords(self) -> &'static [&'static str] {
        match self {
            Category::Languages => &[
                "languages",
                "dotnet",
                "go",
                "golang",
                "java",
                "javascript",
                "nodejs",
                "perl",
                "php",
                "python",
                "ruby",
                "rust",
                "scala",
            ],
            Category::Databases => &[
                "databases",
                "database",
                "mariadb",
                "mongodb",
                "mysql",
                "postgresql",
                "redis",
                "sql",
            ],
            Category::Middleware => &[
                "middleware",
                "amq",
                "apache",
                "eap",
                "fuse",
                "httpd",
                "jboss",
                "messaging",
                "nginx",
                "sso",
                "tomcat",
                "wildfly",
            ],
            Category::CiCd => &["cicd", "ci", "jenkins", "pipeline", "pipelines"],
            Category::Other => &[],
        }
    }

    /// The categories `keywords` place an item in: each one a keyword names,
    /// or `Other` alone.
    pub fn of_keywords(keywords: &[String]) -> Vec<Category> {
        let found: Vec<Category> = Category::ALL
            .into_iter()
            .filter(|category| {
                keywords
                    .iter()
                    .any(|keyword| category.keywords().contains(&keyword.as_str()))
            })
            .collect();
        if found.is_empty() {
            vec![Category::Other]
        } else {
            found
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|word| (*word).to_owned()).collect()
    }

    #[test]
    fn keywords_pick_every_category_they_name() {
        assert_eq!(
            Category::of_keywords(&words(&["builder", "ruby"])),
            [Category::Languages]
        );
        assert_eq!(
            Category::of_keywords(&words(&["builder", "php", "httpd"])),
            [Category::Languages, Category::Middleware]
        );
        assert_eq!(
            Category::of_keywords(&words(&["database", "postgresql"])),
            [Category::Databases]
        );
        assert_eq!(
            Category::of_keywords(&words(&["jenkins"])),
            [Category::CiCd]
        );
    }

    #[test]
    fn unknown_keywords_are_other() {
        assert_eq!(
            Category::of_keywords(&words(&["builder", "cobol"])),
            [Category::Other]
        );
        assert_eq!(Category::of_keywords(&[]), [Category::Other]);
    }

    #[test]
    fn slugs_round_trip() {
        for category in Category::ALL {
            assert_eq!(Category::from_slug(category.slug()), Some(category));
        }
        assert_eq!(Category::from_slug("nope"), None);
    }
}
