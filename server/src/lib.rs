//! The Image Stream Console server: configuration, start-up and shutdown, and
//! the HTTP router that serves the pages, server functions and health checks.

pub mod access;
pub mod api;
pub mod audit;
pub mod config;
pub mod health;
pub mod live;
pub mod logging;
pub mod metrics;
pub mod peer;
pub mod router;
pub mod startup;
pub mod state;
pub mod tls;
