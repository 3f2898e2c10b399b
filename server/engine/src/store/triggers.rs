//! Trigger owners and their watch index, the tag-change outbox, the
//! timeline of trigger evaluations, and the builds and rollouts triggers
//! started.

use serde_json::Value;
use sqlx::{Row, any::AnyRow};

use super::{Backend, ChangeEvent, Store, WriteTx, map_error};
use crate::{
    Error, Result, clock,
    model::{
        ImageStream,
        triggers::{
            Evaluation, ImageTrigger, Outcome, OwnerKind, Started, TagChange, WatchedTag, tag_moves,
        },
    },
};

/// An owner as stored: its kind, place and document.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOwner {
    pub kind: OwnerKind,
    pub namespace: String,
    pub name: String,
    pub document: Value,
}

/// One outbox row: a tag's resolved pull spec changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagEvent {
    pub id: i64,
    pub tag: WatchedTag,
    pub change: TagChange,
    pub old_image: String,
    pub new_image: String,
    pub old_spec: String,
    pub new_spec: String,
    pub at_ms: i64,
    pub attempts: i64,
}

/// One recorded evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationRow {
    pub at_ms: i64,
    pub kind: OwnerKind,
    pub owner: String,
    pub evaluation: Evaluation,
}

/// A build or rollout a trigger started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub kind: OwnerKind,
    pub owner: String,
    pub number: i64,
    pub name: String,
    pub cause: String,
    pub images: Vec<(String, String)>,
    pub created_ms: i64,
}

fn owner_from_row(row: &AnyRow) -> Result<StoredOwner> {
    let kind: String = row.try_get("kind").map_err(map_error)?;
    let document: String = row.try_get("document").map_err(map_error)?;
    let version: i64 = row.try_get("resource_version").map_err(map_error)?;
    let mut document: Value = serde_json::from_str(&document)
        .map_err(|e| Error::Internal(format!("a stored trigger owner does not decode: {e}")))?;
    document["metadata"]["resourceVersion"] = Value::String(version.to_string());
    Ok(StoredOwner {
        kind: OwnerKind::parse(&kind)
            .ok_or_else(|| Error::Internal(format!("unknown stored owner kind {kind}")))?,
        namespace: row.try_get("namespace").map_err(map_error)?,
        name: row.try_get("name").map_err(map_error)?,
        document,
    })
}

fn tag_event_from_row(row: &AnyRow) -> Result<TagEvent> {
    let change: String = row.try_get("change").map_err(map_error)?;
    Ok(TagEvent {
        id: row.try_get("id").map_err(map_error)?,
        tag: WatchedTag {
            namespace: row.try_get("namespace").map_err(map_error)?,
            stream: row.try_get("stream").map_err(map_error)?,
            tag: row.try_get("tag").map_err(map_error)?,
        },
        change: TagChange::parse(&change)
            .ok_or_else(|| Error::Internal(format!("unknown stored tag change {change}")))?,
        old_image: row.try_get("old_image").map_err(map_error)?,
        new_image: row.try_get("new_image").map_err(map_error)?,
        old_spec: row.try_get("old_spec").map_err(map_error)?,
        new_spec: row.try_get("new_spec").map_err(map_error)?,
        at_ms: row.try_get("at_ms").map_err(map_error)?,
        attempts: row.try_get::<i64, _>("attempts").map_err(map_error)?,
    })
}

const OWNER_COLUMNS: &str = "namespace, kind, name, resource_version, document";
const EVENT_COLUMNS: &str =
    "id, namespace, stream, tag, change, old_image, new_image, old_spec, new_spec, at_ms, attempts";

fn document_text(document: &Value) -> Result<String> {
    let mut stored = document.clone();
    if let Some(meta) = stored.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("resourceVersion");
    }
    serde_json::to_string(&stored)
        .map_err(|e| Error::Internal(format!("a trigger owner does not encode: {e}")))
}

impl Store {
    /// One owner, if it exists.
    pub async fn trigger_owner(
        &self,
        namespace: &str,
        kind: OwnerKind,
        name: &str,
    ) -> Result<Option<StoredOwner>> {
        let sql = format!(
            "SELECT {OWNER_COLUMNS} FROM trigger_owners WHERE namespace = $1 AND kind = $2 AND name = $3"
        );
        let row = sqlx::query(&sql)
            .bind(namespace)
            .bind(kind.as_str())
            .bind(name)
            .fetch_optional(self.pool())
            .await
            .map_err(map_error)?;
        row.as_ref().map(owner_from_row).transpose()
    }

    /// The owners of a project (of one kind, or all), by kind and name.
    pub async fn trigger_owners(
        &self,
        namespace: &str,
        kind: Option<OwnerKind>,
    ) -> Result<Vec<StoredOwner>> {
        let sql = format!(
            "SELECT {OWNER_COLUMNS} FROM trigger_owners WHERE namespace = $1 AND ($2 = '' OR kind = $2) \
             ORDER BY kind, name"
        );
        let rows = sqlx::query(&sql)
            .bind(namespace)
            .bind(kind.map(OwnerKind::as_str).unwrap_or_default())
            .fetch_all(self.pool())
            .await
            .map_err(map_error)?;
        rows.iter().map(owner_from_row).collect()
    }

    /// The owners watching `tag`: `(kind, namespace, name)`.
    pub async fn watchers_of(&self, tag: &WatchedTag) -> Result<Vec<(OwnerKind, String, String)>> {
        watchers(self, tag).await
    }

    /// Who watches the tags of one stream: `(tag, owner namespace, kind, name)`.
    pub async fn stream_watchers(
        &self,
        namespace: &str,
        stream: &str,
    ) -> Result<Vec<(String, String, OwnerKind, String)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT tag, namespace, kind, name FROM trigger_watches \
             WHERE stream_namespace = $1 AND stream = $2 ORDER BY tag, namespace, kind, name",
        )
        .bind(namespace)
        .bind(stream)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                let kind: String = row.get(2);
                Some((row.get(0), row.get(1), OwnerKind::parse(&kind)?, row.get(3)))
            })
            .collect())
    }

    /// The newest evaluations of one owner (or of a whole project when
    /// `owner` is `None`), newest first.
    pub async fn trigger_evaluations(
        &self,
        namespace: &str,
        owner: Option<(OwnerKind, &str)>,
        limit: i64,
    ) -> Result<Vec<EvaluationRow>> {
        let (kind, name) = owner.map_or(("", ""), |(k, n)| (k.as_str(), n));
        let rows = sqlx::query(
            "SELECT kind, name, trigger_index, watched, at_ms, from_spec, to_spec, outcome, detail \
             FROM trigger_evaluations WHERE namespace = $1 AND ($2 = '' OR (kind = $2 AND name = $3)) \
             ORDER BY id DESC LIMIT $4",
        )
        .bind(namespace)
        .bind(kind)
        .bind(name)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind").map_err(map_error)?;
                let outcome: String = row.try_get("outcome").map_err(map_error)?;
                let watched: String = row.try_get("watched").map_err(map_error)?;
                let index: i64 = row.try_get("trigger_index").map_err(map_error)?;
                Ok(EvaluationRow {
                    at_ms: row.try_get("at_ms").map_err(map_error)?,
                    kind: OwnerKind::parse(&kind).unwrap_or(OwnerKind::Pod),
                    owner: row.try_get("name").map_err(map_error)?,
                    evaluation: Evaluation {
                        trigger_index: usize::try_from(index).unwrap_or_default(),
                        watched: parse_watched(&watched),
                        from: row.try_get("from_spec").map_err(map_error)?,
                        to: row.try_get("to_spec").map_err(map_error)?,
                        outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Unresolved),
                        detail: row.try_get("detail").map_err(map_error)?,
                    },
                })
            })
            .collect()
    }

    /// The builds and rollouts triggers started for one owner (or a whole
    /// project), newest first.
    pub async fn trigger_runs(
        &self,
        namespace: &str,
        owner: Option<(OwnerKind, &str)>,
    ) -> Result<Vec<RunRow>> {
        let (kind, name) = owner.map_or(("", ""), |(k, n)| (k.as_str(), n));
        let rows = sqlx::query(
            "SELECT kind, owner, number, name, cause, images, created_ms FROM trigger_runs \
             WHERE namespace = $1 AND ($2 = '' OR (kind = $2 AND owner = $3)) \
             ORDER BY created_ms DESC, number DESC",
        )
        .bind(namespace)
        .bind(kind)
        .bind(name)
        .fetch_all(self.pool())
        .await
        .map_err(map_error)?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind").map_err(map_error)?;
                let images: String = row.try_get("images").map_err(map_error)?;
                Ok(RunRow {
                    kind: OwnerKind::parse(&kind).unwrap_or(OwnerKind::Pod),
                    owner: row.try_get("owner").map_err(map_error)?,
                    number: row.try_get("number").map_err(map_error)?,
                    name: row.try_get("name").map_err(map_error)?,
                    cause: row.try_get("cause").map_err(map_error)?,
                    images: serde_json::from_str(&images).unwrap_or_default(),
                    created_ms: row.try_get("created_ms").map_err(map_error)?,
                })
            })
            .collect()
    }

    /// How many tag changes wait for the trigger engine.
    pub async fn pending_tag_events(&self) -> Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM tag_events")
            .fetch_one(self.pool())
            .await
            .map_err(map_error)
    }

    /// When the next outbox row becomes due, if any waits (milliseconds).
    pub async fn next_tag_event_ms(&self) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT MIN(not_before_ms) FROM tag_events")
            .fetch_one(self.pool())
            .await
            .map_err(map_error)
    }

    /// Puts an outbox row off after a failure: `attempts` grows and it is
    /// not taken again before `not_before_ms`.
    pub async fn postpone_tag_event(&self, id: i64, not_before_ms: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE tag_events SET attempts = attempts + 1, not_before_ms = $1, last_error = $2 WHERE id = $3",
        )
        .bind(not_before_ms)
        .bind(error)
        .bind(id)
        .execute(self.pool())
        .await
        .map(|_| ())
        .map_err(map_error)
    }
}

/// `ns/stream:tag` back into its parts.
fn parse_watched(text: &str) -> WatchedTag {
    let (namespace, rest) = text.split_once('/').unwrap_or(("", text));
    let (stream, tag) = rest.split_once(':').unwrap_or((rest, ""));
    WatchedTag {
        namespace: namespace.into(),
        stream: stream.into(),
        tag: tag.into(),
    }
}

async fn watchers(store: &Store, tag: &WatchedTag) -> Result<Vec<(OwnerKind, String, String)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT kind, namespace, name FROM trigger_watches \
         WHERE stream_namespace = $1 AND stream = $2 AND tag = $3 ORDER BY kind, namespace, name",
    )
    .bind(&tag.namespace)
    .bind(&tag.stream)
    .bind(&tag.tag)
    .fetch_all(store.pool())
    .await
    .map_err(map_error)?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let kind: String = row.get(0);
            Some((OwnerKind::parse(&kind)?, row.get(1), row.get(2)))
        })
        .collect())
}

impl WriteTx {
    /// One owner, locked until the transaction ends.
    pub async fn trigger_owner(
        &mut self,
        namespace: &str,
        kind: OwnerKind,
        name: &str,
    ) -> Result<Option<StoredOwner>> {
        let sql = format!(
            "SELECT {OWNER_COLUMNS} FROM trigger_owners WHERE namespace = $1 AND kind = $2 AND name = $3{}",
            self.lock_clause()
        );
        let row = sqlx::query(&sql)
            .bind(namespace)
            .bind(kind.as_str())
            .bind(name)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_error)?;
        row.as_ref().map(owner_from_row).transpose()
    }

    /// The owners watching `tag`, each locked until the transaction ends
    /// (one query, in a fixed order so that concurrent engines lock alike).
    pub async fn owners_watching(&mut self, tag: &WatchedTag) -> Result<Vec<StoredOwner>> {
        let sql = format!(
            "SELECT {OWNER_COLUMNS} FROM trigger_owners o WHERE EXISTS (\
               SELECT 1 FROM trigger_watches w WHERE w.stream_namespace = $1 AND w.stream = $2 \
               AND w.tag = $3 AND w.namespace = o.namespace AND w.kind = o.kind AND w.name = o.name) \
             ORDER BY o.namespace, o.kind, o.name{}",
            self.lock_clause()
        );
        let rows = sqlx::query(&sql)
            .bind(&tag.namespace)
            .bind(&tag.stream)
            .bind(&tag.tag)
            .fetch_all(&mut *self.tx)
            .await
            .map_err(map_error)?;
        rows.iter().map(owner_from_row).collect()
    }

    /// Writes the document of an owner whose triggers watch the same tags as
    /// before (a trigger fired); sets `metadata.resourceVersion`.
    pub async fn save_fired_owner(&mut self, owner: &mut StoredOwner) -> Result<()> {
        let text = document_text(&owner.document)?;
        let version = self
            .record_change(
                &owner.kind.qualified_resource(),
                &owner.namespace,
                &owner.name,
                ChangeEvent::Modified,
                &text,
            )
            .await?;
        sqlx::query(
            "UPDATE trigger_owners SET resource_version = $1, document = $2 \
             WHERE namespace = $3 AND kind = $4 AND name = $5",
        )
        .bind(version)
        .bind(&text)
        .bind(&owner.namespace)
        .bind(owner.kind.as_str())
        .bind(&owner.name)
        .execute(&mut *self.tx)
        .await
        .map_err(map_error)?;
        owner.document["metadata"]["resourceVersion"] = Value::String(version.to_string());
        Ok(())
    }

    /// Inserts a new owner's row; sets `metadata.resourceVersion`.
    async fn insert_trigger_owner(&mut self, owner: &mut StoredOwner) -> Result<()> {
        let text = document_text(&owner.document)?;
        let version = self
            .record_change(
                &owner.kind.qualified_resource(),
                &owner.namespace,
                &owner.name,
                ChangeEvent::Added,
                &text,
            )
            .await?;
        let uid = owner
            .document
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        sqlx::query(
            "INSERT INTO trigger_owners (namespace, kind, name, uid, resource_version, created_ms, document) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&owner.namespace)
        .bind(owner.kind.as_str())
        .bind(&owner.name)
        .bind(&uid)
        .bind(version)
        .bind(clock::to_millis(self.now))
        .bind(&text)
        .execute(&mut *self.tx)
        .await
        .map_err(|error| {
            if super::errors::is_unique_violation(&error) {
                Error::already_exists(owner.kind.qualified_resource(), &owner.name)
            } else {
                map_error(error)
            }
        })?;
        owner.document["metadata"]["resourceVersion"] = Value::String(version.to_string());
        Ok(())
    }

    /// Writes an owner (new, or replacing the stored one; its uid never
    /// changes) and its watch index; sets `metadata.resourceVersion`.
    pub async fn save_trigger_owner(
        &mut self,
        owner: &mut StoredOwner,
        triggers: &[ImageTrigger],
        created: bool,
    ) -> Result<()> {
        if created {
            self.insert_trigger_owner(owner).await?;
        } else {
            self.save_fired_owner(owner).await?;
        }
        sqlx::query("DELETE FROM trigger_watches WHERE namespace = $1 AND kind = $2 AND name = $3")
            .bind(&owner.namespace)
            .bind(owner.kind.as_str())
            .bind(&owner.name)
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
        for trigger in triggers {
            sqlx::query(
                "INSERT INTO trigger_watches (stream_namespace, stream, tag, namespace, kind, name, trigger_index) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&trigger.watched.namespace)
            .bind(&trigger.watched.stream)
            .bind(&trigger.watched.tag)
            .bind(&owner.namespace)
            .bind(owner.kind.as_str())
            .bind(&owner.name)
            .bind(i64::try_from(trigger.index).unwrap_or(i64::MAX))
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
        }
        Ok(())
    }

    /// Deletes an owner with its watches, timeline, builds and rollouts
    /// (as deleting a BuildConfig deletes its builds).
    pub async fn delete_trigger_owner(&mut self, owner: &StoredOwner) -> Result<()> {
        let text = document_text(&owner.document)?;
        self.record_change(
            &owner.kind.qualified_resource(),
            &owner.namespace,
            &owner.name,
            ChangeEvent::Deleted,
            &text,
        )
        .await?;
        for (table, name_column) in [
            ("trigger_watches", "name"),
            ("trigger_evaluations", "name"),
            ("trigger_runs", "owner"),
            ("trigger_owners", "name"),
        ] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE namespace = $1 AND kind = $2 AND {name_column} = $3"
            ))
            .bind(&owner.namespace)
            .bind(owner.kind.as_str())
            .bind(&owner.name)
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
        }
        Ok(())
    }

    /// Writes the outbox rows for the tags that moved between `old` and
    /// `new` (the stream before and after this transaction's write).
    pub(super) async fn record_tag_moves(
        &mut self,
        old: Option<&ImageStream>,
        new: Option<&ImageStream>,
    ) -> Result<()> {
        let Some(stream) = new.or(old) else {
            return Ok(());
        };
        let (namespace, name) = (&stream.metadata.namespace, &stream.metadata.name);
        for moved in tag_moves(old, new) {
            sqlx::query(
                "INSERT INTO tag_events (namespace, stream, tag, change, old_image, new_image, old_spec, new_spec, at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(namespace)
            .bind(name)
            .bind(&moved.tag)
            .bind(moved.change.as_str())
            .bind(&moved.old_image)
            .bind(&moved.new_image)
            .bind(&moved.old_spec)
            .bind(&moved.new_spec)
            .bind(clock::now_millis())
            .execute(&mut *self.tx)
            .await
            .map_err(map_error)?;
            self.moved_tags = true;
        }
        Ok(())
    }

    /// Takes the oldest due outbox row whose tag has no older row waiting
    /// (so one tag's changes are acted on in order), locking it on
    /// PostgreSQL so that another replica skips it.
    pub async fn take_tag_event(&mut self) -> Result<Option<TagEvent>> {
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM tag_events e WHERE not_before_ms <= $1 AND NOT EXISTS (\
               SELECT 1 FROM tag_events older WHERE older.namespace = e.namespace \
               AND older.stream = e.stream AND older.tag = e.tag AND older.id < e.id) \
             ORDER BY id LIMIT 1{lock}"
        );
        let row = sqlx::query(&sql)
            .bind(clock::now_millis())
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(map_error)?;
        row.as_ref().map(tag_event_from_row).transpose()
    }

    /// Removes an outbox row the engine has acted on.
    pub async fn finish_tag_event(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM tag_events WHERE id = $1")
            .bind(id)
            .execute(&mut *self.tx)
            .await
            .map(|_| ())
            .map_err(map_error)
    }

    /// Records one evaluation in the owner's timeline.
    pub async fn record_evaluation(
        &mut self,
        namespace: &str,
        kind: OwnerKind,
        name: &str,
        evaluation: &Evaluation,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO trigger_evaluations (namespace, kind, name, trigger_index, watched, at_ms, from_spec, to_spec, outcome, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(namespace)
        .bind(kind.as_str())
        .bind(name)
        .bind(i64::try_from(evaluation.trigger_index).unwrap_or(i64::MAX))
        .bind(evaluation.watched.to_string())
        .bind(clock::now_millis())
        .bind(&evaluation.from)
        .bind(&evaluation.to)
        .bind(evaluation.outcome.as_str())
        .bind(&evaluation.detail)
        .execute(&mut *self.tx)
        .await
        .map(|_| ())
        .map_err(map_error)
    }

    /// Records a build or rollout; a second one with the same number for
    /// the same owner is refused by the primary key (never started twice).
    pub async fn record_run(
        &mut self,
        namespace: &str,
        kind: OwnerKind,
        owner: &str,
        started: &Started,
    ) -> Result<()> {
        let images = serde_json::to_string(&started.images)
            .map_err(|e| Error::Internal(format!("run images do not encode: {e}")))?;
        sqlx::query(
            "INSERT INTO trigger_runs (namespace, kind, owner, number, name, cause, images, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(namespace)
        .bind(kind.as_str())
        .bind(owner)
        .bind(started.number)
        .bind(&started.name)
        .bind(&started.cause)
        .bind(images)
        .bind(clock::now_millis())
        .execute(&mut *self.tx)
        .await
        .map(|_| ())
        .map_err(map_error)
    }
}
