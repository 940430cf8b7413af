use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::time::{Duration, Instant};

use super::not_ready::{NotReady, NotReadyCause};
use super::wait::{check_health, dial_tcp, get_http, http_agent, is_stopped_for_good, Health};
use super::WaitFor;
use crate::container::ContainerInspect;
use crate::stream::{Line, StreamKind};

fn inspect(json: serde_json::Value) -> ContainerInspect {
    serde_json::from_value(json).unwrap()
}

#[test]
fn conditions_say_what_they_wait_for() {
    let ready = WaitFor::stderr_line("ready to accept connections")
        .times(2)
        .and(WaitFor::port(5432))
        .and(WaitFor::http(8080, "health").status(204))
        .and(WaitFor::exec(["pg_isready", "-U", "postgres"]))
        .and(WaitFor::healthy().or(WaitFor::stdout_line("up")));
    assert_eq!(
        ready.to_string(),
        "all of [a line of its stderr containing \"ready to accept connections\" (2 times); \
         port 5432/tcp to accept connections; GET /health on port 8080/tcp to answer 204; \
         `pg_isready -U postgres` to exit with code 0; any of [its health check to pass \
         (healthy); a line of its stdout containing \"up\"]]"
    );
    assert!(ready.misuse().is_none());
    let dialled = WaitFor::port(80)
        .and(WaitFor::http(81, "/"))
        .dial_host("10.0.0.2".parse().unwrap());
    assert_eq!(
        dialled.to_string(),
        "all of [port 80/tcp to accept connections (dialled at 10.0.0.2); GET / on port \
         81/tcp to answer 2xx (dialled at 10.0.0.2)]"
    );
    let matching = WaitFor::log_matching("a line ending in `up`", |l| l.text().ends_with("up"));
    assert_eq!(matching.to_string(), "a line ending in `up` in its output");
}

#[test]
fn a_modifier_used_where_it_does_not_apply_is_a_clear_error_not_a_panic() {
    for (condition, words) in [
        (
            WaitFor::port(80).times(2),
            "WaitFor::times applies to a log condition",
        ),
        (
            WaitFor::log_line("x").status(200),
            "WaitFor::status applies to WaitFor::http",
        ),
        (
            WaitFor::healthy().dial_host("10.0.0.2".parse().unwrap()),
            "WaitFor::dial_host applies to WaitFor::port and WaitFor::http",
        ),
        (
            WaitFor::exec(["true"]).dial_addr("127.0.0.1:9".parse().unwrap()),
            "WaitFor::dial_addr applies to WaitFor::port and WaitFor::http",
        ),
        (WaitFor::exec(Vec::<String>::new()), "needs a command"),
        (WaitFor::http(80, "/a b"), "needs a path such as /health"),
        // Inside a combination too.
        (
            WaitFor::healthy().and(WaitFor::port(1).status(200)),
            "WaitFor::status applies to WaitFor::http, not to: port 1/tcp",
        ),
    ] {
        let misuse = condition.misuse().unwrap_or_else(|| panic!("{condition}"));
        assert!(misuse.contains(words), "{misuse}");
    }
    assert!(WaitFor::http(80, "/health?full=1&x=%20").misuse().is_none());
}

#[test]
fn log_conditions_look_at_their_streams() {
    let stdout = Line::new(StreamKind::Stdout, "server is up\n");
    let stderr = Line::new(StreamKind::Stderr, "server is up\n");
    let console = Line::new(StreamKind::Console, "server is up\r\n");
    let leaf = |w: WaitFor| match w.kind {
        super::Kind::Line(wait) => wait,
        _ => unreachable!(),
    };
    let any = leaf(WaitFor::log_line("is up"));
    assert!(any.matches(&stdout) && any.matches(&stderr) && any.matches(&console));
    assert!(!any.matches(&Line::new(StreamKind::Stdin, "is up")));
    let out = leaf(WaitFor::stdout_line("is up"));
    assert!(out.matches(&stdout) && out.matches(&console) && !out.matches(&stderr));
    let err = leaf(WaitFor::stderr_line("is up"));
    assert!(!err.matches(&stdout) && err.matches(&stderr));
    assert!(!any.matches(&Line::new(StreamKind::Stdout, "is down")));
    let pred = leaf(WaitFor::log_matching("stderr only", |l| l.is_stderr()));
    assert!(pred.matches(&stderr) && !pred.matches(&stdout));
}

#[test]
fn health_is_read_from_the_typed_status() {
    let running = |health: serde_json::Value, check: serde_json::Value| {
        inspect(serde_json::json!({
            "State": {"Status": "running", "Running": true, "Health": health},
            "Config": {"Image": "x", "Healthcheck": check}
        }))
    };
    let check = serde_json::json!({"Test": ["CMD-SHELL", "true"]});
    let healthy = running(serde_json::json!({"Status": "healthy"}), check.clone());
    assert_eq!(healthy.state.health.as_ref().unwrap().status, "healthy");
    assert!(check_health(&healthy).is_ok());
    let failing = running(
        serde_json::json!({"Status": "unhealthy", "FailingStreak": 3,
            "Log": [{"ExitCode": 1, "Output": "pg: no\nconnection refused\n"}]}),
        check.clone(),
    );
    match check_health(&failing) {
        Err(Health::NotYet(why)) => assert_eq!(
            why,
            "health unhealthy, last check exited 1: connection refused"
        ),
        _ => panic!("unhealthy is not ready yet"),
    }
    // No check at all, or NONE: never.
    for (health, check) in [
        (serde_json::Value::Null, serde_json::Value::Null),
        (
            serde_json::Value::Null,
            serde_json::json!({"Test": ["NONE"]}),
        ),
        // Podman's answer for a container without a check.
        (
            serde_json::json!({"Status": "", "Log": null}),
            serde_json::Value::Null,
        ),
    ] {
        let none = running(health, check);
        assert!(matches!(check_health(&none), Err(Health::Never)));
    }
    // Not running yet: maybe later.
    let created = inspect(serde_json::json!({"State": {"Status": "created"}}));
    assert!(matches!(check_health(&created), Err(Health::NotYet(_))));
    // An unknown value is kept.
    let odd = running(serde_json::json!({"Status": "pondering"}), check);
    let status = &odd.state.health.as_ref().unwrap().status;
    assert_eq!(
        *status,
        crate::container::HealthStatus::Other("pondering".into())
    );
    assert_eq!(serde_json::to_value(status).unwrap(), "pondering");
}

#[test]
fn a_container_stopped_for_good_has_no_restart_policy_to_bring_it_back() {
    let with = |status: &str, policy: &str| {
        is_stopped_for_good(&inspect(serde_json::json!({
            "State": {"Status": status},
            "HostConfig": {"RestartPolicy": {"Name": policy}}
        })))
    };
    assert!(with("exited", "") && with("exited", "no") && with("dead", "no"));
    assert!(!with("exited", "always") && !with("exited", "on-failure"));
    assert!(!with("running", "") && !with("created", ""));
}

#[test]
fn a_proxy_that_closes_at_once_is_not_a_listening_port() {
    let attempt = Duration::from_secs(2);
    let grace = Duration::from_millis(200);
    // Accepts and closes, as docker-proxy does with nothing behind it.
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = proxy.local_addr().unwrap();
    let closer = std::thread::spawn(move || {
        let (conn, _) = proxy.accept().unwrap();
        drop(conn);
    });
    let err = dial_tcp(address, attempt, grace).unwrap_err();
    assert!(err.contains("closed at once"), "{err}");
    closer.join().unwrap();
    // Accepts and keeps the connection open: ready.
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = server.local_addr().unwrap();
    let holder = std::thread::spawn(move || {
        let (conn, _) = server.accept().unwrap();
        std::thread::sleep(Duration::from_millis(500));
        drop(conn);
    });
    dial_tcp(address, attempt, grace).unwrap();
    holder.join().unwrap();
    // Speaks first (a greeting): ready at once.
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = server.local_addr().unwrap();
    let greeter = std::thread::spawn(move || {
        let (mut conn, _) = server.accept().unwrap();
        conn.write_all(b"+OK\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(300));
    });
    let started = Instant::now();
    dial_tcp(address, attempt, grace).unwrap();
    assert!(started.elapsed() < grace, "{:?}", started.elapsed());
    greeter.join().unwrap();
    // Nothing listens: refused.
    let closed: SocketAddr = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let err = dial_tcp(closed, attempt, grace).unwrap_err();
    assert!(err.starts_with(&closed.to_string()), "{err}");
}

#[test]
fn http_checks_want_2xx_or_the_status_asked_for() {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let address = server.server_addr().to_ip().unwrap();
    let serving = std::thread::spawn(move || {
        for _ in 0..3 {
            let request = server.recv().unwrap();
            let code = if request.url() == "/health?full=1" {
                204
            } else {
                503
            };
            request.respond(tiny_http::Response::empty(code)).unwrap();
        }
    });
    let agent = http_agent();
    let attempt = Duration::from_secs(2);
    get_http(&agent, address, "/health?full=1", None, attempt).unwrap();
    let err = get_http(&agent, address, "/", None, attempt).unwrap_err();
    assert!(err.ends_with("/ answered 503"), "{err}");
    get_http(&agent, address, "/", Some(503), attempt).unwrap();
    serving.join().unwrap();
}

fn not_ready(cause: NotReadyCause, state: Option<serde_json::Value>) -> NotReady {
    NotReady {
        container: "db".into(),
        cause,
        awaited: "all of [a line of its output containing \"ready\"; port 5432/tcp to accept \
                  connections]"
            .into(),
        unmet: vec![
            "port 5432/tcp to accept connections (127.0.0.1:49153: connection refused)".into(),
        ],
        waited: Duration::from_millis(30_040),
        state: state.map(|s| inspect(serde_json::json!({ "State": s })).state),
        last_lines: vec![
            Line::new(StreamKind::Stdout, "starting\n"),
            Line::new(StreamKind::Stderr, "FATAL: bad config\n"),
        ],
        dials: true,
    }
}

#[test]
fn the_error_says_what_was_awaited_the_state_the_last_lines_and_what_to_do() {
    let exited = not_ready(
        NotReadyCause::Stopped,
        Some(serde_json::json!({"Status": "exited", "ExitCode": 3})),
    );
    assert_eq!(exited.exit_code(), Some(3));
    assert!(!exited.timed_out());
    assert_eq!(
        exited.to_string(),
        "container db stopped before it was ready: waited for all of [a line of its output \
         containing \"ready\"; port 5432/tcp to accept connections]; not met: port 5432/tcp \
         to accept connections (127.0.0.1:49153: connection refused). It is exited with code \
         3. Its last 2 lines:\n  stdout| starting\n  stderr| FATAL: bad config\nIts last \
         lines should say why it stopped."
    );
    let slow = not_ready(
        NotReadyCause::Timeout,
        Some(serde_json::json!({"Status": "running", "Running": true,
            "Health": {"Status": "starting"}})),
    );
    assert_eq!(slow.exit_code(), None);
    let text = slow.to_string();
    assert!(
        text.starts_with("container db was not ready within 30.0s"),
        "{text}"
    );
    assert!(text.contains("It is running, health starting."), "{text}");
    assert!(text.contains("WaitFor::dial_host"), "{text}");
    let error = crate::Error::NotReady(Box::new(slow));
    assert!(error.is_timeout());
    assert_eq!(error.to_string(), text);
    let gone = not_ready(NotReadyCause::Removed, None);
    assert!(gone.to_string().contains("It is removed."), "{gone}");
    let mut silent = not_ready(
        NotReadyCause::Timeout,
        Some(serde_json::json!({"Status": "created"})),
    );
    silent.last_lines.clear();
    let text = silent.to_string();
    assert!(
        text.contains("It is created, never started. It wrote nothing."),
        "{text}"
    );
    assert!(text.ends_with("Start it before waiting (or while waiting, from another thread)."));
}
