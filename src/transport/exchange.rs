//! What the request path and the socket layer tell each other about the one request a
//! thread is sending: ureq runs a request on the caller's thread from start to end, and
//! gives neither side a way to pass this through.
//!
//! - A streamed body that the engine stops reading (it answered early: no such container, a
//!   refused tag) fails a write with `EPIPE`/`ECONNRESET`. The transport then drops the rest
//!   of the body ([`refuse`]), the body ends ([`Body`] reads as empty), and ureq goes on to
//!   read the engine's answer, which is already on its way.
//! - With `Expect: 100-continue` the engine's early answer is read while ureq waits for
//!   `100 Continue`; ureq leaves it in the buffer unparsed. The transport offers it once
//!   more when ureq goes on to read the answer ([`is_awaiting_body`]).
//! - Whether the request went out on a connection that had carried an earlier one: only
//!   then is a failure before any answer worth a retry (the engine or a proxy closed an
//!   idle kept-alive connection just as the request went out).

use std::cell::Cell;
use std::io::{self, Read};

/// The state of the streamed body of the request this thread is sending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum BodyState {
    /// No streamed body (none, or bytes).
    #[default]
    None,
    /// A streamed body of which nothing was read yet: ureq may be waiting for
    /// `100 Continue`.
    Waiting,
    /// Being sent.
    Sending,
    /// The engine stopped reading it: the rest is not sent.
    Refused,
}

#[derive(Clone, Copy, Debug, Default)]
struct State {
    body: BodyState,
    /// Set by the transport at the request's first write.
    reused: Option<bool>,
}

thread_local! {
    static STATE: Cell<State> = const { Cell::new(State { body: BodyState::None, reused: None }) };
}

fn update(f: impl FnOnce(&mut State)) {
    STATE.with(|s| {
        let mut state = s.get();
        f(&mut state);
        s.set(state);
    });
}

fn get() -> State {
    STATE.with(Cell::get)
}

/// Starts a request on this thread, with a streamed body or not.
pub(crate) fn begin(streamed_body: bool) {
    STATE.with(|s| {
        s.set(State {
            body: if streamed_body {
                BodyState::Waiting
            } else {
                BodyState::None
            },
            reused: None,
        })
    });
}

/// Ends the request: nothing is left for the next one.
pub(crate) fn end() {
    STATE.with(|s| s.set(State::default()));
}

/// Whether the request went out on a connection that had carried an earlier request
/// (`false` when it was not sent at all).
pub(crate) fn was_reused() -> bool {
    get().reused == Some(true)
}

/// For the transport, at each write: records, at the request's first, whether the
/// connection is a reused one (`served` requests before). Returns true for the first.
pub(super) fn first_write(served: u64) -> bool {
    let mut first = false;
    update(|s| {
        if s.reused.is_none() {
            s.reused = Some(served > 0);
            first = true;
        }
    });
    first
}

/// For the transport: true while a streamed body is being sent, so a write that finds the
/// connection closed means the engine stopped reading it.
pub(super) fn is_sending_body() -> bool {
    get().body == BodyState::Sending
}

/// For the transport: true while ureq waits for `100 Continue`, before any byte of the body.
pub(super) fn is_awaiting_body() -> bool {
    get().body == BodyState::Waiting
}

/// For the transport: the engine stopped reading the body; its answer is to be read.
pub(super) fn refuse() {
    update(|s| s.body = BodyState::Refused);
}

/// A streamed request body that ends early, once the engine has stopped reading it.
pub(crate) struct Body<R> {
    inner: R,
}

impl<R> Body<R> {
    pub(crate) fn new(inner: R) -> Self {
        Body { inner }
    }
}

impl<R: Read> Read for Body<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match get().body {
            BodyState::Refused => Ok(0),
            BodyState::Waiting => {
                update(|s| s.body = BodyState::Sending);
                self.inner.read(buf)
            }
            _ => self.inner.read(buf),
        }
    }
}
