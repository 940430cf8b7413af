//! [`Response`]: the engine's answer, read as JSON, text or a stream, and the daemon's
//! error bodies turned into [`Error::Engine`].

use std::fmt;
use std::io::{self, Read};

use serde::de::DeserializeOwned;
use ureq::http;

#[cfg(doc)]
use super::Request;
use super::{CancelHandle, Failure};
use crate::error::{Error, Result};

/// The engine's answer to a [`Request`]: status, headers, and a body to read as JSON, text
/// or a stream.
pub struct Response {
    pub(super) status: u16,
    pub(super) headers: http::HeaderMap,
    pub(super) body: ureq::BodyReader<'static>,
    pub(super) failure: Failure,
    pub(super) cancel: Option<CancelHandle>,
    /// The most [`bytes`](Self::bytes), [`text`](Self::text) and [`json`](Self::json) hold.
    pub(super) limit: Option<u64>,
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
pub(super) const ERROR_BODY_LIMIT: u64 = 64 * 1024;

impl Response {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every header as (lower-case name, value): one walk of the map instead of a lookup
    /// (a hash of the name) per header wanted.
    pub(crate) fn headers(&self) -> impl Iterator<Item = (&str, &http::HeaderValue)> {
        self.headers
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }

    /// The request this answers, as `METHOD /path`.
    pub fn context(&self) -> &str {
        &self.failure.context
    }

    /// A handle that stops this response's stream from another thread: `Some` for a
    /// [streaming](Request::streaming) request, `None` for an ordinary one (it shares the
    /// pool's connections, which a cancel must not cut). The typed streams made from a
    /// response always have one.
    pub fn cancel_handle(&self) -> Option<CancelHandle> {
        self.cancel.clone()
    }

    /// Caps what [`bytes`](Self::bytes), [`text`](Self::text) and [`json`](Self::json)
    /// hold: a body longer than `max_bytes` is an [`Error::TooLarge`], never a body cut
    /// short. Without it they hold the whole body, however large.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let listed: serde_json::Value = docker
    ///     .request("GET", "/containers/json")
    ///     .send()?
    ///     .limit(16 * 1024 * 1024)
    ///     .json()?;
    /// # Ok(()) }
    /// ```
    pub fn limit(mut self, max_bytes: u64) -> Response {
        self.limit = Some(max_bytes);
        self
    }

    /// Reads the whole body as bytes, all of it in memory (see [`limit`](Self::limit) to
    /// cap that, and [`into_reader`](Self::into_reader) to read in constant memory).
    pub fn bytes(mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let cap = self.limit.map_or(u64::MAX, |l| l.saturating_add(1));
        (&mut self.body)
            .take(cap)
            .read_to_end(&mut out)
            .map_err(|e| self.failure.io(e))?;
        match self.limit {
            Some(limit) if out.len() as u64 > limit => Err(Error::TooLarge {
                context: format!("the answer to {}", self.failure.context),
                limit,
            }),
            _ => Ok(out),
        }
    }

    /// Reads the whole body as text, all of it in memory (see [`limit`](Self::limit)).
    pub fn text(self) -> Result<String> {
        let context = self.failure.context.clone();
        String::from_utf8(self.bytes()?)
            .map_err(|e| Error::decode(format!("the answer to {context}"), e))
    }

    /// Reads the whole body as JSON into `T`, all of it in memory first (see
    /// [`limit`](Self::limit)).
    pub fn json<T: DeserializeOwned>(self) -> Result<T> {
        let context = self.failure.context.clone();
        let bytes = self.bytes()?;
        // Without the refused value: an answer can hold secrets (an environment, a token).
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::decode(
                format!("the answer to {context}"),
                crate::json::error_without_value(&e),
            )
        })
    }

    /// Reads and discards the body, so the connection can serve the next request. Nothing
    /// is held: [`limit`](Self::limit) does not apply.
    pub fn drain(mut self) -> Result<()> {
        let mut scrap = [0u8; 512];
        loop {
            match self.body.read(&mut scrap) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.failure.io(e)),
            }
        }
    }

    /// The body as a `Read`, for streams and large downloads, in constant memory.
    pub fn into_reader(self) -> impl Read + Send {
        self.body
    }

    pub(crate) fn into_parts(self) -> BodyParts {
        BodyParts {
            body: self.body,
            failure: self.failure,
            // Every stream comes from a streaming request, which has a handle; a body read
            // without one gets a handle that has nothing to shut down.
            cancel: self.cancel.unwrap_or_default(),
        }
    }

    pub(super) fn engine_error(mut self) -> Error {
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
pub(super) fn engine_message(raw: &[u8]) -> String {
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
    pub(crate) cancel: CancelHandle,
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
        self.cancel.is_cancelled()
    }
}
