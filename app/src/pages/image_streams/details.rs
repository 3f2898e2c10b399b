//! One image stream: its description (`oc describe is`) or its YAML, with the
//! actions that change it.

use crate::api::page_data;
use engine::model::TagRequest;
use engine::model::live::LiveFilter;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::{
    describe::StreamDescription, project_param, tag_dialog::TagDialog, yaml_editor::YamlEditor,
};
use crate::{
    api::{
        image_streams::{DeleteImageStream, export_image_stream, get_image_stream},
        manifests::{ApplyYaml, YamlObjects},
        triggers::tag_watchers,
    },
    components::{Button, Dialog, ErrorAlert, ErrorPanel, Toasts, Variant},
    live::use_live,
};

/// `/ns/:project/imagestreams/:name[?tab=yaml]`
#[component]
pub fn StreamPage() -> impl IntoView {
    let project = project_param();
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let query = use_query_map();
    let yaml_tab = Memo::new(move |_| query.read().get("tab").as_deref() == Some("yaml"));
    let version = RwSignal::new(0_u32);
    let stream_changed = use_live(move || {
        LiveFilter::projects([project.get()])
            .resource(engine::resources::IMAGE_STREAMS)
            .named(name.get())
    });
    // Trigger owners watching this stream live in the project too.
    let project_changed = use_live(move || LiveFilter::projects([project.get()]));
    let stream = page_data::load(
        move || {
            (
                project.get(),
                name.get(),
                version.get(),
                stream_changed.get(),
            )
        },
        |(project, name, _, _)| get_image_stream(project, name),
    );
    let watchers = page_data::load(
        move || {
            (
                project.get(),
                name.get(),
                version.get(),
                project_changed.get(),
            )
        },
        |(project, name, _, _)| tag_watchers(project, name),
    );
    let refresh = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let tag_open = RwSignal::new(false);
    let tag_preset = RwSignal::new(TagRequest::default());
    let open_tag = Callback::new(move |preset: TagRequest| {
        tag_preset.set(preset);
        tag_open.set(true);
    });
    let delete_open = RwSignal::new(false);
    let base = move || format!("/ns/{}/imagestreams/{}", project.get(), name.get());

    // The description waits for the stream; the YAML tab loads its own text
    // and lives outside that wait, so a refresh after an apply never tears
    // down the editor that asked for it.
    let description = move || {
        Suspend::new(async move {
            let stream = stream.await?;
            let watchers = watchers.await.unwrap_or_default();
            Ok::<_, crate::errors::ConsoleError>(
                view! { <StreamDescription stream watchers project=project.get_untracked() on_tag=open_tag on_changed=refresh/> },
            )
        })
    };
    let yaml = move || {
        let (project, name) = (project.get(), name.get());
        view! { <YamlTab project name on_applied=refresh/> }
    };
    view! {
        <Title text=move || name.get()/>
        <section class="page-section">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=move || format!("/ns/{}/imagestreams", project.get())>"Image Streams"</a>
                <span aria-hidden="true">" › "</span>
                <span aria-current="page">{name}</span>
            </nav>
            <header class="page-header page-header-actions">
                <h1 class="page-title">{name}</h1>
                <div class="toolbar">
                    <Button
                        variant=Variant::Primary
                        on_click=Callback::new(move |_| {
                            open_tag.run(TagRequest { destination: format!("{}:", name.get_untracked()), ..TagRequest::default() })
                        })
                    >
                        "Add tag"
                    </Button>
                    <Button variant=Variant::Danger on_click=Callback::new(move |_| delete_open.set(true))>"Delete"</Button>
                </div>
            </header>
            <nav class="tabs" aria-label="Views of this stream">
                <a href=base aria-current=move || (!yaml_tab.get()).then_some("page")>"Details"</a>
                <a href=move || format!("{}?tab=yaml", base()) aria-current=move || yaml_tab.get().then_some("page")>"YAML"</a>
            </nav>
            <Show
                when=move || yaml_tab.get()
                fallback=move || view! {
                    <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                        <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{description}</ErrorBoundary>
                    </Transition>
                }
            >
                {yaml}
            </Show>
        </section>
        <TagDialog open=tag_open namespace=project preset=tag_preset on_done=refresh/>
        <DeleteStreamDialog open=delete_open project name/>
    }
}

/// The stream as YAML, editable and applied in place.
#[component]
fn YamlTab(project: String, name: String, on_applied: Callback<()>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let loaded = page_data::load(
        {
            let (project, name) = (project.clone(), name.clone());
            move || (project.clone(), name.clone())
        },
        |(project, name)| export_image_stream(project, name),
    );
    let apply = ServerAction::<ApplyYaml>::new();
    let toasts = Toasts::get();
    let outcome = move || apply.value().get().and_then(Result::err);
    let problems = Signal::derive(move || {
        outcome()
            .map(|e| e.field_errors().to_vec())
            .unwrap_or_default()
    });
    let other_error = move || outcome().filter(|e| e.field_errors().is_empty());
    Effect::new(move |_| {
        if let Some(Ok(lines)) = apply.value().get() {
            toasts.success(lines.join("\n"));
            loaded.refetch();
            on_applied.run(());
        }
    });
    let editor = move || {
        Suspend::new(async move {
            let yaml = loaded.await?;
            text.set(yaml);
            Ok::<_, crate::errors::ConsoleError>(
                view! { <YamlEditor id="stream-yaml" label="YAML" text problems/> },
            )
        })
    };
    let submit = move |_| {
        apply.dispatch(ApplyYaml {
            namespace: project.clone(),
            objects: YamlObjects::ImageStreams,
            text: text.get_untracked(),
        });
    };
    view! {
        {move || other_error().map(|error| view! { <ErrorAlert error/> })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{editor}</ErrorBoundary>
        </Transition>
        <div class="toolbar">
            <Button variant=Variant::Primary busy=apply.pending() on_click=Callback::new(submit)>"Apply"</Button>
            <Button on_click=Callback::new(move |_| loaded.refetch())>"Reload"</Button>
        </div>
    }
}

#[component]
fn DeleteStreamDialog(
    open: RwSignal<bool>,
    project: Memo<String>,
    name: Memo<String>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteImageStream>::new();
    let toasts = Toasts::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            toasts.success(format!(
                "imagestream.image.openshift.io \"{}\" deleted",
                name.get_untracked()
            ));
            open.set(false);
            navigate(
                &format!("/ns/{}/imagestreams", project.get_untracked()),
                Default::default(),
            );
        }
    });
    let error = move || delete.value().get().and_then(Result::err);
    view! {
        <Dialog open id="delete-stream" title="Delete image stream?">
            {move || error().map(|error| view! { <ErrorAlert error/> })}
            <p>"This deletes " <strong>{name}</strong> " with all its tags and their history. The images stay in their registries."</p>
            <div class="modal-footer">
                <Button
                    variant=Variant::Danger
                    busy=delete.pending()
                    on_click=Callback::new(move |_| {
                        delete.dispatch(DeleteImageStream { namespace: project.get_untracked(), name: name.get_untracked() });
                    })
                >
                    "Delete"
                </Button>
                <Button on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
            </div>
        </Dialog>
    }
}
