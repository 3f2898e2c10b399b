//! Domain types shared by the server and the browser, with their validation.
//!
//! Nothing here touches the database or the network, so the console validates
//! what a user types with exactly the rules the server applies.

mod field_error;
mod names;
mod project;

pub use field_error::FieldError;
pub use names::validate_dns_label;
pub use project::{NewProject, Project, SHARED_PROJECT};
