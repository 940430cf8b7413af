//! What a readiness wait that failed reports: [`Error::NotReady`](crate::Error::NotReady).

use std::fmt;
use std::time::Duration;

#[cfg(doc)]
use super::WaitFor;
#[cfg(doc)]
use crate::container::Container;
use crate::container::{ContainerState, ContainerStatus};
use crate::stream::Line;

/// Why a readiness wait gave up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotReadyCause {
    /// The deadline passed.
    Timeout,
    /// The container stopped (exited, or died) and will not be restarted.
    Stopped,
    /// The container was removed (`AutoRemove`, or by someone else).
    Removed,
    /// [`WaitFor::healthy`] for a container that has no health check.
    NoHealthCheck,
}

/// A container that did not become ready, in [`Error::NotReady`](crate::Error::NotReady):
/// what was awaited, what was still missing and why, the container's state and its last
/// lines of output. Its `Display` says it all, with what to do.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct NotReady {
    /// The container, by the id or name it was asked for with.
    pub container: String,
    /// Why the wait gave up.
    pub cause: NotReadyCause,
    /// What was awaited, in words (the [`WaitFor`]'s `Display`).
    pub awaited: String,
    /// Each condition not met, with the last thing its check saw, such as
    /// `port 5432/tcp to accept connections (127.0.0.1:49153: connection refused)`.
    pub unmet: Vec<String>,
    /// How long it waited.
    pub waited: Duration,
    /// Its state when the wait gave up (`None`: it is gone): running or not, exit code,
    /// health.
    pub state: Option<ContainerState>,
    /// Its last lines of output (up to 20), stdout and stderr as they came.
    pub last_lines: Vec<Line>,
    /// Whether a port or HTTP condition is among the unmet ones (for the advice).
    pub(super) dials: bool,
}

impl NotReady {
    /// Whether the deadline passed (rather than the container stopping first).
    pub fn timed_out(&self) -> bool {
        self.cause == NotReadyCause::Timeout
    }

    /// The exit code of a container that stopped.
    pub fn exit_code(&self) -> Option<i64> {
        let state = self.state.as_ref()?;
        matches!(
            state.status,
            ContainerStatus::Exited | ContainerStatus::Dead
        )
        .then_some(state.exit_code)
    }
}

/// The state in words: `running`, `exited with code 1`, `removed`, ...
fn describe_state(state: Option<&ContainerState>) -> String {
    let Some(state) = state else {
        return "removed".into();
    };
    let mut text = match &state.status {
        ContainerStatus::Exited | ContainerStatus::Dead => {
            let mut t = format!("{} with code {}", state.status, state.exit_code);
            if state.oom_killed {
                t.push_str(", killed for want of memory");
            }
            t
        }
        ContainerStatus::Created => "created, never started".into(),
        ContainerStatus::Other(s) if s.is_empty() => "unknown".into(),
        status => status.to_string(),
    };
    if !state.error.is_empty() {
        text.push_str(&format!(" ({})", state.error));
    }
    if let Some(health) = &state.health {
        if !matches!(health.status.as_str(), "none" | "") {
            text.push_str(&format!(", health {}", health.status));
        }
    }
    text
}

impl fmt::Display for NotReady {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.container;
        match self.cause {
            NotReadyCause::Timeout => {
                write!(f, "container {c} was not ready within {:.1?}", self.waited)?
            }
            NotReadyCause::Stopped => write!(f, "container {c} stopped before it was ready")?,
            NotReadyCause::Removed => write!(f, "container {c} was removed before it was ready")?,
            NotReadyCause::NoHealthCheck => write!(
                f,
                "container {c} has no health check, so it never becomes healthy"
            )?,
        }
        write!(f, ": waited for {}", self.awaited)?;
        if !self.unmet.is_empty() && self.cause != NotReadyCause::NoHealthCheck {
            write!(f, "; not met: {}", self.unmet.join("; "))?;
        }
        write!(f, ". It is {}.", describe_state(self.state.as_ref()))?;
        if self.last_lines.is_empty() {
            f.write_str(" It wrote nothing.")?;
        } else {
            write!(f, " Its last {} lines:", self.last_lines.len())?;
            for line in &self.last_lines {
                let stream = if line.is_stderr() { "stderr" } else { "stdout" };
                write!(f, "\n  {stream}| {}", line.text())?;
            }
        }
        let advice = match self.cause {
            NotReadyCause::Stopped | NotReadyCause::Removed => {
                "Its last lines should say why it stopped."
            }
            NotReadyCause::NoHealthCheck => {
                "Give it one (ContainerConfig::healthcheck, or HEALTHCHECK in its image), \
                 or wait for something else."
            }
            NotReadyCause::Timeout
                if self
                    .state
                    .as_ref()
                    .is_some_and(|s| s.status == ContainerStatus::Created) =>
            {
                "Start it before waiting (or while waiting, from another thread)."
            }
            NotReadyCause::Timeout if self.dials => {
                "If it is only slow, give it more time. If it runs and listens but cannot be \
                 reached, the address dialled may be wrong: an engine in a virtual machine or \
                 in a network namespace of its own needs WaitFor::dial_host."
            }
            NotReadyCause::Timeout => "If it is only slow, give it more time.",
        };
        write!(f, "\n{advice}")
    }
}
