//! Settings from the docker CLI's environment (`DOCKER_HOST`, `DOCKER_TLS_VERIFY`, ...)
//! and its contexts.

use std::path::{Path, PathBuf};

use super::version::parse_version_as;
use super::{context, Host, Provenance, Settings, DEFAULT_SOCKET};
use crate::error::{Error, Result};

impl Settings {
    /// Reads the docker CLI's environment:
    ///
    /// - `DOCKER_HOST`: the engine (default `unix:///var/run/docker.sock`);
    /// - `DOCKER_TLS_VERIFY`: any non-empty value (even `0`, as in the docker CLI and
    ///   docker-py) turns TLS on with verification;
    /// - `DOCKER_CERT_PATH`: the folder of `ca.pem`, `cert.pem` and `key.pem`; set without
    ///   `DOCKER_TLS_VERIFY` it turns TLS on without verification. When TLS is on it defaults
    ///   to `~/.docker`;
    /// - `DOCKER_TLS`: any non-empty value turns TLS on (without verification unless
    ///   `DOCKER_TLS_VERIFY` is set), as the docker CLI's `--tls`;
    /// - `DOCKER_API_VERSION`: pins the API version (otherwise it is negotiated).
    ///
    /// With `DOCKER_HOST` unset, the docker CLI context that `DOCKER_CONTEXT` names, else
    /// the `currentContext` of `config.json` (in `$DOCKER_CONFIG` or `~/.docker`), chooses
    /// the engine and its TLS files: see [`Settings::from_context`]. The timeout is 30 s.
    pub fn from_env() -> Result<Settings> {
        Settings::from_env_with(&|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })
    }

    pub(super) fn from_env_with(get: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
        let set = |name: &str| get(name).filter(|v| !v.is_empty());
        let host = match set("DOCKER_HOST") {
            Some(host) => Host::parse("DOCKER_HOST", &host)?,
            None => {
                // No DOCKER_HOST: the context DOCKER_CONTEXT names, else the CLI config's
                // currentContext, as the docker CLI chooses.
                let config_dir = context::config_dir(get);
                let chosen = match (set("DOCKER_CONTEXT"), &config_dir) {
                    (Some(name), _) => Some(name.trim().to_string()),
                    (None, Some(dir)) => context::current_context(dir)?,
                    (None, None) => None,
                };
                match (chosen, config_dir) {
                    (Some(name), Some(dir)) if name != "default" => {
                        let mut settings = context::load(&dir, &name)?;
                        settings.apply_api_version(get)?;
                        settings.check()?;
                        return Ok(settings);
                    }
                    (Some(name), None) if name != "default" => {
                        return Err(Error::setting(
                            "DOCKER_CONTEXT",
                            &name,
                            "a context in the docker CLI's config folder, but neither \
                             DOCKER_CONFIG nor HOME is set to find it",
                        ))
                    }
                    _ => Host::Unix(PathBuf::from(DEFAULT_SOCKET)),
                }
            }
        };
        let mut settings = Settings::for_host(host);

        let verify = set("DOCKER_TLS_VERIFY").is_some();
        let cert_path = set("DOCKER_CERT_PATH").map(PathBuf::from);
        let tls = verify || cert_path.is_some() || set("DOCKER_TLS").is_some();
        if tls {
            settings.tls = true;
            settings.tls_verify = verify;
            settings.tls_cert_path = cert_path.or_else(|| {
                set("HOME")
                    .or_else(|| set("USERPROFILE"))
                    .map(|home| Path::new(&home).join(".docker"))
            });
        }
        settings.apply_api_version(get)?;
        settings.check()?;
        Ok(settings)
    }

    /// `DOCKER_API_VERSION` pins the version, whatever chose the engine.
    fn apply_api_version(&mut self, get: &dyn Fn(&str) -> Option<String>) -> Result<()> {
        if let Some(version) = get("DOCKER_API_VERSION").filter(|v| !v.is_empty()) {
            self.version_key = Provenance("DOCKER_API_VERSION".to_string());
            self.version = Some(parse_version_as(
                "DOCKER_API_VERSION",
                &version,
                "an API version such as 1.41 or v1.41",
            )?);
        }
        Ok(())
    }

    /// The settings of a docker CLI context (`docker context ls`), from the context store
    /// in `$DOCKER_CONFIG` or `~/.docker`: its endpoint, and its TLS files when it has
    /// them. `default` is the local socket.
    pub fn from_context(name: &str) -> Result<Settings> {
        let get = |key: &str| std::env::var(key).ok();
        if name == "default" {
            return Settings::new(&format!("unix://{DEFAULT_SOCKET}"));
        }
        let dir = context::config_dir(&get).ok_or_else(|| {
            Error::setting(
                "DOCKER_CONTEXT",
                name,
                "a context in the docker CLI's config folder, but neither DOCKER_CONFIG nor \
                 HOME is set to find it",
            )
        })?;
        let settings = context::load(&dir, name)?;
        settings.check()?;
        Ok(settings)
    }
}

#[cfg(test)]
mod tests;
