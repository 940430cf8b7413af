//! Containers: list, create, inspect, start, stop, restart, kill, wait, remove, logs,
//! pause, rename, update, top, changes, stats, export, archives, resize, prune; and `run`,
//! with a guard that removes what it made. Every call is in `handle.rs` (but `run`, in
//! `run.rs`; the published address of a port, in `ports.rs`; readiness waits, in
//! `ready/`); the models are beside it, one file each.

mod archive;
mod config;
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
pub use config::{ContainerConfig, Created, EmptyObject, HealthConfig};
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
