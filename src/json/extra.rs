//! `extra(key, value)`: the setter every request body has for the Engine API's fields that
//! its type does not name, so that setting one breaks no builder chain and needs no
//! `serde_json` in the caller's code for a plain value.
//!
//! One generic function ([`set`]) does the work; [`extra_setter!`] gives each body type its
//! documented method, and the list at the end of this file names the types.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The map a body keeps its untyped fields in (`serde_json::Map` or a `HashMap`).
pub(crate) trait ExtraMap {
    /// Whether `key` is in it.
    fn has(&self, key: &str) -> bool;
    /// Puts `value` under `key`, replacing what was there.
    fn put(&mut self, key: String, value: Value);
}

impl ExtraMap for Map<String, Value> {
    fn has(&self, key: &str) -> bool {
        self.contains_key(key)
    }

    fn put(&mut self, key: String, value: Value) {
        self.insert(key, value);
    }
}

impl ExtraMap for HashMap<String, Value> {
    fn has(&self, key: &str) -> bool {
        self.contains_key(key)
    }

    fn put(&mut self, key: String, value: Value) {
        self.insert(key, value);
    }
}

/// Sets the field `key` of `body` to `value`, as the generated `extra` methods document:
/// into `extra` when the type has no field of that name; into the typed field when it has
/// one and the value fits it; else into `extra`, with the typed field cleared, so the value
/// is sent as given.
///
/// Whether the type names `key` is asked of the type itself: a body made of that one field
/// keeps it in `extra` exactly when no typed field takes it. A typed field is set the way
/// the engine's JSON would set it, through the body's own `Serialize` and `Deserialize`,
/// so a model read from the engine keeps how the engine spelt its other fields.
pub(crate) fn set<T, M>(mut body: T, key: String, value: Value, extra: fn(&mut T) -> &mut M) -> T
where
    T: Serialize + DeserializeOwned,
    M: ExtraMap,
{
    let alone = Map::from_iter([(key.clone(), value.clone())]);
    if let Ok(mut probe) = serde_json::from_value::<T>(Value::Object(alone)) {
        if extra(&mut probe).has(&key) {
            extra(&mut body).put(key, value);
            return body;
        }
    }
    let Ok(Value::Object(mut fields)) = serde_json::to_value(&body) else {
        extra(&mut body).put(key, value);
        return body;
    };
    fields.insert(key.clone(), value.clone());
    if let Ok(updated) = serde_json::from_value::<T>(Value::Object(fields.clone())) {
        return updated;
    }
    // The value does not fit the typed field: clear the field, and send the value as the
    // caller gave it, for the engine to judge.
    fields.remove(&key);
    let mut body = serde_json::from_value::<T>(Value::Object(fields)).unwrap_or(body);
    extra(&mut body).put(key, value);
    body
}

/// Gives each listed body type its `extra(key, value)` method, documented once here.
macro_rules! extra_setter {
    ($($Type:ty),+ $(,)?) => {$(
        impl $Type {
            /// Sets the field `key`, by its Engine API name (`"OomScoreAdj"`), to `value`:
            /// for a field this type does not name, so that setting it breaks no builder
            /// chain. `value` is a number, a string, a bool, a `Vec` or array of them,
            /// `None` (`null`), or any `serde_json::Value` (an object, say). The field is
            /// kept in `extra` and sent with the rest; setting a key again replaces it.
            ///
            /// A key this type has a field for sets that field, as its own setter would,
            /// and the later of the two calls wins: code written before a field was typed
            /// keeps working when it is. A value that does not fit that field (a string
            /// for a number) clears the field and stays in `extra`, to be sent as given,
            /// so that the engine's answer says what is wrong with it.
            pub fn extra(
                self,
                key: impl Into<String>,
                value: impl Into<serde_json::Value>,
            ) -> Self {
                $crate::json::extra::set(self, key.into(), value.into(), |body| &mut body.extra)
            }
        }
    )+

        /// Each listed type, and what it writes with an untyped key set.
        #[cfg(test)]
        fn every_type_with_an_untyped_key() -> Vec<(&'static str, serde_json::Value)> {
            vec![$((
                stringify!($Type),
                serde_json::to_value(<$Type>::default().extra("DockhandProbe", 1))
                    .unwrap_or_default(),
            )),+]
        }
    };
}

// Every body a caller sends, and every type nested in one.
extra_setter!(
    // Containers.
    crate::container::ContainerConfig,
    crate::container::HealthConfig,
    crate::container::HostConfig,
    crate::container::PortBinding,
    crate::container::RestartPolicy,
    crate::container::LogConfig,
    crate::container::Ulimit,
    crate::container::DeviceMapping,
    crate::container::DeviceRequest,
    crate::container::Mount,
    crate::container::BindOptions,
    crate::container::VolumeOptions,
    crate::container::TmpfsOptions,
    crate::container::NetworkingConfig,
    crate::container::EndpointSettings,
    crate::container::EndpointIpamConfig,
    crate::container::UpdateConfig,
    crate::exec::ExecConfig,
    // Networks and volumes.
    crate::network::NetworkConfig,
    crate::network::Ipam,
    crate::network::IpamConfig,
    crate::network::NetworkConnect,
    crate::network::NetworkDisconnect,
    crate::volume::VolumeConfig,
    crate::volume::ClusterVolumeSpec,
    // Swarm.
    crate::swarm::InitRequest,
    crate::swarm::JoinRequest,
    crate::swarm::SwarmSpec,
    crate::swarm::NodeSpec,
    crate::swarm::ServiceSpec,
    crate::swarm::TaskSpec,
    crate::swarm::ContainerSpec,
    crate::swarm::ServiceRestartPolicy,
    crate::swarm::TaskResources,
    crate::swarm::ResourceAmounts,
    crate::swarm::Placement,
    crate::swarm::ServiceMode,
    crate::swarm::ReplicatedMode,
    crate::swarm::GlobalMode,
    crate::swarm::ReplicatedJobMode,
    crate::swarm::ServiceUpdateConfig,
    crate::swarm::EndpointSpec,
    crate::swarm::PortConfig,
    crate::swarm::NetworkAttachment,
    crate::swarm::FileTarget,
    crate::swarm::SecretReference,
    crate::swarm::ConfigReference,
    crate::swarm::SecretSpec,
    crate::swarm::ConfigSpec,
    crate::swarm::DriverConfig,
);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::container::{ContainerConfig, HostConfig, RestartPolicy};
    use crate::exec::ExecConfig;
    use crate::swarm::{ServiceSpec, SwarmSpec};

    #[test]
    fn every_body_type_sends_an_untyped_key_under_its_name() {
        let all = every_type_with_an_untyped_key();
        assert!(all.len() > 40, "{}", all.len());
        for (name, json) in all {
            assert_eq!(json["DockhandProbe"], json!(1), "{name}: {json}");
        }
    }

    #[test]
    fn plain_values_need_no_serde_json() {
        let none: Option<&str> = None;
        let config = ContainerConfig::new("busybox")
            .extra("NetworkDisabled", true)
            .extra("MacAddress", "02:42:ac:11:00:02")
            .extra("Shell", vec!["/bin/sh", "-c"])
            .extra("OnBuild", ["RUN true"])
            .extra("ArgsEscaped", none)
            .extra("StopTimeoutMs", 1500u64)
            .extra("Ratio", 0.5);
        assert_eq!(
            serde_json::to_value(&config).unwrap(),
            json!({
                "Image": "busybox",
                "NetworkDisabled": true,
                "MacAddress": "02:42:ac:11:00:02",
                "Shell": ["/bin/sh", "-c"],
                "OnBuild": ["RUN true"],
                "ArgsEscaped": null,
                "StopTimeoutMs": 1500,
                "Ratio": 0.5,
            })
        );
        // Setting a key again replaces it.
        let config = config.extra("MacAddress", "02:42:ac:11:00:03");
        assert_eq!(config.extra["MacAddress"], "02:42:ac:11:00:03");
    }

    #[test]
    fn a_key_the_type_names_sets_that_field_and_the_later_call_wins() {
        let config = ContainerConfig::new("busybox").extra("Hostname", "web");
        assert_eq!(config.hostname.as_deref(), Some("web"));
        assert!(config.extra.is_empty());
        let text = serde_json::to_string(&config).unwrap();
        assert_eq!(text.matches("\"Hostname\"").count(), 1, "{text}");

        let later_setter = ContainerConfig::new("b")
            .extra("Hostname", "a")
            .hostname("b");
        assert_eq!(later_setter.hostname.as_deref(), Some("b"));
        let later_extra = ContainerConfig::new("b")
            .hostname("b")
            .extra("Hostname", "a");
        assert_eq!(later_extra.hostname.as_deref(), Some("a"));

        // Nested models, and a plain serde type.
        let host = HostConfig::new()
            .extra("ShmSize", 1 << 20)
            .extra("Dns", ["1.1.1.1"]);
        assert_eq!(host.shm_size, Some(1 << 20));
        assert_eq!(host.dns, Some(vec!["1.1.1.1".to_string()]));
        let spec = ServiceSpec::default().extra("Name", "web");
        assert_eq!(spec.name, "web");
        // A type whose `extra` is a `HashMap`, with a serializer of its own.
        let swarm = SwarmSpec::default()
            .extra("Name", "prod")
            .extra("Raft", json!({"SnapshotInterval": 10000}));
        assert_eq!(swarm.name, "prod");
        let json = serde_json::to_value(&swarm).unwrap();
        assert_eq!(json["Name"], "prod");
        assert_eq!(json["Raft"]["SnapshotInterval"], 10000);
    }

    #[test]
    fn a_value_that_does_not_fit_the_field_is_sent_as_given_once() {
        let config = ContainerConfig::new("busybox")
            .hostname("web")
            .extra("Hostname", 5);
        assert_eq!(config.hostname, None);
        let text = serde_json::to_string(&config).unwrap();
        assert_eq!(text, r#"{"Image":"busybox","Hostname":5}"#);

        // A field always written: the value given replaces it.
        let policy = RestartPolicy::always().extra("Name", 5);
        let text = serde_json::to_string(&policy).unwrap();
        assert_eq!(text, r#"{"MaximumRetryCount":0,"Name":5}"#);

        let exec = ExecConfig::new(["true"])
            .user("me")
            .extra("User", ["not", "a", "name"]);
        assert_eq!(exec.user, None);
        let json = serde_json::to_value(&exec).unwrap();
        assert_eq!(json["User"], json!(["not", "a", "name"]));
    }

    #[test]
    fn a_model_read_from_the_engine_keeps_its_spellings() {
        let read = json!({"Image": "x", "Cmd": null, "Entrypoint": [], "Kept": {"A": null}});
        let config: ContainerConfig = serde_json::from_value(read).unwrap();
        let config = config.extra("Hostname", "h").extra("Added", 2);
        assert_eq!(
            serde_json::to_value(&config).unwrap(),
            json!({
                "Image": "x",
                "Cmd": null,
                "Entrypoint": [],
                "Kept": {"A": null},
                "Hostname": "h",
                "Added": 2,
            })
        );
    }
}
