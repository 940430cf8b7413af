//! Secrets and configs as files in a service's containers.

use serde::{Deserialize, Serialize};

/// Where and how a secret or config appears in a task's container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct FileTarget {
    /// The file: a name under `/run/secrets/` for a secret; for a config, a path (a
    /// relative one is under `/`).
    pub name: String,
    /// Its owner's user id, as text.
    #[serde(rename = "UID")]
    pub uid: String,
    /// Its group id, as text.
    #[serde(rename = "GID")]
    pub gid: String,
    /// Its permission bits, such as `0o444`.
    pub mode: u32,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl FileTarget {
    /// `name`, owned by root, readable by all (`0o444`), as the docker CLI does.
    pub fn new(name: impl Into<String>) -> Self {
        FileTarget {
            name: name.into(),
            uid: "0".to_string(),
            gid: "0".to_string(),
            mode: 0o444,
            extra: serde_json::Map::new(),
        }
    }
}

/// A secret mounted into a service's tasks. The engine needs both the secret's id and its
/// name (the docker CLI looks the id up).
///
/// ```
/// use dockhand::swarm::SecretReference;
/// let secret = SecretReference::new("u3puoas41oav", "db-password").target("db.pw").mode(0o400);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct SecretReference {
    /// Where it appears (a file under `/run/secrets/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTarget>,
    /// The secret's id.
    #[serde(rename = "SecretID")]
    pub secret_id: String,
    /// The secret's name.
    pub secret_name: String,
    /// Any other field, by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl SecretReference {
    /// The secret `secret_id` called `secret_name`, at `/run/secrets/<secret_name>`,
    /// owned by root, mode `0o444`.
    pub fn new(secret_id: impl Into<String>, secret_name: impl Into<String>) -> Self {
        let secret_name = secret_name.into();
        SecretReference {
            file: Some(FileTarget::new(secret_name.clone())),
            secret_id: secret_id.into(),
            secret_name,
            extra: serde_json::Map::new(),
        }
    }

    fn file(&mut self) -> &mut FileTarget {
        let name = self.secret_name.clone();
        self.file.get_or_insert_with(|| FileTarget::new(name))
    }

    /// Sets the file name under `/run/secrets/`.
    pub fn target(mut self, name: impl Into<String>) -> Self {
        self.file().name = name.into();
        self
    }

    /// Sets the file's permission bits.
    pub fn mode(mut self, mode: u32) -> Self {
        self.file().mode = mode;
        self
    }

    /// Sets the file's owner and group ids.
    pub fn owner(mut self, uid: u32, gid: u32) -> Self {
        let file = self.file();
        file.uid = uid.to_string();
        file.gid = gid.to_string();
        self
    }
}

/// A config mounted into a service's tasks. The engine needs both the config's id and its
/// name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ConfigReference {
    /// Where it appears (a path; a relative one is under `/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileTarget>,
    /// The config's id.
    #[serde(rename = "ConfigID")]
    pub config_id: String,
    /// The config's name.
    pub config_name: String,
    /// Any other field (`Runtime`, for a credential spec), by its API name.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ConfigReference {
    /// The config `config_id` called `config_name`, at `/<config_name>`, owned by root,
    /// mode `0o444`.
    pub fn new(config_id: impl Into<String>, config_name: impl Into<String>) -> Self {
        let config_name = config_name.into();
        ConfigReference {
            file: Some(FileTarget::new(config_name.clone())),
            config_id: config_id.into(),
            config_name,
            extra: serde_json::Map::new(),
        }
    }

    fn file(&mut self) -> &mut FileTarget {
        let name = self.config_name.clone();
        self.file.get_or_insert_with(|| FileTarget::new(name))
    }

    /// Sets the path it appears at, such as `/etc/app.toml`.
    pub fn target(mut self, path: impl Into<String>) -> Self {
        self.file().name = path.into();
        self
    }

    /// Sets the file's permission bits.
    pub fn mode(mut self, mode: u32) -> Self {
        self.file().mode = mode;
        self
    }

    /// Sets the file's owner and group ids.
    pub fn owner(mut self, uid: u32, gid: u32) -> Self {
        let file = self.file();
        file.uid = uid.to_string();
        file.gid = gid.to_string();
        self
    }
}
