//! [`Container::wait_until`]: checks the conditions of a [`WaitFor`] until they are met,
//! the deadline passes, or the container stops.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::not_ready::{NotReady, NotReadyCause};
use super::watch::Watch;
use super::{Dial, Kind, LineWait, WaitFor};
use crate::container::ports::published_address;
use crate::container::{Container, ContainerInspect, ContainerStatus, HealthStatus, PortProtocol};
use crate::error::{Error, Result};
use crate::exec::ExecConfig;

/// How often the conditions are checked (a matching log line wakes the wait at once).
const POLL: Duration = Duration::from_millis(200);
/// The longest a single connection attempt may take.
const DIAL: Duration = Duration::from_secs(2);
/// How long a connection must stay open to count: a proxy with nothing behind it closes
/// it within a millisecond or two.
const PROXY_GRACE: Duration = Duration::from_millis(250);
/// How long to wait for the log reader to see the end of a stopped container's output.
const DRAIN: Duration = Duration::from_secs(5);

impl Container {
    /// Waits until the container is ready, as `condition` says, for at most `timeout`:
    /// the checks run about five times a second (a log line is seen as it comes), and each
    /// connection or command they make is cut at the deadline.
    ///
    /// The wait fails with [`Error::NotReady`] when the deadline passes, when the container
    /// stops (exits or dies, with no restart policy to bring it back) or is removed first,
    /// or at once for [`WaitFor::healthy`] without a health check. The error says what was
    /// awaited, what was still missing and why, the container's state (its exit code when
    /// it exited), and its last lines of output. A condition used wrongly
    /// ([`WaitFor::status`] on a log condition, ...) is [`Error::Setting`]; an engine that
    /// cannot be reached is the usual error.
    ///
    /// Start the container first (or from another thread): a container that never starts
    /// is not ready.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use std::time::Duration;
    /// use dockhand::{ContainerConfig, Docker, HostConfig};
    /// use dockhand::container::{PortBinding, WaitFor};
    /// let docker = Docker::from_env()?;
    /// let config = ContainerConfig::new("nginx").expose("80").host_config(
    ///     HostConfig::new().publish("80", PortBinding::new("127.0.0.1", "")),
    /// );
    /// let web = docker.containers().create_guarded(&config)?;
    /// web.start()?;
    /// web.wait_until(&WaitFor::http(80, "/").status(200), Duration::from_secs(30))?;
    /// let address = web.host_port(80)?;
    /// # Ok(()) }
    /// ```
    pub fn wait_until(&self, condition: &WaitFor, timeout: Duration) -> Result<()> {
        if let Some(misuse) = condition.misuse() {
            return Err(Error::setting(
                "WaitFor",
                &condition.to_string(),
                misuse.to_string(),
            ));
        }
        Waiter::new(self, condition, timeout).run()
    }
}

/// One condition that is not a combination, and what its checks found.
struct Probe<'a> {
    condition: &'a WaitFor,
    met: bool,
    /// What the last check saw, when it failed.
    last: Option<String>,
    /// For a log condition: its place among the log reader's counts.
    log_index: Option<usize>,
}

/// The tree of a condition, its leaves as indices into the probes.
enum Node {
    Leaf(usize),
    All(Vec<Node>),
    Any(Vec<Node>),
}

impl Node {
    fn build<'a>(
        condition: &'a WaitFor,
        probes: &mut Vec<Probe<'a>>,
        logs: &mut Vec<LineWait>,
    ) -> Node {
        match &condition.kind {
            Kind::All(list) => {
                Node::All(list.iter().map(|c| Node::build(c, probes, logs)).collect())
            }
            Kind::Any(list) => {
                Node::Any(list.iter().map(|c| Node::build(c, probes, logs)).collect())
            }
            kind => {
                let log_index = match kind {
                    Kind::Line(wait) => {
                        logs.push(wait.clone());
                        Some(logs.len() - 1)
                    }
                    _ => None,
                };
                probes.push(Probe {
                    condition,
                    met: false,
                    last: None,
                    log_index,
                });
                Node::Leaf(probes.len() - 1)
            }
        }
    }

    fn met(&self, probes: &[Probe]) -> bool {
        match self {
            Node::Leaf(i) => probes[*i].met,
            Node::All(list) => list.iter().all(|n| n.met(probes)),
            Node::Any(list) => list.iter().any(|n| n.met(probes)),
        }
    }
}

struct Waiter<'a> {
    container: &'a Container,
    condition: &'a WaitFor,
    root: Node,
    probes: Vec<Probe<'a>>,
    watch: Watch,
    wake: mpsc::Receiver<()>,
    started: Instant,
    deadline: Instant,
    http: ureq::Agent,
}

impl<'a> Waiter<'a> {
    fn new(container: &'a Container, condition: &'a WaitFor, timeout: Duration) -> Waiter<'a> {
        let mut probes = Vec::new();
        let mut logs = Vec::new();
        let root = Node::build(condition, &mut probes, &mut logs);
        let (sender, wake) = mpsc::channel();
        let started = Instant::now();
        let http = http_agent();
        Waiter {
            container,
            condition,
            root,
            probes,
            // The log is read whatever the conditions: its last lines go into the error.
            watch: Watch::new(container, logs, sender),
            wake,
            started,
            deadline: started + timeout,
            http,
        }
    }

    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    fn run(mut self) -> Result<()> {
        self.watch.restart();
        loop {
            let inspect = match self.container.inspect() {
                Ok(inspect) => Some(inspect),
                Err(e) if e.is_not_found() => None,
                Err(e) => return Err(e),
            };
            let running = inspect.as_ref().is_some_and(|i| i.state.running);
            if running && self.watch.seen().ended && self.watch.seen().error.is_none() {
                // The engine ended the read before the container ran: read it again.
                self.watch.restart();
            }
            if let Some(cause) = self.check(inspect.as_ref()) {
                return Err(self.fail(cause, inspect));
            }
            if self.root.met(&self.probes) {
                return Ok(());
            }
            let stopped = match &inspect {
                None => Some(NotReadyCause::Removed),
                Some(i) if is_stopped_for_good(i) => Some(NotReadyCause::Stopped),
                Some(_) => None,
            };
            if let Some(cause) = stopped {
                // Its output is complete now: read all of it once more, as a read begun
                // before it ran ended early.
                if inspect.is_some() {
                    self.watch.restart();
                    self.watch
                        .wait_ended(Instant::now() + DRAIN.min(self.remaining()));
                }
                self.check_logs();
                if self.root.met(&self.probes) {
                    return Ok(());
                }
                return Err(self.fail(cause, inspect));
            }
            if Instant::now() >= self.deadline {
                return Err(self.fail(NotReadyCause::Timeout, inspect));
            }
            let _ = self.wake.recv_timeout(POLL.min(self.remaining()));
        }
    }

    /// Checks every condition not met yet; a cause when one can never be met.
    fn check(&mut self, inspect: Option<&ContainerInspect>) -> Option<NotReadyCause> {
        self.check_logs();
        let inspect = inspect?;
        for i in 0..self.probes.len() {
            if self.probes[i].met || self.probes[i].log_index.is_some() {
                continue;
            }
            let condition = self.probes[i].condition;
            let result = match &condition.kind {
                Kind::Healthy => match check_health(inspect) {
                    Err(Health::Never) => {
                        self.probes[i].last = Some("it has no health check".into());
                        return Some(NotReadyCause::NoHealthCheck);
                    }
                    Err(Health::NotYet(why)) => Err(why),
                    Ok(()) => Ok(()),
                },
                Kind::Port { port, dial } => self
                    .address(inspect, *port, dial)
                    .and_then(|a| self.check_tcp(a)),
                Kind::Http {
                    port,
                    path,
                    status,
                    dial,
                } => self
                    .address(inspect, *port, dial)
                    .and_then(|a| self.check_http(a, path, *status)),
                Kind::Exec(cmd) if inspect.state.running => self.check_exec(cmd),
                Kind::Exec(_) => Err(format!("it is {}, not running", inspect.state.status)),
                Kind::Line(_) | Kind::All(_) | Kind::Any(_) => continue,
            };
            match result {
                Ok(()) => self.probes[i].met = true,
                // An attempt that the deadline cut short does not hide what the one
                // before it saw.
                Err(_) if Instant::now() >= self.deadline && self.probes[i].last.is_some() => {}
                Err(why) => self.probes[i].last = Some(why),
            }
        }
        None
    }

    fn check_logs(&mut self) {
        let seen = self.watch.seen();
        for probe in &mut self.probes {
            let (Some(index), Kind::Line(wait)) = (probe.log_index, &probe.condition.kind) else {
                continue;
            };
            if probe.met {
                continue;
            }
            let count = seen.counts[index];
            if count >= wait.times {
                probe.met = true;
                continue;
            }
            probe.last = Some(match &seen.error {
                Some(error) => error.clone(),
                None if wait.times > 1 => format!("seen {count} of {} times", wait.times),
                None => "not seen yet".into(),
            });
        }
    }

    /// Where a port or HTTP condition connects.
    fn address(
        &self,
        inspect: &ContainerInspect,
        port: u16,
        dial: &Dial,
    ) -> std::result::Result<SocketAddr, String> {
        let published = || {
            published_address(
                self.container.docker().settings(),
                self.container.id(),
                inspect,
                port,
                PortProtocol::Tcp,
            )
            .map_err(|e| e.to_string())
        };
        match dial {
            Dial::Addr(address) => Ok(*address),
            Dial::Host(host) => Ok(SocketAddr::new(*host, published()?.port())),
            Dial::Published => published(),
        }
    }

    /// The time one attempt may take: up to [`DIAL`], never past the deadline.
    fn attempt(&self) -> Duration {
        DIAL.min(self.remaining()).max(Duration::from_millis(1))
    }

    fn check_tcp(&self, address: SocketAddr) -> std::result::Result<(), String> {
        let grace = PROXY_GRACE
            .min(self.remaining())
            .max(Duration::from_millis(1));
        dial_tcp(address, self.attempt(), grace)
    }

    fn check_http(
        &self,
        address: SocketAddr,
        path: &str,
        status: Option<u16>,
    ) -> std::result::Result<(), String> {
        get_http(&self.http, address, path, status, self.attempt())
    }

    fn check_exec(&self, cmd: &[String]) -> std::result::Result<(), String> {
        let failed = |e: Error| format!("`{}`: {e}", cmd.join(" "));
        let exec = self
            .container
            .create_exec(&ExecConfig::new(cmd.iter().cloned()))
            .map_err(failed)?;
        let stream = exec.start().map_err(failed)?;
        let watchdog = {
            let cancel = stream.cancel_handle();
            let (stop, stopped) = mpsc::channel::<()>();
            let remaining = self.remaining();
            std::thread::spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(remaining) {
                    cancel.cancel();
                }
            });
            stop
        };
        let output = stream.collect_output();
        drop(watchdog);
        let output = output.map_err(failed)?;
        let code = loop {
            let state = exec.inspect().map_err(failed)?;
            if let (false, Some(code)) = (state.running, state.exit_code) {
                break code;
            }
            if Instant::now() >= self.deadline {
                return Err(format!("`{}` still ran at the deadline", cmd.join(" ")));
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        if code == 0 {
            return Ok(());
        }
        let said = if output.stderr.is_empty() {
            output.stdout_text()
        } else {
            output.stderr_text()
        };
        let said = last_line(&said);
        Err(if said.is_empty() {
            format!("`{}` exited with code {code}", cmd.join(" "))
        } else {
            format!("`{}` exited with code {code}: {said}", cmd.join(" "))
        })
    }

    fn fail(mut self, cause: NotReadyCause, inspect: Option<ContainerInspect>) -> Error {
        self.watch.stop();
        let seen = self.watch.seen();
        let last_lines = seen.last.iter().cloned().collect();
        drop(seen);
        let mut dials = false;
        let mut unmet = Vec::new();
        for probe in self.probes.iter().filter(|p| !p.met) {
            dials |= matches!(probe.condition.kind, Kind::Port { .. } | Kind::Http { .. });
            unmet.push(match &probe.last {
                Some(last) => format!("{} ({last})", probe.condition),
                None => probe.condition.to_string(),
            });
        }
        Error::NotReady(Box::new(NotReady {
            container: self.container.id().to_string(),
            cause,
            awaited: self.condition.to_string(),
            unmet,
            waited: self.started.elapsed(),
            state: inspect.map(|i| i.state),
            last_lines,
            dials,
        }))
    }
}

/// Connects to `address`; ready when the connection stays open for `grace` or the server
/// speaks first. A proxy in front of the port (`docker-proxy`, a relay) accepts at once and
/// closes when nothing listens behind it: that is not ready.
pub(super) fn dial_tcp(
    address: SocketAddr,
    attempt: Duration,
    grace: Duration,
) -> std::result::Result<(), String> {
    let mut stream =
        TcpStream::connect_timeout(&address, attempt).map_err(|e| format!("{address}: {e}"))?;
    stream
        .set_read_timeout(Some(grace))
        .map_err(|e| format!("{address}: {e}"))?;
    match stream.read(&mut [0u8; 1]) {
        Ok(0) => Err(format!(
            "{address}: accepted, then closed at once (a proxy with nothing listening behind it)"
        )),
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(format!("{address}: accepted, then {e}")),
    }
}

/// `GET path` at `address`: ready on `status`, else on any 2xx.
pub(super) fn get_http(
    agent: &ureq::Agent,
    address: SocketAddr,
    path: &str,
    status: Option<u16>,
    attempt: Duration,
) -> std::result::Result<(), String> {
    let url = format!("http://{address}{path}");
    let response = agent
        .get(&url)
        .config()
        .timeout_global(Some(attempt))
        .build()
        .call()
        .map_err(|e| format!("GET {url}: {e}"))?;
    let code = response.status().as_u16();
    let ready = match status {
        Some(wanted) => code == wanted,
        None => (200..300).contains(&code),
    };
    if ready {
        Ok(())
    } else {
        Err(format!("GET {url} answered {code}"))
    }
}

/// An agent for readiness checks: no proxy from the environment, statuses as answers,
/// redirects not followed.
pub(super) fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// The last non-empty line of a command's output, shortened.
pub(super) fn last_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let line = line.trim();
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_string(),
    }
}

/// Whether a container stopped and nothing will start it again.
pub(super) fn is_stopped_for_good(inspect: &ContainerInspect) -> bool {
    let state = &inspect.state;
    let stopped = matches!(
        state.status,
        ContainerStatus::Exited | ContainerStatus::Dead
    );
    let policy = inspect
        .host_config
        .restart_policy
        .as_ref()
        .map_or("", |p| p.name.as_str());
    stopped && !state.restarting && matches!(policy, "" | "no")
}

pub(super) enum Health {
    /// It has no health check.
    Never,
    NotYet(String),
}

pub(super) fn check_health(inspect: &ContainerInspect) -> std::result::Result<(), Health> {
    let state = &inspect.state;
    let health = match &state.health {
        // Podman reports `""` for a container without a check.
        Some(health) if !matches!(health.status.as_str(), "none" | "") => health,
        _ => {
            let test = inspect
                .config
                .healthcheck
                .as_ref()
                .and_then(|h| h.test.as_ref());
            let none = test.is_none_or(|t| t.first().is_some_and(|w| w == "NONE"));
            // Before it starts, an engine may not report the health of a container that
            // has a check in its image: only a running one tells.
            return if none && state.running {
                Err(Health::Never)
            } else {
                Err(Health::NotYet(format!(
                    "it is {}, health not reported yet",
                    state.status
                )))
            };
        }
    };
    if health.status == HealthStatus::Healthy {
        return Ok(());
    }
    let mut why = format!("health {}", health.status);
    if let Some(last) = health.log.last() {
        why.push_str(&format!(", last check exited {}", last.exit_code));
        let said = last_line(&last.output);
        if !said.is_empty() {
            why.push_str(&format!(": {said}"));
        }
    }
    Err(Health::NotYet(why))
}
