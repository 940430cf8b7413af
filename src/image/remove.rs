//! Removing images: `remove` and `prune`, with what they deleted.

use serde::Deserialize;

#[cfg(doc)]
use super::{Image, Images};
use crate::json::{null_as_default, Filters};
use crate::system::Timestamp;

/// Flags for [`Image::remove`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RemoveImageOptions {
    pub(super) force: bool,
    pub(super) no_prune: bool,
}

impl RemoveImageOptions {
    /// Remove the name (and the image, when it was its last name).
    pub fn new() -> Self {
        Self::default()
    }

    /// Remove it even when containers use it, or when it has other names.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Keep its untagged parents.
    pub fn no_prune(mut self, no_prune: bool) -> Self {
        self.no_prune = no_prune;
        self
    }
}

/// One thing an image removal or prune did: a name removed, or an image deleted.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageDeleted {
    /// A name that was removed, such as `busybox:latest`.
    pub untagged: Option<String>,
    /// An image that was deleted, `sha256:...`.
    pub deleted: Option<String>,
}

/// What to prune, for [`Images::prune`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneImagesOptions {
    pub(super) filters: Filters,
}

impl PruneImagesOptions {
    /// Dangling images (untagged, unused), as `docker image prune`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter: `dangling` (`false` prunes every unused image, not only untagged
    /// ones), `until` (a time or duration), `label` (`key`, `key=value`), `label!`.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the images created before this time (the `until` filter): a
    /// [`SystemTime`](std::time::SystemTime), Unix seconds, [`Timestamp::ago`], or a date read
    /// by [`Timestamp::parse`].
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.filters.add("until", &time.into().to_query());
        self
    }
}

/// What [`Images::prune`] removed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PruneImagesResult {
    /// Names removed and images deleted.
    #[serde(deserialize_with = "null_as_default")]
    pub images_deleted: Vec<ImageDeleted>,
    /// Bytes freed.
    pub space_reclaimed: u64,
}
