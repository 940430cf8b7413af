//! Reading the engine's JSON: what serde's attributes do not cover alone.

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default. The engine sends `null` for many empty lists and
/// maps (an untagged image's `RepoTags`, a container without mounts), which
/// `#[serde(default)]` alone, being for missing fields only, refuses.
pub(crate) fn null_as_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
