//! A run killed with SIGKILL mid-way leaves its scope's objects; the next run's first
//! `Scope::new` removes them, and never those of a run that is still alive.
//!
//! The test runs this same binary twice more as child processes: once as "the killed
//! run" (it makes a container, a network, a volume and an image in a scope, says so, and
//! waits to be killed), and as "the next run" (it only makes a scope).
#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use dockhand::scope::{Scope, LABEL};
use dockhand::Docker;

/// Which part this process plays, when it is a child.
const ROLE: &str = "DOCKHAND_SCOPE_TEST_ROLE";

/// This test binary, running only `test` in the role `role`.
fn child(test: &str, role: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, role)
        .stdin(Stdio::null());
    command
}

/// Kills and waits for a child when dropped, then removes what it left, so a failed test
/// leaves neither a process nor objects behind.
struct Killer(std::process::Child);

impl Drop for Killer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        if let Ok(docker) = Docker::from_env() {
            let _ = Scope::reap_stale(&docker);
        }
    }
}

/// The child parts: each does nothing unless this process was started for it.
#[test]
fn child_part() {
    match std::env::var(ROLE).as_deref() {
        Ok("killed") => {
            let docker = common::docker();
            let scope = Scope::new(&docker).unwrap();
            let tag = format!("dockhand-killed-{}", std::process::id());
            common::make_in_scope(&scope, &tag, true);
            println!("READY {}", scope.value());
            // Killed here, before the scope can drop.
            std::thread::sleep(Duration::from_secs(600));
            panic!("the killed run was not killed");
        }
        Ok("next") => {
            let docker = common::docker();
            let scope = Scope::new(&docker).unwrap();
            println!("NEXT {}", scope.value());
        }
        _ => {}
    }
}

#[test]
fn a_run_killed_with_sigkill_is_cleaned_by_the_next_run_only() {
    if std::env::var_os(ROLE).is_some() {
        return;
    }
    let docker = common::docker();

    // The killed run: wait until it has made everything.
    let mut killed = Killer(
        child("child_part", "killed")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = killed.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("killed run: {line}");
            // The harness prints `test child_part ... ` before it, on the same line.
            if let Some((_, value)) = line.split_once("READY ") {
                let _ = tx.send(value.trim().to_string());
            }
        }
    });
    let value = match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(value) => value,
        Err(_) => panic!("the killed run never got ready"),
    };
    let filter = format!("{LABEL}={value}");
    assert_eq!(
        common::labelled_counts(&docker, &filter),
        [1, 1, 1, 1],
        "what the run made"
    );

    // A next run while it is alive leaves its objects alone.
    let next = child("child_part", "next").output().unwrap();
    assert!(next.status.success(), "{next:?}");
    assert_eq!(
        common::labelled_counts(&docker, &filter),
        [1, 1, 1, 1],
        "a live run's objects were removed"
    );

    // SIGKILL: no destructor runs. Waited for, so it is not a zombie.
    killed.0.kill().unwrap();
    let status = killed.0.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "{status:?}");
    assert_eq!(
        common::labelled_counts(&docker, &filter),
        [1, 1, 1, 1],
        "what SIGKILL left"
    );

    // The next run's first Scope::new removes them.
    let next = child("child_part", "next").output().unwrap();
    assert!(next.status.success(), "{next:?}");
    assert_eq!(
        common::labelled_counts(&docker, &filter),
        [0, 0, 0, 0],
        "left after the next run started"
    );
}
