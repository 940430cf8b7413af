//! The swarm's nodes: list, inspect, update, remove.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::open_enum;
use crate::client::{encode_segment, object_id, Docker};
use crate::error::Result;
use crate::json::{null_as_default, Filters};
use crate::swarm::ObjectVersion;

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
/// use dockhand::swarm::{NodeAvailability, NodeSpec};
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
    /// use dockhand::Docker;
    /// use dockhand::swarm::NodeAvailability;
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
