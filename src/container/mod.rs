//! Containers: list, create, inspect, start, stop, restart, kill, wait, remove, logs,
//! pause, rename, update, top, changes, stats, export, archives, resize, prune; and `run`,
//! with a guard that removes what it made.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{self, Read};
use std::ops::Deref;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::base64;
use crate::client::{encode_segment, object_id, BodyParts, CancelHandle, Docker, Response};
use crate::error::{Error, Result};
use crate::json::model;
use crate::json::{null_as_default, Filters};
use crate::settings::ApiVersion;
use crate::stream::JsonStream;
use crate::stream::{framing_from_content_type, Framing, OutputStream};

/// The containers of an engine: `docker.containers()`.
#[derive(Clone, Debug)]
pub struct Containers {
    docker: Docker,
}

/// One container, by id or name: `docker.container("web")`.
#[derive(Clone, Debug)]
pub struct Container {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The engine's containers: list and create.
    pub fn containers(&self) -> Containers {
        Containers {
            docker: self.clone(),
        }
    }

    /// One container, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn container(&self, id: impl Into<String>) -> Container {
        Container {
            docker: self.clone(),
            id: id.into(),
        }
    }

    /// Runs a container to its end, like `docker run --rm` (or docker-py's
    /// `containers.run`): creates it, starts it, waits for it to exit, collects its stdout
    /// and stderr apart, and removes it, also when a step fails. A non-zero exit code is not
    /// an error: it is in [`RunOutput::exit_code`].
    ///
    /// The container gets no stdin, and its output is read from its logs once it has
    /// exited, so its logging driver must be one that can be read back (such as the
    /// default `json-file`). `AutoRemove` is turned off, as the output must be read
    /// first; the container is removed anyway. The image must be present (nothing is
    /// pulled).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{ContainerConfig, Docker};
    /// let docker = Docker::from_env()?;
    /// let out = docker.run(&ContainerConfig::new("busybox").cmd(["sh", "-c", "echo hi; exit 3"]))?;
    /// assert_eq!((out.exit_code, out.stdout_text().as_str()), (3, "hi\n"));
    /// # Ok(()) }
    /// ```
    pub fn run(&self, config: &ContainerConfig) -> Result<RunOutput> {
        let mut config = config.clone();
        if let Some(host) = config.host_config.as_mut() {
            if host.auto_remove == Some(true) {
                host.auto_remove = Some(false);
            }
        }
        let container = self.containers().create_guarded(&config)?;
        container.start()?;
        let waited = container.wait()?;
        if let Some(error) = waited.error.filter(|e| !e.message.is_empty()) {
            return Err(Error::Stream {
                message: format!("waiting for {}: {}", container.id(), error.message),
            });
        }
        let output = container.logs(&LogsOptions::new())?.collect_output()?;
        container.remove()?;
        Ok(RunOutput {
            exit_code: waited.status_code,
            stdout: output.stdout,
            stderr: output.stderr,
        })
    }
}

/// What [`Docker::run`] gives back: the exit code and the output, stdout and stderr apart (a
/// TTY container's output is all in `stdout`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunOutput {
    /// The exit code of its main process.
    pub exit_code: i64,
    /// Everything it wrote to stdout.
    pub stdout: Vec<u8>,
    /// Everything it wrote to stderr.
    pub stderr: Vec<u8>,
}

impl RunOutput {
    /// Whether it exited with code 0.
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }

    /// stdout as text (invalid UTF-8 replaced).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stderr as text (invalid UTF-8 replaced).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A container that is removed (with force, and its anonymous volumes) when this guard is
/// dropped, also while a panic unwinds: made by [`Containers::create_guarded`], or around
/// any container with [`ContainerGuard::new`]. It derefs to the [`Container`].
///
/// Dropping cannot report a failure: it is logged (at warn level) and otherwise ignored.
/// Call [`remove`](Self::remove) to remove it and see the error, or
/// [`keep`](Self::keep) to keep the container.
#[derive(Debug)]
#[must_use = "the container is removed as soon as the guard is dropped"]
pub struct ContainerGuard {
    container: Container,
    warnings: Vec<String>,
    armed: bool,
}

impl ContainerGuard {
    /// Guards `container`: it is removed when the guard is dropped.
    pub fn new(container: Container) -> Self {
        ContainerGuard {
            container,
            warnings: Vec::new(),
            armed: true,
        }
    }

    fn with_warnings(mut self, created: Created) -> Self {
        self.warnings = created.warnings.unwrap_or_default();
        self
    }

    /// The container.
    pub fn container(&self) -> &Container {
        &self.container
    }

    /// The engine's warnings about the configuration, when it was created here.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Removes the container now and reports how that went. A container that is already
    /// gone (removed by hand, or by `AutoRemove`) is not an error.
    pub fn remove(mut self) -> Result<()> {
        self.armed = false;
        remove_forcibly(&self.container)
    }

    /// Keeps the container: the guard lets go of it without removing it.
    pub fn keep(mut self) -> Container {
        self.armed = false;
        self.container.clone()
    }
}

/// Removes a container with force and its anonymous volumes; one that is gone, or being
/// removed already (`AutoRemove`), is not an error.
fn remove_forcibly(container: &Container) -> Result<()> {
    match container.remove(&RemoveOptions::new().force(true).volumes(true)) {
        Err(e) if e.is_not_found() => Ok(()),
        Err(Error::Engine {
            status: 409,
            message,
            ..
        }) if message.contains("already in progress") => Ok(()),
        other => other,
    }
}

impl Deref for ContainerGuard {
    type Target = Container;

    fn deref(&self) -> &Container {
        &self.container
    }
}

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Err(e) = remove_forcibly(&self.container) {
            log::warn!(
                target: "dockhand",
                "could not remove container {}: {e}",
                self.container.id()
            );
        }
    }
}

/// A container's state, as the engine names it. Unknown states are kept, not refused, so a
/// newer engine does not break this client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ContainerStatus {
    /// Created, never started.
    Created,
    /// Running.
    Running,
    /// Paused.
    Paused,
    /// Being restarted.
    Restarting,
    /// Being removed.
    Removing,
    /// Stopped.
    Exited,
    /// Could not be stopped or removed properly.
    Dead,
    /// A state this version of dockhand does not know.
    Other(String),
}

impl ContainerStatus {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            ContainerStatus::Created => "created",
            ContainerStatus::Running => "running",
            ContainerStatus::Paused => "paused",
            ContainerStatus::Restarting => "restarting",
            ContainerStatus::Removing => "removing",
            ContainerStatus::Exited => "exited",
            ContainerStatus::Dead => "dead",
            ContainerStatus::Other(s) => s,
        }
    }
}

impl From<&str> for ContainerStatus {
    fn from(s: &str) -> Self {
        match s {
            "created" => ContainerStatus::Created,
            "running" => ContainerStatus::Running,
            "paused" => ContainerStatus::Paused,
            "restarting" => ContainerStatus::Restarting,
            "removing" => ContainerStatus::Removing,
            "exited" => ContainerStatus::Exited,
            "dead" => ContainerStatus::Dead,
            other => ContainerStatus::Other(other.to_string()),
        }
    }
}

impl fmt::Display for ContainerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Default for ContainerStatus {
    fn default() -> Self {
        ContainerStatus::Other(String::new())
    }
}

impl<'de> Deserialize<'de> for ContainerStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ContainerStatus::from(s.as_str()))
    }
}

/// Filters and flags for [`Containers::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListContainersOptions {
    all: bool,
    limit: Option<u32>,
    size: bool,
    filters: Filters,
}

impl ListContainersOptions {
    /// Running containers only, no filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include stopped containers too.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Only the `n` most recently created.
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    /// Report sizes (`SizeRw`, `SizeRootFs`); slower.
    pub fn size(mut self, size: bool) -> Self {
        self.size = size;
        self
    }

    /// Adds a filter, as `docker ps --filter key=value`: `label` (`key` or `key=value`),
    /// `name`, `id`, `status`, `ancestor`, `network`, `volume`, `exited`, `health`, ...
    /// Several values for one key match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// A container in a list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerSummary {
    /// Its full id.
    pub id: String,
    /// Its names, each with a leading `/`.
    pub names: Vec<String>,
    /// The image as given at creation.
    pub image: String,
    /// The image's id.
    #[serde(rename = "ImageID")]
    pub image_id: String,
    /// The command it runs.
    pub command: String,
    /// When it was created (seconds since the epoch).
    pub created: i64,
    /// Its state.
    pub state: ContainerStatus,
    /// Its status in words, such as `Up 5 minutes`.
    pub status: String,
    /// Its labels.
    pub labels: HashMap<String, String>,
    /// Its published ports.
    pub ports: Vec<Port>,
    /// Size of its writable layer, when asked for.
    pub size_rw: Option<i64>,
    /// Size of all its files, when asked for.
    pub size_root_fs: Option<i64>,
    /// What is mounted in it.
    #[serde(deserialize_with = "null_as_default")]
    pub mounts: Vec<MountPoint>,
    /// Its networks (in a list, only [`NetworkSettings::networks`] is filled in).
    pub network_settings: NetworkSettings,
}

impl ContainerSummary {
    /// Its first name without the leading `/`.
    pub fn name(&self) -> &str {
        self.names
            .first()
            .map(|n| n.trim_start_matches('/'))
            .unwrap_or("")
    }
}

/// A port of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Port {
    /// The host address it is published on.
    #[serde(rename = "IP")]
    pub ip: Option<String>,
    /// The port inside the container.
    #[serde(rename = "PrivatePort")]
    pub private_port: u16,
    /// The port on the host, when published.
    #[serde(rename = "PublicPort")]
    pub public_port: Option<u16>,
    /// `tcp`, `udp` or `sctp`.
    #[serde(rename = "Type")]
    pub kind: String,
}

model! {
    /// What a container is made from: the body of `POST /containers/create`, and the `Config`
    /// of [`ContainerInspect`]. Field names are the Engine API's, so its reference documents
    /// them; anything not typed here can go in [`extra`](Self::extra).
    ///
    /// A value read from the engine loses nothing when it is sent back: the fields not typed
    /// here are kept in `extra`, and each typed field is sent spelt as the engine spelt it
    /// (left out, `null`, empty) unless it was changed. The nested types
    /// ([`HostConfig`], [`Mount`], [`HealthConfig`], ...) do the same.
    ///
    /// ```
    /// use dockhand::ContainerConfig;
    /// let config = ContainerConfig::new("busybox")
    ///     .cmd(["echo", "hello"])
    ///     .env("GREETING", "hi")
    ///     .label("app", "demo");
    /// ```
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct ContainerConfig {
        /// The image to run.
        pub image: String,
        /// Its host name (default: the start of its id).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub hostname: Option<String>,
        /// Its domain name.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub domainname: Option<String>,
        /// The command (overrides the image's `CMD`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cmd: Option<Vec<String>>,
        /// The entrypoint (overrides the image's `ENTRYPOINT`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub entrypoint: Option<Vec<String>>,
        /// Environment variables, as `KEY=value`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub env: Option<Vec<String>>,
        /// Labels.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<HashMap<String, String>>,
        /// The working directory.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub working_dir: Option<String>,
        /// The user to run as (`name`, `uid`, `uid:gid`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub user: Option<String>,
        /// Give it a TTY: output comes as one raw stream, not stdout and stderr apart.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tty: Option<bool>,
        /// Keep stdin open.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub open_stdin: Option<bool>,
        /// Close stdin after the first attach ends.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stdin_once: Option<bool>,
        /// The signal that stops it (default `SIGTERM`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stop_signal: Option<String>,
        /// Seconds to wait after the stop signal before killing it (default 10; -1 waits
        /// forever).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stop_timeout: Option<i64>,
        /// Ports it listens on, as `80/tcp` (or `53/udp`): a set, whose values are always
        /// `{}`. Publishing them on the host is [`HostConfig::port_bindings`].
        #[serde(skip_serializing_if = "Option::is_none")]
        pub exposed_ports: Option<BTreeMap<String, EmptyObject>>,
        /// Paths in the container that get an anonymous volume (as the image's `VOLUME`):
        /// a set, whose values are always `{}`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub volumes: Option<BTreeMap<String, EmptyObject>>,
        /// How the engine checks that it is healthy (overrides the image's `HEALTHCHECK`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub healthcheck: Option<HealthConfig>,
        /// Attach stdin (for a later attach; `docker run -i`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attach_stdin: Option<bool>,
        /// Attach stdout.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attach_stdout: Option<bool>,
        /// Attach stderr.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attach_stderr: Option<bool>,
        /// How the host runs it (create only: inspect has it apart, in
        /// [`ContainerInspect::host_config`]).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub host_config: Option<HostConfig>,
        /// The network to connect it to at creation, with its settings there (aliases, a
        /// fixed address). Engines before API 1.44 take one network here; connect to more
        /// after creation.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub networking_config: Option<NetworkingConfig>,
        /// Any other field of the Engine API's container config, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl ContainerConfig {
    /// A container of `image`, with the image's own command.
    pub fn new(image: impl Into<String>) -> Self {
        ContainerConfig {
            image: image.into(),
            ..Default::default()
        }
    }

    /// Sets the command.
    pub fn cmd<S: Into<String>>(mut self, cmd: impl IntoIterator<Item = S>) -> Self {
        self.cmd = Some(cmd.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the entrypoint.
    pub fn entrypoint<S: Into<String>>(mut self, cmd: impl IntoIterator<Item = S>) -> Self {
        self.entrypoint = Some(cmd.into_iter().map(Into::into).collect());
        self
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env
            .get_or_insert_with(Vec::new)
            .push(format!("{key}={value}"));
        self
    }

    /// Adds a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Gives the container a TTY.
    pub fn tty(mut self, tty: bool) -> Self {
        self.tty = Some(tty);
        self
    }

    /// Sets the working directory.
    pub fn working_dir(mut self, dir: &str) -> Self {
        self.working_dir = Some(dir.to_string());
        self
    }

    /// Sets the user.
    pub fn user(mut self, user: &str) -> Self {
        self.user = Some(user.to_string());
        self
    }

    /// Sets its host name.
    pub fn hostname(mut self, name: &str) -> Self {
        self.hostname = Some(name.to_string());
        self
    }

    /// Sets how the host runs it.
    pub fn host_config(mut self, host_config: HostConfig) -> Self {
        self.host_config = Some(host_config);
        self
    }

    /// Exposes a port, as `80/tcp`, `53/udp` or `8080` (tcp).
    pub fn expose(mut self, port: &str) -> Self {
        self.exposed_ports
            .get_or_insert_with(BTreeMap::new)
            .insert(port_key(port), EmptyObject {});
        self
    }

    /// Sets the health check.
    pub fn healthcheck(mut self, healthcheck: HealthConfig) -> Self {
        self.healthcheck = Some(healthcheck);
        self
    }

    /// Connects it to `network` at creation, with `settings` there (use
    /// `EndpointSettings::default()` for none).
    pub fn network(mut self, network: &str, settings: EndpointSettings) -> Self {
        self.networking_config
            .get_or_insert_with(NetworkingConfig::default)
            .endpoints_config
            .insert(network.to_string(), settings);
        self
    }

    /// Sets the stop signal.
    pub fn stop_signal(mut self, signal: &str) -> Self {
        self.stop_signal = Some(signal.to_string());
        self
    }

    /// Sets how long a stop waits before it kills (whole seconds, rounded up).
    pub fn stop_timeout(mut self, grace: Duration) -> Self {
        let seconds = grace.as_secs() + u64::from(grace.subsec_nanos() > 0);
        self.stop_timeout = Some(i64::try_from(seconds).unwrap_or(i64::MAX));
        self
    }
}

/// A port as the engine keys it: `80` means `80/tcp`.
fn port_key(port: &str) -> String {
    if port.contains('/') {
        port.to_string()
    } else {
        format!("{port}/tcp")
    }
}

/// The empty JSON object `{}`: the Engine API's value in a set such as
/// [`ContainerConfig::exposed_ports`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyObject {}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A duration as the engine's nanoseconds (saturating).
fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

model! {
    /// How the engine checks a container's health (`HealthConfig` in the Engine API). Times
    /// are in nanoseconds, as the API has them; the builder methods take `Duration`s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dockhand::HealthConfig;
    /// let check = HealthConfig::shell("wget -q -O /dev/null http://localhost/")
    ///     .interval(Duration::from_secs(5))
    ///     .retries(3);
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct HealthConfig {
        /// The test: `["NONE"]` (no check), `["CMD", program, args...]` (run directly), or
        /// `["CMD-SHELL", command]` (run with the image's shell). Empty: the image's check.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub test: Option<Vec<String>>,
        /// Time between checks, in nanoseconds (0: the default, 30 s).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub interval: Option<i64>,
        /// How long a check may take, in nanoseconds (0: the default, 30 s).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub timeout: Option<i64>,
        /// Failures in a row that make it unhealthy (0: the default, 3).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub retries: Option<i64>,
        /// Time to start up during which failures do not count, in nanoseconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_period: Option<i64>,
        /// Time between checks during the start period, in nanoseconds (API 1.44+; 0: the
        /// default, 5 s).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_interval: Option<i64>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl HealthConfig {
    /// Runs `program` with `args` directly (`CMD`); exit code 0 means healthy.
    pub fn cmd<S: Into<String>>(command: impl IntoIterator<Item = S>) -> Self {
        let mut test = vec!["CMD".to_string()];
        test.extend(command.into_iter().map(Into::into));
        HealthConfig {
            test: Some(test),
            ..Default::default()
        }
    }

    /// Runs `command` with the image's shell (`CMD-SHELL`); exit code 0 means healthy.
    pub fn shell(command: &str) -> Self {
        HealthConfig {
            test: Some(vec!["CMD-SHELL".to_string(), command.to_string()]),
            ..Default::default()
        }
    }

    /// Turns off the image's health check.
    pub fn none() -> Self {
        HealthConfig {
            test: Some(vec!["NONE".to_string()]),
            ..Default::default()
        }
    }

    /// Sets the time between checks.
    pub fn interval(mut self, every: Duration) -> Self {
        self.interval = Some(nanos(every));
        self
    }

    /// Sets how long a check may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(nanos(timeout));
        self
    }

    /// Sets how many failures in a row make it unhealthy.
    pub fn retries(mut self, retries: i64) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Sets the start-up time during which failures do not count.
    pub fn start_period(mut self, period: Duration) -> Self {
        self.start_period = Some(nanos(period));
        self
    }

    /// Sets the time between checks during the start period (engines before API 1.44
    /// ignore it).
    pub fn start_interval(mut self, every: Duration) -> Self {
        self.start_interval = Some(nanos(every));
        self
    }
}

model! {
    /// The networks to connect a container to at creation (`NetworkingConfig`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct NetworkingConfig {
        /// The container's settings on each network, by network name or id.
        #[serde(deserialize_with = "null_as_default")]
        pub endpoints_config: HashMap<String, EndpointSettings>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// A container's place on one network (`EndpointSettings`): what to ask for at creation
    /// (aliases, a fixed address) and what [`ContainerInspect::network_settings`] reports
    /// (address, gateway, ids). Empty fields of a value made here are not sent; one read from
    /// the engine is sent back as it came.
    ///
    /// ```
    /// use dockhand::EndpointSettings;
    /// let on_backend = EndpointSettings::default().alias("db").ipv4_address("10.7.0.5");
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct EndpointSettings {
        /// Fixed addresses to ask for (needs a network with a configured subnet).
        #[serde(rename = "IPAMConfig", skip_serializing_if = "Option::is_none")]
        pub ipam_config: Option<EndpointIpamConfig>,
        /// Links to other containers, as `name:alias` (legacy).
        #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub links: Vec<String>,
        /// Other names the container answers to on this network (user-defined networks
        /// only).
        #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub aliases: Vec<String>,
        /// The network's id.
        #[serde(rename = "NetworkID", skip_serializing_if = "String::is_empty")]
        pub network_id: String,
        /// The endpoint's id.
        #[serde(rename = "EndpointID", skip_serializing_if = "String::is_empty")]
        pub endpoint_id: String,
        /// The gateway's IPv4 address.
        #[serde(skip_serializing_if = "String::is_empty")]
        pub gateway: String,
        /// The container's IPv4 address.
        #[serde(rename = "IPAddress", skip_serializing_if = "String::is_empty")]
        pub ip_address: String,
        /// The IPv4 prefix length.
        #[serde(rename = "IPPrefixLen", skip_serializing_if = "is_zero")]
        pub ip_prefix_len: u32,
        /// The gateway's IPv6 address.
        #[serde(rename = "IPv6Gateway", skip_serializing_if = "String::is_empty")]
        pub ipv6_gateway: String,
        /// The container's global IPv6 address.
        #[serde(rename = "GlobalIPv6Address", skip_serializing_if = "String::is_empty")]
        pub global_ipv6_address: String,
        /// The IPv6 prefix length.
        #[serde(rename = "GlobalIPv6PrefixLen", skip_serializing_if = "is_zero")]
        pub global_ipv6_prefix_len: u32,
        /// The MAC address.
        #[serde(skip_serializing_if = "String::is_empty")]
        pub mac_address: String,
        /// Options for the network driver.
        #[serde(skip_serializing_if = "HashMap::is_empty", deserialize_with = "null_as_default")]
        pub driver_opts: HashMap<String, String>,
        /// Any other field (`DNSNames`, `GwPriority`, ...), by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl EndpointSettings {
    /// Adds an alias.
    pub fn alias(mut self, alias: &str) -> Self {
        self.aliases.push(alias.to_string());
        self
    }

    /// Asks for a fixed IPv4 address.
    pub fn ipv4_address(mut self, address: &str) -> Self {
        self.ipam_config
            .get_or_insert_with(EndpointIpamConfig::default)
            .ipv4_address = address.to_string();
        self
    }
}

model! {
    /// Fixed addresses for a container on a network (`EndpointIPAMConfig`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(default)]
    pub struct EndpointIpamConfig {
        /// An IPv4 address.
        #[serde(rename = "IPv4Address", skip_serializing_if = "String::is_empty")]
        pub ipv4_address: String,
        /// An IPv6 address.
        #[serde(rename = "IPv6Address", skip_serializing_if = "String::is_empty")]
        pub ipv6_address: String,
        /// Link-local addresses.
        #[serde(
            rename = "LinkLocalIPs",
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "null_as_default"
        )]
        pub link_local_ips: Vec<String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// How the host runs a container (`HostConfig` in the Engine API). Anything not typed
    /// here can go in [`extra`](Self::extra); read from the engine, it is sent back as it
    /// came (see [`ContainerConfig`]).
    ///
    /// ```
    /// use dockhand::{HostConfig, Mount, PortBinding, RestartPolicy, Ulimit};
    /// let host = HostConfig::new()
    ///     .mount(Mount::bind("/srv/data", "/data").read_only(true))
    ///     .publish("80/tcp", PortBinding::new("127.0.0.1", "8080"))
    ///     .restart_policy(RestartPolicy::on_failure(3))
    ///     .ulimit(Ulimit::new("nofile", 1024, 2048))
    ///     .memory(256 * 1024 * 1024);
    /// ```
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct HostConfig {
        /// Volume bindings, as `host-path:container-path[:ro]` or `volume:path`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub binds: Option<Vec<String>>,
        /// Mounts: bind mounts, volumes and tmpfs, spelt out (the modern form of `binds`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mounts: Option<Vec<Mount>>,
        /// Memory-backed filesystems: container path to mount options (`size=64m,mode=1777`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tmpfs: Option<HashMap<String, String>>,
        /// Containers whose volumes it mounts too, as `name[:ro|:rw]`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub volumes_from: Option<Vec<String>>,
        /// Ports published on the host: container port (`80/tcp`) to host bindings.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub port_bindings: Option<PortMap>,
        /// Publish every exposed port on a free host port (`docker run -P`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub publish_all_ports: Option<bool>,
        /// `bridge`, `host`, `none`, `container:<id>`, or a network's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub network_mode: Option<String>,
        /// Links to other containers on the default bridge, as `name:alias` (legacy).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub links: Option<Vec<String>>,
        /// DNS servers.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dns: Option<Vec<String>>,
        /// DNS options, such as `ndots:2`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dns_options: Option<Vec<String>>,
        /// DNS search domains.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dns_search: Option<Vec<String>>,
        /// Extra lines for its `/etc/hosts`, as `name:address`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub extra_hosts: Option<Vec<String>>,
        /// What to do when it exits.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub restart_policy: Option<RestartPolicy>,
        /// Remove the container when it exits.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_remove: Option<bool>,
        /// Where its output goes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub log_config: Option<LogConfig>,
        /// Memory limit in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory: Option<i64>,
        /// Memory soft limit in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory_reservation: Option<i64>,
        /// Memory plus swap limit in bytes; -1 for unlimited swap.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory_swap: Option<i64>,
        /// How readily its memory is swapped out, 0 to 100 (cgroup v1 only; unset: the
        /// host's).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory_swappiness: Option<i64>,
        /// Do not kill it when the host runs out of memory.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub oom_kill_disable: Option<bool>,
        /// CPU limit in billionths of a CPU (`1_500_000_000` is `--cpus 1.5`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub nano_cpus: Option<i64>,
        /// CPU weight relative to other containers (default 1024).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu_shares: Option<i64>,
        /// The CFS period, in microseconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu_period: Option<i64>,
        /// The CFS quota per period, in microseconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu_quota: Option<i64>,
        /// The CPUs it may run on, such as `0-3` or `0,1`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpuset_cpus: Option<String>,
        /// The most processes it may have (0 or -1: no limit).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub pids_limit: Option<i64>,
        /// Resource limits of its processes (`docker run --ulimit`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ulimits: Option<Vec<Ulimit>>,
        /// Host devices to put in it.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub devices: Option<Vec<DeviceMapping>>,
        /// Devices asked of a driver, such as GPUs (`docker run --gpus`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub device_requests: Option<Vec<DeviceRequest>>,
        /// The size of `/dev/shm` in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub shm_size: Option<i64>,
        /// Give it every capability and access to the host's devices.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub privileged: Option<bool>,
        /// Capabilities to add, as `NET_ADMIN` or `CAP_NET_ADMIN`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cap_add: Option<Vec<String>>,
        /// Capabilities to drop.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cap_drop: Option<Vec<String>>,
        /// Security options, such as `no-new-privileges` or `seccomp=unconfined`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub security_opt: Option<Vec<String>>,
        /// Kernel parameters, such as `net.ipv4.ip_forward` = `1`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sysctls: Option<HashMap<String, String>>,
        /// Extra groups its user belongs to.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub group_add: Option<Vec<String>>,
        /// Its PID namespace: empty (its own), `host`, or `container:<id>`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub pid_mode: Option<String>,
        /// Its IPC namespace: `private`, `shareable`, `host`, `none`, `container:<id>`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ipc_mode: Option<String>,
        /// Mount the root filesystem read-only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub readonly_rootfs: Option<bool>,
        /// Run an init process as PID 1.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub init: Option<bool>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl HostConfig {
    /// Nothing set: the engine's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a volume binding, as `host-path:container-path[:ro]` or `volume:path`.
    pub fn bind(mut self, spec: &str) -> Self {
        self.binds
            .get_or_insert_with(Vec::new)
            .push(spec.to_string());
        self
    }

    /// Adds a mount.
    pub fn mount(mut self, mount: Mount) -> Self {
        self.mounts.get_or_insert_with(Vec::new).push(mount);
        self
    }

    /// Mounts a memory-backed filesystem at `path`, with mount options such as
    /// `size=64m,mode=1777` (empty for none).
    pub fn tmpfs(mut self, path: &str, options: &str) -> Self {
        self.tmpfs
            .get_or_insert_with(HashMap::new)
            .insert(path.to_string(), options.to_string());
        self
    }

    /// Publishes a container port (`80/tcp`, `53/udp`, or `80` for tcp) on the host.
    /// Remember to [`expose`](ContainerConfig::expose) it too, as `docker run -p` does.
    pub fn publish(mut self, container_port: &str, binding: PortBinding) -> Self {
        self.port_bindings
            .get_or_insert_with(PortMap::new)
            .entry(port_key(container_port))
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(binding);
        self
    }

    /// Sets the network mode.
    pub fn network_mode(mut self, mode: &str) -> Self {
        self.network_mode = Some(mode.to_string());
        self
    }

    /// Adds a DNS server.
    pub fn dns(mut self, server: &str) -> Self {
        self.dns
            .get_or_insert_with(Vec::new)
            .push(server.to_string());
        self
    }

    /// Sets the restart policy.
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.restart_policy = Some(policy);
        self
    }

    /// Removes the container when it exits.
    pub fn auto_remove(mut self, on: bool) -> Self {
        self.auto_remove = Some(on);
        self
    }

    /// Sets the memory limit in bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.memory = Some(bytes);
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

    /// Adds a resource limit of its processes.
    pub fn ulimit(mut self, ulimit: Ulimit) -> Self {
        self.ulimits.get_or_insert_with(Vec::new).push(ulimit);
        self
    }

    /// Puts the host's device `host_path` in it at `container_path`, readable, writable
    /// and creatable (`rwm`).
    pub fn device(mut self, host_path: &str, container_path: &str) -> Self {
        self.devices
            .get_or_insert_with(Vec::new)
            .push(DeviceMapping::new(host_path, container_path));
        self
    }

    /// Asks a driver for devices, such as [`DeviceRequest::gpus`].
    pub fn device_request(mut self, request: DeviceRequest) -> Self {
        self.device_requests
            .get_or_insert_with(Vec::new)
            .push(request);
        self
    }

    /// Sets the size of `/dev/shm` in bytes.
    pub fn shm_size(mut self, bytes: i64) -> Self {
        self.shm_size = Some(bytes);
        self
    }

    /// Runs it privileged.
    pub fn privileged(mut self, on: bool) -> Self {
        self.privileged = Some(on);
        self
    }

    /// Adds a capability.
    pub fn cap_add(mut self, capability: &str) -> Self {
        self.cap_add
            .get_or_insert_with(Vec::new)
            .push(capability.to_string());
        self
    }

    /// Drops a capability.
    pub fn cap_drop(mut self, capability: &str) -> Self {
        self.cap_drop
            .get_or_insert_with(Vec::new)
            .push(capability.to_string());
        self
    }

    /// Adds a security option, such as `no-new-privileges`.
    pub fn security_opt(mut self, option: &str) -> Self {
        self.security_opt
            .get_or_insert_with(Vec::new)
            .push(option.to_string());
        self
    }

    /// Sets a kernel parameter of its namespaces, such as `net.ipv4.ip_forward`.
    pub fn sysctl(mut self, key: &str, value: &str) -> Self {
        self.sysctls
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Adds a line to its `/etc/hosts`.
    pub fn extra_host(mut self, name: &str, address: &str) -> Self {
        self.extra_hosts
            .get_or_insert_with(Vec::new)
            .push(format!("{name}:{address}"));
        self
    }

    /// Sets where its output goes.
    pub fn log_config(mut self, config: LogConfig) -> Self {
        self.log_config = Some(config);
        self
    }

    /// Runs an init process as PID 1.
    pub fn init(mut self, on: bool) -> Self {
        self.init = Some(on);
        self
    }
}

/// Published ports: container port (`80/tcp`) to its bindings on the host (`null` for a
/// port that is exposed but not published, in [`NetworkSettings::ports`]).
pub type PortMap = BTreeMap<String, Option<Vec<PortBinding>>>;

model! {
    /// Where a container port is published on the host. Empty fields mean every interface
    /// and a free port the engine picks.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(default)]
    pub struct PortBinding {
        /// The host address, such as `127.0.0.1` (empty: every interface).
        #[serde(rename = "HostIp", skip_serializing_if = "String::is_empty")]
        pub host_ip: String,
        /// The host port, such as `8080` or a range `8080-8090` (empty: a free port).
        #[serde(rename = "HostPort", skip_serializing_if = "String::is_empty")]
        pub host_port: String,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl PortBinding {
    /// A binding on `host_ip` and `host_port` (either may be empty).
    pub fn new(host_ip: &str, host_port: &str) -> Self {
        PortBinding {
            host_ip: host_ip.to_string(),
            host_port: host_port.to_string(),
            ..Default::default()
        }
    }
}

model! {
    /// What the engine does when a container exits (`RestartPolicy`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct RestartPolicy {
        /// `no` (or empty), `always`, `unless-stopped` or `on-failure`.
        pub name: String,
        /// For `on-failure`: how many restarts before giving up (0: no limit).
        pub maximum_retry_count: i64,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl RestartPolicy {
    /// Never restart.
    pub fn no() -> Self {
        Self::named("no")
    }

    /// Always restart, also when the engine restarts.
    pub fn always() -> Self {
        Self::named("always")
    }

    /// Restart unless it was stopped by hand.
    pub fn unless_stopped() -> Self {
        Self::named("unless-stopped")
    }

    /// Restart on a non-zero exit, at most `max_retries` times (0: no limit).
    pub fn on_failure(max_retries: i64) -> Self {
        RestartPolicy {
            maximum_retry_count: max_retries,
            ..Self::named("on-failure")
        }
    }

    fn named(name: &str) -> Self {
        RestartPolicy {
            name: name.to_string(),
            ..Default::default()
        }
    }
}

model! {
    /// Where a container's output goes (`LogConfig`): the logging driver and its options.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct LogConfig {
        /// The driver: `json-file`, `local`, `journald`, `syslog`, `none`, ... (only some
        /// let [`Container::logs`] read the output back).
        #[serde(rename = "Type")]
        pub kind: String,
        /// The driver's options, such as `max-size`.
        #[serde(skip_serializing_if = "HashMap::is_empty", deserialize_with = "null_as_default")]
        pub config: HashMap<String, String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl LogConfig {
    /// The driver `kind` with no options.
    pub fn new(kind: &str) -> Self {
        LogConfig {
            kind: kind.to_string(),
            ..Default::default()
        }
    }

    /// Adds a driver option.
    pub fn option(mut self, key: &str, value: &str) -> Self {
        self.config.insert(key.to_string(), value.to_string());
        self
    }
}

model! {
    /// A resource limit of a container's processes (`docker run --ulimit name=soft:hard`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Ulimit {
        /// Its name, such as `nofile`, `nproc` or `core`.
        pub name: String,
        /// The soft limit.
        pub soft: i64,
        /// The hard limit.
        pub hard: i64,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl Ulimit {
    /// The limit `name` at `soft` and `hard`.
    pub fn new(name: &str, soft: i64, hard: i64) -> Self {
        Ulimit {
            name: name.to_string(),
            soft,
            hard,
            ..Default::default()
        }
    }
}

model! {
    /// A host device put in a container (`DeviceMapping`; `docker run --device`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct DeviceMapping {
        /// The device on the host, such as `/dev/fuse`.
        pub path_on_host: String,
        /// Where it appears in the container.
        pub path_in_container: String,
        /// What the container may do with it: `r`, `w`, `m` (mknod) or several.
        pub cgroup_permissions: String,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl DeviceMapping {
    /// The host's `host_path` at `container_path`, with permissions `rwm`.
    pub fn new(host_path: &str, container_path: &str) -> Self {
        DeviceMapping {
            path_on_host: host_path.to_string(),
            path_in_container: container_path.to_string(),
            cgroup_permissions: "rwm".to_string(),
            ..Default::default()
        }
    }
}

model! {
    /// Devices asked of a device driver, such as GPUs (`DeviceRequest`; `docker run
    /// --gpus`).
    ///
    /// ```
    /// use dockhand::{DeviceRequest, HostConfig};
    /// let all_gpus = HostConfig::new().device_request(DeviceRequest::gpus(-1));
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct DeviceRequest {
        /// The driver, such as `nvidia` (empty: any that has the capabilities).
        #[serde(skip_serializing_if = "String::is_empty")]
        pub driver: String,
        /// How many devices; -1 for all of them.
        pub count: i64,
        /// Which devices, by id or index (instead of a count).
        #[serde(
            rename = "DeviceIDs",
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "null_as_default"
        )]
        pub device_ids: Vec<String>,
        /// The capabilities asked for: the devices must have every capability of one of
        /// the inner lists, such as `[["gpu"]]`.
        #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub capabilities: Vec<Vec<String>>,
        /// Options for the driver.
        #[serde(skip_serializing_if = "HashMap::is_empty", deserialize_with = "null_as_default")]
        pub options: HashMap<String, String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl DeviceRequest {
    /// `count` GPUs, or all of them for -1 (`docker run --gpus all`).
    pub fn gpus(count: i64) -> Self {
        DeviceRequest {
            count,
            capabilities: vec![vec!["gpu".to_string()]],
            ..Default::default()
        }
    }

    /// Asks the driver `driver` only.
    pub fn driver(mut self, driver: &str) -> Self {
        self.driver = driver.to_string();
        self
    }

    /// Asks for these devices (by id or index) instead of a count.
    pub fn device_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.device_ids = ids.into_iter().map(Into::into).collect();
        self.count = 0;
        self
    }
}

/// The kind of a mount. Unknown kinds are kept, not refused.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MountType {
    /// A file or folder of the host.
    Bind,
    /// A volume (named, or anonymous when the source is empty).
    Volume,
    /// A memory-backed filesystem.
    Tmpfs,
    /// A Windows named pipe.
    Npipe,
    /// A kind this version of dockhand does not know.
    Other(String),
}

impl MountType {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            MountType::Bind => "bind",
            MountType::Volume => "volume",
            MountType::Tmpfs => "tmpfs",
            MountType::Npipe => "npipe",
            MountType::Other(s) => s,
        }
    }
}

impl From<&str> for MountType {
    fn from(s: &str) -> Self {
        match s {
            "bind" => MountType::Bind,
            "volume" => MountType::Volume,
            "tmpfs" => MountType::Tmpfs,
            "npipe" => MountType::Npipe,
            other => MountType::Other(other.to_string()),
        }
    }
}

impl Default for MountType {
    fn default() -> Self {
        MountType::Other(String::new())
    }
}

impl fmt::Display for MountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MountType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MountType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(MountType::from(s.as_str()))
    }
}

model! {
    /// A mount asked for at creation (`Mount` in [`HostConfig::mounts`]).
    ///
    /// ```
    /// use dockhand::Mount;
    /// let mounts = [
    ///     Mount::bind("/srv/config", "/etc/app").read_only(true),
    ///     Mount::volume("app-data", "/var/lib/app"),
    ///     Mount::tmpfs("/scratch").tmpfs_size(64 * 1024 * 1024),
    /// ];
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Mount {
        /// Where it appears in the container.
        pub target: String,
        /// What is mounted: a host path (bind), a volume name (volume; empty for a new
        /// anonymous one), nothing for tmpfs.
        #[serde(skip_serializing_if = "String::is_empty")]
        pub source: String,
        /// Its kind.
        #[serde(rename = "Type")]
        pub kind: MountType,
        /// Mount it read-only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only: Option<bool>,
        /// Options of a bind mount.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bind_options: Option<BindOptions>,
        /// Options of a volume mount.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub volume_options: Option<VolumeOptions>,
        /// Options of a tmpfs.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tmpfs_options: Option<TmpfsOptions>,
        /// Any other field (`Consistency`, `ImageOptions`, ...), by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl Mount {
    /// Mounts the host's `source` path at `target`.
    pub fn bind(source: &str, target: &str) -> Self {
        Self::of(MountType::Bind, source, target)
    }

    /// Mounts the volume `name` at `target` (an empty name makes an anonymous volume,
    /// which goes when the container is removed with [`RemoveOptions::volumes`]).
    pub fn volume(name: &str, target: &str) -> Self {
        Self::of(MountType::Volume, name, target)
    }

    /// Mounts an empty memory-backed filesystem at `target`.
    pub fn tmpfs(target: &str) -> Self {
        Self::of(MountType::Tmpfs, "", target)
    }

    fn of(kind: MountType, source: &str, target: &str) -> Self {
        Mount {
            target: target.to_string(),
            source: source.to_string(),
            kind,
            ..Default::default()
        }
    }

    /// Mounts it read-only.
    pub fn read_only(mut self, on: bool) -> Self {
        self.read_only = Some(on);
        self
    }

    /// Sets a bind mount's propagation: `private`, `rprivate`, `shared`, `rshared`,
    /// `slave` or `rslave`.
    pub fn propagation(mut self, propagation: &str) -> Self {
        self.bind_options
            .get_or_insert_with(BindOptions::default)
            .propagation = Some(propagation.to_string());
        self
    }

    /// Leaves a new volume empty instead of copying the image's files at the target into
    /// it.
    pub fn no_copy(mut self, on: bool) -> Self {
        self.volume_options
            .get_or_insert_with(VolumeOptions::default)
            .no_copy = Some(on);
        self
    }

    /// Adds a label to the volume this mount creates.
    pub fn volume_label(mut self, key: &str, value: &str) -> Self {
        self.volume_options
            .get_or_insert_with(VolumeOptions::default)
            .labels
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Mounts only `path` inside the volume (API 1.45+).
    pub fn subpath(mut self, path: &str) -> Self {
        self.volume_options
            .get_or_insert_with(VolumeOptions::default)
            .subpath = Some(path.to_string());
        self
    }

    /// Limits a tmpfs to `bytes`.
    pub fn tmpfs_size(mut self, bytes: i64) -> Self {
        self.tmpfs_options
            .get_or_insert_with(TmpfsOptions::default)
            .size_bytes = Some(bytes);
        self
    }

    /// Sets a tmpfs's permission bits, such as `0o1777`.
    pub fn tmpfs_mode(mut self, mode: u32) -> Self {
        self.tmpfs_options
            .get_or_insert_with(TmpfsOptions::default)
            .mode = Some(mode);
        self
    }
}

model! {
    /// Options of a bind mount.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct BindOptions {
        /// Mount propagation: `private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub propagation: Option<String>,
        /// Do not bind-mount the mounts under the source too.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub non_recursive: Option<bool>,
        /// Create the source on the host when it is missing (API 1.44+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub create_mountpoint: Option<bool>,
        /// With `ReadOnly`, leave the mounts under the source writable (API 1.44+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_non_recursive: Option<bool>,
        /// With `ReadOnly`, make the mounts under the source read-only too, or fail (API
        /// 1.44+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_force_recursive: Option<bool>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// Options of a volume mount.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct VolumeOptions {
        /// Do not copy the image's files at the target into a new volume.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub no_copy: Option<bool>,
        /// Labels for a volume created by this mount.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<HashMap<String, String>>,
        /// The volume driver and its options, for a volume created by this mount:
        /// `{"Name": ..., "Options": {...}}`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub driver_config: Option<serde_json::Value>,
        /// A path inside the volume to mount instead of all of it (API 1.45+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub subpath: Option<String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// Options of a tmpfs mount.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct TmpfsOptions {
        /// Its size limit in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub size_bytes: Option<i64>,
        /// Its permission bits, such as `0o1777`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mode: Option<u32>,
        /// Other mount options, each `[name]` or `[name, value]`, such as `[["exec"]]`
        /// (API 1.46+).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub options: Option<Vec<Vec<String>>>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

/// The engine's answer to a create.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Created {
    /// The new container's id.
    pub id: String,
    /// Warnings about the configuration.
    pub warnings: Option<Vec<String>>,
}

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
    pub status: String,
    /// Failed checks in a row.
    pub failing_streak: i64,
    /// The last few checks.
    #[serde(deserialize_with = "null_as_default")]
    pub log: Vec<HealthCheckResult>,
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

/// Why [`Container::wait`] returned.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct WaitResult {
    /// The exit code.
    pub status_code: i64,
    /// What went wrong while waiting, if anything.
    pub error: Option<WaitError>,
}

/// An error reported by a wait.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct WaitError {
    /// The engine's message.
    pub message: String,
}

/// What [`Container::wait_with`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitCondition {
    /// The container is not running (it may not have started yet): the default.
    NotRunning,
    /// The container's next exit, even when it is not running yet.
    NextExit,
    /// The container is removed.
    Removed,
}

impl WaitCondition {
    /// The engine's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitCondition::NotRunning => "not-running",
            WaitCondition::NextExit => "next-exit",
            WaitCondition::Removed => "removed",
        }
    }
}

/// Options for [`Container::wait_with`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct WaitOptions {
    condition: Option<WaitCondition>,
}

impl WaitOptions {
    /// Wait until the container is not running.
    pub fn new() -> Self {
        Self::default()
    }

    /// Wait for `condition` instead.
    pub fn condition(mut self, condition: WaitCondition) -> Self {
        self.condition = Some(condition);
        self
    }
}

/// A wait under way: see [`Container::wait_with`].
#[derive(Debug)]
pub struct Waiting {
    response: Response,
    cancel: CancelHandle,
}

impl Waiting {
    /// A handle that cancels the wait from another thread: [`result`](Self::result) then
    /// returns [`Error::Cancelled`].
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Blocks until the condition is met (or the wait is cancelled).
    pub fn result(self) -> Result<WaitResult> {
        let Waiting { response, cancel } = self;
        let context = response.context().to_string();
        response.json().map_err(|e| {
            if cancel.is_cancelled() {
                Error::Cancelled { context }
            } else {
                e
            }
        })
    }
}

/// Flags for [`Container::remove`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RemoveOptions {
    force: bool,
    volumes: bool,
    link: bool,
}

impl RemoveOptions {
    /// Remove a stopped container, keep its anonymous volumes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Kill it first if it runs.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Remove its anonymous volumes too.
    pub fn volumes(mut self, volumes: bool) -> Self {
        self.volumes = volumes;
        self
    }

    /// Remove a link, not a container: the handle then names the link as
    /// `/parent/alias`, as in `docker.container("/web/db")` for a container `web` made with
    /// the link `db`. Both containers stay.
    pub fn link(mut self, link: bool) -> Self {
        self.link = link;
        self
    }
}

/// What to read with [`Container::logs`].
#[derive(Clone, Debug)]
#[must_use]
pub struct LogsOptions {
    stdout: bool,
    stderr: bool,
    follow: bool,
    timestamps: bool,
    details: bool,
    since: Option<i64>,
    until: Option<i64>,
    tail: Option<String>,
    idle_timeout: Option<Duration>,
}

impl Default for LogsOptions {
    fn default() -> Self {
        LogsOptions {
            stdout: true,
            stderr: true,
            follow: false,
            timestamps: false,
            details: false,
            since: None,
            until: None,
            tail: None,
            idle_timeout: None,
        }
    }
}

impl LogsOptions {
    /// Both stdout and stderr, everything logged so far, not following.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include stdout.
    pub fn stdout(mut self, on: bool) -> Self {
        self.stdout = on;
        self
    }

    /// Include stderr.
    pub fn stderr(mut self, on: bool) -> Self {
        self.stderr = on;
        self
    }

    /// Keep reading as the container writes, until it stops (or the stream is cancelled).
    pub fn follow(mut self, on: bool) -> Self {
        self.follow = on;
        self
    }

    /// Prefix each line with its time.
    pub fn timestamps(mut self, on: bool) -> Self {
        self.timestamps = on;
        self
    }

    /// Prefix each line with its details: the log's attributes (for a service's or task's
    /// logs: the node, service and task ids) as `key=value,...` and a space.
    pub fn details(mut self, on: bool) -> Self {
        self.details = on;
        self
    }

    /// Only what was logged at or after this time (seconds since the epoch).
    pub fn since(mut self, unix_seconds: i64) -> Self {
        self.since = Some(unix_seconds);
        self
    }

    /// Only what was logged before this time (seconds since the epoch; containers only).
    pub fn until(mut self, unix_seconds: i64) -> Self {
        self.until = Some(unix_seconds);
        self
    }

    /// Only the last `n` lines.
    pub fn tail(mut self, n: u64) -> Self {
        self.tail = Some(n.to_string());
        self
    }

    /// Fail when nothing arrives for this long (off by default: a quiet container is not
    /// an error).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// Reads the logs at `path`: of a container, a service or a task. The framing comes from
/// the answer's content type (API 1.42 and later), else from the TTY setting that `tty`
/// looks up; engines before 1.42 send no content type for logs, so there it is looked up
/// first, and an object removed meanwhile fails before a stream is opened.
pub(crate) fn read_logs(
    docker: &Docker,
    path: String,
    options: &LogsOptions,
    tty: &dyn Fn() -> Result<bool>,
) -> Result<OutputStream> {
    let known = if docker.api_version()? < ApiVersion::new(1, 42) {
        Some(Framing::for_tty(tty()?))
    } else {
        None
    };
    let response = docker
        .get(path)
        .flag("stdout", options.stdout)
        .flag("stderr", options.stderr)
        .flag("follow", options.follow)
        .flag("timestamps", options.timestamps)
        .flag("details", options.details)
        .query_opt("since", options.since)
        .query_opt("until", options.until)
        .query_opt("tail", options.tail.as_deref())
        .streaming()
        .idle_timeout(options.idle_timeout)
        .send()?;
    let framing = match known {
        Some(framing) => framing,
        None => match framing_from_content_type(response.header("Content-Type")) {
            Some(framing) => framing,
            None => Framing::for_tty(tty()?),
        },
    };
    Ok(OutputStream::new(response.into_parts(), framing))
}

/// Default grace period of `docker stop`, when neither the call nor the container sets one.
const DEFAULT_STOP_GRACE: Duration = Duration::from_secs(10);

impl Containers {
    /// Lists containers (running ones unless `all`).
    pub fn list(&self, options: &ListContainersOptions) -> Result<Vec<ContainerSummary>> {
        self.docker
            .get("/containers/json".into())
            .flag("all", options.all)
            .query_opt("limit", options.limit)
            .flag("size", options.size)
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Creates a container with a name the engine chooses.
    pub fn create(&self, config: &ContainerConfig) -> Result<Created> {
        self.create_inner(None, config)
    }

    /// Creates a container called `name`.
    pub fn create_named(&self, name: &str, config: &ContainerConfig) -> Result<Created> {
        self.create_inner(Some(name), config)
    }

    /// Creates a container and returns a guard that removes it (with force, and its
    /// anonymous volumes) when dropped, also when a panic unwinds. The guard derefs to the
    /// [`Container`].
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{ContainerConfig, Docker};
    /// let docker = Docker::from_env()?;
    /// let server = docker
    ///     .containers()
    ///     .create_guarded(&ContainerConfig::new("nginx"))?;
    /// server.start()?;
    /// // ... talk to it; it is removed at the end of the scope, whatever happens.
    /// # Ok(()) }
    /// ```
    pub fn create_guarded(&self, config: &ContainerConfig) -> Result<ContainerGuard> {
        let created = self.create(config)?;
        Ok(ContainerGuard::new(self.docker.container(&created.id)).with_warnings(created))
    }

    /// Removes every stopped container that matches the filters (all stopped containers
    /// when there are none: mind other people's containers). Filters: `label` (`key`,
    /// `key=value`), `label!`, `until` (a time, such as `10m` or an RFC 3339 date).
    ///
    /// The engine runs one prune at a time, of any kind: while another runs, this fails
    /// with [`Error::is_conflict`] (`a prune operation is already running`); try again.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, PruneContainersOptions};
    /// let docker = Docker::from_env()?;
    /// let pruned = docker
    ///     .containers()
    ///     .prune(&PruneContainersOptions::new().filter("label", "app=ci"))?;
    /// println!("{} removed, {} bytes freed", pruned.containers_deleted.len(), pruned.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune(&self, options: &PruneContainersOptions) -> Result<ContainersPruned> {
        self.docker
            .post("/containers/prune".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    fn create_inner(&self, name: Option<&str>, config: &ContainerConfig) -> Result<Created> {
        if config.image.is_empty() {
            return Err(Error::setting(
                "ContainerConfig::image",
                "",
                "the name of an image, such as busybox:latest",
            ));
        }
        self.docker
            .post("/containers/create".into())
            .query_opt("name", name)
            .json(config)
            .send()?
            .json()
    }
}

impl Container {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The client this handle calls through.
    pub(crate) fn docker(&self) -> &Docker {
        &self.docker
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("container id", &self.id)?;
        Ok(format!("/containers/{}{tail}", encode_segment(id)))
    }

    /// Everything the engine knows about the container.
    pub fn inspect(&self) -> Result<ContainerInspect> {
        self.docker.get(self.path("/json")?).send()?.json()
    }

    /// Starts it. Starting a running container is not an error.
    pub fn start(&self) -> Result<()> {
        self.docker.post(self.path("/start")?).send()?.drain()
    }

    /// Stops it: its stop signal (`SIGTERM` by default), then `SIGKILL` after `grace` (the
    /// container's own `StopTimeout`, else 10 s, when `None`). The call's deadline grows by
    /// the grace period. Stopping a stopped container is not an error.
    pub fn stop(&self, grace: Option<Duration>) -> Result<()> {
        self.stop_or_restart("/stop", grace)
    }

    /// Restarts it, waiting `grace` for it to stop (as [`stop`](Self::stop)).
    pub fn restart(&self, grace: Option<Duration>) -> Result<()> {
        self.stop_or_restart("/restart", grace)
    }

    fn stop_or_restart(&self, action: &str, grace: Option<Duration>) -> Result<()> {
        // The engine takes whole seconds: round up, so that a short grace is never zero
        // (which would kill at once).
        let seconds = grace.map(|g| g.as_secs() + u64::from(g.subsec_nanos() > 0));
        let wait = match seconds {
            Some(s) => Duration::from_secs(s),
            // Without `t` the engine waits the container's own StopTimeout: find out how
            // long that is, so the deadline does not run out first.
            None => match self.inspect()?.config.stop_timeout {
                Some(s) if s < 0 => crate::MAX_TIMEOUT,
                Some(s) => Duration::from_secs(s.unsigned_abs()),
                None => DEFAULT_STOP_GRACE,
            },
        };
        self.docker
            .post(self.path(action)?)
            .query_opt("t", seconds)
            .extend_deadline(wait)
            .send()?
            .drain()
    }

    /// Sends a signal (`SIGKILL` when `None`; names like `SIGHUP` or `HUP`, or numbers).
    pub fn kill(&self, signal: Option<&str>) -> Result<()> {
        self.docker
            .post(self.path("/kill")?)
            .query_opt("signal", signal)
            .send()?
            .drain()
    }

    /// Waits until it stops, and returns its exit code. No timeout applies: a container may
    /// run for as long as it likes. See [`wait_with`](Self::wait_with) for a wait that
    /// another thread can cancel, or that waits for another condition.
    pub fn wait(&self) -> Result<WaitResult> {
        self.wait_with(&WaitOptions::new())?.result()
    }

    /// Starts waiting: returns once the engine has registered the wait (so a container
    /// started after this call cannot be missed), with a handle to cancel it and to take the
    /// result.
    pub fn wait_with(&self, options: &WaitOptions) -> Result<Waiting> {
        let (response, cancel) = self
            .docker
            .post(self.path("/wait")?)
            .query_opt("condition", options.condition.map(WaitCondition::as_str))
            .send_stream()?;
        Ok(Waiting { response, cancel })
    }

    /// Removes it (or, with [`RemoveOptions::link`], the link this handle names).
    pub fn remove(&self, options: &RemoveOptions) -> Result<()> {
        let path = if options.link {
            self.link_path()?
        } else {
            self.path("")?
        };
        self.docker
            .delete(path)
            .flag("force", options.force)
            .flag("v", options.volumes)
            .flag("link", options.link)
            .send()?
            .drain()
    }

    /// The path of a link named `/parent/alias`: two checked segments.
    fn link_path(&self) -> Result<String> {
        let name = self.id.strip_prefix('/').unwrap_or(&self.id);
        match name.split('/').collect::<Vec<_>>()[..] {
            [parent, alias]
                if [parent, alias]
                    .iter()
                    .all(|s| !s.is_empty() && *s != "." && *s != "..") =>
            {
                Ok(format!(
                    "/containers/{}/{}",
                    encode_segment(parent),
                    encode_segment(alias)
                ))
            }
            _ => Err(Error::setting(
                "link name",
                &self.id,
                "a link's name as `/parent/alias`, such as /web/db",
            )),
        }
    }

    /// Pauses every process in it (the cgroup freezer); [`unpause`](Self::unpause) resumes
    /// them.
    pub fn pause(&self) -> Result<()> {
        self.docker.post(self.path("/pause")?).send()?.drain()
    }

    /// Resumes a paused container.
    pub fn unpause(&self) -> Result<()> {
        self.docker.post(self.path("/unpause")?).send()?.drain()
    }

    /// Renames it. This handle keeps the id or name it was made with: after renaming by
    /// name, use `docker.container(new_name)`.
    pub fn rename(&self, new_name: &str) -> Result<()> {
        self.docker
            .post(self.path("/rename")?)
            .query("name", new_name)
            .send()?
            .drain()
    }

    /// Changes its resources or restart policy while it exists (running or not), and
    /// returns the engine's warnings.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, UpdateConfig};
    /// let docker = Docker::from_env()?;
    /// let limits = UpdateConfig::new().memory(512 << 20).memory_swap(-1);
    /// for warning in docker.container("web").update(&limits)? {
    ///     eprintln!("{warning}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn update(&self, config: &UpdateConfig) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Answer {
            #[serde(default, deserialize_with = "null_as_default")]
            warnings: Vec<String>,
        }
        let answer: Answer = self
            .docker
            .post(self.path("/update")?)
            .json(config)
            .send()?
            .json()?;
        Ok(answer.warnings)
    }

    /// The processes running in it, as `ps` lists them (`ps_args` such as `aux`; the
    /// engine's default is `-ef`). It must be running.
    pub fn top(&self, ps_args: Option<&str>) -> Result<ProcessList> {
        self.docker
            .get(self.path("/top")?)
            .query_opt("ps_args", ps_args)
            .send()?
            .json()
    }

    /// The files added, changed or deleted in it since it was created from its image.
    pub fn changes(&self) -> Result<Vec<FilesystemChange>> {
        let changes: Option<Vec<FilesystemChange>> =
            self.docker.get(self.path("/changes")?).send()?.json()?;
        Ok(changes.unwrap_or_default())
    }

    /// One sample of its resource use. The engine takes two readings a second apart, so
    /// that [`Stats::cpu_percent`] can be worked out: this takes about a second or two.
    pub fn stats(&self) -> Result<Stats> {
        self.docker
            .get(self.path("/stats")?)
            .query("stream", "0")
            .send()?
            .json()
    }

    /// Its resource use, a sample about every second. The stream goes on until it is
    /// cancelled through [`JsonStream::cancel_handle`] (or dropped), or the container is
    /// removed: while the container is stopped, the engine keeps sending empty samples
    /// ([`Stats::is_empty`]).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// for sample in docker.container("web").stats_stream()?.take(5) {
    ///     let sample = sample?;
    ///     println!("{:.1}% cpu, {} bytes", sample.cpu_percent().unwrap_or(0.0),
    ///              sample.memory_stats.usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stats_stream(&self) -> Result<JsonStream<Stats>> {
        let response = self
            .docker
            .get(self.path("/stats")?)
            .query("stream", "1")
            .streaming()
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Its whole filesystem as a tar archive, read as it comes (in constant memory). See
    /// [`TarReader`] for its timeouts.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let mut tar = docker.container("web").export()?;
    /// std::io::copy(&mut tar, &mut std::fs::File::create("web.tar")?)?;
    /// # Ok(()) }
    /// ```
    pub fn export(&self) -> Result<TarReader> {
        let response = self.large(self.docker.get(self.path("/export")?))?;
        Ok(TarReader::new(response.into_parts()))
    }

    /// A file or folder of it as a tar archive (`docker cp` from the container), with what
    /// the engine says about the path. Works on stopped containers too. The archive is read
    /// as it comes, in constant memory.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let mut archive = docker.container("web").get_archive("/etc/hostname")?;
    /// println!("{} is {} bytes", archive.stat.name, archive.stat.size);
    /// std::io::copy(&mut archive, &mut std::io::sink())?;
    /// # Ok(()) }
    /// ```
    pub fn get_archive(&self, path: &str) -> Result<Archive> {
        let request = self
            .docker
            .get(self.path("/archive")?)
            .query("path", container_path(path)?);
        let response = self.large(request)?;
        let stat = path_stat_header(&response)?;
        Ok(Archive {
            stat,
            tar: TarReader::new(response.into_parts()),
        })
    }

    /// Unpacks a tar archive into the folder `path` of the container (`docker cp` into the
    /// container), streaming it from `tar` in constant memory. The folder must exist.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dockhand::{Docker, PutArchiveOptions};
    /// let docker = Docker::from_env()?;
    /// let tar = std::fs::File::open("site.tar")?;
    /// docker.container("web").put_archive("/srv", tar, &PutArchiveOptions::new())?;
    /// # Ok(()) }
    /// ```
    pub fn put_archive(
        &self,
        path: &str,
        tar: impl Read + Send + 'static,
        options: &PutArchiveOptions,
    ) -> Result<()> {
        let request = self
            .docker
            .request("PUT", &self.path("/archive")?)
            .query("path", container_path(path)?)
            .flag("noOverwriteDirNonDir", options.no_overwrite_dir_non_dir)
            .flag("copyUIDGID", options.copy_uid_gid)
            .body(tar, "application/x-tar");
        self.large(request)?.drain()
    }

    /// What the engine says about a path in the container, without reading it (a `HEAD`
    /// request). A missing container or path is [`Error::is_not_found`].
    pub fn stat_path(&self, path: &str) -> Result<PathStat> {
        let response = self
            .docker
            .request("HEAD", &self.path("/archive")?)
            .query("path", container_path(path)?)
            .send()
            .map_err(|e| match e {
                // A HEAD answer has no body, so the engine's message is lost: say what a
                // 404 means here.
                Error::Engine {
                    status,
                    message,
                    request,
                } if message.is_empty() => Error::Engine {
                    message: match status {
                        404 => format!("no such container, or no such path in it: {path}"),
                        _ => "(the engine's message is not sent in answer to HEAD)".into(),
                    },
                    status,
                    request,
                },
                e => e,
            })?;
        let stat = path_stat_header(&response)?;
        response.drain()?;
        Ok(stat)
    }

    /// Sets the size of its TTY, in characters (a container made with a TTY, running).
    pub fn resize(&self, height: u32, width: u32) -> Result<()> {
        self.docker
            .post(self.path("/resize")?)
            .query("h", &height.to_string())
            .query("w", &width.to_string())
            .send()?
            .drain()
    }

    /// Sends a large transfer: no whole-request deadline (a big archive may take longer
    /// than `DOCKER_TIMEOUT`), but it fails when no byte comes for that long.
    fn large(&self, request: crate::client::Request) -> Result<Response> {
        request
            .streaming()
            .idle_timeout(Some(self.docker.settings().timeout))
            .send()
    }

    /// Its output: stdout and stderr apart (raw bytes for a TTY container), as a stream that
    /// with `follow` goes on until the container stops.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, LogsOptions};
    /// let docker = Docker::from_env()?;
    /// for chunk in docker.container("web").logs(&LogsOptions::new().follow(true))? {
    ///     let chunk = chunk?;
    ///     print!("{:?}: {}", chunk.stream, String::from_utf8_lossy(&chunk.data));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, options: &LogsOptions) -> Result<OutputStream> {
        let tty = || Ok(self.inspect()?.config.tty.unwrap_or(false));
        read_logs(&self.docker, self.path("/logs")?, options, &tty)
    }
}

/// New limits for a container: the body of [`Container::update`]. Only the fields that are
/// set change. Anything not typed here can go in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
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

/// One sample of a container's resource use (`GET /containers/{id}/stats`). Field names are
/// the engine's; what a cgroup version or platform does not report is zero or empty, and
/// anything not typed here is in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Stats {
    /// When it was read (RFC 3339).
    pub read: String,
    /// When the previous sample was read (RFC 3339; year 1 when there is none).
    pub preread: String,
    /// The container's name, with a leading `/`.
    #[serde(alias = "Name")]
    pub name: String,
    /// The container's id (`id`; `Id` from Podman).
    #[serde(alias = "Id")]
    pub id: String,
    /// Processes (Windows only).
    pub num_procs: u32,
    /// Process counts.
    pub pids_stats: PidsStats,
    /// CPU use now.
    pub cpu_stats: CpuStats,
    /// CPU use at the previous sample.
    pub precpu_stats: CpuStats,
    /// Memory use.
    pub memory_stats: MemoryStats,
    /// Block IO.
    pub blkio_stats: BlkioStats,
    /// Network use per interface (empty without a network).
    #[serde(deserialize_with = "null_as_default")]
    pub networks: HashMap<String, NetworkStats>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Stats {
    /// Whether this is the engine's empty sample for a container that is not running (its
    /// `read` time is the zero time, year 1).
    pub fn is_empty(&self) -> bool {
        self.read.is_empty() || self.read.starts_with("0001-01-01")
    }

    /// CPU use between the previous sample and this one, in percent of one CPU (so up to
    /// `100 × CPUs`), as `docker stats` shows it; `None` without a previous sample.
    pub fn cpu_percent(&self) -> Option<f64> {
        let now = &self.cpu_stats;
        let before = &self.precpu_stats;
        let cpu = now
            .cpu_usage
            .total_usage
            .checked_sub(before.cpu_usage.total_usage)?;
        let system = now
            .system_cpu_usage
            .checked_sub(before.system_cpu_usage)
            .filter(|d| *d > 0)?;
        if before.system_cpu_usage == 0 {
            return None;
        }
        let cpus = match now.online_cpus {
            0 => now.cpu_usage.percpu_usage.len().max(1),
            n => n as usize,
        };
        Some(cpu as f64 / system as f64 * cpus as f64 * 100.0)
    }
}

/// Process counts of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PidsStats {
    /// Processes now.
    pub current: u64,
    /// Its process limit (0 when none is reported).
    pub limit: u64,
}

/// CPU use of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CpuStats {
    /// Its CPU time.
    pub cpu_usage: CpuUsage,
    /// The host's CPU time, in nanoseconds.
    pub system_cpu_usage: u64,
    /// CPUs online.
    pub online_cpus: u32,
    /// Throttling by its CPU limit.
    pub throttling_data: ThrottlingData,
}

/// A container's CPU time, in nanoseconds.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CpuUsage {
    /// In all.
    pub total_usage: u64,
    /// Per CPU (cgroup v1 only).
    #[serde(deserialize_with = "null_as_default")]
    pub percpu_usage: Vec<u64>,
    /// In the kernel.
    pub usage_in_kernelmode: u64,
    /// In user space.
    pub usage_in_usermode: u64,
}

/// How much a container's CPU limit held it back.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ThrottlingData {
    /// Periods.
    pub periods: u64,
    /// Periods in which it was throttled.
    pub throttled_periods: u64,
    /// Time throttled, in nanoseconds.
    pub throttled_time: u64,
}

/// Memory use of a container, in bytes.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemoryStats {
    /// In use now, page cache included.
    pub usage: u64,
    /// The most ever used (cgroup v1 only).
    pub max_usage: u64,
    /// Its limit (the host's memory when it has none).
    pub limit: u64,
    /// Times the limit was hit (cgroup v1 only).
    pub failcnt: u64,
    /// The cgroup's own counters, such as `cache`, `rss`, `inactive_file`.
    #[serde(deserialize_with = "null_as_default")]
    pub stats: HashMap<String, u64>,
}

impl MemoryStats {
    /// Use without the inactive page cache, as `docker stats` shows it.
    pub fn usage_without_cache(&self) -> u64 {
        let cache = self
            .stats
            .get("total_inactive_file")
            .or_else(|| self.stats.get("inactive_file"))
            .copied()
            .unwrap_or(0);
        self.usage.saturating_sub(cache)
    }
}

/// Block IO of a container: one entry per device and operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BlkioStats {
    /// Bytes read and written.
    #[serde(deserialize_with = "null_as_default")]
    pub io_service_bytes_recursive: Vec<BlkioStatEntry>,
    /// Operations done.
    #[serde(deserialize_with = "null_as_default")]
    pub io_serviced_recursive: Vec<BlkioStatEntry>,
    /// Every other counter.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// One block IO counter.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BlkioStatEntry {
    /// The device's major number.
    pub major: u64,
    /// The device's minor number.
    pub minor: u64,
    /// The operation, such as `Read` or `Write`.
    pub op: String,
    /// The count.
    pub value: u64,
}

/// Network use of one interface of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct NetworkStats {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Packets dropped on receipt.
    pub rx_dropped: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Send errors.
    pub tx_errors: u64,
    /// Packets dropped on sending.
    pub tx_dropped: u64,
}

/// What the engine says about a path in a container: the decoded
/// `X-Docker-Container-Path-Stat` header of [`Container::stat_path`] and
/// [`Container::get_archive`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PathStat {
    /// Its last component, such as `passwd`.
    pub name: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its mode, as Go's `os.FileMode`: permission bits, plus bit 31 for a folder, bit 27
    /// for a symbolic link, and so on (see [`is_dir`](Self::is_dir)).
    pub mode: u32,
    /// When it was last changed (RFC 3339).
    pub mtime: String,
    /// What a symbolic link points to (empty otherwise).
    #[serde(rename = "linkTarget")]
    pub link_target: String,
}

impl PathStat {
    /// Whether it is a folder.
    pub fn is_dir(&self) -> bool {
        self.mode & (1 << 31) != 0
    }

    /// Whether it is a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.mode & (1 << 27) != 0
    }

    /// Its permission bits, such as `0o644`.
    pub fn permissions(&self) -> u32 {
        self.mode & 0o777
    }
}

/// Decodes the path-stat header of an archive answer.
fn path_stat_header(response: &Response) -> Result<PathStat> {
    const HEADER: &str = "X-Docker-Container-Path-Stat";
    let context = || format!("the {HEADER} header of {}", response.context());
    let encoded = response
        .header(HEADER)
        .ok_or_else(|| Error::decode(context(), "the engine sent none"))?;
    let json = base64::decode(encoded.trim())
        .ok_or_else(|| Error::decode(context(), format!("not base64: {encoded:?}")))?;
    serde_json::from_slice(&json).map_err(|e| Error::decode(context(), e))
}

/// Checks a path in a container before it goes in a query.
fn container_path(path: &str) -> Result<&str> {
    if path.is_empty() {
        return Err(Error::setting(
            "container path",
            path,
            "a path in the container, such as /etc/hostname",
        ));
    }
    Ok(path)
}

/// A tar archive from the engine ([`Container::export`], [`Container::get_archive`]), read
/// as it arrives: in constant memory, whatever its size.
///
/// Reading has no overall deadline (a large archive may take longer than
/// `DOCKER_TIMEOUT`), but fails when no byte comes for `DOCKER_TIMEOUT`. A failed read is
/// an `io::Error` that carries the [`Error`](crate::Error) (get it with
/// `io::Error::into_inner` and `downcast`). Another thread can stop the transfer with
/// [`cancel_handle`](Self::cancel_handle); reads then fail rather than end, so a cut
/// archive is never taken for a whole one.
pub struct TarReader {
    body: ureq::BodyReader<'static>,
    parts: BodyParts,
}

impl fmt::Debug for TarReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TarReader")
            .field("request", &self.parts.failure.context())
            .finish()
    }
}

impl TarReader {
    fn new(mut parts: BodyParts) -> Self {
        TarReader {
            body: parts.take_body(),
            parts,
        }
    }

    /// A handle that stops the transfer from another thread.
    pub fn cancel_handle(&self) -> Option<CancelHandle> {
        self.parts.cancel.clone()
    }
}

impl Read for TarReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.body.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let kind = e.kind();
                let error = self
                    .parts
                    .read_error(e)
                    .unwrap_or_else(|| Error::Cancelled {
                        context: self.parts.failure.context().to_string(),
                    });
                let kind = match &error {
                    Error::Timeout { .. } => io::ErrorKind::TimedOut,
                    Error::Cancelled { .. } => io::ErrorKind::Other,
                    _ => kind,
                };
                Err(io::Error::new(kind, error))
            }
        }
    }
}

/// A file or folder of a container as a tar archive, with what the engine says about it:
/// see [`Container::get_archive`]. Reading it reads [`tar`](Self::tar).
#[derive(Debug)]
#[non_exhaustive]
pub struct Archive {
    /// The path's name, size, mode, time and link target.
    pub stat: PathStat,
    /// The archive.
    pub tar: TarReader,
}

impl Read for Archive {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tar.read(buf)
    }
}

/// Options for [`Container::put_archive`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PutArchiveOptions {
    no_overwrite_dir_non_dir: bool,
    copy_uid_gid: bool,
}

impl PutArchiveOptions {
    /// Unpack over what is there.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fail rather than replace a folder with a file or a file with a folder.
    pub fn no_overwrite_dir_non_dir(mut self, on: bool) -> Self {
        self.no_overwrite_dir_non_dir = on;
        self
    }

    /// Give the files the container user's owner and group, not the archive's (API 1.41).
    pub fn copy_uid_gid(mut self, on: bool) -> Self {
        self.copy_uid_gid = on;
        self
    }
}

/// Filters for [`Containers::prune`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneContainersOptions {
    filters: Filters,
}

impl PruneContainersOptions {
    /// No filters: every stopped container.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter: `label` (`key` or `key=value`), `label!`, `until`. Several values
    /// for one key must all match (labels) or any (others), as the engine decides.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// What [`Containers::prune`] removed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainersPruned {
    /// The ids of the removed containers.
    #[serde(deserialize_with = "null_as_default")]
    pub containers_deleted: Vec<String>,
    /// Bytes freed.
    pub space_reclaimed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_path_stat_header_decodes() {
        // As the engine sent it for /etc/passwd.
        let header = "eyJuYW1lIjoicGFzc3dkIiwic2l6ZSI6ODIsIm1vZGUiOjQyMCwibXRpbWUiOiIyMDI2LTExLTI0\
                      VDIzOjIyOjQ5WiIsImxpbmtUYXJnZXQiOiIifQ==";
        let stat: PathStat = serde_json::from_slice(&base64::decode(header).unwrap()).unwrap();
        assert_eq!(stat.name, "passwd");
        assert_eq!(stat.size, 82);
        assert_eq!(stat.permissions(), 0o644);
        assert!(!stat.is_dir() && !stat.is_symlink());
        let dir: PathStat =
            serde_json::from_str(r#"{"name":"etc","size":4096,"mode":2147484141}"#).unwrap();
        assert!(dir.is_dir());
        assert_eq!(dir.permissions(), 0o755);
    }

    #[test]
    fn configs_send_only_what_is_set_with_the_apis_names() {
        let config = ContainerConfig::new("busybox")
            .expose("80")
            .healthcheck(HealthConfig::shell("true").interval(Duration::from_secs(2)))
            .network("backend", EndpointSettings::default().alias("db"))
            .host_config(
                HostConfig::new()
                    .publish("80", PortBinding::new("127.0.0.1", ""))
                    .mount(Mount::tmpfs("/scratch").read_only(true))
                    .restart_policy(RestartPolicy::on_failure(2))
                    .log_config(LogConfig::new("json-file").option("max-size", "1m")),
            );
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(json["ExposedPorts"], serde_json::json!({"80/tcp": {}}));
        assert_eq!(
            json["Healthcheck"],
            serde_json::json!({"Test": ["CMD-SHELL", "true"], "Interval": 2_000_000_000i64})
        );
        assert_eq!(
            json["NetworkingConfig"],
            serde_json::json!({"EndpointsConfig": {"backend": {"Aliases": ["db"]}}})
        );
        let host = &json["HostConfig"];
        assert_eq!(
            host["PortBindings"],
            serde_json::json!({"80/tcp": [{"HostIp": "127.0.0.1"}]})
        );
        assert_eq!(
            host["Mounts"],
            serde_json::json!([{"Target": "/scratch", "Type": "tmpfs", "ReadOnly": true}])
        );
        assert_eq!(
            host["RestartPolicy"],
            serde_json::json!({"Name": "on-failure", "MaximumRetryCount": 2})
        );
        assert_eq!(
            host["LogConfig"],
            serde_json::json!({"Type": "json-file", "Config": {"max-size": "1m"}})
        );
        assert!(host.get("Memory").is_none() && json.get("Tty").is_none());
    }

    #[test]
    fn inspect_answers_with_nulls_decode() {
        let inspect: ContainerInspect = serde_json::from_value(serde_json::json!({
            "Id": "abc",
            "Mounts": null,
            "HostConfig": {"Binds": null, "PortBindings": {}, "CapAdd": null,
                           "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                           "LogConfig": {"Type": "json-file", "Config": {}}},
            "NetworkSettings": {"Ports": {"80/tcp": null, "81/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49153"}]},
                                "Networks": {"bridge": {"IPAMConfig": null, "Links": null, "Aliases": null,
                                                        "IPAddress": "172.17.0.2", "DriverOpts": null}}}
        }))
        .unwrap();
        assert!(inspect.mounts.is_empty());
        let ports = &inspect.network_settings.ports;
        assert_eq!(ports["80/tcp"], None);
        assert_eq!(ports["81/tcp"].as_ref().unwrap()[0].host_port, "49153");
        let bridge = &inspect.network_settings.networks["bridge"];
        assert_eq!(bridge.ip_address, "172.17.0.2");
        assert!(bridge.aliases.is_empty());
        assert_eq!(
            inspect.host_config.restart_policy,
            Some(RestartPolicy::no())
        );
    }

    #[test]
    fn change_kinds_and_cpu_percent() {
        let changes: Vec<FilesystemChange> = serde_json::from_str(
            r#"[{"Path":"/a","Kind":0},{"Path":"/b","Kind":1},{"Path":"/c","Kind":2},{"Path":"/d","Kind":9}]"#,
        )
        .unwrap();
        let kinds: String = changes.iter().map(|c| c.kind.letter()).collect();
        assert_eq!(kinds, "CAD?");
        let stats: Stats = serde_json::from_value(serde_json::json!({
            "cpu_stats": {"cpu_usage": {"total_usage": 300}, "system_cpu_usage": 2000, "online_cpus": 2},
            "precpu_stats": {"cpu_usage": {"total_usage": 100}, "system_cpu_usage": 1000},
            "blkio_stats": {"io_service_bytes_recursive": null},
            "storage_stats": {}
        }))
        .unwrap();
        assert_eq!(stats.cpu_percent(), Some(40.0));
        assert!(stats.extra.contains_key("storage_stats"));
        assert_eq!(Stats::default().cpu_percent(), None);
    }

    #[test]
    fn link_names_must_be_parent_and_alias() {
        let docker = Docker::connect("unix:///nowhere.sock").unwrap();
        let path = |id: &str| docker.container(id).link_path();
        assert_eq!(path("/web/db").unwrap(), "/containers/web/db");
        assert_eq!(path("web/d b").unwrap(), "/containers/web/d%20b");
        for bad in ["/web", "/a/b/c", "/../db", "//db", "/web/.."] {
            assert!(path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn network_addresses_are_found_with_or_without_the_top_level_fields() {
        // API 1.51: the top-level fields describe the default bridge.
        let legacy: NetworkSettings = serde_json::from_str(
            r#"{"Bridge":"","SandboxID":"s1","IPAddress":"172.17.0.2","Gateway":"172.17.0.1",
                "MacAddress":"02:42:ac:11:00:02","Ports":{"80/tcp":null},
                "Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1",
                  "MacAddress":"02:42:ac:11:00:02","IPPrefixLen":16}}}"#,
        )
        .unwrap();
        // API 1.52: they are gone.
        let current: NetworkSettings = serde_json::from_str(
            r#"{"SandboxID":"s1","SandboxKey":"/var/run/docker/netns/s1","Ports":{},
                "Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1",
                  "MacAddress":"02:42:ac:11:00:02","IPPrefixLen":16,"DNSNames":null}}}"#,
        )
        .unwrap();
        for settings in [&legacy, &current] {
            assert_eq!(settings.ipv4(), Some("172.17.0.2"));
            assert_eq!(settings.ipv4_gateway(), Some("172.17.0.1"));
            assert_eq!(settings.mac(), Some("02:42:ac:11:00:02"));
            assert_eq!(settings.primary_network().unwrap().0, "bridge");
        }
        assert_eq!(current.ip_address, "");

        let elsewhere: NetworkSettings = serde_json::from_str(
            r#"{"Networks":{"b-net":{"IPAddress":"10.0.1.5"},"a-net":{"IPAddress":""}}}"#,
        )
        .unwrap();
        assert_eq!(elsewhere.primary_network().unwrap().0, "b-net");
        assert_eq!(elsewhere.ipv4(), Some("10.0.1.5"));
        assert_eq!(elsewhere.ipv4_gateway(), None);
        let none: NetworkSettings = serde_json::from_str(r#"{"Networks":{}}"#).unwrap();
        assert_eq!((none.ipv4(), none.primary_network()), (None, None));
    }

    #[test]
    fn stats_read_the_container_id_as_any_engine_spells_it() {
        let docker: Stats =
            serde_json::from_str(r#"{"name":"/web","id":"c1","read":"2025-01-01T00:00:00Z"}"#)
                .unwrap();
        let podman: Stats =
            serde_json::from_str(r#"{"name":"web","Id":"c1","read":"2025-01-01T00:00:00Z"}"#)
                .unwrap();
        assert_eq!((docker.id.as_str(), docker.name.as_str()), ("c1", "/web"));
        assert_eq!((podman.id.as_str(), podman.name.as_str()), ("c1", "web"));
        let newer: Stats = serde_json::from_str(r#"{"id":"c1","os_type":"linux"}"#).unwrap();
        assert_eq!(newer.extra["os_type"], "linux");
    }
}
