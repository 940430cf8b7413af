//! Faults a real engine will not produce on demand, from a small server on 127.0.0.1:
//! connections dropped mid-stream, garbage, bad frames, stale keep-alive connections,
//! uploads refused early or midway.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use dockhand::{Docker, Error, LogsOptions, Settings};

/// What the fake engine does with one request on a connection: write its answer, and say
/// whether to keep the connection open for another request.
type Handler = dyn Fn(&str, &mut TcpStream) -> bool + Send + Sync;

struct FakeEngine {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl FakeEngine {
    fn start(handler: impl Fn(&str, &mut TcpStream) -> bool + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let counter = connections.clone();
        thread::spawn(move || {
            // Bounded: the test process ends it; each connection serves at most 1000 requests.
            for conn in listener.incoming().take(1000) {
                let Ok(conn) = conn else { return };
                counter.fetch_add(1, Ordering::SeqCst);
                let handler = handler.clone();
                thread::spawn(move || serve(conn, &*handler));
            }
        });
        FakeEngine { port, connections }
    }

    fn client(&self) -> Docker {
        Docker::new(
            Settings::new(&format!("tcp://127.0.0.1:{}", self.port))
                .unwrap()
                .with_version("1.41".parse().unwrap())
                .with_timeout(Duration::from_secs(5)),
        )
        .unwrap()
    }
}

fn serve(conn: TcpStream, handler: &Handler) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    for _ in 0..1000 {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        // Skip the headers; requests here have no body.
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_string();
        if !handler(&path, &mut conn) {
            return;
        }
    }
}

fn ok_json(conn: &mut TcpStream, body: &str) {
    write!(
        conn,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
}

const VERSION: &str = r#"{"Version":"fake","ApiVersion":"1.41"}"#;

/// A multiplexed-stream response head, chunked.
fn stream_head(conn: &mut TcpStream) {
    conn.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n\
          Transfer-Encoding: chunked\r\n\r\n",
    )
    .unwrap();
}

fn chunk(conn: &mut TcpStream, data: &[u8]) {
    write!(conn, "{:x}\r\n", data.len()).unwrap();
    conn.write_all(data).unwrap();
    conn.write_all(b"\r\n").unwrap();
}

fn frame(stream: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![stream, 0, 0, 0];
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn sequential_calls_reuse_one_connection() {
    let fake = FakeEngine::start(|_, conn| {
        ok_json(conn, VERSION);
        true
    });
    let docker = fake.client();
    for _ in 0..20 {
        assert_eq!(docker.version().unwrap().version, "fake");
    }
    assert_eq!(fake.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn a_connection_the_engine_closed_while_idle_is_not_reused() {
    // Answers once per connection, then closes it without saying so (a stale keep-alive).
    let fake = FakeEngine::start(|_, conn| {
        ok_json(conn, VERSION);
        false
    });
    let docker = fake.client();
    for _ in 0..5 {
        docker.version().unwrap();
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(fake.connections.load(Ordering::SeqCst), 5);
}

#[test]
fn a_reply_that_is_not_http_is_a_clear_error() {
    let fake = FakeEngine::start(|_, conn| {
        conn.write_all(b"SSH-2.0-OpenSSH_9.2\r\n\r\n").unwrap();
        false
    });
    let err = fake.client().version().unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("GET /version"), "{err}");
}

#[test]
fn a_body_cut_short_is_an_error_not_a_partial_answer() {
    let fake = FakeEngine::start(|_, conn| {
        conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Version\":")
            .unwrap();
        false
    });
    let err = fake.client().version().unwrap_err();
    assert!(
        matches!(err, Error::Transport { .. } | Error::Decode { .. }),
        "{err:?}"
    );
}

#[test]
fn garbage_json_names_the_request() {
    let fake = FakeEngine::start(|_, conn| {
        ok_json(conn, "<html>proxy error</html>");
        true
    });
    let err = fake.client().version().unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("GET /version"), "{err}");
}

#[test]
fn error_statuses_keep_the_text_of_a_non_json_body() {
    let fake = FakeEngine::start(|_, conn| {
        conn.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 11\r\n\r\nupstream!!\n")
            .unwrap();
        true
    });
    let err = fake.client().version().unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert!(err.to_string().contains("upstream!!"), "{err}");
}

/// Logs from the fake engine, for the stream faults below.
fn logs(
    handler: impl Fn(&mut TcpStream) + Send + Sync + 'static,
) -> Vec<dockhand::Result<Vec<u8>>> {
    // The client speaks 1.41, so it asks for the container's TTY before its logs.
    let fake = FakeEngine::start(move |path, conn| {
        if path.ends_with("/containers/x/json") {
            ok_json(conn, r#"{"Config":{"Tty":false}}"#);
            return true;
        }
        handler(conn);
        false
    });
    let stream = fake
        .client()
        .container("x")
        .logs(&LogsOptions::new())
        .unwrap();
    stream.map(|c| c.map(|c| c.data)).collect()
}

#[test]
fn a_connection_dropped_mid_frame_is_an_error() {
    let items = logs(|conn| {
        stream_head(conn);
        chunk(conn, &frame(1, b"complete\n"));
        let half = frame(1, b"this frame never ends");
        chunk(conn, &half[..12]);
        // then the connection closes, without the last chunk
    });
    assert_eq!(items[0].as_ref().unwrap(), b"complete\n");
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(last, Error::Transport { .. } | Error::Decode { .. }),
        "{last:?}"
    );
}

#[test]
fn a_system_error_frame_over_http_is_the_engines_message() {
    let items = logs(|conn| {
        stream_head(conn);
        chunk(conn, &frame(1, b"before\n"));
        chunk(conn, &frame(3, b"error from daemon in stream: oops"));
        chunk(conn, b"");
    });
    assert_eq!(items.len(), 2);
    match items[1].as_ref().unwrap_err() {
        Error::Stream { message } => assert!(message.contains("oops"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_four_gigabyte_declared_length_allocates_nothing() {
    let items = logs(|conn| {
        stream_head(conn);
        let mut header = vec![1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        header.extend_from_slice(b"tiny");
        chunk(conn, &header);
        chunk(conn, b"");
    });
    assert_eq!(items[0].as_ref().unwrap(), b"tiny");
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert!(err.to_string().contains("inside a frame"), "{err}");
}

#[test]
fn a_slow_reply_within_the_timeout_is_fine() {
    let fake = FakeEngine::start(|_, conn| {
        thread::sleep(Duration::from_millis(300));
        ok_json(conn, VERSION);
        true
    });
    fake.client().version().unwrap();
}

#[test]
fn request_headers_are_not_shown_in_debug() {
    let docker = Docker::connect("tcp://127.0.0.1:1").unwrap();
    let request = docker
        .request("POST", "/images/create")
        .header("X-Registry-Auth", "c2VjcmV0LXRva2Vu");
    let shown = format!("{request:?}");
    assert!(shown.contains("x-registry-auth"), "{shown}");
    assert!(!shown.contains("c2VjcmV0LXRva2Vu"), "{shown}");
}

#[test]
fn the_request_timeout_reads_as_one_even_mid_body() {
    // Headers at once, then a body that stalls past the deadline.
    let fake = FakeEngine::start(|_, conn| {
        conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"Version\":")
            .unwrap();
        thread::sleep(Duration::from_secs(3));
        false
    });
    let docker = Docker::new(
        Settings::new(&format!("tcp://127.0.0.1:{}", fake.port))
            .unwrap()
            .with_version("1.41".parse().unwrap())
            .with_timeout(Duration::from_millis(500)),
    )
    .unwrap();
    let err = docker.version().unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[cfg(feature = "tls")]
#[test]
fn a_connection_closed_during_the_tls_handshake_is_a_tls_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        // Read the ClientHello, then hang up.
        if let Ok((mut conn, _)) = listener.accept() {
            let mut hello = [0u8; 512];
            let _ = std::io::Read::read(&mut conn, &mut hello);
        }
    });
    let docker = Docker::new(
        Settings::new(&format!("https://localhost:{port}"))
            .unwrap()
            .with_version("1.41".parse().unwrap()),
    )
    .unwrap();
    let err = docker.version().unwrap_err();
    match err {
        Error::Tls { ref reason, .. } => assert!(reason.contains("handshake"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

/// A server that takes one connection and hands it, with the request head read, to
/// `handler`; returns a client for it, and what the handler returns.
fn one_connection<T: Send + 'static>(
    handler: impl FnOnce(Vec<String>, BufReader<TcpStream>) -> T + Send + 'static,
) -> (Docker, thread::JoinHandle<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(conn);
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_string());
        }
        handler(head, reader)
    });
    let docker = Docker::new(
        Settings::new(&format!("tcp://127.0.0.1:{port}"))
            .unwrap()
            .with_version("1.41".parse().unwrap())
            .with_timeout(Duration::from_secs(5)),
    )
    .unwrap();
    (docker, server)
}

/// 8 MiB of upload, generated as it is read.
fn big_upload() -> impl Read + Send + 'static {
    std::io::repeat(b'u').take(8 * 1024 * 1024)
}

/// An error answer as the engine writes it, closing the connection after.
fn error_answer(status: &str, message: &str) -> Vec<u8> {
    let body = format!("{{\"message\":\"{message}\"}}\n");
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn an_upload_refused_before_its_body_is_the_engines_answer_at_once() {
    // As the engine does: the answer comes right after the request head, and the
    // connection stays open (the engine waits for the client to go away).
    let (docker, server) = one_connection(|head, mut conn| {
        conn.get_mut()
            .write_all(&error_answer("404 Not Found", "No such container: ghost"))
            .unwrap();
        let mut body = Vec::new();
        conn.get_mut()
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        let _ = conn.read_to_end(&mut body);
        (head, body.len())
    });
    let started = std::time::Instant::now();
    let err = docker
        .container("ghost")
        .put_archive(
            "/tmp",
            big_upload(),
            &dockhand::container::PutArchiveOptions::new(),
        )
        .unwrap_err();
    let took = started.elapsed();
    assert!(err.is_not_found(), "{err:?}");
    assert!(
        err.to_string().contains("No such container: ghost"),
        "{err}"
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    let (head, body) = server.join().unwrap();
    assert!(
        head.iter()
            .any(|h| h.eq_ignore_ascii_case("expect: 100-continue")),
        "{head:?}"
    );
    assert_eq!(body, 0, "the body was sent though the engine had answered");
}

#[test]
fn an_upload_refused_midway_is_the_engines_answer() {
    // The engine reads a little, answers, and closes with the rest unread.
    let (docker, server) = one_connection(|_, mut conn| {
        conn.get_mut()
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .unwrap();
        let mut some = vec![0u8; 4096];
        conn.read_exact(&mut some).unwrap();
        conn.get_mut()
            .write_all(&error_answer(
                "500 Internal Server Error",
                "archive/tar: invalid tar header",
            ))
            .unwrap();
        // Closed with megabytes unread.
    });
    let err = docker
        .container("x")
        .put_archive(
            "/tmp",
            big_upload(),
            &dockhand::container::PutArchiveOptions::new(),
        )
        .unwrap_err();
    server.join().unwrap();
    assert_eq!(err.status(), Some(500), "{err:?}");
    assert!(err.to_string().contains("invalid tar header"), "{err}");
}

/// Request lines a server saw, in order.
type Seen = Arc<Mutex<Vec<String>>>;

/// A server whose first connection answers one request, then reads the next one and
/// closes without answering: as when the engine restarts, or a proxy drops an idle
/// kept-alive connection, just as a request goes out on it. Other connections answer
/// every request.
fn closes_its_first_connection_at_the_second_request() -> (Docker, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Seen = Arc::default();
    let log = seen.clone();
    thread::spawn(move || {
        for (n, conn) in listener.incoming().take(10).enumerate() {
            let Ok(conn) = conn else { return };
            let log = log.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut conn = conn;
                for answered in 0..100 {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                    }
                    log.lock()
                        .unwrap()
                        .push(request_line.trim_end().to_string());
                    if n == 0 && answered == 1 {
                        return; // closed, unanswered
                    }
                    ok_json(&mut conn, VERSION);
                }
            });
        }
    });
    let docker = Docker::new(
        Settings::new(&format!("tcp://127.0.0.1:{port}"))
            .unwrap()
            .with_version("1.41".parse().unwrap())
            .with_timeout(Duration::from_secs(5)),
    )
    .unwrap();
    (docker, seen)
}

#[test]
fn a_get_on_a_pooled_connection_closed_under_it_is_sent_again() {
    let (docker, seen) = closes_its_first_connection_at_the_second_request();
    docker.version().unwrap();
    let again = docker.version();
    assert!(again.is_ok(), "{again:?}");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen.iter().all(|l| l.starts_with("GET /v1.41/version")),
        "{seen:?}"
    );
}

#[test]
fn a_post_on_a_pooled_connection_closed_under_it_is_never_sent_again() {
    let (docker, seen) = closes_its_first_connection_at_the_second_request();
    docker.version().unwrap();
    let err = docker.container("x").start().unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // A resent POST would arrive on a new connection: give it the time to.
    thread::sleep(Duration::from_millis(200));
    let seen = seen.lock().unwrap().clone();
    let posts = seen.iter().filter(|l| l.starts_with("POST")).count();
    assert_eq!(posts, 1, "{seen:?}");
}

#[test]
fn a_get_on_a_new_connection_closed_unanswered_is_not_sent_again() {
    // Only a reused connection may have been closed by accident: an engine that drops a
    // new one means it.
    let fake = FakeEngine::start(|_, _| false);
    let err = fake.client().version().unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    thread::sleep(Duration::from_millis(100));
    assert_eq!(fake.connections.load(Ordering::SeqCst), 1);
}

/// A call that starts a stream, and drops it.
type Call<'a> = Box<dyn Fn() -> dockhand::Result<()> + 'a>;
/// The same, through a given client.
type CallOn = Box<dyn Fn(&Docker) -> dockhand::Result<()>>;

/// An engine that answers what a stream asks first (the container's TTY) and then accepts
/// the stream's request and never answers it (for up to 10 s).
fn silent_engine(timeout: Duration) -> Docker {
    let fake = FakeEngine::start(|path, conn| {
        if path.ends_with("/containers/x/json") {
            ok_json(conn, r#"{"Config":{"Tty":false}}"#);
            return true;
        }
        thread::sleep(Duration::from_secs(10));
        false
    });
    Docker::new(
        Settings::new(&format!("tcp://127.0.0.1:{}", fake.port))
            .unwrap()
            .with_version("1.41".parse().unwrap())
            .with_timeout(timeout),
    )
    .unwrap()
}

#[test]
fn a_silent_engine_never_holds_a_stream_past_the_timeout() {
    let docker = silent_engine(Duration::from_millis(500));
    let x = docker.container("x");
    let calls: Vec<(&str, Call<'_>)> = vec![
        (
            "events",
            Box::new(|| docker.events(&dockhand::EventsOptions::new()).map(drop)),
        ),
        (
            "logs",
            Box::new(|| x.logs(&LogsOptions::new().follow(true)).map(drop)),
        ),
        ("wait", Box::new(|| x.wait().map(drop))),
        ("stats", Box::new(|| x.stats_stream().map(drop))),
    ];
    for (what, call) in calls {
        let started = std::time::Instant::now();
        let err = call().unwrap_err();
        let took = started.elapsed();
        assert!(err.is_timeout(), "{what}: {err:?}");
        assert!(took < Duration::from_secs(3), "{what} took {took:?}");
    }
}

#[test]
fn a_cancel_handle_taken_before_the_call_stops_the_wait_for_the_answer() {
    let docker = silent_engine(Duration::from_secs(30));
    let calls: Vec<(&str, CallOn)> = vec![
        (
            "events",
            Box::new(|d| d.events(&dockhand::EventsOptions::new()).map(drop)),
        ),
        ("wait", Box::new(|d| d.container("x").wait().map(drop))),
        (
            "attach",
            Box::new(|d| {
                d.container("x")
                    .attach(&dockhand::exec::AttachOptions::new())
                    .map(drop)
            }),
        ),
    ];
    for (what, call) in calls {
        let cancel = dockhand::CancelHandle::new();
        let stop = cancel.clone();
        let stopper = thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            stop.cancel();
        });
        let started = std::time::Instant::now();
        let err = call(&docker.with_cancel(&cancel)).unwrap_err();
        let took = started.elapsed();
        stopper.join().unwrap();
        assert!(matches!(err, Error::Cancelled { .. }), "{what}: {err:?}");
        assert!(took < Duration::from_secs(3), "{what} took {took:?}");
        // Cancelled for good: the next stream through it fails at once.
        let started = std::time::Instant::now();
        let err = call(&docker.with_cancel(&cancel)).unwrap_err();
        assert!(matches!(err, Error::Cancelled { .. }), "{what}: {err:?}");
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
