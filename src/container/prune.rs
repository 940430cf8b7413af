//! Removing stopped containers: `POST /containers/prune`.

use serde::Deserialize;

#[cfg(doc)]
use super::Containers;
use crate::json::{null_as_default, Filters};
use crate::system::Timestamp;

/// Filters for [`Containers::prune`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneContainersOptions {
    pub(super) filters: Filters,
}

impl PruneContainersOptions {
    /// No filters: every stopped container.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter: `label` (`key` or `key=value`), `label!`, `until`. Several values
    /// for one key must all match (labels) or any (others), as the engine decides.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the containers created before this time (the `until` filter): a
    /// [`SystemTime`](std::time::SystemTime), Unix seconds, [`Timestamp::ago`], or a date read
    /// by [`Timestamp::parse`].
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.filters.add("until", &time.into().to_query());
        self
    }
}

/// What [`Containers::prune`] removed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainersPruned {
    /// The ids of the removed containers.
    #[serde(deserialize_with = "null_as_default")]
    pub containers_deleted: Vec<String>,
    /// Bytes freed.
    pub space_reclaimed: u64,
}
