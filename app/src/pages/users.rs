//! The people section of the Access page (cluster admins): everyone who can
//! sign in, with their cluster role, groups and project roles; a new
//! password set for someone (signing them out everywhere); removing someone
//! with every way they had in; and creating a person with a first password.

use engine::model::access::UserView;
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::access::{CreateUser, DeleteUser, SetUserPassword},
    components::{
        Button, Dialog, ErrorAlert, RelativeTime, TextField, Toasts, Variant, field_error_of,
        take_answer,
    },
    errors::ConsoleError,
};

/// The section, given the people as the page read them (`None`: the caller
/// is not a cluster admin, and the section is not shown).
#[component]
pub fn PeopleSection(
    people: Result<Option<Vec<UserView>>, ConsoleError>,
    changed: RwSignal<u64>,
    /// Who is signed in (they cannot remove themselves).
    #[prop(into)]
    me: String,
) -> impl IntoView {
    let people = match people {
        Ok(Some(people)) => people,
        Ok(None) => return None,
        Err(error) => return Some(view! { <ErrorAlert error/> }.into_any()),
    };
    // The person the dialog acts on, and whether it sets a password
    // (`true`) or removes them (`false`).
    let chosen = RwSignal::new(None::<(String, bool)>);
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if !open.get() {
            chosen.set(None);
        }
    });
    let choose = move |name: String, password: bool| {
        chosen.set(Some((name, password)));
        open.set(true);
    };
    let rows = people
        .into_iter()
        .map(|person| {
            let name = person.name.clone();
            let (for_password, for_removal) = (name.clone(), name.clone());
            let is_me = person.name == me;
            let groups = person.groups.join(", ");
            let with_password = person.identity_provider.is_none();
            let sign_in = match &person.identity_provider {
                Some(issuer) => view! { <span title=issuer.clone()>"Identity provider"</span> }.into_any(),
                None => "Password".into_any(),
            };
            view! {
                <tr>
                    <th scope="row">{person.name.clone()}</th>
                    <td data-label="Cluster role">{person.cluster_admin.then(|| view! { <span class="badge">"cluster-admin"</span> })}</td>
                    <td data-label="Signs in with">{sign_in}</td>
                    <td data-label="Groups">{if groups.is_empty() { "—".to_owned() } else { groups }}</td>
                    <td data-label="Project roles">{person.projects}</td>
                    <td data-label="Added"><RelativeTime at=person.created/></td>
                    <td class="actions">
                        {with_password.then(|| view! {
                            <button type="button" class="btn btn-link" aria-label=format!("Set a new password for {name}")
                                on:click=move |_| choose(for_password.clone(), true)>"Set password"</button>
                        })}
                        {(!is_me).then(|| view! {
                            <button type="button" class="btn btn-link btn-danger-link" aria-label=format!("Remove {name}")
                                on:click=move |_| choose(for_removal.clone(), false)>"Remove"</button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let title = Signal::derive(move || match chosen.get() {
        Some((name, true)) => format!("New password for {name}"),
        Some((name, false)) => format!("Remove {name}?"),
        None => String::new(),
    });
    Some(
        view! {
            <section class="page-section" aria-labelledby="people-title">
                <h2 class="section-title" id="people-title">"People"</h2>
                <p class="page-lead">"Everyone who can sign in to this installation. Add them to projects with " <em>"Add member"</em> " above."</p>
                <div class="table-wrapper">
                    <table class="data-table">
                        <caption class="visually-hidden">"People who can sign in"</caption>
                        <thead><tr>
                            <th scope="col">"User"</th>
                            <th scope="col">"Cluster role"</th>
                            <th scope="col">"Signs in with"</th>
                            <th scope="col">"Groups"</th>
                            <th scope="col">"Project roles"</th>
                            <th scope="col">"Added"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <Dialog open id="person-dialog" title>
                    {move || chosen.get().map(|(name, password)| if password {
                        view! { <SetPasswordForm name open changed/> }.into_any()
                    } else {
                        view! { <RemoveForm name open changed/> }.into_any()
                    })}
                </Dialog>
                <CreateUserForm changed/>
            </section>
        }
        .into_any(),
    )
}

/// What the dialog does with its action's answer: a success is toasted,
/// closes the dialog and reloads the list; a failure stays in the dialog.
fn on_answer(
    answer: Option<Result<String, ConsoleError>>,
    toasts: Toasts,
    open: RwSignal<bool>,
    changed: RwSignal<u64>,
    error: RwSignal<Option<ConsoleError>>,
) {
    take_answer(answer, toasts, error, || {
        open.set(false);
        changed.update(|n| *n += 1);
    });
}

#[component]
fn SetPasswordForm(name: String, open: RwSignal<bool>, changed: RwSignal<u64>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let set = ServerAction::<SetUserPassword>::new();
    let error = RwSignal::new(None::<ConsoleError>);
    let toasts = Toasts::get();
    Effect::new(move |_| on_answer(set.value().get(), toasts, open, changed, error));
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        set.dispatch(SetUserPassword {
            name: name.clone(),
            password: password.get_untracked(),
        });
    };
    view! {
        <form on:submit=on_submit novalidate aria-label="New password">
            <p>"Their sessions end at once: they sign in again with this password."</p>
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <TextField id="person-password" label="New password" value=password secret=true required=true
                hint="At least 12 characters. Hand it over privately."
                error=field_error_of(error, "password")/>
            <div class="modal-footer">
                <Button variant=Variant::Primary submit=true busy=set.pending()>"Set password"</Button>
            </div>
        </form>
    }
}

#[component]
fn RemoveForm(name: String, open: RwSignal<bool>, changed: RwSignal<u64>) -> impl IntoView {
    let remove = ServerAction::<DeleteUser>::new();
    let error = RwSignal::new(None::<ConsoleError>);
    let toasts = Toasts::get();
    Effect::new(move |_| on_answer(remove.value().get(), toasts, open, changed, error));
    let shown = name.clone();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        remove.dispatch(DeleteUser { name: name.clone() });
    };
    view! {
        <form on:submit=on_submit novalidate aria-label="Remove user">
            <p>
                <strong>{shown}</strong>
                " can no longer sign in: their sessions end, their API tokens are revoked, and their project roles and group memberships are removed."
            </p>
            {move || error.get().map(|error| view! { <ErrorAlert error/> })}
            <div class="modal-footer">
                <Button variant=Variant::Danger submit=true busy=remove.pending()>"Remove"</Button>
                <Button variant=Variant::Secondary on_click=Callback::new(move |_| open.set(false))>"Cancel"</Button>
            </div>
        </form>
    }
}

#[component]
fn CreateUserForm(changed: RwSignal<u64>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let create = ServerAction::<CreateUser>::new();
    let toasts = Toasts::get();
    let error = RwSignal::new(None::<ConsoleError>);
    Effect::new(move |_| {
        take_answer(create.value().get(), toasts, error, || {
            name.set(String::new());
            password.set(String::new());
            changed.update(|n| *n += 1);
        })
    });
    let field_error = move |field: &'static str| field_error_of(error, field);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        create.dispatch(CreateUser {
            name: name.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <form class="inline-form" on:submit=on_submit novalidate aria-label="Create user">
            <h3 class="section-title">"Create user"</h3>
            <p class="page-lead">"As a cluster admin you create people with a first password; add them to projects above."</p>
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <TextField id="new-user-name" label="User name" value=name required=true error=field_error("user")/>
            <TextField id="new-user-password" label="First password" value=password secret=true required=true
                hint="At least 12 characters. Hand it over privately." error=field_error("password")/>
            <Button variant=Variant::Primary submit=true busy=create.pending()>"Create user"</Button>
        </form>
    }
}
