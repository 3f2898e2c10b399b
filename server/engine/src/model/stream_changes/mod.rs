//! What happens to an image stream when it is created or its spec changes:
//! defaults, generations, and the tag events a change causes (reference tags,
//! tags from other tags or images, and the aliases that follow them).
//!
//! These are OpenShift's image stream strategy rules, as pure functions: the
//! caller supplies the time, the internal registry hostname, the cluster
//! image policy (a tag may only follow a whitelisted registry) and any other
//! streams the spec refers to.

use super::{
    DockerImageReference, FieldError, ImageStream, ImageStreamStatus, ImportMode, ReferencePolicy,
    SourceKind, TagEvent, TagReference, Time,
    tag_history::{add_tag_event, resolve_image_id, update_tracking_tags},
    validate_stream::validate_stream,
};

pub const IMAGE_STREAM_API_VERSION: &str = "image.openshift.io/v1";

/// The registry sources of `stream` that are new or changed since `old` and
/// that `allowedRegistriesForImport` refuses, each at its field
/// (`spec.tags[latest].from.name: Forbidden: registry "h:443" not allowed by
/// whitelist: …`). Sources that did not change stay, so a stricter policy
/// never blocks unrelated edits.
pub fn whitelist_errors(
    old: Option<&ImageStream>,
    stream: &ImageStream,
    policy: &super::cluster_policy::ClusterImagePolicy,
) -> Vec<FieldError> {
    if policy.allowed_registries_for_import.is_empty() {
        return Vec::new();
    }
    let stream_insecure = stream
        .annotation(super::INSECURE_REPOSITORY_ANNOTATION)
        .is_some_and(|value| value == "true");
    let refusal = |pull_spec: &str, insecure: bool| {
        let reference = DockerImageReference::parse(pull_spec).ok()?;
        policy.whitelist_refusal(reference.registry_or_default(), insecure)
    };
    let mut errors = Vec::new();
    let repository = &stream.spec.docker_image_repository;
    let repository_changed = old.is_none_or(|old| old.spec.docker_image_repository != *repository);
    if !repository.is_empty()
        && repository_changed
        && let Some(refused) = refusal(repository, stream_insecure)
    {
        errors.push(FieldError::new(
            "spec.dockerImageRepository",
            format!("Forbidden: {refused}"),
        ));
    }
    for tag in &stream.spec.tags {
        let Some(from) = tag
            .from
            .as_ref()
            .filter(|f| f.kind == SourceKind::DOCKER_IMAGE)
        else {
            continue;
        };
        let insecure = stream_insecure || tag.import_policy.insecure;
        let changed = old
            .and_then(|old| old.spec_tag(&tag.name))
            .is_none_or(|old_tag| {
                old_tag.from != tag.from
                    || old_tag.import_policy.insecure != tag.import_policy.insecure
            });
        if changed && let Some(refused) = refusal(&from.name, insecure) {
            errors.push(FieldError::new(
                format!("spec.tags[{}].from.name", tag.name),
                format!("Forbidden: {refused}"),
            ));
        }
    }
    errors
}

/// What a change needs from outside the stream.
#[derive(Debug, Clone)]
pub struct ChangeContext {
    pub now: Time,
    /// The integrated registry's hostname (`status.dockerImageRepository` is
    /// `<hostname>/<namespace>/<name>`).
    pub internal_registry: String,
    /// Other streams named by `ImageStreamTag`/`ImageStreamImage` sources.
    pub other_streams: Vec<ImageStream>,
    /// The cluster image policy: new or changed registry sources must be in
    /// its `allowedRegistriesForImport`.
    pub policy: std::sync::Arc<super::cluster_policy::ClusterImagePolicy>,
}

/// Fills the defaults every write gets: API version and kind, reference
/// policy `Source`, import mode `Legacy`, and tags kept by name (a duplicate
/// name collapses, the last wins) in sorted order.
pub fn fill_defaults(stream: &mut ImageStream) {
    stream.api_version = IMAGE_STREAM_API_VERSION.into();
    stream.kind = super::IMAGE_STREAM_KIND.into();
    let mut tags: Vec<TagReference> = Vec::with_capacity(stream.spec.tags.len());
    for mut tag in std::mem::take(&mut stream.spec.tags) {
        if tag.reference_policy.kind.is_empty() {
            tag.reference_policy.kind = ReferencePolicy::SOURCE.into();
        }
        if tag.import_policy.import_mode.is_empty() {
            tag.import_policy.import_mode = ImportMode::LEGACY.into();
        }
        match tags.iter_mut().find(|existing| existing.name == tag.name) {
            Some(existing) => *existing = tag,
            None => tags.push(tag),
        }
    }
    tags.sort_by(|a, b| a.name.cmp(&b.name));
    stream.spec.tags = tags;
}

/// The stream's repository in the integrated registry.
pub fn local_repository(internal_registry: &str, namespace: &str, name: &str) -> String {
    format!("{internal_registry}/{namespace}/{name}")
}

/// Prepares a new stream: defaults, validation, generation 1, status reset
/// (status is never taken from input), and the events its tags cause.
pub fn prepare_create(
    stream: &mut ImageStream,
    context: &ChangeContext,
) -> Result<(), Vec<FieldError>> {
    fill_defaults(stream);
    let mut errors = validate_stream(stream);
    if errors.is_empty() {
        errors = whitelist_errors(None, stream, &context.policy);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    stream.metadata.generation = 1;
    stream.status = ImageStreamStatus {
        docker_image_repository: local_repository(
            &context.internal_registry,
            &stream.metadata.namespace,
            &stream.metadata.name,
        ),
        ..ImageStreamStatus::default()
    };
    for tag in &mut stream.spec.tags {
        tag.generation = Some(1);
    }
    tags_changed(None, stream, context)
}

/// Prepares an update of `old` to `stream`: status is kept from `old`, spec tag
/// generations can only be reset to 0 by the user, any spec change bumps the
/// stream generation, and a tag whose source, `reference` or import mode
/// changed takes the new generation (so only those changes cause a re-import).
pub fn prepare_update(
    old: &ImageStream,
    stream: &mut ImageStream,
    context: &ChangeContext,
) -> Result<(), Vec<FieldError>> {
    fill_defaults(stream);
    let mut errors = validate_stream(stream);
    if errors.is_empty() {
        errors = whitelist_errors(Some(old), stream, &context.policy);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    stream.status = old.status.clone();
    stream.status.docker_image_repository = local_repository(
        &context.internal_registry,
        &stream.metadata.namespace,
        &stream.metadata.name,
    );
    stream.metadata.generation = old.metadata.generation;
    for tag in &mut stream.spec.tags {
        if tag.generation == Some(0) {
            continue;
        }
        if let Some(old_tag) = old.spec_tag(&tag.name) {
            tag.generation = old_tag.generation;
        }
    }
    if stream.spec != old.spec || stream.metadata.generation == 0 {
        stream.metadata.generation = old.metadata.generation + 1;
    }
    let namespace = stream.metadata.namespace.clone();
    let generation = stream.metadata.generation;
    for tag in &mut stream.spec.tags {
        let changed = old
            .spec_tag(&tag.name)
            .is_none_or(|old_tag| tag_ref_changed(old_tag, tag, &namespace));
        if changed || matches!(tag.generation, None | Some(0)) {
            tag.generation = Some(generation);
        }
    }
    tags_changed(Some(old), stream, context)
}

/// Whether a spec tag changed in a way that asks for a new import: its source
/// (kind, name, namespace), `reference`, or import mode; or the user reset its
/// generation to 0.
pub fn tag_ref_changed(old: &TagReference, next: &TagReference, stream_namespace: &str) -> bool {
    let Some(next_from) = &next.from else {
        return false;
    };
    if next_from.kind.is_empty() && next_from.name.is_empty() {
        return false;
    }
    let default_namespace = |namespace: &str| {
        if namespace.is_empty() {
            stream_namespace.to_owned()
        } else {
            namespace.to_owned()
        }
    };
    let (old_kind, old_name, old_namespace) = match &old.from {
        Some(from) => (
            from.kind.as_str(),
            from.name.as_str(),
            default_namespace(&from.namespace),
        ),
        None => ("", "", stream_namespace.to_owned()),
    };
    old_kind != next_from.kind
        || old_name != next_from.name
        || old_namespace != default_namespace(&next_from.namespace)
        || old.reference != next.reference
        || old.import_policy.import_mode != next.import_policy.import_mode
        || (old.generation.is_some() && next.generation == Some(0) && old.generation != Some(0))
}

/// Splits an `ImageStreamTag`/`ImageStreamImage` source into stream and tag
/// (or image id); a bare `<tag>`/`<id>` names this stream.
pub fn parse_from_reference<'a>(
    this_stream: &'a str,
    kind: &str,
    name: &'a str,
) -> Option<(&'a str, &'a str)> {
    let separator = if kind == SourceKind::IMAGE_STREAM_TAG {
        ':'
    } else {
        '@'
    };
    let mut parts = name.split(separator);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(only), None, None) if !only.is_empty() => Some((this_stream, only)),
        (Some(stream), Some(rest), None) if !stream.is_empty() && !rest.is_empty() => {
            Some((stream, rest))
        }
        _ => None,
    }
}

/// Adds the events caused by new or changed spec tags, then lets aliases
/// follow any tag whose current event changed.
fn tags_changed(
    old: Option<&ImageStream>,
    stream: &mut ImageStream,
    context: &ChangeContext,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let namespace = stream.metadata.namespace.clone();
    for tag in stream.spec.tags.clone() {
        if let Some(old_tag) = old.and_then(|old| old.spec_tag(&tag.name))
            && !tag_ref_changed(old_tag, &tag, &namespace)
        {
            continue;
        }
        let Some(from) = &tag.from else { continue };
        let generation = tag.generation.unwrap_or(stream.metadata.generation);
        let path = format!("spec.tags[{}].from.name", tag.name);
        if from.kind == SourceKind::DOCKER_IMAGE {
            if tag.reference && !from.name.is_empty() {
                let event = TagEvent {
                    created: context.now,
                    docker_image_reference: from.name.clone(),
                    image: String::new(),
                    generation,
                    platforms: Vec::new(),
                };
                add_tag_event(&mut stream.status, &tag.name, event);
            }
            continue;
        }
        let Some((source_name, tag_or_id)) =
            parse_from_reference(&stream.metadata.name, &from.kind, &from.name)
        else {
            errors.push(FieldError::new(
                path,
                format!("Invalid value: \"{}\": must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>", from.name),
            ));
            continue;
        };
        let source_namespace = if from.namespace.is_empty() {
            namespace.as_str()
        } else {
            from.namespace.as_str()
        };
        let same_stream = source_namespace == namespace && source_name == stream.metadata.name;
        let source = if same_stream {
            Some(&*stream)
        } else {
            context.other_streams.iter().find(|other| {
                other.metadata.namespace == source_namespace && other.metadata.name == source_name
            })
        };
        let Some(source) = source else {
            errors.push(FieldError::new(
                path,
                format!("Not found: \"{}\"", from.name),
            ));
            continue;
        };
        let found = if from.kind == SourceKind::IMAGE_STREAM_TAG {
            source.latest(tag_or_id).cloned()
        } else {
            match resolve_image_id(source, tag_or_id) {
                Ok(event) => Some(event),
                Err(error) => {
                    errors.push(FieldError::new(
                        path,
                        format!(
                            "Invalid value: \"{}\": error generating tag event: {}",
                            from.name,
                            error.message(tag_or_id)
                        ),
                    ));
                    continue;
                }
            }
        };
        let Some(mut event) = found else { continue };
        event.created = context.now;
        event.generation = generation;
        if !tag.reference {
            event.docker_image_reference = localize(
                &event.docker_image_reference,
                source,
                stream,
                &context.internal_registry,
            );
        }
        add_tag_event(&mut stream.status, &tag.name, event);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    update_changed_tracking_tags(old, stream);
    Ok(())
}

/// A pull spec that points into the integrated registry at `source` is
/// rewritten to point at `stream`, so pulls go through the stream that holds it.
fn localize(
    pull_spec: &str,
    source: &ImageStream,
    stream: &ImageStream,
    internal_registry: &str,
) -> String {
    match DockerImageReference::parse(pull_spec) {
        Ok(mut reference)
            if reference.registry == internal_registry
                && reference.namespace == source.metadata.namespace
                && reference.name == source.metadata.name =>
        {
            reference.namespace = stream.metadata.namespace.clone();
            reference.name = stream.metadata.name.clone();
            reference.exact()
        }
        _ => pull_spec.to_owned(),
    }
}

/// For every tag whose current event differs from `old`'s, the aliases follow.
pub fn update_changed_tracking_tags(old: Option<&ImageStream>, stream: &mut ImageStream) {
    let moved: Vec<(String, TagEvent)> = stream
        .status
        .tags
        .iter()
        .filter_map(|list| {
            let top = list.items.first()?;
            let before = old.and_then(|old| old.latest(&list.tag));
            (before != Some(top)).then(|| (list.tag.clone(), top.clone()))
        })
        .collect();
    for (tag, event) in moved {
        update_tracking_tags(stream, &tag, &event);
    }
}

/// Whether `tag` waits for an import: a non-reference `DockerImage` tag whose
/// generation is newer than what was observed (its latest event's generation,
/// or the generation its last import failure was recorded at, so a failing tag
/// does not loop).
pub fn needs_import(stream: &ImageStream, tag: &TagReference) -> bool {
    if !tag.is_imported() {
        return false;
    }
    let Some(generation) = tag.generation else {
        return true;
    };
    let status = stream.status_tag(&tag.name);
    let observed_event = status
        .and_then(|s| s.items.first())
        .map_or(0, |event| event.generation);
    let observed_failure = status
        .into_iter()
        .flat_map(|s| s.conditions.iter())
        .filter(|condition| condition.kind == super::IMPORT_SUCCESS)
        .map(|condition| condition.generation)
        .max()
        .unwrap_or(0);
    generation > observed_event.max(observed_failure)
}

#[cfg(test)]
mod tests;
