//! The database's part of the global search: the streams whose stored form
//! contains every word of the query (case-insensitive), so only those are
//! decoded and looked at closely.

use super::{Store, image_streams::from_row, map_error};
use crate::{Result, model::ImageStream};

impl Store {
    /// Up to `limit` streams in `namespaces` whose document contains each
    /// of `words` (lower case), by project and name.
    pub async fn image_streams_containing(
        &self,
        namespaces: &[String],
        words: &[String],
        limit: usize,
    ) -> Result<Vec<ImageStream>> {
        let mut conditions = Vec::new();
        let mut next = 1;
        for _ in words {
            conditions.push(format!("LOWER(document) LIKE ${next} ESCAPE '\\'"));
            next += 1;
        }
        if !namespaces.is_empty() {
            conditions.push(super::namespace_in(next, namespaces.len()));
            next += namespaces.len();
        }
        let filter = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!(
            "SELECT resource_version, document FROM image_streams{filter} \
             ORDER BY namespace, name LIMIT ${next}"
        );
        let mut query = sqlx::query(&sql);
        for word in words {
            query = query.bind(format!("%{}%", escape_like(word)));
        }
        for namespace in namespaces {
            query = query.bind(namespace);
        }
        let rows = query
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter().map(from_row).collect()
    }
}

/// `word` with `LIKE`'s wildcards taken literally.
fn escape_like(word: &str) -> String {
    let mut escaped = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
