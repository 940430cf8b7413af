//! What a container is made from: [`ContainerConfig`] (the body of a create), its
//! [`HealthConfig`], and the engine's answer to a create.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::{ContainerInspect, Mount};
use super::{EndpointSettings, HostConfig, NetworkingConfig};
use crate::error::Result;
use crate::json::model;

model! {
    /// What a container is made from: the body of `POST /containers/create`, and the `Config`
    /// of [`ContainerInspect`]. Field names are the Engine API's, so its reference documents
    /// them; anything not typed here can go in [`extra`](Self::extra).
    ///
    /// A value read from the engine loses nothing when it is sent back: the fields not typed
    /// here are kept in `extra`, and each typed field is sent spelt as the engine spelt it
    /// (left out, `null`, empty) unless it was changed. The nested types
    /// ([`HostConfig`], [`Mount`], [`HealthConfig`], ...) do the same.
    ///
    /// ```
    /// use dockhand::ContainerConfig;
    /// let config = ContainerConfig::new("busybox")
    ///     .cmd(["echo", "hello"])
    ///     .env("GREETING", "hi")
    ///     .label("app", "demo")
    ///     .extra("NetworkDisabled", true);
    /// ```
    #[derive(Clone, Debug, Default)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct ContainerConfig {
        /// The image to run.
        pub image: String,
        /// Its host name (default: the start of its id).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub hostname: Option<String>,
        /// Its domain name.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub domainname: Option<String>,
        /// The command (overrides the image's `CMD`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cmd: Option<Vec<String>>,
        /// The entrypoint (overrides the image's `ENTRYPOINT`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub entrypoint: Option<Vec<String>>,
        /// Environment variables, as `KEY=value`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub env: Option<Vec<String>>,
        /// Labels.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub labels: Option<HashMap<String, String>>,
        /// The working directory.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub working_dir: Option<String>,
        /// The user to run as (`name`, `uid`, `uid:gid`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub user: Option<String>,
        /// Give it a TTY: output comes as one raw stream, not stdout and stderr apart.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tty: Option<bool>,
        /// Keep stdin open.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub open_stdin: Option<bool>,
        /// Close stdin after the first attach ends.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stdin_once: Option<bool>,
        /// The signal that stops it (default `SIGTERM`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stop_signal: Option<String>,
        /// Seconds to wait after the stop signal before killing it (default 10; -1 waits
        /// forever).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stop_timeout: Option<i64>,
        /// Ports it listens on, as `80/tcp` (or `53/udp`): a set, whose values are always
        /// `{}`. Publishing them on the host is [`HostConfig::port_bindings`].
        #[serde(skip_serializing_if = "Option::is_none")]
        pub exposed_ports: Option<BTreeMap<String, EmptyObject>>,
        /// Paths in the container that get an anonymous volume (as the image's `VOLUME`):
        /// a set, whose values are always `{}`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub volumes: Option<BTreeMap<String, EmptyObject>>,
        /// How the engine checks that it is healthy (overrides the image's `HEALTHCHECK`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub healthcheck: Option<HealthConfig>,
        /// Attach stdin (for a later attach; `docker run -i`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attach_stdin: Option<bool>,
        /// Attach stdout.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attach_stdout: Option<bool>,
        /// Attach stderr.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attach_stderr: Option<bool>,
        /// How the host runs it (create only: inspect has it apart, in
        /// [`ContainerInspect::host_config`]).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub host_config: Option<HostConfig>,
        /// The network to connect it to at creation, with its settings there (aliases, a
        /// fixed address). Engines before API 1.44 take one network here; connect to more
        /// after creation.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub networking_config: Option<NetworkingConfig>,
        /// Any other field of the Engine API's container config, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl ContainerConfig {
    /// A container of `image`, with the image's own command.
    pub fn new(image: impl Into<String>) -> Self {
        ContainerConfig {
            image: image.into(),
            ..Default::default()
        }
    }

    /// Sets the command.
    pub fn cmd<S: Into<String>>(mut self, cmd: impl IntoIterator<Item = S>) -> Self {
        self.cmd = Some(cmd.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the entrypoint.
    pub fn entrypoint<S: Into<String>>(mut self, cmd: impl IntoIterator<Item = S>) -> Self {
        self.entrypoint = Some(cmd.into_iter().map(Into::into).collect());
        self
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env
            .get_or_insert_with(Vec::new)
            .push(format!("{key}={value}"));
        self
    }

    /// Adds a label.
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels
            .get_or_insert_with(HashMap::new)
            .insert(key.to_string(), value.to_string());
        self
    }

    /// Gives the container a TTY.
    pub fn tty(mut self, tty: bool) -> Self {
        self.tty = Some(tty);
        self
    }

    /// Sets the working directory.
    pub fn working_dir(mut self, dir: &str) -> Self {
        self.working_dir = Some(dir.to_string());
        self
    }

    /// Sets the user.
    pub fn user(mut self, user: &str) -> Self {
        self.user = Some(user.to_string());
        self
    }

    /// Sets its host name.
    pub fn hostname(mut self, name: &str) -> Self {
        self.hostname = Some(name.to_string());
        self
    }

    /// Adds to how the host runs it: the fields set in `host_config` replace those set
    /// before, and the fields it leaves unset keep what was set before (by an earlier
    /// `host_config` or another setter), so the order of the calls does not lose anything.
    /// A field is set when it is `Some` (or, read from the engine, not `null`); `extra`
    /// keys count one by one. To replace the whole host config, assign
    /// [`host_config`](Self::host_config) the field.
    ///
    /// ```
    /// use dockhand::{ContainerConfig, HostConfig};
    /// let config = ContainerConfig::new("busybox")
    ///     .host_config(HostConfig::new().bind("/srv:/srv").memory(64 << 20))
    ///     .host_config(HostConfig::new().memory(128 << 20).init(true));
    /// let host = config.host_config.unwrap();
    /// assert_eq!(host.binds, Some(vec!["/srv:/srv".to_string()]));
    /// assert_eq!((host.memory, host.init), (Some(128 << 20), Some(true)));
    /// ```
    pub fn host_config(mut self, host_config: HostConfig) -> Self {
        self.host_config = Some(match self.host_config.take() {
            Some(before) => before.overlaid_with(host_config),
            None => host_config,
        });
        self
    }

    /// Exposes a port, as `80/tcp`, `53/udp` or `8080` (tcp).
    pub fn expose(mut self, port: &str) -> Self {
        self.exposed_ports
            .get_or_insert_with(BTreeMap::new)
            .insert(port_key(port), EmptyObject {});
        self
    }

    /// Sets the health check.
    pub fn healthcheck(mut self, healthcheck: HealthConfig) -> Self {
        self.healthcheck = Some(healthcheck);
        self
    }

    /// Connects it to `network` at creation, with `settings` there (use
    /// `EndpointSettings::default()` for none).
    pub fn network(mut self, network: &str, settings: EndpointSettings) -> Self {
        self.networking_config
            .get_or_insert_with(NetworkingConfig::default)
            .endpoints_config
            .insert(network.to_string(), settings);
        self
    }

    /// Sets the stop signal.
    pub fn stop_signal(mut self, signal: &str) -> Self {
        self.stop_signal = Some(signal.to_string());
        self
    }

    /// Sets how long a stop waits before it kills (whole seconds, rounded up).
    pub fn stop_timeout(mut self, grace: Duration) -> Self {
        let seconds = grace.as_secs() + u64::from(grace.subsec_nanos() > 0);
        self.stop_timeout = Some(i64::try_from(seconds).unwrap_or(i64::MAX));
        self
    }
}

/// Setters for the rest of the create body's typed fields (kept in a block of their own).
impl ContainerConfig {
    /// Sets its domain name.
    pub fn domainname(mut self, name: &str) -> Self {
        self.domainname = Some(name.to_string());
        self
    }

    /// Keeps its stdin open even when nothing is attached (`docker run -i`), so that an
    /// attach can write to it.
    pub fn open_stdin(mut self, on: bool) -> Self {
        self.open_stdin = Some(on);
        self
    }

    /// Closes its stdin when the first attach that wrote to it ends (`docker run -i`
    /// without `-d` sets it), so the program reads an end of input.
    pub fn stdin_once(mut self, on: bool) -> Self {
        self.stdin_once = Some(on);
        self
    }

    /// Attaches stdin (`docker run -a stdin`).
    pub fn attach_stdin(mut self, on: bool) -> Self {
        self.attach_stdin = Some(on);
        self
    }

    /// Attaches stdout.
    pub fn attach_stdout(mut self, on: bool) -> Self {
        self.attach_stdout = Some(on);
        self
    }

    /// Attaches stderr.
    pub fn attach_stderr(mut self, on: bool) -> Self {
        self.attach_stderr = Some(on);
        self
    }

    /// Gives `path` in the container an anonymous volume, as the image's `VOLUME` does.
    pub fn volume(mut self, path: &str) -> Self {
        self.volumes
            .get_or_insert_with(BTreeMap::new)
            .insert(path.to_string(), EmptyObject {});
        self
    }
}

/// A port as the engine keys it: `80` means `80/tcp`.
pub(super) fn port_key(port: &str) -> String {
    if port.contains('/') {
        port.to_string()
    } else {
        format!("{port}/tcp")
    }
}

/// The empty JSON object `{}`: the Engine API's value in a set such as
/// [`ContainerConfig::exposed_ports`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyObject {}

pub(super) fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A duration as the engine's nanoseconds (saturating).
fn nanos(d: Duration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

model! {
    /// How the engine checks a container's health (`HealthConfig` in the Engine API). Times
    /// are in nanoseconds, as the API has them; the builder methods take `Duration`s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dockhand::container::HealthConfig;
    /// let check = HealthConfig::shell("wget -q -O /dev/null http://localhost/")
    ///     .interval(Duration::from_secs(5))
    ///     .retries(3);
    /// ```
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    #[serde(rename_all = "PascalCase", default)]
    pub struct HealthConfig {
        /// The test: `["NONE"]` (no check), `["CMD", program, args...]` (run directly), or
        /// `["CMD-SHELL", command]` (run with the image's shell). Empty: the image's check.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub test: Option<Vec<String>>,
        /// Time between checks, in nanoseconds (0: the default, 30 s).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub interval: Option<i64>,
        /// How long a check may take, in nanoseconds (0: the default, 30 s).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub timeout: Option<i64>,
        /// Failures in a row that make it unhealthy (0: the default, 3).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub retries: Option<i64>,
        /// Time to start up during which failures do not count, in nanoseconds.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_period: Option<i64>,
        /// Time between checks during the start period, in nanoseconds (API 1.44+; 0: the
        /// default, 5 s).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_interval: Option<i64>,
        /// Any other field, by its API name.
        #[serde(flatten)]
        pub extra: serde_json::Map<String, serde_json::Value>,
    }
}

impl HealthConfig {
    /// Runs `program` with `args` directly (`CMD`); exit code 0 means healthy.
    pub fn cmd<S: Into<String>>(command: impl IntoIterator<Item = S>) -> Self {
        let mut test = vec!["CMD".to_string()];
        test.extend(command.into_iter().map(Into::into));
        HealthConfig {
            test: Some(test),
            ..Default::default()
        }
    }

    /// Runs `command` with the image's shell (`CMD-SHELL`); exit code 0 means healthy.
    pub fn shell(command: &str) -> Self {
        HealthConfig {
            test: Some(vec!["CMD-SHELL".to_string(), command.to_string()]),
            ..Default::default()
        }
    }

    /// Turns off the image's health check.
    pub fn none() -> Self {
        HealthConfig {
            test: Some(vec!["NONE".to_string()]),
            ..Default::default()
        }
    }

    /// Sets the time between checks.
    pub fn interval(mut self, every: Duration) -> Self {
        self.interval = Some(nanos(every));
        self
    }

    /// Sets how long a check may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(nanos(timeout));
        self
    }

    /// Sets how many failures in a row make it unhealthy.
    pub fn retries(mut self, retries: i64) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Sets the start-up time during which failures do not count.
    pub fn start_period(mut self, period: Duration) -> Self {
        self.start_period = Some(nanos(period));
        self
    }

    /// Sets the time between checks during the start period (engines before API 1.44
    /// ignore it).
    pub fn start_interval(mut self, every: Duration) -> Self {
        self.start_interval = Some(nanos(every));
        self
    }
}

/// The engine's answer to a create.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Created {
    /// The new container's id.
    pub id: String,
    /// Warnings about the configuration.
    pub warnings: Option<Vec<String>>,
}
