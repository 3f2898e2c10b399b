//! Trigger owners as objects: create, replace (optimistic concurrency, and
//! the fired values carried over), apply from YAML, delete, read. Every
//! write evaluates the owner's triggers in the same transaction, so a new
//! BuildConfig builds as soon as its tag resolves.

use serde_json::{Value, json};

use super::evaluate::evaluate_stored;
use crate::{
    Error, Result, Services,
    field_management::{FieldOwner, attribute_document},
    imagestreams::{Write, require_project},
    manifests::{Limits, node_to_json, parse_documents},
    model::{
        FieldError,
        triggers::{ImageTrigger, OwnerKind, TriggerEdit, carry_over, edit_triggers, triggers_of},
        validate_dns_label,
    },
    store::{StoredOwner, WriteTx},
};

/// The owners of a project, of one kind or all.
pub async fn list(
    services: &Services,
    namespace: &str,
    kind: Option<OwnerKind>,
) -> Result<Vec<StoredOwner>> {
    require_project(services, namespace).await?;
    services.store.trigger_owners(namespace, kind).await
}

/// One owner.
pub async fn get(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
) -> Result<StoredOwner> {
    services
        .store
        .trigger_owner(namespace, kind, name)
        .await?
        .ok_or_else(|| Error::not_found(kind.qualified_resource(), name))
}

/// Checks the parts every owner needs and returns its name.
fn check_object(kind: OwnerKind, namespace: &str, document: &mut Value) -> Result<String> {
    if !document.is_object() {
        return Err(Error::invalid("(document)", "must be an object"));
    }
    match document.get("kind").and_then(Value::as_str) {
        None | Some("") => document["kind"] = json!(kind.as_str()),
        Some(given) if given == kind.as_str() => {}
        Some(given) => {
            return Err(Error::invalid(
                "kind",
                format!("Invalid value: \"{given}\": must be {kind}"),
            ));
        }
    }
    if document
        .get("apiVersion")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        document["apiVersion"] = json!(kind.api_version());
    }
    if document.get("metadata").is_none_or(|m| !m.is_object()) {
        document["metadata"] = json!({});
    }
    let name = document["metadata"]
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if name.is_empty() {
        return Err(Error::invalid(
            "metadata.name",
            "Required value: name is required",
        ));
    }
    validate_dns_label("metadata.name", &name).map_err(|e| Error::Invalid(vec![e]))?;
    match document["metadata"]
        .get("namespace")
        .and_then(Value::as_str)
    {
        None | Some("") => document["metadata"]["namespace"] = json!(namespace),
        Some(given) if given == namespace => {}
        Some(given) => {
            return Err(Error::invalid(
                "metadata.namespace",
                format!(
                    "Invalid value: \"{given}\": the namespace of the object does not match the \
                     namespace of the request ({namespace})"
                ),
            ));
        }
    }
    Ok(name)
}

/// Creates an owner of `kind` and evaluates its triggers.
pub async fn create(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    document: Value,
) -> Result<StoredOwner> {
    create_with(
        services,
        namespace,
        kind,
        document,
        Write::Commit,
        &FieldOwner::default(),
    )
    .await
}

/// [`create`] by `owner` (who comes to own the fields it set), or only its
/// checks and first evaluation for a dry run.
pub async fn create_with(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    mut document: Value,
    write: Write,
    owner: &FieldOwner,
) -> Result<StoredOwner> {
    require_project(services, namespace).await?;
    let name = check_object(kind, namespace, &mut document)?;
    let triggers = triggers_of(kind, namespace, &document).map_err(Error::Invalid)?;
    let mut tx = write.begin(services).await?;
    if tx.trigger_owner(namespace, kind, &name).await?.is_some() {
        return Err(Error::already_exists(kind.qualified_resource(), &name));
    }
    let created = create_in(&mut tx, kind, namespace, name, document, &triggers, owner).await?;
    write.finish(tx).await?;
    if write == Write::Commit {
        tracing::info!(namespace, %kind, name = %created.name, "trigger owner created");
    }
    Ok(created)
}

/// Writes a new owner in `tx` and evaluates its triggers.
async fn create_in(
    tx: &mut WriteTx,
    kind: OwnerKind,
    namespace: &str,
    name: String,
    mut document: Value,
    triggers: &[ImageTrigger],
    owner: &FieldOwner,
) -> Result<StoredOwner> {
    attribute_document(None, &mut document, owner, kind.api_version(), tx.now);
    let metadata = &mut document["metadata"];
    metadata["uid"] = json!(uuid::Uuid::new_v4().to_string());
    metadata["creationTimestamp"] = json!(tx.now);
    if metadata.get("generation").and_then(Value::as_i64).is_none() {
        metadata["generation"] = json!(1);
    }
    if let Some(meta) = metadata.as_object_mut() {
        meta.remove("resourceVersion");
    }
    let mut owner = StoredOwner {
        kind,
        namespace: namespace.to_owned(),
        name,
        document,
    };
    tx.save_trigger_owner(&mut owner, triggers, true).await?;
    evaluate_stored(tx, &mut owner, None).await?;
    Ok(owner)
}

/// Replaces an owner (`PUT`): a resource version, if given, must be the
/// stored one; what the stored triggers fired for is carried over.
pub async fn replace(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
    document: Value,
) -> Result<StoredOwner> {
    replace_with(
        services,
        namespace,
        kind,
        name,
        document,
        Write::Commit,
        &FieldOwner::default(),
    )
    .await
}

/// [`replace`] by `owner`, or only its checks for a dry run.
pub async fn replace_with(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
    mut document: Value,
    write: Write,
    owner: &FieldOwner,
) -> Result<StoredOwner> {
    let given = check_object(kind, namespace, &mut document)?;
    if given != name {
        return Err(Error::invalid(
            "metadata.name",
            format!(
                "Invalid value: \"{given}\": the name of the object does not match the name in the path ({name})"
            ),
        ));
    }
    let triggers = triggers_of(kind, namespace, &document).map_err(Error::Invalid)?;
    let mut tx = write.begin(services).await?;
    let stored = tx
        .trigger_owner(namespace, kind, name)
        .await?
        .ok_or_else(|| Error::not_found(kind.qualified_resource(), name))?;
    let replaced = replace_in(&mut tx, stored, document, &triggers, owner).await?;
    write.finish(tx).await?;
    Ok(replaced)
}

/// Writes `document` over `stored` in `tx` and evaluates the triggers.
async fn replace_in(
    tx: &mut WriteTx,
    stored: StoredOwner,
    mut document: Value,
    triggers: &[ImageTrigger],
    owner: &FieldOwner,
) -> Result<StoredOwner> {
    let kind = stored.kind;
    let version = stored.document["metadata"]["resourceVersion"].clone();
    match document["metadata"]
        .get("resourceVersion")
        .and_then(Value::as_str)
    {
        None | Some("") => {}
        Some(given) if Some(given) == version.as_str() => {}
        Some(_) => {
            return Err(Error::Conflict(format!(
                "Operation cannot be fulfilled on {} \"{}\": the object has been modified; \
                 please apply your changes to the latest version and try again",
                kind.qualified_resource(),
                stored.name
            )));
        }
    }
    let stored_triggers =
        triggers_of(kind, &stored.namespace, &stored.document).unwrap_or_default();
    carry_over(
        kind,
        &stored.document,
        &stored_triggers,
        &mut document,
        triggers,
    );
    for key in ["uid", "creationTimestamp"] {
        document["metadata"][key] = stored.document["metadata"][key].clone();
    }
    let generation = stored.document["metadata"]["generation"]
        .as_i64()
        .unwrap_or(1);
    let spec_changed = document.get("spec") != stored.document.get("spec");
    document["metadata"]["generation"] = json!(generation + i64::from(spec_changed));
    // A write that does not say who owns what leaves the owners as they are.
    let owners_given = document.pointer("/metadata/managedFields").is_some();
    if *owner != FieldOwner::Applied
        && !owners_given
        && let Some(owners) = stored.document.pointer("/metadata/managedFields")
    {
        document["metadata"]["managedFields"] = owners.clone();
    }
    attribute_document(
        Some(&stored.document),
        &mut document,
        owner,
        kind.api_version(),
        tx.now,
    );
    // A write that changes nothing is not a write (as on Kubernetes): same
    // resource version, no evaluation.
    let mut unchanged = document.clone();
    unchanged["metadata"]["resourceVersion"] = version;
    if unchanged == stored.document {
        return Ok(stored);
    }
    let triggers = triggers_of(kind, &stored.namespace, &document).map_err(Error::Invalid)?;
    let mut replaced = StoredOwner { document, ..stored };
    tx.save_trigger_owner(&mut replaced, &triggers, false)
        .await?;
    evaluate_stored(tx, &mut replaced, None).await?;
    Ok(replaced)
}

/// `oc set triggers`: applies one edit to an owner's triggers, checks the
/// result like any write, saves it and evaluates the triggers.
pub async fn set_triggers(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
    edit: &TriggerEdit,
) -> Result<StoredOwner> {
    let mut tx = services.store.write().await?;
    let stored = tx
        .trigger_owner(namespace, kind, name)
        .await?
        .ok_or_else(|| Error::not_found(kind.qualified_resource(), name))?;
    let mut document = stored.document.clone();
    edit_triggers(kind, namespace, &mut document, edit).map_err(|e| Error::Invalid(vec![e]))?;
    let triggers = triggers_of(kind, namespace, &document).map_err(Error::Invalid)?;
    let owner = replace_in(&mut tx, stored, document, &triggers, &FieldOwner::default()).await?;
    tx.commit().await?;
    Ok(owner)
}

/// Deletes an owner with its builds, rollouts and timeline.
pub async fn delete(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
) -> Result<()> {
    delete_with(services, namespace, kind, name, Write::Commit)
        .await
        .map(|_| ())
}

/// [`delete`], or only its checks; returns the owner as it was.
pub async fn delete_with(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
    write: Write,
) -> Result<StoredOwner> {
    let mut tx = write.begin(services).await?;
    let stored = tx
        .trigger_owner(namespace, kind, name)
        .await?
        .ok_or_else(|| Error::not_found(kind.qualified_resource(), name))?;
    tx.delete_trigger_owner(&stored).await?;
    write.finish(tx).await?;
    if write == Write::Commit {
        tracing::info!(namespace, %kind, name, "trigger owner deleted");
    }
    Ok(stored)
}

/// What applying did to one owner: `buildconfig.build.openshift.io/x created`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedOwner {
    pub kind: OwnerKind,
    pub name: String,
    pub created: bool,
}

impl std::fmt::Display for AppliedOwner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = if self.created {
            "created"
        } else {
            "configured"
        };
        let kind = self.kind.as_str().to_lowercase();
        match self.kind.api_version().split_once('/') {
            Some((group, _)) => write!(f, "{kind}.{group}/{} {action}", self.name),
            None => write!(f, "{kind}/{} {action}", self.name),
        }
    }
}

/// Creates or replaces every trigger owner in `text` (YAML or JSON, several
/// documents or a `List`), all in one transaction or none.
pub async fn apply(services: &Services, namespace: &str, text: &str) -> Result<Vec<AppliedOwner>> {
    require_project(services, namespace).await?;
    let documents = parse_documents(text, Limits::default()).map_err(|error| {
        Error::Invalid(vec![
            FieldError::new("(document)", error.message).at_line(error.line),
        ])
    })?;
    let mut objects = Vec::new();
    for document in documents {
        let value = node_to_json(&document);
        if value.is_null() {
            continue;
        }
        if value.get("kind").and_then(Value::as_str) == Some("List") {
            objects.extend(value["items"].as_array().cloned().unwrap_or_default());
        } else {
            objects.push(value);
        }
    }
    if objects.is_empty() {
        return Err(Error::invalid("(document)", "the text holds no object"));
    }
    let mut prepared = Vec::new();
    for (index, mut object) in objects.into_iter().enumerate() {
        let kind_text = object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let place = |field: &str| format!("items[{index}].{field}");
        let kind = OwnerKind::parse(&kind_text).ok_or_else(|| {
            Error::invalid(
                place("kind"),
                format!(
                    "Unsupported value: \"{kind_text}\": supported values: {}",
                    OwnerKind::ALL.map(OwnerKind::as_str).join(", ")
                ),
            )
        })?;
        let name = check_object(kind, namespace, &mut object)?;
        let triggers = triggers_of(kind, namespace, &object).map_err(|errors| {
            Error::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError::new(format!("{name}: {}", e.field), e.message))
                    .collect(),
            )
        })?;
        prepared.push((kind, name, object, triggers));
    }
    let mut tx = services.store.write().await?;
    let mut results = Vec::new();
    for (kind, name, mut object, triggers) in prepared {
        match tx.trigger_owner(namespace, kind, &name).await? {
            Some(stored) => {
                if let Some(meta) = object["metadata"].as_object_mut() {
                    meta.remove("resourceVersion");
                }
                replace_in(&mut tx, stored, object, &triggers, &FieldOwner::default()).await?;
                results.push(AppliedOwner {
                    kind,
                    name,
                    created: false,
                });
            }
            None => {
                create_in(
                    &mut tx,
                    kind,
                    namespace,
                    name.clone(),
                    object,
                    &triggers,
                    &FieldOwner::default(),
                )
                .await?;
                results.push(AppliedOwner {
                    kind,
                    name,
                    created: true,
                });
            }
        }
    }
    tx.commit().await?;
    Ok(results)
}
