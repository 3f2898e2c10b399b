//! The project's image streams, like `oc get is`: name, image repository,
//! tags, updated; filter and sort; create from YAML or by tagging.

use crate::api::page_data;
use engine::model::TagRequest;
use engine::model::live::LiveFilter;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    activity::ImportActivityChart, project_param, tag_dialog::TagDialog,
    yaml_editor::ApplyYamlDialog,
};
use crate::{
    api::image_streams::{StreamRow, list_image_streams},
    components::{
        Button, Column, DataTable, EmptyState, ErrorPanel, RelativeTime, SortKey, TableSkeleton,
        Variant,
    },
    errors::ConsoleError,
    live::use_live,
};

const TITLES: &[&str] = &["Name", "Image repository", "Tags", "Updated"];
const SHOWN_TAGS: usize = 5;

/// `/ns/:project/imagestreams`
#[component]
pub fn ImageStreamsPage() -> impl IntoView {
    let project = project_param();
    let version = RwSignal::new(0_u32);
    let changed = use_live(move || {
        LiveFilter::projects([project.get()]).resource(engine::resources::IMAGE_STREAMS)
    });
    let streams = page_data::load(
        move || (project.get(), version.get(), changed.get()),
        |(project, _, _)| list_image_streams(project),
    );
    let refresh = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let filter = RwSignal::new(String::new());
    let yaml_open = RwSignal::new(false);
    let tag_open = RwSignal::new(false);
    let tag_preset = RwSignal::new(TagRequest::default());
    let open_tag = move || {
        tag_preset.set(TagRequest::default());
        tag_open.set(true);
    };
    let table = move || {
        Suspend::new(async move {
            let all = streams.await?;
            if all.is_empty() {
                return Ok::<_, ConsoleError>(
                    view! {
                        <EmptyState title="No image streams yet">
                            <p>"An image stream is a named set of tags, each pointing at an image in some registry."</p>
                            <div class="empty-state-actions">
                                <Button variant=Variant::Primary on_click=Callback::new(move |_| yaml_open.set(true))>"Create from YAML"</Button>
                                <a class="btn btn-secondary" href=format!("/ns/{}/import", project.get_untracked())>"Import image"</a>
                                <Button on_click=Callback::new(move |_| open_tag())>"Tag an image"</Button>
                            </div>
                        </EmptyState>
                    }
                    .into_any(),
                );
            }
            let rows = Signal::derive(move || matching(&all, &filter.get()));
            Ok(view! {
                <DataTable
                    caption="Image streams"
                    columns=columns(project.get_untracked())
                    rows=rows
                    row_key=|row: &StreamRow| row.name.clone()
                    sort_column=0
                    empty=ViewFn::from(move || view! {
                        <EmptyState title="No image streams match">
                            <p>"No stream's name contains \"" {filter.get()} "\"."</p>
                        </EmptyState>
                    })
                />
            }
            .into_any())
        })
    };
    view! {
        <Title text="Image Streams"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Image Streams"</h1>
                <p class="page-lead">"Named sets of tags in " <strong>{project}</strong> ". Each tag points at an image by digest and remembers its history."</p>
            </header>
            <ImportActivityChart project/>
            <div class="toolbar">
                <input type="search" class="form-control toolbar-filter" placeholder="Filter by name" aria-label="Filter image streams by name" bind:value=filter/>
                <Button variant=Variant::Primary on_click=Callback::new(move |_| yaml_open.set(true))>"Create from YAML"</Button>
                <a class="btn btn-secondary" href=move || format!("/ns/{}/import", project.get())>"Import image"</a>
                <Button on_click=Callback::new(move |_| open_tag())>"Tag an image"</Button>
                <a class="btn btn-link" href=move || format!("/ns/{}/schedule", project.get())>"Import schedule"</a>
            </div>
            <Transition fallback=|| view! { <TableSkeleton titles=TITLES/> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{table}</ErrorBoundary>
            </Transition>
        </section>
        <ApplyYamlDialog open=yaml_open namespace=project on_applied=refresh/>
        <TagDialog open=tag_open namespace=project preset=tag_preset on_done=refresh/>
    }
}

fn matching(rows: &[StreamRow], needle: &str) -> Vec<StreamRow> {
    let needle = needle.trim().to_lowercase();
    rows.iter()
        .filter(|row| row.name.contains(&needle))
        .cloned()
        .collect()
}

fn columns(project: String) -> Vec<Column<StreamRow>> {
    vec![
        Column::new("Name", move |row: &StreamRow| {
            view! { <a href=format!("/ns/{project}/imagestreams/{}", row.name)>{row.name.clone()}</a> }.into_any()
        })
        .sort_by(|row| SortKey::Text(row.name.clone())),
        Column::new("Image repository", |row: &StreamRow| view! { <span class="mono">{row.repository.clone()}</span> }.into_any()),
        Column::new("Tags", |row: &StreamRow| {
            let more = row.tags.len().saturating_sub(SHOWN_TAGS);
            let shown = row.tags.iter().take(SHOWN_TAGS).cloned().collect::<Vec<_>>().join(", ");
            view! { <span>{shown} {(more > 0).then(|| format!(" + {more} more"))}</span> }.into_any()
        })
        .sort_by(|row| SortKey::Number(row.tags.len() as i64)),
        Column::new("Updated", |row: &StreamRow| match row.updated {
            Some(at) => view! { <RelativeTime at/> }.into_any(),
            None => view! { <span class="muted">"never"</span> }.into_any(),
        })
        .sort_by(|row| SortKey::Number(row.updated.map_or(0, |t| t.unix()))),
    ]
}
