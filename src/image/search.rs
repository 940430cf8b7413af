//! Searching Docker Hub (or the engine's configured index).

use serde::Deserialize;

#[cfg(doc)]
use super::Images;
use crate::json::Filters;

/// What to search Docker Hub (or the engine's configured index) for.
#[derive(Clone, Debug)]
#[must_use]
pub struct SearchOptions {
    pub(super) term: String,
    pub(super) limit: Option<u32>,
    pub(super) filters: Filters,
}

impl SearchOptions {
    /// Images matching `term`.
    pub fn new(term: impl Into<String>) -> Self {
        SearchOptions {
            term: term.into(),
            limit: None,
            filters: Filters::default(),
        }
    }

    /// At most `n` results (the index's default is 25).
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    /// Adds a filter: `is-official` (`true`), `stars` (a minimum).
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// An image found by [`Images::search`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SearchResult {
    /// Its name, such as `busybox` or `bitnami/redis`.
    pub name: String,
    /// Its description.
    pub description: String,
    /// How many stars it has.
    pub star_count: u64,
    /// Whether it is a Docker official image.
    pub is_official: bool,
    /// Whether it is built automatically (a feature Docker Hub retired).
    pub is_automated: bool,
}
