//! Image change triggers: the objects that own them (BuildConfigs,
//! DeploymentConfigs, Kubernetes workloads with the `image.openshift.io/triggers`
//! annotation), the triggers read out of them, and the pure rules that decide
//! whether a trigger fires when the tag it watches moves.
//!
//! Owners are kept as the JSON documents users wrote (every field they set
//! survives); the rules read and change them in place.

mod carry_over;
mod edit;
mod evaluate;
mod extract;
mod field_path;
mod outcome;
mod overview;
mod owner_kind;
mod tag_moves;

pub use carry_over::carry_over;
pub use edit::{TriggerEdit, edit_triggers};
pub use evaluate::{Evaluation, OwnerChange, OwnerDoc, Resolution, Started, evaluate_owner};
pub use extract::{ImageTrigger, TriggerTarget, WatchedTag, triggers_of};
pub use field_path::{ContainerSelector, ContainerSlot};
pub use outcome::Outcome;
pub use overview::{EvaluationView, RunView, TriggerRow, TriggersOverview};
pub use owner_kind::OwnerKind;
pub use tag_moves::{TagChange, TagMove, tag_moves};

/// The annotation Kubernetes workloads carry their image triggers in.
pub const TRIGGERS_ANNOTATION: &str = "image.openshift.io/triggers";
