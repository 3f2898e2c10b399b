//! The error every server function returns, and the words a user reads for it.
//!
//! It carries the engine's error unchanged across the network (field paths and
//! messages included), or a transport failure when the server could not be
//! reached at all.

use engine::{Error, model::FieldError};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What went wrong with a server call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ConsoleError {
    /// The server answered and refused, for the reason given.
    #[error("{0}")]
    Engine(Error),
    /// The request never got a proper answer (network down, server restarting).
    #[error("{0}")]
    Transport(String),
}

impl From<Error> for ConsoleError {
    fn from(error: Error) -> Self {
        ConsoleError::Engine(error)
    }
}

impl FromServerFnError for ConsoleError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ConsoleError::Transport(value.to_string())
    }
}

impl ConsoleError {
    /// A short headline a user understands.
    pub fn title(&self) -> &'static str {
        match self {
            ConsoleError::Engine(Error::Invalid(_)) => "Some of the input is not valid",
            ConsoleError::Engine(Error::NotFound { .. }) => "Not found",
            ConsoleError::Engine(Error::AlreadyExists { .. }) => "That name is taken",
            ConsoleError::Engine(Error::Conflict(_)) => "Someone changed this in the meantime",
            ConsoleError::Engine(Error::Unauthenticated(_)) => "Please sign in",
            ConsoleError::Engine(Error::RateLimited(_)) => "Too many attempts",
            ConsoleError::Engine(Error::Forbidden(_)) => "Not allowed",
            ConsoleError::Engine(Error::Unavailable(_)) => {
                "The console cannot reach a service it needs"
            }
            ConsoleError::Engine(Error::Internal(_)) => "Something went wrong on the server",
            ConsoleError::Transport(_) => "The console server did not answer",
        }
    }

    /// What the user can do about it, in a sentence.
    pub fn advice(&self) -> &'static str {
        match self {
            ConsoleError::Engine(Error::Invalid(_)) => {
                "Correct the fields named below and try again."
            }
            ConsoleError::Engine(Error::NotFound { .. }) => {
                "It may have been deleted, or the link may be wrong."
            }
            ConsoleError::Engine(Error::AlreadyExists { .. }) => "Choose another name.",
            ConsoleError::Engine(Error::Conflict(_)) => {
                "Reload to see the latest version, then try again."
            }
            ConsoleError::Engine(Error::Unauthenticated(_)) => {
                "Sign in again; nothing you typed was saved by this attempt."
            }
            ConsoleError::Engine(Error::RateLimited(_)) => "Wait a little, then try again.",
            ConsoleError::Engine(Error::Forbidden(_)) => "Ask a project admin for access.",
            ConsoleError::Engine(Error::Unavailable(_)) => {
                "Nothing was lost. Try again in a moment."
            }
            ConsoleError::Engine(Error::Internal(_)) => {
                "Nothing was changed. The details are in the server log."
            }
            ConsoleError::Transport(_) => "Check your connection; the server may be restarting.",
        }
    }

    /// The problems with individual fields, if the input was invalid.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ConsoleError::Engine(Error::Invalid(fields)) => fields,
            _ => &[],
        }
    }

    /// The message for one field, if it has a problem. An `AlreadyExists`
    /// error belongs to the name field.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            ConsoleError::Engine(Error::AlreadyExists { .. }) if field == "metadata.name" => {
                Some(self.to_string())
            }
            _ => self
                .field_errors()
                .iter()
                .find(|error| error.field == field)
                .map(|error| error.message.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_are_found_by_path() {
        let error = ConsoleError::Engine(Error::invalid("metadata.name", "Required value"));
        assert_eq!(
            error.for_field("metadata.name").as_deref(),
            Some("Required value")
        );
        assert_eq!(error.for_field("description"), None);
    }

    #[test]
    fn a_taken_name_is_reported_at_the_name_field() {
        let error = ConsoleError::Engine(Error::already_exists("projects", "team-a"));
        assert_eq!(
            error.for_field("metadata.name").as_deref(),
            Some("projects \"team-a\" already exists")
        );
    }

    #[test]
    fn round_trips_through_the_wire_format() {
        let error = ConsoleError::Engine(Error::Conflict("stale".into()));
        let bytes = error.ser();
        assert_eq!(ConsoleError::de(bytes), error);
    }
}
