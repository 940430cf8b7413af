//! Stopping a stream from another thread: [`CancelHandle`] shuts its connection down.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

use ureq::unversioned::transport::ShutdownHandle;

use super::Docker;
use crate::transport::{self, Endpoint};

/// Stops a stream from another thread: the blocked read returns at once and the stream
/// ends without an error (but [`Waiting::result`](crate::container::Waiting::result) is
/// [`Error::Cancelled`](crate::Error::Cancelled), and a
/// [`TarReader`](crate::container::TarReader)'s read fails, so that a cut archive is never
/// taken for a whole one).
///
/// Every stream gives its handle the same way, `stream.cancel_handle()`, a `CancelHandle`:
/// [`OutputStream`](crate::OutputStream) (logs, exec output),
/// [`JsonStream`](crate::JsonStream) (events, stats, pull, push, build, import, load, plugin
/// installs), [`Attached`](crate::exec::Attached) (attach, exec with input),
/// [`Waiting`](crate::container::Waiting) (wait), and [`TarReader`](crate::container::TarReader)
/// and [`Archive`](crate::container::Archive) (export, archives, image saves). Clone it
/// freely; cancelling is safe more than once and after the stream ended.
///
/// ```no_run
/// # fn main() -> dockhand::Result<()> {
/// use std::time::Duration;
/// use dockhand::{Docker, EventsOptions};
/// let docker = Docker::from_env()?;
/// let events = docker.events(&EventsOptions::new())?;
/// let cancel = events.cancel_handle();
/// std::thread::spawn(move || {
///     std::thread::sleep(Duration::from_secs(10));
///     cancel.cancel();
/// });
/// for event in events {
///     println!("{}", event?.action); // ends after ten seconds
/// }
/// # Ok(()) }
/// ```
///
/// To be able to stop a stream before the engine has even begun to answer, make the handle
/// first and start the stream through [`Docker::with_cancel`]:
///
/// ```no_run
/// # fn main() -> dockhand::Result<()> {
/// use dockhand::{CancelHandle, Docker, EventsOptions};
/// let docker = Docker::from_env()?;
/// let cancel = CancelHandle::new();
/// let stop = cancel.clone();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_secs(5));
///     stop.cancel();
/// });
/// for event in docker.with_cancel(&cancel).events(&EventsOptions::new())? {
///     println!("{}", event?.action);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CancelHandle {
    shared: Arc<Shared>,
}

struct Shared {
    cancelled: AtomicBool,
    targets: Mutex<Targets>,
}

/// What a cancel shuts down.
#[derive(Default)]
struct Targets {
    /// One agent for the streams of each client this handle was given to (known by its
    /// endpoint, which each client has its own of): shutting it down closes every
    /// connection it made, and refuses new ones.
    agents: Vec<(Arc<Endpoint>, ureq::Agent)>,
    /// Hijacked connections' sockets.
    sockets: Vec<Weak<dyn ShutdownHandle>>,
}

impl fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelHandle")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl Default for CancelHandle {
    fn default() -> Self {
        CancelHandle::new()
    }
}

/// The handle was cancelled before the connection was made.
pub(super) struct AlreadyCancelled;

impl CancelHandle {
    /// A handle for streams yet to start: give it to [`Docker::with_cancel`], and it stops
    /// the streams started through that client, even while they wait for the engine's
    /// first answer. Once cancelled, it stays so: a stream started with it afterwards
    /// fails at once with [`Error::Cancelled`](crate::Error::Cancelled).
    pub fn new() -> CancelHandle {
        CancelHandle {
            shared: Arc::new(Shared {
                cancelled: AtomicBool::new(false),
                targets: Mutex::new(Targets::default()),
            }),
        }
    }

    fn targets(&self) -> std::sync::MutexGuard<'_, Targets> {
        // Nothing that holds the lock can panic midway; a poisoned list is still whole.
        self.shared
            .targets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// The agent that sends `docker`'s streams under this handle: one connection per
    /// stream, none kept idle (the handle may outlive its streams, and must not hold a
    /// socket open).
    pub(super) fn agent_for(&self, docker: &Docker) -> Result<ureq::Agent, AlreadyCancelled> {
        let inner = &docker.inner;
        let mut targets = self.targets();
        // Checked under the lock that `cancel` takes: an agent added now is shut by it.
        if self.is_cancelled() {
            return Err(AlreadyCancelled);
        }
        let known = targets
            .agents
            .iter()
            .find(|(endpoint, _)| Arc::ptr_eq(endpoint, &inner.endpoint));
        if let Some((_, agent)) = known {
            return Ok(agent.clone());
        }
        let agent = transport::agent(&inner.endpoint, inner.stream_config.clone());
        targets.agents.push((inner.endpoint.clone(), agent.clone()));
        Ok(agent)
    }

    /// Adds a hijacked connection's socket to what [`cancel`](Self::cancel) shuts down;
    /// shuts it at once when the handle was cancelled already.
    pub(super) fn watch(&self, socket: Weak<dyn ShutdownHandle>) -> Result<(), AlreadyCancelled> {
        let mut targets = self.targets();
        if self.is_cancelled() {
            if let Some(socket) = socket.upgrade() {
                socket.shutdown();
            }
            return Err(AlreadyCancelled);
        }
        targets.sockets.retain(|s| s.strong_count() > 0);
        targets.sockets.push(socket);
        Ok(())
    }

    /// Cancels the streams. Safe to call more than once, and after they ended.
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::SeqCst);
        let targets = std::mem::take(&mut *self.targets());
        for (_, agent) in targets.agents {
            agent.shutdown();
        }
        for socket in targets.sockets {
            if let Some(socket) = socket.upgrade() {
                socket.shutdown();
            }
        }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::SeqCst)
    }
}
