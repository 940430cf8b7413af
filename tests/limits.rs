//! What is held in memory can be capped: a body or an output over the caller's limit is an
//! `Error::TooLarge`, never a body or output cut short; at the limit exactly, all of it
//! comes.

mod common;

use common::Scope;
use dockhand::{Error, ListContainersOptions, LogsOptions};

/// A shell command that writes `n` bytes to stdout and `n` to stderr, in whole lines (a
/// log driver holds a partial last line back while the container runs).
fn writes(n: usize) -> String {
    format!("yes | head -c {n}; yes | head -c {n} >&2")
}

fn too_large(result: dockhand::Result<impl std::fmt::Debug>, limit: u64) -> String {
    match result {
        Err(e @ Error::TooLarge { .. }) => {
            assert!(matches!(e, Error::TooLarge { limit: l, .. } if l == limit));
            let text = e.to_string();
            assert!(
                text.contains(&limit.to_string()) && text.contains("stream"),
                "{text}"
            );
            text
        }
        other => panic!("not TooLarge: {other:?}"),
    }
}

#[test]
fn response_bodies_can_be_capped() {
    let docker = common::docker();
    let whole = docker
        .request("GET", "/version")
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    let n = whole.len() as u64;
    let at_limit = docker
        .request("GET", "/version")
        .send()
        .unwrap()
        .limit(n)
        .bytes()
        .unwrap();
    assert_eq!(at_limit, whole);
    let text = too_large(
        docker
            .request("GET", "/version")
            .send()
            .unwrap()
            .limit(n - 1)
            .bytes(),
        n - 1,
    );
    assert!(text.contains("GET /version"), "{text}");
    too_large(
        docker
            .request("GET", "/version")
            .send()
            .unwrap()
            .limit(10)
            .text(),
        10,
    );
    too_large(
        docker
            .request("GET", "/version")
            .send()
            .unwrap()
            .limit(10)
            .json::<serde_json::Value>(),
        10,
    );
    let version: serde_json::Value = docker
        .request("GET", "/version")
        .send()
        .unwrap()
        .limit(n)
        .json()
        .unwrap();
    assert!(version["ApiVersion"].is_string());
    // the client still works after a refused body (its connection was dropped)
    docker.ping().unwrap();
}

#[test]
fn run_exec_and_collected_output_can_be_capped() {
    let scope = Scope::new("limits");
    let docker = &scope.docker;
    let config = scope.config().cmd(["sh", "-c", &writes(50_000)]);

    let out = docker.run_with_limit(&config, 100_000).unwrap();
    assert_eq!((out.stdout.len(), out.stderr.len()), (50_000, 50_000));
    let text = too_large(docker.run_with_limit(&config, 99_999), 99_999);
    assert!(text.contains("logs"), "{text}");
    // the container is removed all the same
    let left = docker
        .containers()
        .list(
            &ListContainersOptions::new()
                .all(true)
                .filter("label", &scope.filter()),
        )
        .unwrap();
    assert!(left.is_empty(), "{left:?}");

    let id = scope.create(&["sh", "-c", &format!("{}; sleep 600", writes(30_000))]);
    let container = docker.container(&id);
    container.start().unwrap();
    let logs = || {
        common::wait_for("the output", std::time::Duration::from_secs(20), || {
            let out = container
                .logs(&LogsOptions::new())
                .unwrap()
                .collect_output()
                .unwrap();
            (out.stdout.len() + out.stderr.len() == 60_000).then_some(())
        });
        container.logs(&LogsOptions::new()).unwrap()
    };
    let out = logs().limit(60_000).collect_output().unwrap();
    assert_eq!(out.stdout.len() + out.stderr.len(), 60_000);
    too_large(logs().limit(59_999).collect_output(), 59_999);

    let cmd = ["sh", "-c", &writes(20_000)];
    let done = container.exec_run_with_limit(cmd, 40_000).unwrap();
    assert_eq!(done.exit_code, 0);
    assert_eq!((done.stdout.len(), done.stderr.len()), (20_000, 20_000));
    too_large(container.exec_run_with_limit(cmd, 39_999), 39_999);
    // without a limit, all of it, as before
    let done = container.exec_run(cmd).unwrap();
    assert_eq!(done.stdout.len() + done.stderr.len(), 40_000);
}
