//! [`HostConfig`]: how the host runs a container (resources, ports, restart policy,
//! logging, devices), and its parts.

use std::collections::{BTreeMap, HashMap};

use super::config::port_key;
use super::Mount;
#[cfg(doc)]
use super::{Container, ContainerConfig, NetworkSettings};
use crate::error::Result;
use crate::json::model;
use crate::json::null_as_default;
use serde_json::Value;

model! {
    /// How the host runs a container (`HostConfig` in the Engine API). Anything not typed
    /// here can go in [`extra`](Self::extra); read from the engine, it is sent back as it
    /// came (see [`ContainerConfig`]).
    ///
    /// ```
    /// use dockhand::HostConfig;
    /// use dockhand::container::{Mount, PortBinding, RestartPolicy, Ulimit};
    /// let host = HostConfig::new()
    ///     .mount(Mount::bind("/srv/data", "/data").read_only(true))
    ///     .publish("80/tcp", PortBinding::new("127.0.0.1", "8080"))
    ///     .restart_policy(RestartPolicy::on_failure(3))
    ///     .ulimit(Ulimit::new("nofile", 1024, 2048))
    ///     .memory(256 * 1024 * 1024)
    ///     .extra("OomScoreAdj", 500);
    /// ```
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct HostConfig {
        /// Volume bindings, as `host-path:container-path[:ro]` or `volume:path`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub binds: Option<Vec<String>>,
        /// Mounts: bind mounts, volumes and tmpfs, spelt out (the modern form of `binds`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub mounts: Option<Vec<Mount>>,
        /// Memory-backed filesystems: container path to mount options (`size=64m,mode=1777`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tmpfs: Option<HashMap<String, String>>,
        /// Containers whose volumes it mounts too, as `name[:ro|:rw]`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub volumes_from: Option<Vec<String>>,
        /// Ports published on the host: container port (`80/tcp`) to host bindings.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub port_bindings: Option<PortMap>,
        /// Publish every exposed port on a free host port (`docker run -P`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub publish_all_ports: Option<bool>,
        /// `bridge`, `host`, `none`, `container:<id>`, or a network's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub network_mode: Option<String>,
        /// Links to other containers on the default bridge, as `name:alias` (legacy).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub links: Option<Vec<String>>,
        /// DNS servers.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dns: Option<Vec<String>>,
        /// DNS options, such as `ndots:2`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dns_options: Option<Vec<String>>,
        /// DNS search domains.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dns_search: Option<Vec<String>>,
        /// Extra lines for its `/etc/hosts`, as `name:address`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub extra_hosts: Option<Vec<String>>,
        /// What to do when it exits.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub restart_policy: Option<RestartPolicy>,
        /// Remove the container when it exits.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auto_remove: Option<bool>,
        /// Where its output goes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub log_config: Option<LogConfig>,
        /// Memory limit in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory: Option<i64>,
        /// Memory soft limit in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory_reservation: Option<i64>,
        /// Memory plus swap limit in bytes; -1 for unlimited swap.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory_swap: Option<i64>,
        /// How readily its memory is swapped out, 0 to 100 (cgroup v1 only; unset: the
        /// host's).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub memory_swappiness: Option<i64>,
        /// Do not kill it when the host runs out of memory.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub oom_kill_disable: Option<bool>,
        /// CPU limit in billionths of a CPU (`1_500_000_000` is `--cpus 1.5`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub nano_cpus: Option<i64>,
        /// CPU weight relative to other containers (default 1024).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu_shares: Option<i64>,
        /// The CFS period, in microseconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu_period: Option<i64>,
        /// The CFS quota per period, in microseconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpu_quota: Option<i64>,
        /// The CPUs it may run on, such as `0-3` or `0,1`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cpuset_cpus: Option<String>,
        /// The most processes it may have (0 or -1: no limit).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub pids_limit: Option<i64>,
        /// Resource limits of its processes (`docker run --ulimit`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ulimits: Option<Vec<Ulimit>>,
        /// Host devices to put in it.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub devices: Option<Vec<DeviceMapping>>,
        /// Devices asked of a driver, such as GPUs (`docker run --gpus`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub device_requests: Option<Vec<DeviceRequest>>,
        /// The size of `/dev/shm` in bytes.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub shm_size: Option<i64>,
        /// Give it every capability and access to the host's devices.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub privileged: Option<bool>,
        /// Capabilities to add, as `NET_ADMIN` or `CAP_NET_ADMIN`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cap_add: Option<Vec<String>>,
        /// Capabilities to drop.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cap_drop: Option<Vec<String>>,
        /// Security options, such as `no-new-privileges` or `seccomp=unconfined`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub security_opt: Option<Vec<String>>,
        /// Kernel parameters, such as `net.ipv4.ip_forward` = `1`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sysctls: Option<HashMap<String, String>>,
        /// Extra groups its user belongs to.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub group_add: Option<Vec<String>>,
        /// Its PID namespace: empty (its own), `host`, or `container:<id>`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub pid_mode: Option<String>,
        /// Its IPC namespace: `private`, `shareable`, `host`, `none`, `container:<id>`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ipc_mode: Option<String>,
        /// Mount the root filesystem read-only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub readonly_rootfs: Option<bool>,
        /// Run an init process as PID 1.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub init: Option<bool>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl HostConfig {
    /// Nothing set: the engine's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a volume binding, as `host-path:container-path[:ro]` or `volume:path`.
    pub fn bind(mut self, spec: &str) -> Self {
        self.binds
            .get_or_insert_with(Vec::new)
            .push(spec.to_string());
        self
    }

    /// Adds a mount.
    pub fn mount(mut self, mount: Mount) -> Self {
        self.mounts.get_or_insert_with(Vec::new).push(mount);
        self
    }

    /// Mounts a memory-backed filesystem at `path`, with mount options such as
    /// `size=64m,mode=1777` (empty for none).
    pub fn tmpfs(mut self, path: &str, options: &str) -> Self {
        self.tmpfs
            .get_or_insert_with(HashMap::new)
            .insert(path.to_string(), options.to_string());
        self
    }

    /// Publishes a container port (`80/tcp`, `53/udp`, or `80` for tcp) on the host.
    /// Remember to [`expose`](ContainerConfig::expose) it too, as `docker run -p` does.
    pub fn publish(mut self, container_port: &str, binding: PortBinding) -> Self {
        self.port_bindings
            .get_or_insert_with(PortMap::new)
            .entry(port_key(container_port))
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(binding);
        self
    }

    /// Sets the network mode.
    pub fn network_mode(mut self, mode: &str) -> Self {
        self.network_mode = Some(mode.to_string());
        self
    }

    /// Adds a DNS server.
    pub fn dns(mut self, server: &str) -> Self {
        self.dns
            .get_or_insert_with(Vec::new)
            .push(server.to_string());
        self
    }

    /// Sets the restart policy.
    pub fn restart_policy(mut self, policy: RestartPolicy) -> Self {
        self.restart_policy = Some(policy);
        self
    }

    /// Removes the container when it exits.
    pub fn auto_remove(mut self, on: bool) -> Self {
        self.auto_remove = Some(on);
        self
    }

    /// Sets the memory limit in bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.memory = Some(bytes);
        self
    }

    /// Sets the CPU limit in billionths of a CPU.
    pub fn nano_cpus(mut self, nano_cpus: i64) -> Self {
        self.nano_cpus = Some(nano_cpus);
        self
    }

    /// Sets the relative CPU weight.
    pub fn cpu_shares(mut self, shares: i64) -> Self {
        self.cpu_shares = Some(shares);
        self
    }

    /// Sets the most processes it may have.
    pub fn pids_limit(mut self, limit: i64) -> Self {
        self.pids_limit = Some(limit);
        self
    }

    /// Adds a resource limit of its processes.
    pub fn ulimit(mut self, ulimit: Ulimit) -> Self {
        self.ulimits.get_or_insert_with(Vec::new).push(ulimit);
        self
    }

    /// Puts the host's device `host_path` in it at `container_path`, readable, writable
    /// and creatable (`rwm`).
    pub fn device(mut self, host_path: &str, container_path: &str) -> Self {
        self.devices
            .get_or_insert_with(Vec::new)
            .push(DeviceMapping::new(host_path, container_path));
        self
    }

    /// Asks a driver for devices, such as [`DeviceRequest::gpus`].
    pub fn device_request(mut self, request: DeviceRequest) -> Self {
        self.device_requests
            .get_or_insert_with(Vec::new)
            .push(request);
        self
    }

    /// Sets the size of `/dev/shm` in bytes.
    pub fn shm_size(mut self, bytes: i64) -> Self {
        self.shm_size = Some(bytes);
        self
    }

    /// Runs it privileged.
    pub fn privileged(mut self, on: bool) -> Self {
        self.privileged = Some(on);
        self
    }

    /// Adds a capability.
    pub fn cap_add(mut self, capability: &str) -> Self {
        self.cap_add
            .get_or_insert_with(Vec::new)
            .push(capability.to_string());
        self
    }

    /// Drops a capability.
    pub fn cap_drop(mut self, capability: &str) -> Self {
        self.cap_drop
            .get_or_insert_with(Vec::new)
            .push(capability.to_string());
        self
    }

    /// Adds a security option, such as `no-new-privileges`.
    pub fn security_opt(mut self, option: &str) -> Self {
        self.security_opt
            .get_or_insert_with(Vec::new)
            .push(option.to_string());
        self
    }

    /// Sets a kernel parameter of its namespaces, such as `net.ipv4.ip_forward`.
    pub fn sysctl(mut self, key: &str, value: &str) -> Self {
        self.sysctls
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Adds a line to its `/etc/hosts`.
    pub fn extra_host(mut self, name: &str, address: &str) -> Self {
        self.extra_hosts
            .get_or_insert_with(Vec::new)
            .push(format!("{name}:{address}"));
        self
    }

    /// Sets where its output goes.
    pub fn log_config(mut self, config: LogConfig) -> Self {
        self.log_config = Some(config);
        self
    }

    /// Runs an init process as PID 1.
    pub fn init(mut self, on: bool) -> Self {
        self.init = Some(on);
        self
    }
}

/// Setters for the rest of the typed fields (kept in a block of their own).
impl HostConfig {
    /// Adds a DNS search domain.
    pub fn dns_search(mut self, domain: &str) -> Self {
        self.dns_search
            .get_or_insert_with(Vec::new)
            .push(domain.to_string());
        self
    }

    /// Adds a DNS option, such as `ndots:2`.
    pub fn dns_option(mut self, option: &str) -> Self {
        self.dns_options
            .get_or_insert_with(Vec::new)
            .push(option.to_string());
        self
    }

    /// Mounts its root filesystem read-only (`docker run --read-only`).
    pub fn readonly_rootfs(mut self, on: bool) -> Self {
        self.readonly_rootfs = Some(on);
        self
    }

    /// Sets the memory soft limit in bytes.
    pub fn memory_reservation(mut self, bytes: i64) -> Self {
        self.memory_reservation = Some(bytes);
        self
    }

    /// Sets the memory plus swap limit in bytes (-1: unlimited swap).
    pub fn memory_swap(mut self, bytes: i64) -> Self {
        self.memory_swap = Some(bytes);
        self
    }

    /// Sets how readily its memory is swapped out, 0 to 100 (cgroup v1 only).
    pub fn memory_swappiness(mut self, swappiness: i64) -> Self {
        self.memory_swappiness = Some(swappiness);
        self
    }

    /// Keeps the kernel from killing it when the host runs out of memory.
    pub fn oom_kill_disable(mut self, on: bool) -> Self {
        self.oom_kill_disable = Some(on);
        self
    }

    /// Sets the CFS period, in microseconds.
    pub fn cpu_period(mut self, microseconds: i64) -> Self {
        self.cpu_period = Some(microseconds);
        self
    }

    /// Sets the CFS quota per period, in microseconds.
    pub fn cpu_quota(mut self, microseconds: i64) -> Self {
        self.cpu_quota = Some(microseconds);
        self
    }

    /// Sets the CPUs it may run on, such as `0-3` or `0,1`.
    pub fn cpuset_cpus(mut self, cpus: &str) -> Self {
        self.cpuset_cpus = Some(cpus.to_string());
        self
    }

    /// Adds a group its user belongs to, by name or id.
    pub fn group_add(mut self, group: &str) -> Self {
        self.group_add
            .get_or_insert_with(Vec::new)
            .push(group.to_string());
        self
    }

    /// Sets its PID namespace: `host`, or `container:<id>`.
    pub fn pid_mode(mut self, mode: &str) -> Self {
        self.pid_mode = Some(mode.to_string());
        self
    }

    /// Sets its IPC namespace: `private`, `shareable`, `host`, `none`, `container:<id>`.
    pub fn ipc_mode(mut self, mode: &str) -> Self {
        self.ipc_mode = Some(mode.to_string());
        self
    }

    /// Publishes every exposed port on a free host port (`docker run -P`).
    pub fn publish_all_ports(mut self, on: bool) -> Self {
        self.publish_all_ports = Some(on);
        self
    }

    /// Mounts the volumes of another container too, as `name[:ro|:rw]`.
    pub fn volumes_from(mut self, container: &str) -> Self {
        self.volumes_from
            .get_or_insert_with(Vec::new)
            .push(container.to_string());
        self
    }

    /// Adds a link to another container on the default bridge, as `name:alias` (legacy;
    /// prefer a network of your own).
    pub fn link(mut self, link: &str) -> Self {
        self.links
            .get_or_insert_with(Vec::new)
            .push(link.to_string());
        self
    }
}

impl HostConfig {
    /// This host config with every field set in `over` (present and not `null`, as it is
    /// written out) taken from `over`: the merge of [`ContainerConfig::host_config`]. It
    /// goes through the JSON both are written as, so every field, `extra` keys and the
    /// engine's spellings included, is merged alike without a list of fields to keep.
    pub(super) fn overlaid_with(self, over: HostConfig) -> HostConfig {
        let merged = match (serde_json::to_value(&self), serde_json::to_value(&over)) {
            (Ok(Value::Object(mut base)), Ok(Value::Object(top))) => {
                for (key, value) in top {
                    if !value.is_null() {
                        base.insert(key, value);
                    }
                }
                serde_json::from_value(Value::Object(base))
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
            // A model always writes an object.
            _ => return over,
        };
        merged.unwrap_or_else(|e| {
            log::warn!(target: "dockhand", "could not merge two host configs ({e}): the later one is used");
            over
        })
    }
}

/// Published ports: container port (`80/tcp`) to its bindings on the host (`null` for a
/// port that is exposed but not published, in [`NetworkSettings::ports`]).
pub type PortMap = BTreeMap<String, Option<Vec<PortBinding>>>;

model! {
    /// Where a container port is published on the host. Empty fields mean every interface
    /// and a free port the engine picks.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(default)]
    pub struct PortBinding {
        /// The host address, such as `127.0.0.1` (empty: every interface).
        #[serde(rename = "HostIp", skip_serializing_if = "String::is_empty")]
        pub host_ip: String,
        /// The host port, such as `8080` or a range `8080-8090` (empty: a free port).
        #[serde(rename = "HostPort", skip_serializing_if = "String::is_empty")]
        pub host_port: String,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl PortBinding {
    /// A binding on `host_ip` and `host_port` (either may be empty).
    pub fn new(host_ip: &str, host_port: &str) -> Self {
        PortBinding {
            host_ip: host_ip.to_string(),
            host_port: host_port.to_string(),
            ..Default::default()
        }
    }
}

model! {
    /// What the engine does when a container exits (`RestartPolicy`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct RestartPolicy {
        /// `no` (or empty), `always`, `unless-stopped` or `on-failure`.
        pub name: String,
        /// For `on-failure`: how many restarts before giving up (0: no limit).
        pub maximum_retry_count: i64,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl RestartPolicy {
    /// Never restart.
    pub fn no() -> Self {
        Self::named("no")
    }

    /// Always restart, also when the engine restarts.
    pub fn always() -> Self {
        Self::named("always")
    }

    /// Restart unless it was stopped by hand.
    pub fn unless_stopped() -> Self {
        Self::named("unless-stopped")
    }

    /// Restart on a non-zero exit, at most `max_retries` times (0: no limit).
    pub fn on_failure(max_retries: i64) -> Self {
        RestartPolicy {
            maximum_retry_count: max_retries,
            ..Self::named("on-failure")
        }
    }

    fn named(name: &str) -> Self {
        RestartPolicy {
            name: name.to_string(),
            ..Default::default()
        }
    }
}

model! {
    /// Where a container's output goes (`LogConfig`): the logging driver and its options.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct LogConfig {
        /// The driver: `json-file`, `local`, `journald`, `syslog`, `none`, ... (only some
        /// let [`Container::logs`] read the output back).
        #[serde(rename = "Type")]
        pub kind: String,
        /// The driver's options, such as `max-size`.
        #[serde(skip_serializing_if = "HashMap::is_empty", deserialize_with = "null_as_default")]
        pub config: HashMap<String, String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl LogConfig {
    /// The driver `kind` with no options.
    pub fn new(kind: &str) -> Self {
        LogConfig {
            kind: kind.to_string(),
            ..Default::default()
        }
    }

    /// Adds a driver option.
    pub fn option(mut self, key: &str, value: &str) -> Self {
        self.config.insert(key.to_string(), value.to_string());
        self
    }
}

model! {
    /// A resource limit of a container's processes (`docker run --ulimit name=soft:hard`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Ulimit {
        /// Its name, such as `nofile`, `nproc` or `core`.
        pub name: String,
        /// The soft limit.
        pub soft: i64,
        /// The hard limit.
        pub hard: i64,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl Ulimit {
    /// The limit `name` at `soft` and `hard`.
    pub fn new(name: &str, soft: i64, hard: i64) -> Self {
        Ulimit {
            name: name.to_string(),
            soft,
            hard,
            ..Default::default()
        }
    }
}

model! {
    /// A host device put in a container (`DeviceMapping`; `docker run --device`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct DeviceMapping {
        /// The device on the host, such as `/dev/fuse`.
        pub path_on_host: String,
        /// Where it appears in the container.
        pub path_in_container: String,
        /// What the container may do with it: `r`, `w`, `m` (mknod) or several.
        pub cgroup_permissions: String,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl DeviceMapping {
    /// The host's `host_path` at `container_path`, with permissions `rwm`.
    pub fn new(host_path: &str, container_path: &str) -> Self {
        DeviceMapping {
            path_on_host: host_path.to_string(),
            path_in_container: container_path.to_string(),
            cgroup_permissions: "rwm".to_string(),
            ..Default::default()
        }
    }
}

model! {
    /// Devices asked of a device driver, such as GPUs (`DeviceRequest`; `docker run
    /// --gpus`).
    ///
    /// ```
    /// use dockhand::HostConfig;
    /// use dockhand::container::DeviceRequest;
    /// let all_gpus = HostConfig::new().device_request(DeviceRequest::gpus(-1));
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct DeviceRequest {
        /// The driver, such as `nvidia` (empty: any that has the capabilities).
        #[serde(skip_serializing_if = "String::is_empty")]
        pub driver: String,
        /// How many devices; -1 for all of them.
        pub count: i64,
        /// Which devices, by id or index (instead of a count).
        #[serde(
            rename = "DeviceIDs",
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "null_as_default"
        )]
        pub device_ids: Vec<String>,
        /// The capabilities asked for: the devices must have every capability of one of
        /// the inner lists, such as `[["gpu"]]`.
        #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub capabilities: Vec<Vec<String>>,
        /// Options for the driver.
        #[serde(skip_serializing_if = "HashMap::is_empty", deserialize_with = "null_as_default")]
        pub options: HashMap<String, String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl DeviceRequest {
    /// `count` GPUs, or all of them for -1 (`docker run --gpus all`).
    pub fn gpus(count: i64) -> Self {
        DeviceRequest {
            count,
            capabilities: vec![vec!["gpu".to_string()]],
            ..Default::default()
        }
    }

    /// Asks the driver `driver` only.
    pub fn driver(mut self, driver: &str) -> Self {
        self.driver = driver.to_string();
        self
    }

    /// Asks for these devices (by id or index) instead of a count.
    pub fn device_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.device_ids = ids.into_iter().map(Into::into).collect();
        self.count = 0;
        self
    }
}
