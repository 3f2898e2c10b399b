//! Server functions for the import schedule: the overview of a project (or
//! of every project) and one tag's next and last check.

use engine::model::schedule_overview::{ScheduleOverview, ScheduledTag};
use leptos::{prelude::*, server_fn::codec::Json};

use crate::errors::ConsoleError;

/// The overview of `namespace`; with `everywhere`, of every project
/// (cluster admins).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "load_schedule", input = Json)]
pub async fn load_schedule(
    namespace: String,
    everywhere: bool,
) -> Result<ScheduleOverview, ConsoleError> {
    let (services, caller) = super::caller().await?;
    let scope = if everywhere { "" } else { namespace.as_str() };
    super::respond(engine::schedule::overview(&services, &caller, scope).await)
}

/// When `stream:tag` is checked next and how its last check went (`None`:
/// it is not scheduled).
#[server(prefix = "/api/console", client = crate::api::client::ConsoleClient, endpoint = "tag_schedule", input = Json)]
pub async fn tag_schedule(
    namespace: String,
    stream: String,
    tag: String,
) -> Result<Option<ScheduledTag>, ConsoleError> {
    let (services, caller) = super::caller().await?;
    super::respond(engine::schedule::of_tag(&services, &caller, &namespace, &stream, &tag).await)
}
