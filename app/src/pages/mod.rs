//! The console's pages, one module per page.

mod access;
mod audit;
mod catalog;
mod groups;
pub(crate) mod image_streams;
mod import_image;
mod not_found;
mod password;
mod profile;
mod projects;
mod pull_secrets;
mod schedule;
mod search;
mod service_accounts;
mod settings;
mod sign_in;
mod tokens;
mod triggers;
mod users;

pub use access::AccessPage;
pub use audit::AuditLogPage;
pub use catalog::CatalogPage;
pub use image_streams::{ImageStreamsPage, StreamPage, TagPage};
pub use import_image::ImportImagePage;
pub use not_found::NotFound;
pub use profile::ProfilePage;
pub use projects::ProjectsPage;
pub use schedule::SchedulePage;
pub use search::SearchPage;
pub use settings::SettingsPage;
pub use sign_in::SignInPage;
pub use triggers::TriggersPage;
