//! Small serde helpers for the Kubernetes JSON shapes.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default (Kubernetes writes `annotations: null`).
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
