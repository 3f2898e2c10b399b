//! Projects: the namespaces every image stream, trigger and secret lives in.

use serde::{Deserialize, Serialize};

use super::{FieldError, Time, validate_dns_label};

/// The project that holds the shared sample image streams; it exists from the
/// first start and every signed-in user may read it.
pub const SHARED_PROJECT: &str = "openshift";

/// Name prefixes reserved for the system, as OpenShift reserves them.
const RESERVED_PREFIXES: [&str; 2] = ["openshift-", "kube-"];

/// A project as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub created: Time,
}

impl Project {
    /// The display name if one was given, else the name.
    pub fn title(&self) -> &str {
        if self.display_name.is_empty() {
            &self.name
        } else {
            &self.display_name
        }
    }
}

/// What a user fills in to request a project (`oc new-project`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProject {
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
}

/// The longest display name or description accepted.
const TEXT_MAX: usize = 1024;

impl NewProject {
    /// Checks every field and reports every problem at once.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(error) = validate_dns_label("metadata.name", &self.name) {
            errors.push(error);
        } else if let Some(prefix) = RESERVED_PREFIXES.iter().find(|p| self.name.starts_with(*p)) {
            errors.push(FieldError::new(
                "metadata.name",
                format!(
                    "Invalid value: \"{}\": the prefix \"{prefix}\" is reserved",
                    self.name
                ),
            ));
        }
        errors.extend(self.text_errors());
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Checks the display name and description only (a change to a project
    /// that exists, whose name is settled).
    pub fn validate_texts(&self) -> Result<(), Vec<FieldError>> {
        let errors = self.text_errors();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn text_errors(&self) -> Vec<FieldError> {
        [
            ("displayName", &self.display_name),
            ("description", &self.description),
        ]
        .into_iter()
        .filter(|(_, value)| value.chars().count() > TEXT_MAX)
        .map(|(field, _)| {
            FieldError::new(field, format!("must be no more than {TEXT_MAX} characters"))
        })
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str) -> NewProject {
        NewProject {
            name: name.into(),
            ..NewProject::default()
        }
    }

    #[test]
    fn valid_request_passes() {
        assert_eq!(request("team-a").validate(), Ok(()));
    }

    #[test]
    fn reserved_prefixes_are_refused() {
        let errors = request("kube-system").validate().unwrap_err();
        assert_eq!(errors[0].field, "metadata.name");
        assert!(errors[0].message.contains("\"kube-\" is reserved"));
    }

    #[test]
    fn every_problem_is_reported() {
        let mut bad = request("Bad Name");
        bad.description = "x".repeat(TEXT_MAX + 1);
        let errors = bad.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["metadata.name", "description"]);
    }

    #[test]
    fn title_falls_back_to_name() {
        let project = Project {
            name: "team-a".into(),
            display_name: String::new(),
            description: String::new(),
            created: Time::EPOCH,
        };
        assert_eq!(project.title(), "team-a");
    }
}
