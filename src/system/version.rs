//! The engine's version and those of its parts: `GET /version`.

use serde::Deserialize;

use crate::client::Docker;
use crate::error::Result;
use crate::json::null_as_default;

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
    #[serde(rename = "MinAPIVersion")]
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
    #[serde(deserialize_with = "null_as_default")]
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

impl Docker {
    /// The engine's version and those of its parts.
    pub fn version(&self) -> Result<Version> {
        self.get("/version".into()).send()?.json()
    }
}
