//! A stream described the way `oc describe is` does: its repository and
//! lookup policy, then per tag where it comes from, its flags, import errors
//! and its history (newest first), with roll back, alias and delete.

use engine::model::{
    ImageStream, ReferencePolicy, SourceHint, SourceKind, TagReference, TagRequest,
    resolved_pull_spec, stream_changes::needs_import,
};
use leptos::prelude::*;

use crate::{
    api::image_streams::{SetImageLookup, TagImage, UntagImage},
    api::imports::ImportTagNow,
    components::{Button, ClipboardCopy, Dialog, RelativeTime, Toasts, Variant},
};

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The description of `stream`. `on_tag` opens the tag dialog with a preset;
/// `on_changed` is called after a change made here.
#[component]
pub fn StreamDescription(
    stream: ImageStream,
    /// `(tag, owner)` for each trigger watching a tag of this stream.
    watchers: Vec<(String, String)>,
    project: String,
    on_tag: Callback<TagRequest>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let toasts = Toasts::get();
    let tag_action = ServerAction::<TagImage>::new();
    let untag_action = ServerAction::<UntagImage>::new();
    let import_action = ServerAction::<ImportTagNow>::new();
    let lookup_action = ServerAction::<SetImageLookup>::new();
    Effect::new(move |_| {
        match tag_action
            .value()
            .get()
            .or_else(|| untag_action.value().get())
            .or_else(|| import_action.value().get())
        {
            Some(Ok(message)) => {
                toasts.success(message);
                on_changed.run(());
            }
            Some(Err(error)) => toasts.error(&error),
            None => {}
        }
    });
    Effect::new(move |_| {
        if let Some(result) = lookup_action.value().get() {
            match result {
                Ok(()) => on_changed.run(()),
                Err(error) => toasts.failure(error.to_string()),
            }
        }
    });
    let delete_target = RwSignal::new(None::<String>);
    let delete_open = RwSignal::new(false);

    let name = stream.metadata.name.clone();
    let local_lookup = stream.spec.lookup_policy.local;
    let mut images: Vec<&str> = stream
        .status
        .tags
        .iter()
        .flat_map(|t| &t.items)
        .map(|e| e.image.as_str())
        .filter(|i| !i.is_empty())
        .collect();
    images.sort_unstable();
    images.dedup();
    let unique_images = images.len();
    let annotations: Vec<(String, String)> = stream
        .metadata
        .annotations
        .iter()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let tags = stream.tag_names();
    let repository = stream.status.docker_image_repository.clone();
    let tag_count = tags.len();
    let blocks = tags
        .into_iter()
        .map(|tag| {
            let watched_by: Vec<String> = watchers
                .iter()
                .filter(|(watched, _)| *watched == tag)
                .map(|(_, owner)| owner.clone())
                .collect();
            tag_block(
                &stream,
                &project,
                &tag,
                watched_by,
                TagActions {
                    on_tag,
                    tag: tag_action,
                    import_now: import_action,
                    delete_target,
                    delete_open,
                },
            )
        })
        .collect_view();
    let lookup_name = name.clone();
    let lookup_project = project.clone();
    let untag_project = project.clone();
    view! {
        <dl class="describe">
            <dt>"Namespace"</dt><dd>{project.clone()}</dd>
            <dt>"Created"</dt>
            <dd>{stream.metadata.creation_timestamp.map(|at| view! { <RelativeTime at/> })}</dd>
            <dt>"Labels"</dt><dd>{labels(&stream.metadata.labels.clone().into_iter().collect::<Vec<_>>())}</dd>
            <dt>"Annotations"</dt><dd>{labels(&annotations)}</dd>
            <dt>"Managed by"</dt><dd>{field_managers(stream.metadata.managed_fields.as_ref())}</dd>
            <dt>"Image repository"</dt><dd><ClipboardCopy value=repository label="Image repository"/></dd>
            <dt>"Image lookup"</dt>
            <dd>
                {format!("local={local_lookup}")}
                <button
                    type="button"
                    class="btn btn-link"
                    on:click=move |_| {
                        lookup_action.dispatch(SetImageLookup { namespace: lookup_project.clone(), name: lookup_name.clone(), local: !local_lookup });
                    }
                >
                    {if local_lookup { "Turn off" } else { "Turn on (oc set image-lookup)" }}
                </button>
            </dd>
            <dt>"Unique images"</dt><dd>{unique_images}</dd>
            <dt>"Tags"</dt><dd>{tag_count}</dd>
        </dl>
        <div class="tag-list">{blocks}</div>
        <Dialog open=delete_open id="delete-tag" title="Delete tag?">
            <p>"This deletes " <strong>{move || delete_target.get().unwrap_or_default()}</strong> " and its history."</p>
            <div class="modal-footer">
                <Button
                    variant=Variant::Danger
                    busy=untag_action.pending()
                    on_click=Callback::new(move |_| {
                        if let Some(destination) = delete_target.get_untracked() {
                            untag_action.dispatch(UntagImage { namespace: untag_project.clone(), destination });
                        }
                        delete_open.set(false);
                    })
                >
                    "Delete"
                </Button>
                <Button on_click=Callback::new(move |_| delete_open.set(false))>"Cancel"</Button>
            </div>
        </Dialog>
    }
}

fn labels(pairs: &[(String, String)]) -> AnyView {
    if pairs.is_empty() {
        return view! { <span class="muted">"<none>"</span> }.into_any();
    }
    pairs
        .iter()
        .map(|(key, value)| view! { <span class="label-chip">{format!("{key}={value}")}</span> })
        .collect_view()
        .into_any()
}

/// The stream's field managers (`metadata.managedFields`): who applied it
/// (`kubectl apply --server-side`, a GitOps tool) and who else changed it.
fn field_managers(managed: Option<&serde_json::Value>) -> AnyView {
    let entries: Vec<(String, bool)> = managed
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let manager = entry.get("manager")?.as_str()?.to_owned();
            let applied =
                entry.get("operation").and_then(serde_json::Value::as_str) == Some("Apply");
            Some((manager, applied))
        })
        .collect();
    if entries.is_empty() {
        return view! { <span class="muted">"<none>"</span> }.into_any();
    }
    entries
        .into_iter()
        .map(|(manager, applied)| {
            let (text, title) = if applied {
                (
                    format!("{manager} (server-side apply)"),
                    format!("{manager} applies this stream: a field it applied and you change here conflicts with its next apply"),
                )
            } else {
                (manager.clone(), format!("{manager} changed fields of this stream"))
            };
            view! { <span class="label-chip" title=title>{text}</span> }
        })
        .collect_view()
        .into_any()
}

/// Where a tag comes from, in `oc describe`'s words.
pub fn source_line(tag: &TagReference) -> String {
    let Some(from) = &tag.from else {
        return "pushed image".into();
    };
    let name = if from.namespace.is_empty() {
        from.name.clone()
    } else {
        format!("{}/{}", from.namespace, from.name)
    };
    match from.kind.as_str() {
        SourceKind::DOCKER_IMAGE if tag.reference => format!("reference to registry {name}"),
        SourceKind::DOCKER_IMAGE if tag.import_policy.scheduled => {
            format!("updates automatically from registry {name}")
        }
        _ => format!("tagged from {name}"),
    }
}

/// What the buttons of each tag do.
#[derive(Clone, Copy)]
struct TagActions {
    on_tag: Callback<TagRequest>,
    tag: ServerAction<TagImage>,
    import_now: ServerAction<ImportTagNow>,
    delete_target: RwSignal<Option<String>>,
    delete_open: RwSignal<bool>,
}

fn tag_block(
    stream: &ImageStream,
    project: &str,
    tag: &str,
    watched_by: Vec<String>,
    actions: TagActions,
) -> impl IntoView + use<> {
    let TagActions {
        on_tag,
        tag: tag_action,
        import_now: import_action,
        delete_target,
        delete_open,
    } = actions;
    let triggers_page = format!("/ns/{project}/triggers");
    let name = stream.metadata.name.clone();
    let tag_href = format!("/ns/{project}/imagestreams/{name}/tags/{tag}");
    let spec = stream.spec_tag(tag).cloned();
    let status = stream.status_tag(tag).cloned().unwrap_or_default();
    let source = spec
        .as_ref()
        .map_or_else(|| "pushed image".to_owned(), source_line);
    let mut flags = Vec::new();
    if let Some(spec) = &spec {
        if spec.import_policy.insecure {
            flags.push("will use insecure HTTPS or HTTP connections");
        }
        if spec.reference_policy.kind == ReferencePolicy::LOCAL {
            flags.push("prefer registry pullthrough when referencing this tag");
        }
        if spec.import_policy.import_mode == "PreserveOriginal" {
            flags.push("imports every platform of a manifest list");
        }
    }
    let waiting =
        spec.as_ref().is_some_and(|spec| needs_import(stream, spec)) && status.items.is_empty();
    let failures = status.import_failure().map(|c| {
        let at = c.last_transition_time;
        view! {
            <p class="tag-error" role="status">
                {format!("! error: Import failed ({}): {}", c.reason, c.message)}
                {at.map(|at| view! { " " <RelativeTime at/> })}
            </p>
        }
    });
    let history = status
        .items
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let pull_spec = resolved_pull_spec(stream, tag, event);
            let digest = event.image.clone();
            let short = digest.split_once(':').map_or(digest.as_str(), |(_, hex)| &hex[..hex.len().min(12)]).to_owned();
            let rollback = (index > 0 && !digest.is_empty()).then(|| {
                let request = TagRequest {
                    source: format!("{name}@{digest}"),
                    source_hint: SourceHint::ImageStreamImage,
                    destination: format!("{name}:{tag}"),
                    ..TagRequest::default()
                };
                let project = project.to_owned();
                view! {
                    <button
                        type="button"
                        class="btn btn-link"
                        aria-label=format!("Roll {tag} back to {short}")
                        on:click=move |_| {
                            tag_action.dispatch(TagImage { namespace: project.clone(), request: request.clone() });
                        }
                    >
                        "Roll back to this"
                    </button>
                }
            });
            view! {
                <li class:history-current=index == 0>
                    <span class="history-marker" aria-hidden="true">"*"</span>
                    <code class="history-spec">{pull_spec}</code>
                    <span class="history-meta">
                        <RelativeTime at=event.created/>
                        {(!short.is_empty()).then(|| view! { <span class="digest" title=digest.clone()>{short.clone()}</span> })}
                    </span>
                    {rollback}
                </li>
            }
        })
        .collect_view();
    let alias_request = TagRequest {
        source: format!("{name}:{tag}"),
        destination: format!("{name}:"),
        alias: true,
        ..TagRequest::default()
    };
    let destination = format!("{name}:{tag}");
    // `oc import-image stream:tag`: only for tags that follow a registry image.
    let import_now = spec
        .as_ref()
        .filter(|spec| {
            !spec.reference
                && spec
                    .from
                    .as_ref()
                    .is_some_and(|from| from.kind == SourceKind::DOCKER_IMAGE)
        })
        .map(|_| {
            let (project, destination) = (project.to_owned(), destination.clone());
            view! {
                <button
                    type="button"
                    class="btn btn-link"
                    aria-label=format!("Import {destination} now")
                    disabled=move || import_action.pending().get()
                    on:click=move |_| {
                        import_action.dispatch(ImportTagNow { namespace: project.clone(), destination: destination.clone() });
                    }
                >
                    "Import now"
                </button>
            }
        });
    view! {
        <article class="tag-block" id=format!("tag-{tag}") aria-label=format!("Tag {tag}")>
            <header class="tag-header">
                <h2 class="tag-name"><a href=tag_href>{tag.to_owned()}</a></h2>
                <span class="tag-source">{source}</span>
                <span class="tag-actions">
                    {import_now}
                    <button type="button" class="btn btn-link" on:click=move |_| on_tag.run(alias_request.clone())>"Add alias"</button>
                    <button
                        type="button"
                        class="btn btn-link btn-danger-link"
                        on:click=move |_| {
                            delete_target.set(Some(destination.clone()));
                            delete_open.set(true);
                        }
                    >
                        "Delete tag"
                    </button>
                </span>
            </header>
            {(!flags.is_empty()).then(|| view! { <ul class="tag-flags">{flags.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul> })}
            {failures}
            {waiting.then(|| view! { <p class="muted">"Not imported yet."</p> })}
            {(!watched_by.is_empty()).then(|| view! {
                <p class="tag-watchers">"Triggers watching this tag: "
                    <a href=triggers_page>{watched_by.join(", ")}</a>
                </p>
            })}
            <ol class="history" aria-label=format!("History of {tag}, newest first")>{history}</ol>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::model::ObjectReference;

    fn tag(kind: &str, name: &str) -> TagReference {
        TagReference {
            name: "t".into(),
            from: Some(ObjectReference {
                kind: kind.into(),
                name: name.into(),
                ..Default::default()
            }),
            ..TagReference::default()
        }
    }

    #[test]
    fn source_lines_read_like_oc_describe() {
        assert_eq!(
            source_line(&tag("DockerImage", "docker.io/ruby:3")),
            "tagged from docker.io/ruby:3"
        );
        let mut scheduled = tag("DockerImage", "docker.io/ruby:3");
        scheduled.import_policy.scheduled = true;
        assert_eq!(
            source_line(&scheduled),
            "updates automatically from registry docker.io/ruby:3"
        );
        let mut reference = tag("DockerImage", "docker.io/ruby:3");
        reference.reference = true;
        assert_eq!(
            source_line(&reference),
            "reference to registry docker.io/ruby:3"
        );
        let mut other = tag("ImageStreamTag", "ruby:3");
        other.from.as_mut().unwrap().namespace = "openshift".into();
        assert_eq!(source_line(&other), "tagged from openshift/ruby:3");
    }
}
