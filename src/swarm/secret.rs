//! Swarm secrets (create, list, inspect, update labels, remove), and what configs share
//! with them.
//!
//! Both carry bytes that services mount as files. A secret's bytes go to the engine once
//! and are never given back (and never shown by `Debug` here); a config's bytes are
//! returned by inspect and list, decoded.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(doc)]
use super::Configs;
use crate::base64;
use crate::client::{encode_segment, object_id, Docker};
use crate::error::{Error, Result};
use crate::json::{null_as_default, Filters};
use crate::swarm::ObjectVersion;

/// The secrets of the swarm: `docker.secrets()`.
#[derive(Clone, Debug)]
pub struct Secrets {
    docker: Docker,
}

/// One secret, by id or name: `docker.secret("db-password")`.
#[derive(Clone, Debug)]
pub struct Secret {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The swarm's secrets: list and create (ask a manager).
    pub fn secrets(&self) -> Secrets {
        Secrets {
            docker: self.clone(),
        }
    }

    /// One secret, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn secret(&self, id: impl Into<String>) -> Secret {
        Secret {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

pub(super) fn serialize_base64<S: Serializer>(
    data: &[u8],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&base64::encode(data, base64::STANDARD))
}

fn serialize_base64_opt<S: Serializer>(
    data: &Option<Vec<u8>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match data {
        Some(data) => serialize_base64(data, s),
        None => s.serialize_none(),
    }
}

pub(super) fn deserialize_base64<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<u8>, D::Error> {
    let text = Option::<String>::deserialize(d)?.unwrap_or_default();
    base64::decode(&text).ok_or_else(|| serde::de::Error::custom("Data is not base64"))
}

fn deserialize_base64_opt<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<u8>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => base64::decode(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("Data is not base64")),
    }
}

/// A driver and its options: a secret's external store, or the templating engine of a
/// secret or config (`golang`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DriverConfig {
    /// The driver's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its options (not sent when there are none, as the engine does).
    #[serde(
        deserialize_with = "null_as_default",
        skip_serializing_if = "HashMap::is_empty"
    )]
    pub options: HashMap<String, String>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl DriverConfig {
    /// The driver `name`, without options.
    pub fn new(name: impl Into<String>) -> Self {
        DriverConfig {
            name: name.into(),
            options: HashMap::new(),
            extra: serde_json::Map::new(),
        }
    }
}

/// What a secret is made from: the body of `POST /secrets/create`, and the spec inspect
/// gives back (without the data, which the engine never returns). `Debug` shows the
/// data's size only.
///
/// ```
/// use dockhand::swarm::SecretSpec;
/// let spec = SecretSpec::new("db-password", b"s3cret".to_vec()).label("app", "shop");
/// assert!(!format!("{spec:?}").contains("s3cret"));
/// ```
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SecretSpec {
    /// Its name, unique in the swarm; a service mounts it at `/run/secrets/<name>` by
    /// default.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its labels (always sent, as the engine always gives them).
    #[serde(deserialize_with = "null_as_default")]
    pub labels: HashMap<String, String>,
    /// The secret bytes (sent base64-encoded). `None` in what inspect gives back, and
    /// in an update, which must not change them.
    #[serde(
        serialize_with = "serialize_base64_opt",
        deserialize_with = "deserialize_base64_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub data: Option<Vec<u8>>,
    /// An external secret store that holds the bytes instead (then `data` is `None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<DriverConfig>,
    /// A templating engine that fills the secret in when it is mounted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templating: Option<DriverConfig>,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for SecretSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = self
            .data
            .as_ref()
            .map(|d| format!("<{} bytes, redacted>", d.len()));
        f.debug_struct("SecretSpec")
            .field("name", &self.name)
            .field("labels", &self.labels)
            .field("data", &data)
            .field("driver", &self.driver)
            .field("templating", &self.templating)
            .field("extra", &self.extra)
            .finish()
    }
}

impl SecretSpec {
    /// A secret called `name` holding `data`.
    pub fn new(name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        SecretSpec {
            name: name.into(),
            data: Some(data.into()),
            ..Default::default()
        }
    }

    /// Adds (or replaces) a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.insert(key.to_string(), value.to_string());
        self
    }

    /// Keeps the bytes in an external store instead.
    pub fn driver(mut self, driver: DriverConfig) -> Self {
        self.driver = Some(driver);
        self
    }

    /// Fills the secret in with a templating engine when mounted.
    pub fn templating(mut self, templating: DriverConfig) -> Self {
        self.templating = Some(templating);
        self
    }
}

/// A secret: `GET /secrets/{id}`, and each item of a list. The engine never gives its
/// data back.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SecretInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The version of its record, for [`Secret::update`].
    pub version: ObjectVersion,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// Its name and labels.
    pub spec: SecretSpec,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// The engine's answer to a secret or config create.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ObjectCreated {
    /// The new object's id.
    #[serde(rename = "ID")]
    pub id: String,
}

/// Filters for [`Secrets::list`] and [`Configs::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListSecretsOptions {
    pub(super) filters: Filters,
}

impl ListSecretsOptions {
    /// Every secret (or config).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker secret ls --filter key=value`: `id`, `label` (`key` or
    /// `key=value`), `name`, `names` (exact names). Several values for one key match any
    /// of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

pub(super) fn need_name(what: &'static str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::setting(
            what,
            "",
            "a name, unique in the swarm, such as db-password",
        ));
    }
    Ok(())
}

impl Secrets {
    /// Lists the secrets (without their data).
    pub fn list(&self, options: &ListSecretsOptions) -> Result<Vec<SecretInspect>> {
        self.docker
            .get("/secrets".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Creates a secret.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::swarm::SecretSpec;
    /// let docker = Docker::from_env()?;
    /// let id = docker.secrets().create(&SecretSpec::new("db-password", "s3cret"))?.id;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, spec: &SecretSpec) -> Result<ObjectCreated> {
        need_name("SecretSpec::name", &spec.name)?;
        self.docker
            .post("/secrets/create".into())
            .json(spec)
            .send()?
            .json()
    }
}

impl Secret {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("secret id", &self.id)?;
        Ok(format!("/secrets/{}{tail}", encode_segment(id)))
    }

    /// The secret's record (never its data).
    pub fn inspect(&self) -> Result<SecretInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// Changes the secret's labels (nothing else can change): `spec` is its spec from
    /// [`inspect`](Self::inspect), labels changed, and `version` the version inspect gave.
    pub fn update(&self, version: u64, spec: &SecretSpec) -> Result<()> {
        self.docker
            .post(self.path("/update")?)
            .query("version", &version.to_string())
            .json(spec)
            .send()?
            .drain()
    }

    /// Replaces the secret's labels with `labels`: inspects it, then updates it with the
    /// version inspect gave.
    pub fn set_labels(&self, labels: HashMap<String, String>) -> Result<()> {
        let current = self.inspect()?;
        let mut spec = current.spec;
        spec.labels = labels;
        self.docker
            .secret(&current.id)
            .update(current.version.index, &spec)
    }

    /// Removes the secret. One that a service uses cannot be removed.
    pub fn remove(&self) -> Result<()> {
        self.docker.delete(self.path("")?).send()?.drain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::swarm::{ConfigInspect, ConfigSpec};

    #[test]
    fn a_secret_is_sent_in_base64_and_never_shown() {
        let spec = SecretSpec::new("pw", b"hunter2".to_vec()).label("a", "b");
        assert_eq!(
            serde_json::to_value(&spec).unwrap(),
            serde_json::json!({"Name": "pw", "Labels": {"a": "b"}, "Data": "aHVudGVyMg=="})
        );
        let shown = format!("{spec:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("aHVudGVy"),
            "{shown}"
        );
        assert!(shown.contains("7 bytes"), "{shown}");

        let inspected: SecretInspect = serde_json::from_str(
            r#"{"ID":"s1","Version":{"Index":11},"Spec":{"Name":"pw","Labels":{"a":"b"}}}"#,
        )
        .unwrap();
        assert_eq!(inspected.spec.data, None);
        // An update of what inspect gave sends no data, as the engine demands.
        assert_eq!(
            serde_json::to_value(&inspected.spec).unwrap(),
            serde_json::json!({"Name": "pw", "Labels": {"a": "b"}})
        );
    }

    /// Parses `text` as `T` and writes it back: the JSON must be the same, value for
    /// value.
    fn assert_round_trip<T: serde::de::DeserializeOwned + Serialize>(text: &str) {
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        let parsed: T = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), original, "{text}");
    }

    #[test]
    fn inspected_specs_go_back_exactly_with_the_fields_not_typed() {
        // As an engine speaking API 1.51 gives them, and a field no version has.
        assert_round_trip::<SecretSpec>(
            r#"{"Name": "pw", "Labels": {"a": "b"},
                "Driver": {"Name": "vault", "Options": {"path": "x"}, "XFuture": 1},
                "Templating": {"Name": "golang", "XFuture": 2}, "XFuture": 3}"#,
        );
        assert_round_trip::<SecretSpec>(r#"{"Name": "pw", "Labels": {}}"#);
        assert_round_trip::<ConfigSpec>(
            r#"{"Name": "c", "Labels": {}, "Data": "Y2ZnZGF0YQ==",
                "Templating": {"Name": "golang", "Options": {"k": "v"}}, "XFuture": 4}"#,
        );
        // Fields the engine leaves out stay out.
        assert_round_trip::<ConfigSpec>(r#"{"Labels": {}}"#);
        assert_round_trip::<DriverConfig>(r#"{}"#);
    }

    #[test]
    fn a_config_decodes_its_data_and_sends_it_back() {
        let config: ConfigInspect = serde_json::from_str(
            r#"{"ID":"c1","Version":{"Index":12},"Spec":{"Name":"c","Labels":null,
                "Data":"Y2ZnZGF0YQ=="}}"#,
        )
        .unwrap();
        assert_eq!(config.spec.data, b"cfgdata");
        assert_eq!(config.version.index, 12);
        assert_eq!(
            serde_json::to_value(&config.spec).unwrap(),
            serde_json::json!({"Name": "c", "Labels": {}, "Data": "Y2ZnZGF0YQ=="})
        );
        let bad = serde_json::from_str::<ConfigSpec>(r#"{"Data":"*"}"#);
        assert!(bad.is_err());
    }
}
