//! dockhand against its floor, measured side by side in one run: a hand-written keep-alive
//! HTTP/1.1 client on the same unix socket (`Raw` below), which does the least any client
//! must do. Each line prints dockhand's figure, the floor's, and their ratio.
//!
//!     cargo run --release --example bench [SECONDS_PER_CASE]
//!
//! Timed (rates move with the machine's load; the ratios much less):
//! - pings per second on one thread, and on eight threads sharing one client;
//! - container logs of 64 KiB frames, MiB per second, from a small server this bench starts
//!   (a child process on a unix socket of its own, so the engine's log driver is not what
//!   is measured).
//!
//! Counted (stable from run to run), when `valgrind` and `strace` are on the PATH: the bench
//! runs itself under them, in the modes of `child` below.
//! - instructions per pooled ping (callgrind, only inside the measured loop);
//! - syscalls per pooled request (strace, between two marker calls);
//! - client instructions per 100-byte log frame, by the iterator and by `read_chunk`;
//! - instructions of a whole process that makes a client (version pinned) and pings once;
//! - heap held per idle pooled connection (DHAT, the live bytes at exit with 16 idle
//!   connections, less those with none).
//!
//! It needs an engine on a unix socket (`DOCKER_HOST` or the default one). It asserts
//! nothing: `scripts/bench` adds the dependency count and a cold build's CPU time.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dockhand::settings::Host;
use dockhand::{Chunk, Docker, LogsOptions, Settings};

type BoxResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The container "id" the log server reads the frame size and count from.
fn logs_path(frame: usize, count: usize) -> String {
    format!("/v1.44/containers/f{frame}x{count}/logs?stdout=1&stderr=1")
}

fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        return child(&args[1..]);
    }
    let seconds: f64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let span = Duration::from_secs_f64(seconds);
    let docker = Docker::from_env()?;
    let Host::Unix(socket) = docker.settings().host.clone() else {
        return Err(
            "the bench compares against a raw unix socket: set DOCKER_HOST=unix://...".into(),
        );
    };
    docker.ping()?; // connect and negotiate before measuring

    let server = LogServer::start()?;
    let logs_client = log_client(&server.socket)?;

    println!(
        "dockhand against the raw-socket floor ({})",
        socket.display()
    );
    println!(
        "{:<56} {:>12} {:>12} {:>7}",
        "measure", "dockhand", "floor", "ratio"
    );

    let (ours, raw) = side_by_side(
        || rate(1, span / 4, ping_dockhand(&docker)),
        || rate(1, span / 4, ping_raw(&socket)),
    )?;
    line(
        "pooled pings/s, 1 thread (higher is better)",
        ours,
        raw,
        ours / raw,
    );
    let (ours, raw) = side_by_side(
        || rate(8, span / 4, ping_dockhand(&docker)),
        || rate(8, span / 4, ping_raw(&socket)),
    )?;
    line(
        "pooled pings/s, 8 threads, one client",
        ours,
        raw,
        ours / raw,
    );
    let path = logs_path(64 * 1024, 256);
    let (ours, raw) = side_by_side(
        || throughput(span / 4, || logs_dockhand(&logs_client, 64 * 1024, 256)),
        || throughput(span / 4, || logs_raw(&server.socket, &path)),
    )?;
    line("logs MiB/s, 64 KiB frames, iterator", ours, raw, ours / raw);
    let (ours, raw) = side_by_side(
        || throughput(span / 4, || logs_reused(&logs_client, 64 * 1024, 256)),
        || throughput(span / 4, || logs_raw(&server.socket, &path)),
    )?;
    line(
        "logs MiB/s, 64 KiB frames, read_chunk",
        ours,
        raw,
        ours / raw,
    );

    counted(&socket, &server.socket)?;
    Ok(())
}

fn line(what: &str, ours: f64, floor: f64, ratio: f64) {
    println!("{what:<56} {ours:>12.0} {floor:>12.0} {ratio:>7.2}");
}

/// Runs the two cases in turns (four turns each), so that a change in the machine's load
/// falls on both; returns their means.
fn side_by_side(
    mut ours: impl FnMut() -> BoxResult<f64>,
    mut raw: impl FnMut() -> BoxResult<f64>,
) -> BoxResult<(f64, f64)> {
    let (mut a, mut b) = (0.0, 0.0);
    for _ in 0..4 {
        a += ours()?;
        b += raw()?;
    }
    Ok((a / 4.0, b / 4.0))
}

// ---- the measured operations -----------------------------------------------------------

fn ping_dockhand(
    docker: &Docker,
) -> impl Fn() -> BoxResult<Box<dyn FnMut() -> BoxResult<()> + Send>> + '_ {
    move || {
        let docker = docker.clone();
        Ok(Box::new(move || Ok(docker.ping().map(drop)?)))
    }
}

fn ping_raw(
    socket: &Path,
) -> impl Fn() -> BoxResult<Box<dyn FnMut() -> BoxResult<()> + Send>> + '_ {
    move || {
        let mut raw = Raw::connect(socket)?;
        Ok(Box::new(move || raw.get("/_ping", |_| ()).map(drop)))
    }
}

/// A client of the log server, version pinned so that the content type decides framing.
fn log_client(socket: &Path) -> BoxResult<Docker> {
    Ok(Docker::new(Settings::from_pairs([
        ("DOCKER_URL", format!("unix://{}", socket.display())),
        ("DOCKER_VERSION", "1.44".to_string()),
    ])?)?)
}

/// Reads a whole log of `count` frames of `frame` bytes; returns the bytes of output.
fn logs_dockhand(docker: &Docker, frame: usize, count: usize) -> BoxResult<u64> {
    let mut total = 0u64;
    let options = LogsOptions::new().stdout(true).stderr(true);
    for chunk in docker
        .container(format!("f{frame}x{count}"))
        .logs(&options)?
    {
        total += chunk?.data.len() as u64;
    }
    Ok(total)
}

/// The same log read with `read_chunk`, into one chunk over and over.
fn logs_reused(docker: &Docker, frame: usize, count: usize) -> BoxResult<u64> {
    let mut total = 0u64;
    let options = LogsOptions::new().stdout(true).stderr(true);
    let mut logs = docker
        .container(format!("f{frame}x{count}"))
        .logs(&options)?;
    let mut chunk = Chunk::default();
    while logs.read_chunk(&mut chunk)? {
        total += chunk.data.len() as u64;
    }
    Ok(total)
}

/// The same log through a raw connection: frames walked in place, nothing copied.
fn logs_raw(socket: &Path, path: &str) -> BoxResult<u64> {
    let mut raw = Raw::with_buffer(socket, 64 * 1024)?;
    let mut frames = FrameWalker::default();
    raw.get(path, |bytes| frames.feed(bytes))?;
    Ok(frames.data)
}

/// Calls per second of the operation `make` builds, on `threads` threads, for `span`.
fn rate(
    threads: usize,
    span: Duration,
    make: impl Fn() -> BoxResult<Box<dyn FnMut() -> BoxResult<()> + Send>>,
) -> BoxResult<f64> {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let mut calls = Vec::new();
    for _ in 0..threads {
        calls.push(make()?);
    }
    let started = Instant::now();
    let workers: Vec<_> = calls
        .into_iter()
        .map(|mut call| {
            let (stop, count) = (stop.clone(), count.clone());
            std::thread::spawn(move || -> BoxResult<()> {
                while !stop.load(Ordering::Relaxed) {
                    call()?;
                    count.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
        })
        .collect();
    std::thread::sleep(span);
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("a benchmark thread panicked")?;
    }
    Ok(count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// MiB per second of repeated calls of `read` (which returns the bytes it read) for `span`.
fn throughput(span: Duration, mut read: impl FnMut() -> BoxResult<u64>) -> BoxResult<f64> {
    let started = Instant::now();
    let mut bytes = 0;
    while started.elapsed() < span {
        bytes += read()?;
    }
    Ok(bytes as f64 / (1024.0 * 1024.0) / started.elapsed().as_secs_f64())
}

// ---- the floor: a hand-written keep-alive HTTP/1.1 client ------------------------------

/// One connection and one read buffer; answers with `Content-Length` or chunked bodies.
struct Raw {
    sock: UnixStream,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Raw {
    /// A connection with an 8 KiB buffer (room for any response head).
    fn connect(path: &Path) -> BoxResult<Raw> {
        Raw::with_buffer(path, 8 * 1024)
    }

    fn with_buffer(path: &Path, size: usize) -> BoxResult<Raw> {
        Ok(Raw {
            sock: UnixStream::connect(path)?,
            buf: vec![0; size],
            start: 0,
            end: 0,
        })
    }

    fn fill(&mut self) -> BoxResult<()> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let n = self.sock.read(&mut self.buf[self.end..])?;
        if n == 0 {
            return Err("the server closed the connection".into());
        }
        self.end += n;
        Ok(())
    }

    /// The next line, without its CRLF, as a range of `buf`.
    fn line(&mut self) -> BoxResult<(usize, usize)> {
        loop {
            if let Some(i) = self.buf[self.start..self.end]
                .windows(2)
                .position(|w| w == b"\r\n")
            {
                let line = (self.start, self.start + i);
                self.start += i + 2;
                return Ok(line);
            }
            self.fill()?;
        }
    }

    /// Sends a GET and hands the body to `body` piece by piece; returns the status.
    fn get(&mut self, path: &str, mut body: impl FnMut(&[u8])) -> BoxResult<u16> {
        let head = format!("GET {path} HTTP/1.1\r\nHost: docker\r\n\r\n");
        self.sock.write_all(head.as_bytes())?;
        let (a, b) = self.line()?;
        let status: u16 = std::str::from_utf8(&self.buf[a..b])?
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("a bad status line")?;
        let (mut length, mut chunked) = (0usize, false);
        loop {
            let (a, b) = self.line()?;
            if a == b {
                break;
            }
            let header = &self.buf[a..b];
            if header.len() > 15 && header[..15].eq_ignore_ascii_case(b"content-length:") {
                length = std::str::from_utf8(&header[15..])?.trim().parse()?;
            } else if header.eq_ignore_ascii_case(b"transfer-encoding: chunked") {
                chunked = true;
            }
        }
        if !chunked {
            return self.take(length, &mut body).map(|_| status);
        }
        loop {
            let (a, b) = self.line()?;
            let size = std::str::from_utf8(&self.buf[a..b])?;
            let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)?;
            self.take(size, &mut body)?;
            self.line()?; // the CRLF after the chunk (or after the trailers)
            if size == 0 {
                return Ok(status);
            }
        }
    }

    fn take(&mut self, mut length: usize, body: &mut impl FnMut(&[u8])) -> BoxResult<()> {
        while length > 0 {
            if self.start == self.end {
                self.fill()?;
            }
            let n = length.min(self.end - self.start);
            body(&self.buf[self.start..self.start + n]);
            self.start += n;
            length -= n;
        }
        Ok(())
    }
}

/// Walks 8-byte stream frames as they arrive, counting their data.
#[derive(Default)]
struct FrameWalker {
    header: [u8; 8],
    have: usize,
    left: usize,
    data: u64,
}

impl FrameWalker {
    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.left > 0 {
                let n = self.left.min(bytes.len());
                self.data += n as u64;
                self.left -= n;
                bytes = &bytes[n..];
                continue;
            }
            let n = (8 - self.have).min(bytes.len());
            self.header[self.have..self.have + n].copy_from_slice(&bytes[..n]);
            self.have += n;
            bytes = &bytes[n..];
            if self.have == 8 {
                self.have = 0;
                let h = self.header;
                self.left = u32::from_be_bytes([h[4], h[5], h[6], h[7]]) as usize;
            }
        }
    }
}

// ---- the log server ---------------------------------------------------------------------

/// A child process that answers `/containers/f{SIZE}x{COUNT}/logs` with `COUNT` frames of
/// `SIZE` bytes, chunked as the engine's Go server chunks them (frames gathered up to 2 KiB,
/// a larger frame a chunk of its own).
struct LogServer {
    socket: PathBuf,
    child: Child,
}

impl LogServer {
    fn start() -> BoxResult<LogServer> {
        let socket =
            std::env::temp_dir().join(format!("dockhand-bench-{}.sock", std::process::id()));
        let _ = std::fs::remove_file(&socket);
        let child = Command::new(std::env::current_exe()?)
            .args(["child", "serve"])
            .arg(&socket)
            .stdin(Stdio::null())
            .spawn()?;
        let started = Instant::now();
        while UnixStream::connect(&socket).is_err() {
            if started.elapsed() > Duration::from_secs(10) {
                return Err("the log server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(LogServer { socket, child })
    }
}

impl Drop for LogServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.socket);
    }
}

fn serve(socket: &Path) -> BoxResult<()> {
    let listener = UnixListener::bind(socket)?;
    let bodies: Arc<Mutex<HashMap<String, Arc<Vec<u8>>>>> = Arc::default();
    for conn in listener.incoming() {
        let conn = conn?;
        let bodies = bodies.clone();
        std::thread::spawn(move || {
            let _ = serve_connection(conn, &bodies);
        });
    }
    Ok(())
}

fn serve_connection(
    mut conn: UnixStream,
    bodies: &Mutex<HashMap<String, Arc<Vec<u8>>>>,
) -> io::Result<()> {
    let mut pending = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(i) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = conn.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            pending.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&pending[..end]).into_owned();
        pending.drain(..end);
        let path = head.split(' ').nth(1).unwrap_or("");
        let response = bodies
            .lock()
            .unwrap()
            .entry(path.to_string())
            .or_insert_with(|| Arc::new(response_for(path)))
            .clone();
        conn.write_all(&response)?;
    }
}

fn response_for(path: &str) -> Vec<u8> {
    let spec = path
        .split("/containers/f")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|spec| spec.split_once('x'))
        .and_then(|(size, count)| Some((size.parse().ok()?, count.parse().ok()?)));
    let Some((size, count)) = spec else {
        let body = b"{\"message\":\"not found\"}";
        let mut out = format!(
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        return out;
    };
    let mut out = b"HTTP/1.1 200 OK\r\nApi-Version: 1.44\r\n\
        Content-Type: application/vnd.docker.multiplexed-stream\r\n\
        Transfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    let mut chunk = Vec::new();
    let flush = |chunk: &mut Vec<u8>, out: &mut Vec<u8>| {
        if !chunk.is_empty() {
            out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            out.append(chunk);
            out.extend_from_slice(b"\r\n");
        }
    };
    for i in 0..count {
        let mut frame = vec![1 + (i % 2) as u8, 0, 0, 0];
        frame.extend_from_slice(&(size as u32).to_be_bytes());
        frame.extend((0..size).map(|j| {
            if j + 1 == size {
                b'\n'
            } else {
                b'a' + (j % 26) as u8
            }
        }));
        if chunk.len() + frame.len() > 2048 {
            flush(&mut chunk, &mut out);
        }
        chunk.extend_from_slice(&frame);
    }
    flush(&mut chunk, &mut out);
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

// ---- counted measures: the bench under valgrind and strace -----------------------------

const PINGS: usize = 200;
const FRAMES: usize = 20_000;
const HELD: usize = 16;

fn counted(engine: &Path, logs: &Path) -> BoxResult<()> {
    let exe = std::env::current_exe()?;
    if !on_path("valgrind") {
        println!("(valgrind is not on the PATH: instruction and heap counts skipped)");
    } else {
        let count = |args: &[&str]| callgrind(&exe, engine, logs, args);
        let ours = count(&["pings", "dockhand"])? / PINGS as f64;
        let raw = count(&["pings", "raw"])? / PINGS as f64;
        line(
            "instructions per pooled ping (lower is better)",
            ours,
            raw,
            ours / raw,
        );
        let ours = count(&["frames", "dockhand"])? / FRAMES as f64;
        let raw = count(&["frames", "raw"])? / FRAMES as f64;
        line(
            "client instructions per 100-byte log frame, iterator",
            ours,
            raw,
            ours / raw,
        );
        let ours = count(&["frames", "reused"])? / FRAMES as f64;
        line(
            "client instructions per 100-byte log frame, read_chunk",
            ours,
            raw,
            ours / raw,
        );
        let ours = count(&["once", "dockhand"])?;
        let raw = count(&["once", "raw"])?;
        line(
            "whole process: new client + one pinned ping",
            ours,
            raw,
            ours / raw,
        );
        let held = |who: &str| -> BoxResult<f64> {
            let many = dhat_end(&exe, engine, &["hold", who, &HELD.to_string()])?;
            let none = dhat_end(&exe, engine, &["hold", who, "0"])?;
            Ok((many - none) / HELD as f64)
        };
        let (ours, raw) = (held("dockhand")?, held("raw")?);
        line(
            "heap bytes held per idle pooled connection",
            ours,
            raw,
            ours / raw,
        );
    }
    if !on_path("strace") {
        println!("(strace is not on the PATH: syscall counts skipped)");
    } else {
        let ours = syscalls(&exe, engine, "dockhand")?;
        let raw = syscalls(&exe, engine, "raw")?;
        line("syscalls per pooled request", ours, raw, ours / raw);
    }
    Ok(())
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn out_file(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dockhand-bench-{}-{what}", std::process::id()))
}

/// Instructions counted by callgrind: inside `counted_*` functions only, or the whole
/// process for `once`.
fn callgrind(exe: &Path, engine: &Path, logs: &Path, args: &[&str]) -> BoxResult<f64> {
    let out = out_file("callgrind");
    let mut cmd = Command::new("valgrind");
    cmd.arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()));
    if args[0] != "once" {
        cmd.args(["--collect-atstart=no", "--toggle-collect=*counted_*"]);
    }
    let status = cmd
        .arg(exe)
        .arg("child")
        .args(args)
        .arg(engine)
        .arg(logs)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(format!("callgrind of {args:?} failed").into());
    }
    let text = std::fs::read_to_string(&out)?;
    let _ = std::fs::remove_file(&out);
    let total = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("totals:")
                .or_else(|| l.strip_prefix("summary:"))
        })
        .ok_or("no totals in the callgrind output")?;
    Ok(total.trim().parse()?)
}

/// Live heap bytes at exit, by DHAT.
fn dhat_end(exe: &Path, engine: &Path, args: &[&str]) -> BoxResult<f64> {
    let out = out_file("dhat");
    let output = Command::new("valgrind")
        .arg("--tool=dhat")
        .arg(format!("--dhat-out-file={}", out.display()))
        .arg(exe)
        .arg("child")
        .args(args)
        .arg(engine)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let _ = std::fs::remove_file(&out);
    let text = String::from_utf8_lossy(&output.stderr);
    let bytes = text
        .lines()
        .find_map(|l| l.split("At t-end:").nth(1))
        .and_then(|rest| rest.split_whitespace().next().map(|n| n.replace(',', "")))
        .ok_or("no t-end figure in DHAT's output")?;
    Ok(bytes.parse()?)
}

/// Syscalls per request between the two markers, by strace.
fn syscalls(exe: &Path, engine: &Path, who: &str) -> BoxResult<f64> {
    let out = out_file("strace");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-o"])
        .arg(&out)
        .arg(exe)
        .args(["child", "syscalls", who])
        .arg(engine)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !status.success() {
        return Err("strace failed".into());
    }
    let text = std::fs::read_to_string(&out)?;
    let _ = std::fs::remove_file(&out);
    let lines: Vec<&str> = text.lines().collect();
    let begin = lines
        .iter()
        .position(|l| l.contains(MARK_BEGIN))
        .ok_or("no begin marker")?;
    let end = lines
        .iter()
        .position(|l| l.contains(MARK_END))
        .ok_or("no end marker")?;
    Ok((end - begin - 1) as f64 / PINGS as f64)
}

const MARK_BEGIN: &str = "/dockhand-bench-mark-begin";
const MARK_END: &str = "/dockhand-bench-mark-end";

/// The modes the bench runs itself in.
fn child(args: &[String]) -> BoxResult<()> {
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let engine = |i: usize| PathBuf::from(arg(i));
    match (arg(0), arg(1)) {
        ("serve", _) => serve(Path::new(arg(1))),
        ("pings", "dockhand") => {
            let docker = pinned(&engine(2))?;
            docker.ping()?;
            counted_dockhand_pings(&docker, PINGS)
        }
        ("pings", "raw") => {
            let mut raw = Raw::connect(&engine(2))?;
            raw.get("/_ping", |_| ())?;
            counted_raw_pings(&mut raw, PINGS)
        }
        ("frames", "dockhand") => {
            let docker = log_client(&engine(3))?;
            counted_dockhand_frames(&docker, FRAMES)
        }
        ("frames", "reused") => {
            let docker = log_client(&engine(3))?;
            counted_reused_frames(&docker, FRAMES)
        }
        ("frames", "raw") => counted_raw_frames(&engine(3), &logs_path(100, FRAMES)),
        // By hand, for a profile: `bench child big-frames dockhand|reused ENGINE LOG_SOCKET`.
        ("big-frames", who @ ("dockhand" | "reused")) => {
            let docker = log_client(&engine(3))?;
            counted_big_frames(&docker, who == "reused")
        }
        ("once", "dockhand") => {
            pinned(&engine(2))?.ping()?;
            Ok(())
        }
        ("once", "raw") => {
            Raw::connect(&engine(2))?.get("/_ping", |_| ())?;
            Ok(())
        }
        ("hold", who) => {
            let n: usize = arg(2).parse()?;
            let engine = engine(3);
            if who == "raw" {
                let mut conns = Vec::new();
                for _ in 0..n {
                    let mut raw = Raw::connect(&engine)?;
                    raw.get("/_ping", |_| ())?;
                    conns.push(raw);
                }
                std::mem::forget(conns);
            } else {
                let docker = pinned(&engine)?;
                let held = (0..n)
                    .map(|_| docker.request("GET", "/_ping").unversioned().send())
                    .collect::<dockhand::Result<Vec<_>>>()?;
                for response in held {
                    response.drain()?;
                }
                std::mem::forget(docker);
            }
            // Exit with everything still held, for DHAT's "At t-end".
            std::process::exit(0)
        }
        ("syscalls", who) => {
            let engine = engine(2);
            let docker = pinned(&engine)?;
            let mut raw = Raw::connect(&engine)?;
            docker.ping()?;
            raw.get("/_ping", |_| ())?;
            let _ = std::fs::metadata(MARK_BEGIN);
            for _ in 0..PINGS {
                if who == "raw" {
                    raw.get("/_ping", |_| ())?;
                } else {
                    docker.ping()?;
                }
            }
            let _ = std::fs::metadata(MARK_END);
            Ok(())
        }
        _ => Err(format!("unknown child mode {args:?}").into()),
    }
}

/// A client of the engine at `socket`, version pinned (no negotiation).
fn pinned(socket: &Path) -> BoxResult<Docker> {
    Ok(Docker::new(Settings::from_pairs([
        ("DOCKER_URL", format!("unix://{}", socket.display())),
        ("DOCKER_VERSION", "1.41".to_string()),
    ])?)?)
}

#[inline(never)]
fn counted_dockhand_pings(docker: &Docker, n: usize) -> BoxResult<()> {
    for _ in 0..n {
        docker.ping()?;
    }
    Ok(())
}

#[inline(never)]
fn counted_raw_pings(raw: &mut Raw, n: usize) -> BoxResult<()> {
    for _ in 0..n {
        raw.get("/_ping", |_| ())?;
    }
    Ok(())
}

#[inline(never)]
fn counted_dockhand_frames(docker: &Docker, n: usize) -> BoxResult<()> {
    let got = logs_dockhand(docker, 100, n)?;
    assert_eq!(got, 100 * n as u64);
    Ok(())
}

#[inline(never)]
fn counted_reused_frames(docker: &Docker, n: usize) -> BoxResult<()> {
    let got = logs_reused(docker, 100, n)?;
    assert_eq!(got, 100 * n as u64);
    Ok(())
}

#[inline(never)]
fn counted_raw_frames(socket: &Path, path: &str) -> BoxResult<()> {
    let got = logs_raw(socket, path)?;
    assert_eq!(got, 100 * FRAMES as u64);
    Ok(())
}

#[inline(never)]
fn counted_big_frames(docker: &Docker, reused: bool) -> BoxResult<()> {
    for _ in 0..4 {
        if reused {
            logs_reused(docker, 64 * 1024, 256)?;
        } else {
            logs_dockhand(docker, 64 * 1024, 256)?;
        }
    }
    Ok(())
}
