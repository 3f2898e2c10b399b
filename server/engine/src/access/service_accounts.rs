//! Service accounts: identities for programs, one set per project, acting as
//! `system:serviceaccount:<project>:<name>` with API tokens that are shown
//! once, stored as hashes, revocable and optionally expiring. Roles are
//! granted to them like to people (`oc policy add-role-to-user`).

use super::{
    Caller, NewApiToken, create_api_token,
    tokens::{expiry_after, revoke_token_of, tokens_of},
};
use crate::{
    Error, Result, Services,
    model::{
        access::{Resource, ServiceAccountView, Verb, service_account_user},
        validate_dns_label,
    },
};

/// The project's service accounts with their tokens.
pub async fn list(
    services: &Services,
    caller: &Caller,
    namespace: &str,
) -> Result<Vec<ServiceAccountView>> {
    caller.require(Verb::List, Resource::ServiceAccounts, namespace)?;
    let store = &services.store;
    store.get_project(namespace).await?;
    let mut accounts = Vec::new();
    for name in store.service_accounts_in(namespace).await? {
        let tokens = tokens_of(store, &service_account_user(namespace, &name)).await?;
        accounts.push(ServiceAccountView {
            namespace: namespace.to_owned(),
            name,
            tokens,
        });
    }
    Ok(accounts)
}

/// `oc create serviceaccount <name>`.
pub async fn create(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    name: &str,
) -> Result<()> {
    caller.require(Verb::Create, Resource::ServiceAccounts, namespace)?;
    validate_dns_label("name", name)?;
    services.store.get_project(namespace).await?;
    services
        .store
        .insert_service_account(namespace, name)
        .await?;
    tracing::info!(project = namespace, account = name, by = %caller.user, "service account created");
    Ok(())
}

/// Deletes a service account; its tokens stop working at once.
pub async fn delete(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    name: &str,
) -> Result<()> {
    caller.require(Verb::Delete, Resource::ServiceAccounts, namespace)?;
    services
        .store
        .delete_service_account(namespace, name)
        .await?;
    tracing::info!(project = namespace, account = name, by = %caller.user, "service account deleted");
    Ok(())
}

/// A new token for the account, valid for `days` days (or until revoked).
/// The token is in the answer and nowhere else, ever.
pub async fn issue_token(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    name: &str,
    description: &str,
    days: Option<u32>,
) -> Result<NewApiToken> {
    caller.require(Verb::Create, Resource::ServiceAccounts, namespace)?;
    if !services
        .store
        .service_accounts_in(namespace)
        .await?
        .iter()
        .any(|account| account == name)
    {
        return Err(Error::not_found("serviceaccounts", name));
    }
    let expires = expiry_after(days)?;
    let user = service_account_user(namespace, name);
    let token = create_api_token(&services.store, &user, description.trim(), expires).await?;
    tracing::info!(project = namespace, account = name, token = %token.id, by = %caller.user, "token issued");
    Ok(token)
}

/// Revokes one of the account's tokens.
pub async fn revoke_token(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    name: &str,
    token_id: &str,
) -> Result<()> {
    caller.require(Verb::Update, Resource::ServiceAccounts, namespace)?;
    let user = service_account_user(namespace, name);
    revoke_token_of(&services.store, &user, token_id).await?;
    tracing::info!(project = namespace, account = name, token = token_id, by = %caller.user, "token revoked");
    Ok(())
}
