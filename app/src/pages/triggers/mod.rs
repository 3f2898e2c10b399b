//! The Triggers page: every image change trigger of the project (`oc set
//! triggers`), the builds and rollouts they started, the timeline that says
//! why each fired or did not, a dry run, and the project's webhooks.

mod add_trigger;
mod dry_run;
mod page;
mod timeline;
mod webhooks;

pub use page::TriggersPage;
