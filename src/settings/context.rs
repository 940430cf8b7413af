//! Docker contexts: the docker CLI's named engines, kept in its context store.
//!
//! The store lives in the CLI's configuration folder (`$DOCKER_CONFIG`, else `~/.docker`):
//! `contexts/meta/<id>/meta.json` names a context and its endpoint (`Host`,
//! `SkipTLSVerify`); `contexts/tls/<id>/docker/` holds its `ca.pem`, `cert.pem` and
//! `key.pem`. The CLI makes `<id>` the SHA-256 of the name; we find a context by the `Name`
//! in its `meta.json`, which reads the same store without computing a hash.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::settings::{Host, Settings};

/// The docker CLI's configuration folder: `$DOCKER_CONFIG`, else `~/.docker`.
pub(crate) fn config_dir(get: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| get(name).filter(|v| !v.is_empty());
    set("DOCKER_CONFIG").map(PathBuf::from).or_else(|| {
        set("HOME")
            .or_else(|| set("USERPROFILE"))
            .map(|home| Path::new(&home).join(".docker"))
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CliConfig {
    #[serde(rename = "currentContext")]
    current_context: Option<String>,
}

/// The context `config.json` selects, if any. A missing file selects none; a file that is
/// not JSON is an error that names it.
pub(crate) fn current_context(config_dir: &Path) -> Result<Option<String>> {
    let path = config_dir.join("config.json");
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::File { path, source }),
    };
    let config: CliConfig = serde_json::from_str(&text).map_err(|e| {
        // The file holds credentials too: an error names no value.
        let detail = crate::json::error_without_value(&e);
        Error::decode(format!("the docker CLI config {}", path.display()), detail)
    })?;
    Ok(config.current_context.filter(|c| !c.is_empty()))
}

#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Endpoints", default)]
    endpoints: Endpoints,
}

#[derive(Deserialize, Default)]
struct Endpoints {
    docker: Option<DockerEndpoint>,
}

#[derive(Deserialize)]
struct DockerEndpoint {
    #[serde(rename = "Host")]
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify", default)]
    skip_tls_verify: bool,
}

/// The settings of the context called `name` in the store under `config_dir`.
pub(crate) fn load(config_dir: &Path, name: &str) -> Result<Settings> {
    let key = format!("docker context {name:?}");
    let meta_dir = config_dir.join("contexts").join("meta");
    let not_found = || {
        Error::setting(
            "DOCKER_CONTEXT",
            name,
            format!(
                "the name of a context in {} (see `docker context ls`), or `default`",
                meta_dir.display()
            ),
        )
    };
    let entries = match fs::read_dir(&meta_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
        Err(source) => {
            return Err(Error::File {
                path: meta_dir,
                source,
            })
        }
    };
    for entry in entries.flatten() {
        let path = entry.path().join("meta.json");
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let meta: Meta = serde_json::from_str(&text)
            .map_err(|e| Error::decode(format!("the context file {}", path.display()), e))?;
        if meta.name != name {
            continue;
        }
        let endpoint = meta.endpoints.docker.ok_or_else(|| {
            Error::decode(
                format!("the context file {}", path.display()),
                "it has no docker endpoint",
            )
        })?;
        let host = endpoint.host.filter(|h| !h.is_empty()).ok_or_else(|| {
            Error::decode(
                format!("the context file {}", path.display()),
                "its docker endpoint has no Host",
            )
        })?;
        let mut settings = Settings::new(&host).map_err(|_| {
            Error::setting(
                &key,
                &host,
                "a Host the docker CLI accepts, such as tcp://h:2376",
            )
        })?;
        let tls_dir = config_dir
            .join("contexts")
            .join("tls")
            .join(entry.file_name())
            .join("docker");
        let ca = tls_dir.join("ca.pem");
        let (cert, cert_key) = (tls_dir.join("cert.pem"), tls_dir.join("key.pem"));
        let has_ca = ca.is_file();
        let has_cert = cert.is_file() && cert_key.is_file();
        // As the CLI: TLS when the context has TLS material or skips verification.
        if matches!(settings.host, Host::Tcp { .. })
            && (has_ca || has_cert || endpoint.skip_tls_verify)
        {
            settings.tls = true;
            settings.tls_verify = !endpoint.skip_tls_verify;
            if has_ca {
                settings.tls_ca_cert = Some(ca);
            }
            if has_cert {
                settings.tls_client_cert = Some((cert, cert_key));
            }
        }
        return Ok(settings);
    }
    Err(not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch context store, removed when dropped.
    struct Store(PathBuf);

    impl Store {
        fn new(tag: &str) -> Store {
            let dir = std::env::temp_dir()
                .join(format!("dockhand-contexts-{tag}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Store(dir)
        }

        fn context(&self, id: &str, meta: &str, tls: &[&str]) {
            let meta_dir = self.0.join("contexts/meta").join(id);
            fs::create_dir_all(&meta_dir).unwrap();
            fs::write(meta_dir.join("meta.json"), meta).unwrap();
            let tls_dir = self.0.join("contexts/tls").join(id).join("docker");
            for file in tls {
                fs::create_dir_all(&tls_dir).unwrap();
                fs::write(tls_dir.join(file), "x").unwrap();
            }
        }
    }

    impl Drop for Store {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn contexts_are_found_by_name_with_their_tls_files() {
        let store = Store::new("load");
        store.context(
            "aaaa",
            r#"{"Name":"remote","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://h:2376","SkipTLSVerify":false}}}"#,
            &["ca.pem", "cert.pem", "key.pem"],
        );
        store.context(
            "bbbb",
            r#"{"Name":"lax","Endpoints":{"docker":{"Host":"tcp://h:2376","SkipTLSVerify":true}}}"#,
            &[],
        );
        store.context(
            "cccc",
            r#"{"Name":"sock","Endpoints":{"docker":{"Host":"unix:///run/other.sock"}}}"#,
            &[],
        );
        let remote = load(&store.0, "remote").unwrap();
        assert!(remote.tls && remote.tls_verify);
        assert!(remote
            .ca_cert()
            .unwrap()
            .ends_with("contexts/tls/aaaa/docker/ca.pem"));
        assert!(remote.client_cert().unwrap().1.ends_with("key.pem"));
        let lax = load(&store.0, "lax").unwrap();
        assert!(lax.tls && !lax.tls_verify);
        let sock = load(&store.0, "sock").unwrap();
        assert_eq!(sock.host, Host::Unix("/run/other.sock".into()));
        assert!(!sock.tls);
        let missing = load(&store.0, "nope").unwrap_err().to_string();
        assert!(
            missing.contains("DOCKER_CONTEXT") && missing.contains("nope"),
            "{missing}"
        );
    }

    #[test]
    fn current_context_comes_from_config_json() {
        let store = Store::new("current");
        assert_eq!(current_context(&store.0).unwrap(), None);
        fs::write(
            store.0.join("config.json"),
            r#"{"currentContext":"remote"}"#,
        )
        .unwrap();
        assert_eq!(
            current_context(&store.0).unwrap().as_deref(),
            Some("remote")
        );
        fs::write(store.0.join("config.json"), "{not json").unwrap();
        let err = current_context(&store.0).unwrap_err().to_string();
        assert!(err.contains("config.json"), "{err}");
        // the file holds credentials too: a broken one is named, its values are not quoted
        fs::write(store.0.join("config.json"), r#""hunter2-secret""#).unwrap();
        let err = current_context(&store.0).unwrap_err().to_string();
        assert!(err.contains("config.json"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_broken_context_file_is_named() {
        let store = Store::new("broken");
        store.context("dddd", r#"{"Name":"x","Endpoints":{}}"#, &[]);
        let err = load(&store.0, "x").unwrap_err().to_string();
        assert!(
            err.contains("meta.json") && err.contains("no docker endpoint"),
            "{err}"
        );
    }
}
