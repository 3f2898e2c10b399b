//! Server functions for projects.

use engine::model::{NewProject, Project};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// Every project, by name.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "list_projects")]
pub async fn list_projects() -> Result<Vec<Project>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::projects::list(&services.store, &caller).await)
}

/// Creates a project (`oc new-project`).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "create_project", input = Json)]
pub async fn create_project(request: NewProject) -> Result<Project, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::projects::create(&services.store, &caller, request).await)
}

/// Deletes a project and everything in it.
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "delete_project", input = Json)]
pub async fn delete_project(name: String) -> Result<(), ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::projects::delete(&services.store, &caller, &name).await)
}
