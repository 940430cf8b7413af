//! What the engine says about itself and its host (`GET /info`), with its swarm part.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::client::Docker;
use crate::error::Result;
use crate::json::null_as_default;

/// What `GET /info` says about the engine and its host. The commonest fields are typed;
/// all the others are in [`extra`](Self::extra), as the engine sent them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Info {
    /// The engine's unique id.
    #[serde(rename = "ID")]
    pub id: String,
    /// How many containers there are.
    pub containers: u64,
    /// How many are running.
    pub containers_running: u64,
    /// How many are paused.
    pub containers_paused: u64,
    /// How many are stopped.
    pub containers_stopped: u64,
    /// How many images there are.
    pub images: u64,
    /// The storage driver, such as `overlay2`.
    pub driver: String,
    /// Where the engine keeps its data.
    pub docker_root_dir: String,
    /// The host's name.
    pub name: String,
    /// The engine version.
    pub server_version: String,
    /// The host's operating system, such as `Debian GNU/Linux 12 (bookworm)`.
    pub operating_system: String,
    /// `linux` or `windows`.
    #[serde(rename = "OSType")]
    pub os_type: String,
    /// The CPU architecture, such as `x86_64`.
    pub architecture: String,
    /// The kernel version.
    pub kernel_version: String,
    /// How many CPUs the host has.
    #[serde(rename = "NCPU")]
    pub ncpu: u64,
    /// The host's memory in bytes.
    pub mem_total: u64,
    /// The engine's labels, as `key=value`.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: Vec<String>,
    /// The cgroup driver, such as `systemd`.
    pub cgroup_driver: String,
    /// Whether the engine is in a swarm, and its part in it.
    pub swarm: SwarmInfo,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Docker {
    /// System-wide information about the engine and its host.
    pub fn info(&self) -> Result<Info> {
        self.get("/info".into()).send()?.json()
    }
}

/// A node's part in a swarm, as [`Info::swarm`] reports it. Unknown states are kept, not
/// refused, so a newer engine does not break this client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LocalNodeState {
    /// Not in a swarm.
    Inactive,
    /// Joining a swarm.
    Pending,
    /// In a swarm.
    Active,
    /// Its swarm failed; see [`SwarmInfo::error`].
    Error,
    /// In a swarm whose keys are locked: `docker swarm unlock` is needed.
    Locked,
    /// A state this version of dockhand does not know.
    Other(String),
}

impl LocalNodeState {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            LocalNodeState::Inactive => "inactive",
            LocalNodeState::Pending => "pending",
            LocalNodeState::Active => "active",
            LocalNodeState::Error => "error",
            LocalNodeState::Locked => "locked",
            LocalNodeState::Other(s) => s,
        }
    }
}

impl From<&str> for LocalNodeState {
    fn from(s: &str) -> Self {
        match s {
            "inactive" => LocalNodeState::Inactive,
            "pending" => LocalNodeState::Pending,
            "active" => LocalNodeState::Active,
            "error" => LocalNodeState::Error,
            "locked" => LocalNodeState::Locked,
            other => LocalNodeState::Other(other.to_string()),
        }
    }
}

impl fmt::Display for LocalNodeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Default for LocalNodeState {
    fn default() -> Self {
        LocalNodeState::Other(String::new())
    }
}

impl<'de> Deserialize<'de> for LocalNodeState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(LocalNodeState::from(s.as_str()))
    }
}

/// The swarm part of [`Info`]: whether the engine is in a swarm, and as what.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmInfo {
    /// This node's id in the swarm (empty when not in one).
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// The address other nodes reach this one at.
    pub node_addr: String,
    /// Whether it is in a swarm.
    pub local_node_state: LocalNodeState,
    /// Whether it is a manager (and can answer the swarm's API).
    pub control_available: bool,
    /// What went wrong, in the `error` state.
    pub error: String,
    /// The managers this node knows.
    #[serde(deserialize_with = "null_as_default")]
    pub remote_managers: Vec<PeerNode>,
    /// How many nodes the swarm has (managers only).
    pub nodes: Option<u64>,
    /// How many managers the swarm has (managers only).
    pub managers: Option<u64>,
    /// The swarm itself (managers only).
    pub cluster: Option<ClusterInfo>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A manager of a swarm, as another node knows it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PeerNode {
    /// Its node id.
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// Its address.
    pub addr: String,
}

/// A swarm, as its managers report it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ClusterInfo {
    /// The swarm's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record, for updates.
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
    /// Its settings.
    pub spec: SwarmSpec,
    /// Whether its root CA is being changed.
    pub root_rotation_in_progress: bool,
    /// The port of its data path (VXLAN).
    pub data_path_port: u32,
    /// The address pools its networks are cut from, in CIDR form.
    #[serde(deserialize_with = "null_as_default")]
    pub default_addr_pool: Vec<String>,
    /// The size of the subnets cut from those pools.
    pub subnet_size: u32,
    /// Every other field (`TLSInfo`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// The version of a swarm object's record: an update names the version it changes, so that
/// two updates cannot overwrite each other unseen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ObjectVersion {
    /// The version number.
    pub index: u64,
}

/// A swarm's settings. Its name and labels are typed; the rest (`Orchestration`, `Raft`,
/// `Dispatcher`, `CAConfig`, `EncryptionConfig`, `TaskDefaults`) are in
/// [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmSpec {
    /// Its name (`default`).
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}
