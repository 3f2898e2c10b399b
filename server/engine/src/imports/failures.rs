//! A registry error as the import result OpenShift gives: a `Status` with a
//! reason, a code and the message users know.

use crate::{model::ImportOutcome, registry::RegistryError};

/// `reference` is the pull spec as the user wrote it; `registry` the host.
pub fn outcome_of(error: &RegistryError, reference: &str, registry: &str) -> ImportOutcome {
    let mut outcome = describe(error, reference, registry);
    outcome.retry_after_seconds = error.retry_after().map(|after| after.as_secs());
    outcome
}

fn describe(error: &RegistryError, reference: &str, registry: &str) -> ImportOutcome {
    match error {
        RegistryError::NotFound => ImportOutcome::failure(
            "NotFound",
            format!("dockerimage.image.openshift.io \"{reference}\" not found"),
            404,
        ),
        RegistryError::Unauthorized {
            with_credentials: true,
        } => ImportOutcome::failure(
            "Unauthorized",
            format!("incorrect username or password for image \"{reference}\""),
            401,
        ),
        RegistryError::Unauthorized { .. } | RegistryError::Forbidden => ImportOutcome::failure(
            "Unauthorized",
            format!("you may not have access to the container image \"{reference}\""),
            401,
        ),
        RegistryError::HttpOnly => ImportOutcome::failure(
            "InternalError",
            format!(
                "Internal error occurred: the repository {registry} is HTTP only and requires the insecure flag to import"
            ),
            500,
        ),
        RegistryError::NotV2 => ImportOutcome::failure(
            "InternalError",
            format!(
                "Internal error occurred: registry \"{registry}\" does not support the v2 Registry API"
            ),
            500,
        ),
        RegistryError::RateLimited { retry_after } => ImportOutcome::failure(
            "TooManyRequests",
            match retry_after {
                Some(after) => format!(
                    "the registry {registry} is limiting requests; try again in {} seconds",
                    after.as_secs()
                ),
                None => format!("the registry {registry} is limiting requests; try again later"),
            },
            429,
        ),
        RegistryError::Unavailable { retry_after } => ImportOutcome::failure(
            "ServiceUnavailable",
            match retry_after {
                Some(after) => format!(
                    "the registry {registry} is unavailable; try again in {} seconds",
                    after.as_secs()
                ),
                None => format!("the registry {registry} is unavailable; try again later"),
            },
            503,
        ),
        other => ImportOutcome::failure(
            "InternalError",
            format!("Internal error occurred: {reference}: {other}"),
            500,
        ),
    }
}
