//! The engine's error type: what went wrong, in words a user can act on.
//!
//! Every variant carries a message meant for people. Internal causes (SQL
//! errors, I/O errors) are logged where they happen and reduced to
//! `Unavailable` or `Internal` here, so they never leak into responses.

use serde::{Deserialize, Serialize};

use crate::model::FieldError;

/// Result of an engine operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an engine operation failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Error {
    /// The input is wrong; each entry names the field and the problem.
    #[error("{}", join_fields(.0))]
    Invalid(Vec<FieldError>),
    /// The named object does not exist.
    #[error("{kind} \"{name}\" not found")]
    NotFound { kind: String, name: String },
    /// An object with this name already exists.
    #[error("{kind} \"{name}\" already exists")]
    AlreadyExists { kind: String, name: String },
    /// The object changed since it was read, or the request contradicts its state.
    #[error("{0}")]
    Conflict(String),
    /// The caller did not sign in, or their session or token is no longer valid.
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many attempts; the message says when to try again.
    #[error("{0}")]
    RateLimited(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A dependency (the database, a registry) cannot be reached right now.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected state; details are in the server log.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// An `Invalid` error about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    /// A `NotFound` error for an object of `kind` named `name`.
    pub fn not_found(kind: impl Into<String>, name: impl Into<String>) -> Self {
        Error::NotFound {
            kind: kind.into(),
            name: name.into(),
        }
    }

    /// An `AlreadyExists` error for an object of `kind` named `name`.
    pub fn already_exists(kind: impl Into<String>, name: impl Into<String>) -> Self {
        Error::AlreadyExists {
            kind: kind.into(),
            name: name.into(),
        }
    }
}

impl From<FieldError> for Error {
    fn from(error: FieldError) -> Self {
        Error::Invalid(vec![error])
    }
}

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_lists_every_field_with_its_problem() {
        let error = Error::Invalid(vec![
            FieldError::new("metadata.name", "Required value"),
            FieldError::new("spec.tags[0].name", "must not contain \":\""),
        ]);
        assert_eq!(
            error.to_string(),
            "metadata.name: Required value; spec.tags[0].name: must not contain \":\""
        );
    }

    #[test]
    fn not_found_names_kind_and_object() {
        assert_eq!(
            Error::not_found("projects", "team-a").to_string(),
            "projects \"team-a\" not found"
        );
    }
}
