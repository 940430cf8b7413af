//! Bytes to and from the engine: the only module that touches `ureq::unversioned`.
//!
//! An [`Endpoint`] says what to dial (a unix socket, TCP, TLS over TCP) and opens a
//! [`RawStream`]. [`DockerConnector`] hands those streams to ureq, whatever host the request
//! URL names, so every request can use one constant authority (`http://docker`) and all
//! requests share one pool.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, NextTimeout, ShutdownHandle, Transport,
};

use crate::error::Error;
use buffers::ConnBuffers;

#[cfg(feature = "tls")]
pub(crate) mod tls;

mod buffers;
pub(crate) mod exchange;
pub(crate) mod hijack;
mod keepalive;
#[cfg(unix)]
pub(crate) mod ssh;

/// What to dial.
#[derive(Clone)]
pub(crate) enum Endpoint {
    /// A unix socket.
    #[cfg(unix)]
    Unix(PathBuf),
    /// Plain TCP.
    Tcp { host: String, port: u16 },
    /// An ssh host: the system `ssh` runs `docker system dial-stdio` there, one child per
    /// connection, talking through a socket pair.
    #[cfg(unix)]
    Ssh(Arc<ssh::SshTarget>),
    /// TLS over TCP, with our own rustls configuration.
    #[cfg(feature = "tls")]
    Tls {
        host: String,
        port: u16,
        server_name: rustls_pki_types::ServerName<'static>,
        config: Arc<rustls::ClientConfig>,
    },
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(unix)]
            Endpoint::Unix(path) => write!(f, "unix://{}", path.display()),
            Endpoint::Tcp { host, port } => write!(f, "tcp://{}", join_host_port(host, *port)),
            #[cfg(unix)]
            Endpoint::Ssh(target) => write!(f, "{target}"),
            #[cfg(feature = "tls")]
            Endpoint::Tls { host, port, .. } => {
                write!(f, "tcp://{} (TLS)", join_host_port(host, *port))
            }
        }
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The TLS config holds the client key: show the address only.
        write!(f, "Endpoint({self})")
    }
}

fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

impl Endpoint {
    /// Whether requests go over TLS (the URL scheme ureq sees).
    pub(crate) fn is_tls(&self) -> bool {
        match self {
            #[cfg(feature = "tls")]
            Endpoint::Tls { .. } => true,
            _ => false,
        }
    }

    /// Opens a new connection, including the TLS handshake. `timeout` bounds the connect and
    /// the handshake; it is not left on the stream.
    pub(crate) fn connect(&self, timeout: Option<Duration>) -> Result<RawStream, Error> {
        let connect_error = |source: io::Error| Error::Connect {
            target: self.to_string(),
            source,
        };
        match self {
            #[cfg(unix)]
            Endpoint::Unix(path) => {
                // A unix connect does not block on the engine, so it needs no timeout.
                let sock = UnixStream::connect(path).map_err(connect_error)?;
                Ok(RawStream::plain(Socket::Unix(sock)))
            }
            Endpoint::Tcp { host, port } => {
                let sock =
                    tcp_connect(host, *port, timeout).map_err(|e| self.tcp_error(e, timeout))?;
                Ok(RawStream::plain(Socket::Tcp(sock)))
            }
            #[cfg(unix)]
            Endpoint::Ssh(target) => ssh::connect(target, timeout),
            #[cfg(feature = "tls")]
            Endpoint::Tls {
                host,
                port,
                server_name,
                config,
            } => {
                let sock =
                    tcp_connect(host, *port, timeout).map_err(|e| self.tcp_error(e, timeout))?;
                let socket = Arc::new(Socket::Tcp(sock));
                let stream = tls::handshake(config, server_name.clone(), socket.clone(), timeout)
                    .map_err(|e| self.tls_error(e, timeout))?;
                Ok(RawStream {
                    socket,
                    tls: Some(Box::new(stream)),
                    child: None,
                })
            }
        }
    }

    fn timeout(&self, what: &str, after: Option<Duration>) -> Error {
        Error::Timeout {
            what: "connect",
            after: after.unwrap_or_default(),
            context: format!("{what} {self}"),
        }
    }

    fn tcp_error(&self, e: io::Error, timeout: Option<Duration>) -> Error {
        if e.kind() == io::ErrorKind::TimedOut {
            return self.timeout("connecting to", timeout);
        }
        Error::Connect {
            target: self.to_string(),
            source: e,
        }
    }

    /// Turns a failure during connect or handshake into our error, naming the check that
    /// failed.
    #[cfg(feature = "tls")]
    fn tls_error(&self, e: io::Error, timeout: Option<Duration>) -> Error {
        if let Some(reason) = tls::describe(&e, self) {
            return Error::Tls {
                target: self.to_string(),
                reason,
            };
        }
        match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                self.timeout("TLS handshake with", timeout)
            }
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::BrokenPipe => Error::Tls {
                target: self.to_string(),
                reason: format!(
                    "the connection closed during the handshake ({e}): does the engine speak \
                     TLS on this port?"
                ),
            },
            _ => Error::Connect {
                target: self.to_string(),
                source: e,
            },
        }
    }
}

fn tcp_connect(host: &str, port: u16, timeout: Option<Duration>) -> io::Result<TcpStream> {
    let mut last = None;
    for addr in (host, port).to_socket_addrs()? {
        let attempt = match timeout {
            Some(t) if !t.is_zero() => TcpStream::connect_timeout(&addr, t),
            _ => TcpStream::connect(addr),
        };
        match attempt {
            Ok(sock) => {
                // Requests are small writes followed by a wait for the answer.
                sock.set_nodelay(true)?;
                // A half-open connection must fail a read, not hang it (keepalive.rs).
                keepalive::enable(&sock)?;
                return Ok(sock);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("the name {host} resolved to no address"),
        )
    }))
}

/// A connected socket, shared (through an `Arc`) between the stream that uses it and the
/// handle that can shut it down from another thread.
#[derive(Debug)]
pub(crate) enum Socket {
    #[cfg(unix)]
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Socket {
    pub(crate) fn set_read_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Socket::Unix(s) => s.set_read_timeout(t),
            Socket::Tcp(s) => s.set_read_timeout(t),
        }
    }

    pub(crate) fn set_write_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Socket::Unix(s) => s.set_write_timeout(t),
            Socket::Tcp(s) => s.set_write_timeout(t),
        }
    }

    fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Socket::Unix(s) => s.set_nonblocking(on),
            Socket::Tcp(s) => s.set_nonblocking(on),
        }
    }

    pub(crate) fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Socket::Unix(s) => s.shutdown(how),
            Socket::Tcp(s) => s.shutdown(how),
        }
    }
}

impl Read for &Socket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match *self {
            #[cfg(unix)]
            Socket::Unix(s) => (&*s).read(buf),
            Socket::Tcp(s) => (&*s).read(buf),
        }
    }
}

impl Write for &Socket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match *self {
            #[cfg(unix)]
            Socket::Unix(s) => (&*s).write(buf),
            Socket::Tcp(s) => (&*s).write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl ShutdownHandle for Socket {
    fn shutdown(&self) {
        // An error means it is closed already, which is what we wanted.
        let _ = Socket::shutdown(self, Shutdown::Both);
    }
}

/// One open connection to the engine, plain or TLS: `Read + Write`, with timeouts on the
/// socket underneath.
pub(crate) struct RawStream {
    socket: Arc<Socket>,
    #[cfg(feature = "tls")]
    tls: Option<Box<tls::TlsStream>>,
    #[cfg(not(feature = "tls"))]
    tls: Option<std::convert::Infallible>,
    /// The `ssh` process behind an ssh connection: ended when the connection is dropped.
    child: Option<ChildGuard>,
}

#[cfg(unix)]
pub(crate) use ssh::ChildGuard;
/// Only ssh connections have a child process, and only on unix.
#[cfg(not(unix))]
pub(crate) type ChildGuard = std::convert::Infallible;

impl fmt::Debug for RawStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawStream")
            .field("socket", &self.socket)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl RawStream {
    pub(crate) fn plain(socket: Socket) -> RawStream {
        RawStream {
            socket: Arc::new(socket),
            tls: None,
            child: None,
        }
    }

    pub(crate) fn set_read_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        self.socket.set_read_timeout(t)
    }

    pub(crate) fn set_write_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        self.socket.set_write_timeout(t)
    }

    /// A handle that shuts the socket down, waking a read blocked in another thread.
    pub(crate) fn shutdown_handle(&self) -> Weak<dyn ShutdownHandle> {
        Arc::downgrade(&self.socket) as Weak<dyn ShutdownHandle>
    }

    /// True when the peer has not closed and sent nothing unasked: safe to reuse.
    fn is_reusable(&self) -> bool {
        if self.socket.set_nonblocking(true).is_err() {
            return false;
        }
        let mut probe = [0u8; 1];
        // Any byte (plain garbage, or a TLS alert or close_notify) or an EOF means the
        // connection cannot carry another request cleanly.
        let idle = matches!((&*self.socket).read(&mut probe), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        self.socket.set_nonblocking(false).is_ok() && idle
    }
}

impl Read for RawStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.tls {
            #[cfg(feature = "tls")]
            Some(tls) => tls::read(tls, buf),
            #[cfg(not(feature = "tls"))]
            Some(never) => match *never {},
            None => {
                let read = (&*self.socket).read(buf);
                match &mut self.child {
                    // An ssh connection that ends says why, in its own ssh's words.
                    #[cfg(unix)]
                    Some(child) => child.check_read(read, !buf.is_empty()),
                    _ => read,
                }
            }
        }
    }
}

impl Write for RawStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.tls {
            #[cfg(feature = "tls")]
            Some(tls) => tls.write(buf),
            #[cfg(not(feature = "tls"))]
            Some(never) => match *never {},
            None => {
                let written = (&*self.socket).write(buf);
                match &mut self.child {
                    #[cfg(unix)]
                    Some(child) => child.check_write(written),
                    _ => written,
                }
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.tls {
            #[cfg(feature = "tls")]
            Some(tls) => tls.flush(),
            #[cfg(not(feature = "tls"))]
            Some(never) => match *never {},
            None => Ok(()),
        }
    }
}

/// Dials the configured endpoint for every request, whatever the URL's host says.
#[derive(Clone)]
pub(crate) struct DockerConnector {
    endpoint: Arc<Endpoint>,
}

impl fmt::Debug for DockerConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DockerConnector({})", self.endpoint)
    }
}

impl DockerConnector {
    pub(crate) fn new(endpoint: Arc<Endpoint>) -> Self {
        DockerConnector { endpoint }
    }
}

impl Connector for DockerConnector {
    type Out = StreamTransport;

    fn connect(
        &self,
        details: &ConnectionDetails,
        _chained: Option<()>,
    ) -> Result<Option<StreamTransport>, ureq::Error> {
        let timeout = details.timeout.not_zero().map(|d| *d);
        let stream = self
            .endpoint
            .connect(timeout)
            .map_err(|e| ureq::Error::Io(io::Error::other(e)))?;
        (details.register_shutdown)(stream.shutdown_handle())?;
        let config = details.config;
        let buffers = ConnBuffers::new(config.input_buffer_size(), config.output_buffer_size());
        Ok(Some(StreamTransport {
            stream,
            buffers,
            read_timeout: None,
            write_timeout: None,
            served: 0,
            refused: false,
            early_answer: false,
            used: true,
            idle_since: None,
        }))
    }
}

/// A [`RawStream`] as a ureq transport.
pub(crate) struct StreamTransport {
    stream: RawStream,
    buffers: ConnBuffers,
    /// The timeouts set on the socket now (see [`close_enough`]).
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    /// Requests begun on this connection.
    served: u64,
    /// The engine stopped reading a request body: the rest of it is dropped, and the
    /// connection is not reused.
    refused: bool,
    /// Input was read while ureq waited for `100 Continue`: if it was not `100 Continue`,
    /// ureq's response parser has not seen it yet.
    early_answer: bool,
    /// Whether the connection carried a request since it was last probed: ureq asks
    /// [`Transport::is_open`] when it returns a connection to the pool and again when it
    /// takes it out; only the second probe tells anything the first would not.
    used: bool,
    /// When it went back to the pool.
    idle_since: Option<Instant>,
}

/// A connection taken from the pool sooner than this after it went back is not probed
/// (three syscalls, under the pool's lock): see [`StreamTransport::is_open`].
const PROBE_AFTER: Duration = Duration::from_millis(2);

impl fmt::Debug for StreamTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamTransport")
            .field("stream", &self.stream)
            .finish()
    }
}

/// The socket timeout for the next I/O, `None` for none.
fn io_timeout(timeout: NextTimeout) -> Option<Duration> {
    timeout.not_zero().map(|d| *d)
}

/// Whether a write failed because the peer closed the connection.
fn is_closed_by_peer(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
    )
}

/// The most a socket timeout may run past the deadline ureq asks for, so that it need not be
/// set anew (a syscall) for every request: 1/32 of it, at most 250 ms.
fn slack(wanted: Duration) -> Duration {
    (wanted / 32).min(Duration::from_millis(250))
}

/// Whether the socket's timeout `current` can stand for `wanted`: never shorter, and longer
/// by no more than the [`slack`].
fn close_enough(current: Option<Duration>, wanted: Option<Duration>) -> bool {
    match (current, wanted) {
        (Some(current), Some(wanted)) => current >= wanted && current - wanted <= slack(wanted),
        (current, wanted) => current == wanted,
    }
}

/// What to set when a timeout must change: half the slack above what is wanted, so the
/// next requests' deadlines (a little later, or a little earlier) still fit.
fn with_slack(wanted: Option<Duration>) -> Option<Duration> {
    wanted.map(|w| w + slack(w) / 2)
}

fn map_io(e: io::Error, timeout: &NextTimeout) -> ureq::Error {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => ureq::Error::Timeout(timeout.reason),
        _ => ureq::Error::Io(e),
    }
}

impl Transport for StreamTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.used = true;
        let timeout = timeout.for_write();
        let wanted = io_timeout(timeout);
        if !close_enough(self.write_timeout, wanted) {
            let set = with_slack(wanted);
            self.stream.set_write_timeout(set)?;
            self.write_timeout = set;
        }
        if self.refused {
            // The rest of a body the engine no longer reads.
            return Ok(());
        }
        if exchange::first_write(self.served) {
            self.served += 1;
        }
        let output = &self.buffers.output()[..amount];
        match self
            .stream
            .write_all(output)
            .and_then(|_| self.stream.flush())
        {
            // The engine answered before reading the whole body, and closed: its answer is
            // in our receive buffer. End the body and let ureq read it.
            Err(e) if is_closed_by_peer(&e) && exchange::is_sending_body() => {
                exchange::refuse();
                self.refused = true;
                Ok(())
            }
            result => result.map_err(|e| map_io(e, &timeout)),
        }
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        // ureq reads an early answer while it waits for `100 Continue`, and leaves it in the
        // buffer without marking it usable: offer it once more to the response parser, which
        // would otherwise wait for more from an engine that waits for us.
        if std::mem::take(&mut self.early_answer) && !self.buffers.input().is_empty() {
            return Ok(true);
        }
        self.used = true;
        let timeout = timeout.for_read();
        let wanted = io_timeout(timeout);
        if !close_enough(self.read_timeout, wanted) {
            let set = with_slack(wanted);
            self.stream.set_read_timeout(set)?;
            self.read_timeout = set;
        }
        let input = self.buffers.input_append_buf();
        let room = input.len();
        let amount = loop {
            match self.stream.read(input) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other.map_err(|e| map_io(e, &timeout))?,
            }
        };
        self.buffers.input_appended(amount);
        self.early_answer = amount > 0 && exchange::is_awaiting_body();
        self.buffers.note_read(amount, room);
        Ok(amount > 0)
    }

    /// Called as the connection goes back to the pool (after use: it goes idle, and its
    /// buffers back to their first sizes; no probe, as the one below comes later and sees
    /// more), and as it is taken out: then a probe (any byte or an EOF means it cannot
    /// carry another request), unless it went idle less than [`PROBE_AFTER`] ago.
    ///
    /// That exception is what lets a busy client send a request in two syscalls. What it
    /// gives up: noticing an engine that closes a keep-alive connection within those
    /// milliseconds of answering on it without saying `Connection: close` (engines close
    /// idle connections after seconds, or when they stop), or that sends bytes nobody asked
    /// for; such a request fails as it would had the close come a moment after the probe.
    fn is_open(&mut self) -> bool {
        if self.refused {
            return false;
        }
        if std::mem::take(&mut self.used) {
            self.buffers.shrink();
            self.idle_since = Some(Instant::now());
            return true;
        }
        if self.idle_since.is_some_and(|t| t.elapsed() < PROBE_AFTER) {
            return true;
        }
        self.stream.is_reusable()
    }

    fn is_tls(&self) -> bool {
        self.stream.tls.is_some()
    }
}

/// Resolves nothing: the connector knows where to go.
#[derive(Debug)]
pub(crate) struct NoResolver;

impl Resolver for NoResolver {
    fn resolve(
        &self,
        _uri: &ureq::http::Uri,
        _config: &Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let mut addrs = self.empty();
        addrs.push(([0, 0, 0, 0], 0).into());
        Ok(addrs)
    }
}

/// Builds an agent that sends every request to `endpoint`.
pub(crate) fn agent(endpoint: &Arc<Endpoint>, config: Config) -> ureq::Agent {
    ureq::Agent::with_parts(config, DockerConnector::new(endpoint.clone()), NoResolver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_socket_timeout_is_kept_while_it_runs_at_most_the_slack_past_the_deadline() {
        let thirty = Duration::from_secs(30);
        let set = with_slack(Some(thirty));
        // the next requests' deadlines, a little earlier or exactly the same: kept
        assert!(close_enough(set, Some(thirty)));
        assert!(close_enough(set, Some(thirty - Duration::from_millis(100))));
        // shorter than wanted would cut a request early: never
        assert!(!close_enough(
            Some(thirty),
            Some(thirty + Duration::from_millis(1))
        ));
        // too far past the deadline: set anew
        assert!(!close_enough(set, Some(thirty - Duration::from_secs(1))));
        // at most 250 ms, and 1/32 of short timeouts
        assert_eq!(slack(thirty), Duration::from_millis(250));
        assert_eq!(
            slack(Duration::from_secs(1)),
            Duration::from_millis(31_250) / 1000
        );
        // none and some never stand for each other
        assert!(!close_enough(None, Some(thirty)));
        assert!(!close_enough(set, None));
        assert!(close_enough(None, None));
    }
}
