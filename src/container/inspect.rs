//! A container in detail: inspect (state, health, network settings, mounts), and the
//! processes and filesystem changes of `top` and `changes`.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(doc)]
use super::Container;
use super::{ContainerConfig, ContainerStatus, EndpointSettings, HostConfig, MountType, PortMap};
use crate::json::null_as_default;

/// A container in detail: `GET /containers/{id}/json`. The commonest fields are typed; the
/// rest are in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerInspect {
    /// Its full id.
    pub id: String,
    /// Its name, with a leading `/`.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// The program it runs.
    pub path: String,
    /// The program's arguments.
    pub args: Vec<String>,
    /// Its state.
    pub state: ContainerState,
    /// The image's id.
    pub image: String,
    /// How many times it was restarted.
    pub restart_count: i64,
    /// Its configuration.
    pub config: ContainerConfig,
    /// How the host runs it.
    pub host_config: HostConfig,
    /// Its networks, addresses and published ports.
    pub network_settings: NetworkSettings,
    /// What is mounted in it (volumes, bind mounts, tmpfs).
    #[serde(deserialize_with = "null_as_default")]
    pub mounts: Vec<MountPoint>,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A container's networks and ports, as inspect reports them (`NetworkSettings`).
/// [`networks`](Self::networks) has every network.
///
/// The top-level addresses (`IPAddress`, `Gateway`, `MacAddress`) are those on the default
/// bridge, and only engines before API 1.52 send them: [`ipv4`](Self::ipv4),
/// [`ipv4_gateway`](Self::ipv4_gateway) and [`mac`](Self::mac) find the same answers in
/// [`networks`](Self::networks) when they are absent.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkSettings {
    /// Its networks by name, with its address, gateway and aliases on each.
    #[serde(deserialize_with = "null_as_default")]
    pub networks: HashMap<String, EndpointSettings>,
    /// Its ports: each exposed port with its host bindings (`None` when not published).
    #[serde(deserialize_with = "null_as_default")]
    pub ports: PortMap,
    /// Its IPv4 address on the default bridge (empty when not on it, and from API 1.52).
    #[serde(rename = "IPAddress", deserialize_with = "null_as_default")]
    pub ip_address: String,
    /// The default bridge's gateway (empty from API 1.52).
    #[serde(deserialize_with = "null_as_default")]
    pub gateway: String,
    /// Its MAC address on the default bridge (empty from API 1.52).
    #[serde(deserialize_with = "null_as_default")]
    pub mac_address: String,
    /// The id of its network sandbox.
    #[serde(rename = "SandboxID", deserialize_with = "null_as_default")]
    pub sandbox_id: String,
    /// The path of its network namespace.
    #[serde(deserialize_with = "null_as_default")]
    pub sandbox_key: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl NetworkSettings {
    /// The network the top-level addresses describe, by name: the default bridge when the
    /// container is on it, else the first network (by name) where it has an IPv4 address,
    /// else the first network.
    pub fn primary_network(&self) -> Option<(&str, &EndpointSettings)> {
        if let Some((name, endpoint)) = self.networks.get_key_value("bridge") {
            return Some((name, endpoint));
        }
        let mut networks: Vec<_> = self.networks.iter().collect();
        networks.sort_by(|a, b| a.0.cmp(b.0));
        networks
            .iter()
            .find(|(_, e)| !e.ip_address.is_empty())
            .or(networks.first())
            .map(|(name, endpoint)| (name.as_str(), *endpoint))
    }

    /// Picks the top-level value, else the primary network's.
    fn top_or_primary<'a>(
        &'a self,
        top: &'a str,
        field: fn(&EndpointSettings) -> &str,
    ) -> Option<&'a str> {
        let found = if top.is_empty() {
            self.primary_network().map(|(_, e)| field(e))
        } else {
            Some(top)
        };
        found.filter(|s| !s.is_empty())
    }

    /// Its IPv4 address: the top-level `IPAddress`, else its address on the
    /// [`primary_network`](Self::primary_network). `None` when it has none (not running,
    /// or on no network).
    pub fn ipv4(&self) -> Option<&str> {
        self.top_or_primary(&self.ip_address, |e| &e.ip_address)
    }

    /// The IPv4 gateway: the top-level `Gateway`, else the primary network's.
    pub fn ipv4_gateway(&self) -> Option<&str> {
        self.top_or_primary(&self.gateway, |e| &e.gateway)
    }

    /// Its MAC address: the top-level `MacAddress`, else its address on the primary
    /// network.
    pub fn mac(&self) -> Option<&str> {
        self.top_or_primary(&self.mac_address, |e| &e.mac_address)
    }
}

/// Something mounted in a container, as inspect reports it (`MountPoint`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct MountPoint {
    /// Its kind.
    #[serde(rename = "Type")]
    pub kind: MountType,
    /// The volume's name (volumes only).
    pub name: String,
    /// The path on the host.
    pub source: String,
    /// Where it appears in the container.
    pub destination: String,
    /// The volume driver (volumes only).
    pub driver: String,
    /// Mount options as given, such as `ro` or `z`.
    pub mode: String,
    /// Whether it is writable.
    #[serde(rename = "RW")]
    pub rw: bool,
    /// Its propagation.
    pub propagation: String,
}

/// A container's state in detail.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerState {
    /// The state by name.
    pub status: ContainerStatus,
    /// Whether it runs (a paused container runs too).
    pub running: bool,
    /// Whether it is paused.
    pub paused: bool,
    /// Whether it is restarting.
    pub restarting: bool,
    /// Whether the kernel killed it for want of memory.
    #[serde(rename = "OOMKilled")]
    pub oom_killed: bool,
    /// Whether it is dead.
    pub dead: bool,
    /// Its main process's pid on the host (0 when stopped).
    pub pid: i64,
    /// The exit code of its last run.
    pub exit_code: i64,
    /// Why it failed to start, if it did.
    pub error: String,
    /// When it last started (RFC 3339).
    pub started_at: String,
    /// When it last stopped (RFC 3339).
    pub finished_at: String,
    /// Its health, when it has a health check.
    pub health: Option<Health>,
}

/// A container's health, as its health check finds it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Health {
    /// `starting`, `healthy` or `unhealthy`.
    pub status: HealthStatus,
    /// Failed checks in a row.
    pub failing_streak: i64,
    /// The last few checks.
    #[serde(deserialize_with = "null_as_default")]
    pub log: Vec<HealthCheckResult>,
}

/// A container's health by name, as its health check finds it. A value this version of
/// dockhand does not know is kept in [`Other`](Self::Other), not refused. It compares with
/// the engine's names: `status == "healthy"`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum HealthStatus {
    /// No health check (`none`).
    #[default]
    None,
    /// Checks run, none has passed yet, and the start period or the retries are not used
    /// up (`starting`).
    Starting,
    /// The last check passed (`healthy`).
    Healthy,
    /// Checks failed `retries` times in a row (`unhealthy`); a later pass makes it healthy
    /// again.
    Unhealthy,
    /// A value this version of dockhand does not know (Podman sends `""` too).
    Other(String),
}

impl HealthStatus {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            HealthStatus::None => "none",
            HealthStatus::Starting => "starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
            HealthStatus::Other(s) => s,
        }
    }
}

impl From<&str> for HealthStatus {
    fn from(s: &str) -> Self {
        match s {
            "none" => HealthStatus::None,
            "starting" => HealthStatus::Starting,
            "healthy" => HealthStatus::Healthy,
            "unhealthy" => HealthStatus::Unhealthy,
            other => HealthStatus::Other(other.to_string()),
        }
    }
}

impl fmt::Display for HealthStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for HealthStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for HealthStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl<'de> Deserialize<'de> for HealthStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(HealthStatus::from(String::deserialize(d)?.as_str()))
    }
}

impl Serialize for HealthStatus {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One run of a health check.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HealthCheckResult {
    /// When it started (RFC 3339).
    pub start: String,
    /// When it ended (RFC 3339).
    pub end: String,
    /// Its exit code: 0 healthy, 1 unhealthy.
    pub exit_code: i64,
    /// What it printed (the end of it).
    pub output: String,
}

/// The processes of a container, as `ps` printed them: see [`Container::top`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ProcessList {
    /// The column titles, such as `PID` and `CMD`.
    #[serde(deserialize_with = "null_as_default")]
    pub titles: Vec<String>,
    /// One row per process, a value per column.
    #[serde(deserialize_with = "null_as_default")]
    pub processes: Vec<Vec<String>>,
}

impl ProcessList {
    /// The values of the column titled `title` (such as `PID`), one per process; `None`
    /// when there is no such column.
    pub fn column(&self, title: &str) -> Option<Vec<&str>> {
        let index = self.titles.iter().position(|t| t == title)?;
        Some(
            self.processes
                .iter()
                .map(|row| row.get(index).map_or("", String::as_str))
                .collect(),
        )
    }
}

/// A file added, changed or deleted in a container: see [`Container::changes`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct FilesystemChange {
    /// The path in the container.
    pub path: String,
    /// What happened to it.
    pub kind: ChangeKind,
}

/// What happened to a file: the Engine API's `Kind` 0, 1 or 2.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// Changed (0).
    #[default]
    Modified,
    /// Added (1).
    Added,
    /// Deleted (2).
    Deleted,
    /// A kind this version of dockhand does not know.
    Other(u8),
}

impl ChangeKind {
    /// The letter `docker diff` prints: `C`, `A` or `D` (`?` for others).
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Modified => 'C',
            ChangeKind::Added => 'A',
            ChangeKind::Deleted => 'D',
            ChangeKind::Other(_) => '?',
        }
    }
}

impl<'de> Deserialize<'de> for ChangeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(match u8::deserialize(d)? {
            0 => ChangeKind::Modified,
            1 => ChangeKind::Added,
            2 => ChangeKind::Deleted,
            other => ChangeKind::Other(other),
        })
    }
}
