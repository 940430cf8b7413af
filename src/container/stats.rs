//! Resource use: the samples of `GET /containers/{id}/stats`.

use std::collections::HashMap;

use serde::Deserialize;

use crate::json::null_as_default;

/// One sample of a container's resource use (`GET /containers/{id}/stats`). Field names are
/// the engine's; what a cgroup version or platform does not report is zero or empty, and
/// anything not typed here is in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Stats {
    /// When it was read (RFC 3339).
    pub read: String,
    /// When the previous sample was read (RFC 3339; year 1 when there is none).
    pub preread: String,
    /// The container's name, with a leading `/`.
    #[serde(alias = "Name")]
    pub name: String,
    /// The container's id (`id`; `Id` from Podman).
    #[serde(alias = "Id")]
    pub id: String,
    /// Processes (Windows only).
    pub num_procs: u32,
    /// Process counts.
    pub pids_stats: PidsStats,
    /// CPU use now.
    pub cpu_stats: CpuStats,
    /// CPU use at the previous sample.
    pub precpu_stats: CpuStats,
    /// Memory use.
    pub memory_stats: MemoryStats,
    /// Block IO.
    pub blkio_stats: BlkioStats,
    /// Network use per interface (empty without a network).
    #[serde(deserialize_with = "null_as_default")]
    pub networks: HashMap<String, NetworkStats>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Stats {
    /// Whether this is the engine's empty sample for a container that is not running (its
    /// `read` time is the zero time, year 1).
    pub fn is_empty(&self) -> bool {
        self.read.is_empty() || self.read.starts_with("0001-01-01")
    }

    /// CPU use between the previous sample and this one, in percent of one CPU (so up to
    /// `100 × CPUs`), as `docker stats` shows it; `None` without a previous sample.
    pub fn cpu_percent(&self) -> Option<f64> {
        let now = &self.cpu_stats;
        let before = &self.precpu_stats;
        let cpu = now
            .cpu_usage
            .total_usage
            .checked_sub(before.cpu_usage.total_usage)?;
        let system = now
            .system_cpu_usage
            .checked_sub(before.system_cpu_usage)
            .filter(|d| *d > 0)?;
        if before.system_cpu_usage == 0 {
            return None;
        }
        let cpus = match now.online_cpus {
            0 => now.cpu_usage.percpu_usage.len().max(1),
            n => n as usize,
        };
        Some(cpu as f64 / system as f64 * cpus as f64 * 100.0)
    }
}

/// Process counts of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PidsStats {
    /// Processes now.
    pub current: u64,
    /// Its process limit (0 when none is reported).
    pub limit: u64,
}

/// CPU use of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CpuStats {
    /// Its CPU time.
    pub cpu_usage: CpuUsage,
    /// The host's CPU time, in nanoseconds.
    pub system_cpu_usage: u64,
    /// CPUs online.
    pub online_cpus: u32,
    /// Throttling by its CPU limit.
    pub throttling_data: ThrottlingData,
}

/// A container's CPU time, in nanoseconds.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CpuUsage {
    /// In all.
    pub total_usage: u64,
    /// Per CPU (cgroup v1 only).
    #[serde(deserialize_with = "null_as_default")]
    pub percpu_usage: Vec<u64>,
    /// In the kernel.
    pub usage_in_kernelmode: u64,
    /// In user space.
    pub usage_in_usermode: u64,
}

/// How much a container's CPU limit held it back.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ThrottlingData {
    /// Periods.
    pub periods: u64,
    /// Periods in which it was throttled.
    pub throttled_periods: u64,
    /// Time throttled, in nanoseconds.
    pub throttled_time: u64,
}

/// Memory use of a container, in bytes.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemoryStats {
    /// In use now, page cache included.
    pub usage: u64,
    /// The most ever used (cgroup v1 only).
    pub max_usage: u64,
    /// Its limit (the host's memory when it has none).
    pub limit: u64,
    /// Times the limit was hit (cgroup v1 only).
    pub failcnt: u64,
    /// The cgroup's own counters, such as `cache`, `rss`, `inactive_file`.
    #[serde(deserialize_with = "null_as_default")]
    pub stats: HashMap<String, u64>,
}

impl MemoryStats {
    /// Use without the inactive page cache, as `docker stats` shows it.
    pub fn usage_without_cache(&self) -> u64 {
        let cache = self
            .stats
            .get("total_inactive_file")
            .or_else(|| self.stats.get("inactive_file"))
            .copied()
            .unwrap_or(0);
        self.usage.saturating_sub(cache)
    }
}

/// Block IO of a container: one entry per device and operation.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BlkioStats {
    /// Bytes read and written.
    #[serde(deserialize_with = "null_as_default")]
    pub io_service_bytes_recursive: Vec<BlkioStatEntry>,
    /// Operations done.
    #[serde(deserialize_with = "null_as_default")]
    pub io_serviced_recursive: Vec<BlkioStatEntry>,
    /// Every other counter.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// One block IO counter.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BlkioStatEntry {
    /// The device's major number.
    pub major: u64,
    /// The device's minor number.
    pub minor: u64,
    /// The operation, such as `Read` or `Write`.
    pub op: String,
    /// The count.
    pub value: u64,
}

/// Network use of one interface of a container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct NetworkStats {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Packets dropped on receipt.
    pub rx_dropped: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Send errors.
    pub tx_errors: u64,
    /// Packets dropped on sending.
    pub tx_dropped: u64,
}
