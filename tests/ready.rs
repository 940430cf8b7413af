//! Readiness waits, published ports and output as lines, against the real engine: the
//! things an integration test or a script does with a container (start it, wait until it
//! is ready, find its port, feed it input, read its output line by line).
//!
//! Where the engine runs in a network namespace of its own (the engines of
//! `scripts/engine-matrix`), its published ports are not on the host's loopback: the port
//! and HTTP waits dial the engine's link address (`DOCKHAND_LINK_ENGINE`) with
//! `WaitFor::dial_host`, or, for Podman (no link), a relay into the namespace with
//! `WaitFor::dial_addr`.

mod common;

use std::net::IpAddr;
use std::time::{Duration, Instant};

use common::relay::Relay;
use common::Scope;
use dockhand::container::{
    HealthConfig, NotReady, NotReadyCause, PortBinding, PortProtocol, WaitFor,
};
use dockhand::{Container, ContainerGuard, Error, HostConfig, LogsOptions, StreamKind};

/// Creates and starts a labelled container running `sh -c script`, publishing `ports`
/// (container port, host address) on free host ports.
fn start(scope: &Scope, script: &str, ports: &[(u16, &str)]) -> ContainerGuard {
    let mut config = scope.config().cmd(["sh", "-c", script]);
    let mut host = HostConfig::new();
    for (port, address) in ports {
        config = config.expose(&port.to_string());
        host = host.publish(&port.to_string(), PortBinding::new(address, ""));
    }
    let config = config.host_config(host);
    let container = scope.docker.containers().create_guarded(&config).unwrap();
    container.start().unwrap();
    container
}

fn not_ready(result: dockhand::Result<()>) -> NotReady {
    match result {
        Err(Error::NotReady(not_ready)) => *not_ready,
        other => panic!("expected NotReady, got {other:?}"),
    }
}

/// `condition` (port and HTTP waits on `port`) made to reach the engine under test: as it
/// is for an engine in the host's network namespace; through the engine's link address,
/// or a relay (kept alive by the returned value), for one in a namespace of its own.
fn reachable(container: &Container, port: u16, condition: WaitFor) -> (WaitFor, Option<Relay>) {
    let env = common::engine_env();
    if let Some(link) = env.get("DOCKHAND_LINK_ENGINE").filter(|l| !l.is_empty()) {
        let link: IpAddr = link.parse().unwrap();
        return (condition.dial_host(link), None);
    }
    let namespace = common::engine_dir().join("netns.pid");
    match std::fs::read_to_string(&namespace) {
        Ok(pid) if common::is_podman() => {
            let published = container.host_port(port).unwrap();
            let relay = Relay::new(pid.trim(), published.port());
            (condition.dial_addr(relay.address), Some(relay))
        }
        _ => (condition, None),
    }
}

#[test]
fn a_log_line_written_after_a_delay_is_awaited_on_its_own_stream() {
    let scope = Scope::new("ready-log");
    let c = start(
        &scope,
        "echo starting; sleep 2; echo ready >&2; echo tick; echo tick; sleep 600",
        &[],
    );
    let started = Instant::now();
    c.wait_until(&WaitFor::stderr_line("ready"), Duration::from_secs(30))
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(1500), "{waited:?}");
    c.wait_until(&WaitFor::log_line("tick").times(2), Duration::from_secs(10))
        .unwrap();
    let matched = WaitFor::log_matching("a stdout line `starting`", |line| {
        line.stream == StreamKind::Stdout && line.text() == "starting"
    });
    c.wait_until(&matched, Duration::from_secs(10)).unwrap();

    // "ready" was written to stderr: a wait for it on stdout times out, and says so.
    let started = Instant::now();
    let err = not_ready(c.wait_until(&WaitFor::stdout_line("ready"), Duration::from_secs(2)));
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.cause, NotReadyCause::Timeout);
    assert_eq!(err.exit_code(), None);
    assert!(err.state.as_ref().unwrap().running);
    let last: Vec<_> = err
        .last_lines
        .iter()
        .map(|l| (l.stream, l.text().into_owned()))
        .collect();
    assert!(
        last.contains(&(StreamKind::Stderr, "ready".to_string())),
        "{last:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("a line of its stdout containing \"ready\" (not seen yet)"),
        "{text}"
    );
    assert!(text.contains("stderr| ready"), "{text}");
    assert!(
        Error::NotReady(Box::new(err)).is_timeout(),
        "a wait whose time ran out is a timeout"
    );
}

#[test]
fn a_container_that_dies_ends_the_wait_with_its_exit_code_and_last_lines() {
    let scope = Scope::new("ready-dies");
    let c = start(
        &scope,
        "echo booting; sleep 1; echo 'config: no such file' >&2; exit 3",
        &[],
    );
    let started = Instant::now();
    let err = not_ready(c.wait_until(
        &WaitFor::log_line("ready").and(WaitFor::exec(["true"])),
        Duration::from_secs(60),
    ));
    // It stops waiting when the container stops, not at the deadline.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.cause, NotReadyCause::Stopped);
    assert_eq!(err.exit_code(), Some(3));
    let last: Vec<_> = err
        .last_lines
        .iter()
        .map(|l| l.text().into_owned())
        .collect();
    assert_eq!(last, ["booting", "config: no such file"]);
    assert!(err.last_lines[1].is_stderr());
    let text = err.to_string();
    assert!(text.contains("It is exited with code 3."), "{text}");
    assert!(text.contains("stderr| config: no such file"), "{text}");

    // A line written just before it exited still counts.
    let quick = start(&scope, "echo done; exit 0", &[]);
    quick
        .wait_until(&WaitFor::stdout_line("done"), Duration::from_secs(30))
        .unwrap();
}

#[test]
fn a_health_check_that_turns_healthy_is_awaited() {
    let scope = Scope::new("ready-health");
    // Without a health check: a clear error at once, on every engine.
    let plain = start(&scope, "sleep 600", &[]);
    let started = Instant::now();
    let err = not_ready(plain.wait_until(&WaitFor::healthy(), Duration::from_secs(60)));
    assert_eq!(err.cause, NotReadyCause::NoHealthCheck);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(err.to_string().contains("has no health check"), "{err}");

    if common::skip(
        common::is_podman(),
        "Podman runs health checks from systemd timers: none without systemd",
    ) {
        return;
    }
    let config = scope
        .config()
        .cmd(["sh", "-c", "sleep 2; touch /tmp/ok; sleep 600"])
        .healthcheck(
            HealthConfig::cmd(["test", "-f", "/tmp/ok"])
                .interval(Duration::from_millis(500))
                .retries(100),
        );
    let c = scope.docker.containers().create_guarded(&config).unwrap();
    c.start().unwrap();
    c.wait_until(&WaitFor::healthy(), Duration::from_secs(60))
        .unwrap();
    let health = c.inspect().unwrap().state.health.unwrap();
    assert_eq!(health.status, dockhand::container::HealthStatus::Healthy);
    assert_eq!(health.status, "healthy");
}

#[test]
fn a_port_is_ready_when_something_listens_not_when_a_proxy_accepts() {
    let scope = Scope::new("ready-port");
    // The engine publishes the port at once; httpd listens 3 seconds later. Through
    // docker-proxy (the loopback address of the default engine) a connection is accepted
    // meanwhile and closed at once: that must not count.
    let c = start(
        &scope,
        "mkdir /www; sleep 3; exec httpd -f -p 8080 -h /www",
        &[(8080, "")],
    );
    let started = Instant::now();
    let (condition, _relay) = reachable(&c, 8080, WaitFor::port(8080));
    c.wait_until(&condition, Duration::from_secs(30)).unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(2500),
        "ready too soon: {waited:?}"
    );

    // A port that nothing publishes ends in a timeout that names it.
    let err = not_ready(c.wait_until(&WaitFor::port(9), Duration::from_secs(1)));
    assert!(
        err.unmet[0].contains("port 9/tcp of container") && err.unmet[0].contains("8080/tcp"),
        "{:?}",
        err.unmet
    );
}

#[test]
fn an_http_wait_wants_the_status_on_the_path() {
    let scope = Scope::new("ready-http");
    let c = start(
        &scope,
        "mkdir /www; httpd -p 8080 -h /www; sleep 2; echo ok > /www/ready.html; sleep 600",
        &[(8080, "")],
    );
    let (missing, _relay) = reachable(&c, 8080, WaitFor::http(8080, "/missing").status(404));
    c.wait_until(&missing, Duration::from_secs(30)).unwrap();
    let started = Instant::now();
    let (ready, _relay2) = reachable(&c, 8080, WaitFor::http(8080, "ready.html"));
    c.wait_until(&ready, Duration::from_secs(30)).unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );

    let (never, _relay3) = reachable(&c, 8080, WaitFor::http(8080, "/never"));
    let err = not_ready(c.wait_until(&never, Duration::from_secs(1)));
    assert!(err.unmet[0].contains("answered 404"), "{:?}", err.unmet);
}

#[test]
fn several_conditions_share_one_deadline() {
    let scope = Scope::new("ready-all");
    let c = start(
        &scope,
        "mkdir /www; echo index > /www/index.html; sleep 1; echo listening; \
         httpd -p 8080 -h /www; sleep 1; touch /tmp/migrated; sleep 600",
        &[(8080, "")],
    );
    let condition = WaitFor::stdout_line("listening")
        .and(WaitFor::port(8080))
        .and(WaitFor::http(8080, "/"))
        .and(WaitFor::exec(["test", "-f", "/tmp/migrated"]));
    let (condition, _relay) = reachable(&c, 8080, condition);
    c.wait_until(&condition, Duration::from_secs(30)).unwrap();

    // One of them is enough with `or`; none met in time names each.
    c.wait_until(
        &WaitFor::log_line("never").or(WaitFor::exec(["true"])),
        Duration::from_secs(10),
    )
    .unwrap();
    let started = Instant::now();
    let err = not_ready(c.wait_until(
        &WaitFor::log_line("never").and(WaitFor::exec(["false"])),
        Duration::from_secs(2),
    ));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.unmet.len(), 2, "{:?}", err.unmet);
    assert!(
        err.unmet[1].contains("`false` exited with code 1"),
        "{:?}",
        err.unmet
    );

    // A modifier where it does not apply is an error at once.
    let misuse = c
        .wait_until(&WaitFor::port(8080).times(2), Duration::from_secs(10))
        .unwrap_err();
    assert!(matches!(misuse, Error::Setting { .. }), "{misuse}");
}

#[test]
fn host_port_gives_an_address_to_connect_to() {
    let scope = Scope::new("ready-ports");
    let c = start(
        &scope,
        "sleep 600",
        &[(8080, ""), (8081, "127.0.0.1"), (5353, "")],
    );
    let inspect = c.inspect().unwrap();
    let published = |key: &str| -> Vec<(String, String)> {
        inspect.network_settings.ports[key]
            .as_ref()
            .unwrap()
            .iter()
            .map(|b| (b.host_ip.clone(), b.host_port.clone()))
            .collect()
    };
    eprintln!("8080/tcp is published as {:?}", published("8080/tcp"));

    // Every interface: the loopback address of an engine on a unix socket.
    let every = c.host_port(8080).unwrap();
    assert_eq!(every.ip(), IpAddr::from([127, 0, 0, 1]));
    let port = every.port().to_string();
    assert!(
        published("8080/tcp")
            .iter()
            .any(|(ip, p)| *p == port && ["", "0.0.0.0"].contains(&ip.as_str())),
        "{every} is not among {:?}",
        published("8080/tcp")
    );
    // One address: that one.
    let loopback = c.host_port(8081).unwrap();
    assert_eq!(loopback.ip(), IpAddr::from([127, 0, 0, 1]));
    assert_eq!(
        published("8081/tcp"),
        [("127.0.0.1".into(), loopback.port().to_string())]
    );
    assert_ne!(loopback.port(), every.port());

    // Not published: an error naming the port and what is published.
    for (port, protocol) in [(9999, PortProtocol::Tcp), (5353, PortProtocol::Udp)] {
        match c.host_port_for(port, protocol) {
            Err(e @ Error::PortNotPublished { .. }) => {
                let text = e.to_string();
                assert!(
                    text.contains(&format!("port {port}/{}", protocol.as_str())),
                    "{text}"
                );
                assert!(text.contains("8081/tcp"), "{text}");
            }
            other => panic!("{other:?}"),
        }
    }
    // A container that does not run publishes nothing, and the error says so.
    let created = scope.create(&["true"]);
    let err = scope.docker.container(&created).host_port(80).unwrap_err();
    assert!(err.to_string().contains("not running"), "{err}");
}

#[test]
fn logs_and_exec_output_come_as_lines_with_their_streams() {
    let scope = Scope::new("ready-lines");
    // A partial last line reaches the log when the program ends.
    let c = start(
        &scope,
        "printf 'one\\ntwo\\r\\n'; printf 'err\\n' >&2; printf 'caf\\303\\251 \\377\\n'; \
         printf 'no newline'",
        &[],
    );
    assert_eq!(c.wait().unwrap().status_code, 0);
    let lines: Vec<_> = c
        .logs(&LogsOptions::new())
        .unwrap()
        .lines()
        .collect::<dockhand::Result<_>>()
        .unwrap();
    // The engine keeps the order within a stream, not between stdout and stderr.
    let of = |stream: StreamKind| -> Vec<_> {
        lines
            .iter()
            .filter(|l| l.stream == stream)
            .map(|l| (l.text().into_owned(), l.is_complete()))
            .collect()
    };
    assert_eq!(
        of(StreamKind::Stdout),
        [
            ("one".into(), true),
            ("two".into(), true),
            ("café \u{fffd}".into(), true),
            ("no newline".into(), false),
        ]
    );
    assert_eq!(of(StreamKind::Stderr), [("err".to_string(), true)]);
    let stdout: Vec<_> = lines.iter().filter(|l| l.is_stdout()).collect();
    assert_eq!(stdout[1].data, b"two\r\n");
    // The json-file driver stores text: it has replaced the invalid byte already.
    assert!(stdout[2].data.starts_with("café ".as_bytes()));

    let c = start(&scope, "sleep 600", &[]);
    // Exec output is not stored: its bytes come as the program wrote them.
    let exec = c
        .create_exec(&dockhand::ExecConfig::new([
            "sh",
            "-c",
            "echo a; echo b >&2; printf 'caf\\303\\251 \\377\\r\\n'; printf end",
        ]))
        .unwrap();
    let mut out = Vec::new();
    let mut err = Vec::new();
    for line in exec.start().unwrap().lines() {
        let line = line.unwrap();
        match line.stream {
            StreamKind::Stderr => err.push(line),
            _ => out.push(line),
        }
    }
    let texts: Vec<_> = out.iter().map(|l| l.text().into_owned()).collect();
    assert_eq!(texts, ["a", "café \u{fffd}", "end"]);
    assert_eq!(out[1].data, b"caf\xc3\xa9 \xff\r\n");
    assert!(!out[2].is_complete());
    assert_eq!(err, [dockhand::Line::new(StreamKind::Stderr, "b\n")]);
}

#[test]
fn run_with_input_feeds_stdin_and_keeps_the_output_apart() {
    let scope = Scope::new("ready-run-input");
    let config = scope
        .config()
        .cmd(["sh", "-c", "cat; echo done >&2; exit 5"]);
    let out = scope
        .docker
        .run_with_input(&config, std::io::Cursor::new("hello\nworld"))
        .unwrap();
    assert_eq!(out.exit_code, 5);
    assert_eq!(out.stdout_text(), "hello\nworld");
    assert_eq!(out.stderr_text(), "done\n");

    // A script on stdin, 1 MiB of it, through `sh -s`.
    let mut script = String::from("x=0\n");
    while script.len() < 1024 * 1024 {
        script.push_str("x=$((x+1))\n");
    }
    script.push_str("echo $x\n");
    let increments = script.lines().count() - 2;
    let out = scope
        .docker
        .run_with_input(
            &scope.config().cmd(["sh", "-s"]),
            std::io::Cursor::new(script),
        )
        .unwrap();
    assert_eq!(out.exit_code, 0, "{}", out.stderr_text());
    assert_eq!(out.stdout_text().trim(), increments.to_string());

    // Nothing is left behind.
    let left = scope
        .docker
        .containers()
        .list(
            &dockhand::ListContainersOptions::new()
                .all(true)
                .filter("label", &scope.filter()),
        )
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}
