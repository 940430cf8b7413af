//! How a service is reached: its networks, endpoint mode and published ports.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::swarm::open_enum;

open_enum! {
    /// How other services reach a service.
    EndpointMode {
        /// Through one virtual address that balances over its tasks (the default).
        Vip = "vip",
        /// Through DNS round robin over its tasks' addresses.
        Dnsrr = "dnsrr",
    }
}

open_enum! {
    /// A port's protocol.
    PortProtocol {
        /// TCP (the default).
        Tcp = "tcp",
        /// UDP.
        Udp = "udp",
        /// SCTP.
        Sctp = "sctp",
    }
}

open_enum! {
    /// Where a published port is open.
    PublishMode {
        /// On every node, balanced over the service's tasks (the routing mesh; the
        /// default).
        Ingress = "ingress",
        /// On the nodes that run a task, to that task only.
        Host = "host",
    }
}

/// A network a service's tasks are attached to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkAttachment {
    /// The network's name or id.
    pub target: String,
    /// Other names the service is reached by on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Vec<String>>,
    /// Options of the network's driver for this attachment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver_opts: Option<HashMap<String, String>>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl NetworkAttachment {
    /// The network `target` (name or id).
    pub fn new(target: impl Into<String>) -> Self {
        NetworkAttachment {
            target: target.into(),
            ..Default::default()
        }
    }

    /// Adds a name the service is reached by on this network.
    pub fn alias(mut self, alias: &str) -> Self {
        self.aliases
            .get_or_insert_with(Vec::new)
            .push(alias.to_string());
        self
    }
}

/// How a service is reached: its ports and load-balancing mode.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct EndpointSpec {
    /// Virtual address or DNS round robin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<EndpointMode>,
    /// Its published ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<PortConfig>>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A port of a service.
///
/// ```
/// use dockhand::swarm::{PortConfig, PortProtocol, PublishMode};
/// let dns = PortConfig::new(53).published(5353).protocol(PortProtocol::Udp);
/// let direct = PortConfig::new(80).published(8080).publish_mode(PublishMode::Host);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PortConfig {
    /// A name for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its protocol (the default: tcp).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<PortProtocol>,
    /// The port inside the containers (0: none, and then not sent).
    #[serde(skip_serializing_if = "is_zero")]
    pub target_port: u16,
    /// The port on the nodes (none: the engine picks one from 30000 up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_port: Option<u16>,
    /// Routing mesh or the task's node only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_mode: Option<PublishMode>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn is_zero(port: &u16) -> bool {
    *port == 0
}

impl PortConfig {
    /// The containers' port `target`, over tcp, published on a port the engine picks.
    pub fn new(target: u16) -> Self {
        PortConfig {
            target_port: target,
            ..Default::default()
        }
    }

    /// Publishes it on this port of the nodes.
    pub fn published(mut self, port: u16) -> Self {
        self.published_port = Some(port);
        self
    }

    /// Sets the protocol.
    pub fn protocol(mut self, protocol: PortProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// Sets where it is open.
    pub fn publish_mode(mut self, mode: PublishMode) -> Self {
        self.publish_mode = Some(mode);
        self
    }
}
