//! The import-activity chart: the project's imports over the last day, one
//! bar per hour, successes and failures stacked, each bar with its numbers
//! on hover and the totals in words for screen readers.

use crate::api::page_data;
use engine::model::import_activity::ImportActivity;
use leptos::prelude::*;

use crate::{api::imports::load_import_activity, live::use_live};
use engine::model::live::LiveFilter;

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 64.0;

/// The chart for `project`; it follows the project's stream changes.
#[component]
pub fn ImportActivityChart(#[prop(into)] project: Signal<String>) -> impl IntoView {
    let changed = use_live(move || {
        LiveFilter::projects([project.get()]).resource(engine::resources::IMAGE_STREAMS)
    });
    let activity = page_data::load(
        move || (project.get(), changed.get()),
        |(project, _)| load_import_activity(project),
    );
    let chart = move || {
        Suspend::new(async move {
            activity
                .await
                .ok()
                .map(|activity| view! { <Chart activity/> })
        })
    };
    view! { <Transition fallback=|| ()>{chart}</Transition> }
}

#[component]
fn Chart(activity: ImportActivity) -> impl IntoView {
    let (succeeded, failed) = (activity.succeeded(), activity.failed());
    let summary = if succeeded + failed == 0 {
        "No imports in the last 24 hours".to_owned()
    } else {
        format!("Last 24 hours: {succeeded} imported, {failed} failed")
    };
    let peak = activity.peak() as f64;
    let slot = WIDTH / activity.buckets.len().max(1) as f64;
    let bars = activity
        .buckets
        .iter()
        .enumerate()
        .map(|(index, bucket)| {
            let x = index as f64 * slot + 1.0;
            let width = (slot - 2.0).max(1.0);
            let ok_height = bucket.succeeded as f64 / peak * HEIGHT;
            let failed_height = bucket.failed as f64 / peak * HEIGHT;
            let hour = bucket.start.instant();
            let label = format!(
                "{:02}:00–{:02}:00 UTC: {} imported, {} failed",
                hour.hour(),
                (hour.hour() + 1) % 24,
                bucket.succeeded,
                bucket.failed
            );
            view! {
                <g class="activity-hour">
                    <title>{label}</title>
                    <rect class="activity-slot" x=x y=0 width=width height=HEIGHT/>
                    <rect class="activity-ok" x=x y=HEIGHT - ok_height width=width height=ok_height/>
                    <rect class="activity-failed" x=x y=HEIGHT - ok_height - failed_height width=width height=failed_height/>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="activity">
            <figcaption class="activity-caption">
                <span class="activity-title">"Import activity"</span>
                <span class="activity-summary">{summary.clone()}</span>
                <span class="activity-legend" aria-hidden="true">
                    <span class="legend-ok">"imported"</span>
                    <span class="legend-failed">"failed"</span>
                </span>
            </figcaption>
            <svg
                class="activity-chart"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                preserveAspectRatio="none"
                role="img"
                aria-label=summary
            >
                {bars}
            </svg>
        </figure>
    }
}
