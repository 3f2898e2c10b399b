//! The evaluations of a project's triggers, newest first: when, which
//! trigger, from which value to which, and what came of it.

use engine::model::triggers::{EvaluationView, Outcome};
use leptos::prelude::*;

use crate::components::{RelativeTime, ShortPullSpec};

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
