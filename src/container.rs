//! Containers: list, create, inspect, start, stop, restart, kill, wait, remove, logs.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

use crate::client::{encode_segment, object_id, CancelHandle, Docker, Response};
use crate::error::{Error, Result};
use crate::settings::ApiVersion;
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
    filters: BTreeMap<String, Vec<String>>,
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
        self.filters
            .entry(key.to_string())
            .or_default()
            .push(value.to_string());
        self
    }
}

/// Filters as the engine takes them: a JSON map of lists.
pub(crate) fn filters_json(filters: &BTreeMap<String, Vec<String>>) -> Option<String> {
    (!filters.is_empty()).then(|| serde_json::to_string(filters).unwrap_or_default())
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

/// What a container is made from: the body of `POST /containers/create`. Field names are the
/// Engine API's, so its reference documents them; anything not typed here can go in
/// [`extra`](Self::extra).
///
/// ```
/// use dockhand::ContainerConfig;
/// let config = ContainerConfig::new("busybox")
///     .cmd(["echo", "hello"])
///     .env("GREETING", "hi")
///     .label("app", "demo");
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerConfig {
    /// The image to run.
    pub image: String,
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
    /// How the host runs it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_config: Option<HostConfig>,
    /// Any other field of the Engine API's container config, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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

    /// Sets how the host runs it.
    pub fn host_config(mut self, host_config: HostConfig) -> Self {
        self.host_config = Some(host_config);
        self
    }
}

/// How the host runs a container (`HostConfig` in the Engine API). Anything not typed here
/// can go in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HostConfig {
    /// Volume bindings, as `host-path:container-path[:ro]` or `volume:path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binds: Option<Vec<String>>,
    /// `bridge`, `host`, `none`, or a network's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    /// Remove the container when it exits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_remove: Option<bool>,
    /// Memory limit in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Run an init process as PID 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<bool>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
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
}

/// What to read with [`Container::logs`].
#[derive(Clone, Debug)]
#[must_use]
pub struct LogsOptions {
    stdout: bool,
    stderr: bool,
    follow: bool,
    timestamps: bool,
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

    /// Only what was logged at or after this time (seconds since the epoch).
    pub fn since(mut self, unix_seconds: i64) -> Self {
        self.since = Some(unix_seconds);
        self
    }

    /// Only what was logged before this time (seconds since the epoch).
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
            .query_opt("filters", filters_json(&options.filters))
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

    /// Removes it.
    pub fn remove(&self, options: &RemoveOptions) -> Result<()> {
        self.docker
            .delete(self.path("")?)
            .flag("force", options.force)
            .flag("v", options.volumes)
            .send()?
            .drain()
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
        // Before API 1.42 only the container's TTY setting tells the framing: ask first, so
        // that a container removed meanwhile fails here and not under an open stream.
        let known = if self.docker.api_version()? < ApiVersion::new(1, 42) {
            Some(self.framing_from_tty()?)
        } else {
            None
        };
        let response = self
            .docker
            .get(self.path("/logs")?)
            .flag("stdout", options.stdout)
            .flag("stderr", options.stderr)
            .flag("follow", options.follow)
            .flag("timestamps", options.timestamps)
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
                None => self.framing_from_tty()?,
            },
        };
        Ok(OutputStream::new(response.into_parts(), framing))
    }

    fn framing_from_tty(&self) -> Result<Framing> {
        let tty = self.inspect()?.config.tty.unwrap_or(false);
        Ok(if tty {
            Framing::Raw
        } else {
            Framing::Multiplexed
        })
    }
}
