//! The engine itself: ping, version, info, events, disk usage; and [`Timestamp`], the
//! point in time that events, logs and the prune and list filters take.

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
