//! The console's pages, one module per page.

mod not_found;
mod projects;
mod upcoming;

pub use not_found::NotFound;
pub use projects::ProjectsPage;
pub use upcoming::{AccessPage, CatalogPage, ImageStreamsPage, SettingsPage, TriggersPage};
