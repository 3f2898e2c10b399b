//! The groups section of the Access page (cluster admins): groups of people
//! with their members, and a form to put someone in a group. A role given
//! to a group in *Add member* applies to each of its members.

use engine::model::access::GroupView;
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::access::{AddGroupMember, RemoveGroupMember},
    components::{
        Button, EmptyState, ErrorAlert, TextField, Toasts, Variant, field_error_of, take_answer,
    },
    errors::ConsoleError,
};

/// The section, given the groups as the page read them (`None`: the caller
/// is not a cluster admin, and the section is not shown).
#[component]
pub fn GroupsSection(
    groups: Result<Option<Vec<GroupView>>, ConsoleError>,
    changed: RwSignal<u64>,
) -> impl IntoView {
    let groups = match groups {
        Ok(Some(groups)) => groups,
        Ok(None) => return None,
        Err(error) => return Some(view! { <ErrorAlert error/> }.into_any()),
    };
    Some(
        view! {
            <section class="page-section" aria-labelledby="groups-title">
                <h2 class="section-title" id="groups-title">"Groups"</h2>
                <p class="page-lead">
                    "Groups of people, for the whole installation. Give a group a role in a project with "
                    <em>"Add member"</em> " (kind Group): each member gets it."
                </p>
                <GroupsTable groups changed/>
                <AddToGroupForm changed/>
            </section>
        }
        .into_any(),
    )
}

#[component]
fn GroupsTable(groups: Vec<GroupView>, changed: RwSignal<u64>) -> impl IntoView {
    if groups.is_empty() {
        return view! {
            <EmptyState title="No groups">
                <p>"Put someone in a group below; the group exists while it has members."</p>
            </EmptyState>
        }
        .into_any();
    }
    let toasts = Toasts::get();
    let remove = ServerAction::<RemoveGroupMember>::new();
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(done)) => {
            toasts.success(done);
            changed.update(|n| *n += 1);
        }
        Some(Err(error)) => toasts.error(&error),
        None => {}
    });
    let rows = groups
        .into_iter()
        .map(|group| {
            let members = group
                .users
                .iter()
                .map(|user| {
                    let label = format!("Remove {user} from {}", group.name);
                    let (group, user) = (group.name.clone(), user.clone());
                    let shown = user.clone();
                    view! {
                        <li class="chip">
                            {shown}
                            <button type="button" class="btn btn-link btn-danger-link" aria-label=label
                                on:click=move |_| { remove.dispatch(RemoveGroupMember { group: group.clone(), user: user.clone() }); }>
                                "Remove"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{group.name.clone()}</th>
                    <td data-label="Members"><ul class="chip-list" aria-label=format!("Members of {}", group.name)>{members}</ul></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table">
            <thead><tr><th scope="col">"Group"</th><th scope="col">"Members"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn AddToGroupForm(changed: RwSignal<u64>) -> impl IntoView {
    let group = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let add = ServerAction::<AddGroupMember>::new();
    let toasts = Toasts::get();
    let error = RwSignal::new(None::<ConsoleError>);
    Effect::new(move |_| {
        take_answer(add.value().get(), toasts, error, || {
            user.set(String::new());
            changed.update(|n| *n += 1);
        })
    });
    let field_error = move |field: &'static str| field_error_of(error, field);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        add.dispatch(AddGroupMember {
            group: group.get_untracked(),
            user: user.get_untracked(),
        });
    };
    view! {
        <form class="inline-form" on:submit=on_submit novalidate aria-label="Add to group">
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <TextField id="group-name" label="Group" value=group required=true error=field_error("group") placeholder="developers"/>
            <TextField id="group-user" label="Person's user name" value=user required=true error=field_error("user")/>
            <Button variant=Variant::Primary submit=true busy=add.pending()>"Add to group"</Button>
        </form>
    }
}
