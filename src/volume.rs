//! Volumes: list, create, inspect, remove, prune; and update a cluster volume.
//!
//! [`Docker::volumes`](crate::Docker::volumes) is the collection,
//! [`Docker::volume`](crate::Docker::volume) a handle on one volume by name. Mount a volume
//! into a container with [`HostConfig`](crate::HostConfig)'s mounts or binds.
//!
//! ```no_run
//! use dockhand::volume::{RemoveVolumeOptions, VolumeConfig};
//!
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let volume = docker.volumes().create(&VolumeConfig::new().name("cache").label("app", "demo"))?;
//! println!("{} at {}", volume.name, volume.mountpoint);
//! docker.volume("cache").remove(&RemoveVolumeOptions::new())?;
//! # Ok(()) }
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::client::{encode_segment, object_id, Docker};
use crate::error::{Error, Result};
use crate::json::model;
use crate::json::{null_as_default, Filters};
use crate::settings::ApiVersion;
use crate::swarm::ObjectVersion;

/// The volumes of an engine: `docker.volumes()`.
#[derive(Clone, Debug)]
pub struct Volumes {
    docker: Docker,
}

/// One volume, by name: `docker.volume("data")`.
#[derive(Clone, Debug)]
pub struct Volume {
    docker: Docker,
    name: String,
}

impl Docker {
    /// The engine's volumes: list, create and prune.
    pub fn volumes(&self) -> Volumes {
        Volumes {
            docker: self.clone(),
        }
    }

    /// One volume, by name. Nothing is sent until a call is made.
    pub fn volume(&self, name: impl Into<String>) -> Volume {
        Volume {
            docker: self.clone(),
            name: name.into(),
        }
    }
}

/// Filters for [`Volumes::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListVolumesOptions {
    filters: Filters,
}

impl ListVolumesOptions {
    /// Every volume.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker volume ls --filter key=value`: `label` (`key` or
    /// `key=value`), `name`, `driver`, `dangling` (`true`: used by no container). Several
    /// values for one key match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// Filters for [`Volumes::prune`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneVolumesOptions {
    filters: Filters,
    all: bool,
}

impl PruneVolumesOptions {
    /// The volumes no container uses: all of them up to API 1.41, only anonymous ones from
    /// API 1.42 on (see [`all`](Self::all)).
    pub fn new() -> Self {
        Self::default()
    }

    /// Named volumes too, whatever the API version: engines speaking API 1.42 or newer prune
    /// only anonymous volumes unless told `all`, older ones always prune both (and refuse
    /// the `all` filter, so it is sent only where it is understood).
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Adds a filter, as `docker volume prune --filter key=value`: `label` (`key` or
    /// `key=value`), `label!` (without that label).
    ///
    /// Other programs may share the engine: a label filter keeps a prune to your own
    /// volumes.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// Flags for [`Volume::remove`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RemoveVolumeOptions {
    force: bool,
}

impl RemoveVolumeOptions {
    /// Remove it unless a container uses it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Remove it from the engine's records even when its driver fails to remove it, and
    /// take a volume that does not exist as removed. A volume in use is still refused.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

model! {
    /// What a volume is made from: the body of `POST /volumes/create`. Field names are the
    /// Engine API's; anything not typed here can go in [`extra`](Self::extra).
    ///
    /// ```
    /// use dockhand::volume::VolumeConfig;
    /// let config = VolumeConfig::new().name("data").label("app", "demo");
    /// ```
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct VolumeConfig {
        /// Its name (the engine makes one up when unset).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// Its driver (`local` when unset).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub driver: Option<String>,
        /// Options for the driver, such as `type`, `device` and `o` for `local`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub driver_opts: Option<HashMap<String, String>>,
        /// Labels.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<HashMap<String, String>>,
        /// Any other field of the Engine API's volume config, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl VolumeConfig {
    /// A volume of the `local` driver, with a name the engine makes up.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names it.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }

    /// Sets the driver.
    pub fn driver(mut self, driver: &str) -> Self {
        self.driver = Some(driver.to_string());
        self
    }

    /// Adds a driver option.
    pub fn driver_opt(mut self, key: &str, value: &str) -> Self {
        self.driver_opts
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
    /// A volume in detail: `GET /volumes/{name}`, the answer to a create, and each item of a
    /// list. The commonest fields are typed; the rest are in [`extra`](Self::extra). Written
    /// out again, it is what the engine sent, value for value (see
    /// [`ContainerConfig`](crate::ContainerConfig)).
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct VolumeInspect {
        /// Its name.
        pub name: String,
        /// Its driver, such as `local`.
        pub driver: String,
        /// Where it is on the host.
        pub mountpoint: String,
        /// When it was created (RFC 3339).
        pub created_at: String,
        /// Its labels.
        #[serde(deserialize_with = "null_as_default")]
        pub labels: HashMap<String, String>,
        /// `local` or `global`.
        pub scope: String,
        /// The driver options it was created with.
        #[serde(deserialize_with = "null_as_default")]
        pub options: HashMap<String, String>,
        /// What the driver reports about it, when it reports anything.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<HashMap<String, serde_json::Value>>,
        /// Its size and users: only in the answer of [`Docker::df`].
        #[serde(skip_serializing_if = "Option::is_none")]
        pub usage_data: Option<VolumeUsageData>,
        /// What a swarm cluster volume (API 1.42 and later) adds: its id, version and spec.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cluster_volume: Option<ClusterVolume>,
        /// Every other field of the answer.
        #[serde(flatten)]
        pub extra: HashMap<String, serde_json::Value>,
    }
}

model! {
    /// A volume's size and users, as `docker system df` reports them.
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct VolumeUsageData {
        /// Its size in bytes; -1 when the driver cannot tell.
        pub size: i64,
        /// How many containers use it; -1 when unknown.
        pub ref_count: i64,
    }
}

/// The answer to [`Volumes::list`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VolumeList {
    /// The volumes.
    #[serde(deserialize_with = "null_as_default")]
    pub volumes: Vec<VolumeInspect>,
    /// Warnings, such as a volume driver that did not answer.
    #[serde(deserialize_with = "null_as_default")]
    pub warnings: Vec<String>,
}

/// What a prune removed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct VolumesPruned {
    /// The names of the volumes removed.
    #[serde(deserialize_with = "null_as_default")]
    pub volumes_deleted: Vec<String>,
    /// The disk space freed, in bytes.
    pub space_reclaimed: u64,
}

impl Volumes {
    /// Lists volumes.
    pub fn list(&self, options: &ListVolumesOptions) -> Result<VolumeList> {
        self.docker
            .get("/volumes".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Creates a volume. Creating one that exists with the same driver is not an error: the
    /// existing volume is returned (as the engine does).
    pub fn create(&self, config: &VolumeConfig) -> Result<VolumeInspect> {
        self.docker
            .post("/volumes/create".into())
            .json(config)
            .send()?
            .json()
    }

    /// Removes the volumes no container uses, among those the filters select.
    pub fn prune(&self, options: &PruneVolumesOptions) -> Result<VolumesPruned> {
        let mut filters = options.filters.clone();
        if options.all && self.docker.api_version()? >= ApiVersion::new(1, 42) {
            filters.add("all", "true");
        }
        self.docker
            .post("/volumes/prune".into())
            .query_opt("filters", filters.to_query())
            .send()?
            .json()
    }
}

impl Volume {
    /// The name this handle was made with.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn path(&self) -> Result<String> {
        let name = object_id("volume name", &self.name)?;
        Ok(format!("/volumes/{}", encode_segment(name)))
    }

    /// Everything the engine knows about the volume.
    pub fn inspect(&self) -> Result<VolumeInspect> {
        self.docker.get(self.path()?).send()?.json()
    }

    /// Removes it. A volume a container uses (even a stopped one) cannot be removed.
    pub fn remove(&self, options: &RemoveVolumeOptions) -> Result<()> {
        self.docker
            .delete(self.path()?)
            .flag("force", options.force)
            .send()?
            .drain()
    }

    /// Updates a swarm cluster volume (`PUT /volumes/{name}`, API 1.42 and later): send
    /// back the [`spec`](ClusterVolume::spec) of its inspect with the change, and the
    /// [`version`](ClusterVolume::version) it had, so that an update made meanwhile is
    /// refused rather than lost. Only `Availability` may change. A plain local volume
    /// cannot be updated, and outside a swarm the engine refuses every update.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let volume = docker.volume("shared-data");
    /// let cluster = volume.inspect()?.cluster_volume.expect("a cluster volume");
    /// let mut spec = cluster.spec;
    /// spec.availability = Some("drain".into());
    /// volume.update(cluster.version.index, &spec)?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, version: u64, spec: &ClusterVolumeSpec) -> Result<()> {
        let api = self.docker.api_version()?;
        if api < ApiVersion::new(1, 42) {
            return Err(Error::setting(
                "Volume::update",
                &self.name,
                format!(
                    "an engine speaking API 1.42 or newer (Docker 23), which has cluster \
                     volumes: this one speaks {api}"
                ),
            ));
        }
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Body<'a> {
            spec: &'a ClusterVolumeSpec,
        }
        self.docker
            .put(self.path()?)
            .query("version", &version.to_string())
            .json(&Body { spec })
            .send()?
            .drain()
    }
}

/// What a swarm cluster volume adds to [`VolumeInspect`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ClusterVolume {
    /// Its swarm id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its version, for [`Volume::update`].
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it was last updated (RFC 3339).
    pub updated_at: String,
    /// What it was made with, and what an update sends back.
    pub spec: ClusterVolumeSpec,
    /// Every other field (`Info`, `PublishStatus`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// The spec of a swarm cluster volume. Field names are the Engine API's; the fields not
/// typed (`AccessMode`, `AccessibilityRequirements`, `CapacityRange`, `Secrets`) stay in
/// [`extra`](Self::extra), so an update sends them back unchanged.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ClusterVolumeSpec {
    /// The group it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// `active`, `pause` or `drain`: the one field an update may change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// Every other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_body_has_the_api_names_and_nothing_unset() {
        assert_eq!(
            serde_json::to_value(VolumeConfig::new()).unwrap(),
            serde_json::json!({})
        );
        let config = VolumeConfig::new()
            .name("v")
            .driver("local")
            .driver_opt("type", "tmpfs")
            .label("a", "b");
        assert_eq!(
            serde_json::to_value(&config).unwrap(),
            serde_json::json!({
                "Name": "v", "Driver": "local",
                "DriverOpts": {"type": "tmpfs"}, "Labels": {"a": "b"},
            })
        );
    }

    #[test]
    fn answers_with_nulls_read_as_empty() {
        let list: VolumeList = serde_json::from_str(r#"{"Volumes":null,"Warnings":null}"#).unwrap();
        assert!(list.volumes.is_empty() && list.warnings.is_empty());
        let v: VolumeInspect = serde_json::from_str(
            r#"{"Name":"v","Driver":"local","Labels":null,"Options":null,"Scope":"local",
                "UsageData":{"Size":-1,"RefCount":2},"ClusterVolume":{"ID":"x"}}"#,
        )
        .unwrap();
        assert!(v.labels.is_empty() && v.options.is_empty());
        let usage = v.usage_data.unwrap();
        assert_eq!((usage.size, usage.ref_count), (-1, 2));
        let cluster = v.cluster_volume.unwrap();
        assert_eq!(cluster.id, "x");
        let pruned: VolumesPruned =
            serde_json::from_str(r#"{"VolumesDeleted":null,"SpaceReclaimed":0}"#).unwrap();
        assert!(pruned.volumes_deleted.is_empty());
    }
}
