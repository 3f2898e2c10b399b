//! Which of the project's pull secrets an import presents to a registry,
//! and how the result says so: a successful image names the secret, a
//! refused one says whose credentials were refused.

use crate::{
    access::pull_secrets::{Keyring, Usable},
    model::{DockerImageReference, ImportOutcome},
    registry::Credentials,
};

/// The login chosen for one reference: none (anonymous) or a secret's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Login {
    pub secret: Option<String>,
    pub credentials: Option<Credentials>,
}

/// The most specific login of `keyring` for `reference`, or the failure of
/// a matching secret that cannot be opened.
pub(crate) fn login_for(
    keyring: &Keyring,
    reference: &DockerImageReference,
    from: &str,
) -> Result<Login, ImportOutcome> {
    match keyring.find(
        reference.registry_or_default(),
        &reference.repository_path(),
    ) {
        None => Ok(Login::default()),
        Some((secret, Usable::Login(credentials))) => Ok(Login {
            secret: Some(secret.to_owned()),
            credentials: Some(credentials.clone()),
        }),
        Some((_, Usable::Unreadable(problem))) => Err(ImportOutcome::failure(
            "Unauthorized",
            format!("cannot import \"{from}\": {problem}"),
            401,
        )),
    }
}

/// A failure's message, telling which secret's credentials were presented.
pub(crate) fn naming_secret(mut outcome: ImportOutcome, login: &Login) -> ImportOutcome {
    if let Some(secret) = &login.secret {
        outcome.message = format!(
            "{} (presented the credentials of pull secret \"{secret}\")",
            outcome.message
        );
    }
    outcome
}
