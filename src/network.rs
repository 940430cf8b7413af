//! Networks: list, create, inspect, connect a container, disconnect it, remove, prune.
//!
//! [`Docker::networks`](crate::Docker::networks) is the collection,
//! [`Docker::network`](crate::Docker::network) a handle on one network by id or name.
//!
//! ```no_run
//! use dockhand::network::{NetworkConfig, NetworkConnect};
//!
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let created = docker.networks().create(&NetworkConfig::new("backend").internal(true))?;
//! let network = docker.network(&created.id);
//! network.connect(&NetworkConnect::new("db").alias("database"))?;
//! for (id, member) in network.inspect()?.containers {
//!     println!("{id}: {}", member.ipv4());
//! }
//! # Ok(()) }
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::client::{encode_segment, object_id, Docker};
use crate::container::EndpointSettings;
use crate::error::{Error, Result};
use crate::json::model;
use crate::json::{null_as_default, Filters};
use crate::system::Timestamp;

/// The networks of an engine: `docker.networks()`.
#[derive(Clone, Debug)]
pub struct Networks {
    docker: Docker,
}

/// One network, by id, id prefix or name: `docker.network("backend")`.
#[derive(Clone, Debug)]
pub struct Network {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The engine's networks: list, create and prune.
    pub fn networks(&self) -> Networks {
        Networks {
            docker: self.clone(),
        }
    }

    /// One network, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn network(&self, id: impl Into<String>) -> Network {
        Network {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

/// Filters for [`Networks::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListNetworksOptions {
    filters: Filters,
}

impl ListNetworksOptions {
    /// Every network.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker network ls --filter key=value`: `label` (`key` or
    /// `key=value`), `name`, `id`, `driver`, `scope` (`local`, `swarm`, `global`), `type`
    /// (`custom` or `builtin`), `dangling`. Several values for one key match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// Filters for [`Networks::prune`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneNetworksOptions {
    filters: Filters,
}

impl PruneNetworksOptions {
    /// Every network no container uses (but the engine's own: `bridge`, `host`, `none`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker network prune --filter key=value`: `label` (`key` or
    /// `key=value`), `label!` (without that label), `until` (created before a time: a Unix
    /// timestamp, an RFC 3339 date or a duration such as `10m`).
    ///
    /// Other programs may share the engine: a label filter keeps a prune to your own
    /// networks.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Only the networks created before this time (the `until` filter): a
    /// [`SystemTime`](std::time::SystemTime), Unix seconds, [`Timestamp::ago`], or a date read
    /// by [`Timestamp::parse`].
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.filters.add("until", &time.into().to_query());
        self
    }
}

model! {
    /// What a network is made from: the body of `POST /networks/create`. Field names are the
    /// Engine API's, so its reference documents them; anything not typed here can go in
    /// [`extra`](Self::extra).
    ///
    /// ```
    /// use dockhand::network::{Ipam, IpamConfig, NetworkConfig};
    /// let config = NetworkConfig::new("backend")
    ///     .internal(true)
    ///     .label("app", "demo")
    ///     .ipam(Ipam::new().config(
    ///         IpamConfig::new().subnet("10.213.7.0/24").gateway("10.213.7.1"),
    ///     ));
    /// ```
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct NetworkConfig {
        /// Its name.
        pub name: String,
        /// Refuse to create it when a network of that name exists. Unset,
        /// [`Networks::create`] sends `true`, as the docker CLI does; `Some(false)` lets
        /// engines before Docker 25 make a second network of the name (Docker 25 and later,
        /// and Podman, refuse duplicates whatever this says).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub check_duplicate: Option<bool>,
        /// The driver: `bridge` (the default on one engine), `overlay`, `macvlan`, `ipvlan`, or
        /// a plugin's name.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub driver: Option<String>,
        /// Cut off from the outside: containers on it reach each other only.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub internal: Option<bool>,
        /// Let standalone containers join it (swarm-scoped networks).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attachable: Option<bool>,
        /// The routing-mesh network of a swarm.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ingress: Option<bool>,
        /// Addresses: subnets, gateways, the address driver.
        #[serde(rename = "IPAM", skip_serializing_if = "Option::is_none")]
        pub ipam: Option<Ipam>,
        /// Give it IPv6 too.
        #[serde(rename = "EnableIPv6", skip_serializing_if = "Option::is_none")]
        pub enable_ipv6: Option<bool>,
        /// Driver options, such as `com.docker.network.bridge.name`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub options: Option<HashMap<String, String>>,
        /// Labels.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<HashMap<String, String>>,
        /// Any other field of the Engine API's network config, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl NetworkConfig {
    /// A network called `name`, with the engine's default driver and addresses.
    pub fn new(name: impl Into<String>) -> Self {
        NetworkConfig {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Sets the driver.
    pub fn driver(mut self, driver: &str) -> Self {
        self.driver = Some(driver.to_string());
        self
    }

    /// Makes it internal: no route to the outside.
    pub fn internal(mut self, internal: bool) -> Self {
        self.internal = Some(internal);
        self
    }

    /// Lets standalone containers join it.
    pub fn attachable(mut self, attachable: bool) -> Self {
        self.attachable = Some(attachable);
        self
    }

    /// Sets its addresses.
    pub fn ipam(mut self, ipam: Ipam) -> Self {
        self.ipam = Some(ipam);
        self
    }

    /// Gives it IPv6 too.
    pub fn enable_ipv6(mut self, on: bool) -> Self {
        self.enable_ipv6 = Some(on);
        self
    }

    /// Whether to refuse a second network of the same name: on unless turned off here.
    /// Off lets engines before Docker 25 make one (a name then picks either network);
    /// Docker 25 and later, and Podman, refuse duplicates all the same.
    pub fn check_duplicate(mut self, on: bool) -> Self {
        self.check_duplicate = Some(on);
        self
    }

    /// Adds a driver option.
    pub fn option(mut self, key: &str, value: &str) -> Self {
        self.options
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Adds a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }
}

model! {
    /// A network's addresses (`IPAM`, IP address management): the driver that hands them out,
    /// and the subnets.
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct Ipam {
        /// The address driver (`default` when unset).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub driver: Option<String>,
        /// Its subnets.
        #[serde(
            deserialize_with = "null_as_default",
            skip_serializing_if = "Vec::is_empty"
        )]
        pub config: Vec<IpamConfig>,
        /// Options of the address driver.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub options: Option<HashMap<String, String>>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl Ipam {
    /// The default driver, and the engine picks a subnet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the address driver.
    pub fn driver(mut self, driver: &str) -> Self {
        self.driver = Some(driver.to_string());
        self
    }

    /// Adds a subnet.
    pub fn config(mut self, config: IpamConfig) -> Self {
        self.config.push(config);
        self
    }

    /// Adds an option of the address driver.
    pub fn option(mut self, key: &str, value: &str) -> Self {
        self.options
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }
}

model! {
    /// One subnet of a network.
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct IpamConfig {
        /// The subnet, in CIDR form: `10.213.7.0/24`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub subnet: Option<String>,
        /// The part of the subnet containers get addresses from, in CIDR form.
        #[serde(rename = "IPRange", skip_serializing_if = "Option::is_none")]
        pub ip_range: Option<String>,
        /// The gateway's address.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub gateway: Option<String>,
        /// Addresses the driver must not hand out, by host name.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub auxiliary_addresses: Option<HashMap<String, String>>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl IpamConfig {
    /// A subnet to fill in.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the subnet (CIDR).
    pub fn subnet(mut self, subnet: &str) -> Self {
        self.subnet = Some(subnet.to_string());
        self
    }

    /// Sets the range addresses are handed out from (CIDR, inside the subnet).
    pub fn ip_range(mut self, range: &str) -> Self {
        self.ip_range = Some(range.to_string());
        self
    }

    /// Sets the gateway.
    pub fn gateway(mut self, gateway: &str) -> Self {
        self.gateway = Some(gateway.to_string());
        self
    }

    /// Reserves `address` under `host`.
    pub fn auxiliary_address(mut self, host: &str, address: &str) -> Self {
        self.auxiliary_addresses
            .get_or_insert_with(HashMap::new)
            .insert(host.to_string(), address.to_string());
        self
    }
}

/// The engine's answer to a network create.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkCreated {
    /// The new network's id.
    pub id: String,
    /// A warning about the configuration (empty when none).
    pub warning: String,
}

model! {
    /// A network in detail: `GET /networks/{id}`, and each item of a list (where
    /// [`containers`](Self::containers) is empty). The commonest fields are typed; the rest
    /// are in [`extra`](Self::extra). Written out again, it is what the engine sent, value
    /// for value (see [`ContainerConfig`](crate::ContainerConfig)).
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct NetworkInspect {
        /// Its name.
        pub name: String,
        /// Its full id.
        pub id: String,
        /// When it was created (RFC 3339).
        pub created: String,
        /// `local`, `swarm` or `global`.
        pub scope: String,
        /// Its driver, such as `bridge`.
        pub driver: String,
        /// Whether it has IPv6.
        #[serde(rename = "EnableIPv6")]
        pub enable_ipv6: bool,
        /// Its addresses.
        #[serde(rename = "IPAM")]
        pub ipam: Ipam,
        /// Whether it is cut off from the outside.
        pub internal: bool,
        /// Whether standalone containers may join it.
        pub attachable: bool,
        /// Whether it is a swarm's routing mesh.
        pub ingress: bool,
        /// The containers on it, by container id (inspect only).
        #[serde(deserialize_with = "null_as_default")]
        pub containers: HashMap<String, NetworkContainer>,
        /// Driver options.
        #[serde(deserialize_with = "null_as_default")]
        pub options: HashMap<String, String>,
        /// Its labels.
        #[serde(deserialize_with = "null_as_default")]
        pub labels: HashMap<String, String>,
        /// Every other field of the answer.
        #[serde(flatten)]
        pub extra: HashMap<String, serde_json::Value>,
    }
}

model! {
    /// A container on a network: its endpoint there.
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct NetworkContainer {
        /// The container's name.
        pub name: String,
        /// The endpoint's id.
        #[serde(rename = "EndpointID")]
        pub endpoint_id: String,
        /// The endpoint's MAC address.
        pub mac_address: String,
        /// Its IPv4 address with the prefix length: `10.213.7.5/24` (empty when none).
        #[serde(rename = "IPv4Address")]
        pub ipv4_address: String,
        /// Its IPv6 address with the prefix length (empty when none).
        #[serde(rename = "IPv6Address")]
        pub ipv6_address: String,
        /// Every other field.
        #[serde(flatten)]
        pub extra: HashMap<String, serde_json::Value>,
    }
}

impl NetworkContainer {
    /// The IPv4 address without its prefix length: `10.213.7.5`.
    pub fn ipv4(&self) -> &str {
        address_only(&self.ipv4_address)
    }

    /// The IPv6 address without its prefix length.
    pub fn ipv6(&self) -> &str {
        address_only(&self.ipv6_address)
    }
}

fn address_only(cidr: &str) -> &str {
    cidr.split_once('/').map_or(cidr, |(address, _)| address)
}

/// What [`Network::connect`] sends: the container, and its place on the network.
///
/// ```
/// use dockhand::network::NetworkConnect;
/// let connect = NetworkConnect::new("web").alias("api").ipv4_address("10.213.7.10");
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkConnect {
    /// The container, by id or name.
    pub container: String,
    /// Its place on the network: aliases, a fixed address (the same settings a container
    /// gets at creation with [`ContainerConfig::network`](crate::ContainerConfig::network)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_config: Option<EndpointSettings>,
    /// Any other field of the body, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl NetworkConnect {
    /// Connects `container` (id or name) with an address the engine picks.
    pub fn new(container: impl Into<String>) -> Self {
        NetworkConnect {
            container: container.into(),
            ..Default::default()
        }
    }

    /// Adds a name other containers on the network reach it by.
    pub fn alias(mut self, alias: &str) -> Self {
        let settings = self.endpoint_config.take().unwrap_or_default();
        self.endpoint_config = Some(settings.alias(alias));
        self
    }

    /// Gives it this IPv4 address: the network needs a subnet of its own, set at creation
    /// ([`IpamConfig::subnet`]).
    pub fn ipv4_address(mut self, address: &str) -> Self {
        let settings = self.endpoint_config.take().unwrap_or_default();
        self.endpoint_config = Some(settings.ipv4_address(address));
        self
    }

    /// Sets all its settings on the network at once.
    pub fn endpoint_config(mut self, settings: EndpointSettings) -> Self {
        self.endpoint_config = Some(settings);
        self
    }
}

/// What [`Network::disconnect`] sends.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworkDisconnect {
    /// The container, by id or name.
    pub container: String,
    /// Disconnect even when the engine cannot reach the container's endpoint cleanly.
    pub force: bool,
    /// Any other field of the body, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl NetworkDisconnect {
    /// Disconnects `container` (id or name).
    pub fn new(container: impl Into<String>) -> Self {
        NetworkDisconnect {
            container: container.into(),
            ..Default::default()
        }
    }

    /// Forces the disconnect.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// What a prune removed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct NetworksPruned {
    /// The names of the networks removed.
    #[serde(deserialize_with = "null_as_default")]
    pub networks_deleted: Vec<String>,
}

impl Networks {
    /// Lists networks. Each item has no [`containers`](NetworkInspect::containers): inspect
    /// a network for those.
    pub fn list(&self, options: &ListNetworksOptions) -> Result<Vec<NetworkInspect>> {
        self.docker
            .get("/networks".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Creates a network. A network of the same name is refused (409 on Docker, 500 on
    /// Podman), unless [`NetworkConfig::check_duplicate`] turned that off on an engine that
    /// allows it.
    pub fn create(&self, config: &NetworkConfig) -> Result<NetworkCreated> {
        if config.name.is_empty() {
            return Err(Error::setting(
                "NetworkConfig::name",
                "",
                "a name for the network, such as backend",
            ));
        }
        // Engines before Docker 25 check names only when asked, and otherwise leave two
        // networks behind one ambiguous name: ask, as the docker CLI does.
        let mut config = std::borrow::Cow::Borrowed(config);
        if config.check_duplicate.is_none() {
            config.to_mut().check_duplicate = Some(true);
        }
        self.docker
            .post("/networks/create".into())
            .json(&*config)
            .send()?
            .json()
    }

    /// Removes the networks no container uses, among those the filters select.
    pub fn prune(&self, options: &PruneNetworksOptions) -> Result<NetworksPruned> {
        self.docker
            .post("/networks/prune".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }
}

impl Network {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("network id", &self.id)?;
        Ok(format!("/networks/{}{tail}", encode_segment(id)))
    }

    /// Everything the engine knows about the network, with the containers on it.
    pub fn inspect(&self) -> Result<NetworkInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// Connects a container to it.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::network::NetworkConnect;
    /// let docker = Docker::from_env()?;
    /// docker.network("backend").connect(&NetworkConnect::new("web").alias("api"))?;
    /// # Ok(()) }
    /// ```
    pub fn connect(&self, connect: &NetworkConnect) -> Result<()> {
        self.docker
            .post(self.path("/connect")?)
            .json(connect)
            .send()?
            .drain()
    }

    /// Disconnects a container from it.
    pub fn disconnect(&self, disconnect: &NetworkDisconnect) -> Result<()> {
        self.docker
            .post(self.path("/disconnect")?)
            .json(disconnect)
            .send()?
            .drain()
    }

    /// Removes it. A network with containers on it cannot be removed: disconnect them
    /// first.
    pub fn remove(&self) -> Result<()> {
        self.docker.delete(self.path("")?).send()?.drain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_body_has_the_api_names_and_nothing_unset() {
        let config = NetworkConfig::new("n")
            .internal(true)
            .enable_ipv6(false)
            .label("a", "b")
            .ipam(Ipam::new().config(IpamConfig::new().subnet("10.1.2.0/24").gateway("10.1.2.1")));
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "Name": "n",
                "Internal": true,
                "EnableIPv6": false,
                "Labels": {"a": "b"},
                "IPAM": {"Config": [{"Subnet": "10.1.2.0/24", "Gateway": "10.1.2.1"}]},
            })
        );
    }

    #[test]
    fn a_connect_body_puts_the_address_under_ipam_config() {
        let connect = NetworkConnect::new("c")
            .alias("x")
            .alias("y")
            .ipv4_address("10.1.2.3");
        assert_eq!(
            serde_json::to_value(&connect).unwrap(),
            serde_json::json!({
                "Container": "c",
                "EndpointConfig": {"IPAMConfig": {"IPv4Address": "10.1.2.3"}, "Aliases": ["x", "y"]},
            })
        );
        assert_eq!(
            serde_json::to_value(NetworkConnect::new("c")).unwrap(),
            serde_json::json!({"Container": "c"})
        );
        assert_eq!(
            serde_json::to_value(NetworkDisconnect::new("c").force(true)).unwrap(),
            serde_json::json!({"Container": "c", "Force": true})
        );
    }

    #[test]
    fn an_inspect_with_nulls_reads_as_empty() {
        let network: NetworkInspect = serde_json::from_str(
            r#"{"Name":"host","Id":"abc","Driver":"host","EnableIPv6":false,
                "IPAM":{"Driver":"default","Options":null,"Config":null},
                "Containers":null,"Options":null,"Labels":null,"ConfigOnly":false,
                "Peers":[{"Name":"x"}]}"#,
        )
        .unwrap();
        assert_eq!(network.name, "host");
        assert!(network.ipam.config.is_empty());
        assert!(network.containers.is_empty() && network.labels.is_empty());
        assert!(network.extra.contains_key("Peers"));
        assert!(network.extra.contains_key("ConfigOnly"));

        let c: NetworkContainer =
            serde_json::from_str(r#"{"Name":"a","IPv4Address":"10.1.2.3/24","IPv6Address":""}"#)
                .unwrap();
        assert_eq!(c.ipv4(), "10.1.2.3");
        assert_eq!(c.ipv6(), "");
    }

    #[test]
    fn prune_answers_with_null_read_as_empty() {
        let pruned: NetworksPruned = serde_json::from_str(r#"{"NetworksDeleted":null}"#).unwrap();
        assert!(pruned.networks_deleted.is_empty());
    }
}
