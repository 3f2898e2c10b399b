//! Server functions for projects.

use engine::model::{NewProject, Project};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// Every project, by name.
#[server(prefix = "/api/console", endpoint = "list_projects")]
pub async fn list_projects() -> Result<Vec<Project>, ConsoleError> {
    super::respond(engine::projects::list(&super::services()?.store).await)
}

/// Creates a project (`oc new-project`).
#[server(prefix = "/api/console", endpoint = "create_project", input = Json)]
pub async fn create_project(request: NewProject) -> Result<Project, ConsoleError> {
    super::respond(engine::projects::create(&super::services()?.store, request).await)
}

/// Deletes a project and everything in it.
#[server(prefix = "/api/console", endpoint = "delete_project", input = Json)]
pub async fn delete_project(name: String) -> Result<(), ConsoleError> {
    super::respond(engine::projects::delete(&super::services()?.store, &name).await)
}
