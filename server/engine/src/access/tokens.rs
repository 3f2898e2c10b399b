//! API tokens for programs: random, shown once, stored as a hash, revocable,
//! with an optional expiry. Presented as `Authorization: Bearer <token>`.

use super::{
    Caller,
    secrets::{random_secret, sha256_hex},
};
use crate::{
    Error, Result, clock,
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

/// The caller a bearer token stands for.
pub(super) async fn authenticate_token(store: &Store, token: &str, now_ms: i64) -> Result<Caller> {
    let Some(row) = store.api_token(&sha256_hex(token)).await? else {
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
    Caller::load(store, row.user, true, None).await
}
