//! Server functions for a project's pull secrets: list (registries and
//! usernames only), create from a login or a docker `config.json`, delete,
//! and link to or unlink from service accounts.

use engine::model::pull_secret::PullSecretView;
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// The project's pull secrets, never with their passwords.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_pull_secrets")]
pub async fn list_pull_secrets(namespace: String) -> Result<Vec<PullSecretView>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::access::pull_secrets::list(&services, &caller, &namespace).await)
}

/// `oc create secret docker-registry NAME --docker-server … --docker-username
/// … --docker-password …`, or with `config_json` set, a secret made from a
/// docker `config.json`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "create_pull_secret", input = Json)]
pub async fn create_pull_secret(
    namespace: String,
    name: String,
    registry: String,
    username: String,
    password: String,
    config_json: String,
) -> Result<String, ConsoleError> {
    use engine::access::pull_secrets::NewPullSecret;
    let (services, caller) = super::caller().await?;
    let name = name.trim().to_owned();
    let source = if config_json.trim().is_empty() {
        NewPullSecret::Login {
            registry,
            username,
            password,
        }
    } else {
        NewPullSecret::DockerConfig(config_json)
    };
    super::respond(
        engine::access::pull_secrets::create(&services, &caller, &namespace, &name, source).await,
    )?;
    Ok(format!("secret/{name} created"))
}

/// `oc delete secret NAME`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_pull_secret", input = Json)]
pub async fn delete_pull_secret(namespace: String, name: String) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::pull_secrets::delete(&services, &caller, &namespace, &name).await,
    )?;
    Ok(format!("secret/{name} deleted"))
}

/// `oc secrets link ACCOUNT SECRET --for=pull`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "link_pull_secret", input = Json)]
pub async fn link_pull_secret(
    namespace: String,
    secret: String,
    account: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::pull_secrets::link(&services, &caller, &namespace, &secret, &account).await,
    )?;
    Ok(format!(
        "secret/{secret} linked to serviceaccount/{account}"
    ))
}

/// `oc secrets unlink ACCOUNT SECRET`.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "unlink_pull_secret", input = Json)]
pub async fn unlink_pull_secret(
    namespace: String,
    secret: String,
    account: String,
) -> Result<String, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(
        engine::access::pull_secrets::unlink(&services, &caller, &namespace, &secret, &account)
            .await,
    )?;
    Ok(format!(
        "secret/{secret} unlinked from serviceaccount/{account}"
    ))
}
