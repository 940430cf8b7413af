//! How many tasks a service runs: replicated, global, or as a job.

use serde::{Deserialize, Serialize};

/// How many tasks a service runs: set one of `replicated`, `global`, `replicated_job` or
/// `global_job`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceMode {
    /// A number of tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated: Option<ReplicatedMode>,
    /// One task per node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalMode>,
    /// A job: tasks that run until enough of them ended successfully.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated_job: Option<ReplicatedJobMode>,
    /// A job of one task per node, each run until it ends successfully.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_job: Option<GlobalMode>,
    /// Any other mode, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ServiceMode {
    /// `replicas` tasks.
    pub fn replicated(replicas: u64) -> Self {
        ServiceMode {
            replicated: Some(ReplicatedMode {
                replicas: Some(replicas),
                extra: serde_json::Map::new(),
            }),
            ..Default::default()
        }
    }

    /// One task per node.
    pub fn global() -> Self {
        ServiceMode {
            global: Some(GlobalMode::default()),
            ..Default::default()
        }
    }

    /// A job that runs until `total_completions` tasks ended successfully, at most
    /// `max_concurrent` at a time.
    pub fn replicated_job(max_concurrent: u64, total_completions: u64) -> Self {
        ServiceMode {
            replicated_job: Some(ReplicatedJobMode {
                max_concurrent: Some(max_concurrent),
                total_completions: Some(total_completions),
                extra: serde_json::Map::new(),
            }),
            ..Default::default()
        }
    }

    /// A job of one task per node.
    pub fn global_job() -> Self {
        ServiceMode {
            global_job: Some(GlobalMode::default()),
            ..Default::default()
        }
    }

    /// The number of replicas, for a replicated service.
    pub fn replicas(&self) -> Option<u64> {
        self.replicated.as_ref().map(|r| r.replicas.unwrap_or(1))
    }
}

/// The replicated mode: a number of tasks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ReplicatedMode {
    /// How many (the default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u64>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The global mode, of a service or a job: one task per node. The Engine API gives it no
/// field; any a newer engine adds is kept in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GlobalMode {
    /// Any field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The replicated job mode: tasks that run until enough of them ended successfully.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ReplicatedJobMode {
    /// How many tasks run at once (the default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<u64>,
    /// How many must end successfully for the job to be done (the default:
    /// `max_concurrent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_completions: Option<u64>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
