//! Listing containers: states, list options, and the summaries a list gives.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer};

#[cfg(doc)]
use super::Containers;
use super::{MountPoint, NetworkSettings};
use crate::json::{null_as_default, Filters};

/// A container's state, as the engine names it. Unknown states are kept, not refused, so a
/// newer engine does not break this client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ContainerStatus {
    /// Created, never started.
    Created,
    /// Running.
    Running,
    /// Paused.
    Paused,
    /// Being restarted.
    Restarting,
    /// Being removed.
    Removing,
    /// Stopped.
    Exited,
    /// Could not be stopped or removed properly.
    Dead,
    /// A state this version of dockhand does not know.
    Other(String),
}

impl ContainerStatus {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            ContainerStatus::Created => "created",
            ContainerStatus::Running => "running",
            ContainerStatus::Paused => "paused",
            ContainerStatus::Restarting => "restarting",
            ContainerStatus::Removing => "removing",
            ContainerStatus::Exited => "exited",
            ContainerStatus::Dead => "dead",
            ContainerStatus::Other(s) => s,
        }
    }
}

impl From<&str> for ContainerStatus {
    fn from(s: &str) -> Self {
        match s {
            "created" => ContainerStatus::Created,
            "running" => ContainerStatus::Running,
            "paused" => ContainerStatus::Paused,
            "restarting" => ContainerStatus::Restarting,
            "removing" => ContainerStatus::Removing,
            "exited" => ContainerStatus::Exited,
            "dead" => ContainerStatus::Dead,
            other => ContainerStatus::Other(other.to_string()),
        }
    }
}

impl fmt::Display for ContainerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Default for ContainerStatus {
    fn default() -> Self {
        ContainerStatus::Other(String::new())
    }
}

impl<'de> Deserialize<'de> for ContainerStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ContainerStatus::from(s.as_str()))
    }
}

/// Filters and flags for [`Containers::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListContainersOptions {
    pub(super) all: bool,
    pub(super) limit: Option<u32>,
    pub(super) size: bool,
    pub(super) filters: Filters,
}

impl ListContainersOptions {
    /// Running containers only, no filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include stopped containers too.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Only the `n` most recently created.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    /// Report sizes (`SizeRw`, `SizeRootFs`); slower.
    pub fn size(mut self, size: bool) -> Self {
        self.size = size;
        self
    }

    /// Adds a filter, as `docker ps --filter key=value`: `label` (`key` or `key=value`),
    /// `name`, `id`, `status`, `ancestor`, `network`, `volume`, `exited`, `health`, ...
    /// Several values for one key match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// A container in a list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSummary {
    /// Its full id.
    pub id: String,
    /// Its names, each with a leading `/`.
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
    /// Its status in words, such as `Up 5 minutes`.
    pub status: String,
    /// Its labels.
    pub labels: HashMap<String, String>,
    /// Its published ports.
    pub ports: Vec<Port>,
    /// Size of its writable layer, when asked for.
    pub size_rw: Option<i64>,
    /// Size of all its files, when asked for.
    pub size_root_fs: Option<i64>,
    /// What is mounted in it.
    #[serde(deserialize_with = "null_as_default")]
    pub mounts: Vec<MountPoint>,
    /// Its networks (in a list, only [`NetworkSettings::networks`] is filled in).
    pub network_settings: NetworkSettings,
}

impl ContainerSummary {
    /// Its first name without the leading `/`.
    pub fn name(&self) -> &str {
        self.names
            .first()
            .map(|n| n.trim_start_matches('/'))
            .unwrap_or("")
    }
}

/// A port of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Port {
    /// The host address it is published on.
    #[serde(rename = "IP")]
    pub ip: Option<String>,
    /// The port inside the container.
    #[serde(rename = "PrivatePort")]
    pub private_port: u16,
    /// The port on the host, when published.
    #[serde(rename = "PublicPort")]
    pub public_port: Option<u16>,
    /// `tcp`, `udp` or `sctp`.
    #[serde(rename = "Type")]
    pub kind: String,
}
