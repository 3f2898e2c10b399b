//! `/ns/:project/triggers`: the triggers table, the builds and rollouts, the
//! timeline and the dry run, with "Add from YAML".

use crate::api::page_data;
use engine::model::live::LiveFilter;
use engine::model::triggers::{OwnerKind, RunView, TriggerEdit, TriggerRow};
use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    add_trigger::{AddTriggerForm, AddTriggerState},
    dry_run::DryRunForm,
    timeline::TimelineSection,
    webhooks::WebhooksSection,
};
use crate::{
    api::{
        manifests::YamlObjects,
        triggers::{DeleteTriggerOwner, SetTriggers, load_triggers_page},
    },
    components::{
        Button, Column, DataTable, EmptyState, ErrorPanel, RelativeTime, ShortPullSpec, SortKey,
        TableSkeleton, Toasts, Variant,
    },
    errors::ConsoleError,
    live::use_live,
    pages::image_streams::{ApplyYamlDialog, project_param},
};

const TITLES: &[&str] = &[
    "Owner",
    "Type",
    "Value",
    "Auto",
    "Last fired for",
    "Actions",
];

/// `/ns/:project/triggers`
#[component]
pub fn TriggersPage() -> impl IntoView {
    let project = project_param();
    let version = RwSignal::new(0_u32);
    let changed = use_live(move || LiveFilter::projects([project.get()]));
    let overview = page_data::load(
        move || (project.get(), version.get(), changed.get()),
        |(project, _, _)| load_triggers_page(project),
    );
    let refresh = Callback::new(move |_: ()| version.update(|v| *v += 1));
    let add_trigger = AddTriggerState::new(refresh);
    let yaml_open = RwSignal::new(false);
    let delete = ServerAction::<DeleteTriggerOwner>::new();
    let set = ServerAction::<SetTriggers>::new();
    let actions = RowActions { set, delete };
    let toasts = Toasts::get();
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            toasts.success("Deleted.".to_owned());
            refresh.run(());
        }
        Some(Err(error)) => toasts.failure(error.to_string()),
        None => {}
    });
    Effect::new(move |_| match set.value().get() {
        Some(Ok(message)) => {
            toasts.success(message);
            refresh.run(());
        }
        Some(Err(error)) => toasts.failure(error.to_string()),
        None => {}
    });
    let content = move || {
        Suspend::new(async move {
            let page = overview.await?;
            if page.triggers.is_empty() && page.other_owners.is_empty() {
                return Ok::<_, ConsoleError>(
                    view! {
                        <EmptyState title="No triggers yet">
                            <p>"A BuildConfig, DeploymentConfig or annotated workload with an ImageChange trigger starts a build or rollout when the tag it watches moves."</p>
                            <div class="empty-state-actions">
                                <Button variant=Variant::Primary on_click=Callback::new(move |_| yaml_open.set(true))>"Add from YAML"</Button>
                            </div>
                        </EmptyState>
                    }
                    .into_any(),
                );
            }
            let triggers = Signal::derive({
                let rows = page.triggers.clone();
                move || rows.clone()
            });
            let runs = Signal::derive({
                let rows = page.runs.clone();
                move || rows.clone()
            });
            let others = page.other_owners.clone();
            let mut owners: Vec<String> = page
                .triggers
                .iter()
                .map(|t| format!("{}/{}", t.kind, t.owner))
                .chain(
                    page.other_owners
                        .iter()
                        .map(|(kind, name)| format!("{kind}/{name}")),
                )
                .collect();
            owners.sort();
            owners.dedup();
            Ok(view! {
                <DataTable
                    caption="Image change triggers"
                    columns=trigger_columns(project.get_untracked(), actions)
                    rows=triggers
                    row_key=|row: &TriggerRow| format!("{}/{}/{}", row.kind, row.owner, row.index)
                    sort_column=0
                    empty=ViewFn::from(|| view! { <p class="muted">"No owner has an ImageChange trigger."</p> })
                />
                {(!others.is_empty()).then(|| view! {
                    <p class="muted">"Without image change triggers: "
                        {others.iter().map(|(kind, name)| format!("{kind}/{name}")).collect::<Vec<_>>().join(", ")}
                    </p>
                })}
                <AddTriggerForm namespace=project owners=owners.clone() state=add_trigger/>
                <h2 class="section-title">"Builds and rollouts"</h2>
                <DataTable
                    caption="Builds and rollouts started by triggers"
                    columns=run_columns()
                    rows=runs
                    row_key=|row: &RunView| format!("{}/{}", row.kind, row.name)
                    sort_column=4
                    empty=ViewFn::from(|| view! { <p class="muted">"Nothing started yet."</p> })
                />
                <h2 class="section-title">"Timeline"</h2>
                <TimelineSection namespace=project owners all=page.timeline.clone()/>
            }
            .into_any())
        })
    };
    view! {
        <Title text="Triggers"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Triggers"</h1>
                <p class="page-lead">"Builds and rollouts in " <strong>{project}</strong> " that start when a tag moves, and why each did or did not."</p>
            </header>
            <div class="toolbar">
                <Button variant=Variant::Primary on_click=Callback::new(move |_| yaml_open.set(true))>"Add from YAML"</Button>
                <Button on_click=Callback::new(move |_| refresh.run(()))>"Refresh"</Button>
            </div>
            <Transition fallback=|| view! { <TableSkeleton titles=TITLES/> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{content}</ErrorBoundary>
            </Transition>
            <h2 class="section-title">"Dry run"</h2>
            <DryRunForm namespace=project/>
            <h2 class="section-title">"Webhooks"</h2>
            <p class="page-lead">"POSTed as JSON when a tag is created, moves or is deleted, and when a trigger fires; signed, retried with growing pauses for about 20 minutes."</p>
            <WebhooksSection namespace=project/>
        </section>
        <ApplyYamlDialog open=yaml_open namespace=project on_applied=refresh objects=YamlObjects::TriggerOwners/>
    }
}

/// The actions the triggers table dispatches.
#[derive(Clone, Copy)]
struct RowActions {
    set: ServerAction<SetTriggers>,
    delete: ServerAction<DeleteTriggerOwner>,
}

fn trigger_columns(project: String, actions: RowActions) -> Vec<Column<TriggerRow>> {
    vec![
        Column::new("Owner", |row: &TriggerRow| {
            view! { <span>{format!("{}/{}", row.kind.as_str().to_lowercase(), row.owner)}</span> }
                .into_any()
        })
        .sort_by(|row| SortKey::Text(format!("{}/{}", row.kind, row.owner))),
        Column::new("Type", |_: &TriggerRow| {
            view! { <span>"ImageChange"</span> }.into_any()
        }),
        Column::new("Value", |row: &TriggerRow| {
            view! { <span class="mono">{format!("{} ({})", row.watched, row.target)}</span> }
                .into_any()
        })
        .sort_by(|row| SortKey::Text(row.watched.clone())),
        Column::new("Auto", |row: &TriggerRow| {
            let text = if row.paused {
                "paused"
            } else if row.automatic {
                "true"
            } else {
                "false"
            };
            view! { <span>{text}</span> }.into_any()
        }),
        Column::new("Last fired for", |row: &TriggerRow| {
            if row.last_triggered.is_empty() {
                view! { <span class="muted">"never"</span> }.into_any()
            } else {
                view! { <ShortPullSpec spec=row.last_triggered.clone()/> }.into_any()
            }
        }),
        Column::new("Actions", move |row: &TriggerRow| {
            let (kind, name, index) = (row.kind, row.owner.clone(), row.index);
            let owner = format!("{}/{}", kind.as_str().to_lowercase(), name);
            let project_here = project.clone();
            let edit = move |change: TriggerEdit| {
                let (namespace, name) = (project_here.clone(), name.clone());
                Callback::new(move |_| {
                    actions.set.dispatch(SetTriggers {
                        namespace: namespace.clone(),
                        kind,
                        name: name.clone(),
                        edit: change.clone(),
                    });
                })
            };
            let toggle = if kind == OwnerKind::DeploymentConfig {
                let (label, automatic) = if row.automatic {
                    ("Make manual", false)
                } else {
                    ("Make automatic", true)
                };
                view! { <Button label=format!("{label}: trigger {index} of {owner}") on_click=edit(TriggerEdit::SetAutomatic { index, automatic })>{label}</Button> }.into_any()
            } else {
                let (label, paused) = if row.paused {
                    ("Resume", false)
                } else {
                    ("Pause", true)
                };
                view! { <Button label=format!("{label} trigger {index} of {owner}") on_click=edit(TriggerEdit::SetPaused { index, paused })>{label}</Button> }.into_any()
            };
            let remove = edit(TriggerEdit::Remove { index });
            let delete_owner = {
                let (namespace, name) = (project.clone(), row.owner.clone());
                Callback::new(move |_| {
                    actions.delete.dispatch(DeleteTriggerOwner {
                        namespace: namespace.clone(),
                        kind,
                        name: name.clone(),
                    });
                })
            };
            view! {
                <span class="row-actions">
                    {toggle}
                    <Button label=format!("Remove trigger {index} of {owner}") on_click=remove>"Remove"</Button>
                    <Button label=format!("Delete {owner}") on_click=delete_owner>"Delete owner"</Button>
                </span>
            }
            .into_any()
        }),
    ]
}

fn run_columns() -> Vec<Column<RunView>> {
    vec![
        Column::new("Name", |row: &RunView| {
            view! { <strong>{row.name.clone()}</strong> }.into_any()
        })
        .sort_by(|row| SortKey::Text(row.name.clone())),
        Column::new("Owner", |row: &RunView| {
            view! { <span>{format!("{}/{}", row.kind.as_str().to_lowercase(), row.owner)}</span> }
                .into_any()
        }),
        Column::new("Cause", |row: &RunView| {
            view! { <span>{row.cause.clone()}</span> }.into_any()
        }),
        Column::new("Images", |row: &RunView| {
            let lines = row
                .images
                .iter()
                .map(|(container, image)| view! { <div>{format!("{container}: ")}<ShortPullSpec spec=image.clone()/></div> })
                .collect_view();
            view! { <div>{lines}</div> }.into_any()
        }),
        Column::new("Started", |row: &RunView| {
            let at = row.created;
            view! { <RelativeTime at/> }.into_any()
        })
        .sort_by(|row| SortKey::Number(row.created.unix())),
    ]
}
