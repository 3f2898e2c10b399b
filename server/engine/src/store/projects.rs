//! Project rows.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, errors::is_unique_violation, map_error};
use crate::{
    Error, Result, clock,
    model::{NewProject, Project},
    resources::PROJECTS,
};

const COLUMNS: &str = "name, display_name, description, created_ms";

fn from_row(row: &AnyRow) -> std::result::Result<Project, sqlx::Error> {
    Ok(Project {
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        description: row.try_get("description")?,
        created: clock::from_millis(row.try_get("created_ms")?),
    })
}

impl Store {
    /// Every project, by name.
    pub async fn list_projects(&self) -> Result<Vec<Project>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM projects ORDER BY name"))
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter()
            .map(from_row)
            .collect::<std::result::Result<_, _>>()
            .map_err(map_error)
    }

    /// One project by name.
    pub async fn get_project(&self, name: &str) -> Result<Project> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM projects WHERE name = $1"))
            .bind(name)
            .fetch_optional(self.pool())
            .await
            .map_err(map_error)?
            .ok_or_else(|| Error::not_found(PROJECTS, name))?;
        from_row(&row).map_err(map_error)
    }

    /// Sets a project's display name and description.
    pub async fn update_project(
        &self,
        name: &str,
        display_name: &str,
        description: &str,
    ) -> Result<Project> {
        let updated =
            sqlx::query("UPDATE projects SET display_name = $1, description = $2 WHERE name = $3")
                .bind(display_name)
                .bind(description)
                .bind(name)
                .execute(self.pool())
                .await
                .map_err(map_error)?;
        if updated.rows_affected() == 0 {
            return Err(Error::not_found(PROJECTS, name));
        }
        self.get_project(name).await
    }

    /// Inserts a project that was already validated.
    pub async fn insert_project(&self, request: &NewProject) -> Result<Project> {
        let project = Project {
            name: request.name.clone(),
            display_name: request.display_name.clone(),
            description: request.description.clone(),
            created: clock::now(),
        };
        sqlx::query(
            "INSERT INTO projects (name, display_name, description, created_ms) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&project.name)
        .bind(&project.display_name)
        .bind(&project.description)
        .bind(clock::to_millis(project.created))
        .execute(self.pool())
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                Error::already_exists(PROJECTS, &project.name)
            } else {
                map_error(error)
            }
        })?;
        Ok(project)
    }

    /// Deletes a project; `NotFound` if there was none.
    pub async fn delete_project(&self, name: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM projects WHERE name = $1")
            .bind(name)
            .execute(self.pool())
            .await
            .map_err(map_error)?;
        if done.rows_affected() == 0 {
            return Err(Error::not_found(PROJECTS, name));
        }
        self.forget_pull_secrets(name).await?;
        self.forget_import_activity(name).await
    }
}
