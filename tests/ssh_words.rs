//! An ssh connection's error quotes its own `ssh`, never another connection's: a fake
//! `ssh` first on `PATH` either reaches the engine with `docker system dial-stdio` while
//! chattering on stderr, or fails with words of its own. One test in this binary, which
//! owns the process's `PATH`.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use dockhand::{Docker, Error, EventsOptions, Settings};

/// The fake `ssh`: what it does is read from the file `$DOCKHAND_FAKE_SSH_MODE` names.
const FAKE_SSH: &str = r#"#!/bin/sh
case "$(cat "$DOCKHAND_FAKE_SSH_MODE")" in
chatty)
  # a working connection whose ssh keeps talking (for five seconds at most)
  ( i=0; while [ $i -lt 100 ]; do
      echo "chatter of another connection" >&2; sleep 0.05; i=$((i+1))
    done ) &
  exec docker system dial-stdio ;;
*)
  sleep 0.3
  echo "ssh: connect to host fake.invalid port 22: Connection refused (this connection)" >&2
  exit 255 ;;
esac
"#;

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_ssh_error_quotes_its_own_connection_only() {
    let docker_cli = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("docker").is_file()))
        .unwrap_or(false);
    assert!(
        docker_cli,
        "this test needs the docker CLI (`docker system dial-stdio`)"
    );
    let dir =
        Scratch(std::env::temp_dir().join(format!("dockhand-ssh-words-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let ssh = dir.0.join("ssh");
    std::fs::write(&ssh, FAKE_SSH).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mode = dir.0.join("mode");
    let set_mode = |m: &str| std::fs::write(&mode, m).unwrap();
    set_mode("chatty");
    // The only test in this binary: nothing else reads the environment meanwhile.
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![dir.0.clone()];
    paths.extend(std::env::split_paths(&path));
    std::env::set_var("PATH", std::env::join_paths(paths).unwrap());
    std::env::set_var("DOCKHAND_FAKE_SSH_MODE", &mode);

    let docker = Docker::new(Settings::new("ssh://fake.invalid").unwrap()).unwrap();
    // a pooled connection and a stream's connection, both chattering on
    docker.ping().unwrap();
    let events = docker
        .events(&EventsOptions::new().filter("type", "network"))
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));

    // a new connection (a stream gets one of its own), whose ssh fails
    set_mode("fail");
    let err = docker
        .events(&EventsOptions::new().filter("type", "network"))
        .map(drop)
        .unwrap_err();
    let text = err.to_string();
    println!("{text}");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        text.contains("ssh said") && text.contains("Connection refused (this connection)"),
        "{text}"
    );
    assert!(text.contains("exit status: 255"), "{text}");
    assert!(!text.contains("another connection"), "{text}");
    drop(events);
}
