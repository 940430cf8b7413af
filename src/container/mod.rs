//! Containers: create, start, wait, read logs, stop and remove them; and everything else the
//! engine does to one: inspect, restart, kill, pause, rename, update, top, changes, stats,
//! export, resize, prune; files in and out without tar (`copy_in`, `copy_out`,
//! `read_file`); waits until a container is ready (a log line, healthy, a port, an HTTP
//! status, a command) and the host address of a published port; and the containers of a
//! compose project, found by their labels.
//!
//! [`Docker::containers`](crate::Docker::containers) is the collection (list, create,
//! prune); [`Docker::container`](crate::Docker::container) is a handle on one container by
//! id or name, whose methods are the calls. [`Docker::run`](crate::Docker::run) does what
//! `docker run` does: create, start, wait, collect the output, remove.
//!
//! ```no_run
//! use dockhand::{ContainerConfig, Docker, HostConfig, LogsOptions, RemoveOptions};
//! use dockhand::container::ListContainersOptions;
//!
//! # fn main() -> dockhand::Result<()> {
//! let docker = Docker::from_env()?;
//! let config = ContainerConfig::new("busybox")
//!     .cmd(["sh", "-c", "echo ready; sleep 60"])
//!     .label("app", "demo")
//!     .host_config(HostConfig::new().memory(64 * 1024 * 1024));
//! let created = docker.containers().create(&config)?;
//! let container = docker.container(&created.id);
//! container.start()?;
//! for summary in docker
//!     .containers()
//!     .list(&ListContainersOptions::new().filter("label", "app=demo"))?
//! {
//!     println!("{} {}", summary.id, summary.state);
//! }
//! let logs = container.logs(&LogsOptions::new())?.collect_output()?;
//! print!("{}", logs.stdout_text());
//! container.remove(&RemoveOptions::new().force(true))?;
//! # Ok(()) }
//! ```

mod archive;
mod compose;
mod config;
mod copy;
mod handle;
mod host_config;
mod inspect;
mod list;
mod logs;
mod mount;
mod networking;
mod ports;
mod prune;
mod ready;
mod run;
mod stats;
mod update;
mod wait;

pub use archive::{Archive, PathStat, PutArchiveOptions, TarReader};
pub use compose::{
    ComposeProject, COMPOSE_NUMBER_LABEL, COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL,
};
pub use config::{ContainerConfig, Created, EmptyObject, HealthConfig};
pub use copy::READ_FILE_LIMIT;
pub use handle::{Container, Containers, RemoveOptions};
pub use host_config::{
    DeviceMapping, DeviceRequest, HostConfig, LogConfig, PortBinding, PortMap, RestartPolicy,
    Ulimit,
};
pub use inspect::{
    ChangeKind, ContainerInspect, ContainerState, FilesystemChange, Health, HealthCheckResult,
    HealthStatus, MountPoint, NetworkSettings, ProcessList,
};
pub use list::{ContainerStatus, ContainerSummary, ListContainersOptions, Port};
pub(crate) use logs::read_logs;
pub use logs::LogsOptions;
pub use mount::{BindOptions, Mount, MountType, TmpfsOptions, VolumeOptions};
pub use networking::{EndpointIpamConfig, EndpointSettings, NetworkingConfig};
pub use ports::PortProtocol;
pub use prune::{ContainersPruned, PruneContainersOptions};
pub use ready::{NotReady, NotReadyCause, WaitFor};
pub use run::{ContainerGuard, RunOutput};
pub use stats::{
    BlkioStatEntry, BlkioStats, CpuStats, CpuUsage, MemoryStats, NetworkStats, PidsStats, Stats,
    ThrottlingData,
};
pub use update::UpdateConfig;
pub use wait::{WaitCondition, WaitError, WaitOptions, WaitResult, Waiting};

#[cfg(test)]
mod tests;
