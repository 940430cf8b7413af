//! New limits for a running container: [`UpdateConfig`].

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::Container;
use super::RestartPolicy;

/// New limits for a container: the body of [`Container::update`]. Only the fields that are
/// set change. Anything not typed here can go in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[must_use]
#[non_exhaustive]
pub struct UpdateConfig {
    /// Memory limit in bytes. When the container already has a swap limit, set
    /// [`memory_swap`](Self::memory_swap) too (the engine refuses a memory limit above it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Memory plus swap limit in bytes; -1 for unlimited swap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_swap: Option<i64>,
    /// Soft memory limit in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i64>,
    /// CPU limit in billionths of a CPU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nano_cpus: Option<i64>,
    /// CPU weight relative to other containers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_shares: Option<i64>,
    /// The CFS period in microseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_period: Option<i64>,
    /// The CFS quota in microseconds per period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_quota: Option<i64>,
    /// The CPUs it may use, as `0-3` or `0,1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpuset_cpus: Option<String>,
    /// The memory nodes it may use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpuset_mems: Option<String>,
    /// Block IO weight (10 to 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blkio_weight: Option<u16>,
    /// The most processes it may have (-1 or 0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pids_limit: Option<i64>,
    /// What to do when it exits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<RestartPolicy>,
    /// Any other field of the update body, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl UpdateConfig {
    /// Changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the memory limit in bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.memory = Some(bytes);
        self
    }

    /// Sets the memory plus swap limit in bytes (-1: unlimited swap).
    pub fn memory_swap(mut self, bytes: i64) -> Self {
        self.memory_swap = Some(bytes);
        self
    }

    /// Sets the CPU limit in billionths of a CPU.
    pub fn nano_cpus(mut self, nano_cpus: i64) -> Self {
        self.nano_cpus = Some(nano_cpus);
        self
    }

    /// Sets the relative CPU weight.
    pub fn cpu_shares(mut self, shares: i64) -> Self {
        self.cpu_shares = Some(shares);
        self
    }

    /// Sets the most processes it may have.
    pub fn pids_limit(mut self, limit: i64) -> Self {
        self.pids_limit = Some(limit);
        self
    }

    /// Sets the restart policy.
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.restart_policy = Some(policy);
        self
    }
}
