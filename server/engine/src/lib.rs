//! The Image Stream Console's backend library.
//!
//! `model` holds the domain types and their validation; it has no server-only
//! dependencies and compiles to WebAssembly, so the browser validates input with
//! the same code as the server. Everything that touches the database or the
//! network sits behind the `server` feature.

pub mod error;
pub mod model;
pub mod resources;

#[cfg(feature = "server")]
pub mod access;
#[cfg(feature = "server")]
pub mod audit;
#[cfg(feature = "server")]
pub mod catalog;
#[cfg(feature = "server")]
pub mod clock;
#[cfg(feature = "server")]
pub mod cluster_policy;
#[cfg(feature = "server")]
pub mod field_management;
#[cfg(feature = "server")]
pub mod imagestreams;
#[cfg(feature = "server")]
pub mod imports;
#[cfg(feature = "server")]
pub mod live;
#[cfg(feature = "server")]
pub mod manifests;
#[cfg(feature = "server")]
pub mod projects;
#[cfg(feature = "server")]
pub mod registry;
#[cfg(feature = "server")]
pub mod samples;
#[cfg(feature = "server")]
pub mod schedule;
#[cfg(feature = "server")]
pub mod search;
#[cfg(feature = "server")]
pub mod services;
#[cfg(feature = "server")]
pub mod store;
#[cfg(feature = "server")]
pub mod triggers;
#[cfg(feature = "server")]
pub mod webhooks;

#[cfg(feature = "server")]
pub use services::{Services, Settings};

pub use error::{Error, Result};
