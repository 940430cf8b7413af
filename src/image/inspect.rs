//! An image in detail: inspect, root filesystem, history.

use std::collections::HashMap;

use serde::Deserialize;

use crate::container::ContainerConfig;
use crate::json::null_as_default;

/// An image in detail: `GET /images/{name}/json`. The commonest fields are typed; the rest
/// are in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageInspect {
    /// Its id, `sha256:...`.
    pub id: String,
    /// Its names.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_tags: Vec<String>,
    /// Its digests in registries.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_digests: Vec<String>,
    /// The id of the image it was built on, if it is local.
    pub parent: String,
    /// The comment it was committed with.
    pub comment: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// The author.
    pub author: String,
    /// The engine version that made it.
    pub docker_version: String,
    /// What a container of it runs by default: command, environment, labels, ...
    #[serde(deserialize_with = "null_as_default")]
    pub config: ContainerConfig,
    /// The CPU architecture, such as `amd64`.
    pub architecture: String,
    /// The operating system, such as `linux`.
    pub os: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its layers.
    #[serde(rename = "RootFS")]
    pub root_fs: RootFs,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// The layers of an image.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct RootFs {
    /// `layers`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The layers' digests, bottom first.
    #[serde(deserialize_with = "null_as_default")]
    pub layers: Vec<String>,
}

/// One step of an image's history: `GET /images/{name}/history`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HistoryItem {
    /// The image made by this step, or `<missing>` for one that is not local.
    pub id: String,
    /// When (seconds since the epoch).
    pub created: i64,
    /// The instruction, such as `/bin/sh -c #(nop)  CMD ["sh"]`.
    pub created_by: String,
    /// The names of the image made by this step.
    #[serde(deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Bytes this step added.
    pub size: i64,
    /// The step's comment.
    pub comment: String,
}
