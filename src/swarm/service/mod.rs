//! Swarm services (create, list, inspect, update, scale, remove, logs) and their tasks
//! (list, inspect, logs).
//!
//! A service is a spec the swarm keeps true: it starts tasks (one container each) until
//! the wanted number runs. Updates send the whole spec with the version it was read at
//! (see [`Service::update`]); [`Service::scale`] does that round trip for the commonest
//! change.
//!
//! Every part of a spec keeps the fields it does not type in its `extra` map, and a typed
//! field the engine left out stays out: a spec read from the engine goes back as it came,
//! but for what the caller changed.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize, Serializer};

use crate::client::{encode_segment, object_id, Docker, Request};
use crate::container::{read_logs, HealthConfig, LogsOptions, Mount};
use crate::error::{Error, Result};
use crate::json::{null_as_default, Filters};
use crate::settings::{registry_auth_header, Auth, Credentials};
use crate::stream::OutputStream;
use crate::swarm::open_enum;
use crate::system::ObjectVersion;

/// The services of the swarm: `docker.services()`.
#[derive(Clone, Debug)]
pub struct Services {
    docker: Docker,
}

/// One service, by id or name: `docker.service("web")`.
#[derive(Clone, Debug)]
pub struct Service {
    docker: Docker,
    id: String,
}

/// The tasks of the swarm: `docker.tasks()`.
#[derive(Clone, Debug)]
pub struct Tasks {
    docker: Docker,
}

/// One task, by id: `docker.task(id)`.
#[derive(Clone, Debug)]
pub struct Task {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The swarm's services: list and create (ask a manager).
    pub fn services(&self) -> Services {
        Services {
            docker: self.clone(),
        }
    }

    /// One service, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn service(&self, id: impl Into<String>) -> Service {
        Service {
            docker: self.clone(),
            id: id.into(),
        }
    }

    /// The swarm's tasks: the containers its services run, past and present.
    pub fn tasks(&self) -> Tasks {
        Tasks {
            docker: self.clone(),
        }
    }

    /// One task, by id or id prefix. Nothing is sent until a call is made.
    pub fn task(&self, id: impl Into<String>) -> Task {
        Task {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

/// A duration as the engine's nanoseconds (saturating).
fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

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

open_enum! {
    /// What an update does when a task fails to update.
    FailureAction {
        /// Stops updating, and waits (the default).
        Pause = "pause",
        /// Goes on with the next tasks.
        Continue = "continue",
        /// Rolls the service back to its previous spec.
        Rollback = "rollback",
    }
}

open_enum! {
    /// The order an update replaces a task in.
    UpdateOrder {
        /// Stops the old task, then starts the new one (the default).
        StopFirst = "stop-first",
        /// Starts the new task, then stops the old one (both run for a while).
        StartFirst = "start-first",
    }
}

open_enum! {
    /// How other services reach a service.
    EndpointMode {
        /// Through one virtual address that balances over its tasks (the default).
        Vip = "vip",
        /// Through DNS round robin over its tasks' addresses.
        Dnsrr = "dnsrr",
    }
}

open_enum! {
    /// A port's protocol.
    PortProtocol {
        /// TCP (the default).
        Tcp = "tcp",
        /// UDP.
        Udp = "udp",
        /// SCTP.
        Sctp = "sctp",
    }
}

open_enum! {
    /// Where a published port is open.
    PublishMode {
        /// On every node, balanced over the service's tasks (the routing mesh; the
        /// default).
        Ingress = "ingress",
        /// On the nodes that run a task, to that task only.
        Host = "host",
    }
}

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

open_enum! {
    /// A task's state, in the order tasks go through them (and the state it should be
    /// in: [`TaskInspect::desired_state`]).
    TaskState {
        /// Just made.
        New = "new",
        /// Given its resources (network addresses).
        Allocated = "allocated",
        /// Waiting for a node.
        Pending = "pending",
        /// Given to a node.
        Assigned = "assigned",
        /// Taken by the node.
        Accepted = "accepted",
        /// Being prepared (image pulled, container created).
        Preparing = "preparing",
        /// Ready to start.
        Ready = "ready",
        /// Starting.
        Starting = "starting",
        /// Running.
        Running = "running",
        /// Ended with exit code 0.
        Complete = "complete",
        /// Stopped by the swarm.
        Shutdown = "shutdown",
        /// Ended with an error.
        Failed = "failed",
        /// Refused by its node.
        Rejected = "rejected",
        /// Being removed.
        Remove = "remove",
        /// Its node is gone.
        Orphaned = "orphaned",
    }
}

impl TaskState {
    /// Whether the task is over: it will never run again.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskState::Complete
                | TaskState::Shutdown
                | TaskState::Failed
                | TaskState::Rejected
                | TaskState::Remove
                | TaskState::Orphaned
        )
    }
}

/// What a service is: the body of `POST /services/create` and of an update, and what
/// inspect gives back. Field names are the Engine API's, so its reference documents them;
/// anything not typed here can go in [`extra`](Self::extra) (at every level), and comes
/// back there, so an inspected spec is sent back unchanged but for what the caller
/// changed.
///
/// ```
/// use dockhand::{ServiceSpec, ServiceRestartPolicy, RestartCondition};
/// let spec = ServiceSpec::new("nginx:1.25")
///     .name("web")
///     .label("app", "shop")
///     .env("MODE", "production")
///     .replicas(3)
///     .restart_policy(ServiceRestartPolicy::new(RestartCondition::OnFailure).max_attempts(5))
///     .publish(dockhand::PortConfig::new(80).published(8080));
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
fn set_env(env: &mut Vec<String>, key: &str, value: &str) {
    let entry = format!("{key}={value}");
    let prefix = format!("{key}=");
    match env.iter_mut().find(|e| e.starts_with(&prefix) || *e == key) {
        Some(existing) => *existing = entry,
        None => env.push(entry),
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

/// Where and how a secret or config appears in a task's container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct FileTarget {
    /// The file: a name under `/run/secrets/` for a secret; for a config, a path (a
    /// relative one is under `/`).
    pub name: String,
    /// Its owner's user id, as text.
    #[serde(rename = "UID")]
    pub uid: String,
    /// Its group id, as text.
    #[serde(rename = "GID")]
    pub gid: String,
    /// Its permission bits, such as `0o444`.
    pub mode: u32,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl FileTarget {
    /// `name`, owned by root, readable by all (`0o444`), as the docker CLI does.
    pub fn new(name: impl Into<String>) -> Self {
        FileTarget {
            name: name.into(),
            uid: "0".to_string(),
            gid: "0".to_string(),
            mode: 0o444,
            extra: serde_json::Map::new(),
        }
    }
}

/// A secret mounted into a service's tasks. The engine needs both the secret's id and its
/// name (the docker CLI looks the id up).
///
/// ```
/// use dockhand::SecretReference;
/// let secret = SecretReference::new("u3puoas41oav", "db-password").target("db.pw").mode(0o400);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SecretReference {
    /// Where it appears (a file under `/run/secrets/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTarget>,
    /// The secret's id.
    #[serde(rename = "SecretID")]
    pub secret_id: String,
    /// The secret's name.
    pub secret_name: String,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl SecretReference {
    /// The secret `secret_id` called `secret_name`, at `/run/secrets/<secret_name>`,
    /// owned by root, mode `0o444`.
    pub fn new(secret_id: impl Into<String>, secret_name: impl Into<String>) -> Self {
        let secret_name = secret_name.into();
        SecretReference {
            file: Some(FileTarget::new(secret_name.clone())),
            secret_id: secret_id.into(),
            secret_name,
            extra: serde_json::Map::new(),
        }
    }

    fn file(&mut self) -> &mut FileTarget {
        let name = self.secret_name.clone();
        self.file.get_or_insert_with(|| FileTarget::new(name))
    }

    /// Sets the file name under `/run/secrets/`.
    pub fn target(mut self, name: impl Into<String>) -> Self {
        self.file().name = name.into();
        self
    }

    /// Sets the file's permission bits.
    pub fn mode(mut self, mode: u32) -> Self {
        self.file().mode = mode;
        self
    }

    /// Sets the file's owner and group ids.
    pub fn owner(mut self, uid: u32, gid: u32) -> Self {
        let file = self.file();
        file.uid = uid.to_string();
        file.gid = gid.to_string();
        self
    }
}

/// A config mounted into a service's tasks. The engine needs both the config's id and its
/// name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigReference {
    /// Where it appears (a path; a relative one is under `/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTarget>,
    /// The config's id.
    #[serde(rename = "ConfigID")]
    pub config_id: String,
    /// The config's name.
    pub config_name: String,
    /// Any other field (`Runtime`, for a credential spec), by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ConfigReference {
    /// The config `config_id` called `config_name`, at `/<config_name>`, owned by root,
    /// mode `0o444`.
    pub fn new(config_id: impl Into<String>, config_name: impl Into<String>) -> Self {
        let config_name = config_name.into();
        ConfigReference {
            file: Some(FileTarget::new(config_name.clone())),
            config_id: config_id.into(),
            config_name,
            extra: serde_json::Map::new(),
        }
    }

    fn file(&mut self) -> &mut FileTarget {
        let name = self.config_name.clone();
        self.file.get_or_insert_with(|| FileTarget::new(name))
    }

    /// Sets the path it appears at, such as `/etc/app.toml`.
    pub fn target(mut self, path: impl Into<String>) -> Self {
        self.file().name = path.into();
        self
    }

    /// Sets the file's permission bits.
    pub fn mode(mut self, mode: u32) -> Self {
        self.file().mode = mode;
        self
    }

    /// Sets the file's owner and group ids.
    pub fn owner(mut self, uid: u32, gid: u32) -> Self {
        let file = self.file();
        file.uid = uid.to_string();
        file.gid = gid.to_string();
        self
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

/// How many tasks a service runs: set one of `replicated`, `global`, `replicated_job` or
/// `global_job`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceMode {
    /// A number of tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated: Option<ReplicatedMode>,
    /// One task per node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalMode>,
    /// A job: tasks that run until enough of them ended successfully.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated_job: Option<ReplicatedJobMode>,
    /// A job of one task per node, each run until it ends successfully.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_job: Option<GlobalMode>,
    /// Any other mode, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ServiceMode {
    /// `replicas` tasks.
    pub fn replicated(replicas: u64) -> Self {
        ServiceMode {
            replicated: Some(ReplicatedMode {
                replicas: Some(replicas),
                extra: serde_json::Map::new(),
            }),
            ..Default::default()
        }
    }

    /// One task per node.
    pub fn global() -> Self {
        ServiceMode {
            global: Some(GlobalMode::default()),
            ..Default::default()
        }
    }

    /// A job that runs until `total_completions` tasks ended successfully, at most
    /// `max_concurrent` at a time.
    pub fn replicated_job(max_concurrent: u64, total_completions: u64) -> Self {
        ServiceMode {
            replicated_job: Some(ReplicatedJobMode {
                max_concurrent: Some(max_concurrent),
                total_completions: Some(total_completions),
                extra: serde_json::Map::new(),
            }),
            ..Default::default()
        }
    }

    /// A job of one task per node.
    pub fn global_job() -> Self {
        ServiceMode {
            global_job: Some(GlobalMode::default()),
            ..Default::default()
        }
    }

    /// The number of replicas, for a replicated service.
    pub fn replicas(&self) -> Option<u64> {
        self.replicated.as_ref().map(|r| r.replicas.unwrap_or(1))
    }
}

/// The replicated mode: a number of tasks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ReplicatedMode {
    /// How many (the default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u64>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The global mode, of a service or a job: one task per node. The Engine API gives it no
/// field; any a newer engine adds is kept in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GlobalMode {
    /// Any field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The replicated job mode: tasks that run until enough of them ended successfully.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ReplicatedJobMode {
    /// How many tasks run at once (the default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<u64>,
    /// How many must end successfully for the job to be done (the default:
    /// `max_concurrent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_completions: Option<u64>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// How an update (or a rollback) replaces a service's tasks. Times are in nanoseconds;
/// the builder methods take `Duration`s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceUpdateConfig {
    /// How many tasks at once (0: all at once; the default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u64>,
    /// Nanoseconds to wait between batches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<i64>,
    /// What to do when a task fails to update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_action: Option<FailureAction>,
    /// Nanoseconds to watch a new task for failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<i64>,
    /// The share of tasks that may fail before the failure action (0 to 1).
    #[serde(
        serialize_with = "serialize_ratio",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_failure_ratio: Option<f64>,
    /// Stop the old task first, or start the new one first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<UpdateOrder>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Writes a ratio as the engine does: a whole number without a fraction (`0`, not
/// `0.0`), so a ratio read from the engine goes back as the same JSON number.
fn serialize_ratio<S: Serializer>(
    ratio: &Option<f64>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match ratio {
        // Below 2^53 every whole f64 is an exact i64.
        Some(r) if r.fract() == 0.0 && r.abs() < 9_007_199_254_740_992.0 => {
            s.serialize_i64(*r as i64)
        }
        Some(r) => s.serialize_f64(*r),
        None => s.serialize_none(),
    }
}

impl ServiceUpdateConfig {
    /// The engine's defaults: one task at a time, stop first, pause on failure.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how many tasks at once (0: all).
    pub fn parallelism(mut self, tasks: u64) -> Self {
        self.parallelism = Some(tasks);
        self
    }

    /// Sets the wait between batches.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(nanos(delay));
        self
    }

    /// Sets what to do when a task fails to update.
    pub fn failure_action(mut self, action: FailureAction) -> Self {
        self.failure_action = Some(action);
        self
    }

    /// Sets how long a new task is watched for failure.
    pub fn monitor(mut self, monitor: Duration) -> Self {
        self.monitor = Some(nanos(monitor));
        self
    }

    /// Sets the order a task is replaced in.
    pub fn order(mut self, order: UpdateOrder) -> Self {
        self.order = Some(order);
        self
    }
}

/// A network a service's tasks are attached to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkAttachment {
    /// The network's name or id.
    pub target: String,
    /// Other names the service is reached by on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Vec<String>>,
    /// Options of the network's driver for this attachment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver_opts: Option<HashMap<String, String>>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl NetworkAttachment {
    /// The network `target` (name or id).
    pub fn new(target: impl Into<String>) -> Self {
        NetworkAttachment {
            target: target.into(),
            ..Default::default()
        }
    }

    /// Adds a name the service is reached by on this network.
    pub fn alias(mut self, alias: &str) -> Self {
        self.aliases
            .get_or_insert_with(Vec::new)
            .push(alias.to_string());
        self
    }
}

/// How a service is reached: its ports and load-balancing mode.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EndpointSpec {
    /// Virtual address or DNS round robin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<EndpointMode>,
    /// Its published ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<PortConfig>>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A port of a service.
///
/// ```
/// use dockhand::{PortConfig, PortProtocol, PublishMode};
/// let dns = PortConfig::new(53).published(5353).protocol(PortProtocol::Udp);
/// let direct = PortConfig::new(80).published(8080).publish_mode(PublishMode::Host);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PortConfig {
    /// A name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its protocol (the default: tcp).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<PortProtocol>,
    /// The port inside the containers (0: none, and then not sent).
    #[serde(skip_serializing_if = "is_zero")]
    pub target_port: u16,
    /// The port on the nodes (none: the engine picks one from 30000 up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_port: Option<u16>,
    /// Routing mesh or the task's node only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_mode: Option<PublishMode>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn is_zero(port: &u16) -> bool {
    *port == 0
}

impl PortConfig {
    /// The containers' port `target`, over tcp, published on a port the engine picks.
    pub fn new(target: u16) -> Self {
        PortConfig {
            target_port: target,
            ..Default::default()
        }
    }

    /// Publishes it on this port of the nodes.
    pub fn published(mut self, port: u16) -> Self {
        self.published_port = Some(port);
        self
    }

    /// Sets the protocol.
    pub fn protocol(mut self, protocol: PortProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// Sets where it is open.
    pub fn publish_mode(mut self, mode: PublishMode) -> Self {
        self.publish_mode = Some(mode);
        self
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

/// Filters and flags for [`Services::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListServicesOptions {
    filters: Filters,
    status: bool,
}

impl ListServicesOptions {
    /// Every service.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker service ls --filter key=value`: `id`, `label` (`key` or
    /// `key=value`), `mode` (`replicated`, `global`), `name`. Several values for one key
    /// match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Also count each service's running and desired tasks
    /// ([`ServiceInspect::service_status`]).
    pub fn status(mut self, on: bool) -> Self {
        self.status = on;
        self
    }
}

/// Registry credentials for the image of a service, for [`Services::create_with`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CreateServiceOptions {
    credentials: Option<Credentials>,
    auth: Option<Auth>,
}

impl CreateServiceOptions {
    /// No credentials: the nodes pull the image anonymously.
    pub fn new() -> Self {
        Self::default()
    }

    /// Log in to the image's registry with these (they win over
    /// [`auth`](Self::auth)). The swarm keeps them with the service, for the nodes'
    /// pulls, as `docker service create --with-registry-auth` does.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here (`Auth::from_env()?` for what
    /// `docker login` saved).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }
}

/// Flags and registry credentials for [`Service::update_with`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct UpdateServiceOptions {
    credentials: Option<Credentials>,
    auth: Option<Auth>,
    previous_auth: bool,
    rollback: bool,
}

impl UpdateServiceOptions {
    /// Keep the registry credentials the service has.
    pub fn new() -> Self {
        Self::default()
    }

    /// Send new registry credentials for the image (they win over
    /// [`auth`](Self::auth)).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find new registry credentials for the image here.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Without new credentials, take them from the previous spec instead of the current
    /// one (`registryAuthFrom=previous-spec`, for a rollback).
    pub fn previous_auth(mut self, on: bool) -> Self {
        self.previous_auth = on;
        self
    }

    /// Roll back to the previous spec (`rollback=previous`); the spec sent must still be
    /// the current one.
    pub fn rollback(mut self, on: bool) -> Self {
        self.rollback = on;
        self
    }
}

/// Adds `X-Registry-Auth` for the registry of `image`, when there are credentials.
fn with_registry_auth(
    request: Request,
    image: &str,
    credentials: Option<&Credentials>,
    auth: Option<&Auth>,
) -> Result<Request> {
    let found = match (credentials, auth) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(auth)) => auth.credentials_for_image(image)?,
        (None, None) => None,
    };
    Ok(match found {
        Some(c) => request.header(
            "X-Registry-Auth",
            &registry_auth_header(Some(&c), &Auth::server_for_image(image)),
        ),
        None => request,
    })
}

fn has_tty(spec: &TaskSpec) -> bool {
    spec.container_spec
        .as_ref()
        .and_then(|c| c.tty)
        .unwrap_or(false)
}

impl Services {
    /// Lists services.
    pub fn list(&self, options: &ListServicesOptions) -> Result<Vec<ServiceInspect>> {
        self.docker
            .get("/services".into())
            .query_opt("filters", options.filters.to_query())
            .flag("status", options.status)
            .send()?
            .json()
    }

    /// Creates a service: the swarm starts its tasks at once, and keeps them running.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, ServiceSpec};
    /// let docker = Docker::from_env()?;
    /// let created = docker
    ///     .services()
    ///     .create(&ServiceSpec::new("nginx:1.25").name("web").replicas(2))?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, spec: &ServiceSpec) -> Result<ServiceCreated> {
        self.create_with(spec, &CreateServiceOptions::new())
    }

    /// Creates a service, with registry credentials for its image.
    pub fn create_with(
        &self,
        spec: &ServiceSpec,
        options: &CreateServiceOptions,
    ) -> Result<ServiceCreated> {
        let request = self.docker.post("/services/create".into()).json(spec);
        with_registry_auth(
            request,
            spec.image(),
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?
        .send()?
        .json()
    }
}

/// How often [`Service::scale`] tries when another update comes in between.
const SCALE_ATTEMPTS: usize = 3;

impl Service {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("service id", &self.id)?;
        Ok(format!("/services/{}{tail}", encode_segment(id)))
    }

    /// The service: its spec, version and endpoint.
    pub fn inspect(&self) -> Result<ServiceInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// The service with the engine's defaults filled into its spec (as
    /// `docker service inspect` shows them).
    pub fn inspect_with_defaults(&self) -> Result<ServiceInspect> {
        self.docker
            .get(self.path("")?)
            .query("insertDefaults", "true")
            .send()?
            .json()
    }

    /// Replaces the service's spec with `spec`, made from the version `version` of its
    /// record ([`ServiceInspect::version`]). The whole spec is sent: start from the one
    /// [`inspect`](Self::inspect) gave. If the service changed since that version, the
    /// engine refuses the update ("update out of sequence"): inspect again and retry.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// let docker = Docker::from_env()?;
    /// let web = docker.service("web");
    /// let current = web.inspect()?;
    /// let spec = current.spec.clone().env("MODE", "maintenance");
    /// web.update(current.version.index, &spec)?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, version: u64, spec: &ServiceSpec) -> Result<ServiceUpdated> {
        self.update_with(version, spec, &UpdateServiceOptions::new())
    }

    /// [`update`](Self::update), with registry credentials or a rollback.
    pub fn update_with(
        &self,
        version: u64,
        spec: &ServiceSpec,
        options: &UpdateServiceOptions,
    ) -> Result<ServiceUpdated> {
        let fresh_auth = options.credentials.is_some() || options.auth.is_some();
        let request = self
            .docker
            .post(self.path("/update")?)
            .query("version", &version.to_string())
            .query_opt(
                "registryAuthFrom",
                (!fresh_auth && options.previous_auth).then_some("previous-spec"),
            )
            .query_opt("rollback", options.rollback.then_some("previous"))
            .json(spec);
        with_registry_auth(
            request,
            spec.image(),
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?
        .send()?
        .json()
    }

    /// Sets the number of replicas: inspects the service, changes its replicas, and
    /// updates it with the version inspect gave (trying again, up to three times, when
    /// another update came in between). A global service cannot be scaled.
    pub fn scale(&self, replicas: u64) -> Result<ServiceUpdated> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let current = self.inspect()?;
            let mut spec = current.spec;
            let mode = spec.mode.get_or_insert_with(|| ServiceMode::replicated(1));
            match mode.replicated.as_mut() {
                Some(replicated) => replicated.replicas = Some(replicas),
                None => {
                    return Err(Error::setting(
                        "replicas",
                        &replicas.to_string(),
                        format!("a replicated service: {} is not one", self.id),
                    ))
                }
            }
            // By id: a name could meanwhile name another service.
            match self
                .docker
                .service(&current.id)
                .update(current.version.index, &spec)
            {
                Err(e) if attempt < SCALE_ATTEMPTS && is_out_of_sequence(&e) => continue,
                other => return other,
            }
        }
    }

    /// Removes the service; the swarm stops and removes its tasks (in the background:
    /// their containers may linger a few seconds).
    pub fn remove(&self) -> Result<()> {
        self.docker.delete(self.path("")?).send()?.drain()
    }

    /// The output of the service's tasks, as it arrives: an iterator of chunks. The
    /// engine needs a logging driver that can be read back (such as the default
    /// `json-file`).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, LogsOptions};
    /// let docker = Docker::from_env()?;
    /// let output = docker.service("web").logs(&LogsOptions::new().tail(10))?;
    /// print!("{}", output.collect_output()?.stdout_text());
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, options: &LogsOptions) -> Result<OutputStream> {
        let tty = || Ok(has_tty(&self.inspect()?.spec.task_template));
        read_logs(&self.docker, self.path("/logs")?, options, &tty)
    }
}

/// Whether an update was refused because the object changed since the version it named.
fn is_out_of_sequence(e: &Error) -> bool {
    matches!(e, Error::Engine { message, .. } if message.contains("out of sequence"))
}

/// Filters for [`Tasks::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListTasksOptions {
    filters: Filters,
}

impl ListTasksOptions {
    /// Every task the swarm remembers (running ones, and a few ended ones per slot).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter: `id`, `name`, `label`, `node`, `service` (name or id),
    /// `desired-state` (`running`, `shutdown`, `accepted`). Several values for one key
    /// match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the tasks of this service (name or id).
    pub fn service(self, service: &str) -> Self {
        self.filter("service", service)
    }

    /// Only the tasks that should be in this state: `running`, `shutdown` or
    /// `accepted`.
    pub fn desired_state(self, state: &str) -> Self {
        self.filter("desired-state", state)
    }
}

/// A task: one container of a service, in one slot, on one node. `GET /tasks/{id}`, and
/// each item of a list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record.
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Its name (often empty; `docker service ps` shows `<service>.<slot>`).
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// What it runs: its service's task template when it was made.
    pub spec: TaskSpec,
    /// Its service's id.
    #[serde(rename = "ServiceID")]
    pub service_id: String,
    /// Its slot (1 to the number of replicas; 0 in a global service).
    pub slot: u64,
    /// The node it is on (empty until assigned).
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// The state the swarm wants it in.
    pub desired_state: TaskState,
    /// Every other field (`NetworksAttachments`, `AssignedGenericResources`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl TaskInspect {
    /// Its container's id (empty until it has one).
    pub fn container_id(&self) -> &str {
        self.status
            .container_status
            .as_ref()
            .map_or("", |c| c.container_id.as_str())
    }
}

/// Where a task stands.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskStatus {
    /// When it got there (RFC 3339).
    pub timestamp: String,
    /// Its state.
    pub state: TaskState,
    /// What happened, in words (`started`, ...).
    pub message: String,
    /// What went wrong, if anything.
    pub err: String,
    /// Its container, once there is one.
    pub container_status: Option<TaskContainerStatus>,
    /// Every other field (`PortStatus`).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A task's container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskContainerStatus {
    /// The container's id.
    #[serde(rename = "ContainerID")]
    pub container_id: String,
    /// Its main process's id on the node.
    #[serde(rename = "PID")]
    pub pid: i64,
    /// Its exit code, once it ended.
    pub exit_code: i64,
}

impl Tasks {
    /// Lists tasks.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, ListTasksOptions, TaskState};
    /// let docker = Docker::from_env()?;
    /// let tasks = docker
    ///     .tasks()
    ///     .list(&ListTasksOptions::new().service("web").desired_state("running"))?;
    /// let running = tasks.iter().filter(|t| t.status.state == TaskState::Running).count();
    /// # Ok(()) }
    /// ```
    pub fn list(&self, options: &ListTasksOptions) -> Result<Vec<TaskInspect>> {
        self.docker
            .get("/tasks".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }
}

impl Task {
    /// The id this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("task id", &self.id)?;
        Ok(format!("/tasks/{}{tail}", encode_segment(id)))
    }

    /// The task: its spec, node, state and container.
    pub fn inspect(&self) -> Result<TaskInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// The output of the task's container, as it arrives.
    pub fn logs(&self, options: &LogsOptions) -> Result<OutputStream> {
        let tty = || Ok(has_tty(&self.inspect()?.spec));
        read_logs(&self.docker, self.path("/logs")?, options, &tty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service as the 20.10 engine reported it.
    const INSPECTED: &str = r#"{"ID":"8f09uu0huzxx","Version":{"Index":13},
        "CreatedAt":"2026-11-25T00:02:07Z","UpdatedAt":"2026-11-25T00:02:07Z",
        "Spec":{"Name":"probe","Labels":{"dockhand-test":"probe"},
          "TaskTemplate":{"ContainerSpec":{"Image":"busybox","Command":["sh","-c","env"],
            "Secrets":[{"File":{"Name":"s","UID":"0","GID":"0","Mode":292},
              "SecretID":"u3p","SecretName":"s"}],
            "Configs":[{"File":{"Name":"/cfg","UID":"0","GID":"0","Mode":292},
              "ConfigID":"3v5","ConfigName":"c"}],
            "Isolation":"default"},"ForceUpdate":0,"Runtime":"container"},
          "Mode":{"Replicated":{"Replicas":2}}},
        "Endpoint":{"Spec":{}},
        "ServiceStatus":{"RunningTasks":2,"DesiredTasks":2,"CompletedTasks":0}}"#;

    #[test]
    fn an_inspected_spec_goes_back_unchanged() {
        let service: ServiceInspect = serde_json::from_str(INSPECTED).unwrap();
        assert_eq!(service.version.index, 13);
        assert_eq!(service.spec.mode.as_ref().unwrap().replicas(), Some(2));
        assert_eq!(
            service.service_status,
            Some(ServiceStatus {
                running_tasks: 2,
                desired_tasks: 2,
                completed_tasks: 0
            })
        );
        let original: serde_json::Value = serde_json::from_str(INSPECTED).unwrap();
        assert_eq!(
            serde_json::to_value(&service.spec).unwrap(),
            original["Spec"]
        );
    }

    /// A service spec as an engine speaking API 1.51 gives it, every part filled, and a
    /// field no version has (`XFuture`) at every level dockhand types: what a newer engine
    /// could add. The parts typed in `container.rs` that gained fields lately (bind,
    /// volume and tmpfs options, the health check) are in [`NEWER_MOUNT_OPTIONS`].
    const SPEC_1_51: &str = r#"{
        "Name": "web", "Labels": {"app": "shop"}, "XFuture": {"a": [1, null]},
        "TaskTemplate": {
          "ContainerSpec": {
            "Image": "busybox:1.36", "Labels": {}, "Command": ["sh", "-c", "sleep 1"],
            "Args": ["x"], "Hostname": "h", "Env": ["A=1"], "Dir": "/w", "User": "1000",
            "Groups": ["10"],
            "Privileges": {"CredentialSpec": null, "SELinuxContext": null,
              "Seccomp": {"Mode": "custom", "Profile": "e30="},
              "AppArmor": {"Mode": "default"}, "NoNewPrivileges": true},
            "Init": false, "StopSignal": "SIGINT", "TTY": true, "OpenStdin": true,
            "ReadOnly": true,
            "Mounts": [
              {"Type": "bind", "Source": "/srv", "Target": "/srv", "ReadOnly": true,
               "Consistency": "cached", "BindOptions": {"Propagation": "rprivate",
               "NonRecursive": true}, "XFuture": 1},
              {"Type": "volume", "Source": "data", "Target": "/data",
               "VolumeOptions": {"NoCopy": true, "Labels": {"a": "b"},
                 "DriverConfig": {"Name": "local", "Options": {"type": "tmpfs"}}}},
              {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1048576,
               "Mode": 448}},
              {"Type": "image", "Source": "app:1", "Target": "/app",
               "ImageOptions": {"Subpath": "usr"}},
              {"Type": "cluster", "Source": "csi", "Target": "/c", "ClusterOptions": {}}],
            "StopGracePeriod": 10000000000,
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000,
              "Timeout": 2000000000, "Retries": 0, "StartPeriod": 5000000000},
            "Hosts": ["10.0.0.1 db"],
            "DNSConfig": {"Nameservers": ["10.0.0.2"], "Search": ["lan"],
              "Options": ["ndots:2"]},
            "Secrets": [{"File": {"Name": "pw", "UID": "", "GID": "0", "Mode": 0,
                "XFuture": true}, "SecretID": "s1", "SecretName": "pw", "XFuture": 2}],
            "OomScoreAdj": -500,
            "Configs": [{"File": {"Name": "/etc/app.toml", "UID": "0", "GID": "0",
                "Mode": 292}, "ConfigID": "c1", "ConfigName": "app.toml"},
              {"Runtime": {}, "ConfigID": "c2", "ConfigName": "cred", "XFuture": 3}],
            "Isolation": "default", "Sysctls": {"net.core.somaxconn": "1024"},
            "CapabilityAdd": ["CAP_NET_ADMIN"], "CapabilityDrop": ["CAP_MKNOD"],
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
            "XFuture": "c"
          },
          "Resources": {
            "Limits": {"NanoCPUs": 500000000, "MemoryBytes": 104857600, "Pids": 100,
              "XFuture": 4},
            "Reservations": {"NanoCPUs": 0, "MemoryBytes": 8388608, "GenericResources": [
              {"DiscreteResourceSpec": {"Kind": "gpu", "Value": 1}},
              {"NamedResourceSpec": {"Kind": "ssd", "Value": "a"}}]},
            "SwapBytes": 0, "MemorySwappiness": 10, "XFuture": 5
          },
          "RestartPolicy": {"Condition": "on-failure", "Delay": 0, "MaxAttempts": 0,
            "Window": 60000000000, "XFuture": 6},
          "Placement": {"Constraints": ["node.role==manager"],
            "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}],
            "MaxReplicas": 3, "Platforms": [{"Architecture": "amd64", "OS": "linux"}],
            "XFuture": 7},
          "Networks": [{"Target": "n1", "Aliases": ["api"], "DriverOpts": {"k": "v"},
            "XFuture": 8}],
          "LogDriver": {"Name": "json-file", "Options": {"max-size": "1m"}},
          "ForceUpdate": 0, "Runtime": "container", "XFuture": 9
        },
        "Mode": {"Replicated": {"Replicas": 0, "XFuture": 10}, "XFuture": 11},
        "UpdateConfig": {"Parallelism": 0, "Delay": 1000000000, "FailureAction": "pause",
          "Monitor": 5000000000, "MaxFailureRatio": 0, "Order": "", "XFuture": 12},
        "RollbackConfig": {"Parallelism": 1, "FailureAction": "continue",
          "MaxFailureRatio": 0.3, "Order": "start-first"},
        "EndpointSpec": {"Mode": "vip", "Ports": [
          {"Name": "http", "Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080,
           "PublishMode": "ingress", "XFuture": 13},
          {"Protocol": "udp", "TargetPort": 53, "PublishMode": "host"}],
          "XFuture": 14}
      }"#;

    /// The fields the bind, volume and tmpfs options and the health check gained in API
    /// 1.42 to 1.51 (and one no version has), in the container spec of a service.
    const NEWER_MOUNT_OPTIONS: &str = r#"{
        "Image": "busybox",
        "Mounts": [
          {"Type": "bind", "Source": "/srv", "Target": "/srv", "BindOptions": {
            "Propagation": "rshared", "CreateMountpoint": true,
            "ReadOnlyNonRecursive": true, "ReadOnlyForceRecursive": false,
            "XFuture": 1}},
          {"Type": "volume", "Source": "data", "Target": "/data", "VolumeOptions": {
            "NoCopy": true, "Subpath": "sub/dir", "XFuture": 2}},
          {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1048576,
            "Mode": 448, "Options": [["exec"], ["uid", "1000"]], "XFuture": 3}}],
        "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 1000000000,
          "StartPeriod": 5000000000, "StartInterval": 500000000, "XFuture": 4}
      }"#;

    /// Parses `text` as `T` and writes it back: the JSON must be the same, value for
    /// value.
    fn assert_round_trip<T: serde::de::DeserializeOwned + Serialize>(text: &str) -> T {
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        let parsed: T = serde_json::from_str(text).unwrap();
        let back = serde_json::to_value(&parsed).unwrap();
        assert_eq!(
            back,
            original,
            "written back:\n{}",
            serde_json::to_string_pretty(&back).unwrap()
        );
        parsed
    }

    #[test]
    fn a_full_spec_goes_back_exactly_with_the_fields_not_typed() {
        let spec: ServiceSpec = assert_round_trip(SPEC_1_51);
        // The typed fields read what they should.
        let container = spec.task_template.container_spec.as_ref().unwrap();
        assert_eq!(container.labels, Some(HashMap::new()), "present and empty");
        assert_eq!(container.init, Some(false));
        let health = container
            .health_check
            .as_ref()
            .expect("Healthcheck is typed");
        assert_eq!(health.interval, Some(1_000_000_000));
        assert_eq!(health.retries, Some(0));
        let secret = &container.secrets.as_ref().unwrap()[0];
        assert_eq!(secret.file.as_ref().unwrap().extra["XFuture"], true);
        assert_eq!(spec.mode.as_ref().unwrap().replicas(), Some(0));
        let update = spec.update_config.as_ref().unwrap();
        assert_eq!(update.max_failure_ratio, Some(0.0));
        assert_eq!(update.order, Some(UpdateOrder::Other(String::new())));
        let rollback = spec.rollback_config.as_ref().unwrap();
        assert_eq!(rollback.max_failure_ratio, Some(0.3));
        let ports = spec.endpoint_spec.as_ref().unwrap().ports.as_ref().unwrap();
        assert_eq!(ports[1].published_port, None);
        let resources = spec.task_template.resources.as_ref().unwrap();
        assert_eq!(resources.extra["MemorySwappiness"], 10);

        // Changing a typed field changes that field only.
        let mut scaled = spec.clone();
        scaled.mode = Some(ServiceMode::replicated(3));
        scaled.mode.as_mut().unwrap().extra = spec.mode.as_ref().unwrap().extra.clone();
        let mut want: serde_json::Value = serde_json::from_str(SPEC_1_51).unwrap();
        want["Mode"]["Replicated"] = serde_json::json!({"Replicas": 3});
        assert_eq!(serde_json::to_value(&scaled).unwrap(), want);
    }

    #[test]
    fn an_inspected_service_gives_its_spec_back_exactly() {
        let text = format!(
            r#"{{"ID": "s1", "Version": {{"Index": 42}}, "Spec": {SPEC_1_51},
               "PreviousSpec": {SPEC_1_51}, "Endpoint": {{"Spec": {{}}}}}}"#
        );
        let service: ServiceInspect = serde_json::from_str(&text).unwrap();
        let original: serde_json::Value = serde_json::from_str(SPEC_1_51).unwrap();
        assert_eq!(serde_json::to_value(&service.spec).unwrap(), original);
        assert_eq!(
            serde_json::to_value(service.previous_spec.as_ref().unwrap()).unwrap(),
            original
        );
    }

    #[test]
    fn every_mode_goes_back_exactly() {
        for mode in [
            r#"{"Replicated": {}}"#,
            r#"{"Global": {}}"#,
            r#"{"Global": {"XFuture": 1}}"#,
            r#"{"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 10, "XFuture": 1}}"#,
            r#"{"ReplicatedJob": {}}"#,
            r#"{"GlobalJob": {}}"#,
            r#"{"GlobalJob": {"XFuture": 1}}"#,
            r#"{"XFutureJob": {"Count": 1}}"#,
        ] {
            assert_round_trip::<ServiceMode>(mode);
        }
        assert_eq!(
            serde_json::to_value(ServiceSpec::new("busybox").replicated_job(2, 10)).unwrap()
                ["Mode"],
            serde_json::json!({"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 10}})
        );
        assert_eq!(
            serde_json::to_value(ServiceSpec::new("busybox").global_job()).unwrap()["Mode"],
            serde_json::json!({"GlobalJob": {}})
        );
        let job: ServiceMode = serde_json::from_str(r#"{"GlobalJob": {}}"#).unwrap();
        assert_eq!(job.replicas(), None);
    }

    #[test]
    fn absent_fields_stay_absent() {
        // The least the engine gives: a spec whose every optional field is left out.
        assert_round_trip::<ServiceSpec>(
            r#"{"Labels": {}, "TaskTemplate": {"ContainerSpec": {}}}"#,
        );
        assert_round_trip::<ServiceSpec>(r#"{"Labels": {}, "TaskTemplate": {}}"#);
        assert_round_trip::<PortConfig>(r#"{"Protocol": "tcp"}"#);
        assert_round_trip::<SecretReference>(r#"{"SecretID": "", "SecretName": ""}"#);
        assert_round_trip::<ServiceUpdateConfig>(r#"{"MaxFailureRatio": 1}"#);
        assert_round_trip::<ServiceUpdateConfig>(r#"{"MaxFailureRatio": 0.25}"#);
    }

    /// The container side's `BindOptions`, `VolumeOptions`, `TmpfsOptions` and
    /// `HealthConfig` keep their newer fields too.
    #[test]
    fn newer_mount_options_and_health_check_fields_go_back_exactly() {
        assert_round_trip::<ContainerSpec>(NEWER_MOUNT_OPTIONS);
    }

    #[test]
    fn the_builder_fills_the_api_fields() {
        let spec = ServiceSpec::new("busybox")
            .name("web")
            .label("a", "b")
            .container_label("c", "d")
            .command(["sh", "-c", "sleep 60"])
            .env("K", "1")
            .env("K", "2")
            .env("L", "x=y")
            .replicas(3)
            .secret(SecretReference::new("sid", "pw").mode(0o400))
            .config(ConfigReference::new("cid", "app.toml").target("/etc/app.toml"))
            .restart_policy(
                ServiceRestartPolicy::new(RestartCondition::OnFailure)
                    .delay(Duration::from_millis(500))
                    .max_attempts(2),
            )
            .stop_grace_period(Duration::from_secs(1))
            .constraint("node.role==manager")
            .network(NetworkAttachment::new("backend").alias("api"))
            .publish(PortConfig::new(80).published(8080))
            .update_config(
                ServiceUpdateConfig::new()
                    .parallelism(0)
                    .order(UpdateOrder::StartFirst)
                    .failure_action(FailureAction::Rollback),
            );
        assert_eq!(
            serde_json::to_value(&spec).unwrap(),
            serde_json::json!({
                "Name": "web",
                "Labels": {"a": "b"},
                "TaskTemplate": {
                    "ContainerSpec": {
                        "Image": "busybox",
                        "Labels": {"c": "d"},
                        "Command": ["sh", "-c", "sleep 60"],
                        "Env": ["K=2", "L=x=y"],
                        "StopGracePeriod": 1_000_000_000i64,
                        "Secrets": [{"File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256},
                                     "SecretID": "sid", "SecretName": "pw"}],
                        "Configs": [{"File": {"Name": "/etc/app.toml", "UID": "0", "GID": "0",
                                              "Mode": 292},
                                     "ConfigID": "cid", "ConfigName": "app.toml"}],
                    },
                    "RestartPolicy": {"Condition": "on-failure", "Delay": 500_000_000i64,
                                      "MaxAttempts": 2},
                    "Placement": {"Constraints": ["node.role==manager"]},
                    "Networks": [{"Target": "backend", "Aliases": ["api"]}],
                },
                "Mode": {"Replicated": {"Replicas": 3}},
                "UpdateConfig": {"Parallelism": 0, "FailureAction": "rollback",
                                 "Order": "start-first"},
                "EndpointSpec": {"Ports": [{"TargetPort": 80, "PublishedPort": 8080}]},
            })
        );
        let container = spec.task_template.container_spec.as_ref().unwrap();
        assert_eq!(container.env_var("L"), Some("x=y"));
        assert_eq!(container.env_var("M"), None);
        assert_eq!(
            serde_json::to_value(ServiceSpec::new("busybox").global()).unwrap()["Mode"],
            serde_json::json!({"Global": {}})
        );
    }

    #[test]
    fn a_task_reads_with_its_states_kept_open() {
        let task: TaskInspect = serde_json::from_str(
            r#"{"ID":"t1","Version":{"Index":19},"Labels":{},"Spec":{"ContainerSpec":
                {"Image":"busybox","TTY":true}},"ServiceID":"s1","Slot":1,"NodeID":"n1",
                "Status":{"Timestamp":"t","State":"running","Message":"started",
                "ContainerStatus":{"ContainerID":"c1","PID":19723,"ExitCode":0},
                "PortStatus":{}},"DesiredState":"hibernating"}"#,
        )
        .unwrap();
        assert_eq!(task.status.state, TaskState::Running);
        assert_eq!(task.desired_state, TaskState::Other("hibernating".into()));
        assert_eq!(task.container_id(), "c1");
        assert_eq!(task.slot, 1);
        assert!(has_tty(&task.spec));
        assert!(TaskState::Shutdown.is_terminal() && !TaskState::Running.is_terminal());
        let empty: TaskInspect = serde_json::from_str(r#"{"ID":"t2"}"#).unwrap();
        assert_eq!(empty.container_id(), "");
        assert_eq!(empty.status.state, TaskState::Other(String::new()));
    }

    #[test]
    fn created_and_updated_answers_read_with_or_without_warnings() {
        let created: ServiceCreated = serde_json::from_str(r#"{"ID":"s1"}"#).unwrap();
        assert_eq!((created.id.as_str(), created.warnings.len()), ("s1", 0));
        let updated: ServiceUpdated =
            serde_json::from_str(r#"{"Warnings":["image could not be checked"]}"#).unwrap();
        assert_eq!(updated.warnings.len(), 1);
        let null: ServiceUpdated = serde_json::from_str(r#"{"Warnings":null}"#).unwrap();
        assert!(null.warnings.is_empty());
    }

    #[test]
    fn out_of_sequence_is_recognised() {
        let e = Error::Engine {
            status: 500,
            message: "rpc error: code = Unknown desc = update out of sequence".into(),
            request: "POST /services/x/update".into(),
        };
        assert!(is_out_of_sequence(&e));
        assert!(!is_out_of_sequence(&Error::setting("a", "b", "c")));
    }
}
