//! A container's networks at create time: [`NetworkingConfig`] and [`EndpointSettings`].

use std::collections::HashMap;

use super::config::is_zero;
#[cfg(doc)]
use super::ContainerInspect;
use crate::error::Result;
use crate::json::model;
use crate::json::null_as_default;

model! {
    /// The networks to connect a container to at creation (`NetworkingConfig`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct NetworkingConfig {
        /// The container's settings on each network, by network name or id.
        #[serde(deserialize_with = "null_as_default")]
        pub endpoints_config: HashMap<String, EndpointSettings>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

model! {
    /// A container's place on one network (`EndpointSettings`): what to ask for at creation
    /// (aliases, a fixed address) and what [`ContainerInspect::network_settings`] reports
    /// (address, gateway, ids). Empty fields of a value made here are not sent; one read from
    /// the engine is sent back as it came.
    ///
    /// ```
    /// use dockhand::container::EndpointSettings;
    /// let on_backend = EndpointSettings::default().alias("db").ipv4_address("10.7.0.5");
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct EndpointSettings {
        /// Fixed addresses to ask for (needs a network with a configured subnet).
        #[serde(rename = "IPAMConfig", skip_serializing_if = "Option::is_none")]
        pub ipam_config: Option<EndpointIpamConfig>,
        /// Links to other containers, as `name:alias` (legacy).
        #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub links: Vec<String>,
        /// Other names the container answers to on this network (user-defined networks
        /// only).
        #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "null_as_default")]
        pub aliases: Vec<String>,
        /// The network's id.
        #[serde(rename = "NetworkID", skip_serializing_if = "String::is_empty")]
        pub network_id: String,
        /// The endpoint's id.
        #[serde(rename = "EndpointID", skip_serializing_if = "String::is_empty")]
        pub endpoint_id: String,
        /// The gateway's IPv4 address.
        #[serde(skip_serializing_if = "String::is_empty")]
        pub gateway: String,
        /// The container's IPv4 address.
        #[serde(rename = "IPAddress", skip_serializing_if = "String::is_empty")]
        pub ip_address: String,
        /// The IPv4 prefix length.
        #[serde(rename = "IPPrefixLen", skip_serializing_if = "is_zero")]
        pub ip_prefix_len: u32,
        /// The gateway's IPv6 address.
        #[serde(rename = "IPv6Gateway", skip_serializing_if = "String::is_empty")]
        pub ipv6_gateway: String,
        /// The container's global IPv6 address.
        #[serde(rename = "GlobalIPv6Address", skip_serializing_if = "String::is_empty")]
        pub global_ipv6_address: String,
        /// The IPv6 prefix length.
        #[serde(rename = "GlobalIPv6PrefixLen", skip_serializing_if = "is_zero")]
        pub global_ipv6_prefix_len: u32,
        /// The MAC address.
        #[serde(skip_serializing_if = "String::is_empty")]
        pub mac_address: String,
        /// Options for the network driver.
        #[serde(skip_serializing_if = "HashMap::is_empty", deserialize_with = "null_as_default")]
        pub driver_opts: HashMap<String, String>,
        /// Any other field (`DNSNames`, `GwPriority`, ...), by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl EndpointSettings {
    /// Adds an alias.
    pub fn alias(mut self, alias: &str) -> Self {
        self.aliases.push(alias.to_string());
        self
    }

    /// Asks for a fixed IPv4 address.
    pub fn ipv4_address(mut self, address: &str) -> Self {
        self.ipam_config
            .get_or_insert_with(EndpointIpamConfig::default)
            .ipv4_address = address.to_string();
        self
    }
}

model! {
    /// Fixed addresses for a container on a network (`EndpointIPAMConfig`).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(default)]
    pub struct EndpointIpamConfig {
        /// An IPv4 address.
        #[serde(rename = "IPv4Address", skip_serializing_if = "String::is_empty")]
        pub ipv4_address: String,
        /// An IPv6 address.
        #[serde(rename = "IPv6Address", skip_serializing_if = "String::is_empty")]
        pub ipv6_address: String,
        /// Link-local addresses.
        #[serde(
            rename = "LinkLocalIPs",
            skip_serializing_if = "Vec::is_empty",
            deserialize_with = "null_as_default"
        )]
        pub link_local_ips: Vec<String>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}
