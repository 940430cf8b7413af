//! The client handle, its deferred-init cell, and the one request path every call takes.

use std::fmt;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;
use ureq::http;
use ureq::unversioned::transport::ShutdownHandle;

use crate::error::{Error, Result};
use crate::settings::{ApiVersion, Host, Settings, TcpScheme};
use crate::transport::hijack::{self, HijackReader, HijackWriter};
use crate::transport::{self, Endpoint};

/// A Docker engine client.
///
/// Cheap to clone (an `Arc` inside) and `Send + Sync`: every clone shares one connection
/// pool, one negotiated API version and one set of settings, so a threaded server can hand
/// a clone to each thread.
#[derive(Clone)]
pub struct Docker {
    inner: Arc<Inner>,
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
                settings,
            }),
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

    /// The settings this client was made from.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The API version calls are sent with: the pinned one, or the one negotiated with the
    /// engine (asked once, then cached for every clone).
    pub fn api_version(&self) -> Result<ApiVersion> {
        if let Some(pinned) = self.inner.settings.version {
            return Ok(pinned);
        }
        if let Some(v) = self.inner.negotiated.get() {
            return Ok(*v);
        }
        let ping = self.ping()?;
        let version = negotiate(ping.api_version.as_deref())?;
        // Two threads may negotiate at once; they agree, so the loser's value is dropped.
        Ok(*self.inner.negotiated.get_or_init(|| version))
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

    /// Turns the engine's refusal of a pinned API version into an error that names the
    /// setting that pinned it and the versions the engine accepts (asked of the engine's
    /// unversioned `/version`, which every engine answers).
    fn explain_refused_version(&self, error: Error, versioned: bool) -> Error {
        let Some(pinned) = self.inner.settings.version else {
            return error;
        };
        let refused = matches!(&error, Error::Engine { status: 400, message, .. }
            if message.contains("client version") && is_version_refusal(message));
        if !versioned || !refused {
            return error;
        }
        let Error::Engine {
            message, request, ..
        } = error
        else {
            return error;
        };
        let range = self
            .get("/version".into())
            .unversioned()
            .send()
            .and_then(|r| r.json::<serde_json::Value>())
            .ok()
            .and_then(|v| {
                let field = |k: &str| v.get(k)?.as_str()?.parse::<ApiVersion>().ok();
                Some((field("MinAPIVersion")?, field("ApiVersion")?))
            });
        let (minimum, maximum) = range.unzip();
        Error::VersionRefused {
            pinned,
            setting: self.inner.settings.version_key().to_string(),
            minimum,
            maximum,
            message,
            request,
        }
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

/// The agent configuration: proxy off (the default would read `HTTP_PROXY`), status codes
/// as answers, no redirects, `idle` pooled connections (enough for a threaded server), and
/// `deadline` as the whole-request deadline (none for streams).
fn agent_config(
    connect: Duration,
    deadline: Option<Duration>,
    idle: usize,
) -> ureq::config::Config {
    ureq::config::Config::builder()
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

/// True for the engine's words when it refuses the API version a client sent
/// ("client version 1.30 is too old. Minimum supported API version is 1.44", "... is too
/// new. Maximum supported API version is 1.41", older engines: "... is not supported").
fn is_version_refusal(message: &str) -> bool {
    ["too old", "too new", "not supported"]
        .iter()
        .any(|words| message.contains(words))
}

/// Picks the version to speak with an engine that reports `server`.
fn negotiate(server: Option<&str>) -> Result<ApiVersion> {
    let Some(text) = server else {
        // Engines have sent API-Version since 1.25; one that does not is very old or not an
        // engine at all. Speak the oldest version and let it answer for itself.
        log::warn!(
            "the engine sent no API-Version header; using {}",
            ApiVersion::OLDEST
        );
        return Ok(ApiVersion::OLDEST);
    };
    let server: ApiVersion = text
        .parse()
        .map_err(|_| Error::decode("the engine's API-Version header", format!("{text:?}")))?;
    if server < ApiVersion::OLDEST {
        return Err(Error::EngineTooOld {
            engine: server.to_string(),
            minimum: ApiVersion::OLDEST.to_string(),
        });
    }
    Ok(server.min(ApiVersion::NEWEST))
}

/// Works out what to dial, and the base path, from the settings.
fn endpoint_for(settings: &Settings) -> Result<(Endpoint, String)> {
    match &settings.host {
        #[cfg(unix)]
        Host::Unix(path) => Ok((Endpoint::Unix(path.clone()), String::new())),
        #[cfg(not(unix))]
        Host::Unix(_) => Err(Error::setting(
            "DOCKER_URL",
            &settings.host.to_string(),
            "a tcp:// address: unix sockets need a unix system",
        )),
        Host::Tcp {
            scheme,
            host,
            base_path,
            ..
        } => {
            let port = settings.tcp_port().unwrap_or(2375);
            let endpoint = if settings.uses_tls() {
                tls_endpoint(settings, host, port, *scheme)?
            } else {
                Endpoint::Tcp {
                    host: host.clone(),
                    port,
                }
            };
            Ok((endpoint, base_path.clone()))
        }
        #[cfg(unix)]
        Host::Ssh { user, host, port } => Ok((
            Endpoint::Ssh(Arc::new(transport::ssh::SshTarget::new(
                user.clone(),
                host.clone(),
                *port,
                settings.ssh_args.clone(),
            ))),
            String::new(),
        )),
        #[cfg(not(unix))]
        Host::Ssh { .. } => Err(Error::setting(
            "DOCKER_URL",
            &settings.host.to_string(),
            "a tcp:// address: ssh:// hosts need a unix system",
        )),
    }
}

#[cfg(feature = "tls")]
fn tls_endpoint(
    settings: &Settings,
    host: &str,
    port: u16,
    _scheme: TcpScheme,
) -> Result<Endpoint> {
    Ok(Endpoint::Tls {
        host: host.to_string(),
        port,
        server_name: transport::tls::server_name(host)?,
        config: transport::tls::client_config(settings)?,
    })
}

#[cfg(not(feature = "tls"))]
fn tls_endpoint(_: &Settings, _: &str, _: u16, scheme: TcpScheme) -> Result<Endpoint> {
    Err(Error::FeatureDisabled {
        feature: "tls",
        needed_by: if scheme == TcpScheme::Https {
            "an https:// DOCKER_URL".into()
        } else {
            "DOCKER_TLS=True".into()
        },
    })
}

/// Encodes one path segment (a container name, an image reference, ...) so that nothing in
/// it can change the path or add a query: everything but `A-Z a-z 0-9 - . _ ~` is
/// percent-encoded.
///
/// ```
/// assert_eq!(dockhand::encode_segment("a/b?c"), "a%2Fb%3Fc");
/// ```
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks an object's id or name before it goes into a path. The engine decodes the path
/// and then resolves `.` and `..`, so no encoding can keep `../x` from naming another
/// endpoint: such names are refused here. One leading `/` (as in a container's `Names`) is
/// dropped.
pub(crate) fn object_id<'a>(kind: &str, id: &'a str) -> Result<&'a str> {
    let id = id.strip_prefix('/').unwrap_or(id);
    if id.is_empty() || id == "." || id == ".." || id.contains('/') {
        return Err(Error::setting(
            kind,
            id,
            "an id or a name, without `/` and not `.` or `..`",
        ));
    }
    Ok(id)
}

/// A request being built: see [`Docker::request`].
#[must_use = "a request does nothing until it is sent"]
pub struct Request {
    docker: Docker,
    method: String,
    path: String,
    query: url::form_urlencoded::Serializer<'static, String>,
    has_query: bool,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    body: Body,
    stream: bool,
    idle: Option<Duration>,
    extra: Duration,
    versioned: bool,
    problem: Option<Error>,
}

enum Body {
    Empty,
    Bytes(Vec<u8>),
    Reader(Box<dyn Read + Send>),
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers may carry registry credentials: name them, never show their values.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &names)
            .field("stream", &self.stream)
            .finish()
    }
}

impl Request {
    fn new(docker: Docker, method: &str, path: String) -> Request {
        Request {
            docker,
            method: method.to_ascii_uppercase(),
            path,
            query: url::form_urlencoded::Serializer::new(String::new()),
            has_query: false,
            headers: Vec::new(),
            body: Body::Empty,
            stream: false,
            idle: None,
            extra: Duration::ZERO,
            versioned: true,
            problem: None,
        }
    }

    /// Adds a query parameter (encoded here).
    pub fn query(mut self, key: &str, value: &str) -> Request {
        self.query.append_pair(key, value);
        self.has_query = true;
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt(self, key: &str, value: Option<impl ToString>) -> Request {
        match value {
            Some(v) => self.query(key, &v.to_string()),
            None => self,
        }
    }

    /// Adds a boolean query parameter as `1` when `on` (the engine's `true`).
    pub(crate) fn flag(self, key: &str, on: bool) -> Request {
        if on {
            self.query(key, "1")
        } else {
            self
        }
    }

    /// Adds a header. Its value never appears in logs, errors or `Debug`.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        match (
            http::HeaderName::try_from(name),
            http::HeaderValue::try_from(value),
        ) {
            (Ok(n), Ok(mut v)) => {
                v.set_sensitive(true);
                self.headers.push((n, v));
            }
            _ => {
                self.problem.get_or_insert(Error::Setting {
                    key: format!("header {name}"),
                    value: "(not shown)".into(),
                    expected: "a header name and value of visible ASCII characters".into(),
                });
            }
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Request {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Body::Bytes(bytes);
                self.header("Content-Type", "application/json")
            }
            Err(e) => {
                self.problem
                    .get_or_insert(Error::decode("the request body", e));
                self
            }
        }
    }

    /// Streams `reader` as the body (chunked), in constant memory.
    pub fn body(mut self, reader: impl Read + Send + 'static, content_type: &str) -> Request {
        self.body = Body::Reader(Box::new(reader));
        self.header("Content-Type", content_type)
    }

    /// Marks a request whose answer is a stream (logs with follow, events, wait, ...): no
    /// whole-request deadline, only the connect timeout and the optional idle timeout. It
    /// gets its own connection, which its [`CancelHandle`] can shut down.
    pub fn streaming(mut self) -> Request {
        self.stream = true;
        self
    }

    /// For a streaming request: fail when nothing arrives for this long.
    pub fn idle_timeout(mut self, idle: Option<Duration>) -> Request {
        self.idle = idle;
        self
    }

    /// Lengthens the deadline of an ordinary call (stop and restart wait the grace period).
    pub(crate) fn extend_deadline(mut self, extra: Duration) -> Request {
        self.extra = extra;
        self
    }

    /// Sends the path without the `/vX.Y` prefix, as for `/_ping`, or to ask `/version`
    /// what an engine accepts whatever version is pinned.
    pub fn unversioned(mut self) -> Request {
        self.versioned = false;
        self
    }

    /// Sends the request on a connection of its own and takes the connection over when the
    /// engine switches protocols: attach, and exec with stdin. The body must be bytes.
    pub(crate) fn send_upgrade(mut self) -> Result<Upgraded> {
        if let Some(problem) = self.problem.take() {
            return Err(problem);
        }
        let inner = self.docker.inner.clone();
        let mut target = inner.base_path.clone();
        target.push_str(&format!("/v{}", self.docker.api_version()?));
        target.push_str(&self.path);
        if self.has_query {
            target.push('?');
            target.push_str(&self.query.finish());
        }
        let body = match std::mem::replace(&mut self.body, Body::Empty) {
            Body::Empty => Vec::new(),
            Body::Bytes(bytes) => bytes,
            Body::Reader(_) => {
                return Err(Error::setting(
                    "request body",
                    "a reader",
                    "bytes: an upgraded request sends its input after the upgrade",
                ))
            }
        };
        let mut head = format!(
            "{} {target} HTTP/1.1\r\nHost: {AUTHORITY}\r\nUser-Agent: {USER_AGENT}\r\n\
             Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: {}\r\n",
            self.method,
            body.len()
        );
        for (name, value) in &self.headers {
            let value = value.to_str().unwrap_or_default();
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let failure = Failure {
            endpoint: inner.endpoint.clone(),
            context: self.context(),
            connect: inner.settings.timeout,
            deadline: inner.settings.timeout,
            idle: None,
        };
        let started = Instant::now();
        let stream = inner.endpoint.connect(Some(inner.settings.timeout))?;
        let (head, mut reader, writer) =
            hijack::upgrade(stream, &head, &body, inner.settings.timeout)
                .map_err(|e| failure.io(e))?;
        log::debug!(
            target: "dockhand",
            "{} -> {} (upgraded) in {:.1?}",
            failure.context,
            head.status,
            started.elapsed()
        );
        if head.status >= 300 {
            let mut raw = Vec::new();
            let limit = head.content_length.map_or(ERROR_BODY_LIMIT, |n| n as u64);
            let message = match (&mut reader)
                .take(limit.min(ERROR_BODY_LIMIT))
                .read_to_end(&mut raw)
            {
                Err(e) => format!("(the error body could not be read: {e})"),
                Ok(_) if head.status < 400 => format!(
                    "a redirect to {:?}, which dockhand does not follow",
                    head.location.as_deref().unwrap_or("nowhere")
                ),
                Ok(_) => engine_message(&raw),
            };
            let error = Error::Engine {
                status: head.status,
                message,
                request: failure.context,
            };
            return Err(self.docker.explain_refused_version(error, self.versioned));
        }
        let cancel = CancelHandle::for_socket(reader.shutdown_handle());
        Ok(Upgraded {
            reader,
            writer,
            failure,
            cancel,
        })
    }

    /// What this request is, for messages: `GET /containers/json`.
    fn context(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Sends the request. A status of 400 or more becomes [`Error::Engine`] with the
    /// daemon's message; anything else is returned for the caller to read.
    pub fn send(self) -> Result<Response> {
        let cancel = self.stream.then(|| CancelHandle::new(&self.docker));
        self.send_with(cancel)
    }

    /// Sends a streaming request, and returns its cancel handle beside the response.
    pub(crate) fn send_stream(mut self) -> Result<(Response, CancelHandle)> {
        self.stream = true;
        let cancel = CancelHandle::new(&self.docker);
        Ok((self.send_with(Some(cancel.clone()))?, cancel))
    }

    /// Sends through the stream's own agent when there is a `cancel` handle, else through
    /// the shared pool.
    fn send_with(mut self, cancel: Option<CancelHandle>) -> Result<Response> {
        if let Some(problem) = self.problem.take() {
            return Err(problem);
        }
        if !self.path.starts_with('/') {
            return Err(Error::setting(
                "request path",
                &self.path,
                "a path that starts with `/`, such as /containers/json",
            ));
        }
        let inner = self.docker.inner.clone();
        let mut url = inner.base_url.clone();
        if self.versioned {
            url.push_str(&format!("/v{}", self.docker.api_version()?));
        }
        url.push_str(&self.path);
        if self.has_query {
            url.push('?');
            url.push_str(&self.query.finish());
        }
        let failure = Failure {
            endpoint: inner.endpoint.clone(),
            context: self.context(),
            connect: inner.settings.timeout,
            deadline: inner.settings.timeout.saturating_add(self.extra),
            idle: self.idle,
        };
        let method = http::Method::from_bytes(self.method.as_bytes()).map_err(|_| {
            Error::setting("request method", &self.method, "an HTTP method such as GET")
        })?;
        let mut builder = http::Request::builder().method(method).uri(&url);
        for (name, value) in self.headers.drain(..) {
            builder = builder.header(name, value);
        }
        let agent = match cancel.as_ref().map(|c| &c.target) {
            Some(CancelTarget::Agent(agent)) => agent.clone(),
            _ => inner.agent.clone(),
        };
        let started = Instant::now();
        let deadline = (!self.stream).then_some(failure.deadline);
        let result = match std::mem::replace(&mut self.body, Body::Empty) {
            // Without a body ureq sends a POST chunked, which the engine takes for a body
            // (start refuses one): say `Content-Length: 0` instead.
            Body::Empty if method_has_body(&self.method) => {
                run(&agent, builder, Vec::new(), deadline, self.idle)
            }
            Body::Empty => run(&agent, builder, (), deadline, self.idle),
            Body::Bytes(bytes) => run(&agent, builder, bytes, deadline, self.idle),
            Body::Reader(reader) => run(
                &agent,
                builder,
                ureq::SendBody::from_owned_reader(reader),
                deadline,
                self.idle,
            ),
        };
        let response = result.map_err(|e| failure.ureq(e))?;
        let status = response.status().as_u16();
        log::debug!(
            target: "dockhand",
            "{} -> {status} in {:.1?}",
            failure.context,
            started.elapsed()
        );
        let (parts, body) = response.into_parts();
        let response = Response {
            status,
            headers: parts.headers,
            body: body.into_with_config().limit(u64::MAX).reader(),
            failure,
            cancel,
        };
        // The engine never redirects but for a path it cleaned (`/a/../b`): an answer to
        // some other request, so an error, not a success with an empty body. 304 (already
        // started, already stopped) is a success.
        if status >= 400 || (status >= 300 && status != 304) {
            let error = response.engine_error();
            return Err(self.docker.explain_refused_version(error, self.versioned));
        }
        Ok(response)
    }
}

fn method_has_body(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH")
}

/// Sends one request through `agent` with its timeouts.
fn run(
    agent: &ureq::Agent,
    builder: http::request::Builder,
    body: impl ureq::AsSendBody,
    deadline: Option<Duration>,
    idle: Option<Duration>,
) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
    let request = builder.body(body)?;
    let request = agent
        .configure_request(request)
        .timeout_global(deadline)
        .timeout_per_read(idle)
        .build();
    agent.run(request)
}

/// A connection taken over after an upgrade: the output to read, the input to write.
pub(crate) struct Upgraded {
    pub(crate) reader: HijackReader,
    pub(crate) writer: HijackWriter,
    pub(crate) failure: Failure,
    pub(crate) cancel: CancelHandle,
}

/// The engine's answer to a [`Request`]: status, headers, and a body to read as JSON, text
/// or a stream.
pub struct Response {
    status: u16,
    headers: http::HeaderMap,
    body: ureq::BodyReader<'static>,
    failure: Failure,
    cancel: Option<CancelHandle>,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("request", &self.failure.context)
            .field("status", &self.status)
            .finish()
    }
}

/// The most of an error body we keep: the daemon's messages are short.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

impl Response {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The request this answers, as `METHOD /path`.
    pub fn context(&self) -> &str {
        &self.failure.context
    }

    /// A handle that stops this response's stream from another thread (streaming requests
    /// only).
    pub fn cancel_handle(&self) -> Option<CancelHandle> {
        self.cancel.clone()
    }

    /// Reads the whole body as bytes.
    pub fn bytes(mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.body
            .read_to_end(&mut out)
            .map_err(|e| self.failure.io(e))?;
        Ok(out)
    }

    /// Reads the whole body as text.
    pub fn text(self) -> Result<String> {
        let context = self.failure.context.clone();
        String::from_utf8(self.bytes()?)
            .map_err(|e| Error::decode(format!("the answer to {context}"), e))
    }

    /// Reads the whole body as JSON into `T`.
    pub fn json<T: DeserializeOwned>(self) -> Result<T> {
        let context = self.failure.context.clone();
        let bytes = self.bytes()?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::decode(format!("the answer to {context}"), e))
    }

    /// Reads and discards the body, so the connection can serve the next request.
    pub fn drain(self) -> Result<()> {
        self.bytes().map(drop)
    }

    /// The body as a `Read`, for streams and large downloads, in constant memory.
    pub fn into_reader(self) -> impl Read + Send {
        self.body
    }

    pub(crate) fn into_parts(self) -> BodyParts {
        BodyParts {
            body: self.body,
            failure: self.failure,
            cancel: self.cancel,
        }
    }

    fn engine_error(mut self) -> Error {
        let mut raw = Vec::new();
        let read = (&mut self.body)
            .take(ERROR_BODY_LIMIT)
            .read_to_end(&mut raw);
        let message = match read {
            Err(e) => format!("(the error body could not be read: {e})"),
            Ok(_) if self.status < 400 => format!(
                "a redirect to {:?}, which dockhand does not follow",
                self.header("Location").unwrap_or("nowhere")
            ),
            Ok(_) => engine_message(&raw),
        };
        Error::Engine {
            status: self.status,
            message,
            request: self.failure.context,
        }
    }
}

/// The `message` of the daemon's JSON error body, or the body as text.
fn engine_message(raw: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Message {
        message: String,
    }
    match serde_json::from_slice::<Message>(raw) {
        Ok(m) => m.message,
        Err(_) => String::from_utf8_lossy(raw).trim().to_string(),
    }
}

/// A response taken apart, for the stream decoders.
pub(crate) struct BodyParts {
    pub(crate) body: ureq::BodyReader<'static>,
    pub(crate) failure: Failure,
    pub(crate) cancel: Option<CancelHandle>,
}

impl BodyParts {
    /// Takes the body out, for a decoder to own; the rest stays for error mapping and
    /// cancelling.
    pub(crate) fn take_body(&mut self) -> ureq::BodyReader<'static> {
        std::mem::replace(
            &mut self.body,
            ureq::Body::builder().data(Vec::<u8>::new()).into_reader(),
        )
    }

    /// Maps a read error of this body, or `None` when the stream was cancelled on purpose.
    pub(crate) fn read_error(&self, e: io::Error) -> Option<Error> {
        if self.is_cancelled() {
            return None;
        }
        Some(self.failure.io(e))
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(CancelHandle::is_cancelled)
    }
}

/// Stops a stream (logs, events, wait, ...) from another thread: the blocked read returns
/// at once and the stream ends without an error.
#[derive(Clone)]
pub struct CancelHandle {
    target: CancelTarget,
    cancelled: Arc<AtomicBool>,
}

/// What a cancel shuts down.
#[derive(Clone)]
enum CancelTarget {
    /// A stream's own agent, and so its one connection.
    Agent(ureq::Agent),
    /// A hijacked connection's socket.
    Socket(Weak<dyn ShutdownHandle>),
}

impl fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelHandle")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl CancelHandle {
    /// A handle with an agent of its own: one stream, one connection, shut down by
    /// [`cancel`](Self::cancel).
    fn new(docker: &Docker) -> CancelHandle {
        let inner = &docker.inner;
        CancelHandle {
            target: CancelTarget::Agent(transport::agent(
                &inner.endpoint,
                inner.stream_config.clone(),
            )),
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A handle that shuts a hijacked connection down.
    pub(crate) fn for_socket(socket: Weak<dyn ShutdownHandle>) -> CancelHandle {
        CancelHandle {
            target: CancelTarget::Socket(socket),
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Cancels the stream. Safe to call more than once, and after the stream ended.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        match &self.target {
            CancelTarget::Agent(agent) => agent.clone().shutdown(),
            CancelTarget::Socket(socket) => {
                if let Some(socket) = socket.upgrade() {
                    socket.shutdown();
                }
            }
        }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

/// What a request was, for turning its failures into our errors: one per request, kept by
/// its response and stream.
#[derive(Clone)]
pub(crate) struct Failure {
    /// For describing TLS and ssh failures.
    endpoint: Arc<Endpoint>,
    /// `METHOD /path`.
    context: String,
    /// The connect timeout.
    connect: Duration,
    /// The whole-request deadline (ordinary calls).
    deadline: Duration,
    /// The idle timeout (streams that asked for one).
    idle: Option<Duration>,
}

impl Failure {
    pub(crate) fn context(&self) -> &str {
        &self.context
    }

    fn ureq(&self, e: ureq::Error) -> Error {
        match e {
            ureq::Error::Timeout(which) => self.timeout(which),
            ureq::Error::Io(io) => self.io(io),
            // A request ureq cannot even write: a bad path or header from the caller.
            e @ (ureq::Error::Http(_) | ureq::Error::BadUri(_)) => Error::Setting {
                key: "request".into(),
                value: self.context.clone(),
                expected: format!("a request that can be sent ({e}): encode the path"),
            },
            other => self.transport(io::Error::other(other.to_string())),
        }
    }

    fn timeout(&self, which: ureq::Timeout) -> Error {
        let (what, after) = match which {
            ureq::Timeout::Connect | ureq::Timeout::Resolve => ("connect", self.connect),
            ureq::Timeout::PerRead => ("idle read", self.idle.unwrap_or(self.deadline)),
            _ => ("request", self.deadline),
        };
        Error::Timeout {
            what,
            after,
            context: self.context.clone(),
        }
    }

    /// An I/O error from sending a request or reading its body. ureq wraps its own errors
    /// (timeouts among them) in `io::Error` while a body is read; our connector wraps ours.
    pub(crate) fn io(&self, e: io::Error) -> Error {
        let e = match take::<ureq::Error>(e) {
            Ok(ureq_error) => return self.ureq(*ureq_error),
            Err(e) => e,
        };
        let e = match take::<Error>(e) {
            Ok(ours) => return *ours,
            Err(e) => e,
        };
        #[cfg(feature = "tls")]
        if let Some(reason) = transport::tls::describe(&e, &self.endpoint) {
            return Error::Tls {
                target: self.endpoint.to_string(),
                reason,
            };
        }
        if matches!(
            e.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        ) {
            return self.timeout(if self.idle.is_some() {
                ureq::Timeout::PerRead
            } else {
                ureq::Timeout::Global
            });
        }
        self.transport(e)
    }

    fn transport(&self, source: io::Error) -> Error {
        // Over ssh, a dropped connection is usually ssh giving up: say why, in its words.
        #[cfg(unix)]
        if let Endpoint::Ssh(target) = &*self.endpoint {
            if let Some(said) = target.last_words() {
                return Error::Transport {
                    context: self.context.clone(),
                    source: io::Error::new(source.kind(), format!("{source}; ssh said: {said}")),
                };
            }
        }
        Error::Transport {
            context: self.context.clone(),
            source,
        }
    }
}

/// Takes a `T` out of an `io::Error` that carries one, or gives the error back.
fn take<T: std::error::Error + Send + Sync + 'static>(
    e: io::Error,
) -> std::result::Result<Box<T>, io::Error> {
    if !e.get_ref().is_some_and(|inner| inner.is::<T>()) {
        return Err(e);
    }
    let kind = e.kind();
    match e.into_inner() {
        Some(inner) => inner
            .downcast::<T>()
            .map_err(|other| io::Error::new(kind, other)),
        None => Err(io::Error::from(kind)),
    }
}

/// A client declared now and initialised later, like Flask-Docker's `init_app`: put it in a
/// `static`, call [`init`](Self::init) once at start-up, and [`get`](Self::get) it from any
/// thread.
///
/// ```no_run
/// use dockhand::{DockerCell, Settings};
///
/// static DOCKER: DockerCell = DockerCell::new();
///
/// fn main() -> dockhand::Result<()> {
///     DOCKER.init(Settings::from_env()?)?;
///     println!("{}", DOCKER.get()?.version()?.version);
///     Ok(())
/// }
/// ```
pub struct DockerCell {
    cell: OnceLock<Docker>,
}

impl fmt::Debug for DockerCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DockerCell")
            .field("client", &self.cell.get())
            .finish()
    }
}

impl Default for DockerCell {
    fn default() -> Self {
        DockerCell::new()
    }
}

impl DockerCell {
    /// An empty cell, usable in a `static`.
    pub const fn new() -> DockerCell {
        DockerCell {
            cell: OnceLock::new(),
        }
    }

    /// Builds the client from `settings` and stores it. A second `init` is an error (the
    /// first client stays).
    pub fn init(&self, settings: Settings) -> Result<&Docker> {
        self.init_with(Docker::new(settings)?)
    }

    /// Stores a client made elsewhere. A second call is an error.
    pub fn init_with(&self, docker: Docker) -> Result<&Docker> {
        let mut fresh = false;
        let stored = self.cell.get_or_init(|| {
            fresh = true;
            docker
        });
        if fresh {
            Ok(stored)
        } else {
            Err(Error::Cell {
                message: "this DockerCell is already initialised: call init once, at start-up",
            })
        }
    }

    /// The client. Lock-free once initialised; an error before `init`.
    pub fn get(&self) -> Result<&Docker> {
        self.cell.get().ok_or(Error::Cell {
            message: "this DockerCell is used before init: call DockerCell::init at start-up, \
                      before any thread uses it",
        })
    }

    /// Whether `init` has run.
    pub fn is_initialized(&self) -> bool {
        self.cell.get().is_some()
    }
}

/// The path of an endpoint that the engine routes on a whole reference, `/` included
/// (`/plugins/{name:.*}/json`, `/distribution/{name:.*}/json`): `{prefix}/{name}{tail}`.
///
/// The engine decodes the path before routing, so a `/` in the name stays a `/` (encoding
/// it would not hide it) and each part between is percent-encoded. It cleans `.` and `..`
/// out of a path first, so such parts are refused, as are empty ones.
pub(crate) fn reference_path(kind: &str, prefix: &str, name: &str, tail: &str) -> Result<String> {
    let bad = name.is_empty()
        || name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(Error::setting(
            kind,
            name,
            "a name or reference such as vieux/sshfs:latest or \
             registry.example.com/team/name:1, without empty, `.` or `..` parts",
        ));
    }
    let encoded: Vec<String> = name.split('/').map(encode_segment).collect();
    Ok(format!("{prefix}/{}{tail}", encoded.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_paths_keep_slashes_and_refuse_dot_parts() {
        assert_eq!(
            reference_path("plugin name", "/plugins", "127.0.0.1:5000/a/b:1", "/json").unwrap(),
            "/plugins/127.0.0.1%3A5000/a/b%3A1/json"
        );
        assert_eq!(
            reference_path("plugin name", "/plugins", "x?y#z", "").unwrap(),
            "/plugins/x%3Fy%23z"
        );
        for bad in ["", "..", "a/../b", "a//b", "/a", "a/", "./a"] {
            let err = reference_path("plugin name", "/plugins", bad, "/json").unwrap_err();
            assert!(matches!(err, Error::Setting { .. }), "{bad:?}: {err}");
        }
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode_segment("abc-DEF_1.2~"), "abc-DEF_1.2~");
        assert_eq!(encode_segment("../x"), "..%2Fx");
        assert_eq!(encode_segment("a b?c=d&e#f"), "a%20b%3Fc%3Dd%26e%23f");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }

    #[test]
    fn the_engines_words_for_a_refused_version_are_recognised() {
        for refused in [
            "client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client to a newer version",
            "client version 1.99 is too new. Maximum supported API version is 1.51",
            "client version 1.10 is not supported",
        ] {
            assert!(is_version_refusal(refused), "{refused}");
        }
        assert!(!is_version_refusal("No such container: x"));
        let err = Error::VersionRefused {
            pinned: ApiVersion::new(1, 41),
            setting: "DOCKER_VERSION (docker.cfg line 2)".into(),
            minimum: Some(ApiVersion::new(1, 44)),
            maximum: Some(ApiVersion::new(1, 51)),
            message: "client version 1.41 is too old".into(),
            request: "GET /containers/json".into(),
        };
        assert_eq!(err.status(), Some(400));
        let text = err.to_string();
        assert!(text.contains("API version 1.41, pinned by DOCKER_VERSION (docker.cfg line 2)"));
        assert!(text.contains("it accepts 1.44 to 1.51"), "{text}");
        assert!(text.contains("or to `auto`"), "{text}");
    }

    #[test]
    fn negotiation_downgrades_only_and_refuses_old_engines() {
        assert_eq!(negotiate(Some("1.41")).unwrap().to_string(), "1.41");
        assert_eq!(negotiate(Some("1.99")).unwrap(), ApiVersion::NEWEST);
        assert_eq!(negotiate(None).unwrap(), ApiVersion::OLDEST);
        let old = negotiate(Some("1.12")).unwrap_err();
        assert!(matches!(old, Error::EngineTooOld { .. }), "{old}");
        assert!(negotiate(Some("banana")).is_err());
    }

    #[test]
    fn engine_messages_come_from_json_or_text() {
        assert_eq!(
            engine_message(br#"{"message":"No such image"}"#),
            "No such image"
        );
        assert_eq!(engine_message(b"page not found\n"), "page not found");
    }

    #[test]
    fn a_cell_refuses_use_before_init_and_a_second_init() {
        static CELL: DockerCell = DockerCell::new();
        assert!(matches!(CELL.get(), Err(Error::Cell { .. })));
        let docker = Docker::connect("unix:///nowhere.sock").unwrap();
        CELL.init_with(docker.clone()).unwrap();
        assert!(CELL.get().is_ok());
        assert!(matches!(CELL.init_with(docker), Err(Error::Cell { .. })));
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn without_the_tls_feature_a_tls_setting_names_the_feature() {
        for settings in [
            Settings::new("https://localhost:2376").unwrap(),
            Settings::new("tcp://localhost:2376")
                .unwrap()
                .with_tls(true),
        ] {
            let err = Docker::new(settings).unwrap_err();
            assert!(
                matches!(err, Error::FeatureDisabled { feature: "tls", .. }),
                "{err}"
            );
            assert!(err.to_string().contains("`tls` feature"), "{err}");
        }
    }

    #[test]
    fn the_client_is_send_sync_and_cheap_to_clone() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Docker>();
        check::<CancelHandle>();
    }
}
