//! Listing images: options and the summaries a list gives.

use std::collections::HashMap;

use serde::Deserialize;

#[cfg(doc)]
use super::Images;
use crate::json::{null_as_default, Filters};
use crate::system::Timestamp;

/// An image in a list: `GET /images/json`.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ImageSummary {
    /// Its id, `sha256:...`.
    pub id: String,
    /// The id of the image it was built on, if it is local.
    pub parent_id: String,
    /// Its names, such as `busybox:latest` (empty for an untagged image).
    pub repo_tags: Vec<String>,
    /// Its digests in registries, such as `busybox@sha256:...`.
    pub repo_digests: Vec<String>,
    /// When it was created (seconds since the epoch).
    pub created: i64,
    /// Its size in bytes, with its parents' layers.
    pub size: i64,
    /// Bytes it shares with other images (-1 when not computed).
    pub shared_size: i64,
    /// The same as [`size`](Self::size). Engines before API 1.44 sent it; newer ones do not,
    /// and it is then taken from `size` (as it is when an engine sends 0), so it reads the
    /// same on every engine.
    pub virtual_size: i64,
    /// Its labels.
    pub labels: HashMap<String, String>,
    /// How many containers use it (-1 when not computed).
    pub containers: i64,
}

/// [`ImageSummary`] as the engine sends it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ImageSummaryWire {
    id: String,
    parent_id: String,
    #[serde(deserialize_with = "null_as_default")]
    repo_tags: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    repo_digests: Vec<String>,
    created: i64,
    size: i64,
    shared_size: i64,
    virtual_size: i64,
    #[serde(deserialize_with = "null_as_default")]
    labels: HashMap<String, String>,
    containers: i64,
}

impl<'de> Deserialize<'de> for ImageSummary {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let w = ImageSummaryWire::deserialize(d)?;
        Ok(ImageSummary {
            virtual_size: if w.virtual_size == 0 {
                w.size
            } else {
                w.virtual_size
            },
            id: w.id,
            parent_id: w.parent_id,
            repo_tags: w.repo_tags,
            repo_digests: w.repo_digests,
            created: w.created,
            size: w.size,
            shared_size: w.shared_size,
            labels: w.labels,
            containers: w.containers,
        })
    }
}

/// Filters and flags for [`Images::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListImagesOptions {
    pub(super) all: bool,
    pub(super) digests: bool,
    pub(super) filters: Filters,
}

impl ListImagesOptions {
    /// Top-level images only, no filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include intermediate images too.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Fill in `RepoDigests`.
    pub fn digests(mut self, digests: bool) -> Self {
        self.digests = digests;
        self
    }

    /// Adds a filter, as `docker images --filter key=value`: `label` (`key` or
    /// `key=value`), `reference` (`busybox`, `team/*:1.*`), `dangling` (`true`), `before`,
    /// `since`. Several values for one key match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the images created before this time (the `until` filter, Docker 25 and
    /// later, and Podman: Docker 20.10 refuses it with a 400), in the forms of
    /// [`Timestamp`].
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.filters.add("until", &time.into().to_query());
        self
    }
}
