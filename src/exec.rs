//! Exec and attach: run a command in a running container, or join a container's own
//! stdin, stdout and stderr; with input, over a connection the engine hands over.
//!
//! [`Container::exec_run`](crate::Container::exec_run) runs a command and returns its output
//! and exit code; [`Container::exec_run_with_input`](crate::Container::exec_run_with_input)
//! feeds it input first. For more control, create an [`Exec`] with
//! [`Container::create_exec`](crate::Container::create_exec) and start it attached
//! ([`Attached`]: a writer for stdin and a stream of output) or detached.
//!
//! ```no_run
//! use std::io::Cursor;
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let container = docker.container("web");
//! let out = container.exec_run(["cat", "/etc/hostname"])?;
//! print!("{} (exit {})", out.stdout_text(), out.exit_code);
//! let counted = container.exec_run_with_input(["wc", "-c"], Cursor::new(vec![b'x'; 1000]))?;
//! assert_eq!(counted.stdout_text().trim(), "1000");
//! # Ok(()) }
//! ```

use std::fmt;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::client::{encode_segment, object_id, CancelHandle, Docker, Upgraded};
use crate::container::{Container, RunOutput};
use crate::error::{Error, Result};
use crate::json::null_as_default;
use crate::stream::{Framing, Output, OutputStream};
use crate::transport::hijack::HijackWriter;

/// What to run with [`Container::create_exec`]: the body of `POST /containers/{id}/exec`,
/// with the Engine API's names.
///
/// ```
/// let config = dockhand::ExecConfig::new(["cat"]).stdin(true);
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ExecConfig {
    /// The command and its arguments.
    pub cmd: Vec<String>,
    /// Connect stdin (needed to write input).
    pub attach_stdin: bool,
    /// Collect stdout.
    pub attach_stdout: bool,
    /// Collect stderr.
    pub attach_stderr: bool,
    /// Give the command a TTY: output comes as one raw stream.
    pub tty: bool,
    /// Extra environment variables, as `KEY=value`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// The user to run as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// Run with extended privileges.
    pub privileged: bool,
    /// The key sequence that detaches (`ctrl-p,ctrl-q` by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detach_keys: Option<String>,
    /// Any other field of the exec body, by its API name (`ConsoleSize`, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ExecConfig {
    /// Runs `cmd`, collecting stdout and stderr, without stdin or a TTY.
    pub fn new<S: Into<String>>(cmd: impl IntoIterator<Item = S>) -> Self {
        ExecConfig {
            cmd: cmd.into_iter().map(Into::into).collect(),
            attach_stdout: true,
            attach_stderr: true,
            ..Default::default()
        }
    }

    /// Connects stdin, so that [`Exec::start_attached`] can write input.
    pub fn stdin(mut self, on: bool) -> Self {
        self.attach_stdin = on;
        self
    }

    /// Gives the command a TTY.
    pub fn tty(mut self, on: bool) -> Self {
        self.tty = on;
        self
    }

    /// Adds an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push(format!("{key}={value}"));
        self
    }

    /// Runs as this user.
    pub fn user(mut self, user: &str) -> Self {
        self.user = Some(user.to_string());
        self
    }

    /// Runs in this directory.
    pub fn working_dir(mut self, dir: &str) -> Self {
        self.working_dir = Some(dir.to_string());
        self
    }
}

/// An exec instance: a command created in a container, to start once.
#[derive(Clone, Debug)]
pub struct Exec {
    docker: Docker,
    id: String,
    /// Known when this handle created it; otherwise asked of the engine.
    tty: Option<bool>,
}

/// What the engine knows about an exec instance.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ExecInspect {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// The container it runs in.
    #[serde(rename = "ContainerID")]
    pub container_id: String,
    /// Whether it runs.
    pub running: bool,
    /// Its exit code, once it has exited.
    pub exit_code: Option<i64>,
    /// Whether stdin is open.
    pub open_stdin: bool,
    /// Its process id on the host.
    pub pid: i64,
    /// The command it runs.
    pub process_config: ProcessConfig,
}

/// The command of an exec instance.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct ProcessConfig {
    /// The program.
    pub entrypoint: String,
    /// Its arguments (Podman sends `null` for none).
    #[serde(deserialize_with = "null_as_default")]
    pub arguments: Vec<String>,
    /// Whether it has a TTY.
    pub tty: bool,
    /// The user it runs as.
    pub user: String,
    /// Whether it runs privileged.
    pub privileged: bool,
}

impl Docker {
    /// An exec instance by id (made with [`Container::create_exec`]).
    pub fn exec(&self, id: impl Into<String>) -> Exec {
        Exec {
            docker: self.clone(),
            id: id.into(),
            tty: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IdResponse {
    id: String,
}

impl Container {
    /// Creates an exec instance: a command to run in this (running) container.
    pub fn create_exec(&self, config: &ExecConfig) -> Result<Exec> {
        if config.cmd.is_empty() {
            return Err(Error::setting(
                "ExecConfig::cmd",
                "",
                "a command to run, such as [\"ls\", \"/\"]",
            ));
        }
        let docker = self.docker();
        let id = object_id("container id", self.id())?;
        let created: IdResponse = docker
            .post(format!("/containers/{}/exec", encode_segment(id)))
            .json(config)
            .send()?
            .json()?;
        Ok(Exec {
            docker: docker.clone(),
            id: created.id,
            tty: Some(config.tty),
        })
    }

    /// Runs a command and returns its exit code and output, as `docker exec` does: the
    /// same [`RunOutput`] as [`Docker::run`]'s. A non-zero exit code is not an error. All
    /// the output is held in memory: [`exec_run_with_limit`](Self::exec_run_with_limit)
    /// caps it; for output of any size, read [`Exec::start`]'s stream as it comes.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let done = docker.container("web").exec_run(["ls", "/"])?;
    /// print!("{}", done.stdout_text());
    /// # Ok(()) }
    /// ```
    pub fn exec_run<S: Into<String>>(&self, cmd: impl IntoIterator<Item = S>) -> Result<RunOutput> {
        let exec = self.create_exec(&ExecConfig::new(cmd))?;
        let output = exec.start()?.collect_output()?;
        Ok(RunOutput::new(exec.exit_code()?, output))
    }

    /// [`exec_run`](Self::exec_run), holding at most `max_output` bytes of output (stdout
    /// and stderr together): more is an [`Error::TooLarge`], never an output cut short. The
    /// connection is then closed; a command still writing gets a broken pipe.
    pub fn exec_run_with_limit<S: Into<String>>(
        &self,
        cmd: impl IntoIterator<Item = S>,
        max_output: u64,
    ) -> Result<RunOutput> {
        let exec = self.create_exec(&ExecConfig::new(cmd))?;
        let output = exec.start()?.limit(max_output).collect_output()?;
        Ok(RunOutput::new(exec.exit_code()?, output))
    }

    /// Runs a command with `input` as its stdin (sent from another thread while the output
    /// is read, so input and output of any size flow together), and returns its output and
    /// exit code. The input streams; the output is all held in memory.
    pub fn exec_run_with_input<S: Into<String>>(
        &self,
        cmd: impl IntoIterator<Item = S>,
        input: impl Read + Send + 'static,
    ) -> Result<RunOutput> {
        let exec = self.create_exec(&ExecConfig::new(cmd).stdin(true))?;
        let output = exec.start_attached()?.feed(input)?;
        Ok(RunOutput::new(exec.exit_code()?, output))
    }

    /// Attaches to the container's own stdin, stdout and stderr. Attach before `start` to
    /// miss nothing: the program's first input and output go through this connection.
    pub fn attach(&self, options: &AttachOptions) -> Result<Attached> {
        let docker = self.docker();
        let id = object_id("container id", self.id())?;
        let tty = self.inspect()?.config.tty.unwrap_or(false);
        let upgraded = docker
            .post(format!("/containers/{}/attach", encode_segment(id)))
            .flag("stream", true)
            .flag("stdin", options.stdin)
            .flag("stdout", options.stdout)
            .flag("stderr", options.stderr)
            .flag("logs", options.logs)
            .query_opt("detachKeys", options.detach_keys.as_deref())
            .send_upgrade()?;
        Ok(Attached::new(upgraded, Framing::for_tty(tty)))
    }
}

/// What [`Container::attach`] connects.
#[derive(Clone, Debug)]
#[must_use]
pub struct AttachOptions {
    stdin: bool,
    stdout: bool,
    stderr: bool,
    logs: bool,
    detach_keys: Option<String>,
}

impl Default for AttachOptions {
    fn default() -> Self {
        AttachOptions {
            stdin: false,
            stdout: true,
            stderr: true,
            logs: false,
            detach_keys: None,
        }
    }
}

impl AttachOptions {
    /// stdout and stderr, from now on.
    pub fn new() -> Self {
        Self::default()
    }

    /// Connect stdin too (the container needs `OpenStdin`).
    pub fn stdin(mut self, on: bool) -> Self {
        self.stdin = on;
        self
    }

    /// Connect stdout.
    pub fn stdout(mut self, on: bool) -> Self {
        self.stdout = on;
        self
    }

    /// Connect stderr.
    pub fn stderr(mut self, on: bool) -> Self {
        self.stderr = on;
        self
    }

    /// Replay what the container already wrote before going on live.
    pub fn logs(mut self, on: bool) -> Self {
        self.logs = on;
        self
    }

    /// The key sequence that detaches, such as `ctrl-x,x`.
    pub fn detach_keys(mut self, keys: &str) -> Self {
        self.detach_keys = Some(keys.to_string());
        self
    }
}

impl Exec {
    /// Its id.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("exec id", &self.id)?;
        Ok(format!("/exec/{}{tail}", encode_segment(id)))
    }

    fn tty(&self) -> Result<bool> {
        match self.tty {
            Some(tty) => Ok(tty),
            None => Ok(self.inspect()?.process_config.tty),
        }
    }

    fn start_body(&self, detach: bool) -> Result<serde_json::Value> {
        Ok(serde_json::json!({ "Detach": detach, "Tty": self.tty()? }))
    }

    /// Starts it in the background: the call returns at once.
    pub fn start_detached(&self) -> Result<()> {
        self.docker
            .post(self.path("/start")?)
            .json(&self.start_body(true)?)
            .send()?
            .drain()
    }

    /// Starts it and returns its output as a stream (without stdin). The stream has no
    /// deadline and ends when the command does.
    pub fn start(&self) -> Result<OutputStream> {
        let framing = Framing::for_tty(self.tty()?);
        let response = self
            .docker
            .post(self.path("/start")?)
            .json(&self.start_body(false)?)
            .streaming()
            .prompt()
            .send()?;
        Ok(OutputStream::new(response.into_parts(), framing))
    }

    /// Starts it with its stdin connected (the exec must have been created with
    /// [`ExecConfig::stdin`]): write the input, close it, read the output.
    pub fn start_attached(&self) -> Result<Attached> {
        let framing = Framing::for_tty(self.tty()?);
        let upgraded = self
            .docker
            .post(self.path("/start")?)
            .json(&self.start_body(false)?)
            .send_upgrade()?;
        Ok(Attached::new(upgraded, framing))
    }

    /// What the engine knows about it: running or not, exit code, command.
    pub fn inspect(&self) -> Result<ExecInspect> {
        self.docker.get(self.path("/json")?).send()?.json()
    }

    /// Resizes its TTY.
    pub fn resize(&self, height: u32, width: u32) -> Result<()> {
        self.docker
            .post(self.path("/resize")?)
            .query("h", &height.to_string())
            .query("w", &width.to_string())
            .send()?
            .drain()
    }

    /// The command's exit code, for after its output has ended: the engine records it a
    /// moment after the stream ends, so this asks until it has (for at most
    /// `DOCKER_TIMEOUT`; a command still running past that is an [`Error::Timeout`]).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::ExecConfig;
    /// let docker = dockhand::Docker::from_env()?;
    /// let exec = docker.container("web").create_exec(&ExecConfig::new(["make", "test"]))?;
    /// for chunk in exec.start()? {
    ///     print!("{}", String::from_utf8_lossy(&chunk?.data)); // as it comes
    /// }
    /// std::process::exit(exec.exit_code()? as i32);
    /// # }
    /// ```
    pub fn exit_code(&self) -> Result<i64> {
        let patience = self.docker.settings().timeout;
        let started = Instant::now();
        loop {
            let state = self.inspect()?;
            if let (false, Some(code)) = (state.running, state.exit_code) {
                return Ok(code);
            }
            if started.elapsed() > patience {
                return Err(Error::Timeout {
                    what: "request",
                    after: patience,
                    context: format!("waiting for the exit code of exec {}", self.id),
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A hijacked connection to a program: its input to write ([`Input`]) and its output to
/// read (an [`OutputStream`]), usable from two threads after [`split`](Self::split).
pub struct Attached {
    input: Input,
    output: OutputStream,
}

impl fmt::Debug for Attached {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attached")
            .field("output", &self.output)
            .finish()
    }
}

impl Attached {
    fn new(upgraded: Upgraded, framing: Framing) -> Attached {
        let Upgraded {
            reader,
            writer,
            failure,
            cancel,
            ..
        } = upgraded;
        Attached {
            input: Input { writer },
            output: OutputStream::from_reader(Box::new(reader), failure, cancel, framing),
        }
    }

    /// The input and the output, to use from different threads.
    pub fn split(self) -> (Input, OutputStream) {
        (self.input, self.output)
    }

    /// A handle that stops this stream from another thread (see [`CancelHandle`]): it
    /// cuts the connection, input and output.
    pub fn cancel_handle(&self) -> CancelHandle {
        self.output.cancel_handle()
    }

    /// Sends all of `input` (from another thread), closes it, and collects the output
    /// meanwhile: input and output of any size flow together.
    ///
    /// Returns as soon as the output ends, as `docker exec -i` does: a program that stops
    /// reading its input (`head -c 10`) and exits does not wait for the rest of the input to
    /// be sent. The connection is then shut, and input not yet sent is dropped (an input
    /// that blocks on a read is left to its thread, which ends at its next write).
    pub fn feed(self, mut input: impl Read + Send + 'static) -> Result<Output> {
        let (mut stdin, output) = self.split();
        let (sent, written) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = io::copy(&mut input, &mut stdin).and_then(|_| stdin.close());
            // Said before `stdin` is dropped (which closes it): when a failed read of the
            // input ends the program, and so the output, the failure is known by then.
            let _ = sent.send(result);
        });
        let collected = output.collect_output();
        // The output has ended and the connection is shut (see `HijackReader`): a write
        // that was under way has failed, or will at its next try. A result not yet sent
        // is of input the program no longer wanted.
        let written = match written.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => Ok(()),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err(io::Error::other("the thread writing the input panicked"))
            }
        };
        let output = collected?;
        // A program may exit without reading all its input: that is not our error.
        match written {
            Err(e)
                if e.kind() != io::ErrorKind::BrokenPipe
                    && e.kind() != io::ErrorKind::ConnectionReset =>
            {
                Err(Error::Transport {
                    context: "writing the input".into(),
                    source: e,
                })
            }
            _ => Ok(output),
        }
    }
}

/// The input of an attached program: write to it, then [`close`](Self::close) it so the
/// program reads end-of-file. Dropping it closes it too.
pub struct Input {
    writer: HijackWriter,
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Input").finish()
    }
}

impl Input {
    /// Ends the input: the program reads end-of-file; its output keeps coming.
    pub fn close(&mut self) -> io::Result<()> {
        self.writer.close_write()
    }
}

impl Write for Input {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.writer.write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        let _ = self.writer.close_write();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inspect_with_null_arguments_reads_as_none() {
        // Podman's answer for `sh` with no arguments.
        let inspect: ExecInspect = serde_json::from_str(
            r#"{"ID":"e1","ContainerID":"c1","Running":false,"ExitCode":0,"OpenStdin":false,
                "Pid":0,"ProcessConfig":{"entrypoint":"sh","arguments":null,"tty":false,
                "user":"","privileged":false}}"#,
        )
        .unwrap();
        assert_eq!(inspect.process_config.entrypoint, "sh");
        assert!(inspect.process_config.arguments.is_empty());
        assert_eq!(inspect.exit_code, Some(0));
    }
}
