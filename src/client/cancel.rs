//! Stopping a stream from another thread: [`CancelHandle`] shuts its connection down.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use ureq::unversioned::transport::ShutdownHandle;

use super::Docker;
use crate::transport;

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
#[derive(Clone)]
pub struct CancelHandle {
    pub(super) target: CancelTarget,
    cancelled: Arc<AtomicBool>,
}

/// What a cancel shuts down.
#[derive(Clone)]
pub(super) enum CancelTarget {
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

impl Docker {
    /// A cancel handle for a stream not sent yet (see `Request::cancel_with`).
    pub(crate) fn cancel_handle(&self) -> CancelHandle {
        CancelHandle::new(self)
    }
}

impl CancelHandle {
    /// A handle with an agent of its own: one stream, one connection, shut down by
    /// [`cancel`](Self::cancel).
    pub(super) fn new(docker: &Docker) -> CancelHandle {
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
