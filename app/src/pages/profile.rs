//! `/profile`: the signed-in person - their groups and roles, their own API
//! tokens (issued here, shown once, revocable), a kubeconfig for kubectl
//! that signs in with one of them, and their password.

use crate::api::page_data;
use engine::model::{
    access::{Profile, RoleBinding, Subject},
    kubeconfig::kubeconfig,
};
use leptos::prelude::*;
use leptos_meta::Title;

use super::tokens::{
    IssuedTokenAlert, TokenForm, TokenRequest, TokenRow, on_issued, server_origin,
};
use crate::{
    api::access::{IssuePersonalToken, IssuedPersonalToken, RevokePersonalToken, load_profile},
    components::{CopyButton, EmptyState, ErrorPanel, SelectField, Toasts},
    errors::ConsoleError,
};

/// What the kubeconfig holds until a token is issued on this page.
const TOKEN_PLACEHOLDER: &str = "<paste one of your tokens here>";

#[component]
pub fn ProfilePage() -> impl IntoView {
    let changed = RwSignal::new(0u64);
    let profile = page_data::load(move || changed.get(), |_| load_profile());
    // Kept outside the body, which renders again whenever the tokens change.
    let issued = RwSignal::new(None::<IssuedPersonalToken>);
    let namespace = RwSignal::new(String::new());
    let body = move || {
        Suspend::new(async move {
            let profile = profile.await?;
            Ok::<_, ConsoleError>(view! { <ProfileBody profile changed issued namespace/> })
        })
    };
    // People of an identity provider keep their password there.
    let password = move || {
        Suspend::new(async move {
            match profile
                .await
                .ok()
                .and_then(|profile| profile.identity_provider)
            {
                Some(issuer) => view! {
                    <section class="page-section" aria-labelledby="password-title">
                        <h2 class="section-title" id="password-title">"Password"</h2>
                        <p>"You sign in through the identity provider " <code>{issuer}</code>
                            "; your password is kept there."</p>
                    </section>
                }
                .into_any(),
                None => view! { <super::password::ChangePasswordSection/> }.into_any(),
            }
        })
    };
    view! {
        <Title text="Your profile"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Your profile"</h1>
                <p class="page-lead">"Who you are here, what you may do, and tokens for kubectl and scripts that act as you."</p>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading your profile…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
        <Transition>{password}</Transition>
    }
}

#[component]
fn ProfileBody(
    profile: Profile,
    changed: RwSignal<u64>,
    issued: RwSignal<Option<IssuedPersonalToken>>,
    namespace: RwSignal<String>,
) -> impl IntoView {
    let namespaces = namespace_options(&profile.roles);
    // kubectl starts in the first of them until the person picks another.
    if namespace.get_untracked().is_empty() {
        namespace.set(namespaces[0].0.clone());
    }
    let groups = profile
        .groups
        .iter()
        .map(|group| view! { <li class="chip">{group.clone()}</li> })
        .collect_view();
    view! {
        <section class="page-section" aria-labelledby="identity-title">
            <h2 class="section-title" id="identity-title">{profile.user.clone()}</h2>
            <ul class="chip-list" aria-label="Groups">{groups}</ul>
            <RolesTable roles=profile.roles.clone() user=profile.user.clone()/>
        </section>
        <TokensSection tokens=profile.tokens.clone() user=profile.user.clone() namespace changed issued/>
        <section class="page-section" aria-labelledby="kubectl-title">
            <h2 class="section-title" id="kubectl-title">"kubectl"</h2>
            <p class="page-lead">
                "Save this as a file and run " <code>"kubectl --kubeconfig <file> get is"</code>
                ". It signs in with a token from above; the project is kubectl's default namespace."
            </p>
            <SelectField id="kubeconfig-namespace" label="Default project" value=namespace options=namespaces/>
            <KubeconfigSnippet user=profile.user namespace issued/>
        </section>
    }
}

/// The projects the person holds a role in (by name), or `default` if none:
/// never empty.
fn namespace_options(roles: &[RoleBinding]) -> Vec<(String, String)> {
    let mut names: Vec<String> = roles
        .iter()
        .filter(|binding| !binding.namespace.is_empty())
        .map(|binding| binding.namespace.clone())
        .collect();
    names.dedup();
    if names.is_empty() {
        names.push("default".into());
    }
    names.into_iter().map(|name| (name.clone(), name)).collect()
}

#[component]
fn RolesTable(roles: Vec<RoleBinding>, user: String) -> impl IntoView {
    if roles.is_empty() {
        return view! {
            <EmptyState title="No roles yet">
                <p>"Ask a project's admin to add you as a member. Everyone signed in may read the shared openshift project."</p>
            </EmptyState>
        }
        .into_any();
    }
    let rows = roles
        .into_iter()
        .map(|binding| {
            let scope = if binding.namespace.is_empty() {
                view! { <span>"every project"</span> }.into_any()
            } else {
                let href = format!("/ns/{}/imagestreams", binding.namespace);
                view! { <a href=href>{binding.namespace.clone()}</a> }.into_any()
            };
            let through = match &binding.subject {
                Subject::User(name) if *name == user => "you".to_owned(),
                Subject::User(name) => name.clone(),
                Subject::Group(name) => format!("group {name}"),
            };
            view! {
                <tr>
                    <td data-label="Project">{scope}</td>
                    <td data-label="Role"><span class="badge">{binding.role.name()}</span></td>
                    <td data-label="Given to">{through}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrapper">
            <table class="data-table">
                <caption class="visually-hidden">"Your roles"</caption>
                <thead>
                    <tr><th scope="col">"Project"</th><th scope="col">"Role"</th><th scope="col">"Given to"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn TokensSection(
    tokens: Vec<engine::model::access::TokenView>,
    user: String,
    namespace: RwSignal<String>,
    changed: RwSignal<u64>,
    issued: RwSignal<Option<IssuedPersonalToken>>,
) -> impl IntoView {
    let toasts = Toasts::get();
    let issue = ServerAction::<IssuePersonalToken>::new();
    let revoke = ServerAction::<RevokePersonalToken>::new();
    let days_error = RwSignal::new(None::<String>);
    on_issued(issue.value(), issued, days_error, changed);
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(done)) => {
            toasts.success(done);
            changed.update(|n| *n += 1);
        }
        Some(Err(error)) => toasts.error(&error),
        None => {}
    });
    let on_issue = Callback::new(move |request: TokenRequest| {
        issue.dispatch(IssuePersonalToken {
            description: request.description,
            days: request.days,
        });
    });
    let list = if tokens.is_empty() {
        view! {
            <EmptyState title="No tokens">
                <p>"Make one below for kubectl or a script; it acts as you, with your roles."</p>
            </EmptyState>
        }
        .into_any()
    } else {
        let rows = tokens
            .into_iter()
            .map(|token| {
                view! { <TokenRow token on_revoke=Callback::new(move |id: String| {
                    revoke.dispatch(RevokePersonalToken { id });
                })/> }
            })
            .collect_view();
        view! { <ul class="token-list">{rows}</ul> }.into_any()
    };
    view! {
        <section class="page-section" aria-labelledby="tokens-title">
            <h2 class="section-title" id="tokens-title">"API tokens"</h2>
            <p class="page-lead">
                "Send one as " <code>"Authorization: Bearer <token>"</code>
                ". A token is shown once; revoke it here the moment it leaks."
            </p>
            {move || issued.get().map(|token| view! {
                <IssuedTokenAlert
                    owner="you"
                    user=user.clone()
                    token=token.token
                    namespace
                    on_done=Callback::new(move |()| issued.set(None))
                />
            })}
            {list}
            <TokenForm ids="personal-token" label="New personal token" busy=issue.pending().into() on_issue days_error/>
        </section>
    }
}

/// The kubeconfig with the token just issued, or a placeholder for one. The
/// server's address is the browser's, so it is filled in once the page runs
/// there.
#[component]
fn KubeconfigSnippet(
    user: String,
    namespace: RwSignal<String>,
    issued: RwSignal<Option<IssuedPersonalToken>>,
) -> impl IntoView {
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(server_origin()));
    let config = Signal::derive(move || {
        let token = issued
            .get()
            .map_or_else(|| TOKEN_PLACEHOLDER.to_owned(), |issued| issued.token);
        kubeconfig(&origin.get(), &namespace.get(), &user, &token)
    });
    view! {
        <div class="kubeconfig">
            <pre class="mono" aria-label="kubeconfig">{config}</pre>
            <CopyButton text=config label="Copy kubeconfig"/>
        </div>
    }
}
