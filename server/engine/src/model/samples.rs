//! The shared sample catalog's configuration (OpenShift's
//! `configs.samples.operator.openshift.io/cluster`): whether the shipped
//! sample image streams are kept in the `openshift` project, which ones are
//! left alone, and which registry they are read from; and the state of each
//! sample as the settings page shows it.

use serde::{Deserialize, Serialize};

use super::{FieldError, Time};

/// Stream annotation on a managed sample: the product version that wrote it.
pub const SAMPLE_VERSION_ANNOTATION: &str = "samples.operator.openshift.io/version";
/// Stream label on a managed sample.
pub const MANAGED_LABEL: &str = "samples.operator.openshift.io/managed";

/// Whether the samples are kept installed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ManagementState {
    /// Installed, repaired when changed, failed imports retried.
    #[default]
    Managed,
    /// Not installed; switching to it removes the managed samples.
    Removed,
}

impl ManagementState {
    pub fn as_str(self) -> &'static str {
        match self {
            ManagementState::Managed => "Managed",
            ManagementState::Removed => "Removed",
        }
    }

    /// `Managed` or `Removed`, as written in the settings and on the command line.
    pub fn parse(text: &str) -> Option<ManagementState> {
        match text.trim() {
            "Managed" => Some(ManagementState::Managed),
            "Removed" => Some(ManagementState::Removed),
            _ => None,
        }
    }
}

/// What a cluster admin sets for the samples.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SamplesConfig {
    pub management_state: ManagementState,
    /// Samples the server neither installs nor repairs nor retries.
    pub skipped_imagestreams: Vec<String>,
    /// A mirror (`host[:port]`) the samples are read from instead of their
    /// public registries; empty for the public ones.
    pub samples_registry: String,
}

impl SamplesConfig {
    /// Whether sample `name` is in `skippedImagestreams`.
    pub fn skips(&self, name: &str) -> bool {
        self.skipped_imagestreams
            .iter()
            .any(|skipped| skipped == name)
    }
}

/// How one sample stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SampleState {
    /// Not installed (samples are `Removed`, or it was not installed yet).
    NotInstalled,
    /// In `skippedImagestreams`: left as it is.
    Skipped,
    /// Installed; `imported` of `tags` tags have an image.
    Installed { imported: usize, tags: usize },
}

/// One sample of the shipped set, as the settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleStatus {
    pub name: String,
    pub display_name: String,
    pub state: SampleState,
    /// Where its first tag is read from under the current configuration.
    pub source: String,
    /// The last import failure of one of its tags, if one failed.
    pub last_error: Option<String>,
}

/// The samples section of the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamplesView {
    pub config: SamplesConfig,
    /// Send back with a change; a stale one is refused.
    pub resource_version: i64,
    pub updated_by: String,
    pub updated: Option<Time>,
    /// How often failed sample imports are tried again.
    pub retry_seconds: u64,
    pub samples: Vec<SampleStatus>,
}

/// Every problem with `config`, given the names of the shipped samples.
pub fn validate_samples_config(config: &SamplesConfig, inventory: &[&str]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, name) in config.skipped_imagestreams.iter().enumerate() {
        let field = format!("skippedImagestreams[{index}]");
        if !inventory.contains(&name.as_str()) {
            errors.push(FieldError::new(
                field,
                format!(
                    "Unsupported value: \"{name}\": not one of the samples (supported values: {})",
                    inventory
                        .iter()
                        .map(|known| format!("\"{known}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        } else if !seen.insert(name.as_str()) {
            errors.push(FieldError::new(
                field,
                format!("Duplicate value: \"{name}\""),
            ));
        }
    }
    let registry = config.samples_registry.trim();
    if !registry.is_empty()
        && let Some(problem) = super::cluster_policy::registry_host_problem(registry)
    {
        errors.push(FieldError::new(
            "samplesRegistry",
            format!("Invalid value: \"{registry}\": {problem}"),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVENTORY: [&str; 2] = ["ruby", "python"];

    fn fields(config: &SamplesConfig) -> Vec<String> {
        validate_samples_config(config, &INVENTORY)
            .into_iter()
            .map(|error| error.field)
            .collect()
    }

    #[test]
    fn a_good_config_passes() {
        let config = SamplesConfig {
            management_state: ManagementState::Managed,
            skipped_imagestreams: vec!["ruby".into()],
            samples_registry: "mirror.example.com:5000".into(),
        };
        assert!(fields(&config).is_empty());
    }

    #[test]
    fn unknown_duplicate_and_malformed_entries_name_their_fields() {
        let config = SamplesConfig {
            management_state: ManagementState::Managed,
            skipped_imagestreams: vec!["ruby".into(), "rubyy".into(), "ruby".into()],
            samples_registry: "https://mirror.example.com".into(),
        };
        let errors = validate_samples_config(&config, &INVENTORY);
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            [
                "skippedImagestreams[1]",
                "skippedImagestreams[2]",
                "samplesRegistry"
            ]
        );
        assert!(
            errors[0]
                .message
                .contains("\"rubyy\": not one of the samples")
        );
        assert!(errors[0].message.contains("\"python\""));
        assert!(errors[2].message.contains("without a scheme"));
    }

    #[test]
    fn management_states_read_as_written() {
        assert_eq!(
            ManagementState::parse("Removed"),
            Some(ManagementState::Removed)
        );
        assert_eq!(ManagementState::parse("removed"), None);
        assert_eq!(ManagementState::Managed.as_str(), "Managed");
    }
}
