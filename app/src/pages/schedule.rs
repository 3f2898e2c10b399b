//! `/ns/<project>/schedule`: the import schedule - its settings, what runs
//! now, what fails and waits out its backoff, what is due soon, and how much
//! of the rate limit the last hour used. `?all=1` shows every project
//! (cluster admins).

use crate::api::page_data;
use engine::model::schedule_overview::{ScheduleOverview, ScheduledTag};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

use crate::{
    api::schedule::load_schedule,
    components::{EmptyState, ErrorPanel, RelativeTime},
    errors::ConsoleError,
};

#[component]
pub fn SchedulePage() -> impl IntoView {
    let params = use_params_map();
    let url = use_query_map();
    let project = move || params.read().get("project").unwrap_or_default();
    let everywhere = Memo::new(move |_| url.read().get("all").is_some_and(|v| v == "1"));
    let overview = page_data::load(
        move || (project(), everywhere.get()),
        |(project, everywhere)| load_schedule(project, everywhere),
    );
    let body = move || {
        Suspend::new(async move {
            let overview = overview.await?;
            Ok::<_, ConsoleError>(
                view! { <Overview overview everywhere=everywhere.get_untracked()/> },
            )
        })
    };
    let other_scope = move || {
        if everywhere.get() {
            (
                format!("/ns/{}/schedule", project()),
                format!("Only {}", project()),
            )
        } else {
            (
                format!("/ns/{}/schedule?all=1", project()),
                "Every project (cluster admins)".to_owned(),
            )
        }
    };
    view! {
        <Title text="Import schedule"/>
        <section class="page-section">
            <header class="page-header">
                <h1 class="page-title">"Import schedule"</h1>
                <p class="page-lead">
                    "Tags that follow a registry image are checked again every interval (scheduled tags) or until their first import. "
                    "A failing tag waits longer after each failure; a registry's Retry-After is honoured."
                </p>
                <p><A href=move || other_scope().0>{move || other_scope().1}</A></p>
            </header>
            <Transition fallback=|| view! { <p class="loading">"Loading the schedule…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors/> }>{body}</ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Overview(overview: ScheduleOverview, everywhere: bool) -> impl IntoView {
    let settings = &overview.settings;
    let limit = if settings.max_imports_per_minute <= 0 {
        "unlimited".to_owned()
    } else {
        format!(
            "{} per minute (bursts of {})",
            settings.max_imports_per_minute,
            settings.max_imports_per_minute * 2
        )
    };
    let rate_use = match overview.rate_limit_use_percent() {
        Some(percent) => format!("{percent}% of the hourly limit"),
        None => "no limit".to_owned(),
    };
    let checks = overview.succeeded_last_hour + overview.failed_last_hour;
    let summary = view! {
        <dl class="describe schedule-summary">
            <dt>"Interval"</dt>
            <dd>{format!("{} s (no tag more often than every {} s)", settings.interval_seconds, settings.minimum_interval_seconds)}</dd>
            <dt>"Rate limit"</dt><dd>{limit}</dd>
            <dt>"Periodic checks"</dt>
            <dd>{if settings.disabled { "disabled (first imports still run)" } else { "on" }}</dd>
            <dt>"Scheduled tags"</dt><dd>{overview.total}</dd>
            <dt>"Last hour"</dt>
            <dd>
                {format!("{checks} checks: {} imported, {} failed - {rate_use}", overview.succeeded_last_hour, overview.failed_last_hour)}
                <meter class="schedule-meter" min="0" max="100" value=overview.rate_limit_use_percent().unwrap_or(0)
                    aria-label="Rate limit used in the last hour"></meter>
            </dd>
        </dl>
    };
    if overview.total == 0 {
        return view! {
            {summary}
            <EmptyState title="Nothing scheduled">
                <p>"Import an image with " <em>"--scheduled"</em> " or tag one from a registry; it appears here with its next check."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        {summary}
        <ScheduleTable title="Running now" tags=overview.running everywhere
            empty="No import is running right now."/>
        <ScheduleTable title="Failing, waiting to retry" tags=overview.failing everywhere
            empty="No scheduled tag is failing."/>
        <ScheduleTable title="Due soon" tags=overview.due_soon everywhere
            empty="Every other tag is running or failing."/>
    }
    .into_any()
}

#[component]
fn ScheduleTable(
    title: &'static str,
    tags: Vec<ScheduledTag>,
    everywhere: bool,
    empty: &'static str,
) -> impl IntoView {
    let heading_id = format!(
        "schedule-{}",
        title
            .split(',')
            .next()
            .unwrap_or(title)
            .to_lowercase()
            .replace(' ', "-")
    );
    let body = if tags.is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        let rows = tags
            .into_iter()
            .map(|tag| view! { <ScheduleRow tag everywhere/> })
            .collect_view();
        view! {
            <table class="data-table compact schedule-table" aria-labelledby=heading_id.clone()>
                <thead>
                    <tr>
                        <th scope="col">"Tag"</th>
                        <th scope="col">"Registry"</th>
                        <th scope="col">"Next check"</th>
                        <th scope="col">"Last check"</th>
                        <th scope="col">"Result"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="schedule-section">
            <h2 class="section-title" id=heading_id>{title}</h2>
            {body}
        </section>
    }
}

#[component]
fn ScheduleRow(tag: ScheduledTag, everywhere: bool) -> impl IntoView {
    // The stream page shows the tag even before its first image (its own
    // page needs one).
    let href = format!(
        "/ns/{}/imagestreams/{}#tag-{}",
        tag.namespace, tag.stream, tag.tag
    );
    let name = if everywhere {
        format!("{}/{}:{}", tag.namespace, tag.stream, tag.tag)
    } else {
        format!("{}:{}", tag.stream, tag.tag)
    };
    let kind = if tag.scheduled {
        "scheduled"
    } else {
        "until imported"
    };
    let result = match (&tag.last_result, &tag.last_error) {
        (None, _) => view! { <span class="muted">"not checked yet"</span> }.into_any(),
        (Some(result), _) if result == "Success" => {
            view! { <span class="badge badge-success">"imported"</span> }.into_any()
        }
        (Some(result), error) => view! {
            <span class="badge badge-danger">{format!("{result} - {} in a row", tag.failures)}</span>
            " " <span class="audit-message">{error.clone().unwrap_or_default()}</span>
        }
        .into_any(),
    };
    view! {
        <tr>
            <td data-label="Tag"><A href=href>{name}</A> " " <span class="badge">{kind}</span></td>
            <td data-label="Registry"><code>{tag.registry.clone()}</code></td>
            <td data-label="Next check"><RelativeTime at=tag.due/></td>
            <td data-label="Last check">{tag.last_check.map(|at| view! { <RelativeTime at/> })}</td>
            <td data-label="Result">{result}</td>
        </tr>
    }
}
