//! Project members and the people of the installation: who holds which
//! role in a project (role bindings), and creating people with a first
//! password. Each operation checks the caller against the table first.

use super::{Caller, passwords::hash_password};
use crate::{
    Error, Result, Services,
    model::{
        access::{Resource, Role, RoleBinding, Subject, Verb, validate_user_name},
        validate_dns_label,
    },
};

/// The bindings of a project, by subject and role.
pub async fn list(
    services: &Services,
    caller: &Caller,
    namespace: &str,
) -> Result<Vec<RoleBinding>> {
    caller.require(Verb::List, Resource::RoleBindings, namespace)?;
    services.store.get_project(namespace).await?;
    services.store.role_bindings_in(namespace).await
}

/// Gives `subject` the project role `role` (`oc policy add-role-to-user`).
pub async fn add(services: &Services, caller: &Caller, binding: RoleBinding) -> Result<()> {
    caller.require(Verb::Create, Resource::RoleBindings, &binding.namespace)?;
    check(&binding)?;
    services.store.get_project(&binding.namespace).await?;
    services.store.insert_role_binding(&binding).await?;
    tracing::info!(
        project = %binding.namespace,
        subject = binding.subject.name(),
        role = %binding.role,
        by = %caller.user,
        "role granted"
    );
    Ok(())
}

/// Takes a role away (`oc policy remove-role-from-user`); the last admin of
/// a project stays.
pub async fn remove(services: &Services, caller: &Caller, binding: RoleBinding) -> Result<()> {
    caller.require(Verb::Delete, Resource::RoleBindings, &binding.namespace)?;
    if binding.role == Role::Admin {
        let admins = services
            .store
            .role_bindings_in(&binding.namespace)
            .await?
            .into_iter()
            .filter(|b| b.role == Role::Admin)
            .count();
        if admins <= 1 {
            return Err(Error::Conflict(format!(
                "{} is the last admin of project \"{}\"; make someone else admin first",
                binding.subject.name(),
                binding.namespace
            )));
        }
    }
    services.store.delete_role_binding(&binding).await?;
    tracing::info!(
        project = %binding.namespace,
        subject = binding.subject.name(),
        role = %binding.role,
        by = %caller.user,
        "role removed"
    );
    Ok(())
}

/// Creates a person who signs in with `password` (cluster admins only).
pub async fn create_user(
    services: &Services,
    caller: &Caller,
    name: &str,
    password: &str,
) -> Result<()> {
    caller.require(Verb::Create, Resource::Users, "")?;
    validate_user_name(name)?;
    let hash = hash_password(password)?;
    services.store.insert_user(name, &hash).await?;
    tracing::info!(user = name, by = %caller.user, "user created");
    Ok(())
}

/// The subject and role must make sense in a project.
fn check(binding: &RoleBinding) -> Result<()> {
    if !Role::PROJECT.contains(&binding.role) {
        return Err(Error::invalid(
            "role",
            format!(
                "{} is not a project role; choose one of {}",
                binding.role,
                Role::PROJECT.map(Role::name).join(", ")
            ),
        ));
    }
    match &binding.subject {
        Subject::User(name) => match name.strip_prefix("system:serviceaccount:") {
            Some(rest) => {
                let (namespace, account) = rest.split_once(':').ok_or_else(|| {
                    Error::invalid(
                        "user",
                        "a service account is system:serviceaccount:<project>:<name>",
                    )
                })?;
                validate_dns_label("user", namespace)?;
                validate_dns_label("user", account)?;
            }
            None => validate_user_name(name)?,
        },
        Subject::Group(name) => {
            if name.trim().is_empty() || name.contains('/') {
                return Err(Error::invalid("group", "must be a group name"));
            }
        }
    }
    Ok(())
}
