//! The request path: the [`Docker`] handle (here), its deferred-init cell (`cell.rs`), and
//! the one way every call reaches the engine: a [`Request`] (`request.rs`) with its path
//! encoding (`path.rs`) and version (`version.rs`), sent over the transport the settings
//! name (`endpoint.rs`), answered by a [`Response`] (`response.rs`), failures turned into
//! errors (`failure.rs`), streams stopped by a [`CancelHandle`] (`cancel.rs`).

mod cancel;
mod cell;
mod endpoint;
mod failure;
mod path;
mod request;
mod response;
mod version;

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::Result;
use crate::settings::{ApiVersion, Settings};
use crate::transport::{self, Endpoint};

pub use cancel::CancelHandle;
pub use cell::DockerCell;
pub(crate) use failure::Failure;
pub use path::encode_segment;
pub(crate) use path::{object_id, reference_path};
pub use request::Request;
pub(crate) use request::Upgraded;
pub(crate) use response::BodyParts;
pub use response::Response;

use endpoint::endpoint_for;

/// A Docker engine client.
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`: every clone shares one connection
/// pool, one negotiated API version and one set of settings, so a threaded server can hand
/// a clone to each thread.
#[derive(Clone)]
pub struct Docker {
    inner: Arc<Inner>,
    /// Set by [`Docker::with_cancel`]: the handle that stops this client's streams.
    cancel: Option<CancelHandle>,
}

struct Inner {
    settings: Settings,
    endpoint: Arc<Endpoint>,
    /// For ordinary calls: one pool, the settings' timeout as a whole-request deadline.
    agent: ureq::Agent,
    /// For streams: a connect timeout only. Each stream gets its own agent built from this,
    /// so that shutting that agent down cancels exactly that stream.
    stream_config: ureq::config::Config,
    /// `http://docker` or `https://docker`, plus the URL's base path.
    base_url: String,
    /// The URL's base path alone (`""` for none), for hijacked requests.
    base_path: String,
    negotiated: OnceLock<ApiVersion>,
    /// Whether the engine is Podman's compatible service, from the first answer's headers.
    libpod: OnceLock<bool>,
}

impl fmt::Debug for Docker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Docker")
            .field("endpoint", &self.inner.endpoint)
            .field("version", &self.inner.settings.version)
            .finish()
    }
}

const USER_AGENT: &str = concat!("dockhand/", env!("CARGO_PKG_VERSION"));

/// A URL authority that never changes, so all requests share one pool key; the connector
/// dials the real endpoint.
const AUTHORITY: &str = "docker";

impl Docker {
    /// A client for `settings`. Nothing is sent yet: the first call connects (and, with the
    /// default `auto` version, negotiates the API version once for all clones).
    pub fn new(settings: Settings) -> Result<Docker> {
        settings.check()?;
        let (endpoint, base_path) = endpoint_for(&settings)?;
        let scheme = if endpoint.is_tls() { "https" } else { "http" };
        // A stream's agent keeps no idle connection: its CancelHandle may outlive the
        // stream, and must not hold a socket open.
        let stream_config = agent_config(settings.timeout, None, 0);
        let agent_config = agent_config(settings.timeout, Some(settings.timeout), 64);
        let endpoint = Arc::new(endpoint);
        Ok(Docker {
            inner: Arc::new(Inner {
                agent: transport::agent(&endpoint, agent_config),
                stream_config,
                base_url: format!("{scheme}://{AUTHORITY}{base_path}"),
                base_path,
                endpoint,
                negotiated: OnceLock::new(),
                libpod: OnceLock::new(),
                settings,
            }),
            cancel: None,
        })
    }

    /// A client configured from the docker CLI's environment: `DOCKER_HOST`,
    /// `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`, `DOCKER_API_VERSION`. See
    /// [`Settings::from_env`].
    pub fn from_env() -> Result<Docker> {
        Docker::new(Settings::from_env()?)
    }

    /// A client for a docker CLI context (see [`Settings::from_context`]).
    pub fn from_context(name: &str) -> Result<Docker> {
        Docker::new(Settings::from_context(name)?)
    }

    /// A client for an address alone, with every other setting at its default:
    /// `Docker::connect("unix:///var/run/docker.sock")`.
    pub fn connect(url: &str) -> Result<Docker> {
        Docker::new(Settings::new(url)?)
    }

    /// This client, for streams that `cancel` stops: every stream started through the
    /// returned client (logs, events, wait, stats, pull, build, exec, attach, ...) is
    /// stopped by [`CancelHandle::cancel`], even while it still waits for the engine's
    /// first answer, and fails at once if the handle was cancelled before it started.
    /// Ordinary calls are not affected: they end within the settings' timeout.
    pub fn with_cancel(&self, cancel: &CancelHandle) -> Docker {
        Docker {
            inner: self.inner.clone(),
            cancel: Some(cancel.clone()),
        }
    }

    /// The settings this client was made from.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// A request to any endpoint of the Engine API, with this client's versioning, timeouts
    /// and error mapping: the escape hatch for what dockhand has no typed call for.
    ///
    /// `path` is sent as given after the version prefix (`/containers/json` becomes
    /// `/v1.41/containers/json`): encode any part that comes from outside with
    /// [`encode_segment`].
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let df: serde_json::Value = docker.request("GET", "/system/df").send()?.json()?;
    /// println!("{}", df["LayersSize"]);
    /// # Ok(()) }
    /// ```
    pub fn request(&self, method: &str, path: &str) -> Request {
        Request::new(self.clone(), method, path.to_string())
    }

    /// Whether the engine is Podman's compatible service (its answers carry
    /// `Libpod-Api-Version`), for what it does otherwise than Docker. Asks `/_ping` when
    /// nothing was asked yet.
    pub(crate) fn is_libpod(&self) -> Result<bool> {
        if let Some(libpod) = self.inner.libpod.get() {
            return Ok(*libpod);
        }
        self.ping()?;
        Ok(self.inner.libpod.get().copied().unwrap_or(false))
    }

    pub(crate) fn get(&self, path: String) -> Request {
        Request::new(self.clone(), "GET", path)
    }

    pub(crate) fn post(&self, path: String) -> Request {
        Request::new(self.clone(), "POST", path)
    }

    pub(crate) fn delete(&self, path: String) -> Request {
        Request::new(self.clone(), "DELETE", path)
    }

    pub(crate) fn put(&self, path: String) -> Request {
        Request::new(self.clone(), "PUT", path)
    }
}

impl Inner {
    /// An agent for one ordinary request whose head is too large for the pool's buffers:
    /// it keeps no idle connection (the request sets its own deadline and buffer size).
    fn one_off_agent(&self) -> ureq::Agent {
        transport::agent(&self.endpoint, self.stream_config.clone())
    }
}

/// The input buffer a connection starts with, and keeps while idle in the pool: bodies that
/// come faster grow it while they pass (see `transport/buffers.rs`). The output buffer
/// starts at [`request::POOLED_OUTPUT`]: a larger request head gets a new connection with
/// a buffer its size (`Request::send_with`).
const INPUT_BUFFER: usize = 4 * 1024;

/// The agent configuration: proxy off (the default would read `HTTP_PROXY`), status codes
/// as answers, no redirects, `idle` pooled connections (enough for a threaded server), and
/// `deadline` as the whole-request deadline (none for streams).
fn agent_config(
    connect: Duration,
    deadline: Option<Duration>,
    idle: usize,
) -> ureq::config::Config {
    ureq::config::Config::builder()
        .input_buffer_size(INPUT_BUFFER)
        .output_buffer_size(request::POOLED_OUTPUT)
        .proxy(None)
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(USER_AGENT)
        .max_idle_connections(idle)
        .max_idle_connections_per_host(idle)
        .timeout_connect(Some(connect))
        .timeout_global(deadline)
        .build()
}

#[cfg(test)]
mod tests;
