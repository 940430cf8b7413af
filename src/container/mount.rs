//! Mounts: binds, volumes and tmpfs, with their options.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(doc)]
use super::{HostConfig, RemoveOptions};
use crate::error::Result;
use crate::json::model;

/// The kind of a mount. Unknown kinds are kept, not refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MountType {
    /// A file or folder of the host.
    Bind,
    /// A volume (named, or anonymous when the source is empty).
    Volume,
    /// A memory-backed filesystem.
    Tmpfs,
    /// A Windows named pipe.
    Npipe,
    /// A kind this version of dockhand does not know.
    Other(String),
}

impl MountType {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            MountType::Bind => "bind",
            MountType::Volume => "volume",
            MountType::Tmpfs => "tmpfs",
            MountType::Npipe => "npipe",
            MountType::Other(s) => s,
        }
    }
}

impl From<&str> for MountType {
    fn from(s: &str) -> Self {
        match s {
            "bind" => MountType::Bind,
            "volume" => MountType::Volume,
            "tmpfs" => MountType::Tmpfs,
            "npipe" => MountType::Npipe,
            other => MountType::Other(other.to_string()),
        }
    }
}

impl Default for MountType {
    fn default() -> Self {
        MountType::Other(String::new())
    }
}

impl fmt::Display for MountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MountType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MountType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(MountType::from(s.as_str()))
    }
}

model! {
    /// A mount asked for at creation (`Mount` in [`HostConfig::mounts`]).
    ///
    /// ```
    /// use dockhand::container::Mount;
    /// let mounts = [
    ///     Mount::bind("/srv/config", "/etc/app").read_only(true),
    ///     Mount::volume("app-data", "/var/lib/app"),
    ///     Mount::tmpfs("/scratch").tmpfs_size(64 * 1024 * 1024),
    /// ];
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Mount {
        /// Where it appears in the container.
        pub target: String,
        /// What is mounted: a host path (bind), a volume name (volume; empty for a new
        /// anonymous one), nothing for tmpfs.
        #[serde(skip_serializing_if = "String::is_empty")]
        pub source: String,
        /// Its kind.
        #[serde(rename = "Type")]
        pub kind: MountType,
        /// Mount it read-only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only: Option<bool>,
        /// Options of a bind mount.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bind_options: Option<BindOptions>,
        /// Options of a volume mount.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub volume_options: Option<VolumeOptions>,
        /// Options of a tmpfs.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tmpfs_options: Option<TmpfsOptions>,
        /// Any other field (`Consistency`, `ImageOptions`, ...), by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl Mount {
    /// Mounts the host's `source` path at `target`.
    pub fn bind(source: &str, target: &str) -> Self {
        Self::of(MountType::Bind, source, target)
    }

    /// Mounts the volume `name` at `target` (an empty name makes an anonymous volume,
    /// which goes when the container is removed with [`RemoveOptions::volumes`]).
    pub fn volume(name: &str, target: &str) -> Self {
        Self::of(MountType::Volume, name, target)
    }

    /// Mounts an empty memory-backed filesystem at `target`.
    pub fn tmpfs(target: &str) -> Self {
        Self::of(MountType::Tmpfs, "", target)
    }

    fn of(kind: MountType, source: &str, target: &str) -> Self {
        Mount {
            target: target.to_string(),
            source: source.to_string(),
            kind,
            ..Default::default()
        }
    }

    /// Mounts it read-only.
    pub fn read_only(mut self, on: bool) -> Self {
        self.read_only = Some(on);
        self
    }

    /// Sets a bind mount's propagation: `private`, `rprivate`, `shared`, `rshared`,
    /// `slave` or `rslave`.
    pub fn propagation(mut self, propagation: &str) -> Self {
        self.bind_options
            .get_or_insert_with(BindOptions::default)
            .propagation = Some(propagation.to_string());
        self
    }

    /// Leaves a new volume empty instead of copying the image's files at the target into
    /// it.
    pub fn no_copy(mut self, on: bool) -> Self {
        self.volume_options
            .get_or_insert_with(VolumeOptions::default)
            .no_copy = Some(on);
        self
    }

    /// Adds a label to the volume this mount creates.
    pub fn volume_label(mut self, key: &str, value: &str) -> Self {
        self.volume_options
            .get_or_insert_with(VolumeOptions::default)
            .labels
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Mounts only `path` inside the volume (API 1.45+).
    pub fn subpath(mut self, path: &str) -> Self {
        self.volume_options
            .get_or_insert_with(VolumeOptions::default)
            .subpath = Some(path.to_string());
        self
    }

    /// Limits a tmpfs to `bytes`.
    pub fn tmpfs_size(mut self, bytes: i64) -> Self {
        self.tmpfs_options
            .get_or_insert_with(TmpfsOptions::default)
            .size_bytes = Some(bytes);
        self
    }

    /// Sets a tmpfs's permission bits, such as `0o1777`.
    pub fn tmpfs_mode(mut self, mode: u32) -> Self {
        self.tmpfs_options
            .get_or_insert_with(TmpfsOptions::default)
            .mode = Some(mode);
        self
    }
}

model! {
    /// Options of a bind mount.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct BindOptions {
        /// Mount propagation: `private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub propagation: Option<String>,
        /// Do not bind-mount the mounts under the source too.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub non_recursive: Option<bool>,
        /// Create the source on the host when it is missing (API 1.44+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub create_mountpoint: Option<bool>,
        /// With `ReadOnly`, leave the mounts under the source writable (API 1.44+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_non_recursive: Option<bool>,
        /// With `ReadOnly`, make the mounts under the source read-only too, or fail (API
        /// 1.44+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_force_recursive: Option<bool>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// Options of a volume mount.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct VolumeOptions {
        /// Do not copy the image's files at the target into a new volume.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub no_copy: Option<bool>,
        /// Labels for a volume created by this mount.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<HashMap<String, String>>,
        /// The volume driver and its options, for a volume created by this mount:
        /// `{"Name": ..., "Options": {...}}`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub driver_config: Option<serde_json::Value>,
        /// A path inside the volume to mount instead of all of it (API 1.45+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub subpath: Option<String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// Options of a tmpfs mount.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct TmpfsOptions {
        /// Its size limit in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub size_bytes: Option<i64>,
        /// Its permission bits, such as `0o1777`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mode: Option<u32>,
        /// Other mount options, each `[name]` or `[name, value]`, such as `[["exec"]]`
        /// (API 1.46+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub options: Option<Vec<Vec<String>>>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}
