//! A problem with one input field, named by its path (`metadata.name`,
//! `spec.tags[2].from.kind`) as Kubernetes reports validation errors.

use serde::{Deserialize, Serialize};

/// One invalid input: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's path, e.g. `metadata.name`.
    pub field: String,
    /// What is wrong, e.g. `Required value`.
    pub message: String,
    /// The 1-based line of the input (YAML or JSON text) the field is on, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl FieldError {
    /// A problem with `field`, described by `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }

    /// The same problem, placed at a line of the input.
    pub fn at_line(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
