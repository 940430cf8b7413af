//! Waiting for a container: conditions, options, and what the wait returns.

use serde::Deserialize;

#[cfg(doc)]
use super::Container;
use crate::client::{CancelHandle, Response};
use crate::error::{Error, Result};

/// Why [`Container::wait`] returned.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct WaitResult {
    /// The exit code.
    pub status_code: i64,
    /// What went wrong while waiting, if anything.
    pub error: Option<WaitError>,
}

/// An error reported by a wait.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct WaitError {
    /// The engine's message.
    pub message: String,
}

/// What [`Container::wait_with`] waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitCondition {
    /// The container is not running (it may not have started yet): the default.
    NotRunning,
    /// The container's next exit, even when it is not running yet.
    NextExit,
    /// The container is removed.
    Removed,
}

impl WaitCondition {
    /// The engine's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitCondition::NotRunning => "not-running",
            WaitCondition::NextExit => "next-exit",
            WaitCondition::Removed => "removed",
        }
    }
}

/// Options for [`Container::wait_with`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct WaitOptions {
    pub(super) condition: Option<WaitCondition>,
}

impl WaitOptions {
    /// Wait until the container is not running.
    pub fn new() -> Self {
        Self::default()
    }

    /// Wait for `condition` instead.
    pub fn condition(mut self, condition: WaitCondition) -> Self {
        self.condition = Some(condition);
        self
    }
}

/// A wait under way: see [`Container::wait_with`].
#[derive(Debug)]
pub struct Waiting {
    pub(super) response: Response,
    pub(super) cancel: CancelHandle,
}

impl Waiting {
    /// A handle that stops this stream from another thread (see [`CancelHandle`]): here
    /// [`result`](Self::result) then returns [`Error::Cancelled`].
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Blocks until the condition is met (or the wait is cancelled).
    pub fn result(self) -> Result<WaitResult> {
        let Waiting { response, cancel } = self;
        let context = response.context().to_string();
        response.json().map_err(|e| {
            if cancel.is_cancelled() {
                Error::Cancelled { context }
            } else {
                e
            }
        })
    }
}
