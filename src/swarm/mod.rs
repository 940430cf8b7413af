//! Swarm mode: the swarm itself (init, join, leave, inspect, update, unlock: here), its
//! nodes (`node.rs`), services and their tasks (`service/`), secrets (`secret.rs`) and
//! configs (`config.rs`).
//!
//! Every swarm object carries a version ([`ObjectVersion`]); an update names the version
//! it was made from, and the engine refuses it ("update out of sequence") when the object
//! changed in between. Inspect, change, and update with the version inspect gave.

mod config;
mod node;
mod open_enum;
mod secret;
mod service;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::client::Docker;
use crate::error::Result;
use crate::system::ClusterInfo;

// Defined with `Info`, which carries them too.
pub use crate::system::info::{ObjectVersion, SwarmSpec};
pub use config::{Config, ConfigInspect, ConfigSpec, Configs};
pub use node::{
    ListNodesOptions, ManagerStatus, Node, NodeAvailability, NodeDescription, NodeEngine,
    NodeInspect, NodePlatform, NodeResources, NodeRole, NodeSpec, NodeState, NodeStatus, Nodes,
    Reachability,
};
pub(crate) use open_enum::open_enum;
pub use secret::{
    DriverConfig, ListSecretsOptions, ObjectCreated, Secret, SecretInspect, SecretSpec, Secrets,
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

/// The engine's swarm: `docker.swarm()`.
#[derive(Clone, Debug)]
pub struct Swarm {
    docker: Docker,
}

impl Docker {
    /// The swarm this engine is in, or makes, or joins.
    pub fn swarm(&self) -> Swarm {
        Swarm {
            docker: self.clone(),
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
/// use dockhand::swarm::InitRequest;
/// let init = InitRequest::new("127.0.0.1").listen_addr("127.0.0.1:2377");
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
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
    /// Any other field of the body, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
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
/// use dockhand::swarm::JoinRequest;
/// let join = JoinRequest::new("SWMTKN-1-...", ["10.0.0.1:2377"]).advertise_addr("10.0.0.2");
/// ```
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
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
    /// Any other field of the body, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for JoinRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinRequest")
            .field("listen_addr", &self.listen_addr)
            .field("advertise_addr", &self.advertise_addr)
            .field("data_path_addr", &self.data_path_addr)
            .field("remote_addrs", &self.remote_addrs)
            .field("join_token", &redacted(&self.join_token))
            .field("extra", &self.extra)
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
/// [`Info`](crate::system::Info)'s [`ClusterInfo`]; a manager adds the join tokens.
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
    /// use dockhand::Docker;
    /// use dockhand::swarm::InitRequest;
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
    /// use dockhand::Docker;
    /// use dockhand::swarm::SwarmUpdateOptions;
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

#[cfg(test)]
mod tests;
