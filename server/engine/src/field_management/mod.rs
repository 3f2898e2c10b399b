//! Field management, as Kubernetes keeps it in `metadata.managedFields`:
//! which manager (`kubectl`, a GitOps controller, the console) owns which
//! fields of an image stream, the server-side apply that builds on it, and
//! the conflicts it reports.

mod apply;
mod client_side;
mod field_set;

pub use apply::{Conflict, apply, record_update};
pub use client_side::{
    KUBECTL, conflicts_are_client_side_apply, keep_last_applied, server_side_apply,
};
pub use field_set::{FieldSet, Path, Step, describe};

use serde_json::{Map, Value, json};

use crate::{
    Error, Result,
    model::{IMAGE_API_VERSION, ImageStream, Time},
};

/// The manager the console's own pages write as.
pub const CONSOLE_MANAGER: &str = "image-stream-console";

/// Whom a write's changes to a stream's fields belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldOwner {
    /// A write other than apply, by this manager: it comes to own what it
    /// changed. `metadata.managedFields` as the write leaves them are the
    /// owners before its changes, so a client may hand ownership over (as
    /// kubectl does when a stream moves from client-side to server-side
    /// apply).
    Manager(String),
    /// A server-side apply: `metadata.managedFields` was worked out with
    /// the change and is written as it is.
    Applied,
}

impl Default for FieldOwner {
    fn default() -> FieldOwner {
        FieldOwner::Manager(CONSOLE_MANAGER.to_owned())
    }
}

/// Sets `metadata.managedFields` of `stream`, about to replace `before`
/// (`None` for a new stream), for a write by `owner` at `now`: the owners
/// `stream` carries, and the write's manager owning what it changed.
pub fn attribute(
    before: Option<&ImageStream>,
    stream: &mut ImageStream,
    owner: &FieldOwner,
    now: Time,
) -> Result<()> {
    let FieldOwner::Manager(manager) = owner else {
        return Ok(());
    };
    let mut managed = ManagedFields::read(stream.metadata.managed_fields.take().as_ref());
    let old = before.map(to_value).transpose()?;
    record_update(old.as_ref(), &to_value(stream)?, &mut managed, manager, now);
    stream.metadata.managed_fields = managed.to_value();
    Ok(())
}

/// [`attribute`] for an object kept as a JSON document (a trigger owner):
/// `document` is about to replace `before`; its new owners' entries are
/// written with `api_version`.
pub fn attribute_document(
    before: Option<&Value>,
    document: &mut Value,
    owner: &FieldOwner,
    api_version: &'static str,
    now: Time,
) {
    let FieldOwner::Manager(manager) = owner else {
        return;
    };
    let mut managed = ManagedFields::read(document.pointer("/metadata/managedFields"));
    managed.new_entries_version = api_version;
    record_update(before, document, &mut managed, manager, now);
    managed.write_into(document);
}

fn to_value(stream: &ImageStream) -> Result<Value> {
    serde_json::to_value(stream)
        .map_err(|error| Error::Internal(format!("an image stream does not encode: {error}")))
}

/// How a manager came to own its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Server-side apply: the manager owns exactly what it last applied.
    Apply,
    /// Any other write: the manager owns what it changed.
    Update,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// One manager's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub time: Time,
    pub fields: FieldSet,
}

impl Entry {
    /// Whether this is the entry of `manager` for `operation`.
    pub fn belongs_to(&self, manager: &str, operation: Operation) -> bool {
        self.manager == manager && self.operation == operation
    }
}

/// Every manager's fields of one object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManagedFields {
    pub entries: Vec<Entry>,
    /// The API version an entry made now is written with (the object's own;
    /// empty: an image stream's).
    pub new_entries_version: &'static str,
}

impl ManagedFields {
    /// Reads `metadata.managedFields`; entries it cannot read are dropped.
    pub fn read(value: Option<&Value>) -> ManagedFields {
        let entries = value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(read_entry)
            .collect();
        ManagedFields {
            entries,
            new_entries_version: "",
        }
    }

    /// Sets `metadata.managedFields` of a JSON document (removed when no
    /// manager owns anything).
    pub fn write_into(&self, document: &mut Value) {
        let Some(metadata) = document.get_mut("metadata").and_then(Value::as_object_mut) else {
            return;
        };
        match self.to_value() {
            Some(entries) => {
                metadata.insert("managedFields".to_owned(), entries);
            }
            None => {
                metadata.remove("managedFields");
            }
        }
    }

    /// `metadata.managedFields` as Kubernetes writes it (`None` when no
    /// manager owns anything).
    pub fn to_value(&self) -> Option<Value> {
        if self.entries.is_empty() {
            return None;
        }
        let entries = self
            .entries
            .iter()
            .map(|entry| {
                json!({
                    "manager": entry.manager,
                    "operation": entry.operation.as_str(),
                    "apiVersion": entry.api_version,
                    "time": entry.time,
                    "fieldsType": "FieldsV1",
                    "fieldsV1": entry.fields.to_fields_v1(),
                })
            })
            .collect();
        Some(Value::Array(entries))
    }

    /// The entry of `manager` for `operation`, made if missing.
    fn entry_mut(&mut self, manager: &str, operation: Operation, time: Time) -> &mut Entry {
        let index = match self
            .entries
            .iter()
            .position(|entry| entry.belongs_to(manager, operation))
        {
            Some(index) => index,
            None => {
                self.entries.push(Entry {
                    manager: manager.to_owned(),
                    operation,
                    api_version: if self.new_entries_version.is_empty() {
                        IMAGE_API_VERSION
                    } else {
                        self.new_entries_version
                    }
                    .to_owned(),
                    time,
                    fields: FieldSet::default(),
                });
                self.entries.len() - 1
            }
        };
        &mut self.entries[index]
    }

    /// Drops managers left with no fields.
    fn prune(&mut self) {
        self.entries.retain(|entry| !entry.fields.is_empty());
    }
}

fn read_entry(value: &Value) -> Option<Entry> {
    let entry: &Map<String, Value> = value.as_object()?;
    let operation = match entry.get("operation")?.as_str()? {
        "Apply" => Operation::Apply,
        "Update" => Operation::Update,
        _ => return None,
    };
    Some(Entry {
        manager: entry.get("manager")?.as_str()?.to_owned(),
        operation,
        api_version: entry
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or(IMAGE_API_VERSION)
            .to_owned(),
        time: entry
            .get("time")
            .and_then(|time| serde_json::from_value(time.clone()).ok())
            .unwrap_or(Time::EPOCH),
        fields: FieldSet::from_fields_v1(entry.get("fieldsV1")?),
    })
}
