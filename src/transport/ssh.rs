//! `ssh://` hosts, as the docker CLI reaches them: the system `ssh` runs
//! `docker system dial-stdio` on the host, and HTTP goes through its stdin and stdout.
//!
//! The child gets one end of a unix socket pair as both stdin and stdout, so our end is an
//! ordinary socket: read and write timeouts, half-close for end of input, and a shutdown
//! that cancels work exactly as for a local engine.
//!
//! Each connection keeps what its own `ssh` wrote to stderr: when that `ssh` fails, the
//! connection's error quotes it, and never the words of another connection to the host.

use std::fmt;
use std::io::{self, BufRead, BufReader};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{RawStream, Socket};
use crate::error::Error;

/// How much of ssh's own error output we keep for messages.
const STDERR_TAIL: usize = 2048;

/// An ssh host and how to reach it.
pub(crate) struct SshTarget {
    pub(crate) user: Option<String>,
    pub(crate) host: String,
    pub(crate) port: Option<u16>,
    /// Extra arguments for `ssh`, before the host (`-i key`, `-o Option=value`, ...).
    pub(crate) args: Vec<String>,
}

impl SshTarget {
    pub(crate) fn new(
        user: Option<String>,
        host: String,
        port: Option<u16>,
        args: Vec<String>,
    ) -> Self {
        SshTarget {
            user,
            host,
            port,
            args,
        }
    }
}

/// The end of what one `ssh` child wrote to stderr, and whether it has closed stderr.
#[derive(Default)]
struct Said {
    tail: Mutex<String>,
    closed: AtomicBool,
}

/// How long a connection that ended waits for its `ssh` to exit and finish its words.
const LAST_WORDS: Duration = Duration::from_millis(500);

/// The `ssh` process behind one connection, and what it said: killed and reaped when the
/// connection is dropped.
pub(crate) struct ChildGuard {
    child: Child,
    said: Arc<Said>,
}

impl fmt::Debug for ChildGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChildGuard({})", self.child.id())
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ChildGuard {
    /// A read of the connection, checked: an end of file or an error because this
    /// connection's `ssh` failed becomes an error that says so, in its words.
    pub(crate) fn check_read(
        &mut self,
        read: io::Result<usize>,
        wanted: bool,
    ) -> io::Result<usize> {
        match read {
            Ok(0) if wanted => self.failure(None).map_or(Ok(0), Err),
            Err(e) if !is_wait(&e) => Err(self.failure(Some(&e)).unwrap_or(e)),
            other => other,
        }
    }

    /// A write of the connection, checked as [`check_read`](Self::check_read) does.
    pub(crate) fn check_write(&mut self, written: io::Result<usize>) -> io::Result<usize> {
        match written {
            Err(e) if !is_wait(&e) => Err(self.failure(Some(&e)).unwrap_or(e)),
            other => other,
        }
    }

    /// When this `ssh` exited with a failure: an error that says so, with what it wrote to
    /// stderr. `None` when it runs on or exited cleanly (the engine ended the connection).
    fn failure(&mut self, cause: Option<&io::Error>) -> Option<io::Error> {
        // The socket closes as ssh exits: give it a moment to be reaped and to finish its
        // words.
        let deadline = Instant::now() + LAST_WORDS;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                _ => return None,
            }
        };
        if status.success() {
            return None;
        }
        while !self.said.closed.load(Ordering::Acquire) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let said = self
            .said
            .tail
            .lock()
            .map(|t| t.trim().to_string())
            .unwrap_or_default();
        let mut message = match cause {
            Some(e) => format!("{e}; ssh ended the connection ({status})"),
            None => format!("ssh ended the connection ({status})"),
        };
        if !said.is_empty() {
            message.push_str("; ssh said: ");
            message.push_str(&said);
        }
        let kind = cause.map_or(io::ErrorKind::UnexpectedEof, io::Error::kind);
        Some(io::Error::new(kind, message))
    }
}

/// A timeout or an interruption: not the end of the connection.
fn is_wait(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

impl fmt::Display for SshTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ssh://")?;
        if let Some(user) = &self.user {
            write!(f, "{user}@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]", self.host)?;
        } else {
            f.write_str(&self.host)?;
        }
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        Ok(())
    }
}

/// Starts `ssh ... -- host docker system dial-stdio` on one end of a socket pair.
pub(crate) fn connect(target: &SshTarget, timeout: Option<Duration>) -> Result<RawStream, Error> {
    let failed = |source: io::Error| Error::Connect {
        target: target.to_string(),
        source,
    };
    let (ours, theirs) = UnixStream::pair().map_err(failed)?;
    let stdin = OwnedFd::from(theirs);
    let stdout = stdin.try_clone().map_err(failed)?;

    let mut command = Command::new("ssh");
    // Never a password prompt: there is no terminal, and a prompt would hang the call.
    command.args(["-o", "BatchMode=yes"]);
    if let Some(t) = timeout {
        command
            .arg("-o")
            .arg(format!("ConnectTimeout={}", t.as_secs().max(1)));
    }
    if let Some(user) = &target.user {
        command.arg("-l").arg(user);
    }
    if let Some(port) = target.port {
        command.arg("-p").arg(port.to_string());
    }
    command
        .args(&target.args)
        // `--` ends the options: no host name can become one.
        .arg("--")
        .arg(&target.host)
        .args(["docker", "system", "dial-stdio"])
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            failed(io::Error::new(
                io::ErrorKind::NotFound,
                "the `ssh` program was not found: install the OpenSSH client",
            ))
        } else {
            failed(e)
        }
    })?;
    let said = Arc::new(Said::default());
    match child.stderr.take() {
        Some(stderr) => {
            let said = said.clone();
            std::thread::spawn(move || {
                collect_tail(stderr, &said.tail);
                said.closed.store(true, Ordering::Release);
            });
        }
        None => said.closed.store(true, Ordering::Release),
    }
    Ok(RawStream {
        socket: Arc::new(Socket::Unix(ours)),
        tls: None,
        child: Some(ChildGuard { child, said }),
    })
}

/// Keeps the last lines of ssh's stderr until it closes.
fn collect_tail(stderr: impl io::Read, tail: &Mutex<String>) {
    for line in BufReader::new(stderr).lines() {
        let Ok(line) = line else { return };
        let Ok(mut t) = tail.lock() else { return };
        t.push_str(&line);
        t.push('\n');
        if t.len() > STDERR_TAIL {
            let cut = t.len() - STDERR_TAIL;
            let cut = (cut..t.len()).find(|&i| t.is_char_boundary(i)).unwrap_or(0);
            t.drain(..cut);
        }
    }
}
