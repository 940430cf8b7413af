//! [`ServiceSpec`]: what a service is, as created, inspected and updated.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{
    ConfigReference, ContainerSpec, EndpointSpec, NetworkAttachment, Placement, PortConfig,
    SecretReference, ServiceMode, ServiceRestartPolicy, ServiceUpdateConfig, TaskResources,
    TaskSpec,
};
use crate::container::Mount;
use crate::json::null_as_default;

/// A duration as the engine's nanoseconds (saturating).
pub(super) fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

/// What a service is: the body of `POST /services/create` and of an update, and what
/// inspect gives back. Field names are the Engine API's, so its reference documents them;
/// anything not typed here can go in [`extra`](Self::extra) (at every level), and comes
/// back there, so an inspected spec is sent back unchanged but for what the caller
/// changed.
///
/// ```
/// use dockhand::swarm::{RestartCondition, ServiceRestartPolicy, ServiceSpec};
/// let spec = ServiceSpec::new("nginx:1.25")
///     .name("web")
///     .label("app", "shop")
///     .env("MODE", "production")
///     .replicas(3)
///     .restart_policy(ServiceRestartPolicy::new(RestartCondition::OnFailure).max_attempts(5))
///     .publish(dockhand::swarm::PortConfig::new(80).published(8080));
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceSpec {
    /// Its name (the engine makes one up when empty).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels (its tasks' containers get [`ContainerSpec::labels`] instead). Always
    /// sent, as the engine always gives them (a `null` reads as none and goes back as
    /// `{}`).
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// What each task runs.
    pub task_template: TaskSpec,
    /// How many tasks: a number of replicas, or one per node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<ServiceMode>,
    /// How an update replaces its tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_config: Option<ServiceUpdateConfig>,
    /// How a rollback replaces its tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_config: Option<ServiceUpdateConfig>,
    /// Networks to attach it to: deprecated by the engine in favour of
    /// [`TaskSpec::networks`], which the builder methods use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub networks: Option<Vec<NetworkAttachment>>,
    /// How it is reached: its ports and load-balancing mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_spec: Option<EndpointSpec>,
    /// Any other field of the Engine API's service spec, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ServiceSpec {
    /// A service whose tasks run `image` with its own command (one replica unless told
    /// otherwise).
    pub fn new(image: impl Into<String>) -> Self {
        let mut spec = ServiceSpec::default();
        spec.container().image = image.into();
        spec
    }

    /// The container spec, made when missing.
    fn container(&mut self) -> &mut ContainerSpec {
        self.task_template
            .container_spec
            .get_or_insert_with(ContainerSpec::default)
    }

    /// The image its tasks run (empty when it runs no container).
    pub fn image(&self) -> &str {
        self.task_template
            .container_spec
            .as_ref()
            .map_or("", |c| c.image.as_str())
    }

    /// Sets its name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Adds (or replaces) a label of the service.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.insert(key.to_string(), value.to_string());
        self
    }

    /// Adds (or replaces) a label of its tasks' containers.
    pub fn container_label(mut self, key: &str, value: &str) -> Self {
        self.container()
            .labels
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Sets the command (overrides the image's `ENTRYPOINT`, like `docker service create
    /// --entrypoint`).
    pub fn command<S: Into<String>>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.container().command = Some(command.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the arguments (override the image's `CMD`, like the arguments after the image
    /// of `docker service create`).
    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.container().args = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// Sets an environment variable of its tasks, replacing an earlier value of `key`.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        set_env(
            self.container().env.get_or_insert_with(Vec::new),
            key,
            value,
        );
        self
    }

    /// Runs `replicas` tasks.
    pub fn replicas(mut self, replicas: u64) -> Self {
        self.mode = Some(ServiceMode::replicated(replicas));
        self
    }

    /// Runs one task on every node.
    pub fn global(mut self) -> Self {
        self.mode = Some(ServiceMode::global());
        self
    }

    /// Runs a job: tasks that run until `total_completions` of them have ended
    /// successfully, at most `max_concurrent` at a time.
    pub fn replicated_job(mut self, max_concurrent: u64, total_completions: u64) -> Self {
        self.mode = Some(ServiceMode::replicated_job(
            max_concurrent,
            total_completions,
        ));
        self
    }

    /// Runs a job: one task on every node, until it ends successfully.
    pub fn global_job(mut self) -> Self {
        self.mode = Some(ServiceMode::global_job());
        self
    }

    /// Mounts a secret into its tasks.
    pub fn secret(mut self, secret: SecretReference) -> Self {
        self.container()
            .secrets
            .get_or_insert_with(Vec::new)
            .push(secret);
        self
    }

    /// Mounts a config into its tasks.
    pub fn config(mut self, config: ConfigReference) -> Self {
        self.container()
            .configs
            .get_or_insert_with(Vec::new)
            .push(config);
        self
    }

    /// Mounts a volume, a host path or a tmpfs into its tasks.
    pub fn mount(mut self, mount: Mount) -> Self {
        self.container()
            .mounts
            .get_or_insert_with(Vec::new)
            .push(mount);
        self
    }

    /// Sets how long a task's container may take to stop before it is killed.
    pub fn stop_grace_period(mut self, grace: Duration) -> Self {
        self.container().stop_grace_period = Some(nanos(grace));
        self
    }

    /// Sets when its tasks' containers are restarted.
    pub fn restart_policy(mut self, policy: ServiceRestartPolicy) -> Self {
        self.task_template.restart_policy = Some(policy);
        self
    }

    /// Sets its tasks' resource limits and reservations.
    pub fn resources(mut self, resources: TaskResources) -> Self {
        self.task_template.resources = Some(resources);
        self
    }

    /// Adds a placement constraint, such as `node.role==manager` or
    /// `node.labels.zone==a`.
    pub fn constraint(mut self, constraint: &str) -> Self {
        self.task_template
            .placement
            .get_or_insert_with(Placement::default)
            .constraints
            .get_or_insert_with(Vec::new)
            .push(constraint.to_string());
        self
    }

    /// Attaches its tasks to a network (an overlay network's name or id).
    pub fn network(mut self, network: NetworkAttachment) -> Self {
        self.task_template
            .networks
            .get_or_insert_with(Vec::new)
            .push(network);
        self
    }

    /// Publishes a port.
    pub fn publish(mut self, port: PortConfig) -> Self {
        self.endpoint_spec
            .get_or_insert_with(EndpointSpec::default)
            .ports
            .get_or_insert_with(Vec::new)
            .push(port);
        self
    }

    /// Sets how an update replaces its tasks.
    pub fn update_config(mut self, config: ServiceUpdateConfig) -> Self {
        self.update_config = Some(config);
        self
    }

    /// Sets how a rollback replaces its tasks.
    pub fn rollback_config(mut self, config: ServiceUpdateConfig) -> Self {
        self.rollback_config = Some(config);
        self
    }
}

/// Sets `key=value` in an environment list, replacing an earlier value of `key`.
pub(super) fn set_env(env: &mut Vec<String>, key: &str, value: &str) {
    let entry = format!("{key}={value}");
    let prefix = format!("{key}=");
    match env.iter_mut().find(|e| e.starts_with(&prefix) || *e == key) {
        Some(existing) => *existing = entry,
        None => env.push(entry),
    }
}
