//! How an update or rollback replaces a service's tasks: [`ServiceUpdateConfig`].

use std::time::Duration;

use serde::{Deserialize, Serialize, Serializer};

use super::spec::nanos;
use crate::swarm::open_enum;

open_enum! {
    /// What an update does when a task fails to update.
    FailureAction {
        /// Stops updating, and waits (the default).
        Pause = "pause",
        /// Goes on with the next tasks.
        Continue = "continue",
        /// Rolls the service back to its previous spec.
        Rollback = "rollback",
    }
}

open_enum! {
    /// The order an update replaces a task in.
    UpdateOrder {
        /// Stops the old task, then starts the new one (the default).
        StopFirst = "stop-first",
        /// Starts the new task, then stops the old one (both run for a while).
        StartFirst = "start-first",
    }
}

/// How an update (or a rollback) replaces a service's tasks. Times are in nanoseconds;
/// the builder methods take `Duration`s.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ServiceUpdateConfig {
    /// How many tasks at once (0: all at once; the default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u64>,
    /// Nanoseconds to wait between batches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<i64>,
    /// What to do when a task fails to update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_action: Option<FailureAction>,
    /// Nanoseconds to watch a new task for failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor: Option<i64>,
    /// The share of tasks that may fail before the failure action (0 to 1).
    #[serde(
        serialize_with = "serialize_ratio",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_failure_ratio: Option<f64>,
    /// Stop the old task first, or start the new one first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<UpdateOrder>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Writes a ratio as the engine does: a whole number without a fraction (`0`, not
/// `0.0`), so a ratio read from the engine goes back as the same JSON number.
fn serialize_ratio<S: Serializer>(
    ratio: &Option<f64>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match ratio {
        // Below 2^53 every whole f64 is an exact i64.
        Some(r) if r.fract() == 0.0 && r.abs() < 9_007_199_254_740_992.0 => {
            s.serialize_i64(*r as i64)
        }
        Some(r) => s.serialize_f64(*r),
        None => s.serialize_none(),
    }
}

impl ServiceUpdateConfig {
    /// The engine's defaults: one task at a time, stop first, pause on failure.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how many tasks at once (0: all).
    pub fn parallelism(mut self, tasks: u64) -> Self {
        self.parallelism = Some(tasks);
        self
    }

    /// Sets the wait between batches.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(nanos(delay));
        self
    }

    /// Sets what to do when a task fails to update.
    pub fn failure_action(mut self, action: FailureAction) -> Self {
        self.failure_action = Some(action);
        self
    }

    /// Sets how long a new task is watched for failure.
    pub fn monitor(mut self, monitor: Duration) -> Self {
        self.monitor = Some(nanos(monitor));
        self
    }

    /// Sets the order a task is replaced in.
    pub fn order(mut self, order: UpdateOrder) -> Self {
        self.order = Some(order);
        self
    }
}
