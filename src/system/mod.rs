//! The engine itself: ping, version, info, events, disk usage.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::client::{Docker, Response};
use crate::container::ContainerStatus;
use crate::error::{Error, Result};
use crate::json::{null_as_default, Filters};
use crate::settings::ApiVersion;
use crate::stream::JsonStream;
use crate::volume::VolumeInspect;

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
    /// The engine's part in a swarm (`Swarm` header, API 1.42 and later): `inactive`,
    /// `pending`, `error`, `locked`, `active/worker` or `active/manager`.
    pub swarm: Option<String>,
}

impl Ping {
    fn from_headers(response: &Response) -> Ping {
        let header = |name: &str| response.header(name).map(str::to_string);
        Ping {
            api_version: header("API-Version"),
            os_type: header("OSType"),
            experimental: header("Docker-Experimental").as_deref() == Some("true"),
            builder_version: header("Builder-Version"),
            swarm: header("Swarm"),
        }
    }
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
    #[serde(deserialize_with = "null_as_default")]
    pub labels: Vec<String>,
    /// The cgroup driver, such as `systemd`.
    pub cgroup_driver: String,
    /// Whether the engine is in a swarm, and its part in it.
    pub swarm: SwarmInfo,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// Something that happened on the engine: a container started, an image was pulled, a
/// network was connected, ...
///
/// Engines before API 1.52 also send the legacy `status`, `id` and `from` of container and
/// image events; newer ones do not. [`status`](Self::status), [`id`](Self::id) and
/// [`from`](Self::from) give the same answers with or without them.
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
    /// Every other field, such as the legacy `status`, `id` and `from`.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Event {
    fn legacy(&self, key: &str) -> Option<&str> {
        self.extra
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// What happened, as the legacy `status` said it: the `status` when the engine sent
    /// one, else the [`action`](Self::action) (which it always equalled).
    pub fn status(&self) -> &str {
        self.legacy("status").unwrap_or(&self.action)
    }

    /// The id of the object it happened to: the legacy `id` when the engine sent one, else
    /// the [`actor`](Self::actor)'s id.
    pub fn id(&self) -> &str {
        self.legacy("id").unwrap_or(&self.actor.id)
    }

    /// For a container event, the container's image (the legacy `from`, else the actor's
    /// `image` attribute); `None` for other events.
    pub fn from(&self) -> Option<&str> {
        self.legacy("from").or_else(|| {
            (self.kind == "container")
                .then(|| self.actor.attributes.get("image"))
                .flatten()
                .map(String::as_str)
        })
    }
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
    #[serde(deserialize_with = "null_as_default")]
    pub attributes: HashMap<String, String>,
}

/// What [`Docker::events`] reports.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct EventsOptions {
    since: Option<String>,
    until: Option<String>,
    filters: Filters,
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
        self.filters.add(key, value);
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
        let ping = Ping::from_headers(&response);
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
            .query_opt("filters", options.filters.to_query())
            .streaming()
            .idle_timeout(options.idle_timeout)
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }
}

/// A node's part in a swarm, as [`Info::swarm`] reports it. Unknown states are kept, not
/// refused, so a newer engine does not break this client.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LocalNodeState {
    /// Not in a swarm.
    Inactive,
    /// Joining a swarm.
    Pending,
    /// In a swarm.
    Active,
    /// Its swarm failed; see [`SwarmInfo::error`].
    Error,
    /// In a swarm whose keys are locked: `docker swarm unlock` is needed.
    Locked,
    /// A state this version of dockhand does not know.
    Other(String),
}

impl LocalNodeState {
    /// The engine's name for it.
    pub fn as_str(&self) -> &str {
        match self {
            LocalNodeState::Inactive => "inactive",
            LocalNodeState::Pending => "pending",
            LocalNodeState::Active => "active",
            LocalNodeState::Error => "error",
            LocalNodeState::Locked => "locked",
            LocalNodeState::Other(s) => s,
        }
    }
}

impl From<&str> for LocalNodeState {
    fn from(s: &str) -> Self {
        match s {
            "inactive" => LocalNodeState::Inactive,
            "pending" => LocalNodeState::Pending,
            "active" => LocalNodeState::Active,
            "error" => LocalNodeState::Error,
            "locked" => LocalNodeState::Locked,
            other => LocalNodeState::Other(other.to_string()),
        }
    }
}

impl fmt::Display for LocalNodeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Default for LocalNodeState {
    fn default() -> Self {
        LocalNodeState::Other(String::new())
    }
}

impl<'de> Deserialize<'de> for LocalNodeState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(LocalNodeState::from(s.as_str()))
    }
}

/// The swarm part of [`Info`]: whether the engine is in a swarm, and as what.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmInfo {
    /// This node's id in the swarm (empty when not in one).
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// The address other nodes reach this one at.
    pub node_addr: String,
    /// Whether it is in a swarm.
    pub local_node_state: LocalNodeState,
    /// Whether it is a manager (and can answer the swarm's API).
    pub control_available: bool,
    /// What went wrong, in the `error` state.
    pub error: String,
    /// The managers this node knows.
    #[serde(deserialize_with = "null_as_default")]
    pub remote_managers: Vec<PeerNode>,
    /// How many nodes the swarm has (managers only).
    pub nodes: Option<u64>,
    /// How many managers the swarm has (managers only).
    pub managers: Option<u64>,
    /// The swarm itself (managers only).
    pub cluster: Option<ClusterInfo>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A manager of a swarm, as another node knows it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PeerNode {
    /// Its node id.
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// Its address.
    pub addr: String,
}

/// A swarm, as its managers report it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ClusterInfo {
    /// The swarm's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record, for updates.
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
    /// Its settings.
    pub spec: SwarmSpec,
    /// Whether its root CA is being changed.
    pub root_rotation_in_progress: bool,
    /// The port of its data path (VXLAN).
    pub data_path_port: u32,
    /// The address pools its networks are cut from, in CIDR form.
    #[serde(deserialize_with = "null_as_default")]
    pub default_addr_pool: Vec<String>,
    /// The size of the subnets cut from those pools.
    pub subnet_size: u32,
    /// Every other field (`TLSInfo`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// The version of a swarm object's record: an update names the version it changes, so that
/// two updates cannot overwrite each other unseen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ObjectVersion {
    /// The version number.
    pub index: u64,
}

/// A swarm's settings. Its name and labels are typed; the rest (`Orchestration`, `Raft`,
/// `Dispatcher`, `CAConfig`, `EncryptionConfig`, `TaskDefaults`) are in
/// [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmSpec {
    /// Its name (`default`).
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// How much disk the engine uses, by kind of object: `GET /system/df`, as
/// `docker system df -v`.
///
/// Engines speaking API 1.52 and newer answer with a summary per kind
/// ([`image_usage`](Self::image_usage), ...), and from API 1.53 without the lists
/// (`LayersSize`, `Images`, `Containers`, `Volumes`, `BuildCache`) of older ones;
/// [`Docker::df`] asks those engines for the summaries with their items and fills the
/// lists from them, so the lists read the same on every engine.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DiskUsage {
    /// The size of all image layers, in bytes (shared layers counted once).
    pub layers_size: i64,
    /// The images.
    #[serde(deserialize_with = "null_as_default")]
    pub images: Vec<ImageDiskUsage>,
    /// The containers.
    #[serde(deserialize_with = "null_as_default")]
    pub containers: Vec<ContainerDiskUsage>,
    /// The volumes, each with its [`usage_data`](VolumeInspect::usage_data).
    #[serde(deserialize_with = "null_as_default")]
    pub volumes: Vec<VolumeInspect>,
    /// The build cache's records.
    #[serde(deserialize_with = "null_as_default")]
    pub build_cache: Vec<BuildCacheDiskUsage>,
    /// The images in sum (API 1.52+).
    pub image_usage: Option<DiskUsageSummary<ImageDiskUsage>>,
    /// The containers in sum (API 1.52+).
    pub container_usage: Option<DiskUsageSummary<ContainerDiskUsage>>,
    /// The volumes in sum (API 1.52+).
    pub volume_usage: Option<DiskUsageSummary<VolumeInspect>>,
    /// The build cache in sum (API 1.52+).
    pub build_cache_usage: Option<DiskUsageSummary<BuildCacheDiskUsage>>,
    /// Every other field (`BuilderSize`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl DiskUsage {
    /// Fills the lists of older APIs from the summaries of newer ones, where the engine
    /// left them out.
    fn fill_legacy_lists(&mut self) {
        fn fill<T: Clone>(list: &mut Vec<T>, summary: Option<&DiskUsageSummary<T>>) {
            if let Some(summary) = summary.filter(|_| list.is_empty()) {
                list.clone_from(&summary.items);
            }
        }
        fill(&mut self.images, self.image_usage.as_ref());
        fill(&mut self.containers, self.container_usage.as_ref());
        fill(&mut self.volumes, self.volume_usage.as_ref());
        fill(&mut self.build_cache, self.build_cache_usage.as_ref());
        if self.layers_size == 0 {
            if let Some(images) = &self.image_usage {
                self.layers_size = images.total_size;
            }
        }
    }
}

/// One kind of object in [`DiskUsage`], in sum (API 1.52+): how many, how big, how much a
/// prune would free, and the objects themselves when asked for (as [`Docker::df`] does).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    default,
    bound(deserialize = "T: Deserialize<'de> + Default")
)]
#[non_exhaustive]
pub struct DiskUsageSummary<T> {
    /// How many are in use.
    pub active_count: i64,
    /// How many there are.
    pub total_count: i64,
    /// Their size in bytes.
    pub total_size: i64,
    /// The bytes a prune would free.
    pub reclaimable: i64,
    /// The objects (verbose answers only).
    #[serde(deserialize_with = "null_as_default")]
    pub items: Vec<T>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// An image in [`DiskUsage`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageDiskUsage {
    /// Its id (`sha256:...`).
    pub id: String,
    /// Its parent's id (empty when none).
    pub parent_id: String,
    /// Its tags.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_tags: Vec<String>,
    /// Its digests in registries.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_digests: Vec<String>,
    /// When it was created (seconds since the epoch).
    pub created: i64,
    /// Its size in bytes, with its parents' layers.
    pub size: i64,
    /// The bytes it shares with other images; -1 when not computed.
    pub shared_size: i64,
    /// Its size with its parents' layers (older engines).
    pub virtual_size: i64,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// How many containers use it; -1 when not computed.
    pub containers: i64,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A container in [`DiskUsage`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ContainerDiskUsage {
    /// Its full id.
    pub id: String,
    /// Its names, each with a leading `/`.
    #[serde(deserialize_with = "null_as_default")]
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
    /// Its status in words, such as `Exited (0) 5 minutes ago`.
    pub status: String,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// The size of its writable layer, in bytes.
    pub size_rw: Option<i64>,
    /// The size of all its files, in bytes.
    pub size_root_fs: Option<i64>,
    /// Every other field (`Mounts`, `Ports`, `NetworkSettings`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A build cache record in [`DiskUsage`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCacheDiskUsage {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its parent's id (empty when none; newer engines send `Parents`, in `extra`).
    pub parent: String,
    /// `internal`, `frontend`, `source.local`, `source.git.checkout`, `exec.cachemount`,
    /// `regular`, ...
    #[serde(rename = "Type")]
    pub kind: String,
    /// What it holds, in words.
    pub description: String,
    /// Whether a build is using it.
    pub in_use: bool,
    /// Whether it is shared with other records.
    pub shared: bool,
    /// Its size in bytes.
    pub size: i64,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was last used (RFC 3339; empty when never).
    #[serde(deserialize_with = "null_as_default")]
    pub last_used_at: String,
    /// How many times it was used.
    pub usage_count: i64,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Docker {
    /// How much disk the engine uses: images, containers, volumes and build cache, with
    /// their sizes (`docker system df -v`). The engine computes the sizes on each call,
    /// which can take a while on a busy host.
    ///
    /// Engines speaking API 1.52 or newer are asked for the verbose answer (`verbose=1`),
    /// whose summaries carry the objects; the lists of [`DiskUsage`] are filled from them.
    pub fn df(&self) -> Result<DiskUsage> {
        let verbose = self.api_version()? >= ApiVersion::new(1, 52);
        let mut usage: DiskUsage = self
            .get("/system/df".into())
            .query_opt("verbose", verbose.then_some("1"))
            .send()?
            .json()?;
        usage.fill_legacy_lists();
        Ok(usage)
    }

    /// The cheapest liveness check: `HEAD /_ping` (unversioned), which the engine answers
    /// with the headers of [`ping`](Self::ping) and no body.
    pub fn ping_head(&self) -> Result<Ping> {
        let response = self.request("HEAD", "/_ping").unversioned().send()?;
        let ping = Ping::from_headers(&response);
        response.drain()?;
        Ok(ping)
    }

    /// Deletes build cache (`docker builder prune`): unused records not shared with
    /// others, or every unused one with [`all`](PruneBuildCacheOptions::all), among
    /// those the filters select, until the limits are met.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, PruneBuildCacheOptions};
    /// let docker = Docker::from_env()?;
    /// let pruned = docker.prune_build_cache(&PruneBuildCacheOptions::new().filter("until", "24h"))?;
    /// println!("{} records, {} bytes", pruned.caches_deleted.len(), pruned.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune_build_cache(&self, options: &PruneBuildCacheOptions) -> Result<BuildCachePruned> {
        let version = self.api_version()?;
        let new_limits = version >= ApiVersion::new(1, 48);
        for (name, value) in [
            ("max_used_space", options.max_used_space),
            ("min_free_space", options.min_free_space),
        ] {
            if let (Some(bytes), false) = (value, new_limits) {
                return Err(Error::setting(
                    &format!("PruneBuildCacheOptions::{name}"),
                    &bytes.to_string(),
                    format!(
                        "an engine speaking API 1.48 or newer (Docker 28): this one speaks \
                         {version}, and would ignore it"
                    ),
                ));
            }
        }
        // API 1.48 renamed keep-storage to reserved-space; 1.52 dropped the old name.
        let reserved = if new_limits {
            "reserved-space"
        } else {
            "keep-storage"
        };
        self.post("/build/prune".into())
            .query_opt(reserved, options.reserved_space)
            .query_opt("max-used-space", options.max_used_space)
            .query_opt("min-free-space", options.min_free_space)
            .flag("all", options.all)
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }
}

/// What [`Docker::prune_build_cache`] deletes.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneBuildCacheOptions {
    all: bool,
    reserved_space: Option<u64>,
    max_used_space: Option<u64>,
    min_free_space: Option<u64>,
    filters: Filters,
}

impl PruneBuildCacheOptions {
    /// Every unused record that is not shared, whatever the cache's size.
    pub fn new() -> Self {
        Self::default()
    }

    /// Shared records too (internal and frontend ones as well), not only private ones.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Keep at least this many bytes of cache (`--reserved-space`, formerly
    /// `--keep-storage`; sent under the name the engine's API version knows).
    pub fn reserved_space(mut self, bytes: u64) -> Self {
        self.reserved_space = Some(bytes);
        self
    }

    /// Delete until the cache uses at most this many bytes (API 1.48 and later: an
    /// older engine would ignore it, so the call fails before anything is sent).
    pub fn max_used_space(mut self, bytes: u64) -> Self {
        self.max_used_space = Some(bytes);
        self
    }

    /// Delete until the disk has at least this many bytes free (API 1.48 and later, as
    /// [`max_used_space`](Self::max_used_space)).
    pub fn min_free_space(mut self, bytes: u64) -> Self {
        self.min_free_space = Some(bytes);
        self
    }

    /// Adds a filter, as `docker builder prune --filter key=value`: `until` (a time or a
    /// duration such as `24h`), `id`, `parent`, `type`, `description`, `inuse`, `shared`,
    /// `private`.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// What a build cache prune deleted.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct BuildCachePruned {
    /// The ids of the records deleted.
    #[serde(deserialize_with = "null_as_default")]
    pub caches_deleted: Vec<String>,
    /// The disk space freed, in bytes.
    pub space_reclaimed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swarm_states_are_typed_and_unknown_ones_kept() {
        let info: Info = serde_json::from_str(
            r#"{"ID":"x","Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive",
                "ControlAvailable":false,"Error":"","RemoteManagers":null}}"#,
        )
        .unwrap();
        assert_eq!(info.swarm.local_node_state, LocalNodeState::Inactive);
        assert!(info.swarm.remote_managers.is_empty());
        assert!(info.swarm.cluster.is_none() && info.swarm.nodes.is_none());
        assert!(!info.extra.contains_key("Swarm"));

        let manager: SwarmInfo = serde_json::from_str(
            r#"{"NodeID":"n1","NodeAddr":"10.0.0.1","LocalNodeState":"active",
                "ControlAvailable":true,"RemoteManagers":[{"NodeID":"n1","Addr":"10.0.0.1:2377"}],
                "Nodes":3,"Managers":1,
                "Cluster":{"ID":"c1","Version":{"Index":10},"CreatedAt":"2024-01-01T00:00:00Z",
                  "Spec":{"Name":"default","Labels":{},"Raft":{"SnapshotInterval":10000}},
                  "TLSInfo":{"TrustRoot":"x"},"RootRotationInProgress":false,
                  "DefaultAddrPool":["10.0.0.0/8"],"SubnetSize":24,"DataPathPort":4789}}"#,
        )
        .unwrap();
        assert_eq!(manager.local_node_state, LocalNodeState::Active);
        assert_eq!(manager.remote_managers[0].addr, "10.0.0.1:2377");
        assert_eq!((manager.nodes, manager.managers), (Some(3), Some(1)));
        let cluster = manager.cluster.unwrap();
        assert_eq!(cluster.version.index, 10);
        assert_eq!(cluster.spec.name, "default");
        assert!(cluster.spec.extra.contains_key("Raft"));
        assert!(cluster.extra.contains_key("TLSInfo"));
        assert_eq!(cluster.data_path_port, 4789);

        for (text, state) in [
            ("pending", LocalNodeState::Pending),
            ("error", LocalNodeState::Error),
            ("locked", LocalNodeState::Locked),
            ("floating", LocalNodeState::Other("floating".into())),
        ] {
            let parsed: LocalNodeState = serde_json::from_value(text.into()).unwrap();
            assert_eq!(parsed, state);
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn disk_usage_reads_nulls_as_empty_and_keeps_the_rest() {
        let df: DiskUsage = serde_json::from_str(
            r#"{"LayersSize":10,"Images":[{"Id":"sha256:a","ParentId":"","RepoTags":["a:1"],
                  "RepoDigests":null,"Created":1,"Size":10,"SharedSize":-1,"VirtualSize":10,
                  "Labels":null,"Containers":2}],
                "Containers":[{"Id":"c","Names":["/c"],"State":"exited","SizeRw":0,"Mounts":[]}],
                "Volumes":[{"Name":"v","Driver":"local","UsageData":{"Size":4096,"RefCount":0}}],
                "BuildCache":null,"BuilderSize":0}"#,
        )
        .unwrap();
        assert_eq!(df.layers_size, 10);
        assert_eq!(df.images[0].shared_size, -1);
        assert!(df.images[0].repo_digests.is_empty());
        assert_eq!(df.containers[0].state, ContainerStatus::Exited);
        assert!(df.containers[0].extra.contains_key("Mounts"));
        assert_eq!(
            df.volumes[0].usage_data.as_ref().map(|u| u.size),
            Some(4096)
        );
        assert!(df.build_cache.is_empty());
        assert!(df.extra.contains_key("BuilderSize"));
    }

    #[test]
    fn version_reads_the_oldest_api_version() {
        // Docker 28.5's answer, shortened.
        let v: Version = serde_json::from_str(
            r#"{"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"28.5.2",
                "Details":{"ApiVersion":"1.51","MinAPIVersion":"1.24"}}],
                "Version":"28.5.2","ApiVersion":"1.51","MinAPIVersion":"1.24",
                "GitCommit":"3ef3c07","GoVersion":"go1.25","Os":"linux","Arch":"amd64",
                "KernelVersion":"6.1.0","BuildTime":"2025-01-01T00:00:00.000000000+00:00"}"#,
        )
        .unwrap();
        assert_eq!(
            (v.api_version.as_str(), v.min_api_version.as_str()),
            ("1.51", "1.24")
        );
        assert_eq!(v.components[0].name, "Engine");
        let podman: Version =
            serde_json::from_str(r#"{"Version":"4.3.1","Components":null}"#).unwrap();
        assert!(podman.components.is_empty());
    }

    #[test]
    fn info_with_null_labels_reads_as_empty() {
        // Podman's answer has `"Labels": null`.
        let info: Info = serde_json::from_str(r#"{"ID":"x","Labels":null,"NCPU":2}"#).unwrap();
        assert!(info.labels.is_empty());
        assert_eq!(info.ncpu, 2);
    }

    #[test]
    fn events_read_the_same_with_and_without_the_legacy_fields() {
        // API 1.51 (Docker 28.5) and 1.52 (Docker 29) for the same event.
        let legacy: Event = serde_json::from_str(
            r#"{"status":"die","id":"c1","from":"busybox","Type":"container","Action":"die",
                "Actor":{"ID":"c1","Attributes":{"image":"busybox","exitCode":"0"}},
                "scope":"local","time":1700000000,"timeNano":1700000000000000000}"#,
        )
        .unwrap();
        let current: Event = serde_json::from_str(
            r#"{"Type":"container","Action":"die",
                "Actor":{"ID":"c1","Attributes":{"image":"busybox","exitCode":"0"}},
                "scope":"local","time":1700000000,"timeNano":1700000000000000000}"#,
        )
        .unwrap();
        for event in [&legacy, &current] {
            assert_eq!(
                (event.status(), event.id(), event.from()),
                ("die", "c1", Some("busybox"))
            );
            assert_eq!(event.actor.attributes["exitCode"], "0");
        }
        let network: Event = serde_json::from_str(
            r#"{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":null}}"#,
        )
        .unwrap();
        assert_eq!((network.status(), network.id()), ("connect", "n1"));
        assert_eq!(network.from(), None);
    }

    #[test]
    fn disk_usage_of_api_1_52_and_1_53_fills_the_lists() {
        // API 1.53, verbose: summaries with their items, no legacy lists.
        let mut df: DiskUsage = serde_json::from_str(
            r#"{"ImageUsage":{"ActiveCount":1,"TotalCount":2,"TotalSize":30,"Reclaimable":10,
                  "Items":[{"Id":"sha256:a","Size":20,"SharedSize":-1,"Containers":1}]},
                "ContainerUsage":{"ActiveCount":0,"TotalCount":1,"TotalSize":5,"Reclaimable":5,
                  "Items":[{"Id":"c","Names":["/c"],"State":"exited","SizeRw":5}]},
                "VolumeUsage":{"ActiveCount":0,"TotalCount":0,"TotalSize":0,"Reclaimable":0,
                  "Items":null},
                "BuildCacheUsage":{"TotalCount":1,"TotalSize":7,"Reclaimable":7,
                  "Items":[{"ID":"b1","Type":"regular","Size":7,"InUse":false,
                    "LastUsedAt":null}]}}"#,
        )
        .unwrap();
        df.fill_legacy_lists();
        assert_eq!(df.layers_size, 30);
        assert_eq!(df.images[0].id, "sha256:a");
        assert_eq!(df.containers[0].state, ContainerStatus::Exited);
        assert!(df.volumes.is_empty());
        assert_eq!(df.build_cache[0].size, 7);
        let images = df.image_usage.as_ref().unwrap();
        assert_eq!((images.active_count, images.reclaimable), (1, 10));

        // API 1.53 without verbose: counts only.
        let mut df: DiskUsage = serde_json::from_str(
            r#"{"ImageUsage":{"ActiveCount":1,"TotalCount":2,"TotalSize":30,"Reclaimable":10}}"#,
        )
        .unwrap();
        df.fill_legacy_lists();
        assert!(df.images.is_empty() && df.containers.is_empty());
        assert_eq!(df.layers_size, 30);

        // API 1.52: both; the legacy lists are left as sent.
        let mut df: DiskUsage = serde_json::from_str(
            r#"{"LayersSize":30,"Images":[{"Id":"sha256:a"}],"Containers":[],"Volumes":[],
                "BuildCache":[],
                "ImageUsage":{"ActiveCount":1,"TotalCount":1,"TotalSize":30,"Reclaimable":0}}"#,
        )
        .unwrap();
        df.fill_legacy_lists();
        assert_eq!(df.images.len(), 1);
        assert!(!df.extra.contains_key("ImageUsage"));
    }
}
