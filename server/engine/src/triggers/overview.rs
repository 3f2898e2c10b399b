//! The Triggers page's data for one project, read from the store.

use crate::{
    Result, Services, clock,
    imagestreams::require_project,
    model::triggers::{
        EvaluationView, OwnerKind, RunView, TriggerRow, TriggerTarget, TriggersOverview,
        triggers_of,
    },
    store::EvaluationRow,
};

/// How many evaluations the page shows.
const TIMELINE_LENGTH: i64 = 200;
/// How many builds and rollouts the page shows.
const RUNS_SHOWN: usize = 100;

/// Every trigger of `namespace`, the newest runs and evaluations.
pub async fn overview(services: &Services, namespace: &str) -> Result<TriggersOverview> {
    require_project(services, namespace).await?;
    let store = &services.store;
    let mut page = TriggersOverview::default();
    for owner in store.trigger_owners(namespace, None).await? {
        let triggers = triggers_of(owner.kind, namespace, &owner.document).unwrap_or_default();
        if triggers.is_empty() {
            page.other_owners.push((owner.kind, owner.name.clone()));
        }
        page.triggers
            .extend(triggers.into_iter().map(|trigger| TriggerRow {
                kind: owner.kind,
                owner: owner.name.clone(),
                index: trigger.index,
                watched: trigger.watched.to_string(),
                target: match trigger.target {
                    TriggerTarget::Build => "build".to_owned(),
                    TriggerTarget::Containers(names) => names.join(", "),
                    TriggerTarget::Slot { field_path, .. } => field_path,
                },
                automatic: trigger.automatic,
                paused: trigger.paused,
                last_triggered: trigger.last_triggered,
            }));
    }
    page.runs = store
        .trigger_runs(namespace, None)
        .await?
        .into_iter()
        .take(RUNS_SHOWN)
        .map(|run| RunView {
            kind: run.kind,
            owner: run.owner,
            name: run.name,
            cause: run.cause,
            images: run.images,
            created: clock::from_millis(run.created_ms),
        })
        .collect();
    page.timeline = store
        .trigger_evaluations(namespace, None, TIMELINE_LENGTH)
        .await?
        .into_iter()
        .map(evaluation_view)
        .collect();
    Ok(page)
}

/// One owner's timeline: its newest evaluations, however long ago (the
/// project's timeline shows only the newest of all owners together).
pub async fn owner_timeline(
    services: &Services,
    namespace: &str,
    kind: OwnerKind,
    name: &str,
) -> Result<Vec<EvaluationView>> {
    require_project(services, namespace).await?;
    Ok(services
        .store
        .trigger_evaluations(namespace, Some((kind, name)), TIMELINE_LENGTH)
        .await?
        .into_iter()
        .map(evaluation_view)
        .collect())
}

fn evaluation_view(row: EvaluationRow) -> EvaluationView {
    EvaluationView {
        at: clock::from_millis(row.at_ms),
        kind: row.kind,
        owner: row.owner,
        watched: row.evaluation.watched.to_string(),
        from: row.evaluation.from,
        to: row.evaluation.to,
        outcome: row.evaluation.outcome,
        detail: row.evaluation.detail,
    }
}

/// For each tag of a stream, the owners whose triggers watch it, named
/// `buildconfig/web` (prefixed with their project when it is another one).
pub async fn tag_watchers(
    services: &Services,
    namespace: &str,
    stream: &str,
) -> Result<Vec<(String, String)>> {
    Ok(services
        .store
        .stream_watchers(namespace, stream)
        .await?
        .into_iter()
        .map(|(tag, owner_namespace, kind, name)| {
            let owner = format!("{}/{name}", kind.as_str().to_lowercase());
            let owner = if owner_namespace == namespace {
                owner
            } else {
                format!("{owner_namespace}: {owner}")
            };
            (tag, owner)
        })
        .collect())
}
