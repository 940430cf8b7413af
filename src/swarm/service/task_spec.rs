//! What each task of a service runs: [`TaskSpec`], [`ContainerSpec`], and the task's
//! restart policy, resources and placement.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::spec::{nanos, set_env};
use super::{ConfigReference, NetworkAttachment, SecretReference};
use crate::container::{HealthConfig, Mount};
use crate::swarm::open_enum;

open_enum! {
    /// When the swarm restarts a task's container that ended.
    RestartCondition {
        /// Never.
        None = "none",
        /// When it failed (non-zero exit code).
        OnFailure = "on-failure",
        /// Whenever it ends (the default).
        Any = "any",
    }
}

/// What each task of a service runs (`TaskTemplate`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskSpec {
    /// The container each task runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_spec: Option<ContainerSpec>,
    /// Resource limits and reservations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<TaskResources>,
    /// When a task's container is restarted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<ServiceRestartPolicy>,
    /// Which nodes may run the tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// The networks the tasks are attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networks: Option<Vec<NetworkAttachment>>,
    /// A counter: changing it replaces every task even when nothing else changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_update: Option<u64>,
    /// Any other field (`LogDriver`, `Runtime`, `PluginSpec`, ...), by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The container a task runs (`ContainerSpec`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSpec {
    /// The image.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// The container's labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<HashMap<String, String>>,
    /// The command (overrides the image's `ENTRYPOINT`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// The arguments (override the image's `CMD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<String>>,
    /// The host name inside the container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Environment variables, as `KEY=value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<Vec<String>>,
    /// The working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// The user to run as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Give it a TTY (its logs are then one raw stream).
    #[serde(rename = "TTY", skip_serializing_if = "Option::is_none")]
    pub tty: Option<bool>,
    /// Keep stdin open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_stdin: Option<bool>,
    /// Mount its root filesystem read-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    /// Volumes, host paths and tmpfs mounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mounts: Option<Vec<Mount>>,
    /// The signal that stops it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
    /// Nanoseconds to wait after the stop signal before killing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_grace_period: Option<i64>,
    /// How the engine checks that it is healthy (`Healthcheck`, as the engine spells it
    /// in what it gives back; `HealthCheck`, as its reference spells it, reads too).
    #[serde(
        rename = "Healthcheck",
        alias = "HealthCheck",
        skip_serializing_if = "Option::is_none"
    )]
    pub health_check: Option<HealthConfig>,
    /// Secrets to mount as files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets: Option<Vec<SecretReference>>,
    /// Configs to mount as files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configs: Option<Vec<ConfigReference>>,
    /// Run an init process as PID 1 (it forwards signals and reaps zombies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<bool>,
    /// Any other field of the Engine API's container spec, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ContainerSpec {
    /// A container of `image`, with the image's own command.
    pub fn new(image: impl Into<String>) -> Self {
        ContainerSpec {
            image: image.into(),
            ..Default::default()
        }
    }

    /// Sets an environment variable, replacing an earlier value of `key`.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        set_env(self.env.get_or_insert_with(Vec::new), key, value);
        self
    }

    /// The value of an environment variable, when set.
    pub fn env_var(&self, key: &str) -> Option<&str> {
        self.env
            .as_ref()?
            .iter()
            .find_map(|e| e.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
    }
}

/// When the swarm restarts a task's container that ended (`RestartPolicy` of a task
/// spec). Times are in nanoseconds, as the API has them; the builder methods take
/// `Duration`s.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceRestartPolicy {
    /// When (the default: `any`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<RestartCondition>,
    /// Nanoseconds to wait between restarts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<i64>,
    /// How many restarts before giving up (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// Nanoseconds over which restarts are counted for `max_attempts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<i64>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ServiceRestartPolicy {
    /// Restarts on `condition`.
    pub fn new(condition: RestartCondition) -> Self {
        ServiceRestartPolicy {
            condition: Some(condition),
            ..Default::default()
        }
    }

    /// Sets the time between restarts.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(nanos(delay));
        self
    }

    /// Sets how many restarts before giving up.
    pub fn max_attempts(mut self, attempts: u64) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sets the window over which restarts are counted.
    pub fn window(mut self, window: Duration) -> Self {
        self.window = Some(nanos(window));
        self
    }
}

/// A task's resource limits and reservations.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskResources {
    /// The most it may use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceAmounts>,
    /// What a node must have free to run it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservations: Option<ResourceAmounts>,
    /// Any other field (`SwapBytes`, `MemorySwappiness`), by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Amounts of CPU and memory.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ResourceAmounts {
    /// CPUs, in billionths of a CPU (`1_500_000_000` is one and a half).
    #[serde(rename = "NanoCPUs", skip_serializing_if = "Option::is_none")]
    pub nano_cpus: Option<i64>,
    /// Memory, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<i64>,
    /// Any other field (`Pids`, `GenericResources`), by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ResourceAmounts {
    /// `cpus` CPUs (fractions allowed) and `memory_bytes` bytes of memory.
    pub fn new(cpus: f64, memory_bytes: i64) -> Self {
        ResourceAmounts {
            nano_cpus: Some((cpus * 1e9) as i64),
            memory_bytes: Some(memory_bytes),
            extra: serde_json::Map::new(),
        }
    }
}

/// Which nodes may run a service's tasks.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Placement {
    /// Constraints every node must meet, such as `node.role==manager`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Vec<String>>,
    /// The most tasks of the service on one node (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<u64>,
    /// Any other field (`Preferences`, `Platforms`), by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
