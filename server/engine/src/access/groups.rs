//! Groups of people (`oc adm groups new / add-users / remove-users`): a role
//! bound to a group in a project applies to each member, from their next
//! request on. Cluster admins manage them.

use super::Caller;
use crate::{
    Error, Result, Services,
    model::{
        FieldError,
        access::{GroupView, Resource, Verb, validate_user_name},
    },
};

/// Every group with its members, by name.
pub async fn list(services: &Services, caller: &Caller) -> Result<Vec<GroupView>> {
    caller.require(Verb::List, Resource::Groups, "")?;
    let mut groups: Vec<GroupView> = Vec::new();
    for (group, user) in services.store.group_members().await? {
        match groups.last_mut() {
            Some(last) if last.name == group => last.users.push(user),
            _ => groups.push(GroupView {
                name: group,
                users: vec![user],
            }),
        }
    }
    Ok(groups)
}

/// `oc adm groups add-users <group> <user>`; the group exists while it has
/// members.
pub async fn add_member(
    services: &Services,
    caller: &Caller,
    group: &str,
    user: &str,
) -> Result<()> {
    caller.require(Verb::Update, Resource::Groups, "")?;
    check(group, user)?;
    services.store.add_group_member(group, user).await?;
    tracing::info!(group, user, by = %caller.user, "added to group");
    Ok(())
}

/// `oc adm groups remove-users <group> <user>`.
pub async fn remove_member(
    services: &Services,
    caller: &Caller,
    group: &str,
    user: &str,
) -> Result<()> {
    caller.require(Verb::Update, Resource::Groups, "")?;
    services.store.remove_group_member(group, user).await?;
    tracing::info!(group, user, by = %caller.user, "removed from group");
    Ok(())
}

/// Group and user names follow the same rules (no spaces, no `/`, not
/// `system:`); errors name the field.
fn check(group: &str, user: &str) -> Result<()> {
    let mut errors = Vec::new();
    if let Err(error) = validate_user_name(group) {
        errors.push(FieldError::new("group", error.message));
    }
    if let Err(error) = validate_user_name(user) {
        errors.push(error);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}
