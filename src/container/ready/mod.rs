//! Readiness: what "ready" means for a container ([`WaitFor`]), waiting for it with one
//! deadline ([`Container::wait_until`]), and what a wait that failed reports ([`NotReady`]).
//!
//! The conditions are in this file; the wait in `wait.rs`, the log reader it runs beside
//! it in `watch.rs`, the error in `not_ready.rs`.

mod not_ready;
mod wait;
mod watch;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

#[cfg(doc)]
use super::Container;
pub use not_ready::{NotReady, NotReadyCause};

use crate::stream::Line;

/// What "ready" means for a container, for [`Container::wait_until`]: a line in its
/// output, a passing health check, a port that accepts connections, an HTTP answer, a
/// command that succeeds; or several of them together ([`and`](Self::and),
/// [`all`](Self::all)) or one among them ([`or`](Self::or), [`any`](Self::any)).
///
/// ```no_run
/// # fn main() -> dockhand::Result<()> {
/// use std::time::Duration;
/// use dockhand::{ContainerConfig, Docker};
/// use dockhand::container::WaitFor;
/// let docker = Docker::from_env()?;
/// let db = docker.containers().create_guarded(&ContainerConfig::new("postgres:16"))?;
/// db.start()?;
/// // postgres says it twice: once for its set-up server, once for the real one.
/// let ready = WaitFor::stderr_line("ready to accept connections")
///     .times(2)
///     .and(WaitFor::exec(["pg_isready", "-U", "postgres"]));
/// db.wait_until(&ready, Duration::from_secs(60))?;
/// # Ok(()) }
/// ```
///
/// A condition that is met stays met: within [`and`](Self::and), each is checked until it
/// is met, then no more.
#[derive(Clone, Debug)]
#[must_use]
pub struct WaitFor {
    kind: Kind,
    /// A modifier used where it does not apply: the wait fails at once with this.
    misuse: Option<String>,
}

#[derive(Clone, Debug)]
enum Kind {
    Line(LineWait),
    Healthy,
    Port {
        port: u16,
        dial: Dial,
    },
    Http {
        port: u16,
        path: String,
        status: Option<u16>,
        dial: Dial,
    },
    Exec(Vec<String>),
    All(Vec<WaitFor>),
    Any(Vec<WaitFor>),
}

/// Which lines a log condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Streams {
    Both,
    Stdout,
    Stderr,
}

#[derive(Clone, Debug)]
pub(super) struct LineWait {
    streams: Streams,
    matcher: Matcher,
    times: usize,
}

#[derive(Clone)]
enum Matcher {
    Contains(String),
    Predicate {
        what: String,
        test: Arc<dyn Fn(&Line) -> bool + Send + Sync>,
    },
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Matcher::Contains(text) => f.debug_tuple("Contains").field(text).finish(),
            Matcher::Predicate { what, .. } => f.debug_tuple("Predicate").field(what).finish(),
        }
    }
}

impl LineWait {
    pub(super) fn matches(&self, line: &Line) -> bool {
        let stream = match self.streams {
            Streams::Both => line.is_stdout() || line.is_stderr(),
            Streams::Stdout => line.is_stdout(),
            Streams::Stderr => line.is_stderr(),
        };
        stream
            && match &self.matcher {
                Matcher::Contains(text) => line.text().contains(text.as_str()),
                Matcher::Predicate { test, .. } => test(line),
            }
    }
}

/// Where a port or HTTP condition connects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dial {
    /// The published address ([`Container::host_port`]).
    Published,
    /// This host, with the published port.
    Host(IpAddr),
    /// This address exactly.
    Addr(SocketAddr),
}

impl WaitFor {
    fn new(kind: Kind) -> WaitFor {
        WaitFor { kind, misuse: None }
    }

    fn line(streams: Streams, matcher: Matcher) -> WaitFor {
        WaitFor::new(Kind::Line(LineWait {
            streams,
            matcher,
            times: 1,
        }))
    }

    /// A line of its output (stdout or stderr) that contains `text`, as plain text (no
    /// pattern). Lines written before the wait began count too: the whole log is read.
    pub fn log_line(text: &str) -> WaitFor {
        WaitFor::line(Streams::Both, Matcher::Contains(text.to_string()))
    }

    /// A line of its stdout (or of its TTY) that contains `text`.
    pub fn stdout_line(text: &str) -> WaitFor {
        WaitFor::line(Streams::Stdout, Matcher::Contains(text.to_string()))
    }

    /// A line of its stderr that contains `text` (a TTY container has no stderr apart:
    /// use [`log_line`](Self::log_line)).
    pub fn stderr_line(text: &str) -> WaitFor {
        WaitFor::line(Streams::Stderr, Matcher::Contains(text.to_string()))
    }

    /// A line of its output for which `test` is true; `what` says what it looks for, for
    /// the error when none comes. The [`Line`] has its stream and its bytes.
    ///
    /// ```
    /// use dockhand::container::WaitFor;
    /// let listening = WaitFor::log_matching("a line ending in `listening`", |line| {
    ///     line.is_stdout() && line.text().trim_end().ends_with("listening")
    /// });
    /// ```
    pub fn log_matching(
        what: &str,
        test: impl Fn(&Line) -> bool + Send + Sync + 'static,
    ) -> WaitFor {
        WaitFor::line(
            Streams::Both,
            Matcher::Predicate {
                what: what.to_string(),
                test: Arc::new(test),
            },
        )
    }

    /// Its health check passes: its health is [`HealthStatus::Healthy`](super::HealthStatus).
    /// A container without a health check fails the wait at once
    /// ([`NotReadyCause::NoHealthCheck`]); an unhealthy one is waited for, as a later pass
    /// makes it healthy.
    pub fn healthy() -> WaitFor {
        WaitFor::new(Kind::Healthy)
    }

    /// Its TCP port `port` accepts connections where it is published on the host
    /// ([`Container::host_port`]), or where [`dial_host`](Self::dial_host) or
    /// [`dial_addr`](Self::dial_addr) say.
    ///
    /// A connection that a proxy in front of the port accepts and closes at once (the
    /// engine's `docker-proxy` does so while nothing listens in the container) does not
    /// count: after connecting, the check reads for a moment, and only a connection that
    /// stays open, or that the server speaks on, is ready.
    pub fn port(port: u16) -> WaitFor {
        WaitFor::new(Kind::Port {
            port,
            dial: Dial::Published,
        })
    }

    /// `GET path` on its TCP port `port`, published on the host as for
    /// [`port`](Self::port), answers with a 2xx status (or the one [`status`](Self::status)
    /// sets). Plain HTTP; redirects are not followed. `path` may have a query
    /// (`/health?full=1`).
    pub fn http(port: u16, path: &str) -> WaitFor {
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        let bad = path.chars().any(|c| c.is_whitespace() || c.is_control())
            || format!("http://127.0.0.1{path}")
                .parse::<ureq::http::Uri>()
                .is_err();
        let misuse = bad.then(|| {
            format!(
                "WaitFor::http needs a path such as /health, not {path:?} (encode spaces as %20)"
            )
        });
        WaitFor {
            kind: Kind::Http {
                port,
                path,
                status: None,
                dial: Dial::Published,
            },
            misuse,
        }
    }

    /// Running `cmd` in the container exits with code 0 (`pg_isready`, `redis-cli ping`).
    /// It runs again at every check until it does.
    pub fn exec<S: Into<String>>(cmd: impl IntoIterator<Item = S>) -> WaitFor {
        let cmd: Vec<String> = cmd.into_iter().map(Into::into).collect();
        let misuse = cmd
            .is_empty()
            .then(|| "WaitFor::exec needs a command, such as [\"pg_isready\"]".to_string());
        WaitFor {
            kind: Kind::Exec(cmd),
            misuse,
        }
    }

    /// Every one of `conditions` (none: ready at once).
    pub fn all(conditions: impl IntoIterator<Item = WaitFor>) -> WaitFor {
        WaitFor::new(Kind::All(conditions.into_iter().collect()))
    }

    /// One of `conditions` (none: never ready).
    pub fn any(conditions: impl IntoIterator<Item = WaitFor>) -> WaitFor {
        WaitFor::new(Kind::Any(conditions.into_iter().collect()))
    }

    /// This and `other`.
    pub fn and(self, other: WaitFor) -> WaitFor {
        match self.kind {
            Kind::All(mut list) if self.misuse.is_none() => {
                list.push(other);
                WaitFor::all(list)
            }
            _ => WaitFor::all([self, other]),
        }
    }

    /// This or `other`.
    pub fn or(self, other: WaitFor) -> WaitFor {
        match self.kind {
            Kind::Any(mut list) if self.misuse.is_none() => {
                list.push(other);
                WaitFor::any(list)
            }
            _ => WaitFor::any([self, other]),
        }
    }

    fn misused(mut self, what: &str, applies_to: &str) -> WaitFor {
        if self.misuse.is_none() {
            self.misuse = Some(format!(
                "WaitFor::{what} applies to {applies_to}, not to: {self}"
            ));
        }
        self
    }

    /// For a log condition: `n` matching lines, not one (postgres says it is ready twice,
    /// the first time for a set-up server it stops again).
    pub fn times(mut self, n: usize) -> WaitFor {
        match &mut self.kind {
            Kind::Line(wait) => {
                wait.times = n.max(1);
                self
            }
            _ => self.misused("times", "a log condition (log_line, stdout_line, ...)"),
        }
    }

    /// For [`http`](Self::http): the status that means ready, in place of any 2xx.
    pub fn status(mut self, code: u16) -> WaitFor {
        match &mut self.kind {
            Kind::Http { status, .. } => {
                *status = Some(code);
                self
            }
            _ => self.misused("status", "WaitFor::http"),
        }
    }

    /// For [`port`](Self::port) and [`http`](Self::http), and every such condition in
    /// this one: connect to `host` with the port as published, in place of the address of
    /// [`Container::host_port`].
    ///
    /// For engines whose published ports the loopback address does not reach: an engine
    /// in a virtual machine or in a network namespace of its own, reached through a link
    /// address (`dial_host("10.119.1.2".parse()?)`), or a test that runs in a container
    /// beside the engine's (the gateway's address).
    pub fn dial_host(mut self, host: IpAddr) -> WaitFor {
        if self.set_dial(Dial::Host(host)) == 0 {
            return self.misused("dial_host", "WaitFor::port and WaitFor::http");
        }
        self
    }

    /// For [`port`](Self::port) and [`http`](Self::http), and every such condition in
    /// this one: connect to `address` exactly, whatever the container publishes (a relay,
    /// a tunnel, a port forwarded by hand). The container's bindings are not looked at.
    pub fn dial_addr(mut self, address: SocketAddr) -> WaitFor {
        if self.set_dial(Dial::Addr(address)) == 0 {
            return self.misused("dial_addr", "WaitFor::port and WaitFor::http");
        }
        self
    }

    /// Sets `dial` on every port and HTTP condition; returns how many.
    fn set_dial(&mut self, to: Dial) -> usize {
        match &mut self.kind {
            Kind::Port { dial, .. } | Kind::Http { dial, .. } => {
                *dial = to;
                1
            }
            Kind::All(list) | Kind::Any(list) => list.iter_mut().map(|c| c.set_dial(to)).sum(),
            _ => 0,
        }
    }

    /// The first misuse of a modifier, here or inside.
    fn misuse(&self) -> Option<&str> {
        self.misuse.as_deref().or_else(|| match &self.kind {
            Kind::All(list) | Kind::Any(list) => list.iter().find_map(WaitFor::misuse),
            _ => None,
        })
    }
}

/// What it waits for, in words: the error of a wait that failed says it.
impl fmt::Display for WaitFor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Line(wait) => {
                let streams = match wait.streams {
                    Streams::Both => "its output",
                    Streams::Stdout => "its stdout",
                    Streams::Stderr => "its stderr",
                };
                match &wait.matcher {
                    Matcher::Contains(text) => {
                        write!(f, "a line of {streams} containing {text:?}")?
                    }
                    Matcher::Predicate { what, .. } => write!(f, "{what} in {streams}")?,
                }
                if wait.times > 1 {
                    write!(f, " ({} times)", wait.times)?;
                }
                Ok(())
            }
            Kind::Healthy => f.write_str("its health check to pass (healthy)"),
            Kind::Port { port, dial } => {
                write!(f, "port {port}/tcp to accept connections")?;
                write_dial(f, dial)
            }
            Kind::Http {
                port,
                path,
                status,
                dial,
            } => {
                write!(f, "GET {path} on port {port}/tcp to answer ")?;
                match status {
                    Some(code) => write!(f, "{code}")?,
                    None => f.write_str("2xx")?,
                }
                write_dial(f, dial)
            }
            Kind::Exec(cmd) => write!(f, "`{}` to exit with code 0", cmd.join(" ")),
            Kind::All(list) | Kind::Any(list) => {
                let word = if matches!(self.kind, Kind::All(_)) {
                    "all"
                } else {
                    "any"
                };
                write!(f, "{word} of [")?;
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("]")
            }
        }
    }
}

fn write_dial(f: &mut fmt::Formatter<'_>, dial: &Dial) -> fmt::Result {
    match dial {
        Dial::Published => Ok(()),
        Dial::Host(host) => write!(f, " (dialled at {host})"),
        Dial::Addr(address) => write!(f, " (dialled at {address})"),
    }
}

#[cfg(test)]
mod tests;
