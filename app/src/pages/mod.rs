//! The console's pages, one module per page.

mod image_streams;
mod import_image;
mod not_found;
mod projects;
mod upcoming;

pub use image_streams::{ImageStreamsPage, StreamPage};
pub use import_image::ImportImagePage;
pub use not_found::NotFound;
pub use projects::ProjectsPage;
pub use upcoming::{AccessPage, CatalogPage, SettingsPage, TriggersPage};
