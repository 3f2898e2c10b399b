//! Image stream rows: one JSON document per stream, with the columns lists
//! and locks need.

use sqlx::{Row, any::AnyRow};

use super::{ChangeEvent, Store, WriteTx, errors::is_unique_violation, map_error};
use crate::{
    Error, Result, clock, field_management,
    model::{ImageStream, Time},
    resources::IMAGE_STREAMS,
};

pub(super) fn from_row(row: &AnyRow) -> Result<ImageStream> {
    let document: String = row.try_get("document").map_err(map_error)?;
    let resource_version: i64 = row.try_get("resource_version").map_err(map_error)?;
    let mut stream: ImageStream = serde_json::from_str(&document).map_err(|error| {
        Error::Internal(format!("a stored image stream does not decode: {error}"))
    })?;
    stream.metadata.resource_version = resource_version.to_string();
    Ok(stream)
}

fn to_document(stream: &ImageStream) -> Result<String> {
    serde_json::to_string(stream)
        .map_err(|error| Error::Internal(format!("an image stream does not encode: {error}")))
}

impl Store {
    /// One stream, if it exists.
    pub async fn image_stream(&self, namespace: &str, name: &str) -> Result<Option<ImageStream>> {
        let row = sqlx::query("SELECT resource_version, document FROM image_streams WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .fetch_optional(self.pool())
            .await
            .map_err(map_error)?;
        row.as_ref().map(from_row).transpose()
    }

    /// The streams of a project, by name.
    pub async fn image_streams(&self, namespace: &str) -> Result<Vec<ImageStream>> {
        let rows = sqlx::query("SELECT resource_version, document FROM image_streams WHERE namespace = $1 ORDER BY name")
            .bind(namespace)
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter().map(from_row).collect()
    }

    /// Every stream of every project, by project and name.
    pub async fn all_image_streams(&self) -> Result<Vec<ImageStream>> {
        let rows = sqlx::query(
            "SELECT resource_version, document FROM image_streams ORDER BY namespace, name",
        )
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter().map(from_row).collect()
    }

    /// Up to `limit` streams of a project whose names sort after `after`
    /// (byte order on both databases), by name: one page of a list. None
    /// when the project does not exist, read in the same query.
    pub async fn image_streams_after(
        &self,
        namespace: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<ImageStream>> {
        let collate = self.byte_order();
        let sql = format!(
            "SELECT resource_version, document FROM image_streams \
             WHERE namespace = $1 AND name{collate} > $2 \
             AND EXISTS (SELECT 1 FROM projects WHERE name = $1) \
             ORDER BY name{collate} LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(namespace)
            .bind(after)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter().map(from_row).collect()
    }
}

impl WriteTx {
    /// One stream, locked until the transaction ends.
    pub async fn image_stream(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<ImageStream>> {
        let sql = format!(
            "SELECT resource_version, document FROM image_streams WHERE namespace = $1 AND name = $2{}",
            self.lock_clause()
        );
        let row = sqlx::query(&sql)
            .bind(namespace)
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_error)?;
        row.as_ref().map(from_row).transpose()
    }

    /// The first stream's namespace and name (in their order), if any.
    pub async fn first_image_stream_key(&mut self) -> Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT namespace, name FROM image_streams ORDER BY namespace, name LIMIT 1",
        )
        .fetch_optional(&mut *self.tx)
        .await
        .map_err(map_error)?;
        row.map(|row| {
            Ok((
                row.try_get("namespace").map_err(map_error)?,
                row.try_get("name").map_err(map_error)?,
            ))
        })
        .transpose()
    }

    /// Every stream's `(namespace, name)`, in order.
    pub async fn image_stream_keys(&mut self) -> Result<Vec<(String, String)>> {
        let rows =
            sqlx::query("SELECT namespace, name FROM image_streams ORDER BY namespace, name")
                .fetch_all(&mut *self.tx)
                .await
                .map_err(map_error)?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("namespace").map_err(map_error)?,
                    row.try_get("name").map_err(map_error)?,
                ))
            })
            .collect()
    }

    /// One stream, read without locking it (for streams a change only refers to).
    pub async fn peek_image_stream(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<ImageStream>> {
        let row = sqlx::query("SELECT resource_version, document FROM image_streams WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_error)?;
        row.as_ref().map(from_row).transpose()
    }

    /// Inserts a new stream, giving it its resource version.
    pub async fn insert_image_stream(&mut self, stream: &mut ImageStream) -> Result<()> {
        field_management::attribute(None, stream, &self.field_owner, self.now)?;
        let (namespace, name) = (
            stream.metadata.namespace.clone(),
            stream.metadata.name.clone(),
        );
        stream.metadata.resource_version.clear();
        let version = self
            .record_change(
                IMAGE_STREAMS,
                &namespace,
                &name,
                ChangeEvent::Added,
                &to_document(stream)?,
            )
            .await?;
        stream.metadata.resource_version = version.to_string();
        let created = stream.metadata.creation_timestamp.unwrap_or(self.now);
        sqlx::query(
            "INSERT INTO image_streams (namespace, name, uid, resource_version, created_ms, updated_ms, document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&namespace)
        .bind(&name)
        .bind(&stream.metadata.uid)
        .bind(version)
        .bind(clock::to_millis(created))
        .bind(clock::to_millis(updated_at(stream, created)))
        .bind(to_document(stream)?)
        .execute(&mut *self.tx)
        .await
        .map_err(|error| {
            if is_unique_violation(&error) {
                Error::already_exists(IMAGE_STREAMS, &name)
            } else {
                map_error(error)
            }
        })?;
        self.record_tag_moves(None, Some(stream)).await?;
        self.sync_schedule(stream).await
    }

    /// Replaces a stream read in this transaction, giving it a new resource version.
    pub async fn update_image_stream(&mut self, stream: &mut ImageStream) -> Result<()> {
        let (namespace, name) = (
            stream.metadata.namespace.clone(),
            stream.metadata.name.clone(),
        );
        let before = self.peek_image_stream(&namespace, &name).await?;
        field_management::attribute(before.as_ref(), stream, &self.field_owner, self.now)?;
        stream.metadata.resource_version.clear();
        let version = self
            .record_change(
                IMAGE_STREAMS,
                &namespace,
                &name,
                ChangeEvent::Modified,
                &to_document(stream)?,
            )
            .await?;
        stream.metadata.resource_version = version.to_string();
        let created = stream.metadata.creation_timestamp.unwrap_or(self.now);
        sqlx::query(
            "UPDATE image_streams SET resource_version = $1, updated_ms = $2, document = $3 \
             WHERE namespace = $4 AND name = $5",
        )
        .bind(version)
        .bind(clock::to_millis(updated_at(stream, created)))
        .bind(to_document(stream)?)
        .bind(&namespace)
        .bind(&name)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?;
        self.record_tag_moves(before.as_ref(), Some(stream)).await?;
        self.sync_schedule(stream).await
    }

    /// Deletes a stream read in this transaction.
    pub async fn delete_image_stream(&mut self, stream: &ImageStream) -> Result<()> {
        let (namespace, name) = (&stream.metadata.namespace, &stream.metadata.name);
        self.record_change(
            IMAGE_STREAMS,
            namespace,
            name,
            ChangeEvent::Deleted,
            &to_document(stream)?,
        )
        .await?;
        self.clear_schedule(namespace, name).await?;
        self.record_tag_moves(Some(stream), None).await?;
        sqlx::query("DELETE FROM image_streams WHERE namespace = $1 AND name = $2")
            .bind(namespace)
            .bind(name)
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
        Ok(())
    }
}

/// When the stream last changed for its readers: its newest tag event, else
/// its creation.
fn updated_at(stream: &ImageStream, created: Time) -> Time {
    stream
        .last_updated()
        .map_or(created, |updated| updated.max(created))
}
