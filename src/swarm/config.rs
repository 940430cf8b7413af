//! Swarm configs: create, list, inspect, update (labels), remove. Their bytes are
//! returned by inspect and list, decoded.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::secret::{
    deserialize_base64, need_name, serialize_base64, DriverConfig, ListSecretsOptions,
    ObjectCreated,
};
use crate::client::{encode_segment, object_id, Docker};
use crate::error::Result;
use crate::json::null_as_default;
use crate::swarm::ObjectVersion;

/// The configs of the swarm: `docker.configs()`.
#[derive(Clone, Debug)]
pub struct Configs {
    docker: Docker,
}

/// One config, by id or name: `docker.config("nginx.conf")`.
#[derive(Clone, Debug)]
pub struct Config {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The swarm's configs: list and create (ask a manager).
    pub fn configs(&self) -> Configs {
        Configs {
            docker: self.clone(),
        }
    }

    /// One config, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn config(&self, id: impl Into<String>) -> Config {
        Config {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

/// What a config is made from: the body of `POST /configs/create`, and the spec inspect
/// gives back, data included (decoded).
///
/// ```
/// use dockhand::swarm::ConfigSpec;
/// let spec = ConfigSpec::new("app.toml", b"port = 80\n".to_vec()).label("app", "shop");
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigSpec {
    /// Its name, unique in the swarm; a service mounts it at `/<name>` by default.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels (always sent, as the engine always gives them).
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// The config's bytes (sent and received base64-encoded; not sent when empty, as the
    /// engine does). An update must send them unchanged.
    #[serde(
        serialize_with = "serialize_base64",
        deserialize_with = "deserialize_base64",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub data: Vec<u8>,
    /// A templating engine that fills the config in when it is mounted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templating: Option<DriverConfig>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ConfigSpec {
    /// A config called `name` holding `data`.
    pub fn new(name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        ConfigSpec {
            name: name.into(),
            data: data.into(),
            ..Default::default()
        }
    }

    /// Adds (or replaces) a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.insert(key.to_string(), value.to_string());
        self
    }

    /// Fills the config in with a templating engine when mounted.
    pub fn templating(mut self, templating: DriverConfig) -> Self {
        self.templating = Some(templating);
        self
    }
}

/// A config: `GET /configs/{id}`, and each item of a list, with its data.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record, for [`Config::update`].
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Its name, labels and data.
    pub spec: ConfigSpec,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Configs {
    /// Lists the configs, with their data.
    pub fn list(&self, options: &ListSecretsOptions) -> Result<Vec<ConfigInspect>> {
        self.docker
            .get("/configs".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Creates a config.
    pub fn create(&self, spec: &ConfigSpec) -> Result<ObjectCreated> {
        need_name("ConfigSpec::name", &spec.name)?;
        self.docker
            .post("/configs/create".into())
            .json(spec)
            .send()?
            .json()
    }
}

impl Config {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("config id", &self.id)?;
        Ok(format!("/configs/{}{tail}", encode_segment(id)))
    }

    /// The config's record, with its data.
    pub fn inspect(&self) -> Result<ConfigInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// Changes the config's labels (nothing else can change): `spec` is its spec from
    /// [`inspect`](Self::inspect) (data unchanged), labels changed, and `version` the
    /// version inspect gave.
    pub fn update(&self, version: u64, spec: &ConfigSpec) -> Result<()> {
        self.docker
            .post(self.path("/update")?)
            .query("version", &version.to_string())
            .json(spec)
            .send()?
            .drain()
    }

    /// Replaces the config's labels with `labels`: inspects it, then updates it with the
    /// version inspect gave.
    pub fn set_labels(&self, labels: HashMap<String, String>) -> Result<()> {
        let current = self.inspect()?;
        let mut spec = current.spec;
        spec.labels = labels;
        self.docker
            .config(&current.id)
            .update(current.version.index, &spec)
    }

    /// Removes the config. One that a service uses cannot be removed.
    pub fn remove(&self) -> Result<()> {
        self.docker.delete(self.path("")?).send()?.drain()
    }
}
