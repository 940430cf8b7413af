//! The engine itself: ping, version, info, events, disk usage, build cache prune; and
//! [`Timestamp`], the point in time that events, logs and the prune and list filters take.
//!
//! These are methods of [`Docker`](crate::Docker) directly: `docker.ping()`,
//! `docker.version()`, `docker.info()`, `docker.events(..)`, `docker.df()`. Events arrive as
//! a stream that follows the engine until it is cancelled or an `until` time is reached.
//!
//! ```no_run
//! use dockhand::EventsOptions;
//!
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let version = docker.version()?;
//! println!("engine {} (API {})", version.version, version.api_version);
//! println!("{} containers", docker.info()?.containers);
//! let events = docker.events(&EventsOptions::new().filter("type", "container"))?;
//! for event in events.take(3) {
//!     let event = event?;
//!     println!("{} {}", event.action, event.actor.id);
//! }
//! # Ok(()) }
//! ```

mod build_cache;
mod df;
mod events;
pub(crate) mod info;
mod ping;
mod timestamp;
mod version;

pub use build_cache::{BuildCachePruned, PruneBuildCacheOptions};
pub use df::{
    BuildCacheDiskUsage, ContainerDiskUsage, DiskUsage, DiskUsageSummary, ImageDiskUsage,
};
pub use events::{Actor, Event, EventsOptions};
pub use info::{ClusterInfo, Info, LocalNodeState, PeerNode, SwarmInfo};
pub use ping::Ping;
pub use timestamp::Timestamp;
pub use version::{Component, Platform, Version};

#[cfg(test)]
mod tests;
