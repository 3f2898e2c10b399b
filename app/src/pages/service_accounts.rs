//! The service accounts section of the Access page: accounts for programs,
//! each with its API tokens (issued here and shown once, revocable, with an
//! optional expiry). Roles are granted to them in the members form as
//! `system:serviceaccount:<project>:<name>`.

use crate::api::page_data;
use engine::model::access::{ServiceAccountView, service_account_user};
use leptos::{ev::SubmitEvent, prelude::*};

use super::tokens::{IssuedTokenAlert, TokenForm, TokenRequest, TokenRow, on_issued};

use crate::{
    api::access::{
        CreateServiceAccount, DeleteServiceAccount, IssueToken, IssuedToken, RevokeToken,
        list_service_accounts,
    },
    components::{
        Button, EmptyState, ErrorAlert, ErrorPanel, TextField, Toasts, Variant, take_answer,
    },
    errors::ConsoleError,
};

#[component]
pub fn ServiceAccountsSection(project: Signal<String>) -> impl IntoView {
    let changed = RwSignal::new(0u64);
    let accounts = page_data::load(
        move || (project.get(), changed.get()),
        |(project, _)| list_service_accounts(project),
    );
    let issued = RwSignal::new(None::<IssuedToken>);
    let list = move || {
        Suspend::new(async move {
            let accounts = accounts.await?;
            Ok::<_, ConsoleError>(view! { <AccountList accounts changed issued/> })
        })
    };
    view! {
        <section class="page-section" aria-labelledby="service-accounts-title">
            <h2 class="section-title" id="service-accounts-title">"Service accounts"</h2>
            <p class="page-lead">
                "Identities for programs. Give one a role above as "
                <code>"system:serviceaccount:"{project}":<name>"</code>
                ", then send one of its tokens as " <code>"Authorization: Bearer <token>"</code> "."
            </p>
            {move || issued.get().map(|token| view! {
                <IssuedTokenAlert
                    user=service_account_user(&project.get_untracked(), &token.account)
                    owner=token.account
                    token=token.token
                    namespace=project
                    on_done=Callback::new(move |()| issued.set(None))
                />
            })}
            <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>
                <Suspense fallback=|| view! { <p class="loading">"Loading service accounts…"</p> }>{list}</Suspense>
            </ErrorBoundary>
            <CreateAccountForm project changed/>
        </section>
    }
}

#[component]
fn AccountList(
    accounts: Vec<ServiceAccountView>,
    changed: RwSignal<u64>,
    issued: RwSignal<Option<IssuedToken>>,
) -> impl IntoView {
    if accounts.is_empty() {
        return view! {
            <EmptyState title="No service accounts">
                <p>"Create one below for a script, a CI job or another project's builds."</p>
            </EmptyState>
        }
        .into_any();
    }
    accounts
        .into_iter()
        .map(|account| view! { <AccountCard account changed issued/> })
        .collect_view()
        .into_any()
}

#[component]
fn AccountCard(
    account: ServiceAccountView,
    changed: RwSignal<u64>,
    issued: RwSignal<Option<IssuedToken>>,
) -> impl IntoView {
    let toasts = Toasts::get();
    let issue = ServerAction::<IssueToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let delete = ServerAction::<DeleteServiceAccount>::new();
    let days_error = RwSignal::new(None::<String>);
    on_issued(issue.value(), issued, days_error, changed);
    for action in [revoke.value(), delete.value()] {
        Effect::new(move |_| match action.get() {
            Some(Ok(done)) => {
                toasts.success(done);
                changed.update(|n| *n += 1);
            }
            Some(Err(error)) => toasts.error(&error),
            None => {}
        });
    }
    let (namespace, name) = (account.namespace.clone(), account.name.clone());
    let on_issue = {
        let (namespace, name) = (namespace.clone(), name.clone());
        Callback::new(move |request: TokenRequest| {
            issue.dispatch(IssueToken {
                namespace: namespace.clone(),
                name: name.clone(),
                description: request.description,
                days: request.days,
            });
        })
    };
    let on_delete = {
        let (namespace, name) = (namespace.clone(), name.clone());
        move |_| {
            delete.dispatch(DeleteServiceAccount {
                namespace: namespace.clone(),
                name: name.clone(),
            });
        }
    };
    let user = account.user();
    let tokens = account
        .tokens
        .into_iter()
        .map(|token| {
            let (namespace, name) = (namespace.clone(), name.clone());
            view! { <TokenRow token on_revoke=Callback::new(move |id: String| {
                revoke.dispatch(RevokeToken { namespace: namespace.clone(), name: name.clone(), id });
            })/> }
        })
        .collect_view();
    let card_label = format!("Service account {name}");
    let delete_label = format!("Delete service account {name}");
    let ids = format!("sa-{name}");
    view! {
        <article class="account-card" aria-label=card_label>
            <header class="account-card-header">
                <h3>{name.clone()}</h3>
                <code class="account-user">{user}</code>
                <button type="button" class="btn btn-link btn-danger-link" aria-label=delete_label on:click=on_delete>"Delete"</button>
            </header>
            <ul class="token-list">{tokens}</ul>
            <TokenForm ids label=format!("New token for {name}") busy=issue.pending().into() on_issue days_error/>
        </article>
    }
}

#[component]
fn CreateAccountForm(project: Signal<String>, changed: RwSignal<u64>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let create = ServerAction::<CreateServiceAccount>::new();
    let toasts = Toasts::get();
    let error = RwSignal::new(None::<ConsoleError>);
    Effect::new(move |_| {
        take_answer(create.value().get(), toasts, error, || {
            name.set(String::new());
            changed.update(|n| *n += 1);
        })
    });
    let name_error = Signal::derive(move || error.get().and_then(|e| e.for_field("name")));
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        create.dispatch(CreateServiceAccount {
            namespace: project.get_untracked(),
            name: name.get_untracked(),
        });
    };
    view! {
        <form class="inline-form" on:submit=on_submit novalidate aria-label="Create service account">
            {move || error.get().filter(|e| e.field_errors().is_empty()).map(|error| view! { <ErrorAlert error/> })}
            <TextField id="service-account-name" label="Service account name" value=name required=true error=name_error/>
            <Button variant=Variant::Primary submit=true busy=create.pending()>"Create service account"</Button>
        </form>
    }
}
