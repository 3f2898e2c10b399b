//! API tokens for programs: random, shown once, stored as a hash, revocable,
//! with an optional expiry. Presented as `Authorization: Bearer <token>`.

use super::{
    Caller, TokenCache,
    secrets::{random_secret, sha256_hex},
};
use crate::{
    Error, Result, clock,
    model::access::TokenView,
    store::{Store, TokenRow},
};

/// Tokens given from outside (the bootstrap token) must be at least this long.
pub const MIN_TOKEN_LENGTH: usize = 32;

/// A token just made; `token` is shown once and never again.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub id: String,
    pub token: String,
}

/// Makes a token that acts as `user`.
pub async fn create_api_token(
    store: &Store,
    user: &str,
    description: &str,
    expires_ms: Option<i64>,
) -> Result<NewApiToken> {
    let token = format!("isc_{}", random_secret()?);
    let id = random_secret()?[..16].to_owned();
    store
        .insert_api_token(
            &sha256_hex(&token),
            &TokenRow {
                id: id.clone(),
                user: user.to_owned(),
                description: description.to_owned(),
                created_ms: clock::now_millis(),
                expires_ms,
                revoked_ms: None,
            },
        )
        .await?;
    Ok(NewApiToken { id, token })
}

/// The tokens that act as `user`, revoked and expired ones included, as
/// pages list them.
pub(super) async fn tokens_of(store: &Store, user: &str) -> Result<Vec<TokenView>> {
    Ok(store
        .api_tokens_of(user)
        .await?
        .into_iter()
        .map(|row| TokenView {
            id: row.id,
            description: row.description,
            created: clock::from_millis(row.created_ms),
            expires: row.expires_ms.map(clock::from_millis),
            revoked: row.revoked_ms.map(clock::from_millis),
        })
        .collect())
}

/// When a token made now and valid for `days` days expires (`None`: it
/// lasts until revoked).
pub(super) fn expiry_after(days: Option<u32>) -> Result<Option<i64>> {
    match days {
        Some(0) => Err(Error::invalid(
            "days",
            "must be at least 1 (or empty for no expiry)",
        )),
        Some(days) => Ok(Some(
            clock::now_millis() + i64::from(days) * 24 * 3600 * 1000,
        )),
        None => Ok(None),
    }
}

/// Revokes token `id` if it acts as `user`; any other id is not found, so
/// nobody learns of another's tokens.
pub(super) async fn revoke_token_of(store: &Store, user: &str, id: &str) -> Result<()> {
    let owned = store
        .api_tokens_of(user)
        .await?
        .iter()
        .any(|token| token.id == id);
    if !owned {
        return Err(Error::not_found("tokens", id));
    }
    store.revoke_api_token(id).await
}

/// The caller a bearer token stands for (from the cache while it is fresh).
pub(super) async fn authenticate_token(
    store: &Store,
    cache: &TokenCache,
    token: &str,
    now_ms: i64,
) -> Result<Caller> {
    let hash = sha256_hex(token);
    let epoch = store.access_epoch();
    if let Some(caller) = cache.get(&hash, epoch, now_ms) {
        return Ok(caller);
    }
    let Some(row) = store.api_token(&hash).await? else {
        return Err(Error::Unauthenticated(
            "the bearer token is not valid".into(),
        ));
    };
    if row.revoked_ms.is_some() {
        return Err(Error::Unauthenticated(
            "the bearer token was revoked".into(),
        ));
    }
    if row.expires_ms.is_some_and(|expires| now_ms >= expires) {
        return Err(Error::Unauthenticated(
            "the bearer token has expired".into(),
        ));
    }
    let caller = Caller::load(store, row.user, true, None).await?;
    cache.put(hash, caller.clone(), row.expires_ms, epoch);
    Ok(caller)
}
