//! `ssh://` hosts, as the docker CLI reaches them: the system `ssh` runs
//! `docker system dial-stdio` on the host, and HTTP goes through its stdin and stdout.
//!
//! The child gets one end of a unix socket pair as both stdin and stdout, so our end is an
//! ordinary socket: read and write timeouts, half-close for end of input, and a shutdown
//! that cancels work exactly as for a local engine.

use std::fmt;
use std::io::{self, BufRead, BufReader};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{ChildGuard, RawStream, Socket};
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
    /// The end of what the last `ssh` child wrote to stderr: why it failed, in its words.
    stderr: Arc<Mutex<String>>,
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
            stderr: Arc::new(Mutex::new(String::new())),
        }
    }

    /// What ssh said last, when it said anything: for error messages.
    pub(crate) fn last_words(&self) -> Option<String> {
        // ssh may still be writing its reason as the connection drops: give it a moment.
        std::thread::sleep(Duration::from_millis(100));
        let said = self.stderr.lock().map(|s| s.trim().to_string()).ok()?;
        (!said.is_empty()).then_some(said)
    }
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
    if let Some(stderr) = child.stderr.take() {
        let tail = target.stderr.clone();
        if let Ok(mut t) = tail.lock() {
            t.clear();
        }
        std::thread::spawn(move || collect_tail(stderr, &tail));
    }
    Ok(RawStream {
        socket: Arc::new(Socket::Unix(ours)),
        tls: None,
        child: Some(ChildGuard(child)),
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
