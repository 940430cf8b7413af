//! What the engine says about a service: inspect, update status, and the answers of
//! create and update.

use std::collections::HashMap;

use serde::Deserialize;

use super::{EndpointSpec, PortConfig, ServiceSpec};
#[cfg(doc)]
use super::{ListServicesOptions, Service};
use crate::json::null_as_default;
use crate::swarm::open_enum;
use crate::swarm::ObjectVersion;

open_enum! {
    /// Where a rolling update of a service stands.
    UpdateState {
        /// Updating.
        Updating = "updating",
        /// Paused (after a failure, with the `pause` action).
        Paused = "paused",
        /// Done.
        Completed = "completed",
        /// Rolling back.
        RollbackStarted = "rollback_started",
        /// Rolling back, paused.
        RollbackPaused = "rollback_paused",
        /// Rolled back.
        RollbackCompleted = "rollback_completed",
    }
}

/// A service: `GET /services/{id}`, and each item of a list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record, for [`Service::update`].
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// What it is now.
    pub spec: ServiceSpec,
    /// What it was before its last update (what a rollback returns to).
    pub previous_spec: Option<ServiceSpec>,
    /// How it is reached: its ports and virtual addresses.
    pub endpoint: ServiceEndpoint,
    /// Where its last update stands.
    pub update_status: Option<ServiceUpdateStatus>,
    /// How many tasks run and should run (lists with
    /// [`status`](ListServicesOptions::status) only).
    pub service_status: Option<ServiceStatus>,
    /// Every other field (`JobStatus`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// How a service is reached, as the engine set it up.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceEndpoint {
    /// What was asked for.
    pub spec: EndpointSpec,
    /// Its ports, with the published ports the engine picked.
    #[serde(deserialize_with = "null_as_default")]
    pub ports: Vec<PortConfig>,
    /// Its virtual address on each network.
    #[serde(rename = "VirtualIPs", deserialize_with = "null_as_default")]
    pub virtual_ips: Vec<VirtualIp>,
}

/// A service's virtual address on a network.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VirtualIp {
    /// The network's id.
    #[serde(rename = "NetworkID")]
    pub network_id: String,
    /// The address, with its prefix length: `10.0.0.5/24`.
    pub addr: String,
}

/// Where the last update of a service stands.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceUpdateStatus {
    /// Updating, paused, completed, ...
    pub state: UpdateState,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339; empty while it runs).
    pub completed_at: String,
    /// What happened, in words.
    pub message: String,
}

/// How many tasks of a service run and should run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceStatus {
    /// Tasks running now.
    pub running_tasks: u64,
    /// Tasks that should run.
    pub desired_tasks: u64,
    /// Tasks that ended successfully (jobs).
    pub completed_tasks: u64,
}

/// The engine's answer to a service create.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceCreated {
    /// The new service's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Warnings about the spec, such as an image that could not be checked with its
    /// registry.
    #[serde(deserialize_with = "null_as_default")]
    pub warnings: Vec<String>,
}

/// The engine's answer to a service update.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceUpdated {
    /// Warnings about the spec.
    #[serde(deserialize_with = "null_as_default")]
    pub warnings: Vec<String>,
}
