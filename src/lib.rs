//! # dockhand
//!
//! A blocking Docker Engine API client: plain synchronous Rust, no async runtime. It suits
//! command-line tools, scripts, `build.rs` build scripts and threaded servers.
//!
//! ```no_run
//! use dockhand::{ContainerConfig, Docker, LogsOptions, RemoveOptions};
//!
//! fn main() -> dockhand::Result<()> {
//!     // DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION, as the docker CLI.
//!     let docker = Docker::from_env()?;
//!     println!("engine {}", docker.version()?.version);
//!
//!     let created = docker
//!         .containers()
//!         .create(&ContainerConfig::new("busybox").cmd(["echo", "hello"]))?;
//!     let container = docker.container(&created.id);
//!     container.start()?;
//!     let exit = container.wait()?.status_code;
//!     let output = container.logs(&LogsOptions::new())?.collect_output()?;
//!     print!("{}", output.stdout_text());
//!     container.remove(&RemoveOptions::new())?;
//!     println!("exit code {exit}");
//!     Ok(())
//! }
//! ```
//!
//! ## Configuration
//!
//! The settings are those of the Python extension Flask-Docker, with the same names and
//! meanings; see [`Settings`] for the table. Build a client from them at once:
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Docker, Settings};
//! let docker = Docker::new(Settings::from_pairs([
//!     ("DOCKER_URL", "tcp://localhost:2376"),
//!     ("DOCKER_TLS", "True"),
//!     ("DOCKER_TLS_CERT_PATH", "/home/me/.docker"),
//! ])?)?;
//! let docker = Docker::new(Settings::from_file("docker.cfg")?)?; // KEY=value lines
//! let docker = Docker::connect("unix:///var/run/docker.sock")?;  // an address alone
//! # Ok(()) }
//! ```
//!
//! or declare a shared handle first and initialise it at start-up, as Flask-Docker's
//! `init_app` does, with [`DockerCell`].
//!
//! Two deliberate departures from Flask-Docker: the API version is negotiated with the
//! engine unless `DOCKER_VERSION` pins one (Flask-Docker's default `1.16` is refused by every
//! current engine), and TLS certificates are verified unless `DOCKER_TLS_VERIFY=False`
//! (Flask-Docker's own code verified too, though its documentation said otherwise).
//!
//! ## Threads
//!
//! [`Docker`] is `Clone + Send + Sync`; clones share one connection pool. Streams (logs
//! with `follow`, `wait`) use a connection of their own, have no request deadline, and can
//! be stopped from another thread with a [`CancelHandle`].
//!
//! ## Images, builds and registries
//!
//! Pulls, pushes, builds, imports and loads report progress as a [`JsonStream`] of typed
//! lines ([`Progress`], [`BuildItem`]) that arrive as the engine sends them; an error the
//! engine reports on the way is an `Err` item. Everything large (build contexts, `save`,
//! `load`, `import`) streams through `Read` in constant memory; a folder is tarred on the
//! fly with its `.dockerignore` applied as the docker CLI applies it.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Auth, BuildOptions, Docker, PullOptions, PushOptions};
//! let docker = Docker::from_env()?;
//! // the docker CLI's logins: config.json, credential helpers
//! let auth = Auth::from_env()?;
//! docker
//!     .images()
//!     .pull(&PullOptions::new("registry.example.com/base:1").auth(auth.clone()))?
//!     .finish()?;
//! let id = docker
//!     .images()
//!     .build_dir("./app", &BuildOptions::new().tag("registry.example.com/app:2"))?
//!     .image_id(|line| print!("{}", line.stream.as_deref().unwrap_or("")))?;
//! docker
//!     .image("registry.example.com/app:2")
//!     .push(&PushOptions::new().auth(auth))?
//!     .finish()?;
//! println!("built and pushed {id}");
//! # Ok(()) }
//! ```
//!
//! Registry credentials ([`Credentials`], [`Auth`]) are sent only when asked for, and never
//! appear in `Debug`, `Display`, errors or dockhand's logs. One caveat below dockhand:
//! ureq's HTTP layer hex-dumps every byte it sends, headers and bodies, at `trace` level
//! under the log target `ureq_proto`; keep that target below `trace` when credentials are
//! in use.
//!
//! ## Read, change, send back
//!
//! Types read from the engine that a caller may send back ([`ContainerConfig`],
//! [`HostConfig`] and everything in them, [`EndpointSettings`], [`NetworkConfig`],
//! [`NetworkInspect`], [`VolumeConfig`], [`VolumeInspect`]) lose nothing: what they do not
//! type is kept in their `extra` map, and written out again each typed field is spelt as
//! the engine spelt it (left out, `null`, empty) unless it was changed. So a container's
//! inspected config, changed in one field, makes a container that differs in that field
//! alone.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let old = docker.container("web").inspect()?;
//! let mut config = old.config;
//! let mut host = old.host_config;
//! host.memory = Some(512 * 1024 * 1024);
//! config.host_config = Some(host);
//! docker.containers().create(&config)?;
//! # Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every failure is an [`Error`] whose message says what went wrong and what to do; the
//! engine's own status and message are kept in [`Error::Engine`]. Credentials never appear
//! in errors, logs or `Debug` output. Each request is logged at debug level through the
//! `log` facade (method, path, status, time).
//!
//! ## Features
//!
//! `tls` (on by default): TLS with rustls and its ring provider. Without it the crate builds
//! with neither, for build scripts that talk to the local socket only.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The three layers of design.md. Settings: what engine to talk to, and how.
mod settings;
// Transport: bytes to and from the engine; the only user of `ureq::unversioned`.
mod transport;
// The request path: the `Docker` handle, requests, responses, versions, error mapping.
mod client;
mod error;
// For the API: bodies that arrive over time, and the engine's JSON.
mod json;
mod stream;
// The API, by area: each call is a method of a handle, its models beside it.
mod container;
mod exec;
mod image;
mod network;
mod plugin;
mod swarm;
mod system;
mod volume;
// Shared by settings (registry auth) and the API (archives, secrets).
mod base64;
// Each decoder's entry point for tests/fuzz and tests/damaged_input.rs; not API.
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;

pub use client::{encode_segment, CancelHandle, Docker, DockerCell, Request, Response};
pub use container::{
    Archive, BindOptions, BlkioStatEntry, BlkioStats, ChangeKind, ContainerGuard, ContainersPruned,
    CpuStats, CpuUsage, EmptyObject, EndpointIpamConfig, EndpointSettings, FilesystemChange,
    Health, HealthCheckResult, HealthConfig, LogConfig, MemoryStats, Mount, MountPoint, MountType,
    NetworkSettings, NetworkStats, NetworkingConfig, PathStat, PidsStats, PortBinding, PortMap,
    ProcessList, PruneContainersOptions, PutArchiveOptions, RestartPolicy, RunOutput, Stats,
    TarReader, ThrottlingData, TmpfsOptions, UpdateConfig, VolumeOptions,
};
pub use container::{
    Container, ContainerConfig, ContainerInspect, ContainerState, ContainerStatus,
    ContainerSummary, Containers, Created, HostConfig, ListContainersOptions, LogsOptions, Port,
    RemoveOptions, WaitCondition, WaitError, WaitOptions, WaitResult, Waiting,
};
pub use container::{DeviceMapping, DeviceRequest, Ulimit};
pub use error::{Error, Result};
pub use exec::{
    AttachOptions, Attached, Exec, ExecConfig, ExecInspect, ExecOutput, Input, ProcessConfig,
};
pub use image::{BuildAux, BuildContext, BuildItem, BuildOptions};
pub use image::{
    CommitOptions, Committed, HistoryItem, Image, ImageDeleted, ImageInspect, ImageSummary, Images,
    ImportOptions, ListImagesOptions, LoadOptions, Progress, ProgressDetail, PruneImagesOptions,
    PruneImagesResult, PullOptions, PushOptions, RemoveImageOptions, RootFs, SearchOptions,
    SearchResult,
};
pub use image::{DistributionInspect, DistributionOptions, OciDescriptor, OciPlatform};
pub use network::{
    Ipam, IpamConfig, ListNetworksOptions, Network, NetworkConfig, NetworkConnect,
    NetworkContainer, NetworkCreated, NetworkDisconnect, NetworkInspect, Networks, NetworksPruned,
    PruneNetworksOptions,
};
pub use plugin::{
    DisablePluginOptions, EnablePluginOptions, ListPluginsOptions, Plugin, PluginArgs,
    PluginConfig, PluginDevice, PluginEnv, PluginInspect, PluginInterface, PluginInterfaceType,
    PluginLinux, PluginMount, PluginNetwork, PluginPrivilege, PluginPrivilegesOptions,
    PluginSettings, Plugins, PullPluginOptions, PushPluginOptions, RemovePluginOptions,
    UpgradePluginOptions,
};
pub use settings::{ApiVersion, Settings, TlsVersion, MAX_TIMEOUT};
pub use settings::{Auth, Credentials, LoginResult, DOCKER_HUB_SERVER};
pub use settings::{Host, TcpScheme, DEFAULT_SOCKET};
pub use stream::JsonStream;
pub use stream::{Chunk, Output, OutputStream, StreamKind};
pub use swarm::{
    Config, ConfigInspect, ConfigSpec, Configs, DriverConfig, ListSecretsOptions, ObjectCreated,
    Secret, SecretInspect, SecretSpec, Secrets,
};
pub use swarm::{
    ConfigReference, ContainerSpec, CreateServiceOptions, EndpointMode, EndpointSpec,
    FailureAction, FileTarget, ListServicesOptions, ListTasksOptions, NetworkAttachment, Placement,
    PortConfig, PortProtocol, PublishMode, ReplicatedMode, ResourceAmounts, RestartCondition,
    SecretReference, Service, ServiceCreated, ServiceEndpoint, ServiceInspect, ServiceMode,
    ServiceRestartPolicy, ServiceSpec, ServiceStatus, ServiceUpdateConfig, ServiceUpdateStatus,
    ServiceUpdated, Services, Task, TaskContainerStatus, TaskInspect, TaskResources, TaskSpec,
    TaskState, TaskStatus, Tasks, UpdateOrder, UpdateServiceOptions, UpdateState, VirtualIp,
};
pub use swarm::{GlobalMode, ReplicatedJobMode};
pub use swarm::{
    InitRequest, JoinRequest, JoinTokens, ListNodesOptions, ManagerStatus, Node, NodeAvailability,
    NodeDescription, NodeEngine, NodeInspect, NodePlatform, NodeResources, NodeRole, NodeSpec,
    NodeState, NodeStatus, Nodes, Reachability, Swarm, SwarmInspect, SwarmUpdateOptions, UnlockKey,
};
pub use system::DiskUsageSummary;
pub use system::{Actor, Component, Event, EventsOptions, Info, Ping, Platform, Version};
pub use system::{
    BuildCacheDiskUsage, ClusterInfo, ContainerDiskUsage, DiskUsage, ImageDiskUsage,
    LocalNodeState, ObjectVersion, PeerNode, SwarmInfo, SwarmSpec,
};
pub use system::{BuildCachePruned, PruneBuildCacheOptions};
pub use volume::{ClusterVolume, ClusterVolumeSpec};
pub use volume::{
    ListVolumesOptions, PruneVolumesOptions, RemoveVolumeOptions, Volume, VolumeConfig,
    VolumeInspect, VolumeList, VolumeUsageData, Volumes, VolumesPruned,
};

/// The README's examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
