//! Swarm services (create, list, inspect, update, scale, remove, logs) and their tasks
//! (list, inspect, logs).
//!
//! A service is a spec the swarm keeps true: it starts tasks (one container each) until
//! the wanted number runs. Updates send the whole spec with the version it was read at
//! (see [`Service::update`]); [`Service::scale`] does that round trip for the commonest
//! change.
//!
//! Every part of a spec keeps the fields it does not type in its `extra` map, and a typed
//! field the engine left out stays out: a spec read from the engine goes back as it came,
//! but for what the caller changed.

mod endpoint;
mod handle;
mod inspect;
mod mode;
mod reference;
mod spec;
mod task;
mod task_spec;
mod update;

pub use endpoint::{
    EndpointMode, EndpointSpec, NetworkAttachment, PortConfig, PortProtocol, PublishMode,
};
pub use handle::{
    CreateServiceOptions, ListServicesOptions, Service, Services, UpdateServiceOptions,
};
pub use inspect::{
    ServiceCreated, ServiceEndpoint, ServiceInspect, ServiceStatus, ServiceUpdateStatus,
    ServiceUpdated, UpdateState, VirtualIp,
};
pub use mode::{GlobalMode, ReplicatedJobMode, ReplicatedMode, ServiceMode};
pub use reference::{ConfigReference, FileTarget, SecretReference};
pub use spec::ServiceSpec;
pub use task::{
    ListTasksOptions, Task, TaskContainerStatus, TaskInspect, TaskState, TaskStatus, Tasks,
};
pub use task_spec::{
    ContainerSpec, Placement, ResourceAmounts, RestartCondition, ServiceRestartPolicy,
    TaskResources, TaskSpec,
};
pub use update::{FailureAction, ServiceUpdateConfig, UpdateOrder};

#[cfg(test)]
mod tests;
