//! The engine itself: ping, version, info.

use std::collections::HashMap;

use serde::Deserialize;

use crate::client::Docker;
use crate::error::Result;

/// The engine's answer to a ping.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ping {
    /// The newest API version the engine speaks (`API-Version` header).
    pub api_version: Option<String>,
    /// `linux` or `windows` (`OSType` header).
    pub os_type: Option<String>,
    /// Whether the engine runs with experimental features.
    pub experimental: bool,
    /// The default builder: `1` (classic) or `2` (BuildKit).
    pub builder_version: Option<String>,
}

/// What `GET /version` says: versions of the engine and its parts.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Version {
    /// The engine version, such as `20.10.24+dfsg1`.
    pub version: String,
    /// The newest API version it speaks.
    pub api_version: String,
    /// The oldest API version it accepts.
    pub min_api_version: String,
    /// The source revision it was built from.
    pub git_commit: String,
    /// The Go version it was built with.
    pub go_version: String,
    /// The operating system, such as `linux`.
    pub os: String,
    /// The CPU architecture, such as `amd64`.
    pub arch: String,
    /// The kernel version of the host.
    pub kernel_version: String,
    /// Whether experimental features are on.
    pub experimental: bool,
    /// When it was built.
    pub build_time: String,
    /// The platform name, such as `Docker Engine - Community`.
    pub platform: Option<Platform>,
    /// Versions of the parts (engine, containerd, runc, ...).
    pub components: Vec<Component>,
}

/// The platform the engine belongs to.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Platform {
    /// Its name.
    pub name: String,
}

/// One part of the engine and its version.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Component {
    /// Its name, such as `containerd`.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Anything else it reports.
    pub details: Option<serde_json::Value>,
}

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
    pub labels: Vec<String>,
    /// The cgroup driver, such as `systemd`.
    pub cgroup_driver: String,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Docker {
    /// Checks that the engine answers (`GET /_ping`, unversioned), and returns what its
    /// headers say.
    pub fn ping(&self) -> Result<Ping> {
        let response = self.get("/_ping".into()).unversioned().send()?;
        let header = |name: &str| response.header(name).map(str::to_string);
        let ping = Ping {
            api_version: header("API-Version"),
            os_type: header("OSType"),
            experimental: header("Docker-Experimental").as_deref() == Some("true"),
            builder_version: header("Builder-Version"),
        };
        response.drain()?;
        Ok(ping)
    }

    /// The engine's version and those of its parts.
    pub fn version(&self) -> Result<Version> {
        self.get("/version".into()).send()?.json()
    }

    /// System-wide information about the engine and its host.
    pub fn info(&self) -> Result<Info> {
        self.get("/info".into()).send()?.json()
    }
}
