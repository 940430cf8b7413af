//! The engine itself: ping, version, info, events, disk usage.

mod build_cache;
mod df;
mod events;
pub(crate) mod info;
mod ping;
mod version;

pub use build_cache::{BuildCachePruned, PruneBuildCacheOptions};
pub use df::{
    BuildCacheDiskUsage, ContainerDiskUsage, DiskUsage, DiskUsageSummary, ImageDiskUsage,
};
pub use events::{Actor, Event, EventsOptions};
pub use info::{ClusterInfo, Info, LocalNodeState, PeerNode, SwarmInfo};
pub use ping::Ping;
pub use version::{Component, Platform, Version};

#[cfg(test)]
mod tests;
