//! Error mapping: what a request was ([`Failure`]), to turn transport, timeout and TLS
//! failures into [`Error`]s that say what to do.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
#[cfg(feature = "tls")]
use crate::transport;
use crate::transport::Endpoint;

/// What a request was, for turning its failures into our errors: one per request, kept by
/// its response and stream.
#[derive(Clone)]
pub(crate) struct Failure {
    /// For describing TLS failures (unused without TLS).
    #[cfg_attr(not(feature = "tls"), allow(dead_code))]
    pub(super) endpoint: Arc<Endpoint>,
    /// `METHOD /path`.
    pub(super) context: String,
    /// The connect timeout.
    pub(super) connect: Duration,
    /// The whole-request deadline (ordinary calls).
    pub(super) deadline: Duration,
    /// The idle timeout (streams that asked for one).
    pub(super) idle: Option<Duration>,
}

impl Failure {
    pub(crate) fn context(&self) -> &str {
        &self.context
    }

    pub(super) fn ureq(&self, e: ureq::Error) -> Error {
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
        // Over ssh, the connection's own ssh words are in `source` already (transport/ssh.rs).
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
