//! Server functions about people: who is signed in, project members and
//! their roles, new users.

use engine::model::access::{GroupView, Profile, RoleBinding, ServiceAccountView, SignedIn};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// The person this page is for, or `None` when nobody (or an ended
/// session) is signed in: the console then shows the sign-in form.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedIn>, ConsoleError> {
    let services = super::services()?;
    match super::authenticate(&services).await {
        Ok(caller) => Ok(Some(SignedIn {
            cluster_admin: caller.is_cluster_admin(),
            csrf_token: caller.csrf_token.clone().unwrap_or_default(),
            user: caller.user,
        })),
        Err(engine::Error::Unauthenticated(_)) => Ok(None),
        Err(other) => super::respond(Err(other)),
    }
}

/// The name of the identity provider people may sign in through, or `None`
/// when only passwords are accepted. Anyone may ask: the sign-in page
/// shows it.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "sign_in_provider")]
pub async fn sign_in_provider() -> Result<Option<String>, ConsoleError> {
    let services = super::services()?;
    Ok(services
        .oidc
        .as_ref()
        .map(|provider| provider.display_name().to_owned()))
}

/// A project's members: who holds which role.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_members")]
pub async fn list_members(namespace: String) -> Result<Vec<RoleBinding>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::members::list(&services, &caller, &namespace).await)
}

/// `oc policy add-role-to-user ROLE NAME -n PROJECT` (or `-to-group`).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "add_member", input = Json)]
pub async fn add_member(
    namespace: String,
    kind: String,
    name: String,
    role: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let binding = super::respond(binding(namespace, &kind, name, &role))?;
    let done = format!(
        "role \"{}\" added: \"{}\"",
        binding.role,
        binding.subject.name()
    );
    super::respond(engine::access::members::add(&services, &caller, binding).await)?;
    Ok(done)
}

/// `oc policy remove-role-from-user ROLE NAME -n PROJECT`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "remove_member", input = Json)]
pub async fn remove_member(
    namespace: String,
    kind: String,
    name: String,
    role: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let binding = super::respond(binding(namespace, &kind, name, &role))?;
    let done = format!(
        "role \"{}\" removed: \"{}\"",
        binding.role,
        binding.subject.name()
    );
    super::respond(engine::access::members::remove(&services, &caller, binding).await)?;
    Ok(done)
}

/// Creates a person with a first password (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "create_user", input = Json)]
pub async fn create_user(name: String, password: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let name = name.trim().to_owned();
    super::respond(
        engine::access::members::create_user(&services, &caller, &name, &password).await,
    )?;
    Ok(format!("user \"{name}\" created"))
}

/// Everyone who can sign in (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<engine::model::access::UserView>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::users::list(&services, &caller).await)
}

/// Sets someone's password and signs them out everywhere (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "set_user_password", input = Json)]
pub async fn set_user_password(name: String, password: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::users::set_password(&services, &caller, &name, &password).await,
    )?;
    Ok(format!(
        "new password set for \"{name}\"; their sessions have ended"
    ))
}

/// Removes someone with their sessions, tokens, roles and group
/// memberships (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_user", input = Json)]
pub async fn delete_user(name: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::users::delete(&services, &caller, &name).await)?;
    Ok(format!("user \"{name}\" removed"))
}

/// The signed-in person changes their own password.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "change_password", input = Json)]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::users::change_own_password(
            &services,
            &caller,
            &current_password,
            &new_password,
        )
        .await,
    )?;
    Ok("your password was changed".to_owned())
}

/// Every group with its members (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_groups")]
pub async fn list_groups() -> Result<Vec<GroupView>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::groups::list(&services, &caller).await)
}

/// `oc adm groups add-users GROUP USER`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "add_group_member", input = Json)]
pub async fn add_group_member(group: String, user: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let (group, user) = (group.trim().to_owned(), user.trim().to_owned());
    super::respond(engine::access::groups::add_member(&services, &caller, &group, &user).await)?;
    Ok(format!("\"{user}\" added to group \"{group}\""))
}

/// `oc adm groups remove-users GROUP USER`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "remove_group_member", input = Json)]
pub async fn remove_group_member(group: String, user: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::groups::remove_member(&services, &caller, &group, &user).await)?;
    Ok(format!("\"{user}\" removed from group \"{group}\""))
}

#[cfg(feature = "ssr")]
fn binding(namespace: String, kind: &str, name: String, role: &str) -> engine::Result<RoleBinding> {
    use engine::model::access::{Role, Subject};
    let name = name.trim().to_owned();
    let subject = match kind {
        "Group" => Subject::Group(name),
        _ => Subject::User(name),
    };
    let role = Role::parse(role).ok_or_else(|| {
        engine::Error::invalid("role", format!("there is no role called \"{role}\""))
    })?;
    Ok(RoleBinding {
        namespace,
        subject,
        role,
    })
}

/// A project's service accounts and their tokens (never the tokens' values).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_service_accounts")]
pub async fn list_service_accounts(
    namespace: String,
) -> Result<Vec<ServiceAccountView>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::service_accounts::list(&services, &caller, &namespace).await)
}

/// `oc create serviceaccount NAME -n PROJECT`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "create_service_account", input = Json)]
pub async fn create_service_account(
    namespace: String,
    name: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let name = name.trim().to_owned();
    super::respond(
        engine::access::service_accounts::create(&services, &caller, &namespace, &name).await,
    )?;
    Ok(format!("serviceaccount/{name} created"))
}

/// `oc delete serviceaccount NAME`; its tokens stop working.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_service_account", input = Json)]
pub async fn delete_service_account(
    namespace: String,
    name: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::service_accounts::delete(&services, &caller, &namespace, &name).await,
    )?;
    Ok(format!("serviceaccount/{name} deleted"))
}

/// A token just issued: shown once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuedToken {
    pub account: String,
    pub id: String,
    pub token: String,
}

/// `oc create token NAME [--duration]`: a new API token for the account,
/// expiring after `days` days (empty: until revoked).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "issue_token", input = Json)]
pub async fn issue_token(
    namespace: String,
    name: String,
    description: String,
    days: String,
) -> Result<IssuedToken, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let days = parse_days(&days)?;
    let issued = super::respond(
        engine::access::service_accounts::issue_token(
            &services,
            &caller,
            &namespace,
            &name,
            &description,
            days,
        )
        .await,
    )?;
    Ok(IssuedToken {
        account: name,
        id: issued.id,
        token: issued.token,
    })
}

/// Revokes one token of a service account.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "revoke_token", input = Json)]
pub async fn revoke_token(
    namespace: String,
    name: String,
    id: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::service_accounts::revoke_token(&services, &caller, &namespace, &name, &id)
            .await,
    )?;
    Ok(format!("token {id} revoked"))
}

/// A token's lifetime as typed in a form: a whole number of days, or empty
/// for "until revoked".
#[cfg(feature = "ssr")]
fn parse_days(days: &str) -> Result<Option<u32>, ConsoleError> {
    match days.trim() {
        "" => Ok(None),
        text => super::respond(text.parse::<u32>().map(Some).map_err(|_| {
            engine::Error::invalid("days", "must be a whole number of days, or empty")
        })),
    }
}

/// The signed-in person's profile: groups, roles and their own API tokens.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_profile")]
pub async fn load_profile() -> Result<Profile, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::profile::profile(&services, &caller).await)
}

/// A token the signed-in person just issued for themselves: shown once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IssuedPersonalToken {
    pub user: String,
    pub id: String,
    pub token: String,
}

/// A new API token acting as the signed-in person (for kubectl and
/// scripts), expiring after `days` days (empty: until revoked).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "issue_personal_token", input = Json)]
pub async fn issue_personal_token(
    description: String,
    days: String,
) -> Result<IssuedPersonalToken, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let days = parse_days(&days)?;
    let issued = super::respond(
        engine::access::profile::issue(&services, &caller, &description, days).await,
    )?;
    Ok(IssuedPersonalToken {
        user: caller.user,
        id: issued.id,
        token: issued.token,
    })
}

/// Revokes one of the signed-in person's own tokens.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "revoke_personal_token", input = Json)]
pub async fn revoke_personal_token(id: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::profile::revoke(&services, &caller, &id).await)?;
    Ok(format!("token {id} revoked"))
}
