//! The shared sample catalog (OpenShift's Cluster Samples Operator): the
//! builder and database image streams the product ships, kept in the
//! `openshift` project as a cluster admin configures (`managementState`,
//! `skippedImagestreams`, `samplesRegistry`), with failed imports retried.

mod inventory;
mod reconcile;
mod run;
mod settings;
mod view;

pub use inventory::{inventory, names};
pub use reconcile::{Reconciled, install, reconcile};
pub use run::{DEFAULT_RETRY, SamplesSettings, run};
pub use settings::{current, write_first};
pub use view::{get, update};
