//! One tag (ImageStreamTag): pull specs to copy, the image's metadata (or each
//! platform of a manifest list), the history as a timeline, and the triggers
//! that watch the tag.

use crate::api::page_data;
use engine::model::live::LiveFilter;
use engine::model::{
    ImageStream, ImageStreamTag, resolved_pull_spec, schedule_overview::ScheduledTag,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::project_param;
use crate::{
    api::{
        image_streams::{get_image_stream, get_image_stream_tag},
        schedule::tag_schedule,
        triggers::tag_watchers,
    },
    components::{ClipboardCopy, ErrorPanel, RelativeTime, human_size},
    errors::ConsoleError,
    live::use_live,
};

/// `/ns/:project/imagestreams/:name/tags/:tag`
#[component]
pub fn TagPage() -> impl IntoView {
    let project = project_param();
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let tag = Memo::new(move |_| params.read().get("tag").unwrap_or_default());
    // The stream and the trigger owners watching it, all in the project.
    let changed = use_live(move || LiveFilter::projects([project.get()]));
    let found = page_data::load(
        move || (project.get(), name.get(), tag.get(), changed.get()),
        |(project, name, tag, _)| async move {
            let stream = get_image_stream(project.clone(), name.clone()).await?;
            let watchers = tag_watchers(project.clone(), name.clone()).await?;
            let schedule = tag_schedule(project.clone(), name.clone(), tag.clone()).await?;
            let istag = get_image_stream_tag(project, name, tag).await?;
            Ok::<_, ConsoleError>((stream, istag, watchers, schedule))
        },
    );
    let body = move || {
        Suspend::new(async move {
            let (stream, istag, watchers, schedule) = found.await?;
            let tag = tag.get_untracked();
            let watchers: Vec<String> = watchers
                .into_iter()
                .filter(|(watched, _)| *watched == tag)
                .map(|(_, owner)| owner)
                .collect();
            Ok::<_, ConsoleError>(view! {
                <PullSpecs stream=stream.clone() istag=istag.clone() tag=tag.clone()/>
                {schedule.map(|schedule| view! { <ScheduleLine schedule/> })}
                <ImageDetails istag/>
                <Timeline stream tag=tag.clone()/>
                <Watchers project=project.get_untracked() watchers/>
            })
        })
    };
    let stream_href = move || format!("/ns/{}/imagestreams/{}", project.get(), name.get());
    view! {
        <Title text=move || format!("{}:{}", name.get(), tag.get())/>
        <section class="page-section">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <a href=move || format!("/ns/{}/imagestreams", project.get())>"Image Streams"</a>
                <span aria-hidden="true">" › "</span>
                <a href=stream_href>{name}</a>
                <span aria-hidden="true">" › "</span>
                <span aria-current="page">{tag}</span>
            </nav>
            <header class="page-header">
                <h1 class="page-title">{move || format!("{}:{}", name.get(), tag.get())}</h1>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}

/// By tag, by digest, and a `podman pull` line, each with a copy button.
#[component]
fn PullSpecs(stream: ImageStream, istag: ImageStreamTag, tag: String) -> impl IntoView {
    let by_tag = format!("{}:{tag}", stream.status.docker_image_repository);
    let by_digest = istag.image.docker_image_reference.clone();
    let podman = format!("podman pull {by_digest}");
    view! {
        <h2 class="section-title">"Pull specs"</h2>
        <div class="pull-specs">
            <ClipboardCopy value=by_tag label="Pull spec by tag"/>
            <ClipboardCopy value=by_digest label="Pull spec by digest"/>
            <ClipboardCopy value=podman label="Podman pull command"/>
        </div>
    }
}

/// The image's metadata; for a manifest list, each platform as well.
#[component]
fn ImageDetails(istag: ImageStreamTag) -> impl IntoView {
    let image = istag.image;
    let meta = image.docker_image_metadata;
    let config = meta.config.unwrap_or_default();
    let platform = [
        meta.os.as_str(),
        meta.architecture.as_str(),
        meta.variant.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join("/");
    let list = |items: &[String]| {
        if items.is_empty() {
            view! { <span class="muted">"none"</span> }.into_any()
        } else {
            view! { <code>{items.join(" ")}</code> }.into_any()
        }
    };
    let known = |value: &str| {
        if value.is_empty() {
            view! { <span class="muted">"unknown"</span> }.into_any()
        } else {
            view! { <code>{value.to_owned()}</code> }.into_any()
        }
    };
    let text = |value: &str| {
        if value.is_empty() {
            view! { <span class="muted">"not set"</span> }.into_any()
        } else {
            view! { <code>{value.to_owned()}</code> }.into_any()
        }
    };
    let env = config
        .env
        .iter()
        .map(|line| view! { <li><code>{line.clone()}</code></li> })
        .collect_view();
    let ports: Vec<String> = config.exposed_ports.keys().cloned().collect();
    let labels = config
        .labels
        .iter()
        .map(|(key, value)| view! { <span class="label-chip">{format!("{key}={value}")}</span> })
        .collect_view();
    let layer_total: i64 = image
        .docker_image_layers
        .iter()
        .map(|layer| layer.size)
        .sum();
    let layers = image
        .docker_image_layers
        .iter()
        .map(|layer| {
            view! {
                <tr>
                    <td class="mono" data-label="Digest">{layer.name.clone()}</td>
                    <td data-label="Size">{human_size(layer.size)}</td>
                    <td class="mono" data-label="Media type">{layer.media_type.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let platforms = (!image.docker_image_manifests.is_empty()).then(|| {
        let rows = image
            .docker_image_manifests
            .iter()
            .map(|manifest| {
                view! {
                    <tr>
                        <td data-label="Platform">{manifest.platform()}</td>
                        <td class="mono" data-label="Digest">{manifest.digest.clone()}</td>
                        <td data-label="Manifest size">{human_size(manifest.manifest_size)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2 class="section-title">"Platforms"</h2>
            <div class="table-wrapper">
                <table class="data-table">
                    <caption class="visually-hidden">"Platforms of the manifest list"</caption>
                    <thead><tr><th scope="col">"Platform"</th><th scope="col">"Digest"</th><th scope="col">"Manifest size"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <h2 class="section-title">"Image"</h2>
        <dl class="describe">
            <dt>"Digest"</dt><dd class="mono">{image.metadata.name.clone()}</dd>
            <dt>"Media type"</dt><dd>{known(&image.docker_image_manifest_media_type)}</dd>
            <dt>"Created"</dt>
            <dd>{match meta.created {
                Some(at) => view! { <RelativeTime at/> }.into_any(),
                None => view! { <span class="muted">"unknown"</span> }.into_any(),
            }}</dd>
            <dt>"Platform"</dt><dd>{text(&platform)}</dd>
            <dt>"Size"</dt>
            <dd>{if meta.size == 0 && image.docker_image_layers.is_empty() {
                // An image announced by a mapping, never read from its registry.
                view! { <span class="muted">"unknown"</span> }.into_any()
            } else {
                human_size(meta.size).into_any()
            }}</dd>
            <dt>"User"</dt><dd>{text(&config.user)}</dd>
            <dt>"Working directory"</dt><dd>{text(&config.working_dir)}</dd>
            <dt>"Entrypoint"</dt><dd>{list(&config.entrypoint)}</dd>
            <dt>"Command"</dt><dd>{list(&config.cmd)}</dd>
            <dt>"Exposed ports"</dt><dd>{list(&ports)}</dd>
            <dt>"Environment"</dt>
            <dd>{if config.env.is_empty() { view! { <span class="muted">"none"</span> }.into_any() } else { view! { <ul class="plain-list">{env}</ul> }.into_any() }}</dd>
            <dt>"Labels"</dt>
            <dd>{if config.labels.is_empty() { view! { <span class="muted">"none"</span> }.into_any() } else { labels.into_any() }}</dd>
        </dl>
        {platforms}
        {(!image.docker_image_layers.is_empty()).then(|| view! {
            <h2 class="section-title">{format!("Layers ({}, {})", image.docker_image_layers.len(), human_size(layer_total))}</h2>
            <div class="table-wrapper">
                <table class="data-table">
                    <caption class="visually-hidden">"Layers, base first"</caption>
                    <thead><tr><th scope="col">"Digest"</th><th scope="col">"Size"</th><th scope="col">"Media type"</th></tr></thead>
                    <tbody>{layers}</tbody>
                </table>
            </div>
        })}
    }
}

/// The tag's history as a timeline, newest first.
#[component]
fn Timeline(stream: ImageStream, tag: String) -> impl IntoView {
    let events = stream
        .status_tag(&tag)
        .map(|status| status.items.clone())
        .unwrap_or_default();
    let items = events
        .iter()
        .enumerate()
        .map(|(index, event)| {
            let spec = resolved_pull_spec(&stream, &tag, event);
            view! {
                <li class:timeline-current=index == 0>
                    <RelativeTime at=event.created/>
                    <code class="history-spec">{spec}</code>
                    {(index == 0).then(|| view! { <span class="badge">"current"</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <h2 class="section-title">"History"</h2>
        <ol class="timeline" aria-label=format!("History of {tag}, newest first")>{items}</ol>
    }
}

/// The owners whose triggers watch this tag.
#[component]
fn Watchers(project: String, watchers: Vec<String>) -> impl IntoView {
    let page = format!("/ns/{project}/triggers");
    view! {
        <h2 class="section-title">"Triggers watching this tag"</h2>
        {if watchers.is_empty() {
            view! { <p class="muted">"No trigger watches this tag."</p> }.into_any()
        } else {
            view! { <p><a href=page>{watchers.join(", ")}</a></p> }.into_any()
        }}
    }
}

/// When the tag is checked next and how its last check went, linking to
/// the schedule overview.
#[component]
fn ScheduleLine(schedule: ScheduledTag) -> impl IntoView {
    let href = format!("/ns/{}/schedule", schedule.namespace);
    let kind = if schedule.scheduled {
        "Checked again every interval"
    } else {
        "Imported until its first success"
    };
    let last = match (&schedule.last_check, &schedule.last_result) {
        (Some(at), Some(result)) if result == "Success" => {
            view! { "; last check " <RelativeTime at=*at/> ": imported" }.into_any()
        }
        (Some(at), Some(result)) => view! {
            "; last check " <RelativeTime at=*at/>
            {format!(": {result} ({} failures in a row)", schedule.failures)}
        }
        .into_any(),
        _ => view! { "; not checked yet" }.into_any(),
    };
    view! {
        <p class="tag-schedule" aria-label="Import schedule">
            {kind} ": next check " <RelativeTime at=schedule.due/> {last} ". "
            <a href=href>"Import schedule"</a>
        </p>
    }
}
