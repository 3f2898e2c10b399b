//! The home page: every project, with create and delete (`oc new-project`,
//! `oc delete project`).

use engine::model::{NewProject, Project, SHARED_PROJECT};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

use crate::{
    api::projects::{CreateProject, DeleteProject},
    components::{
        Button, Column, DataTable, Dialog, EmptyState, ErrorAlert, ErrorPanel, RelativeTime,
        SortKey, TableSkeleton, TextField, Toasts, Variant,
    },
    errors::ConsoleError,
    layout::ProjectList,
};

const TITLES: &[&str] = &["Name", "Display name", "Description", "Created", ""];

/// The project list with its toolbar and dialogs.
#[component]
pub fn ProjectsPage() -> impl IntoView {
    let projects = ProjectList::get().0;
    let filter = RwSignal::new(String::new());
    let create_open = RwSignal::new(false);
    let delete_target = RwSignal::new(None::<String>);
    let table = move || {
        Suspend::new(async move {
            let all = projects.await?;
            let rows = Signal::derive(move || matching(&all, &filter.get()));
            Ok::<_, ConsoleError>(view! {
                <DataTable
                    caption="Projects"
                    columns=columns(delete_target)
                    rows=rows
                    row_key=|project: &Project| project.name.clone()
                    sort_column=0
                    empty=ViewFn::from(move || view! {
                        <EmptyState title="No projects match">
                            <p>"No project's name or display name contains \"" {filter.get()} "\"."</p>
                            <button type="button" class="btn btn-link" on:click=move |_| filter.set(String::new())>
                                "Clear the filter"
                            </button>
                        </EmptyState>
                    })
                />
            })
        })
    };
    view! {
        <Title text="Projects"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Projects"</h1>
                <p class="page-lead">
                    "A project holds image streams, triggers, members and pull secrets. "
                    "The shared " <code>{SHARED_PROJECT}</code> " project holds images every project can use."
                </p>
            </header>
            <div class="toolbar">
                <input
                    type="search"
                    class="form-control toolbar-filter"
                    placeholder="Filter by name"
                    aria-label="Filter projects by name"
                    bind:value=filter
                />
                <Button variant=Variant::Primary on_click=Callback::new(move |_| create_open.set(true))>
                    "Create project"
                </Button>
            </div>
            <Transition fallback=|| view! { <TableSkeleton titles=TITLES/> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{table}</ErrorBoundary>
            </Transition>
        </section>
        <CreateProjectDialog open=create_open/>
        <DeleteProjectDialog target=delete_target/>
    }
}

/// The projects whose name or display name contains `needle` (any case).
fn matching(projects: &[Project], needle: &str) -> Vec<Project> {
    let needle = needle.trim().to_lowercase();
    projects
        .iter()
        .filter(|p| p.name.contains(&needle) || p.display_name.to_lowercase().contains(&needle))
        .cloned()
        .collect()
}

fn columns(delete_target: RwSignal<Option<String>>) -> Vec<Column<Project>> {
    vec![
        Column::new("Name", |p: &Project| {
            view! { <a href=format!("/ns/{}/imagestreams", p.name)>{p.name.clone()}</a> }.into_any()
        })
        .sort_by(|p| SortKey::Text(p.name.clone())),
        Column::new("Display name", |p: &Project| {
            p.display_name.clone().into_any()
        })
        .sort_by(|p| SortKey::Text(p.display_name.to_lowercase())),
        Column::new("Description", |p: &Project| {
            view! { <span class="cell-description">{p.description.clone()}</span> }.into_any()
        }),
        Column::new("Created", |p: &Project| {
            view! { <RelativeTime at=p.created/> }.into_any()
        })
        .sort_by(|p| SortKey::Number(p.created.unix())),
        Column::new("", move |p: &Project| {
            let name = p.name.clone();
            let shared = name == SHARED_PROJECT;
            view! {
                <button
                    type="button"
                    class="btn btn-link btn-danger-link"
                    disabled=shared
                    title=shared.then_some("The shared project cannot be deleted")
                    aria-label=format!("Delete project {name}")
                    on:click=move |_| delete_target.set(Some(name.clone()))
                >
                    "Delete"
                </button>
            }
            .into_any()
        }),
    ]
}

#[component]
fn CreateProjectDialog(open: RwSignal<bool>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let submitted = RwSignal::new(None::<NewProject>);
    let create = ServerAction::<CreateProject>::new();
    let toasts = Toasts::get();
    let projects = ProjectList::get().0;

    let request = move || NewProject {
        name: name.get(),
        display_name: display_name.get(),
        description: description.get(),
    };
    let local_errors = Memo::new(move |_| request().validate().err().unwrap_or_default());
    // A server error is shown only while the form still holds what was sent.
    let server_error = Memo::new(move |_| {
        let error = create.value().get()?.err()?;
        (submitted.get().as_ref() == Some(&request())).then_some(error)
    });
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            let show_local =
                attempted.get() || (field == "metadata.name" && !name.get().is_empty());
            show_local
                .then(|| {
                    local_errors.with(|errors| {
                        errors
                            .iter()
                            .find(|e| e.field == field)
                            .map(|e| e.message.clone())
                    })
                })
                .flatten()
                .or_else(|| server_error.get().and_then(|e| e.for_field(field)))
        })
    };
    let form_error = move || {
        server_error
            .get()
            .filter(|e| e.field_errors().is_empty() && e.for_field("metadata.name").is_none())
    };
    Effect::new(move |_| {
        if let Some(Ok(project)) = create.value().get() {
            toasts.success(format!("Project {} created", project.name));
            open.set(false);
            attempted.set(false);
            submitted.set(None);
            for field in [name, display_name, description] {
                field.set(String::new());
            }
            projects.refetch();
        }
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if !local_errors.get_untracked().is_empty() {
            return;
        }
        let request = request();
        submitted.set(Some(request.clone()));
        create.dispatch(CreateProject { request });
    };
    view! {
        <Dialog open id="create-project" title="Create project">
            <form on:submit=on_submit novalidate>
                {move || form_error().map(|error| view! { <ErrorAlert error/> })}
                <TextField
                    id="project-name"
                    label="Name"
                    value=name
                    required=true
                    autofocus=true
                    hint="Lowercase letters, digits and '-', starting and ending with a letter or digit."
                    error=field_error("metadata.name")
                />
                <TextField id="project-display-name" label="Display name" value=display_name error=field_error("displayName")/>
                <TextField
                    id="project-description"
                    label="Description"
                    value=description
                    multiline=true
                    error=field_error("description")
                />
                <div class="modal-footer">
                    <Button variant=Variant::Primary submit=true busy=create.pending()>"Create"</Button>
                    <Button on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
                </div>
            </form>
        </Dialog>
    }
}

#[component]
fn DeleteProjectDialog(target: RwSignal<Option<String>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let confirmation = RwSignal::new(String::new());
    let delete = ServerAction::<DeleteProject>::new();
    let toasts = Toasts::get();
    let projects = ProjectList::get().0;
    Effect::new(move |_| {
        if target.get().is_some() {
            confirmation.set(String::new());
            open.set(true);
        }
    });
    Effect::new(move |_| {
        if !open.get() {
            target.set(None);
        }
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            if let Some(name) = target.get_untracked() {
                toasts.success(format!("Project {name} deleted"));
            }
            open.set(false);
            projects.refetch();
        }
        Some(Err(error)) => toasts.error(&error),
        None => {}
    });
    let name = move || target.get().unwrap_or_default();
    let confirmed = move || !confirmation.get().is_empty() && confirmation.get() == name();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if confirmed() {
            delete.dispatch(DeleteProject { name: name() });
        }
    };
    view! {
        <Dialog open id="delete-project" title="Delete project?">
            <form on:submit=on_submit>
                <p>
                    "This deletes the project " <strong>{name}</strong>
                    " and everything in it. It cannot be undone."
                </p>
                <TextField
                    id="delete-project-confirm"
                    label="Type the project name to confirm"
                    value=confirmation
                />
                <div class="modal-footer">
                    <Button variant=Variant::Danger submit=true disabled=Signal::derive(move || !confirmed()) busy=delete.pending()>
                        "Delete"
                    </Button>
                    <Button on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
                </div>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str, display_name: &str) -> Project {
        Project {
            name: name.into(),
            display_name: display_name.into(),
            description: String::new(),
            created: engine::model::Time::EPOCH,
        }
    }

    #[test]
    fn filter_matches_name_or_display_name_in_any_case() {
        let all = [project("team-a", "Payments"), project("team-b", "")];
        let names = |needle| {
            matching(&all, needle)
                .into_iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("team"), ["team-a", "team-b"]);
        assert_eq!(names("PAY"), ["team-a"]);
        assert_eq!(names(" b "), ["team-b"]);
        assert!(names("zzz").is_empty());
    }
}
