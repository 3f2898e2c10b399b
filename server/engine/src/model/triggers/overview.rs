//! What the Triggers page shows: every image change trigger of a project
//! (as `oc set triggers` lists them), the builds and rollouts they started,
//! and the timeline of their evaluations.

use serde::{Deserialize, Serialize};

use super::{Outcome, OwnerKind};
use crate::model::Time;

/// One trigger, as `oc set triggers` lists it (`NAME TYPE VALUE AUTO`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerRow {
    pub kind: OwnerKind,
    pub owner: String,
    pub index: usize,
    /// `namespace/stream:tag`.
    pub watched: String,
    /// Where the image goes: `build`, container names, or the field path.
    pub target: String,
    pub automatic: bool,
    pub paused: bool,
    pub last_triggered: String,
}

/// A build or rollout a trigger started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub kind: OwnerKind,
    pub owner: String,
    pub name: String,
    pub cause: String,
    pub images: Vec<(String, String)>,
    pub created: Time,
}

/// One evaluation of one trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub at: Time,
    pub kind: OwnerKind,
    pub owner: String,
    pub watched: String,
    pub from: String,
    pub to: String,
    pub outcome: Outcome,
    pub detail: String,
}

/// The Triggers page of one project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggersOverview {
    pub triggers: Vec<TriggerRow>,
    /// Owners without any image change trigger (listed so they can be found).
    pub other_owners: Vec<(OwnerKind, String)>,
    pub runs: Vec<RunView>,
    pub timeline: Vec<EvaluationView>,
}
