//! `/ns/<project>/audit`: the audit log - every change asked of the server
//! in the project (or, for cluster admins, everywhere): when, who, what,
//! which object, from where and the answer. Filters and the page live in
//! the URL, so a view can be shared.

use crate::api::page_data;
use engine::model::audit::{AuditEntry, AuditFilter, AuditPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Form},
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};

use crate::{
    api::audit::list_audit_log,
    components::{EmptyState, ErrorPanel, RelativeTime},
    errors::ConsoleError,
};

/// Kinds offered in the filter (any other can still be typed in the URL).
const KINDS: &[&str] = &[
    "imagestreams",
    "imagestreamtags",
    "imagestreamimports",
    "imagestreammappings",
    "manifests",
    "projects",
    "rolebindings",
    "users",
    "serviceaccounts",
    "tokens",
    "secrets",
    "triggerowners",
    "webhooks",
    "groups",
    "images.config.openshift.io",
    "configs.samples.operator.openshift.io",
    "sessions",
];

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let project = move || params.read().get("project").unwrap_or_default();
    let filter = Memo::new(move |_| {
        let query = url.read();
        let everywhere = query.get("all").is_some_and(|v| v == "1");
        AuditFilter {
            namespace: if everywhere { String::new() } else { project() },
            user: query.get("user").unwrap_or_default().trim().to_owned(),
            kind: query.get("kind").unwrap_or_default(),
            failed_only: query.get("failed").is_some_and(|v| v == "1"),
            before: query.get("before").and_then(|v| v.parse().ok()),
        }
    });
    let entries = page_data::load(move || filter.get(), list_audit_log);
    let body = move || {
        Suspend::new(async move {
            let page = entries.await?;
            Ok::<_, ConsoleError>(
                view! { <Entries page filter=filter.get_untracked() project=project()/> },
            )
        })
    };
    let action = move || format!("/ns/{}/audit", project());
    let export_href = move || export_href(&filter.get());
    view! {
        <Title text="Audit log"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Audit log"</h1>
                <p class="page-lead">
                    "Every change asked of " <strong>{project}</strong>
                    ": when, who, what, which object, from where, and the answer - refusals included. "
                    "Project admins see their project; cluster admins can see every project."
                </p>
            </header>
            <Form action=action method="get" attr:class="audit-filters" attr:aria-label="Filter the audit log">
                <div class="form-field">
                    <label class="form-label" for="audit-user">"User"</label>
                    <input id="audit-user" class="form-control" type="text" name="user" prop:value=move || filter.get().user placeholder="anyone"/>
                </div>
                <div class="form-field">
                    <label class="form-label" for="audit-kind">"Kind"</label>
                    <select id="audit-kind" class="form-control" name="kind" prop:value=move || filter.get().kind>
                        <option value="">"any kind"</option>
                        {KINDS.iter().map(|kind| view! { <option value=*kind>{*kind}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-check">
                    <input id="audit-failed" type="checkbox" name="failed" value="1" prop:checked=move || filter.get().failed_only/>
                    <label for="audit-failed">"Only refused or failed"</label>
                </div>
                <div class="form-check">
                    <input id="audit-all" type="checkbox" name="all" value="1" prop:checked=move || filter.get().namespace.is_empty()/>
                    <label for="audit-all">"Every project (cluster admins)"</label>
                </div>
                <button type="submit" class="btn btn-secondary">"Filter"</button>
                <a class="btn btn-link" href=export_href download rel="external">"Download as JSON Lines"</a>
            </Form>
            <Transition fallback=|| view! { <p class="loading">"Loading the audit log…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}

/// Where the entries `filter` selects download from, as JSON Lines.
fn export_href(filter: &AuditFilter) -> String {
    let mut params: Vec<(&str, String)> = vec![("namespace", filter.namespace.clone())];
    if !filter.user.is_empty() {
        params.push(("user", filter.user.clone()));
    }
    if !filter.kind.is_empty() {
        params.push(("kind", filter.kind.clone()));
    }
    if filter.failed_only {
        params.push(("failed_only", "true".to_owned()));
    }
    let params: leptos_router::params::ParamsMap = params.into_iter().collect();
    format!("/audit/export{}", params.to_query_string())
}

#[component]
fn Entries(page: AuditPage, filter: AuditFilter, project: String) -> impl IntoView {
    if page.entries.is_empty() {
        let first_page = filter.before.is_none();
        return view! {
            <EmptyState title=if first_page { "Nothing recorded yet" } else { "No older entries" }>
                <p>"Changes appear here as people and programs make them: imports, tags, members, secrets, sign-ins."</p>
            </EmptyState>
        }
        .into_any();
    }
    let older = page
        .more
        .then(|| {
            page.entries
                .last()
                .map(|last| older_href(&project, &filter, last.id))
        })
        .flatten();
    let rows = page
        .entries
        .into_iter()
        .map(|entry| view! { <EntryRow entry/> })
        .collect_view();
    view! {
        <table class="data-table audit-table">
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"What"</th>
                    <th scope="col">"Object"</th>
                    <th scope="col">"From"</th>
                    <th scope="col">"Answer"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {older.map(|href| view! { <p><A href=href>"Older entries"</A></p> })}
    }
    .into_any()
}

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let who = if entry.user.is_empty() {
        "(not signed in)".to_owned()
    } else {
        entry.user.clone()
    };
    let object = match (entry.namespace.is_empty(), entry.name.is_empty()) {
        (_, true) => entry.kind.clone(),
        (true, false) => format!("{}/{}", entry.kind, entry.name),
        (false, false) => format!("{}/{} in {}", entry.kind, entry.name, entry.namespace),
    };
    let answer = if entry.succeeded() {
        view! { <span class="badge badge-success">{entry.status}</span> }.into_any()
    } else {
        view! {
            <span class="badge badge-danger">{entry.status}</span>
            " " <span class="audit-message">{entry.message.clone()}</span>
        }
        .into_any()
    };
    view! {
        <tr>
            <td data-label="When"><RelativeTime at=entry.at/></td>
            <td data-label="Who">{who}</td>
            <td data-label="What">{entry.action.clone()}</td>
            <td data-label="Object"><code>{object}</code></td>
            <td data-label="From">{entry.client.clone()}</td>
            <td data-label="Answer">{answer}</td>
        </tr>
    }
}

/// The same view one page further back.
fn older_href(project: &str, filter: &AuditFilter, before: i64) -> String {
    let mut query = ParamsMap::new();
    query.insert("before", before.to_string());
    if !filter.user.is_empty() {
        query.insert("user", filter.user.clone());
    }
    if !filter.kind.is_empty() {
        query.insert("kind", filter.kind.clone());
    }
    if filter.failed_only {
        query.insert("failed", "1".to_owned());
    }
    if filter.namespace.is_empty() {
        query.insert("all", "1".to_owned());
    }
    format!("/ns/{project}/audit{}", query.to_query_string())
}
