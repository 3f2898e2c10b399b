//! The first start: the first cluster admin (from the operator's password
//! file, or a generated password written for them), and the first API token
//! for automation.

use super::{
    passwords::hash_password,
    secrets::{random_secret, sha256_hex},
    tokens::MIN_TOKEN_LENGTH,
};
use crate::{
    Error, Result, clock,
    model::access::{Role, RoleBinding, Subject},
    store::{Store, TokenRow},
};

/// What [`ensure_first_admin`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstAdmin {
    /// Somebody can already sign in; nothing was changed.
    AlreadyThere,
    /// The admin was created with the given password.
    Created,
    /// The admin was created with this generated password (to be handed to
    /// the operator once).
    CreatedWithGeneratedPassword(String),
}

/// Creates the first user as `cluster-admin` if nobody can sign in yet.
pub async fn ensure_first_admin(
    store: &Store,
    name: &str,
    password: Option<&str>,
) -> Result<FirstAdmin> {
    crate::model::access::validate_user_name(name)?;
    if store.count_users().await? > 0 {
        return Ok(FirstAdmin::AlreadyThere);
    }
    let generated = match password {
        Some(_) => None,
        None => Some(random_secret()?[..24].to_owned()),
    };
    let password = password.or(generated.as_deref()).unwrap_or_default();
    let hash = hash_password(password)?;
    match store.insert_user(name, &hash).await {
        // Another replica created the first admin at the same moment.
        Err(Error::AlreadyExists { .. }) => return Ok(FirstAdmin::AlreadyThere),
        other => other?,
    }
    store
        .insert_role_binding(&RoleBinding {
            namespace: String::new(),
            subject: Subject::User(name.to_owned()),
            role: Role::ClusterAdmin,
        })
        .await?;
    tracing::info!(user = name, "created the first cluster admin");
    Ok(match generated {
        Some(password) => FirstAdmin::CreatedWithGeneratedPassword(password),
        None => FirstAdmin::Created,
    })
}

/// Makes `token` (given by the operator) act as `user`, unless it already does.
pub async fn ensure_api_token(store: &Store, user: &str, token: &str) -> Result<()> {
    if token.len() < MIN_TOKEN_LENGTH {
        return Err(Error::invalid(
            "api token",
            format!("must be at least {MIN_TOKEN_LENGTH} characters long"),
        ));
    }
    let hash = sha256_hex(token);
    if store.api_token(&hash).await?.is_some() {
        return Ok(());
    }
    store
        .insert_api_token(
            &hash,
            &TokenRow {
                id: format!("bootstrap-{}", &hash[..12]),
                user: user.to_owned(),
                description: "first API token (given at start-up)".into(),
                created_ms: clock::now_millis(),
                expires_ms: None,
                revoked_ms: None,
            },
        )
        .await
        .or_else(|error| match error {
            // Another replica stored it at the same moment.
            Error::AlreadyExists { .. } => Ok(()),
            other => Err(other),
        })
}
