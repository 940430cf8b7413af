//! Pruning the build cache (`docker builder prune`).

use serde::Deserialize;

use crate::client::Docker;
use crate::error::{Error, Result};
use crate::json::{null_as_default, Filters};
use crate::settings::ApiVersion;

use super::Timestamp;

impl Docker {
    /// Deletes build cache (`docker builder prune`): unused records not shared with
    /// others, or every unused one with [`all`](PruneBuildCacheOptions::all), among
    /// those the filters select, until the limits are met.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::system::PruneBuildCacheOptions;
    /// let docker = Docker::from_env()?;
    /// let pruned = docker.prune_build_cache(&PruneBuildCacheOptions::new().filter("until", "24h"))?;
    /// println!("{} records, {} bytes", pruned.caches_deleted.len(), pruned.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune_build_cache(&self, options: &PruneBuildCacheOptions) -> Result<BuildCachePruned> {
        let version = self.api_version()?;
        let new_limits = version >= ApiVersion::new(1, 48);
        for (name, value) in [
            ("max_used_space", options.max_used_space),
            ("min_free_space", options.min_free_space),
        ] {
            if let (Some(bytes), false) = (value, new_limits) {
                return Err(Error::setting(
                    &format!("PruneBuildCacheOptions::{name}"),
                    &bytes.to_string(),
                    format!(
                        "an engine speaking API 1.48 or newer (Docker 28): this one speaks \
                         {version}, and would ignore it"
                    ),
                ));
            }
        }
        // API 1.48 renamed keep-storage to reserved-space; 1.52 dropped the old name.
        let reserved = if new_limits {
            "reserved-space"
        } else {
            "keep-storage"
        };
        self.post("/build/prune".into())
            .query_opt(reserved, options.reserved_space)
            .query_opt("max-used-space", options.max_used_space)
            .query_opt("min-free-space", options.min_free_space)
            .flag("all", options.all)
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }
}

/// What [`Docker::prune_build_cache`] deletes.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneBuildCacheOptions {
    all: bool,
    reserved_space: Option<u64>,
    max_used_space: Option<u64>,
    min_free_space: Option<u64>,
    filters: Filters,
}

impl PruneBuildCacheOptions {
    /// Every unused record that is not shared, whatever the cache's size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Shared records too (internal and frontend ones as well), not only private ones.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Keep at least this many bytes of cache (`--reserved-space`, formerly
    /// `--keep-storage`; sent under the name the engine's API version knows).
    pub fn reserved_space(mut self, bytes: u64) -> Self {
        self.reserved_space = Some(bytes);
        self
    }

    /// Delete until the cache uses at most this many bytes (API 1.48 and later: an
    /// older engine would ignore it, so the call fails before anything is sent).
    pub fn max_used_space(mut self, bytes: u64) -> Self {
        self.max_used_space = Some(bytes);
        self
    }

    /// Delete until the disk has at least this many bytes free (API 1.48 and later, as
    /// [`max_used_space`](Self::max_used_space)).
    pub fn min_free_space(mut self, bytes: u64) -> Self {
        self.min_free_space = Some(bytes);
        self
    }

    /// Adds a filter, as `docker builder prune --filter key=value`: `until` (a time or a
    /// duration such as `24h`), `id`, `parent`, `type`, `description`, `inuse`, `shared`,
    /// `private`.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the records unused since before this time, in the forms of [`Timestamp`].
    /// The engine takes a duration here: it is sent as the time between then and now.
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.filters
            .add("until", &time.into().to_go_duration_before_now());
        self
    }
}

/// What a build cache prune deleted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCachePruned {
    /// The ids of the records deleted.
    #[serde(deserialize_with = "null_as_default")]
    pub caches_deleted: Vec<String>,
    /// The disk space freed, in bytes.
    pub space_reclaimed: u64,
}
