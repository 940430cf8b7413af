//! An integration test of a service in a container: start it, wait until it answers, talk
//! to it through its published port, and leave nothing behind.
//!
//!     cargo run --example service_test [IMAGE]
//!
//! The service is busybox's `httpd`, from IMAGE: by default `dockhand-test/busybox:latest`,
//! the test image `scripts/engine-up` makes (`busybox:latest` from Docker Hub does as
//! well). To test your own service, put its image in place (`myapp:dev`) and drop the
//! `cmd` and the port number for its own: the rest stays as it is.

use std::error::Error;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use dockhand::container::{PortBinding, WaitFor};
use dockhand::scope::Scope;
use dockhand::{ContainerConfig, Docker, HostConfig};

// Run here by `main`; in a test crate, the same function sits in a `#[test]` (a panic or
// an `Err` fails it):
//
//     #[test]
//     fn the_web_server_serves_test_data() -> Result<(), Box<dyn std::error::Error>> {
//         web_serves_test_data("myapp:dev", |published| published)
//     }
fn main() -> ExitCode {
    let image = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dockhand-test/busybox:latest".to_string());
    // The engine's published ports are on this machine: connect where it says.
    match web_serves_test_data(&image, |published| published) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("service_test: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The test: a web server in a container serves a file the test gives it.
///
/// `reach` turns the address where the engine published the port into the one to connect
/// to: the same address for an engine on this machine; another for an engine in a virtual
/// machine or a network namespace of its own (the test suite passes a relay there).
pub fn web_serves_test_data(
    image: &str,
    reach: impl FnOnce(SocketAddr) -> SocketAddr,
) -> Result<(), Box<dyn Error>> {
    // DOCKER_HOST and friends, as the docker CLI reads them; the local socket by default.
    let docker = Docker::from_env()?;
    // What the scope marks is removed when `scope` drops: at the end, on an early return
    // by `?`, or when an assert panics. The next run also removes what a killed run left.
    let scope = Scope::new(&docker)?;

    // `docker run -d -p 127.0.0.1::8080 IMAGE sh -c '...'`: the engine picks a free host
    // port, so tests running side by side do not collide.
    let config = scope.mark(
        ContainerConfig::new(image)
            .cmd([
                "sh",
                "-c",
                "mkdir -p /www && echo '<h1>up</h1>' > /www/index.html \
                 && exec httpd -f -v -p 8080 -h /www",
            ])
            .expose("8080")
            .host_config(HostConfig::new().publish("8080", PortBinding::new("127.0.0.1", "")))
            .label("dockhand-example", "service_test"),
    );
    let created = docker.containers().create(&config)?;
    let web = docker.container(&created.id);
    web.start()?;

    // Where port 8080 is published: 127.0.0.1 and the port the engine picked.
    let address = reach(web.host_port(8080)?);
    println!("the server is published at {address}");

    // Ready when `GET /` answers 2xx. If it does not within 30 s (or the container dies),
    // the error says which condition was unmet and shows the container's last log lines.
    let ready = WaitFor::http(8080, "/").dial_addr(address);
    web.wait_until(&ready, Duration::from_secs(30))?;

    // Test data, written straight into the running container (no volume, no tar).
    web.copy_in_bytes("/www/greeting.txt", "hello from the test\n", 0o644)?;

    let (status, body) = http_get(address, "/greeting.txt")?;
    println!("GET /greeting.txt: {status}, {body:?}");
    assert_eq!(status, 200, "status of GET /greeting.txt");
    assert_eq!(body, "hello from the test\n");

    // Removes the container now and reports a failure, which a drop could only log.
    let cleaned = scope.close()?;
    println!("removed {} container(s)", cleaned.containers.len());
    Ok(())
}

/// `GET path` over HTTP/1.0 with a plain `TcpStream`: the status code and the body.
fn http_get(address: SocketAddr, path: &str) -> Result<(u16, String), Box<dyn Error>> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n")?;
    // HTTP/1.0: the server closes the connection after its answer.
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("not an HTTP answer: {answer:?}"))?;
    // "HTTP/1.1 200 OK"
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    Ok((status, body.to_string()))
}
