//! The bundle of engine services a request handler needs, built once at
//! start-up and shared (cheaply cloned) by every request.

use crate::store::Store;

/// Everything the pages and the API call into.
#[derive(Clone, Debug)]
pub struct Services {
    pub store: Store,
}

impl Services {
    /// Services on top of an opened store.
    pub fn new(store: Store) -> Self {
        Services { store }
    }
}
