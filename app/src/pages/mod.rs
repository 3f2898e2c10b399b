//! The console's pages, one module per page.

pub(crate) mod image_streams;
mod import_image;
mod not_found;
mod projects;
mod triggers;
mod upcoming;

pub use image_streams::{ImageStreamsPage, StreamPage};
pub use import_image::ImportImagePage;
pub use not_found::NotFound;
pub use projects::ProjectsPage;
pub use triggers::TriggersPage;
pub use upcoming::{AccessPage, CatalogPage, SettingsPage};
