//! [`Request`]: a request being built, and the one place every call is sent from (with
//! its version prefix, headers, body, timeouts and error mapping), hijacked upgrades
//! included.

use std::fmt;
use std::io::Read;
use std::time::{Duration, Instant};

use serde::Serialize;
use ureq::http;

use super::response::{engine_message, ERROR_BODY_LIMIT};
use super::{CancelHandle, Docker, Failure, Response, AUTHORITY, USER_AGENT};
use crate::error::{Error, Result};
use crate::transport::exchange;
use crate::transport::hijack::{self, HijackReader, HijackWriter};

/// A request being built: see [`Docker::request`].
#[must_use = "a request does nothing until it is sent"]
pub struct Request {
    docker: Docker,
    method: String,
    path: String,
    query: form_urlencoded::Serializer<'static, String>,
    has_query: bool,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    body: Body,
    stream: bool,
    /// A stream whose answer the engine begins at once.
    prompt: bool,
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
    pub(super) fn new(docker: Docker, method: &str, path: String) -> Request {
        Request {
            docker,
            method: method.to_ascii_uppercase(),
            path,
            query: form_urlencoded::Serializer::new(String::new()),
            has_query: false,
            headers: Vec::new(),
            body: Body::Empty,
            stream: false,
            prompt: false,
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

    /// For a streaming request whose answer the engine begins at once (events, logs, wait,
    /// stats): wait for the answer's head no longer than the settings' timeout, as for an
    /// ordinary call. Not for answers the engine begins only after work of unknown length
    /// (pull, push, build, load, save).
    pub(crate) fn prompt(mut self) -> Request {
        self.prompt = true;
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
        // The handle can stop the wait for the engine's answer too.
        let cancel = self.docker.cancel.clone().unwrap_or_default();
        let cancelled = || Error::Cancelled {
            context: failure.context.clone(),
        };
        cancel
            .watch(stream.shutdown_handle())
            .map_err(|_| cancelled())?;
        let (head, mut reader, writer) =
            hijack::upgrade(stream, &head, &body, inner.settings.timeout).map_err(|e| {
                if cancel.is_cancelled() {
                    cancelled()
                } else {
                    failure.io(e)
                }
            })?;
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
        Ok(Upgraded {
            reader,
            writer,
            failure,
            cancel,
        })
    }

    /// What this request is, for messages: `GET /containers/json`.
    fn context(&self) -> String {
        let mut context = String::with_capacity(self.method.len() + 1 + self.path.len());
        context.push_str(&self.method);
        context.push(' ');
        context.push_str(&self.path);
        context
    }

    /// Sends the request. A status of 400 or more becomes [`Error::Engine`] with the
    /// daemon's message; anything else is returned for the caller to read.
    pub fn send(self) -> Result<Response> {
        let cancel = self.stream.then(|| self.stream_cancel());
        self.send_with(cancel)
    }

    /// Sends a streaming request, and returns its cancel handle beside the response.
    pub(crate) fn send_stream(mut self) -> Result<(Response, CancelHandle)> {
        self.stream = true;
        let cancel = self.stream_cancel();
        Ok((self.send_with(Some(cancel.clone()))?, cancel))
    }

    /// The handle that stops this stream: the client's (see [`Docker::with_cancel`]), else
    /// one of its own.
    fn stream_cancel(&self) -> CancelHandle {
        self.docker.cancel.clone().unwrap_or_default()
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
        let mut url = String::with_capacity(inner.base_url.len() + 8 + self.path.len());
        url.push_str(&inner.base_url);
        if self.versioned {
            push_version(&mut url, self.docker.api_version()?);
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
        // A head too large for a pooled connection's buffer goes on a connection of its own.
        let head_size = url.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len() + 4)
                .sum::<usize>()
            + HEAD_EXTRA;
        let headers = std::mem::take(&mut self.headers);
        let builder = || {
            headers.iter().fold(
                http::Request::builder().method(method.clone()).uri(&url),
                |b, (name, value)| b.header(name, value),
            )
        };
        let cancelled = || Error::Cancelled {
            context: failure.context.clone(),
        };
        let agent = match &cancel {
            Some(cancel) => cancel.agent_for(&self.docker).map_err(|_| cancelled())?,
            None if head_size > POOLED_OUTPUT => inner.one_off_agent(),
            None => inner.agent.clone(),
        };
        let output = (head_size > agent.config().output_buffer_size()).then_some(head_size);
        // The engine begins these answers at once: a silent one must not hold the caller
        // past the timeout (the rest of the stream has no deadline).
        let head = (self.stream && self.prompt).then_some(inner.settings.timeout);
        let started = Instant::now();
        let deadline = (!self.stream).then_some(failure.deadline);
        let mut body = Some(std::mem::replace(&mut self.body, Body::Empty));
        let streamed = matches!(body, Some(Body::Reader(_)));
        // Only a request without a body that changes nothing may be sent twice.
        let idempotent =
            matches!(self.method.as_str(), "GET" | "HEAD") && matches!(body, Some(Body::Empty));
        let mut retries = 0;
        let result = loop {
            exchange::begin(streamed);
            let result = match body.take().unwrap_or(Body::Empty) {
                // Without a body ureq sends a POST chunked, which the engine takes for a body
                // (start refuses one): say `Content-Length: 0` instead.
                Body::Empty if method_has_body(&self.method) => run(
                    &agent,
                    builder(),
                    Vec::new(),
                    deadline,
                    head,
                    self.idle,
                    output,
                ),
                Body::Empty => run(&agent, builder(), (), deadline, head, self.idle, output),
                Body::Bytes(bytes) => {
                    run(&agent, builder(), bytes, deadline, head, self.idle, output)
                }
                // A streamed body may be large, and the engine may refuse it before reading a
                // byte (no such container, a bad tag): ask it to say so before the upload. If
                // it stops reading later, the rest is dropped and its answer read all the same.
                Body::Reader(reader) => run(
                    &agent,
                    builder().header(http::header::EXPECT, "100-continue"),
                    ureq::SendBody::from_owned_reader(exchange::Body::new(reader)),
                    deadline,
                    head,
                    self.idle,
                    output,
                ),
            };
            let reused = exchange::was_reused();
            exchange::end();
            // The engine (or a proxy) closed an idle kept-alive connection just as this
            // request went out on it: a GET or HEAD goes once more, on another connection.
            match result {
                Err(ref e)
                    if idempotent
                        && reused
                        && retries < MAX_RETRIES
                        && is_dead_connection(e)
                        && !cancel.as_ref().is_some_and(CancelHandle::is_cancelled) =>
                {
                    retries += 1;
                    log::debug!(
                        target: "dockhand",
                        "{}: the kept-alive connection was closed ({e}): sending again",
                        failure.context
                    );
                }
                result => break result,
            }
        };
        let response = result.map_err(|e| {
            if cancel.as_ref().is_some_and(CancelHandle::is_cancelled) {
                cancelled()
            } else {
                failure.ureq(e)
            }
        })?;
        let status = response.status().as_u16();
        log::debug!(
            target: "dockhand",
            "{} -> {status} in {:.1?}",
            failure.context,
            started.elapsed()
        );
        let (parts, body) = response.into_parts();
        inner
            .libpod
            .get_or_init(|| parts.headers.contains_key("libpod-api-version"));
        let response = Response {
            status,
            headers: parts.headers,
            body: body.into_with_config().limit(u64::MAX).reader(),
            failure,
            cancel,
            limit: None,
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

/// How many times a GET or HEAD is sent again after finding its pooled connection closed:
/// each try takes another connection from the pool, or a new one.
const MAX_RETRIES: usize = 3;

/// Whether `e` says the connection was gone before an answer began: closed, reset, or
/// ended before a byte of the answer.
fn is_dead_connection(e: &ureq::Error) -> bool {
    matches!(e, ureq::Error::Io(io) if matches!(
        io.kind(),
        std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
    ))
}

fn method_has_body(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH")
}

/// Appends `/v1.41`.
fn push_version(url: &mut String, version: crate::settings::ApiVersion) {
    url.push_str("/v");
    url.push_str(itoa(version.major, &mut [0; 5]));
    url.push('.');
    url.push_str(itoa(version.minor, &mut [0; 5]));
}

/// `n` in decimal, written at the end of `buf`.
fn itoa(mut n: u16, buf: &mut [u8; 5]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[at..]).unwrap_or("0")
}

/// The output buffer of a pooled connection: request heads larger than that go on a
/// connection of their own (see `agent_config` in `mod.rs`).
pub(super) const POOLED_OUTPUT: usize = 4 * 1024;

/// Room for the request line's and ureq's own headers beside the URL and ours.
const HEAD_EXTRA: usize = 512;

/// Sends one request through `agent` with its timeouts: `deadline` for the whole request,
/// `head` for the answer's head once the request is sent, `idle` for each read; and an
/// output buffer of at least `output` bytes (only on a new connection). The agent's own
/// config is used as it is where it says the same: building a request-level one costs
/// more than the request.
fn run(
    agent: &ureq::Agent,
    builder: http::request::Builder,
    body: impl ureq::AsSendBody,
    deadline: Option<Duration>,
    head: Option<Duration>,
    idle: Option<Duration>,
    output: Option<usize>,
) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
    let request = builder.body(body)?;
    let config = agent.config();
    if config.timeouts().global == deadline
        && config.timeouts().recv_response == head
        && config.timeout_per_read() == idle
        && output.is_none()
    {
        return agent.run(request);
    }
    let mut config = agent
        .configure_request(request)
        .timeout_global(deadline)
        .timeout_recv_response(head)
        .timeout_per_read(idle);
    if let Some(size) = output {
        config = config.output_buffer_size(size);
    }
    agent.run(config.build())
}

/// A connection taken over after an upgrade: the output to read, the input to write.
pub(crate) struct Upgraded {
    pub(crate) reader: HijackReader,
    pub(crate) writer: HijackWriter,
    pub(crate) failure: Failure,
    pub(crate) cancel: CancelHandle,
}
