//! Tasks, the containers services run: handles, states, inspect, list and logs.

use std::collections::HashMap;

use serde::Deserialize;

use super::handle::has_tty;
use super::TaskSpec;
use crate::client::{encode_segment, object_id, Docker};
use crate::container::{read_logs, LogsOptions};
use crate::error::Result;
use crate::json::{null_as_default, Filters};
use crate::stream::OutputStream;
use crate::swarm::open_enum;
use crate::swarm::ObjectVersion;

/// The tasks of the swarm: `docker.tasks()`.
#[derive(Clone, Debug)]
pub struct Tasks {
    docker: Docker,
}

/// One task, by id: `docker.task(id)`.
#[derive(Clone, Debug)]
pub struct Task {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The swarm's tasks: the containers its services run, past and present.
    pub fn tasks(&self) -> Tasks {
        Tasks {
            docker: self.clone(),
        }
    }

    /// One task, by id or id prefix. Nothing is sent until a call is made.
    pub fn task(&self, id: impl Into<String>) -> Task {
        Task {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

open_enum! {
    /// A task's state, in the order tasks go through them (and the state it should be
    /// in: [`TaskInspect::desired_state`]).
    TaskState {
        /// Just made.
        New = "new",
        /// Given its resources (network addresses).
        Allocated = "allocated",
        /// Waiting for a node.
        Pending = "pending",
        /// Given to a node.
        Assigned = "assigned",
        /// Taken by the node.
        Accepted = "accepted",
        /// Being prepared (image pulled, container created).
        Preparing = "preparing",
        /// Ready to start.
        Ready = "ready",
        /// Starting.
        Starting = "starting",
        /// Running.
        Running = "running",
        /// Ended with exit code 0.
        Complete = "complete",
        /// Stopped by the swarm.
        Shutdown = "shutdown",
        /// Ended with an error.
        Failed = "failed",
        /// Refused by its node.
        Rejected = "rejected",
        /// Being removed.
        Remove = "remove",
        /// Its node is gone.
        Orphaned = "orphaned",
    }
}

impl TaskState {
    /// Whether the task is over: it will never run again.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskState::Complete
                | TaskState::Shutdown
                | TaskState::Failed
                | TaskState::Rejected
                | TaskState::Remove
                | TaskState::Orphaned
        )
    }
}

/// Filters for [`Tasks::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListTasksOptions {
    filters: Filters,
}

impl ListTasksOptions {
    /// Every task the swarm remembers (running ones, and a few ended ones per slot).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter: `id`, `name`, `label`, `node`, `service` (name or id),
    /// `desired-state` (`running`, `shutdown`, `accepted`). Several values for one key
    /// match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the tasks of this service (name or id).
    pub fn service(self, service: &str) -> Self {
        self.filter("service", service)
    }

    /// Only the tasks that should be in this state: `running`, `shutdown` or
    /// `accepted`.
    pub fn desired_state(self, state: &str) -> Self {
        self.filter("desired-state", state)
    }
}

/// A task: one container of a service, in one slot, on one node. `GET /tasks/{id}`, and
/// each item of a list.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record.
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Its name (often empty; `docker service ps` shows `<service>.<slot>`).
    pub name: String,
    /// Its labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// What it runs: its service's task template when it was made.
    pub spec: TaskSpec,
    /// Its service's id.
    #[serde(rename = "ServiceID")]
    pub service_id: String,
    /// Its slot (1 to the number of replicas; 0 in a global service).
    pub slot: u64,
    /// The node it is on (empty until assigned).
    #[serde(rename = "NodeID")]
    pub node_id: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// The state the swarm wants it in.
    pub desired_state: TaskState,
    /// Every other field (`NetworksAttachments`, `AssignedGenericResources`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl TaskInspect {
    /// Its container's id (empty until it has one).
    pub fn container_id(&self) -> &str {
        self.status
            .container_status
            .as_ref()
            .map_or("", |c| c.container_id.as_str())
    }
}

/// Where a task stands.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskStatus {
    /// When it got there (RFC 3339).
    pub timestamp: String,
    /// Its state.
    pub state: TaskState,
    /// What happened, in words (`started`, ...).
    pub message: String,
    /// What went wrong, if anything.
    pub err: String,
    /// Its container, once there is one.
    pub container_status: Option<TaskContainerStatus>,
    /// Every other field (`PortStatus`).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A task's container.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct TaskContainerStatus {
    /// The container's id.
    #[serde(rename = "ContainerID")]
    pub container_id: String,
    /// Its main process's id on the node.
    #[serde(rename = "PID")]
    pub pid: i64,
    /// Its exit code, once it ended.
    pub exit_code: i64,
}

impl Tasks {
    /// Lists tasks.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::swarm::{ListTasksOptions, TaskState};
    /// let docker = Docker::from_env()?;
    /// let tasks = docker
    ///     .tasks()
    ///     .list(&ListTasksOptions::new().service("web").desired_state("running"))?;
    /// let running = tasks.iter().filter(|t| t.status.state == TaskState::Running).count();
    /// # Ok(()) }
    /// ```
    pub fn list(&self, options: &ListTasksOptions) -> Result<Vec<TaskInspect>> {
        self.docker
            .get("/tasks".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }
}

impl Task {
    /// The id this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("task id", &self.id)?;
        Ok(format!("/tasks/{}{tail}", encode_segment(id)))
    }

    /// The task: its spec, node, state and container.
    pub fn inspect(&self) -> Result<TaskInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// The output of the task's container, as it arrives.
    pub fn logs(&self, options: &LogsOptions) -> Result<OutputStream> {
        let tty = || Ok(has_tty(&self.inspect()?.spec));
        read_logs(&self.docker, self.path("/logs")?, options, &tty)
    }
}
