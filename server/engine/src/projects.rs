//! Project operations: validation, who may see and change which project, and
//! the rules around the shared project, on top of the store.

use crate::{
    Error, Result,
    access::Caller,
    clock,
    imagestreams::Write,
    model::{
        NewProject, Project, SHARED_PROJECT,
        access::{Resource, Role, RoleBinding, Subject, Verb},
    },
    resources::PROJECTS,
    store::Store,
};

/// The projects the caller may see, by name.
pub async fn list(store: &Store, caller: &Caller) -> Result<Vec<Project>> {
    let mut projects = store.list_projects().await?;
    projects.retain(|project| caller.can(Verb::Get, Resource::Projects, &project.name));
    Ok(projects)
}

/// The names of the projects the caller may read, or `None` for a cluster
/// admin, who reads every project (also those created later).
pub async fn readable_names(store: &Store, caller: &Caller) -> Result<Option<Vec<String>>> {
    if caller.is_cluster_admin() {
        return Ok(None);
    }
    let projects = list(store, caller).await?;
    Ok(Some(
        projects.into_iter().map(|project| project.name).collect(),
    ))
}

/// One project.
pub async fn get(store: &Store, caller: &Caller, name: &str) -> Result<Project> {
    caller.require(Verb::Get, Resource::Projects, name)?;
    store.get_project(name).await
}

/// Creates a project after checking the request; the caller becomes its
/// admin (as `oc new-project` does).
pub async fn create(store: &Store, caller: &Caller, request: NewProject) -> Result<Project> {
    create_with(store, caller, request, Write::Commit).await
}

/// [`create`], or only its checks (the project it would make).
pub async fn create_with(
    store: &Store,
    caller: &Caller,
    request: NewProject,
    write: Write,
) -> Result<Project> {
    caller.require(Verb::Create, Resource::ProjectRequests, "")?;
    request.validate().map_err(Error::Invalid)?;
    if write == Write::DryRun {
        return match store.get_project(&request.name).await {
            Ok(_) => Err(Error::already_exists(PROJECTS, &request.name)),
            Err(Error::NotFound { .. }) => Ok(Project {
                name: request.name,
                display_name: request.display_name,
                description: request.description,
                created: clock::now(),
            }),
            Err(other) => Err(other),
        };
    }
    let project = store.insert_project(&request).await?;
    store
        .insert_role_binding(&RoleBinding {
            namespace: project.name.clone(),
            subject: Subject::User(caller.user.clone()),
            role: Role::Admin,
        })
        .await?;
    tracing::info!(project = %project.name, user = %caller.user, "project created");
    Ok(project)
}

/// Sets a project's display name and description (`oc annotate project`,
/// or its YAML applied), or only checks it for a dry run.
pub async fn update_with(
    store: &Store,
    caller: &Caller,
    change: NewProject,
    write: Write,
) -> Result<Project> {
    caller.require(Verb::Update, Resource::Projects, &change.name)?;
    change.validate_texts().map_err(Error::Invalid)?;
    let current = store.get_project(&change.name).await?;
    if write == Write::DryRun
        || (current.display_name == change.display_name
            && current.description == change.description)
    {
        return Ok(Project {
            display_name: change.display_name,
            description: change.description,
            ..current
        });
    }
    let project = store
        .update_project(&change.name, &change.display_name, &change.description)
        .await?;
    tracing::info!(project = %project.name, user = %caller.user, "project updated");
    Ok(project)
}

/// Deletes a project. The shared project cannot be deleted.
pub async fn delete(store: &Store, caller: &Caller, name: &str) -> Result<()> {
    delete_with(store, caller, name, Write::Commit).await
}

/// [`delete`], or only its checks.
pub async fn delete_with(store: &Store, caller: &Caller, name: &str, write: Write) -> Result<()> {
    caller.require(Verb::Delete, Resource::Projects, name)?;
    if name == SHARED_PROJECT {
        return Err(Error::Forbidden(format!(
            "the project \"{SHARED_PROJECT}\" holds the shared images and cannot be deleted"
        )));
    }
    if write == Write::DryRun {
        return store.get_project(name).await.map(|_| ());
    }
    // Its streams go first, each deletion in the change log, so watches and
    // open pages hear of them (the database would drop them silently with
    // the project).
    let streams = store.image_streams(name).await?;
    if !streams.is_empty() {
        let mut tx = store.write().await?;
        for stream in &streams {
            tx.delete_image_stream(stream).await?;
        }
        tx.commit().await?;
    }
    store.delete_project(name).await?;
    store.delete_role_bindings_in(name).await?;
    for account in store.service_accounts_in(name).await? {
        store.delete_service_account(name, &account).await?;
    }
    tracing::info!(project = %name, user = %caller.user, "project deleted");
    Ok(())
}
