//! The Access page of a project: its members and their roles, with forms to
//! grant and take away roles (`oc policy add-role-to-user`), and for cluster
//! admins the people of the installation and their groups.

use crate::api::page_data;
use engine::model::access::{Role, RoleBinding};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

use crate::{
    api::access::{AddMember, RemoveMember, list_groups, list_members, list_users},
    components::{
        Button, EmptyState, ErrorAlert, ErrorPanel, SelectField, TextField, Toasts, Variant,
        field_error_of, take_answer,
    },
    errors::ConsoleError,
    layout::CurrentUser,
    pages::groups::GroupsSection,
    pages::pull_secrets::PullSecretsSection,
    pages::service_accounts::ServiceAccountsSection,
    pages::users::PeopleSection,
};

#[component]
pub fn AccessPage() -> impl IntoView {
    let params = use_params_map();
    let project = move || params.read().get("project").unwrap_or_default();
    let changed = RwSignal::new(0u64);
    let members = page_data::load(
        move || (project(), changed.get()),
        |(project, _)| list_members(project),
    );
    let user = CurrentUser::get().0;
    // Groups are read for cluster admins only (others are not even asked).
    let groups_changed = RwSignal::new(0u64);
    let groups = page_data::load(
        move || groups_changed.get(),
        move |_| async move {
            match user.await {
                Ok(Some(me)) if me.cluster_admin => list_groups().await.map(Some),
                _ => Ok(None),
            }
        },
    );
    let people_changed = RwSignal::new(0u64);
    let people = page_data::load(
        move || people_changed.get(),
        move |_| async move {
            match user.await {
                Ok(Some(me)) if me.cluster_admin => list_users().await.map(Some),
                _ => Ok(None),
            }
        },
    );
    let create_user = move || {
        Suspend::new(async move {
            let groups = groups.await;
            let people = people.await;
            match user.await {
                Ok(Some(me)) if me.cluster_admin => Some(view! {
                    <PeopleSection people changed=people_changed me=me.user/>
                    <GroupsSection groups changed=groups_changed/>
                }),
                _ => None,
            }
        })
    };
    let table = move || {
        Suspend::new(async move {
            let bindings = members.await?;
            Ok::<_, ConsoleError>(view! { <MembersTable bindings changed/> })
        })
    };
    view! {
        <Title text="Access"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Access"</h1>
                <p class="page-lead">
                    "Who may do what in " <strong>{project}</strong> ": "
                    <code>"view"</code> " reads, " <code>"edit"</code> " imports and tags, "
                    <code>"admin"</code> " also manages members; "
                    <code>"system:image-puller"</code> " lets another project's service accounts pull."
                </p>
                <p><A href=move || format!("/ns/{}/audit", project())>"Audit log: who changed what in this project"</A></p>
            </header>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>
                <Suspense fallback=|| view! { <p class="loading">"Loading members…"</p> }>{table}</Suspense>
            </ErrorBoundary>
            <AddMemberForm project=Signal::derive(project) changed/>
        </section>
        <ServiceAccountsSection project=Signal::derive(project)/>
        <PullSecretsSection project=Signal::derive(project)/>
        <Suspense>{create_user}</Suspense>
    }
}

#[component]
fn MembersTable(bindings: Vec<RoleBinding>, changed: RwSignal<u64>) -> impl IntoView {
    if bindings.is_empty() {
        return view! {
            <EmptyState title="No members yet">
                <p>"Add people or groups below; until then only cluster admins can use this project."</p>
            </EmptyState>
        }
        .into_any();
    }
    let remove = ServerAction::<RemoveMember>::new();
    let toasts = Toasts::get();
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(done)) => {
            toasts.success(done);
            changed.update(|n| *n += 1);
        }
        Some(Err(error)) => toasts.error(&error),
        None => {}
    });
    let rows = bindings
        .into_iter()
        .map(|binding| {
            let label = format!("Remove {} from {}", binding.role, binding.subject.name());
            let (namespace, kind, name, role) = (
                binding.namespace.clone(),
                binding.subject.kind().to_owned(),
                binding.subject.name().to_owned(),
                binding.role.name().to_owned(),
            );
            let on_remove = move |_| {
                remove.dispatch(RemoveMember {
                    namespace: namespace.clone(),
                    kind: kind.clone(),
                    name: name.clone(),
                    role: role.clone(),
                });
            };
            view! {
                <tr>
                    <td data-label="Name">{binding.subject.name().to_owned()}</td>
                    <td data-label="Kind">{binding.subject.kind()}</td>
                    <td data-label="Role"><code>{binding.role.name()}</code></td>
                    <td class="cell-actions">
                        <button type="button" class="btn btn-link btn-danger-link" aria-label=label on:click=on_remove>
                            "Remove"
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrapper">
            <table class="data-table">
                <caption class="visually-hidden">"Members"</caption>
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Role"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn AddMemberForm(project: Signal<String>, changed: RwSignal<u64>) -> impl IntoView {
    let kind = RwSignal::new("User".to_owned());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::View.name().to_owned());
    let add = ServerAction::<AddMember>::new();
    let toasts = Toasts::get();
    let error = RwSignal::new(None::<ConsoleError>);
    Effect::new(move |_| {
        take_answer(add.value().get(), toasts, error, || {
            name.set(String::new());
            changed.update(|n| *n += 1);
        })
    });
    let field_error = move |field: &'static str| field_error_of(error, field);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        add.dispatch(AddMember {
            namespace: project.get_untracked(),
            kind: kind.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
        });
    };
    let roles: Vec<(String, String)> = Role::PROJECT
        .into_iter()
        .map(|role| (role.name().to_owned(), role.name().to_owned()))
        .collect();
    view! {
        <form class="inline-form" on:submit=on_submit novalidate aria-label="Add member">
            <h2 class="section-title">"Add member"</h2>
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <SelectField id="member-kind" label="Kind" value=kind options=vec![("User", "User"), ("Group", "Group")]/>
            <TextField
                id="member-name"
                label="User or group name"
                value=name
                required=true
                hint="A person's user name, a group, or system:serviceaccount:<project>:<name>."
                error=field_error("user")
            />
            <SelectField id="member-role" label="Role" value=role options=roles/>
            <Button variant=Variant::Primary submit=true busy=add.pending()>"Add"</Button>
        </form>
    }
}
