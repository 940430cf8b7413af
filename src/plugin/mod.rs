//! Managed plugins (`docker plugin`): list, inspect, install from a registry, create from
//! a folder's tar, enable, disable, configure, push, upgrade and remove.
//!
//! Podman has no plugins: its compatible API answers these calls with an error.
//!
//! ```no_run
//! use dockhand::plugin::{ListPluginsOptions, PluginPrivilegesOptions, PullPluginOptions};
//!
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let plugins = docker.plugins();
//! let privileges = plugins.privileges(&PluginPrivilegesOptions::new("vieux/sshfs"))?;
//! plugins
//!     .pull(&PullPluginOptions::new("vieux/sshfs").privileges(privileges))?
//!     .finish()?;
//! for plugin in plugins.list(&ListPluginsOptions::new())? {
//!     println!("{} enabled={}", plugin.name, plugin.enabled);
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::io::Read;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::client::{reference_path, Docker, Request};
use crate::error::{Error, Result};
use crate::image::{credentials_for, with_registry_auth, Progress};
use crate::json::{null_as_default, Filters};
use crate::settings::{Auth, Credentials};
use crate::stream::JsonStream;

mod model;

pub use model::{
    PluginArgs, PluginConfig, PluginDevice, PluginEnv, PluginInspect, PluginInterface,
    PluginInterfaceType, PluginLinux, PluginMount, PluginNetwork, PluginSettings,
};

/// The plugins of an engine: `docker.plugins()`.
#[derive(Clone, Debug)]
pub struct Plugins {
    docker: Docker,
}

/// One plugin, by name (`vieux/sshfs`, `127.0.0.1:5000/team/driver:1`; `:latest` when
/// the name has no tag) or id: `docker.plugin("vieux/sshfs")`.
#[derive(Clone, Debug)]
pub struct Plugin {
    docker: Docker,
    name: String,
}

impl Docker {
    /// The engine's plugins: list, pull, create, privileges.
    pub fn plugins(&self) -> Plugins {
        Plugins {
            docker: self.clone(),
        }
    }

    /// One plugin, by name or id. Nothing is sent until a call is made.
    pub fn plugin(&self, name: impl Into<String>) -> Plugin {
        Plugin {
            docker: self.clone(),
            name: name.into(),
        }
    }
}

/// Filters for [`Plugins::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListPluginsOptions {
    filters: Filters,
}

impl ListPluginsOptions {
    /// Every plugin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker plugin ls --filter key=value`: `capability` (such as
    /// `volumedriver` or `logdriver`), `enabled` (`true` or `false`).
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// Where a plugin comes from and how to log in there: what the registry calls share.
#[derive(Clone, Debug)]
struct Remote {
    remote: String,
    credentials: Option<Credentials>,
    auth: Option<Auth>,
    idle_timeout: Option<Duration>,
}

impl Remote {
    fn new(remote: String) -> Remote {
        Remote {
            remote,
            credentials: None,
            auth: None,
            idle_timeout: None,
        }
    }

    /// `request` with the remote in the query and `X-Registry-Auth` when there are
    /// credentials.
    fn apply(&self, request: Request) -> Result<Request> {
        if self.remote.is_empty() {
            return Err(Error::setting(
                "plugin remote",
                "",
                "a plugin reference such as vieux/sshfs:latest",
            ));
        }
        let credentials =
            credentials_for(&self.remote, self.credentials.as_ref(), self.auth.as_ref())?;
        let request = request.query("remote", &self.remote);
        Ok(with_registry_auth(
            request,
            &self.remote,
            credentials.as_ref(),
            false,
        ))
    }
}

/// Implements the registry half of an options builder.
macro_rules! remote_options {
    ($options:ident) => {
        impl $options {
            /// Log in to the plugin's registry with these; they win over
            /// [`auth`](Self::auth).
            pub fn credentials(mut self, credentials: Credentials) -> Self {
                self.remote.credentials = Some(credentials);
                self
            }

            /// Find credentials for the plugin's registry here, as the docker CLI does
            /// (`Auth::from_env()?` for what `docker login` saved). Without this or
            /// [`credentials`](Self::credentials) the registry is asked anonymously.
            pub fn auth(mut self, auth: Auth) -> Self {
                self.remote.auth = Some(auth);
                self
            }
        }
    };
}

/// Which plugin to ask about, for [`Plugins::privileges`].
#[derive(Clone, Debug)]
#[must_use]
pub struct PluginPrivilegesOptions {
    remote: Remote,
}

impl PluginPrivilegesOptions {
    /// The privileges of `remote`, a plugin reference such as `vieux/sshfs` (its
    /// `latest` tag) or `127.0.0.1:5000/team/driver:1`.
    pub fn new(remote: impl Into<String>) -> Self {
        PluginPrivilegesOptions {
            remote: Remote::new(remote.into()),
        }
    }
}

remote_options!(PluginPrivilegesOptions);

/// What to install and what to grant it, for [`Plugins::pull`].
#[derive(Clone, Debug)]
#[must_use]
pub struct PullPluginOptions {
    remote: Remote,
    name: Option<String>,
    privileges: Vec<PluginPrivilege>,
}

impl PullPluginOptions {
    /// Install `remote`, a plugin reference such as `vieux/sshfs` (its `latest` tag) or
    /// `127.0.0.1:5000/team/driver:1`, under the same name.
    pub fn new(remote: impl Into<String>) -> Self {
        PullPluginOptions {
            remote: Remote::new(remote.into()),
            name: None,
            privileges: Vec::new(),
        }
    }

    /// Install it under this local name instead (`docker plugin install --alias`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The privileges to grant. The engine refuses the pull unless they are exactly those
    /// the plugin asks for: get them from [`Plugins::privileges`], look at them, and pass
    /// them on (what `docker plugin install` asks its user to confirm).
    pub fn privileges(mut self, privileges: Vec<PluginPrivilege>) -> Self {
        self.privileges = privileges;
        self
    }

    /// Fail when the engine reports nothing for this long (off by default).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.remote.idle_timeout = Some(idle);
        self
    }
}

remote_options!(PullPluginOptions);

/// What to upgrade a plugin to, for [`Plugin::upgrade`].
#[derive(Clone, Debug)]
#[must_use]
pub struct UpgradePluginOptions {
    remote: Remote,
    privileges: Vec<PluginPrivilege>,
}

impl UpgradePluginOptions {
    /// Upgrade to `remote`, a plugin reference such as `vieux/sshfs:next`.
    pub fn new(remote: impl Into<String>) -> Self {
        UpgradePluginOptions {
            remote: Remote::new(remote.into()),
            privileges: Vec::new(),
        }
    }

    /// The privileges to grant: exactly those [`Plugins::privileges`] lists for the
    /// remote, or the engine refuses.
    pub fn privileges(mut self, privileges: Vec<PluginPrivilege>) -> Self {
        self.privileges = privileges;
        self
    }

    /// Fail when the engine reports nothing for this long (off by default).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.remote.idle_timeout = Some(idle);
        self
    }
}

remote_options!(UpgradePluginOptions);

/// How to push, for [`Plugin::push`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PushPluginOptions {
    credentials: Option<Credentials>,
    auth: Option<Auth>,
    idle_timeout: Option<Duration>,
}

impl PushPluginOptions {
    /// Push anonymously.
    pub fn new() -> Self {
        Self::default()
    }

    /// Log in to the registry with these; they win over [`auth`](Self::auth).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the plugin's registry here, as the docker CLI does.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Fail when the engine reports nothing for this long (off by default).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// How to enable, for [`Plugin::enable`].
#[derive(Clone, Debug)]
#[must_use]
pub struct EnablePluginOptions {
    timeout: Duration,
}

impl Default for EnablePluginOptions {
    fn default() -> Self {
        EnablePluginOptions {
            timeout: Duration::from_secs(30),
        }
    }
}

impl EnablePluginOptions {
    /// The docker CLI's defaults: a 30-second timeout.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long the engine waits for each answer of the plugin once it runs (whole
    /// seconds; 30 by default, as `docker plugin enable --timeout`). Zero means no limit,
    /// so that a plugin that hangs holds up every call that uses it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// How to disable, for [`Plugin::disable`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct DisablePluginOptions {
    force: bool,
}

impl DisablePluginOptions {
    /// Disable it unless something uses it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Disable it even while a container or a volume uses it.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// How to remove, for [`Plugin::remove`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RemovePluginOptions {
    force: bool,
}

impl RemovePluginOptions {
    /// Remove it if it is disabled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Disable it first when it is enabled, even while something uses it.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

/// A permission a plugin asks for (`network: host`, a mount, a device, a capability):
/// what [`Plugins::privileges`] lists and a pull or upgrade grants.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PluginPrivilege {
    /// What kind: `network`, `mount`, `device`, `allow-all-devices`, `capabilities`,
    /// `host pid namespace`, `host ipc namespace`.
    pub name: String,
    /// What it is for, in words.
    pub description: String,
    /// The values asked for, such as `host` or `/dev/fuse`.
    #[serde(deserialize_with = "null_as_default")]
    pub value: Vec<String>,
}

/// The engine waits for a plugin's socket (about 13 s) before it answers an enable.
const SOCKET_WAIT: Duration = Duration::from_secs(15);

impl Plugins {
    /// Lists the installed plugins.
    pub fn list(&self, options: &ListPluginsOptions) -> Result<Vec<PluginInspect>> {
        self.docker
            .get("/plugins".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// The privileges a plugin in a registry asks for: what [`pull`](Self::pull) must
    /// grant.
    pub fn privileges(&self, options: &PluginPrivilegesOptions) -> Result<Vec<PluginPrivilege>> {
        let request = self.docker.get("/plugins/privileges".into());
        let privileges: Option<Vec<PluginPrivilege>> =
            options.remote.apply(request)?.send()?.json()?;
        Ok(privileges.unwrap_or_default())
    }

    /// Installs a plugin from a registry (`docker plugin install`), disabled: a stream of
    /// [`Progress`] lines; the plugin is installed when the stream ends
    /// ([`JsonStream::finish`] reads it to its end).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::plugin::{EnablePluginOptions, PluginPrivilegesOptions, PullPluginOptions};
    /// let docker = Docker::from_env()?;
    /// let asked = docker.plugins().privileges(&PluginPrivilegesOptions::new("vieux/sshfs"))?;
    /// for p in &asked {
    ///     println!("grants {}: {:?}", p.name, p.value);
    /// }
    /// docker
    ///     .plugins()
    ///     .pull(&PullPluginOptions::new("vieux/sshfs").privileges(asked))?
    ///     .finish()?;
    /// docker.plugin("vieux/sshfs").enable(&EnablePluginOptions::new())?;
    /// # Ok(()) }
    /// ```
    pub fn pull(&self, options: &PullPluginOptions) -> Result<JsonStream<Progress>> {
        let request = self
            .docker
            .post("/plugins/pull".into())
            .query_opt("name", options.name.as_deref())
            // The engine needs a body, an empty list at least.
            .json(&options.privileges)
            .streaming()
            .idle_timeout(options.remote.idle_timeout);
        let response = options.remote.apply(request)?.send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Makes a plugin named `name` (`team/driver`, `127.0.0.1:5000/team/driver:1`) from
    /// `tar`, streamed in constant memory: a tar of a plugin folder, that is its
    /// `config.json` (see [`PluginConfig`]) and its root filesystem under `rootfs/`, as
    /// `docker plugin create` sends it. The plugin is made disabled.
    pub fn create(&self, name: &str, tar: impl Read + Send + 'static) -> Result<()> {
        if name.is_empty() {
            return Err(Error::setting(
                "plugin name",
                "",
                "a name such as team/driver:1",
            ));
        }
        self.docker
            .post("/plugins/create".into())
            .query("name", name)
            .body(tar, "application/x-tar")
            .streaming()
            .send()?
            .drain()
    }
}

impl Plugin {
    /// The name this handle was made with.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn path(&self, tail: &str) -> Result<String> {
        reference_path("plugin name", "/plugins", &self.name, tail)
    }

    /// Everything the engine knows about the plugin.
    pub fn inspect(&self) -> Result<PluginInspect> {
        self.docker.get(self.path("/json")?).send()?.json()
    }

    /// Removes it. An enabled plugin is refused unless `force`.
    pub fn remove(&self, options: &RemovePluginOptions) -> Result<()> {
        self.docker
            .delete(self.path("")?)
            .flag("force", options.force)
            .send()?
            .drain()
    }

    /// Starts it. The engine answers once the plugin listens on its socket, and fails
    /// when it does not within about 13 seconds.
    pub fn enable(&self, options: &EnablePluginOptions) -> Result<()> {
        self.docker
            .post(self.path("/enable")?)
            // The engine refuses an enable without a timeout.
            .query("timeout", &options.timeout.as_secs().to_string())
            .extend_deadline(SOCKET_WAIT)
            .send()?
            .drain()
    }

    /// Stops it.
    pub fn disable(&self, options: &DisablePluginOptions) -> Result<()> {
        self.docker
            .post(self.path("/disable")?)
            .flag("force", options.force)
            .extend_deadline(SOCKET_WAIT)
            .send()?
            .drain()
    }

    /// Changes its settings, while it is disabled: environment variables (`KEY=value`),
    /// arguments (`args=a b`), mount sources (`NAME.source=/path`) and device paths
    /// (`NAME.path=/dev/x`), as far as its config lets a user set them.
    pub fn set<S: AsRef<str>>(&self, settings: &[S]) -> Result<()> {
        let settings: Vec<&str> = settings.iter().map(AsRef::as_ref).collect();
        self.docker
            .post(self.path("/set")?)
            .json(&settings)
            .send()?
            .drain()
    }

    /// Pushes it to the registry its name says (`127.0.0.1:5000/team/driver:1`): a stream
    /// of [`Progress`] lines, the last with the pushed digest in `aux`.
    pub fn push(&self, options: &PushPluginOptions) -> Result<JsonStream<Progress>> {
        let credentials = credentials_for(
            &self.name,
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?;
        let request = self
            .docker
            .post(self.path("/push")?)
            .streaming()
            .idle_timeout(options.idle_timeout);
        let request = with_registry_auth(request, &self.name, credentials.as_ref(), true);
        Ok(JsonStream::new(request.send()?.into_parts()))
    }

    /// Replaces it, disabled, with another version from a registry, keeping its name and
    /// settings (`docker plugin upgrade`): a stream of [`Progress`] lines; the upgrade is
    /// done when the stream ends.
    pub fn upgrade(&self, options: &UpgradePluginOptions) -> Result<JsonStream<Progress>> {
        let request = self
            .docker
            .post(self.path("/upgrade")?)
            .json(&options.privileges)
            .streaming()
            .idle_timeout(options.remote.idle_timeout);
        let response = options.remote.apply(request)?.send()?;
        Ok(JsonStream::new(response.into_parts()))
    }
}

impl fmt::Display for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileges_read_nulls_as_empty() {
        let p: Vec<PluginPrivilege> = serde_json::from_str(
            r#"[{"Name":"network","Description":"","Value":["host"]},
                {"Name":"capabilities","Description":"","Value":null}]"#,
        )
        .unwrap();
        assert_eq!(p[0].value, ["host"]);
        assert!(p[1].value.is_empty());
    }
}
