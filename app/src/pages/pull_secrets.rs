//! The pull secrets section of the Access page: registry logins the
//! project's imports present (shown by registry and username only), made
//! from a login or a docker `config.json`, linked to service accounts.

use crate::api::page_data;
use engine::model::pull_secret::PullSecretView;
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::{
        access::list_service_accounts,
        pull_secrets::{
            CreatePullSecret, DeletePullSecret, LinkPullSecret, UnlinkPullSecret, list_pull_secrets,
        },
    },
    components::{
        Button, EmptyState, ErrorAlert, ErrorPanel, RelativeTime, SelectField, TextField, Toasts,
        Variant, field_error_of,
    },
    errors::ConsoleError,
};

#[component]
pub fn PullSecretsSection(project: Signal<String>) -> impl IntoView {
    let changed = RwSignal::new(0u64);
    let secrets = page_data::load(
        move || (project.get(), changed.get()),
        |(project, _)| async move {
            let secrets = list_pull_secrets(project.clone()).await?;
            // Linking offers the project's accounts; a caller who may not
            // list them can still see the secrets.
            let accounts = list_service_accounts(project)
                .await
                .map(|accounts| accounts.into_iter().map(|a| a.name).collect())
                .unwrap_or_default();
            Ok::<_, ConsoleError>((secrets, accounts))
        },
    );
    let list = move || {
        Suspend::new(async move {
            let (secrets, accounts) = secrets.await?;
            Ok::<_, ConsoleError>(view! { <SecretList secrets accounts changed/> })
        })
    };
    view! {
        <section class="page-section" aria-labelledby="pull-secrets-title">
            <h2 class="section-title" id="pull-secrets-title">"Pull secrets"</h2>
            <p class="page-lead">
                "Registry logins that imports in " <strong>{project}</strong>
                " present to the registry they match (the most specific registry and path wins). "
                "Passwords are encrypted at rest and never shown again."
            </p>
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>
                <Suspense fallback=|| view! { <p class="loading">"Loading pull secrets…"</p> }>{list}</Suspense>
            </ErrorBoundary>
            <CreateSecretForm project changed/>
        </section>
    }
}

#[component]
fn SecretList(
    secrets: Vec<PullSecretView>,
    accounts: Vec<String>,
    changed: RwSignal<u64>,
) -> impl IntoView {
    if secrets.is_empty() {
        return view! {
            <EmptyState title="No pull secrets">
                <p>"Imports from private registries need a login. Add one below, or paste a docker config.json."</p>
            </EmptyState>
        }
        .into_any();
    }
    secrets
        .into_iter()
        .map(|secret| view! { <SecretCard secret accounts=accounts.clone() changed/> })
        .collect_view()
        .into_any()
}

#[component]
fn SecretCard(
    secret: PullSecretView,
    accounts: Vec<String>,
    changed: RwSignal<u64>,
) -> impl IntoView {
    let toasts = Toasts::get();
    let delete = ServerAction::<DeletePullSecret>::new();
    let link = ServerAction::<LinkPullSecret>::new();
    let unlink = ServerAction::<UnlinkPullSecret>::new();
    for action in [delete.value(), link.value(), unlink.value()] {
        Effect::new(move |_| match action.get() {
            Some(Ok(done)) => {
                toasts.success(done);
                changed.update(|n| *n += 1);
            }
            Some(Err(error)) => toasts.error(&error),
            None => {}
        });
    }
    let (namespace, name) = (secret.namespace.clone(), secret.name.clone());
    let on_delete = {
        let (namespace, name) = (namespace.clone(), name.clone());
        move |_| {
            delete.dispatch(DeletePullSecret {
                namespace: namespace.clone(),
                name: name.clone(),
            });
        }
    };
    let logins = secret
        .logins
        .iter()
        .map(|login| {
            view! {
                <li class="token-row">
                    <code>{login.registry.clone()}</code>
                    <span>"as " <strong>{login.username.clone()}</strong></span>
                </li>
            }
        })
        .collect_view();
    let linked = secret
        .service_accounts
        .iter()
        .map(|account| {
            let label = format!("Unlink {name} from service account {account}");
            let dispatch = {
                let (namespace, name, account) = (namespace.clone(), name.clone(), account.clone());
                move |_| {
                    unlink.dispatch(UnlinkPullSecret {
                        namespace: namespace.clone(),
                        secret: name.clone(),
                        account: account.clone(),
                    });
                }
            };
            view! {
                <li class="chip">
                    {account.clone()}
                    <button type="button" class="btn btn-link btn-danger-link" aria-label=label on:click=dispatch>"Unlink"</button>
                </li>
            }
        })
        .collect_view();
    let unlinked: Vec<(String, String)> = accounts
        .into_iter()
        .filter(|account| !secret.service_accounts.contains(account))
        .map(|account| (account.clone(), account))
        .collect();
    let link_form = (!unlinked.is_empty()).then(|| {
        let chosen = RwSignal::new(unlinked[0].0.clone());
        let (namespace, name) = (namespace.clone(), name.clone());
        let on_link = move |event: SubmitEvent| {
            event.prevent_default();
            link.dispatch(LinkPullSecret {
                namespace: namespace.clone(),
                secret: name.clone(),
                account: chosen.get_untracked(),
            });
        };
        let id = format!("link-{}", secret.name);
        view! {
            <form class="token-form" on:submit=on_link aria-label=format!("Link {} to a service account", secret.name)>
                <SelectField id label="Service account" value=chosen options=unlinked/>
                <Button variant=Variant::Secondary submit=true busy=link.pending()>"Link for pulls"</Button>
            </form>
        }
    });
    let card_label = format!("Pull secret {name}");
    let delete_label = format!("Delete pull secret {name}");
    view! {
        <article class="account-card" aria-label=card_label>
            <header class="account-card-header">
                <h3>{name.clone()}</h3>
                <span class="account-user">
                    "created " <RelativeTime at=secret.created/> " by " {secret.created_by.clone()}
                </span>
                <button type="button" class="btn btn-link btn-danger-link" aria-label=delete_label on:click=on_delete>"Delete"</button>
            </header>
            <ul class="token-list" aria-label="Registry logins">{logins}</ul>
            <p class="muted">
                {if secret.service_accounts.is_empty() { "Linked to no service account." } else { "Service accounts that pull with it:" }}
            </p>
            <ul class="chip-list">{linked}</ul>
            {link_form}
        </article>
    }
}

#[component]
fn CreateSecretForm(project: Signal<String>, changed: RwSignal<u64>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let mode = RwSignal::new("login".to_owned());
    let registry = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let config_json = RwSignal::new(String::new());
    let create = ServerAction::<CreatePullSecret>::new();
    let toasts = Toasts::get();
    let error = RwSignal::new(None::<ConsoleError>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(done)) => {
            toasts.success(done);
            error.set(None);
            for field in [name, registry, username, password, config_json] {
                field.set(String::new());
            }
            changed.update(|n| *n += 1);
        }
        // The password is cleared either way: it is typed again, never kept.
        Some(Err(failure)) => {
            password.set(String::new());
            error.set(Some(failure));
        }
        None => {}
    });
    let field_error = move |field: &'static str| field_error_of(error, field);
    let config_error = Signal::derive(move || {
        error.get().and_then(|e| {
            e.field_errors()
                .iter()
                .find(|f| f.field.starts_with("config.json"))
                .map(|f| format!("{}: {}", f.field, f.message))
        })
    });
    let from_config = move || mode.get() == "config";
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let config = from_config();
        create.dispatch(CreatePullSecret {
            namespace: project.get_untracked(),
            name: name.get_untracked(),
            registry: if config {
                String::new()
            } else {
                registry.get_untracked()
            },
            username: if config {
                String::new()
            } else {
                username.get_untracked()
            },
            password: if config {
                String::new()
            } else {
                password.get_untracked()
            },
            config_json: if config {
                config_json.get_untracked()
            } else {
                String::new()
            },
        });
    };
    view! {
        <form class="inline-form" on:submit=on_submit novalidate aria-label="Create pull secret">
            <h3 class="section-title">"Add a pull secret"</h3>
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <TextField id="pull-secret-name" label="Secret name" value=name required=true error=field_error("name") placeholder="quay-robot"/>
            <SelectField id="pull-secret-mode" label="From" value=mode
                options=vec![("login", "A registry, username and password"), ("config", "A docker config.json")]/>
            <Show when=from_config fallback=move || view! {
                <TextField id="pull-secret-registry" label="Registry" value=registry required=true error=field_error("registry")
                    placeholder="quay.io" hint="A host, optionally with a port and a path: registry.example.com:5000/team."/>
                <TextField id="pull-secret-username" label="Username" value=username required=true error=field_error("username")/>
                <TextField id="pull-secret-password" label="Password or token" value=password secret=true required=true error=field_error("password")/>
            }>
                <TextField id="pull-secret-config" label="config.json" value=config_json multiline=true required=true error=config_error
                    hint="The contents of ~/.docker/config.json or a .dockerconfigjson; every login in \"auths\" is kept."/>
            </Show>
            <Button variant=Variant::Primary submit=true busy=create.pending()>"Add pull secret"</Button>
        </form>
    }
}
