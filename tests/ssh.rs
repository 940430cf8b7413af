//! `ssh://` hosts against a real sshd on 127.0.0.1 (started by `scripts/sshd-up`), through
//! which `docker system dial-stdio` reaches the local engine.

mod common;

use std::time::Instant;

use dockhand::{Docker, Error, ListContainersOptions, Settings};

/// The ssh host and client key, or: in CI a failure, elsewhere `None` and a note.
fn ssh_host() -> Option<(String, String)> {
    let env = common::env_file(&common::engine_dir().join("ssh").join("env"));
    match (env.get("DOCKHAND_SSH_HOST"), env.get("DOCKHAND_SSH_KEY")) {
        (Some(host), Some(key)) => Some((host.clone(), key.clone())),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI needs the test sshd: scripts/sshd-up did not run")
        }
        _ => {
            eprintln!("skipped: no test sshd (run scripts/sshd-up)");
            None
        }
    }
}

fn client(host: &str, key: &str) -> Docker {
    let mut args: Vec<String> = [
        "-i",
        key,
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
    ]
    .map(String::from)
    .to_vec();
    // On an engine of scripts/engine-matrix, `docker system dial-stdio` on the ssh host
    // must reach that engine, not the host's default one.
    if let Some(socket) = common::engine_env().remove("DOCKHAND_ENGINE_SOCKET") {
        args.extend([
            "-o".to_string(),
            format!("SetEnv=DOCKER_HOST=unix://{socket}"),
        ]);
    }
    Docker::new(Settings::new(host).unwrap().with_ssh_args(args)).unwrap()
}

#[test]
fn ping_list_and_exec_with_stdin_work_over_ssh() {
    let Some((host, key)) = ssh_host() else {
        return;
    };
    let docker = client(&host, &key);
    let started = Instant::now();
    let ping = docker.ping().unwrap();
    assert!(ping.api_version.is_some());
    // the engine under test, not just any engine on the ssh host (Podman's info has a new
    // id on every call: its storage root tells its engines apart)
    let identity = |docker: &Docker| {
        let info = docker.info().unwrap();
        if common::is_podman() {
            info.docker_root_dir
        } else {
            info.id
        }
    };
    assert_eq!(
        identity(&docker),
        identity(&common::docker()),
        "dial-stdio reached another engine"
    );
    eprintln!(
        "first ping over ssh (a new ssh session) in {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    for _ in 0..20 {
        docker.ping().unwrap();
    }
    eprintln!(
        "20 more pings on the pooled session in {:?}",
        started.elapsed()
    );

    // Objects made over ssh are the local engine's: the scope cleans up locally.
    let scope = common::Scope::new("ssh");
    let id = scope.create(&["sleep", "600"]);
    let listed = docker
        .containers()
        .list(
            &ListContainersOptions::new()
                .all(true)
                .filter("label", &scope.filter()),
        )
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);

    let c = docker.container(&id);
    c.start().unwrap();
    let input: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let done = c
        .exec_run_with_input(["cat"], std::io::Cursor::new(input.clone()))
        .unwrap();
    assert!(done.stdout == input, "the bytes differ");
    assert_eq!(done.exit_code, 0);
}

#[test]
fn an_ssh_failure_says_what_ssh_said() {
    let Some((host, _key)) = ssh_host() else {
        return;
    };
    // A key sshd does not know: ssh refuses, and its reason reaches the error.
    let missing_key = std::env::temp_dir().join("dockhand-no-such-key");
    let docker = client(&host, missing_key.to_str().unwrap());
    let err = docker.ping().unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("ssh said") && text.contains("Permission denied"),
        "{text}"
    );
}
