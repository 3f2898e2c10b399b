//! What can go wrong talking to a registry, in terms the importer turns into
//! OpenShift's messages.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("not found")]
    NotFound,
    /// 401 after every way of authenticating was tried.
    #[error("unauthorized")]
    Unauthorized { with_credentials: bool },
    #[error("forbidden")]
    Forbidden,
    /// The registry answers plain HTTP only and insecure was not allowed.
    #[error("the registry is HTTP only")]
    HttpOnly,
    /// Something answers, but not the v2 API.
    #[error("not a v2 registry")]
    NotV2,
    #[error("content integrity error: {0}")]
    Integrity(String),
    #[error("too many requests")]
    RateLimited { retry_after: Option<Duration> },
    /// 503: down for now, perhaps saying for how long.
    #[error("the registry is unavailable")]
    Unavailable { retry_after: Option<Duration> },
    #[error("the registry answered {status}: {message}")]
    Server { status: u16, message: String },
    /// Connection, TLS or timeout problems.
    #[error("{0}")]
    Transport(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("the {what} is larger than the {limit} bytes allowed")]
    TooLarge { what: &'static str, limit: usize },
    #[error("{0}")]
    Malformed(String),
}

impl RegistryError {
    /// How long the registry asked us to wait (`Retry-After` on 429 or 503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            RegistryError::RateLimited { retry_after }
            | RegistryError::Unavailable { retry_after } => *retry_after,
            _ => None,
        }
    }
}
