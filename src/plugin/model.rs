//! What the engine says about a plugin, and what its maker declares in `config.json`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::json::null_as_default;

/// A plugin in detail: `GET /plugins/{name}/json`, and each item of a list. Field names
/// are the Engine API's; what is not typed is in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginInspect {
    /// Its id.
    pub id: String,
    /// Its name, with its tag: `vieux/sshfs:latest`.
    pub name: String,
    /// Whether it runs.
    pub enabled: bool,
    /// What its user has set.
    pub settings: PluginSettings,
    /// The reference it was pulled from or is pushed to.
    pub plugin_reference: String,
    /// What its maker declared: the `config.json` of its folder.
    pub config: PluginConfig,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// What a plugin's user has set (with [`Plugin::set`](crate::plugin::Plugin::set)).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginSettings {
    /// Its mounts, with their sources.
    #[serde(deserialize_with = "null_as_default")]
    pub mounts: Vec<PluginMount>,
    /// Its environment, as `KEY=value`.
    #[serde(deserialize_with = "null_as_default")]
    pub env: Vec<String>,
    /// The arguments after its entrypoint.
    #[serde(deserialize_with = "null_as_default")]
    pub args: Vec<String>,
    /// Its devices.
    #[serde(deserialize_with = "null_as_default")]
    pub devices: Vec<PluginDevice>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// What a plugin's maker declared: its `config.json`. The engine reads that file's keys
/// without regard to case, so this type, written as JSON, is a `config.json` too.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginConfig {
    /// What it does, in words.
    pub description: String,
    /// Where its documentation is.
    pub documentation: String,
    /// How the engine talks to it.
    pub interface: PluginInterface,
    /// The command it runs, in its root filesystem.
    #[serde(deserialize_with = "null_as_default")]
    pub entrypoint: Vec<String>,
    /// The folder the command runs in.
    pub work_dir: String,
    /// Its network: `Type` `host`, or empty for a network namespace of its own.
    pub network: PluginNetwork,
    /// Its Linux privileges and devices.
    pub linux: PluginLinux,
    /// A folder of the plugin that the engine shares with containers (volume drivers).
    pub propagated_mount: String,
    /// Whether it shares the host's IPC namespace.
    pub ipc_host: bool,
    /// Whether it shares the host's PID namespace.
    pub pid_host: bool,
    /// Its mounts.
    #[serde(deserialize_with = "null_as_default")]
    pub mounts: Vec<PluginMount>,
    /// Its environment variables, with their defaults and whether a user may set them.
    #[serde(deserialize_with = "null_as_default")]
    pub env: Vec<PluginEnv>,
    /// Its arguments, and whether a user may set them.
    pub args: PluginArgs,
    /// Every other field (`User`, `rootfs`, `DockerVersion`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// How the engine talks to a plugin.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginInterface {
    /// What it provides, such as `docker.volumedriver/1.0`.
    #[serde(deserialize_with = "null_as_default")]
    pub types: Vec<PluginInterfaceType>,
    /// The name of its socket in `/run/docker/plugins`, such as `plugin.sock`.
    pub socket: String,
    /// The protocol on that socket: empty for the plugin HTTP protocol.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub protocol_scheme: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// What a plugin provides: `docker.volumedriver/1.0` is prefix `docker`, capability
/// `volumedriver`, version `1.0`. Written as that string, as the engine writes it; read
/// from it or from an object of the three fields.
///
/// ```
/// let t: dockhand::plugin::PluginInterfaceType = "docker.logdriver/1.0".parse()?;
/// assert_eq!((t.capability.as_str(), t.to_string().as_str()), ("logdriver", "docker.logdriver/1.0"));
/// # Ok::<(), dockhand::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PluginInterfaceType {
    /// `docker`.
    pub prefix: String,
    /// `volumedriver`, `networkdriver`, `ipamdriver`, `authz`, `logdriver`,
    /// `metricscollector`, ...
    pub capability: String,
    /// `1.0`.
    pub version: String,
}

impl PluginInterfaceType {
    /// A type from its three parts.
    pub fn new(prefix: &str, capability: &str, version: &str) -> Self {
        PluginInterfaceType {
            prefix: prefix.to_string(),
            capability: capability.to_string(),
            version: version.to_string(),
        }
    }
}

impl FromStr for PluginInterfaceType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let parsed = s.split_once('/').and_then(|(left, version)| {
            let (prefix, capability) = left.split_once('.')?;
            Some(PluginInterfaceType::new(prefix, capability, version))
        });
        parsed.ok_or_else(|| {
            Error::setting(
                "plugin interface type",
                s,
                "prefix.capability/version, such as docker.volumedriver/1.0",
            )
        })
    }
}

impl fmt::Display for PluginInterfaceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}/{}", self.prefix, self.capability, self.version)
    }
}

impl Serialize for PluginInterfaceType {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PluginInterfaceType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            #[serde(rename_all = "PascalCase")]
            Parts {
                #[serde(default)]
                prefix: String,
                #[serde(default)]
                capability: String,
                #[serde(default)]
                version: String,
            },
        }
        match Form::deserialize(d)? {
            Form::Text(text) => text.parse().map_err(serde::de::Error::custom),
            Form::Parts {
                prefix,
                capability,
                version,
            } => Ok(PluginInterfaceType {
                prefix,
                capability,
                version,
            }),
        }
    }
}

/// A plugin's network.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PluginNetwork {
    /// `host`, or empty for a network namespace of its own.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A plugin's Linux privileges and devices.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginLinux {
    /// Capabilities it needs, such as `CAP_SYS_ADMIN`.
    #[serde(deserialize_with = "null_as_default")]
    pub capabilities: Vec<String>,
    /// Whether it may use every device of the host.
    pub allow_all_devices: bool,
    /// The devices it uses.
    #[serde(deserialize_with = "null_as_default")]
    pub devices: Vec<PluginDevice>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A mount of a plugin.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginMount {
    /// Its name, by which [`Plugin::set`](crate::plugin::Plugin::set) sets it (`NAME.source=/path`).
    pub name: String,
    /// What it is for.
    pub description: String,
    /// What a user may set: `source`.
    #[serde(deserialize_with = "null_as_default")]
    pub settable: Vec<String>,
    /// The host path.
    #[serde(deserialize_with = "null_as_default")]
    pub source: String,
    /// The path inside the plugin.
    pub destination: String,
    /// `bind`, ...
    #[serde(rename = "Type")]
    pub kind: String,
    /// Mount options, such as `rbind` and `rw`.
    #[serde(deserialize_with = "null_as_default")]
    pub options: Vec<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A device of a plugin.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginDevice {
    /// Its name, by which [`Plugin::set`](crate::plugin::Plugin::set) sets it (`NAME.path=/dev/x`).
    pub name: String,
    /// What it is for.
    pub description: String,
    /// What a user may set: `path`.
    #[serde(deserialize_with = "null_as_default")]
    pub settable: Vec<String>,
    /// The device, such as `/dev/fuse`.
    #[serde(deserialize_with = "null_as_default")]
    pub path: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// An environment variable a plugin declares.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginEnv {
    /// Its name, by which [`Plugin::set`](crate::plugin::Plugin::set) sets it (`NAME=value`).
    pub name: String,
    /// What it is for.
    pub description: String,
    /// What a user may set: `value`.
    #[serde(deserialize_with = "null_as_default")]
    pub settable: Vec<String>,
    /// Its default.
    #[serde(deserialize_with = "null_as_default")]
    pub value: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl PluginEnv {
    /// A variable with its default, which a user may set.
    pub fn settable(name: &str, value: &str, description: &str) -> Self {
        PluginEnv {
            name: name.to_string(),
            description: description.to_string(),
            settable: vec!["value".to_string()],
            value: value.to_string(),
            extra: HashMap::new(),
        }
    }
}

/// The arguments a plugin declares.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginArgs {
    /// Its name, by which [`Plugin::set`](crate::plugin::Plugin::set) sets them (`NAME=a b c`).
    pub name: String,
    /// What they are for.
    pub description: String,
    /// What a user may set: `value`.
    #[serde(deserialize_with = "null_as_default")]
    pub settable: Vec<String>,
    /// Their defaults.
    #[serde(deserialize_with = "null_as_default")]
    pub value: Vec<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_types_read_from_text_or_parts_and_write_as_text() {
        let types: Vec<PluginInterfaceType> = serde_json::from_str(
            r#"["docker.volumedriver/1.0",
                {"Prefix":"docker","Capability":"logdriver","Version":"1.0"}]"#,
        )
        .unwrap();
        assert_eq!(
            types[0],
            PluginInterfaceType::new("docker", "volumedriver", "1.0")
        );
        assert_eq!(types[1].capability, "logdriver");
        assert_eq!(
            serde_json::to_value(&types).unwrap(),
            serde_json::json!(["docker.volumedriver/1.0", "docker.logdriver/1.0"])
        );
        for bad in ["", "docker", "docker/1.0", "volumedriver"] {
            assert!(bad.parse::<PluginInterfaceType>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_inspect_reads_nulls_and_keeps_what_is_not_typed() {
        let p: PluginInspect = serde_json::from_str(
            r#"{"Id":"abc","Name":"x/y:latest","Enabled":false,"PluginReference":"x/y:latest",
                "Settings":{"Mounts":null,"Env":["A=1"],"Args":null,"Devices":null},
                "Config":{"Description":"d","Interface":{"Types":["docker.logdriver/1.0"],
                  "Socket":"s.sock"},"Entrypoint":["/x"],"Network":{"Type":"host"},
                  "Linux":{"Capabilities":null,"AllowAllDevices":false,"Devices":null},
                  "Env":[{"Name":"A","Description":"","Settable":null,"Value":"1"}],
                  "Args":{"Name":"","Description":"","Settable":null,"Value":null},
                  "User":{},"rootfs":{"type":"layers","diff_ids":["sha256:a"]}},
                "Later":true}"#,
        )
        .unwrap();
        assert_eq!(p.settings.env, ["A=1"]);
        assert!(p.settings.mounts.is_empty() && p.config.linux.capabilities.is_empty());
        assert_eq!(p.config.interface.types[0].capability, "logdriver");
        assert_eq!(p.config.network.kind, "host");
        assert_eq!(p.config.env[0].value, "1");
        assert!(p.config.extra.contains_key("rootfs") && p.config.extra.contains_key("User"));
        assert!(p.extra.contains_key("Later"));
        // written back, the untyped fields come along
        let back = serde_json::to_value(&p.config).unwrap();
        assert_eq!(back["rootfs"]["diff_ids"][0], "sha256:a");
        assert_eq!(back["Interface"]["Types"][0], "docker.logdriver/1.0");
        assert!(back["Interface"].get("ProtocolScheme").is_none());
    }
}
