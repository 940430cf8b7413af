//! Disk usage: `GET /system/df`, by kind of object.

use std::collections::HashMap;

use serde::Deserialize;

use crate::client::Docker;
use crate::container::ContainerStatus;
use crate::error::Result;
use crate::json::null_as_default;
use crate::settings::ApiVersion;
use crate::volume::VolumeInspect;

/// How much disk the engine uses, by kind of object: `GET /system/df`, as
/// `docker system df -v`.
///
/// Engines speaking API 1.52 and newer answer with a summary per kind
/// ([`image_usage`](Self::image_usage), ...), and from API 1.53 without the lists
/// (`LayersSize`, `Images`, `Containers`, `Volumes`, `BuildCache`) of older ones;
/// [`Docker::df`] asks those engines for the summaries with their items and fills the
/// lists from them, so the lists read the same on every engine.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DiskUsage {
    /// The size of all image layers, in bytes (shared layers counted once).
    pub layers_size: i64,
    /// The images.
    #[serde(deserialize_with = "null_as_default")]
    pub images: Vec<ImageDiskUsage>,
    /// The containers.
    #[serde(deserialize_with = "null_as_default")]
    pub containers: Vec<ContainerDiskUsage>,
    /// The volumes, each with its [`usage_data`](VolumeInspect::usage_data).
    #[serde(deserialize_with = "null_as_default")]
    pub volumes: Vec<VolumeInspect>,
    /// The build cache's records.
    #[serde(deserialize_with = "null_as_default")]
    pub build_cache: Vec<BuildCacheDiskUsage>,
    /// The images in sum (API 1.52+).
    pub image_usage: Option<DiskUsageSummary<ImageDiskUsage>>,
    /// The containers in sum (API 1.52+).
    pub container_usage: Option<DiskUsageSummary<ContainerDiskUsage>>,
    /// The volumes in sum (API 1.52+).
    pub volume_usage: Option<DiskUsageSummary<VolumeInspect>>,
    /// The build cache in sum (API 1.52+).
    pub build_cache_usage: Option<DiskUsageSummary<BuildCacheDiskUsage>>,
    /// Every other field (`BuilderSize`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl DiskUsage {
    /// Fills the lists of older APIs from the summaries of newer ones, where the engine
    /// left them out.
    pub(super) fn fill_legacy_lists(&mut self) {
        fn fill<T: Clone>(list: &mut Vec<T>, summary: Option<&DiskUsageSummary<T>>) {
            if let Some(summary) = summary.filter(|_| list.is_empty()) {
                list.clone_from(&summary.items);
            }
        }
        fill(&mut self.images, self.image_usage.as_ref());
        fill(&mut self.containers, self.container_usage.as_ref());
        fill(&mut self.volumes, self.volume_usage.as_ref());
        fill(&mut self.build_cache, self.build_cache_usage.as_ref());
        if self.layers_size == 0 {
            if let Some(images) = &self.image_usage {
                self.layers_size = images.total_size;
            }
        }
    }
}

/// One kind of object in [`DiskUsage`], in sum (API 1.52+): how many, how big, how much a
/// prune would free, and the objects themselves when asked for (as [`Docker::df`] does).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    default,
    bound(deserialize = "T: Deserialize<'de> + Default")
)]
#[non_exhaustive]
pub struct DiskUsageSummary<T> {
    /// How many are in use.
    pub active_count: i64,
    /// How many there are.
    pub total_count: i64,
    /// Their size in bytes.
    pub total_size: i64,
    /// The bytes a prune would free.
    pub reclaimable: i64,
    /// The objects (verbose answers only).
    #[serde(deserialize_with = "null_as_default")]
    pub items: Vec<T>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// An image in [`DiskUsage`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageDiskUsage {
    /// Its id (`sha256:...`).
    pub id: String,
    /// Its parent's id (empty when none).
    pub parent_id: String,
    /// Its tags.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_tags: Vec<String>,
    /// Its digests in registries.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_digests: Vec<String>,
    /// When it was created (seconds since the epoch).
    pub created: i64,
    /// Its size in bytes, with its parents' layers.
    pub size: i64,
    /// The bytes it shares with other images; -1 when not computed.
    pub shared_size: i64,
    /// Its size with its parents' layers (older engines).
    pub virtual_size: i64,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// How many containers use it; -1 when not computed.
    pub containers: i64,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A container in [`DiskUsage`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerDiskUsage {
    /// Its full id.
    pub id: String,
    /// Its names, each with a leading `/`.
    #[serde(deserialize_with = "null_as_default")]
    pub names: Vec<String>,
    /// The image as given at creation.
    pub image: String,
    /// The image's id.
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// The command it runs.
    pub command: String,
    /// When it was created (seconds since the epoch).
    pub created: i64,
    /// Its state.
    pub state: ContainerStatus,
    /// Its status in words, such as `Exited (0) 5 minutes ago`.
    pub status: String,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// The size of its writable layer, in bytes.
    pub size_rw: Option<i64>,
    /// The size of all its files, in bytes.
    pub size_root_fs: Option<i64>,
    /// Every other field (`Mounts`, `Ports`, `NetworkSettings`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A build cache record in [`DiskUsage`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCacheDiskUsage {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its parent's id (empty when none; newer engines send `Parents`, in `extra`).
    pub parent: String,
    /// `internal`, `frontend`, `source.local`, `source.git.checkout`, `exec.cachemount`,
    /// `regular`, ...
    #[serde(rename = "Type")]
    pub kind: String,
    /// What it holds, in words.
    pub description: String,
    /// Whether a build is using it.
    pub in_use: bool,
    /// Whether it is shared with other records.
    pub shared: bool,
    /// Its size in bytes.
    pub size: i64,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was last used (RFC 3339; empty when never).
    #[serde(deserialize_with = "null_as_default")]
    pub last_used_at: String,
    /// How many times it was used.
    pub usage_count: i64,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Docker {
    /// How much disk the engine uses: images, containers, volumes and build cache, with
    /// their sizes (`docker system df -v`). The engine computes the sizes on each call,
    /// which can take a while on a busy host.
    ///
    /// Engines speaking API 1.52 or newer are asked for the verbose answer (`verbose=1`),
    /// whose summaries carry the objects; the lists of [`DiskUsage`] are filled from them.
    pub fn df(&self) -> Result<DiskUsage> {
        let verbose = self.api_version()? >= ApiVersion::new(1, 52);
        let mut usage: DiskUsage = self
            .get("/system/df".into())
            .query_opt("verbose", verbose.then_some("1"))
            .send()?
            .json()?;
        usage.fill_legacy_lists();
        Ok(usage)
    }
}
