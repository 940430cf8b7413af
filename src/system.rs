//! The engine itself: ping, version, info, events.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::Deserialize;

use crate::client::Docker;
use crate::container::filters_json;
use crate::error::Result;
use crate::jsonlines::JsonStream;

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

/// Something that happened on the engine: a container started, an image was pulled, a
/// network was connected, ...
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Event {
    /// What kind of object: `container`, `image`, `network`, `volume`, `daemon`, `service`,
    /// `node`, `secret`, `config`, `plugin`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// What happened: `create`, `start`, `die`, `destroy`, `pull`, `connect`, ...
    #[serde(rename = "Action")]
    pub action: String,
    /// The object it happened to.
    #[serde(rename = "Actor")]
    pub actor: Actor,
    /// `local` or `swarm`.
    pub scope: String,
    /// When, in seconds since the epoch.
    pub time: i64,
    /// When, in nanoseconds since the epoch.
    #[serde(rename = "timeNano")]
    pub time_nano: i64,
}

/// The object an [`Event`] is about.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Actor {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its attributes: the name, the image, labels, the exit code of a `die`, ...
    pub attributes: HashMap<String, String>,
}

/// What [`Docker::events`] reports.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct EventsOptions {
    since: Option<String>,
    until: Option<String>,
    filters: BTreeMap<String, Vec<String>>,
    idle_timeout: Option<Duration>,
}

impl EventsOptions {
    /// Every event from now on, until the stream is cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Start with events since this time: seconds since the epoch (`"1700000000"`, with an
    /// optional fraction) or an RFC 3339 date.
    pub fn since(mut self, time: &str) -> Self {
        self.since = Some(time.to_string());
        self
    }

    /// End the stream at this time (same forms as `since`): with `until` in the past, the
    /// stream replays what happened and ends.
    pub fn until(mut self, time: &str) -> Self {
        self.until = Some(time.to_string());
        self
    }

    /// Adds a filter, as `docker events --filter key=value`: `type`, `event`, `container`,
    /// `image`, `label`, `network`, `volume`, `daemon`, ... Several values for one key
    /// match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters
            .entry(key.to_string())
            .or_default()
            .push(value.to_string());
        self
    }

    /// Fail when no event arrives for this long (off by default: a quiet engine is fine).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
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

    /// The engine's events as they happen: a stream without a deadline that runs until
    /// `until` passes or it is cancelled.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, EventsOptions};
    /// let docker = Docker::from_env()?;
    /// let events = docker.events(&EventsOptions::new().filter("type", "container"))?;
    /// for event in events {
    ///     let event = event?;
    ///     println!("{} {} {}", event.kind, event.action, event.actor.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(&self, options: &EventsOptions) -> Result<JsonStream<Event>> {
        let response = self
            .get("/events".into())
            .query_opt("since", options.since.as_deref())
            .query_opt("until", options.until.as_deref())
            .query_opt("filters", filters_json(&options.filters))
            .streaming()
            .idle_timeout(options.idle_timeout)
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }
}
