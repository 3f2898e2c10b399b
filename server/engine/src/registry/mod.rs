//! A client for container registries over the Distribution (OCI) API: ping,
//! anonymous, basic and bearer-token auth, manifests and blobs fetched with
//! their digests verified and their sizes capped, tag listing.

mod challenge;
mod client;
mod error;
pub mod media_types;
#[cfg(feature = "testing")]
pub mod testing;

pub use challenge::{Challenge, parse_challenges};
pub use client::{
    ClientOptions, Credentials, Fetched, RegistryClient, Repository, parse_certificates,
};
pub use error::RegistryError;
