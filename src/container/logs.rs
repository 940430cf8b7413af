//! Logs: what to read, and reading a container's, service's or task's logs as an
//! [`OutputStream`].

use std::time::Duration;

#[cfg(doc)]
use super::Container;
use crate::client::Docker;
use crate::error::Result;
use crate::settings::ApiVersion;
use crate::stream::{framing_from_content_type, Framing, OutputStream};
use crate::system::Timestamp;

/// What to read with [`Container::logs`].
#[derive(Clone, Debug)]
#[must_use]
pub struct LogsOptions {
    stdout: bool,
    stderr: bool,
    follow: bool,
    timestamps: bool,
    details: bool,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    tail: Option<String>,
    idle_timeout: Option<Duration>,
}

impl Default for LogsOptions {
    fn default() -> Self {
        LogsOptions {
            stdout: true,
            stderr: true,
            follow: false,
            timestamps: false,
            details: false,
            since: None,
            until: None,
            tail: None,
            idle_timeout: None,
        }
    }
}

impl LogsOptions {
    /// Both stdout and stderr, everything logged so far, not following.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include stdout.
    pub fn stdout(mut self, on: bool) -> Self {
        self.stdout = on;
        self
    }

    /// Include stderr.
    pub fn stderr(mut self, on: bool) -> Self {
        self.stderr = on;
        self
    }

    /// Keep reading as the container writes, until it stops (or the stream is cancelled).
    pub fn follow(mut self, on: bool) -> Self {
        self.follow = on;
        self
    }

    /// Prefix each line with its time.
    pub fn timestamps(mut self, on: bool) -> Self {
        self.timestamps = on;
        self
    }

    /// Prefix each line with its details: the log's attributes (for a service's or task's
    /// logs: the node, service and task ids) as `key=value,...` and a space.
    pub fn details(mut self, on: bool) -> Self {
        self.details = on;
        self
    }

    /// Only what was logged at or after this time: a
    /// [`SystemTime`](std::time::SystemTime), Unix seconds, [`Timestamp::ago`], or a date
    /// read by [`Timestamp::parse`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use dockhand::LogsOptions;
    /// use dockhand::system::Timestamp;
    /// let recent = LogsOptions::new().since(Timestamp::ago(Duration::from_secs(60)));
    /// ```
    pub fn since(mut self, time: impl Into<Timestamp>) -> Self {
        self.since = Some(time.into());
        self
    }

    /// Only what was logged before this time (the same forms as [`since`](Self::since);
    /// containers only).
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.until = Some(time.into());
        self
    }

    /// Only the last `n` lines.
    pub fn tail(mut self, n: u64) -> Self {
        self.tail = Some(n.to_string());
        self
    }

    /// Fail when nothing arrives for this long (off by default: a quiet container is not
    /// an error).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// Reads the logs at `path`: of a container, a service or a task. The framing comes from
/// the answer's content type (API 1.42 and later), else from the TTY setting that `tty`
/// looks up; engines before 1.42 send no content type for logs, so there it is looked up
/// first, and an object removed meanwhile fails before a stream is opened.
pub(crate) fn read_logs(
    docker: &Docker,
    path: String,
    options: &LogsOptions,
    tty: &dyn Fn() -> Result<bool>,
) -> Result<OutputStream> {
    let known = if docker.api_version()? < ApiVersion::new(1, 42) {
        Some(Framing::for_tty(tty()?))
    } else {
        None
    };
    let request = docker
        .get(path)
        .flag("stdout", options.stdout)
        .flag("stderr", options.stderr)
        .flag("follow", options.follow)
        .flag("timestamps", options.timestamps)
        .flag("details", options.details)
        .query_opt("since", options.since.map(Timestamp::to_query))
        .query_opt("until", options.until.map(Timestamp::to_query))
        .query_opt("tail", options.tail.as_deref())
        .streaming()
        .idle_timeout(options.idle_timeout);
    // Docker begins the answer at once; Podman 4.3 begins a followed log only with its
    // first line, which may be long in coming.
    let request = if options.follow && docker.is_libpod()? {
        request
    } else {
        request.prompt()
    };
    let response = request.send()?;
    let framing = match known {
        Some(framing) => framing,
        None => match framing_from_content_type(response.header("Content-Type")) {
            Some(framing) => framing,
            None => Framing::for_tty(tty()?),
        },
    };
    Ok(OutputStream::new(response.into_parts(), framing))
}
