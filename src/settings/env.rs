//! Settings from the docker CLI's environment (`DOCKER_HOST`, `DOCKER_TLS_VERIFY`, ...)
//! and its contexts.

use std::path::{Path, PathBuf};

use super::version::parse_version_as;
use super::{context, Host, Provenance, Settings, DEFAULT_SOCKET};
use crate::error::{Error, Result};

impl Settings {
    /// Reads the docker CLI's environment:
    ///
    /// - `DOCKER_HOST`: the engine (default: the local socket, see below);
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
    ///
    /// When neither says anything, the engine is the first of these sockets that exists:
    ///
    /// 1. `/var/run/docker.sock` (Docker run by root, the docker CLI's default);
    /// 2. `$XDG_RUNTIME_DIR/docker.sock` (rootless Docker);
    /// 3. `~/.docker/run/docker.sock` (Docker Desktop);
    /// 4. `$XDG_RUNTIME_DIR/podman/podman.sock` (rootless Podman);
    /// 5. `/run/podman/podman.sock` (Podman run by root).
    ///
    /// When none exists, the error ([`Error::NoEngine`]) lists each path it looked for.
    pub fn from_env() -> Result<Settings> {
        Settings::from_env_with(
            &|name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
            &|path| path.exists(),
        )
    }

    /// [`from_env`](Self::from_env) with the environment read through `get`, and `exists`
    /// to say whether a socket is there (tests pass their own).
    pub(super) fn from_env_with(
        get: &dyn Fn(&str) -> Option<String>,
        exists: &dyn Fn(&Path) -> bool,
    ) -> Result<Settings> {
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
                    _ => local_socket(get, exists)?,
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

/// The first local socket that exists, in the order [`Settings::from_env`] gives; when
/// none does, an error that lists them all.
fn local_socket(
    get: &dyn Fn(&str) -> Option<String>,
    exists: &dyn Fn(&Path) -> bool,
) -> Result<Host> {
    let set = |name: &str| get(name).filter(|v| !v.is_empty());
    let runtime = set("XDG_RUNTIME_DIR").map(PathBuf::from);
    let home = set("HOME").map(PathBuf::from);
    let under = |base: &Option<PathBuf>, var: &str, rest: &str, what: &str| match base {
        Some(base) => (Some(base.join(rest)), what.to_string()),
        None => (None, format!("${var}/{rest} ({what}; {var} is unset)")),
    };
    let candidates = [
        (
            Some(PathBuf::from(DEFAULT_SOCKET)),
            "the default".to_string(),
        ),
        under(
            &runtime,
            "XDG_RUNTIME_DIR",
            "docker.sock",
            "rootless Docker",
        ),
        under(&home, "HOME", ".docker/run/docker.sock", "Docker Desktop"),
        under(
            &runtime,
            "XDG_RUNTIME_DIR",
            "podman/podman.sock",
            "rootless Podman",
        ),
        (
            Some(PathBuf::from("/run/podman/podman.sock")),
            "Podman run by root".to_string(),
        ),
    ];
    let mut tried = Vec::new();
    for (path, what) in candidates {
        match path {
            Some(path) if exists(&path) => {
                if path != Path::new(DEFAULT_SOCKET) {
                    log::debug!(target: "dockhand", "using {what} at {}", path.display());
                }
                return Ok(Host::Unix(path));
            }
            Some(path) => tried.push(format!("{} ({what})", path.display())),
            None => tried.push(what),
        }
    }
    Err(Error::NoEngine { tried })
}

#[cfg(test)]
mod tests;
