//! Project operations: validation and the rules around the shared project,
//! on top of the store.

use crate::{
    Error, Result,
    model::{NewProject, Project, SHARED_PROJECT},
    store::Store,
};

/// Every project.
pub async fn list(store: &Store) -> Result<Vec<Project>> {
    store.list_projects().await
}

/// One project.
pub async fn get(store: &Store, name: &str) -> Result<Project> {
    store.get_project(name).await
}

/// Creates a project after checking the request.
pub async fn create(store: &Store, request: NewProject) -> Result<Project> {
    request.validate().map_err(Error::Invalid)?;
    let project = store.insert_project(&request).await?;
    tracing::info!(project = %project.name, "project created");
    Ok(project)
}

/// Deletes a project. The shared project cannot be deleted.
pub async fn delete(store: &Store, name: &str) -> Result<()> {
    if name == SHARED_PROJECT {
        return Err(Error::Forbidden(format!(
            "the project \"{SHARED_PROJECT}\" holds the shared images and cannot be deleted"
        )));
    }
    store.delete_project(name).await?;
    tracing::info!(project = %name, "project deleted");
    Ok(())
}
