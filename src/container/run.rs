//! [`Docker::run`](crate::Docker::run), like `docker run --rm` (and
//! [`Docker::run_with_input`](crate::Docker::run_with_input), like `docker run -i --rm`), and the
//! [`ContainerGuard`] that removes a container when dropped.

use std::io::Read;
use std::ops::Deref;

#[cfg(doc)]
use super::Containers;
use super::{Container, ContainerConfig, Created, LogsOptions, RemoveOptions};
use crate::client::Docker;
use crate::error::{Error, Result};
use crate::exec::AttachOptions;
use crate::stream::Output;

impl Docker {
    /// Runs a container to its end, like `docker run --rm` (or docker-py's
    /// `containers.run`): creates it, starts it, waits for it to exit, collects its stdout
    /// and stderr apart, and removes it, also when a step fails. A non-zero exit code is not
    /// an error: it is in [`RunOutput::exit_code`].
    ///
    /// The container gets no stdin, and its output is read from its logs once it has
    /// exited, so its logging driver must be one that can be read back (such as the
    /// default `json-file`). `AutoRemove` is turned off, as the output must be read
    /// first; the container is removed anyway. The image must be present (nothing is
    /// pulled).
    ///
    /// All the output is held in memory: [`run_with_limit`](Self::run_with_limit) caps
    /// it; for output of any size, create, start and read
    /// [`Container::logs`](super::Container::logs) as a stream.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{ContainerConfig, Docker};
    /// let docker = Docker::from_env()?;
    /// let out = docker.run(&ContainerConfig::new("busybox").cmd(["sh", "-c", "echo hi; exit 3"]))?;
    /// assert_eq!((out.exit_code, out.stdout_text().as_str()), (3, "hi\n"));
    /// # Ok(()) }
    /// ```
    pub fn run(&self, config: &ContainerConfig) -> Result<RunOutput> {
        self.run_inner(config, None)
    }

    /// [`run`](Self::run), holding at most `max_output` bytes of output (stdout and stderr
    /// together): more is an [`Error::TooLarge`] (the container is removed all the same),
    /// never an output cut short.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{ContainerConfig, Docker, Error};
    /// let docker = Docker::from_env()?;
    /// let config = ContainerConfig::new("busybox").cmd(["cat", "/etc/services"]);
    /// match docker.run_with_limit(&config, 1024 * 1024) {
    ///     Ok(out) => print!("{}", out.stdout_text()),
    ///     Err(Error::TooLarge { .. }) => eprintln!("more than 1 MiB of output"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn run_with_limit(&self, config: &ContainerConfig, max_output: u64) -> Result<RunOutput> {
        self.run_inner(config, Some(max_output))
    }

    fn run_inner(&self, config: &ContainerConfig, limit: Option<u64>) -> Result<RunOutput> {
        let mut config = config.clone();
        if let Some(host) = config.host_config.as_mut() {
            if host.auto_remove == Some(true) {
                host.auto_remove = Some(false);
            }
        }
        let container = self.containers().create_guarded(&config)?;
        container.start()?;
        let exit_code = exit_code(&container)?;
        let mut logs = container.logs(&LogsOptions::new())?;
        if let Some(limit) = limit {
            logs = logs.limit(limit);
        }
        let output = logs.collect_output()?;
        container.remove()?;
        Ok(RunOutput::new(exit_code, output))
    }

    /// Runs a container to its end with `input` as its stdin, like
    /// `docker run -i --rm IMAGE < input`: as [`run`](Self::run), but the container is made
    /// with its stdin open (`OpenStdin`, `StdinOnce`), attached to before it starts, and fed
    /// `input` from another thread while its output is read, so input and output of any
    /// size flow together. Its stdin is closed at the end of `input`, so a program that
    /// reads to the end (`cat`, `sh -s`, `psql`) then goes on to finish. The output comes
    /// through the attached connection, so any logging driver will do.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{ContainerConfig, Docker};
    /// let docker = Docker::from_env()?;
    /// let out = docker.run_with_input(
    ///     &ContainerConfig::new("busybox").cmd(["sh", "-s"]),
    ///     std::io::Cursor::new("echo from stdin; exit 4\n"),
    /// )?;
    /// assert_eq!((out.exit_code, out.stdout_text().as_str()), (4, "from stdin\n"));
    /// # Ok(()) }
    /// ```
    pub fn run_with_input(
        &self,
        config: &ContainerConfig,
        input: impl Read + Send + 'static,
    ) -> Result<RunOutput> {
        let mut config = config.clone();
        if let Some(host) = config.host_config.as_mut() {
            if host.auto_remove == Some(true) {
                host.auto_remove = Some(false);
            }
        }
        config.open_stdin = Some(true);
        config.stdin_once = Some(true);
        config.attach_stdin = Some(true);
        config.attach_stdout = Some(true);
        config.attach_stderr = Some(true);
        let container = self.containers().create_guarded(&config)?;
        // Attached before it starts, so that no output is missed and the input is there
        // when it first reads.
        let attached = container.attach(&AttachOptions::new().stdin(true))?;
        container.start()?;
        let output = attached.feed(input)?;
        let exit_code = exit_code(&container)?;
        container.remove()?;
        Ok(RunOutput::new(exit_code, output))
    }
}

/// Waits for a container to exit, and returns its exit code.
fn exit_code(container: &Container) -> Result<i64> {
    let waited = container.wait()?;
    if let Some(error) = waited.error.filter(|e| !e.message.is_empty()) {
        return Err(Error::Stream {
            message: format!("waiting for {}: {}", container.id(), error.message),
        });
    }
    Ok(waited.status_code)
}

/// What a program run to its end left: its exit code and its output, stdout and stderr
/// apart (a TTY's output is all in `stdout`). [`Docker::run`] gives it for a container,
/// [`Container::exec_run`] for a command run in one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunOutput {
    /// Its exit code (a container's: that of its main process).
    pub exit_code: i64,
    /// Everything it wrote to stdout.
    pub stdout: Vec<u8>,
    /// Everything it wrote to stderr.
    pub stderr: Vec<u8>,
}

impl RunOutput {
    pub(crate) fn new(exit_code: i64, output: Output) -> RunOutput {
        RunOutput {
            exit_code,
            stdout: output.stdout,
            stderr: output.stderr,
        }
    }

    /// Whether it exited with code 0.
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }

    /// stdout as text (invalid UTF-8 replaced).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stderr as text (invalid UTF-8 replaced).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A container that is removed (with force, and its anonymous volumes) when this guard is
/// dropped, also while a panic unwinds: made by [`Containers::create_guarded`], or around
/// any container with [`ContainerGuard::new`]. It derefs to the [`Container`].
///
/// Dropping cannot report a failure: it is logged (at warn level) and otherwise ignored.
/// Call [`remove`](Self::remove) to remove it and see the error, or
/// [`keep`](Self::keep) to keep the container.
#[derive(Debug)]
#[must_use = "the container is removed as soon as the guard is dropped"]
pub struct ContainerGuard {
    container: Container,
    warnings: Vec<String>,
    armed: bool,
}

impl ContainerGuard {
    /// Guards `container`: it is removed when the guard is dropped.
    pub fn new(container: Container) -> Self {
        ContainerGuard {
            container,
            warnings: Vec::new(),
            armed: true,
        }
    }

    pub(super) fn with_warnings(mut self, created: Created) -> Self {
        self.warnings = created.warnings.unwrap_or_default();
        self
    }

    /// The container.
    pub fn container(&self) -> &Container {
        &self.container
    }

    /// The engine's warnings about the configuration, when it was created here.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Removes the container now and reports how that went. A container that is already
    /// gone (removed by hand, or by `AutoRemove`) is not an error.
    pub fn remove(mut self) -> Result<()> {
        self.armed = false;
        remove_forcibly(&self.container)
    }

    /// Keeps the container: the guard lets go of it without removing it.
    pub fn keep(mut self) -> Container {
        self.armed = false;
        self.container.clone()
    }
}

/// Removes a container with force and its anonymous volumes; one that is gone, or being
/// removed already (`AutoRemove`), is not an error.
fn remove_forcibly(container: &Container) -> Result<()> {
    match container.remove(&RemoveOptions::new().force(true).volumes(true)) {
        Err(e) if e.is_not_found() => Ok(()),
        Err(Error::Engine {
            status: 409,
            message,
            ..
        }) if message.contains("already in progress") => Ok(()),
        other => other,
    }
}

impl Deref for ContainerGuard {
    type Target = Container;

    fn deref(&self) -> &Container {
        &self.container
    }
}

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Err(e) = remove_forcibly(&self.container) {
            log::warn!(
                target: "dockhand",
                "could not remove container {}: {e}",
                self.container.id()
            );
        }
    }
}
