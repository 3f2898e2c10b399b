//! Who a provider's person is here (OpenShift's `claim` mapping): the first
//! sign-in makes a user named by the username claim, linked to the
//! provider's issuer and subject; later sign-ins find that link, so a
//! renamed account at the provider stays the same person here. A name that
//! is already taken by someone else is refused, never taken over. With a
//! groups claim configured, each sign-in brings the person's memberships
//! from the provider up to date.

use super::Identity;
use crate::{
    Error, Result, Services,
    access::{NewSession, sessions::open_session},
    clock,
    model::access::validate_user_name,
};

/// Opens a session for the person the provider vouched for, making their
/// user at the first sign-in. `client` is the caller's address.
pub async fn sign_in_with_identity(
    services: &Services,
    identity: &Identity,
    client: &str,
) -> Result<NewSession> {
    let store = &services.store;
    let user = match store
        .identity_user(&identity.issuer, &identity.subject)
        .await?
    {
        Some(user) => user,
        None => {
            let name = identity.preferred_name.as_str();
            validate_user_name(name).map_err(|problem| {
                Error::Unauthenticated(format!(
                    "the identity provider's user name {name:?} cannot be used here: it {}",
                    problem.message
                ))
            })?;
            store
                .insert_identity_user(name, &identity.issuer, &identity.subject)
                .await
                .map_err(|error| match error {
                    Error::AlreadyExists { .. } => Error::Unauthenticated(format!(
                        "the user name {name:?} is already taken by someone who does not sign in \
                         through this identity provider; ask a cluster admin"
                    )),
                    other => other,
                })?;
            tracing::info!(user = name, issuer = %identity.issuer, "user made at first sign-in through the identity provider");
            name.to_owned()
        }
    };
    if let Some(groups) = &identity.groups {
        store.sync_provider_groups(&user, groups).await?;
    }
    let session = open_session(services, &user, client, clock::now_millis()).await?;
    tracing::info!(user, client, issuer = %identity.issuer, "signed in through the identity provider");
    Ok(session)
}
