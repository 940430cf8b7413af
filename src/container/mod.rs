//! Containers: list, create, inspect, start, stop, restart, kill, wait, remove, logs,
//! pause, rename, update, top, changes, stats, export, archives, resize, prune; files in
//! and out without tar (`copy_in`, `copy_out`, `read_file`); a compose project's
//! containers by their labels; and `run`, with a guard that removes what it made. Every
//! call is in `handle.rs` (but `run`, in `run.rs`, the copies, in `copy.rs`, and compose,
//! in `compose.rs`); the models are beside it, one file each.

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
mod prune;
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
    MountPoint, NetworkSettings, ProcessList,
};
pub use list::{ContainerStatus, ContainerSummary, ListContainersOptions, Port};
pub(crate) use logs::read_logs;
pub use logs::LogsOptions;
pub use mount::{BindOptions, Mount, MountType, TmpfsOptions, VolumeOptions};
pub use networking::{EndpointIpamConfig, EndpointSettings, NetworkingConfig};
pub use prune::{ContainersPruned, PruneContainersOptions};
pub use run::{ContainerGuard, RunOutput};
pub use stats::{
    BlkioStatEntry, BlkioStats, CpuStats, CpuUsage, MemoryStats, NetworkStats, PidsStats, Stats,
    ThrottlingData,
};
pub use update::UpdateConfig;
pub use wait::{WaitCondition, WaitError, WaitOptions, WaitResult, Waiting};

#[cfg(test)]
mod tests;
