//! A person's profile: who they are, their groups and roles, and their own
//! API tokens for kubectl and scripts that act as them - listed and revoked
//! by their owner, and issued only from a signed-in browser, so that a token
//! can never extend its own life by making another.

use super::{
    Caller, NewApiToken, create_api_token,
    tokens::{expiry_after, revoke_token_of, tokens_of},
};
use crate::{Error, Result, Services, model::access::Profile};

/// The caller's profile; their tokens include revoked and expired ones.
pub async fn profile(services: &Services, caller: &Caller) -> Result<Profile> {
    let mut roles = caller.bindings().to_vec();
    roles.sort_by(|a, b| (&a.namespace, a.role.name()).cmp(&(&b.namespace, b.role.name())));
    Ok(Profile {
        user: caller.user.clone(),
        groups: caller.groups.clone(),
        roles,
        tokens: tokens_of(&services.store, &caller.user).await?,
        identity_provider: services.store.identity_issuer_of(&caller.user).await?,
    })
}

/// A new token acting as the caller, valid for `days` days (or until
/// revoked). The token is in the answer and nowhere else, ever.
pub async fn issue(
    services: &Services,
    caller: &Caller,
    description: &str,
    days: Option<u32>,
) -> Result<NewApiToken> {
    if caller.csrf_token.is_none() {
        return Err(Error::Forbidden(
            "personal API tokens are issued from a signed-in browser, not with another token"
                .into(),
        ));
    }
    caller.require_may_change()?;
    let expires = expiry_after(days)?;
    let token =
        create_api_token(&services.store, &caller.user, description.trim(), expires).await?;
    tracing::info!(user = %caller.user, token = %token.id, "personal token issued");
    Ok(token)
}

/// Revokes one of the caller's tokens; it stops working at once.
pub async fn revoke(services: &Services, caller: &Caller, token_id: &str) -> Result<()> {
    caller.require_may_change()?;
    revoke_token_of(&services.store, &caller.user, token_id).await?;
    tracing::info!(user = %caller.user, token = token_id, "personal token revoked");
    Ok(())
}
