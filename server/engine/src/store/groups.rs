//! Rows of group membership: which people are in which group.

use sqlx::Row;

use super::{Store, map_error};
use crate::{Error, Result};

impl Store {
    /// The groups `user` is a member of, by name.
    pub async fn groups_of_user(&self, user: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT group_name FROM group_members WHERE user_name = $1 ORDER BY group_name",
        )
        .bind(user)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| row.try_get("group_name"))
            .collect::<std::result::Result<_, _>>()
            .map_err(map_error)
    }

    /// Every `(group, member)`, by group then member.
    pub async fn group_members(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT group_name, user_name FROM group_members ORDER BY group_name, user_name",
        )
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| Ok((row.try_get("group_name")?, row.try_get("user_name")?)))
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(map_error)
    }

    /// Puts `user` in `group` (again is fine).
    pub async fn add_group_member(&self, group: &str, user: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO group_members (group_name, user_name) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(group)
        .bind(user)
        .execute(self.pool())
        .await
        .map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    /// Makes `user`'s memberships from the identity provider those of
    /// `groups`, in one transaction: they join each group they are not in
    /// yet, and leave each group an earlier sign-in's claim put them in that
    /// `groups` no longer names. Memberships given by cluster admins stay.
    pub async fn sync_provider_groups(&self, user: &str, groups: &[String]) -> Result<()> {
        let mut tx = self.pool().begin().await.map_err(map_error)?;
        let rows =
            sqlx::query("SELECT group_name FROM provider_group_members WHERE user_name = $1")
                .bind(user)
                .fetch_all(&mut *tx)
                .await
                .map_err(map_error)?;
        let before: Vec<String> = rows
            .iter()
            .map(|row| row.try_get("group_name"))
            .collect::<std::result::Result<_, _>>()
            .map_err(map_error)?;
        for gone in before.iter().filter(|group| !groups.contains(group)) {
            for statement in [
                "DELETE FROM group_members WHERE group_name = $1 AND user_name = $2",
                "DELETE FROM provider_group_members WHERE group_name = $1 AND user_name = $2",
            ] {
                sqlx::query(statement)
                    .bind(gone)
                    .bind(user)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_error)?;
            }
        }
        for group in groups {
            let joined = sqlx::query(
                "INSERT INTO group_members (group_name, user_name) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(group)
            .bind(user)
            .execute(&mut *tx)
            .await
            .map_err(map_error)?
            .rows_affected()
                == 1;
            // A membership a cluster admin gave stays theirs.
            if joined {
                sqlx::query(
                    "INSERT INTO provider_group_members (group_name, user_name) VALUES ($1, $2) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(group)
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(map_error)?;
            }
        }
        tx.commit().await.map_err(map_error)?;
        self.access_changed();
        Ok(())
    }

    /// Takes `user` out of `group`; `NotFound` if they were not in it.
    pub async fn remove_group_member(&self, group: &str, user: &str) -> Result<()> {
        let done =
            sqlx::query("DELETE FROM group_members WHERE group_name = $1 AND user_name = $2")
                .bind(group)
                .bind(user)
                .execute(self.pool())
                .await
                .map_err(map_error)?;
        self.access_changed();
        if done.rows_affected() == 0 {
            return Err(Error::not_found(
                "groups.user.openshift.io",
                format!("{group}/{user}"),
            ));
        }
        Ok(())
    }
}
