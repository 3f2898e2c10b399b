//! `oc import-image` as a form: the pull spec is looked up in its registry
//! as the user types (a dry run, debounced), showing what would be imported
//! or the registry's answer next to the field; importing lands on the stream.

use crate::api::page_data;
use std::time::Duration;

use engine::model::DockerImageReference;
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::image_streams::project_param;
use crate::{
    api::imports::{ImportForm, ImportImage, ImportPreview, RepositoryPreview, preview_import},
    components::{
        Button, Checkbox, ErrorAlert, RelativeTime, SelectField, TextField, Toasts, Variant,
        field_error_of, human_size,
    },
};

/// How long typing must pause before the registry is asked.
const PREVIEW_DELAY: Duration = Duration::from_millis(400);

/// `/ns/:project/import[?from=&stream=&tag=]` (the catalog fills these in).
#[component]
pub fn ImportImagePage() -> impl IntoView {
    let project = project_param();
    let preset = |key: &str| use_query_map().with_untracked(|url| url.get(key).unwrap_or_default());
    let from = RwSignal::new(preset("from"));
    let stream = RwSignal::new(preset("stream"));
    let tag = RwSignal::new(preset("tag"));
    let insecure = RwSignal::new(false);
    let scheduled = RwSignal::new(false);
    let all = RwSignal::new(false);
    let mode = RwSignal::new("Legacy".to_owned());
    let policy = RwSignal::new("Source".to_owned());
    // Stream and tag follow the pull spec until the user edits them.
    let suggested = RwSignal::new((String::new(), String::new()));
    let parsed = Memo::new(move |_| {
        let text = from.get();
        let text = text.trim();
        (!text.is_empty()).then(|| DockerImageReference::parse(text).map_err(|e| e.to_string()))
    });
    Effect::new(move |_| {
        if let Some(Ok(reference)) = parsed.get() {
            let name = reference.name.clone();
            let tag_name = if reference.tag.is_empty() {
                "latest".to_owned()
            } else {
                reference.tag.clone()
            };
            let (old_stream, old_tag) = suggested.get_untracked();
            if stream.get_untracked() == old_stream {
                stream.set(name.clone());
            }
            if tag.get_untracked() == old_tag {
                tag.set(tag_name.clone());
            }
            suggested.set((name, tag_name));
        }
    });

    let form = move || ImportForm {
        from: from.get().trim().to_owned(),
        stream: stream.get(),
        tag: tag.get(),
        insecure: insecure.get(),
        scheduled: scheduled.get(),
        import_mode: mode.get(),
        reference_policy: policy.get(),
        all: all.get(),
    };
    // The dry run: asked only for a pull spec that parses, after a pause.
    let asked = RwSignal::new(None::<ImportForm>);
    let ticket = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let wanted = ImportForm {
            stream: String::new(),
            tag: "preview".into(),
            scheduled: false,
            reference_policy: String::new(),
            ..form()
        };
        let valid = matches!(parsed.get(), Some(Ok(_)));
        ticket.update_value(|t| *t += 1);
        let mine = ticket.get_value();
        if !valid {
            asked.set(None);
            return;
        }
        set_timeout(
            move || {
                if ticket.get_value() == mine {
                    asked.set(Some(wanted));
                }
            },
            PREVIEW_DELAY,
        );
    });
    let preview = page_data::load(
        move || (project.get(), asked.get()),
        |(project, asked)| async move {
            match asked {
                Some(form) => Some(preview_import(project, form).await),
                None => None,
            }
        },
    );

    let action = ServerAction::<ImportImage>::new();
    let submitted = RwSignal::new(None::<ImportForm>);
    let toasts = Toasts::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(message)) = action.value().get() {
            toasts.success(message);
            navigate(
                &format!(
                    "/ns/{}/imagestreams/{}",
                    project.get_untracked(),
                    stream.get_untracked()
                ),
                Default::default(),
            );
        }
    });
    let server_error = Memo::new(move |_| {
        let error = action.value().get()?.err()?;
        (submitted.get().as_ref() == Some(&form())).then_some(error)
    });
    let from_error = Signal::derive(move || {
        if let Some(Err(message)) = parsed.get() {
            return Some(message);
        }
        if let Some(error) = server_error.get().and_then(|e| e.for_field("from")) {
            return Some(error);
        }
        preview
            .get()
            .flatten()
            .and_then(Result::err)
            .map(|e| e.for_field("from").unwrap_or_else(|| e.to_string()))
    });
    let field_error = move |field: &'static str| field_error_of(server_error, field);
    let form_error = move || {
        server_error.get().filter(|e| {
            ["from", "stream", "tag", "import_mode"]
                .iter()
                .all(|f| e.for_field(f).is_none())
        })
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = form();
        submitted.set(Some(form.clone()));
        action.dispatch(ImportImage {
            namespace: project.get_untracked(),
            form,
        });
    };

    view! {
        <Title text="Import image"/>
        <section class="page-section">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=move || format!("/ns/{}/imagestreams", project.get())>"Image Streams"</a>
                <span aria-hidden="true">" › "</span>
                <span aria-current="page">"Import image"</span>
            </nav>
            <header class="page-header">
                <h1 class="page-title">"Import image"</h1>
                <p class="page-lead">"Like " <code>"oc import-image"</code> ": read an image from its registry into a tag of an image stream in " <strong>{project}</strong> "."</p>
            </header>
            <div class="import-layout">
                <form class="import-form" on:submit=on_submit novalidate>
                    {move || form_error().map(|error| view! { <ErrorAlert error/> })}
                    <TextField
                        id="import-from"
                        label="Image"
                        value=from
                        required=true
                        placeholder="quay.io/org/app:1.0"
                        hint="A pull spec: registry/repository:tag or @digest. Short names (ruby:3.3) come from Docker Hub."
                        error=from_error
                    />
                    <div class="form-row">
                        <TextField id="import-stream" label="Image stream" value=stream required=true error=field_error("stream")/>
                        <Show when=move || !all.get()>
                            <TextField id="import-tag" label="Tag" value=tag required=true error=field_error("tag")/>
                        </Show>
                    </div>
                    <fieldset class="form-group">
                        <legend>"Options"</legend>
                        <Checkbox id="import-all" label="Every tag of the repository (--all)" checked=all/>
                        <Checkbox id="import-insecure" label="Allow plain HTTP or unverified TLS (--insecure)" checked=insecure/>
                        <Checkbox id="import-scheduled" label="Re-import periodically (--scheduled)" checked=scheduled/>
                    </fieldset>
                    <div class="form-row">
                        <SelectField id="import-mode" label="Import mode" value=mode options=vec![("Legacy", "Legacy: one platform"), ("PreserveOriginal", "PreserveOriginal: every platform")]/>
                        <SelectField id="import-policy" label="Reference policy" value=policy options=vec![("Source", "Source: pull from where it came from"), ("Local", "Local: pull through the integrated registry")]/>
                    </div>
                    <div class="toolbar">
                        <Button variant=Variant::Primary submit=true busy=action.pending()>"Import"</Button>
                    </div>
                </form>
                <aside class="import-preview" aria-label="What would be imported" aria-live="polite">
                    <Transition fallback=|| view! { <p class="muted">"Looking it up…"</p> }>
                        {move || Suspend::new(async move {
                            match preview.await {
                                None => view! { <p class="muted">"Type an image to see what would be imported."</p> }.into_any(),
                                Some(Err(_)) => view! { <p class="muted">"Nothing to import yet."</p> }.into_any(),
                                Some(Ok(found)) => view! { <PreviewCard found/> }.into_any(),
                            }
                        })}
                    </Transition>
                </aside>
            </div>
        </section>
    }
}

#[component]
fn PreviewCard(found: ImportPreview) -> impl IntoView {
    let credentials = credentials_line(&found.pull_secret);
    if let Some(repository) = found.repository {
        return view! { <RepositoryPreviewCard repository/>{credentials} }.into_any();
    }
    let ports = if found.ports.is_empty() {
        "none".to_owned()
    } else {
        found.ports.join(", ")
    };
    let labels = found
        .labels
        .iter()
        .map(|(k, v)| view! { <li><code>{format!("{k}={v}")}</code></li> })
        .collect_view();
    view! {
        <h2 class="preview-title">"Would import"</h2>
        <dl class="describe">
            <dt>"Digest"</dt><dd><code>{found.digest.clone()}</code></dd>
            <dt>"Pull spec"</dt><dd><code>{found.pull_spec.clone()}</code></dd>
            <dt>"Platforms"</dt><dd>{found.platforms.join(", ")}</dd>
            <dt>"Size"</dt><dd>{human_size(found.size)}</dd>
            <dt>"Created"</dt><dd>{found.created.map(|at| view! { <RelativeTime at/> })}</dd>
            <dt>"Exposed ports"</dt><dd>{ports}</dd>
            <dt>"Labels"</dt><dd><ul class="plain-list">{labels}</ul></dd>
        </dl>
        {credentials}
    }
    .into_any()
}

/// Which login the registry was asked with: the real import presents the same.
fn credentials_line(pull_secret: &str) -> impl IntoView + use<> {
    let text = if pull_secret.is_empty() {
        "Asked anonymously: no pull secret of this project matches the registry.".to_owned()
    } else {
        format!("Asked with the login of pull secret \"{pull_secret}\".")
    };
    view! { <p class="muted import-credentials">{text}</p> }
}

/// `--all`: each tag in import order with its digest or its problem, then
/// the tags beyond the limit.
#[component]
fn RepositoryPreviewCard(repository: RepositoryPreview) -> impl IntoView {
    let count = repository.tags.len();
    let rows = repository
        .tags
        .into_iter()
        .map(|(tag, found)| {
            let result = match found {
                Ok(digest) => view! { <code>{digest}</code> }.into_any(),
                Err(problem) => view! { <span class="text-danger">{problem}</span> }.into_any(),
            };
            view! { <tr><th scope="row">{tag}</th><td>{result}</td></tr> }
        })
        .collect_view();
    let additional = (!repository.additional_tags.is_empty()).then(|| {
        let skipped = repository.additional_tags.len();
        view! {
            <p class="muted">
                {format!("{skipped} more tags beyond the import limit would not be imported: ")}
                {repository.additional_tags.join(", ")}
            </p>
        }
    });
    view! {
        <h2 class="preview-title">{format!("Would import {count} tags")}</h2>
        <table class="data-table compact">
            <thead><tr><th scope="col">"Tag"</th><th scope="col">"Image"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {additional}
    }
}
