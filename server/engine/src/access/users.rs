//! The people of the installation, as a cluster admin manages them: the
//! list with each person's cluster-wide roles and groups, a new password
//! set for someone (their sessions end), and removing someone with every
//! way they had in. And a person changing their own password, which needs
//! the current one.

use super::{
    Caller,
    passwords::{hash_password, password_matches},
};
use crate::{
    Error, Result, Services, clock,
    model::access::{Resource, Role, Subject, UserView, Verb, validate_user_name},
};

/// Everyone who can sign in (cluster admins only).
pub async fn list(services: &Services, caller: &Caller) -> Result<Vec<UserView>> {
    caller.require(Verb::List, Resource::Users, "")?;
    let memberships = services.store.group_members().await?;
    let issuers = services.store.identity_issuers().await?;
    let mut people = Vec::new();
    for (name, created_ms) in services.store.users().await? {
        let bindings = services
            .store
            .role_bindings_of(&[Subject::User(name.clone())])
            .await?;
        people.push(UserView {
            cluster_admin: bindings
                .iter()
                .any(|b| b.namespace.is_empty() && b.role == Role::ClusterAdmin),
            groups: memberships
                .iter()
                .filter(|(_, user)| *user == name)
                .map(|(group, _)| group.clone())
                .collect(),
            projects: bindings.iter().filter(|b| !b.namespace.is_empty()).count(),
            created: clock::from_millis(created_ms),
            identity_provider: issuers
                .iter()
                .find(|(user, _)| *user == name)
                .map(|(_, issuer)| issuer.clone()),
            name,
        });
    }
    Ok(people)
}

/// Sets `name`'s password (cluster admins only) and ends their sessions, so
/// whoever had the old one is signed out everywhere.
pub async fn set_password(
    services: &Services,
    caller: &Caller,
    name: &str,
    password: &str,
) -> Result<()> {
    caller.require(Verb::Update, Resource::Users, "")?;
    validate_user_name(name).map_err(|e| Error::Invalid(vec![e]))?;
    if services.store.password_hash(name).await?.as_deref() == Some("") {
        return Err(Error::Conflict(format!(
            "{name} signs in through the identity provider; a password cannot be set"
        )));
    }
    let hash = hash_password(password)?;
    services.store.set_password_hash(name, &hash).await?;
    let ended = services.store.delete_sessions_of(name).await?;
    tracing::info!(user = name, by = %caller.user, sessions_ended = ended, "password set");
    Ok(())
}

/// Removes `name` (cluster admins only): their sessions, tokens, roles and
/// group memberships go with them. Nobody removes themselves, and the last
/// person who is a cluster admin stays.
pub async fn delete(services: &Services, caller: &Caller, name: &str) -> Result<()> {
    caller.require(Verb::Delete, Resource::Users, "")?;
    if name == caller.user {
        return Err(Error::Conflict(
            "you cannot remove yourself; ask another cluster admin".into(),
        ));
    }
    // The people who hold cluster-admin cluster-wide: two reads, not one
    // per person.
    let people: Vec<String> = services
        .store
        .users()
        .await?
        .into_iter()
        .map(|(person, _)| person)
        .collect();
    let admins: Vec<String> = services
        .store
        .role_bindings_in("")
        .await?
        .into_iter()
        .filter(|binding| binding.role == Role::ClusterAdmin)
        .filter_map(|binding| match binding.subject {
            Subject::User(person) if people.contains(&person) => Some(person),
            _ => None,
        })
        .collect();
    if admins == [name] {
        return Err(Error::Conflict(format!(
            "{name} is the last cluster admin who can sign in; make someone else cluster admin first"
        )));
    }
    services.store.delete_user(name).await?;
    tracing::info!(user = name, by = %caller.user, "user removed");
    Ok(())
}

/// The caller changes their own password; `current` must be right. Only a
/// person signed in with a password (not a program's token) may. Their other
/// sessions end; the one that made the change stays.
pub async fn change_own_password(
    services: &Services,
    caller: &Caller,
    current: &str,
    new: &str,
) -> Result<()> {
    caller.require_may_change()?;
    let hash = services.store.password_hash(&caller.user).await?;
    match hash.as_deref() {
        None => {
            return Err(Error::Forbidden(format!(
                "{} signs in with a token, not a password",
                caller.user
            )));
        }
        Some("") => {
            return Err(Error::Forbidden(format!(
                "{} signs in through the identity provider and has no password here",
                caller.user
            )));
        }
        Some(_) => {}
    }
    if !password_matches(current, hash).await? {
        return Err(Error::invalid(
            "currentPassword",
            "is not your current password",
        ));
    }
    if current == new {
        return Err(Error::invalid(
            "newPassword",
            "must differ from the current password",
        ));
    }
    let hash = hash_password(new).map_err(|error| match error {
        Error::Invalid(mut errors) => {
            for e in &mut errors {
                e.field = "newPassword".into();
            }
            Error::Invalid(errors)
        }
        other => other,
    })?;
    let store = &services.store;
    store.set_password_hash(&caller.user, &hash).await?;
    // Whoever knew the old password is signed out; the session that changed
    // it stays.
    let ended = match &caller.session_id_hash {
        Some(keep) => store.delete_other_sessions_of(&caller.user, keep).await?,
        None => store.delete_sessions_of(&caller.user).await?,
    };
    tracing::info!(user = %caller.user, other_sessions_ended = ended, "password changed by its owner");
    Ok(())
}
