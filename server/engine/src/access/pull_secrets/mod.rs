//! Pull secrets: a project's registry logins, from a registry, username and
//! password or from a docker `config.json`; sealed at rest with the server's
//! secrets key, never sent back (pages see registries and usernames only),
//! linked to service accounts, and presented by every import of the project
//! to the registry they match.

mod docker_config;
mod keyring;

pub use docker_config::{RegistryLogin, parse_docker_config};
pub use keyring::{Keyring, Usable};

use serde::{Deserialize, Serialize};

use super::{Caller, no_secrets_key};
use crate::{
    Error, Result, Services, clock,
    model::{
        FieldError,
        access::{Resource, Verb},
        pull_secret::{PullSecretLogin, PullSecretView},
        validate_dns_label,
    },
    registry::Credentials,
    store::PullSecretRow,
};

/// What a new pull secret is made from.
pub enum NewPullSecret {
    /// `oc create secret docker-registry --docker-server … --docker-username … --docker-password …`
    Login {
        registry: String,
        username: String,
        password: String,
    },
    /// `oc create secret generic --from-file=.dockerconfigjson=config.json`
    DockerConfig(String),
}

/// What these secrets are called in messages.
const WHAT: &str = "pull secrets";

/// The sealed form of a secret's logins.
#[derive(Serialize, Deserialize)]
struct SealedLogin {
    registry: String,
    username: String,
    password: String,
}

/// What the seal is bound to: the secret's project and name.
fn context(namespace: &str, name: &str) -> String {
    format!("pull-secret/{namespace}/{name}")
}

/// The project's pull secrets, without their passwords.
pub async fn list(
    services: &Services,
    caller: &Caller,
    namespace: &str,
) -> Result<Vec<PullSecretView>> {
    caller.require(Verb::List, Resource::Secrets, namespace)?;
    services.store.get_project(namespace).await?;
    let links = services.store.pull_secret_links_in(namespace).await?;
    services
        .store
        .pull_secrets_in(namespace)
        .await?
        .into_iter()
        .map(|row| view_of(row, &links))
        .collect()
}

fn view_of(row: PullSecretRow, links: &[(String, String)]) -> Result<PullSecretView> {
    let logins: Vec<PullSecretLogin> = serde_json::from_str(&row.logins)
        .map_err(|e| Error::Internal(format!("pull secret {} is unreadable: {e}", row.name)))?;
    let service_accounts = links
        .iter()
        .filter(|(secret, _)| *secret == row.name)
        .map(|(_, account)| account.clone())
        .collect();
    Ok(PullSecretView {
        namespace: row.namespace,
        name: row.name,
        logins,
        service_accounts,
        created: clock::from_millis(row.created_ms),
        created_by: row.created_by,
    })
}

/// `oc create secret docker-registry`: checks the input, seals the
/// passwords and stores the secret.
pub async fn create(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    name: &str,
    source: NewPullSecret,
) -> Result<PullSecretView> {
    caller.require(Verb::Create, Resource::Secrets, namespace)?;
    let logins = check(name, source)?;
    let key = services
        .secrets_key
        .as_ref()
        .ok_or_else(|| Error::Unavailable(no_secrets_key(WHAT)))?;
    services.store.get_project(namespace).await?;
    let shown: Vec<PullSecretLogin> = logins
        .iter()
        .map(|login| PullSecretLogin {
            registry: login.registry.clone(),
            username: login.username.clone(),
        })
        .collect();
    let sealed: Vec<SealedLogin> = logins
        .into_iter()
        .map(|login| SealedLogin {
            registry: login.registry,
            username: login.username,
            password: login.password,
        })
        .collect();
    let plaintext = serde_json::to_vec(&sealed)
        .map_err(|e| Error::Internal(format!("a pull secret did not serialise: {e}")))?;
    let row = PullSecretRow {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        logins: serde_json::to_string(&shown)
            .map_err(|e| Error::Internal(format!("a pull secret did not serialise: {e}")))?,
        sealed: key.seal(&plaintext, &context(namespace, name))?,
        created_ms: clock::now_millis(),
        created_by: caller.user.clone(),
    };
    services.store.insert_pull_secret(&row).await?;
    tracing::info!(project = namespace, secret = name, by = %caller.user, "pull secret created");
    view_of(row, &[])
}

/// Validates the name and the logins; errors name the field.
fn check(name: &str, source: NewPullSecret) -> Result<Vec<RegistryLogin>> {
    let mut errors = Vec::new();
    if let Err(error) = validate_dns_label("name", name) {
        errors.push(error);
    }
    let logins = match source {
        NewPullSecret::Login {
            registry,
            username,
            password,
        } => {
            let registry = registry.trim().to_owned();
            if registry.is_empty() {
                errors.push(FieldError::new("registry", "Required value"));
            } else if registry.contains(char::is_whitespace) {
                errors.push(FieldError::new(
                    "registry",
                    format!("Invalid value: \"{registry}\": a registry has no spaces (e.g. quay.io or registry.example.com:5000/team)"),
                ));
            }
            if username.trim().is_empty() {
                errors.push(FieldError::new("username", "Required value"));
            }
            if password.is_empty() {
                errors.push(FieldError::new("password", "Required value"));
            }
            vec![RegistryLogin {
                registry,
                username: username.trim().to_owned(),
                password,
            }]
        }
        NewPullSecret::DockerConfig(text) => match parse_docker_config(&text) {
            Ok(logins) => logins,
            Err(error) => {
                errors.push(error);
                Vec::new()
            }
        },
    };
    if errors.is_empty() {
        Ok(logins)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Deletes a pull secret; imports stop presenting it at once.
pub async fn delete(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    name: &str,
) -> Result<()> {
    caller.require(Verb::Delete, Resource::Secrets, namespace)?;
    services.store.delete_pull_secret(namespace, name).await?;
    tracing::info!(project = namespace, secret = name, by = %caller.user, "pull secret deleted");
    Ok(())
}

/// `oc secrets link <account> <secret> --for=pull`.
pub async fn link(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    secret: &str,
    account: &str,
) -> Result<()> {
    caller.require(Verb::Get, Resource::Secrets, namespace)?;
    caller.require(Verb::Update, Resource::ServiceAccounts, namespace)?;
    let store = &services.store;
    if !store
        .pull_secrets_in(namespace)
        .await?
        .iter()
        .any(|row| row.name == secret)
    {
        return Err(Error::not_found("secrets", secret));
    }
    if !store
        .service_accounts_in(namespace)
        .await?
        .iter()
        .any(|name| name == account)
    {
        return Err(Error::not_found("serviceaccounts", account));
    }
    store.link_pull_secret(namespace, secret, account).await?;
    tracing::info!(project = namespace, secret, account, by = %caller.user, "pull secret linked");
    Ok(())
}

/// `oc secrets unlink <account> <secret>`.
pub async fn unlink(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    secret: &str,
    account: &str,
) -> Result<()> {
    caller.require(Verb::Update, Resource::ServiceAccounts, namespace)?;
    services
        .store
        .unlink_pull_secret(namespace, secret, account)
        .await?;
    tracing::info!(project = namespace, secret, account, by = %caller.user, "pull secret unlinked");
    Ok(())
}

/// Every login of the project's pull secrets, opened with the server's
/// key, for its imports (which run as the system, so no caller here).
pub async fn keyring(services: &Services, namespace: &str) -> Result<Keyring> {
    let mut keyring = Keyring::default();
    for row in services.store.pull_secrets_in(namespace).await? {
        let opened = match &services.secrets_key {
            None => Err(no_secrets_key(WHAT)),
            Some(key) => key
                .open(&row.sealed, &context(namespace, &row.name))
                .and_then(|bytes| {
                    serde_json::from_slice::<Vec<SealedLogin>>(&bytes).map_err(|e| e.to_string())
                }),
        };
        match opened {
            Ok(logins) => {
                for login in logins {
                    keyring.add(
                        &row.name,
                        &login.registry,
                        Usable::Login(Credentials {
                            username: login.username,
                            password: login.password,
                        }),
                    );
                }
            }
            Err(problem) => {
                tracing::warn!(project = namespace, secret = %row.name, %problem, "pull secret cannot be opened");
                let shown: Vec<PullSecretLogin> =
                    serde_json::from_str(&row.logins).unwrap_or_default();
                for login in shown {
                    keyring.add(
                        &row.name,
                        &login.registry,
                        Usable::Unreadable(format!(
                            "the pull secret \"{}\" cannot be opened: {problem}",
                            row.name
                        )),
                    );
                }
            }
        }
    }
    Ok(keyring)
}
