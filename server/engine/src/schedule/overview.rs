//! The schedule overview: every scheduled tag of a project (or, for cluster
//! admins, of every project) sorted into running, failing and due soon,
//! with the settings and the last hour's checks.

use crate::{
    Result, Services,
    access::Caller,
    clock,
    model::{
        access::{Resource, Verb},
        schedule_overview::{DUE_SOON, ScheduleOverview, ScheduledTag},
    },
    store::ScheduleRow,
};

/// The overview of `namespace`, or of every project when it is empty
/// (which needs the right to list streams everywhere: cluster admins).
pub async fn overview(
    services: &Services,
    caller: &Caller,
    namespace: &str,
) -> Result<ScheduleOverview> {
    caller.require(Verb::List, Resource::ImageStreams, namespace)?;
    let store = &services.store;
    let rows = store
        .schedule_rows((!namespace.is_empty()).then_some(namespace))
        .await?;
    let hour_ago = clock::now_millis() - 3_600_000;
    let counts = store.check_counts(hour_ago).await?;
    let settings = &crate::cluster_policy::schedule_settings(services).await?;
    let total = rows.len();
    let tags: Vec<ScheduledTag> = rows.into_iter().map(view_of).collect();
    let running = tags.iter().filter(|t| t.running).cloned().collect();
    let mut failing: Vec<ScheduledTag> = tags
        .iter()
        .filter(|t| !t.running && t.failures > 0)
        .cloned()
        .collect();
    failing.sort_by(|a, b| b.failures.cmp(&a.failures).then(a.due.cmp(&b.due)));
    let due_soon = tags
        .into_iter()
        .filter(|t| !t.running && t.failures == 0)
        .take(DUE_SOON)
        .collect();
    Ok(ScheduleOverview {
        settings: settings.view(),
        total,
        running,
        failing,
        due_soon,
        succeeded_last_hour: counts.succeeded,
        failed_last_hour: counts.failed,
    })
}

/// One tag's schedule (`None` when it is not scheduled).
pub async fn of_tag(
    services: &Services,
    caller: &Caller,
    namespace: &str,
    stream: &str,
    tag: &str,
) -> Result<Option<ScheduledTag>> {
    caller.require(Verb::Get, Resource::ImageStreams, namespace)?;
    Ok(services
        .store
        .schedule_row(namespace, stream, tag)
        .await?
        .map(view_of))
}

fn view_of(row: ScheduleRow) -> ScheduledTag {
    ScheduledTag {
        namespace: row.namespace,
        stream: row.stream,
        tag: row.tag,
        registry: row.registry,
        scheduled: row.scheduled,
        pending: row.pending,
        due: clock::from_millis(row.due_ms),
        last_check: row.last_check_ms.map(clock::from_millis),
        last_result: row.last_result,
        last_error: row.last_error,
        failures: row.failures,
        running: row.leased,
    }
}
