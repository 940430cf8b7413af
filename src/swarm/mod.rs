//! Swarm mode: the swarm itself (init, join, leave, inspect, update, unlock) and its
//! nodes (list, inspect, update, remove).
//!
//! Every swarm object carries a version ([`ObjectVersion`]); an update names the version
//! it was made from, and the engine refuses it ("update out of sequence") when the object
//! changed in between. Inspect, change, and update with the version inspect gave.

mod secret;
mod service;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::client::{encode_segment, object_id, Docker};
use crate::error::Result;
use crate::json::{null_as_default, Filters};
use crate::system::{ClusterInfo, ObjectVersion, SwarmSpec};

pub use secret::{
    Config, ConfigInspect, ConfigSpec, Configs, DriverConfig, ListSecretsOptions, ObjectCreated,
    Secret, SecretInspect, SecretSpec, Secrets,
};
pub use service::{
    ConfigReference, ContainerSpec, CreateServiceOptions, EndpointMode, EndpointSpec,
    FailureAction, FileTarget, ListServicesOptions, ListTasksOptions, NetworkAttachment, Placement,
    PortConfig, PortProtocol, PublishMode, ReplicatedMode, ResourceAmounts, RestartCondition,
    SecretReference, Service, ServiceCreated, ServiceEndpoint, ServiceInspect, ServiceMode,
    ServiceRestartPolicy, ServiceSpec, ServiceStatus, ServiceUpdateConfig, ServiceUpdateStatus,
    ServiceUpdated, Services, Task, TaskContainerStatus, TaskInspect, TaskResources, TaskSpec,
    TaskState, TaskStatus, Tasks, UpdateOrder, UpdateServiceOptions, UpdateState, VirtualIp,
};
pub use service::{GlobalMode, ReplicatedJobMode};

/// Defines an enum of the engine's names for something, that keeps names it does not know
/// in `Other` instead of refusing them (a newer engine must not break this client), with
/// `as_str`, `From<&str>`, `Display`, `Default` (an empty `Other`) and serde as a string.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of dockhand does not know, as the engine sent it.
            Other(String),
        }

        impl $name {
            /// The engine's name for it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}
pub(crate) use open_enum;

/// The engine's swarm: `docker.swarm()`.
#[derive(Clone, Debug)]
pub struct Swarm {
    docker: Docker,
}

/// The nodes of the swarm: `docker.nodes()`.
#[derive(Clone, Debug)]
pub struct Nodes {
    docker: Docker,
}

/// One node of the swarm, by id or host name: `docker.node("lwa4seak")`.
#[derive(Clone, Debug)]
pub struct Node {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The swarm this engine is in, or makes, or joins.
    pub fn swarm(&self) -> Swarm {
        Swarm {
            docker: self.clone(),
        }
    }

    /// The swarm's nodes (ask a manager).
    pub fn nodes(&self) -> Nodes {
        Nodes {
            docker: self.clone(),
        }
    }

    /// One node, by id, id prefix or host name. Nothing is sent until a call is made.
    pub fn node(&self, id: impl Into<String>) -> Node {
        Node {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

/// A [`SwarmSpec`] is written as the engine reads it: its typed fields and everything
/// kept in its `extra`, so an inspected spec goes back unchanged but for what the caller
/// changed. Its labels are always written, as the engine always gives them.
impl Serialize for SwarmSpec {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_swarm_spec(self, s)
    }
}

fn serialize_swarm_spec<S: Serializer>(
    spec: &SwarmSpec,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Body<'a> {
        #[serde(skip_serializing_if = "str::is_empty")]
        name: &'a str,
        labels: &'a HashMap<String, String>,
        #[serde(flatten)]
        extra: BTreeMap<&'a str, &'a serde_json::Value>,
    }
    Body {
        name: &spec.name,
        labels: &spec.labels,
        // The typed fields win over a stray copy in `extra`.
        extra: spec
            .extra
            .iter()
            .filter(|(k, _)| k.as_str() != "Name" && k.as_str() != "Labels")
            .map(|(k, v)| (k.as_str(), v))
            .collect(),
    }
    .serialize(s)
}

/// What [`Swarm::init`] sends: how this engine starts a new swarm as its first manager.
///
/// ```
/// use dockhand::InitRequest;
/// let init = InitRequest::new("127.0.0.1").listen_addr("127.0.0.1:2377");
/// ```
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct InitRequest {
    /// The address (and port) managers listen on for the swarm's own traffic:
    /// `0.0.0.0:2377` (the default), an interface name such as `eth0`, or `eth0:2377`.
    pub listen_addr: String,
    /// The address other nodes reach this one at (an address, an interface, with or
    /// without a port). Needed when the engine has several addresses.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub advertise_addr: String,
    /// The address (or interface) of the data path: the traffic between containers.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_path_addr: String,
    /// The UDP port of the data path (VXLAN); 0 for the default, 4789.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_path_port: Option<u32>,
    /// The address pools overlay networks are cut from, in CIDR form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub default_addr_pool: Vec<String>,
    /// The size (prefix length) of the subnets cut from those pools.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_size: Option<u32>,
    /// Start over from this manager's state alone, dropping the other managers (the way
    /// out of a swarm that lost its quorum).
    pub force_new_cluster: bool,
    /// The swarm's settings: its name, labels, and in `extra` the orchestration, raft,
    /// dispatcher, CA and encryption settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<SwarmSpec>,
}

impl InitRequest {
    /// A new swarm whose managers listen on `0.0.0.0:2377` and tell other nodes to reach
    /// this one at `advertise_addr` (`192.168.1.10`, `eth0`, ...).
    pub fn new(advertise_addr: impl Into<String>) -> Self {
        InitRequest {
            listen_addr: "0.0.0.0:2377".to_string(),
            advertise_addr: advertise_addr.into(),
            ..Default::default()
        }
    }

    /// Sets where managers listen for the swarm's traffic.
    pub fn listen_addr(mut self, addr: impl Into<String>) -> Self {
        self.listen_addr = addr.into();
        self
    }

    /// Sets the address of the data path.
    pub fn data_path_addr(mut self, addr: impl Into<String>) -> Self {
        self.data_path_addr = addr.into();
        self
    }

    /// Adds an address pool for overlay networks (CIDR).
    pub fn default_addr_pool(mut self, cidr: impl Into<String>) -> Self {
        self.default_addr_pool.push(cidr.into());
        self
    }

    /// Starts over from this manager's state alone.
    pub fn force_new_cluster(mut self, force: bool) -> Self {
        self.force_new_cluster = force;
        self
    }

    /// Sets the swarm's settings.
    pub fn spec(mut self, spec: SwarmSpec) -> Self {
        self.spec = Some(spec);
        self
    }
}

/// What [`Swarm::join`] sends: how this engine joins an existing swarm. Its `Debug` never
/// shows the join token.
///
/// ```
/// use dockhand::JoinRequest;
/// let join = JoinRequest::new("SWMTKN-1-...", ["10.0.0.1:2377"]).advertise_addr("10.0.0.2");
/// ```
#[derive(Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct JoinRequest {
    /// Where this node listens for the swarm's traffic (if it becomes a manager).
    pub listen_addr: String,
    /// The address other nodes reach this one at.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub advertise_addr: String,
    /// The address (or interface) of the data path.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_path_addr: String,
    /// Managers of the swarm to contact, as `host:port`.
    pub remote_addrs: Vec<String>,
    /// The worker or manager join token ([`JoinTokens`]): it decides the node's role.
    pub join_token: String,
}

impl fmt::Debug for JoinRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinRequest")
            .field("listen_addr", &self.listen_addr)
            .field("advertise_addr", &self.advertise_addr)
            .field("data_path_addr", &self.data_path_addr)
            .field("remote_addrs", &self.remote_addrs)
            .field("join_token", &redacted(&self.join_token))
            .finish()
    }
}

impl JoinRequest {
    /// Joins the swarm of the managers at `remote_addrs` with `join_token`, listening on
    /// `0.0.0.0:2377`.
    pub fn new<S: Into<String>>(
        join_token: impl Into<String>,
        remote_addrs: impl IntoIterator<Item = S>,
    ) -> Self {
        JoinRequest {
            listen_addr: "0.0.0.0:2377".to_string(),
            remote_addrs: remote_addrs.into_iter().map(Into::into).collect(),
            join_token: join_token.into(),
            ..Default::default()
        }
    }

    /// Sets where this node listens for the swarm's traffic.
    pub fn listen_addr(mut self, addr: impl Into<String>) -> Self {
        self.listen_addr = addr.into();
        self
    }

    /// Sets the address other nodes reach this one at.
    pub fn advertise_addr(mut self, addr: impl Into<String>) -> Self {
        self.advertise_addr = addr.into();
        self
    }

    /// Sets the address of the data path.
    pub fn data_path_addr(mut self, addr: impl Into<String>) -> Self {
        self.data_path_addr = addr.into();
        self
    }
}

/// What `Debug` shows for a secret value.
fn redacted(secret: &str) -> &'static str {
    if secret.is_empty() {
        ""
    } else {
        "<redacted>"
    }
}

/// A swarm as its managers report it: `GET /swarm`. The cluster's fields are those of
/// [`Info`](crate::Info)'s [`ClusterInfo`]; a manager adds the join tokens.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SwarmInspect {
    /// The swarm: id, version, dates, settings.
    #[serde(flatten)]
    pub cluster: ClusterInfo,
    /// The tokens that let a node join, as a worker or as a manager.
    pub join_tokens: JoinTokens,
}

impl SwarmInspect {
    /// The swarm's id.
    pub fn id(&self) -> &str {
        &self.cluster.id
    }

    /// The version of the swarm's record, for [`Swarm::update`].
    pub fn version(&self) -> u64 {
        self.cluster.version.index
    }

    /// The swarm's settings.
    pub fn spec(&self) -> &SwarmSpec {
        &self.cluster.spec
    }
}

/// The tokens that let a node join a swarm. They are credentials: `Debug` never shows
/// them.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct JoinTokens {
    /// Joins a node as a worker.
    pub worker: String,
    /// Joins a node as a manager.
    pub manager: String,
}

impl fmt::Debug for JoinTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinTokens")
            .field("worker", &redacted(&self.worker))
            .field("manager", &redacted(&self.manager))
            .finish()
    }
}

/// The key that unlocks a swarm's managers after a restart, when the swarm has
/// `AutoLockManagers` on (empty when it is off). `Debug` never shows it.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
pub struct UnlockKey {
    #[serde(rename = "UnlockKey", default)]
    key: String,
}

impl fmt::Debug for UnlockKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnlockKey")
            .field("key", &redacted(&self.key))
            .finish()
    }
}

impl UnlockKey {
    /// Whether there is none (the swarm does not lock its managers).
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// The key itself, such as `SWMKEY-1-...`, to store safely or give to
    /// [`Swarm::unlock`].
    pub fn expose_secret(&self) -> &str {
        &self.key
    }
}

/// Flags of [`Swarm::update`]: which tokens and keys to replace with new ones.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct SwarmUpdateOptions {
    rotate_worker_token: bool,
    rotate_manager_token: bool,
    rotate_manager_unlock_key: bool,
}

impl SwarmUpdateOptions {
    /// Change the settings only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replace the worker join token (the old one stops working).
    pub fn rotate_worker_token(mut self, on: bool) -> Self {
        self.rotate_worker_token = on;
        self
    }

    /// Replace the manager join token (the old one stops working).
    pub fn rotate_manager_token(mut self, on: bool) -> Self {
        self.rotate_manager_token = on;
        self
    }

    /// Replace the key that unlocks the managers.
    pub fn rotate_manager_unlock_key(mut self, on: bool) -> Self {
        self.rotate_manager_unlock_key = on;
        self
    }
}

impl Swarm {
    /// Makes a new swarm with this engine as its first manager, and returns this node's
    /// id.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, InitRequest};
    /// let docker = Docker::from_env()?;
    /// let node_id = docker.swarm().init(&InitRequest::new("192.168.1.10"))?;
    /// let tokens = docker.swarm().inspect()?.join_tokens;
    /// # Ok(()) }
    /// ```
    pub fn init(&self, request: &InitRequest) -> Result<String> {
        self.docker
            .post("/swarm/init".into())
            .json(request)
            .send()?
            .json()
    }

    /// Joins an existing swarm, as a worker or a manager (the token decides).
    pub fn join(&self, request: &JoinRequest) -> Result<()> {
        self.docker
            .post("/swarm/join".into())
            .json(request)
            .send()?
            .drain()
    }

    /// Leaves the swarm. A manager must `force` it, and so may lose the swarm's quorum (a
    /// last manager's swarm is gone with it).
    pub fn leave(&self, force: bool) -> Result<()> {
        self.docker
            .post("/swarm/leave".into())
            .flag("force", force)
            .send()?
            .drain()
    }

    /// The swarm, with its join tokens (managers only; a 503 from a worker or an engine
    /// outside any swarm).
    pub fn inspect(&self) -> Result<SwarmInspect> {
        self.docker.get("/swarm".into()).send()?.json()
    }

    /// Changes the swarm's settings to `spec`, made from the version `version` of its
    /// record ([`SwarmInspect::version`]). The whole spec is sent: start from the one
    /// [`inspect`](Self::inspect) gave.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, SwarmUpdateOptions};
    /// let docker = Docker::from_env()?;
    /// let swarm = docker.swarm().inspect()?;
    /// let mut spec = swarm.spec().clone();
    /// spec.labels.insert("team".into(), "infra".into());
    /// docker.swarm().update(swarm.version(), &spec, &SwarmUpdateOptions::new())?;
    /// # Ok(()) }
    /// ```
    pub fn update(
        &self,
        version: u64,
        spec: &SwarmSpec,
        options: &SwarmUpdateOptions,
    ) -> Result<()> {
        self.docker
            .post("/swarm/update".into())
            .query("version", &version.to_string())
            .flag("rotateWorkerToken", options.rotate_worker_token)
            .flag("rotateManagerToken", options.rotate_manager_token)
            .flag("rotateManagerUnlockKey", options.rotate_manager_unlock_key)
            .json(spec)
            .send()?
            .drain()
    }

    /// The key that unlocks the managers after a restart (empty when the swarm does not
    /// lock them: `AutoLockManagers` in the spec's `EncryptionConfig`).
    pub fn unlock_key(&self) -> Result<UnlockKey> {
        self.docker.get("/swarm/unlockkey".into()).send()?.json()
    }

    /// Unlocks a locked manager with its unlock key (`SWMKEY-1-...`).
    pub fn unlock(&self, key: &str) -> Result<()> {
        #[derive(Serialize)]
        struct Unlock<'a> {
            #[serde(rename = "UnlockKey")]
            key: &'a str,
        }
        self.docker
            .post("/swarm/unlock".into())
            .json(&Unlock { key })
            .send()?
            .drain()
    }
}

open_enum! {
    /// A node's role in the swarm.
    NodeRole {
        /// Runs tasks.
        Worker = "worker",
        /// Runs tasks (unless drained) and manages the swarm.
        Manager = "manager",
    }
}

open_enum! {
    /// Whether a node takes tasks.
    NodeAvailability {
        /// Takes new tasks.
        Active = "active",
        /// Keeps its tasks, takes no new ones.
        Pause = "pause",
        /// Its tasks move elsewhere; takes no new ones.
        Drain = "drain",
    }
}

open_enum! {
    /// Whether a node is up, as the managers see it.
    NodeState {
        /// Not known yet.
        Unknown = "unknown",
        /// Down.
        Down = "down",
        /// Up and ready for tasks.
        Ready = "ready",
        /// Lost contact.
        Disconnected = "disconnected",
    }
}

open_enum! {
    /// Whether a manager can be reached by the other managers.
    Reachability {
        /// Not known yet.
        Unknown = "unknown",
        /// Cannot be reached.
        Unreachable = "unreachable",
        /// Can be reached.
        Reachable = "reachable",
    }
}

/// Filters for [`Nodes::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListNodesOptions {
    filters: Filters,
}

impl ListNodesOptions {
    /// Every node.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker node ls --filter key=value`: `id`, `label` (engine
    /// labels), `node.label` (the node's own labels), `membership` (`accepted`,
    /// `pending`), `name`, `role` (`manager`, `worker`). Several values for one key match
    /// any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// What can be changed about a node: the body of `POST /nodes/{id}/update`. The whole
/// spec is sent: start from the node's [`NodeInspect::spec`], as the engine refuses an
/// update without a role and an availability.
///
/// ```
/// use dockhand::{NodeAvailability, NodeSpec};
/// let spec = NodeSpec::default().label("zone", "a").availability(NodeAvailability::Drain);
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeSpec {
    /// Its name (empty for none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels (placement constraints can use them: `node.labels.zone==a`).
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// Worker or manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<NodeRole>,
    /// Whether it takes tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<NodeAvailability>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl NodeSpec {
    /// Adds (or replaces) a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.insert(key.to_string(), value.to_string());
        self
    }

    /// Sets the role: promote to manager or demote to worker.
    pub fn role(mut self, role: NodeRole) -> Self {
        self.role = Some(role);
        self
    }

    /// Sets whether it takes tasks.
    pub fn availability(mut self, availability: NodeAvailability) -> Self {
        self.availability = Some(availability);
        self
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// A node of the swarm: `GET /nodes/{id}`, and each item of a list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record, for [`Node::update`].
    pub version: ObjectVersion,
    /// When it joined (RFC 3339).
    pub created_at: String,
    /// When its record last changed (RFC 3339).
    pub updated_at: String,
    /// What can be changed about it.
    pub spec: NodeSpec,
    /// What it is: host name, platform, resources, engine.
    pub description: NodeDescription,
    /// Whether it is up.
    pub status: NodeStatus,
    /// Its part in managing the swarm (managers only).
    pub manager_status: Option<ManagerStatus>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// What a node is, as it reports itself.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeDescription {
    /// Its host name.
    pub hostname: String,
    /// Its CPU architecture and operating system.
    pub platform: NodePlatform,
    /// What it offers to tasks.
    pub resources: NodeResources,
    /// Its engine: version, labels, plugins.
    pub engine: NodeEngine,
    /// Every other field (`TLSInfo`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A node's CPU architecture and operating system.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodePlatform {
    /// Such as `x86_64` or `aarch64`.
    pub architecture: String,
    /// Such as `linux`.
    #[serde(rename = "OS")]
    pub os: String,
}

/// What a node offers to tasks.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeResources {
    /// CPUs, in billionths of a CPU.
    #[serde(rename = "NanoCPUs")]
    pub nano_cpus: i64,
    /// Memory, in bytes.
    pub memory_bytes: i64,
    /// Every other field (`GenericResources`).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A node's engine.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeEngine {
    /// Its version, such as `20.10.24`.
    pub engine_version: String,
    /// The engine's labels (set in its daemon configuration).
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// Every other field (`Plugins`).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// Whether a node is up.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NodeStatus {
    /// Up, down, ...
    pub state: NodeState,
    /// Why, in words (may be empty).
    pub message: String,
    /// The address the managers see it at.
    pub addr: String,
}

/// A manager's part in managing the swarm.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ManagerStatus {
    /// Whether it leads the managers now.
    pub leader: bool,
    /// Whether the other managers reach it.
    pub reachability: Reachability,
    /// Its address for the swarm's traffic, `host:port`.
    pub addr: String,
}

impl Nodes {
    /// Lists the swarm's nodes (managers only).
    pub fn list(&self, options: &ListNodesOptions) -> Result<Vec<NodeInspect>> {
        self.docker
            .get("/nodes".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }
}

impl Node {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("node id", &self.id)?;
        Ok(format!("/nodes/{}{tail}", encode_segment(id)))
    }

    /// Everything the managers know about the node.
    pub fn inspect(&self) -> Result<NodeInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// Changes the node's spec to `spec`, made from the version `version` of its record
    /// ([`NodeInspect::version`]).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, NodeAvailability};
    /// let docker = Docker::from_env()?;
    /// let node = docker.node("worker-1").inspect()?;
    /// let spec = node.spec.clone().availability(NodeAvailability::Drain);
    /// docker.node(&node.id).update(node.version.index, &spec)?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, version: u64, spec: &NodeSpec) -> Result<()> {
        self.docker
            .post(self.path("/update")?)
            .query("version", &version.to_string())
            .json(spec)
            .send()?
            .drain()
    }

    /// Removes the node from the swarm. A node that is up must be `force`d out; a
    /// manager must be demoted first.
    pub fn remove(&self, force: bool) -> Result<()> {
        self.docker
            .delete(self.path("")?)
            .flag("force", force)
            .send()?
            .drain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_init_body_has_the_api_names_and_the_spec_with_its_extra_fields() {
        let spec = SwarmSpec {
            name: "default".into(),
            labels: HashMap::new(),
            extra: [(
                "EncryptionConfig".to_string(),
                serde_json::json!({"AutoLockManagers": true}),
            )]
            .into_iter()
            .collect(),
        };
        let init = InitRequest::new("127.0.0.1")
            .listen_addr("127.0.0.1:2377")
            .spec(spec);
        assert_eq!(
            serde_json::to_value(&init).unwrap(),
            serde_json::json!({
                "ListenAddr": "127.0.0.1:2377",
                "AdvertiseAddr": "127.0.0.1",
                "ForceNewCluster": false,
                "Spec": {"Name": "default", "Labels": {},
                         "EncryptionConfig": {"AutoLockManagers": true}},
            })
        );
    }

    #[test]
    fn an_inspected_swarm_spec_goes_back_unchanged() {
        let text = r#"{"ID":"s1","Version":{"Index":10},"CreatedAt":"t","Spec":{"Name":"default",
            "Labels":{},"Orchestration":{"TaskHistoryRetentionLimit":5},
            "EncryptionConfig":{"AutoLockManagers":false}},"DataPathPort":4789,
            "JoinTokens":{"Worker":"SWMTKN-w","Manager":"SWMTKN-m"}}"#;
        let swarm: SwarmInspect = serde_json::from_str(text).unwrap();
        assert_eq!((swarm.id(), swarm.version()), ("s1", 10));
        assert_eq!(swarm.join_tokens.worker, "SWMTKN-w");
        assert!(!swarm.cluster.extra.contains_key("JoinTokens"));
        assert_eq!(swarm.cluster.data_path_port, 4789);
        let back = serde_json::to_value(swarm.spec()).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"Name": "default", "Labels": {},
                "Orchestration": {"TaskHistoryRetentionLimit": 5},
                "EncryptionConfig": {"AutoLockManagers": false}})
        );
    }

    #[test]
    fn a_full_swarm_spec_and_node_spec_go_back_exactly() {
        // As an engine speaking API 1.51 gives them, and a field no version has.
        let swarm = r#"{"Name": "default", "Labels": {"team": "infra"},
            "Orchestration": {"TaskHistoryRetentionLimit": 5},
            "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0,
              "LogEntriesForSlowFollowers": 500, "ElectionTick": 10, "HeartbeatTick": 1},
            "Dispatcher": {"HeartbeatPeriod": 5000000000},
            "CAConfig": {"NodeCertExpiry": 7776000000000000, "ExternalCAs": [{"Protocol":
              "cfssl", "URL": "https://ca", "Options": {"k": "v"}, "CACert": "pem"}],
              "ForceRotate": 1},
            "TaskDefaults": {"LogDriver": {"Name": "json-file",
              "Options": {"max-file": "3"}}},
            "EncryptionConfig": {"AutoLockManagers": false}, "XFuture": {"a": null}}"#;
        let original: serde_json::Value = serde_json::from_str(swarm).unwrap();
        let spec: SwarmSpec = serde_json::from_str(swarm).unwrap();
        assert_eq!(serde_json::to_value(&spec).unwrap(), original);
        let node = r#"{"Name": "n1", "Labels": {"zone": "a"}, "Role": "worker",
            "Availability": "drain", "XFuture": 1}"#;
        let original: serde_json::Value = serde_json::from_str(node).unwrap();
        let spec: NodeSpec = serde_json::from_str(node).unwrap();
        assert_eq!(serde_json::to_value(&spec).unwrap(), original);
        let bare: NodeSpec = serde_json::from_str(r#"{"Labels": {}}"#).unwrap();
        assert_eq!(
            serde_json::to_value(&bare).unwrap(),
            serde_json::json!({"Labels": {}})
        );
    }

    #[test]
    fn tokens_and_keys_never_show_in_debug() {
        let swarm: SwarmInspect =
            serde_json::from_str(r#"{"JoinTokens":{"Worker":"SWMTKN-w","Manager":"SWMTKN-m"}}"#)
                .unwrap();
        let key: UnlockKey = serde_json::from_str(r#"{"UnlockKey":"SWMKEY-1-x"}"#).unwrap();
        let join = JoinRequest::new("SWMTKN-j", ["10.0.0.1:2377"]);
        for shown in [
            format!("{swarm:?}"),
            format!("{key:?}"),
            format!("{join:?}"),
        ] {
            assert!(
                !shown.contains("SWMTKN") && !shown.contains("SWMKEY"),
                "{shown}"
            );
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        assert_eq!(key.expose_secret(), "SWMKEY-1-x");
        assert_eq!(
            serde_json::to_value(&join).unwrap()["JoinToken"],
            "SWMTKN-j"
        );
    }

    #[test]
    fn a_node_reads_and_its_spec_goes_back() {
        let node: NodeInspect = serde_json::from_str(
            r#"{"ID":"n1","Version":{"Index":9},"Spec":{"Labels":{},"Role":"manager",
                "Availability":"active"},"Description":{"Hostname":"vm",
                "Platform":{"Architecture":"x86_64","OS":"linux"},
                "Resources":{"NanoCPUs":2000000000,"MemoryBytes":1024},
                "Engine":{"EngineVersion":"20.10.24","Plugins":[]}},
                "Status":{"State":"ready","Addr":"127.0.0.1"},
                "ManagerStatus":{"Leader":true,"Reachability":"reachable","Addr":"127.0.0.1:2377"}}"#,
        )
        .unwrap();
        assert_eq!(node.spec.role, Some(NodeRole::Manager));
        assert_eq!(node.status.state, NodeState::Ready);
        assert_eq!(node.description.platform.os, "linux");
        let manager = node.manager_status.as_ref().unwrap();
        assert!(manager.leader);
        assert_eq!(manager.reachability, Reachability::Reachable);
        let spec = node.spec.clone().label("zone", "a");
        assert_eq!(
            serde_json::to_value(&spec).unwrap(),
            serde_json::json!({"Labels": {"zone": "a"}, "Role": "manager", "Availability": "active"})
        );
        let odd: NodeAvailability = serde_json::from_str(r#""resting""#).unwrap();
        assert_eq!(odd, NodeAvailability::Other("resting".into()));
        assert_eq!(serde_json::to_value(&odd).unwrap(), "resting");
    }
}
