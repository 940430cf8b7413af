//! Hijacked connections: attach, and exec with stdin. The engine answers `101` and the
//! connection becomes a raw duplex stream, which ureq cannot hand over, so the request head
//! is written and the response head parsed here, on a connection of our own.
//!
//! The stream splits into a reader and a writer that can live in different threads: a
//! program reading its stdin must be able to write output at the same time, or a large
//! input deadlocks.

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{RawStream, Socket};

/// The most we read of a response head.
const MAX_HEAD: usize = 64 * 1024;

/// The head of the engine's answer to an upgrade request.
#[derive(Debug)]
pub(crate) struct Head {
    pub(crate) status: u16,
    pub(crate) content_length: Option<usize>,
    pub(crate) location: Option<String>,
}

/// Writes `head` and `body`, reads the response head within `timeout`, and splits the
/// connection. Bytes that came after the head are kept for the reader.
pub(crate) fn upgrade(
    mut stream: RawStream,
    head: &str,
    body: &[u8],
    timeout: Duration,
) -> io::Result<(Head, HijackReader, HijackWriter)> {
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;

    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let (parsed, head_len) = loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the engine closed the connection before answering",
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => break (head_of(&response), len),
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the engine's answer has a head over 64 KiB",
                ))
            }
            Err(e) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the engine's answer is not HTTP: {e}"),
                ))
            }
        }
    };
    stream.set_read_timeout(None)?;
    stream.set_write_timeout(None)?;
    let leftover = buf.split_off(head_len);
    let (reader, writer) = split(stream, leftover);
    Ok((parsed, reader, writer))
}

fn head_of(response: &httparse::Response<'_, '_>) -> Head {
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
            .map(|v| v.trim().to_string())
    };
    Head {
        status: response.code.unwrap_or(0),
        content_length: header("Content-Length").and_then(|v| v.parse().ok()),
        location: header("Location"),
    }
}

/// The TLS state both halves share. Neither half holds the lock while it waits on the
/// socket: the reader reads ciphertext unlocked, the writer writes ciphertext unlocked.
#[cfg(feature = "tls")]
type SharedTls = Arc<Mutex<rustls::ClientConnection>>;

/// Serialises whole writes of ciphertext (or plain bytes) to the socket.
type WriteLock = Arc<Mutex<()>>;

fn split(stream: RawStream, leftover: Vec<u8>) -> (HijackReader, HijackWriter) {
    let RawStream { socket, tls, child } = stream;
    let write_lock: WriteLock = Arc::new(Mutex::new(()));
    #[cfg(feature = "tls")]
    let tls: Option<SharedTls> = tls.map(|t| Arc::new(Mutex::new(t.into_parts().0)));
    #[cfg(not(feature = "tls"))]
    let _ = tls;
    let reader = HijackReader {
        _child: child,
        socket: socket.clone(),
        leftover,
        at: 0,
        #[cfg(feature = "tls")]
        tls: tls.clone(),
        #[cfg(feature = "tls")]
        raw: Vec::new(),
        #[cfg(feature = "tls")]
        raw_at: 0,
        #[cfg(feature = "tls")]
        write_lock: write_lock.clone(),
        #[cfg(feature = "tls")]
        eof: false,
    };
    let writer = HijackWriter {
        socket,
        #[cfg(feature = "tls")]
        tls,
        write_lock,
        closed: false,
    };
    (reader, writer)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic in the other half poisons the lock; the data is still consistent enough to
    // report errors from.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The reading half of a hijacked connection.
pub struct HijackReader {
    /// An ssh connection's process, alive as long as the output is read.
    _child: Option<super::ChildGuard>,
    socket: Arc<Socket>,
    /// Bytes read with the response head.
    leftover: Vec<u8>,
    at: usize,
    #[cfg(feature = "tls")]
    tls: Option<SharedTls>,
    /// Ciphertext read from the socket and not yet given to rustls.
    #[cfg(feature = "tls")]
    raw: Vec<u8>,
    #[cfg(feature = "tls")]
    raw_at: usize,
    #[cfg(feature = "tls")]
    write_lock: WriteLock,
    /// The socket reached its end (TLS: rustls still has to say how the stream ended).
    #[cfg(feature = "tls")]
    eof: bool,
}

impl std::fmt::Debug for HijackReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HijackReader")
            .field("socket", &self.socket)
            .finish()
    }
}

impl HijackReader {
    #[cfg(feature = "tls")]
    fn read_tls(&mut self, tls: SharedTls, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            {
                let mut conn = lock(&tls);
                match conn.reader().read(buf) {
                    Ok(n) => return Ok(n),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    // The engine closed without close_notify: the end, as for plain TCP.
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                    Err(e) => return Err(e),
                }
                if self.raw_at < self.raw.len() {
                    let mut pending = &self.raw[self.raw_at..];
                    let used = conn.read_tls(&mut pending)?;
                    self.raw_at += used;
                    let state = conn
                        .process_new_packets()
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                    let reply = take_ciphertext(&mut conn)?;
                    drop(conn);
                    self.send(&reply)?;
                    if state.peer_has_closed() && state.plaintext_bytes_to_read() == 0 {
                        return Ok(0);
                    }
                    continue;
                }
                if self.eof {
                    return Ok(0);
                }
            }
            // Wait for ciphertext without the lock, so the writer can go on meanwhile.
            self.raw.resize(32 * 1024, 0);
            self.raw_at = 0;
            let n = (&*self.socket).read(&mut self.raw)?;
            self.raw.truncate(n);
            if n == 0 {
                self.eof = true;
                let mut conn = lock(&tls);
                // An empty read tells rustls the transport ended.
                conn.read_tls(&mut &[][..])?;
                let _ = conn.process_new_packets();
            }
        }
    }

    #[cfg(feature = "tls")]
    fn send(&self, ciphertext: &[u8]) -> io::Result<()> {
        if ciphertext.is_empty() {
            return Ok(());
        }
        let _w = lock(&self.write_lock);
        (&*self.socket).write_all(ciphertext)
    }
}

/// The TLS records rustls wants sent, taken while the lock is held and sent after.
#[cfg(feature = "tls")]
fn take_ciphertext(conn: &mut rustls::ClientConnection) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    while conn.wants_write() {
        conn.write_tls(&mut out)?;
    }
    Ok(out)
}

impl Read for HijackReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // Bytes read with the head come first (plaintext: over TLS they came through rustls).
        if self.at < self.leftover.len() {
            let n = (self.leftover.len() - self.at).min(buf.len());
            buf[..n].copy_from_slice(&self.leftover[self.at..self.at + n]);
            self.at += n;
            return Ok(n);
        }
        #[cfg(feature = "tls")]
        let read = match self.tls.clone() {
            Some(tls) => self.read_tls(tls, buf),
            None => (&*self.socket).read(buf),
        };
        #[cfg(not(feature = "tls"))]
        let read = (&*self.socket).read(buf);
        match read {
            // An engine that closes while input it did not read is queued (the program
            // exited without reading it all) resets the connection: all it wrote came
            // before, so this is the end of the output too. A frame cut short is still
            // an error, from the frame decoder.
            Ok(0) => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
            other => return other,
        }
        // The output has ended: the program is done, and input has nowhere to go. An
        // engine may go on reading it for a long while (Docker copies it into a pipe no one
        // reads): shut the connection, so a write blocked in another thread fails at once.
        let _ = self.socket.shutdown(Shutdown::Both);
        Ok(0)
    }
}

/// The writing half of a hijacked connection: the program's stdin.
pub struct HijackWriter {
    socket: Arc<Socket>,
    #[cfg(feature = "tls")]
    tls: Option<SharedTls>,
    write_lock: WriteLock,
    closed: bool,
}

impl std::fmt::Debug for HijackWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HijackWriter")
            .field("socket", &self.socket)
            .field("closed", &self.closed)
            .finish()
    }
}

impl HijackWriter {
    /// Ends the input: the program reads end-of-file, while its output keeps coming. Over
    /// TLS a `close_notify` goes first. Calling it again does nothing.
    pub(crate) fn close_write(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        self.closed = true;
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            let ciphertext = {
                let mut conn = lock(tls);
                conn.send_close_notify();
                take_ciphertext(&mut conn)?
            };
            let _w = lock(&self.write_lock);
            (&*self.socket).write_all(&ciphertext)?;
        }
        self.socket.shutdown(Shutdown::Write)
    }
}

impl Write for HijackWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the input was already closed",
            ));
        }
        #[cfg(feature = "tls")]
        if let Some(tls) = &self.tls {
            let (n, ciphertext) = {
                let mut conn = lock(tls);
                let n = conn.writer().write(data)?;
                (n, take_ciphertext(&mut conn)?)
            };
            let _w = lock(&self.write_lock);
            (&*self.socket).write_all(&ciphertext)?;
            return Ok(n);
        }
        let _w = lock(&self.write_lock);
        (&*self.socket).write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
