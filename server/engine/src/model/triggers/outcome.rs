//! What came of evaluating one trigger: it fired, or the reason it did not.

use serde::{Deserialize, Serialize};

/// The result of one trigger evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// The trigger fired: a build, a rollout, or an image field update.
    Fired,
    /// The trigger took the new image, but the first rollout waits until
    /// every image trigger of the DeploymentConfig has resolved once.
    Waiting,
    /// The trigger is paused.
    Paused,
    /// The tag resolves to the value the trigger last fired for.
    SameImage,
    /// The tag does not resolve to an image (missing, or a reference without one).
    Unresolved,
    /// A DeploymentConfig trigger with `automatic: false`.
    NotAutomatic,
    /// The owner's project may not pull from the tag's project.
    NotAllowed,
}

impl Outcome {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fired => "Fired",
            Outcome::Waiting => "Waiting",
            Outcome::Paused => "Paused",
            Outcome::SameImage => "SameImage",
            Outcome::Unresolved => "Unresolved",
            Outcome::NotAutomatic => "NotAutomatic",
            Outcome::NotAllowed => "NotAllowed",
        }
    }

    /// The outcome stored as `text`.
    pub fn parse(text: &str) -> Option<Outcome> {
        [
            Outcome::Fired,
            Outcome::Waiting,
            Outcome::Paused,
            Outcome::SameImage,
            Outcome::Unresolved,
            Outcome::NotAutomatic,
            Outcome::NotAllowed,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }

    /// How a timeline words it.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Fired => "fired",
            Outcome::Waiting => "waiting for the other triggers",
            Outcome::Paused => "not fired: paused",
            Outcome::SameImage => "not fired: same image",
            Outcome::Unresolved => "not fired: the tag does not resolve to an image",
            Outcome::NotAutomatic => "not fired: not automatic",
            Outcome::NotAllowed => "not fired: not allowed to pull from that project",
        }
    }
}
