//! Image rows: cluster-wide and immutable, so written once.

use sqlx::Row;

use super::{ChangeEvent, Store, WriteTx, map_error};
use crate::{Error, Result, clock, model::Image, resources::IMAGES};

fn decode(document: &str, resource_version: i64) -> Result<Image> {
    let mut image: Image = serde_json::from_str(document)
        .map_err(|error| Error::Internal(format!("a stored image does not decode: {error}")))?;
    image.metadata.resource_version = resource_version.to_string();
    Ok(image)
}

impl Store {
    /// One image by digest, if it exists.
    pub async fn image(&self, digest: &str) -> Result<Option<Image>> {
        let row = sqlx::query("SELECT resource_version, document FROM images WHERE name = $1")
            .bind(digest)
            .fetch_optional(self.pool())
            .await
            .map_err(map_error)?;
        match row {
            Some(row) => {
                let document: String = row.try_get("document").map_err(map_error)?;
                let version: i64 = row.try_get("resource_version").map_err(map_error)?;
                decode(&document, version).map(Some)
            }
            None => Ok(None),
        }
    }
}

impl Store {
    /// Up to `limit` images whose digests sort after `after`, by digest.
    pub async fn images_after(&self, after: &str, limit: usize) -> Result<Vec<Image>> {
        let collate = self.byte_order();
        let sql = format!(
            "SELECT resource_version, document FROM images WHERE name{collate} > $1 \
             ORDER BY name{collate} LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(after)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter()
            .map(|row| {
                let document: String = row.try_get("document").map_err(map_error)?;
                let version: i64 = row.try_get("resource_version").map_err(map_error)?;
                decode(&document, version)
            })
            .collect()
    }
}

impl WriteTx {
    /// Stores `image` unless an image with its digest exists (images never
    /// change). Returns whether it was new; `image` gets the stored metadata.
    pub async fn insert_image_if_absent(&mut self, image: &mut Image) -> Result<bool> {
        let digest = image.metadata.name.clone();
        let existing = sqlx::query("SELECT resource_version, document FROM images WHERE name = $1")
            .bind(&digest)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_error)?;
        if let Some(row) = existing {
            let document: String = row.try_get("document").map_err(map_error)?;
            let version: i64 = row.try_get("resource_version").map_err(map_error)?;
            *image = decode(&document, version)?;
            return Ok(false);
        }
        let document = serde_json::to_string(&*image)
            .map_err(|error| Error::Internal(format!("an image does not encode: {error}")))?;
        // Another writer may store the same image at the same moment; the
        // first one wins and this one reads what it stored.
        let inserted = sqlx::query(
            "INSERT INTO images (name, resource_version, created_ms, document) VALUES ($1, 0, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&digest)
        .bind(clock::to_millis(self.now))
        .bind(&document)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?
        .rows_affected();
        if inserted == 0 {
            let row = sqlx::query("SELECT resource_version, document FROM images WHERE name = $1")
                .bind(&digest)
                .fetch_one(&mut *self.tx)
                .await
                .map_err(map_error)?;
            let document: String = row.try_get("document").map_err(map_error)?;
            let version: i64 = row.try_get("resource_version").map_err(map_error)?;
            *image = decode(&document, version)?;
            return Ok(false);
        }
        let version = self
            .record_change(IMAGES, "", &digest, ChangeEvent::Added, &document)
            .await?;
        sqlx::query("UPDATE images SET resource_version = $1 WHERE name = $2")
            .bind(version)
            .bind(&digest)
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
        image.metadata.resource_version = version.to_string();
        Ok(true)
    }
}
