//! The evaluations of a project's triggers, newest first: when, which
//! trigger, from which value to which, and what came of it - for every owner
//! together, or for one owner on its own.

use engine::model::triggers::{EvaluationView, Outcome, OwnerKind};
use leptos::prelude::*;

use crate::{
    api::triggers::LoadOwnerTimeline,
    components::{ErrorAlert, RelativeTime, SelectField, ShortPullSpec},
};

/// The timeline with a choice of whose: the newest evaluations of every
/// owner (`all`), or one owner's own, however long ago. `owners` are
/// `Kind/name`.
#[component]
pub fn TimelineSection(
    #[prop(into)] namespace: Signal<String>,
    owners: Vec<String>,
    all: Vec<EvaluationView>,
) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let load = ServerAction::<LoadOwnerTimeline>::new();
    Effect::new(move |_| {
        let owner = chosen.get();
        let Some((kind, name)) = owner.split_once('/') else {
            return;
        };
        if let Some(kind) = OwnerKind::parse(kind) {
            load.dispatch(LoadOwnerTimeline {
                namespace: namespace.get_untracked(),
                kind,
                name: name.to_owned(),
            });
        }
    });
    let options: Vec<(String, String)> = std::iter::once((String::new(), "All owners".to_owned()))
        .chain(owners.into_iter().map(|owner| (owner.clone(), owner)))
        .collect();
    let shown = move || {
        if chosen.get().is_empty() {
            return view! { <Timeline entries=all.clone()/> }.into_any();
        }
        if load.pending().get() {
            return view! { <p class="loading">"Loading the owner's evaluations…"</p> }.into_any();
        }
        match load.value().get() {
            Some(Ok(entries)) => view! { <Timeline entries/> }.into_any(),
            Some(Err(error)) => view! { <ErrorAlert error/> }.into_any(),
            None => view! { <p class="loading">"Loading the owner's evaluations…"</p> }.into_any(),
        }
    };
    view! {
        <div class="timeline-filter">
            <SelectField id="timeline-owner" label="Evaluations of" value=chosen options/>
        </div>
        {shown}
    }
}

/// A vertical timeline of evaluations.
#[component]
pub fn Timeline(entries: Vec<EvaluationView>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"No trigger has been evaluated yet."</p> }.into_any();
    }
    let items = entries
        .into_iter()
        .map(|entry| {
            let class = match entry.outcome {
                Outcome::Fired => "timeline-item timeline-fired",
                Outcome::Waiting => "timeline-item timeline-waiting",
                _ => "timeline-item timeline-skipped",
            };
            let at = entry.at;
            let from = if entry.from.is_empty() { "nothing".to_owned() } else { entry.from };
            let to = if entry.to.is_empty() { "nothing".to_owned() } else { entry.to };
            view! {
                <li class=class>
                    <div class="timeline-head">
                        <strong>{format!("{}/{}", entry.kind.as_str().to_lowercase(), entry.owner)}</strong>
                        " watching "<span class="mono">{entry.watched}</span>
                        " · "<RelativeTime at/>
                    </div>
                    <div class="timeline-body">
                        <span class="timeline-outcome">{entry.outcome.words()}</span>
                        {(!entry.detail.is_empty()).then(|| view! { <span>" - "{entry.detail}</span> })}
                    </div>
                    <div class="timeline-change"><ShortPullSpec spec=from/>" → "<ShortPullSpec spec=to/></div>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline" aria-label="Trigger evaluations, newest first">{items}</ol> }
        .into_any()
}
