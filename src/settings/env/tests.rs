use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::settings::tests::assert_err;
use crate::settings::ApiVersion;

fn env(vars: &[(&str, &str)]) -> Result<Settings> {
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_env_with(
        &move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
        // The default socket is there: the discovery has its own test.
        &|path| path == Path::new(DEFAULT_SOCKET),
    )
}

#[test]
fn from_env_cases() {
    let home = [("HOME", "/home/yo")];
    // Nothing set: the local socket, no TLS, negotiated version.
    let s = env(&home).unwrap();
    assert_eq!(s.host, Host::Unix(DEFAULT_SOCKET.into()));
    assert!(!s.tls && !s.uses_tls());
    assert_eq!((s.version, s.timeout), (None, Duration::from_secs(30)));
    assert_eq!(s.tls_cert_path, None);
    assert_eq!(s, Settings::new("unix://").unwrap());

    // Empty values count as unset.
    let s = env(&[
        ("DOCKER_HOST", ""),
        ("DOCKER_TLS_VERIFY", ""),
        ("DOCKER_API_VERSION", ""),
    ])
    .unwrap();
    assert_eq!(s, Settings::new("unix://").unwrap());

    // DOCKER_TLS_VERIFY=1 with a cert path: boot2docker's shellinit.
    let s = env(&[
        ("DOCKER_HOST", "tcp://192.168.59.103:2376"),
        (
            "DOCKER_CERT_PATH",
            "/Users/yo/.boot2docker/certs/boot2docker-vm",
        ),
        ("DOCKER_TLS_VERIFY", "1"),
        ("HOME", "/Users/yo"),
    ])
    .unwrap();
    assert!(s.tls && s.tls_verify && s.uses_tls());
    assert_eq!(s.tcp_port(), Some(2376));
    assert_eq!(
        s.ca_cert(),
        Some("/Users/yo/.boot2docker/certs/boot2docker-vm/ca.pem".into())
    );

    // Any non-empty DOCKER_TLS_VERIFY verifies, even 0 (docker CLI, docker-py).
    for verify in ["1", "0", "false", "yes"] {
        let s = env(&[
            home[0],
            ("DOCKER_HOST", "tcp://h"),
            ("DOCKER_TLS_VERIFY", verify),
        ])
        .unwrap();
        assert!(s.tls && s.tls_verify, "{verify}");
        // The cert path defaults to ~/.docker.
        assert_eq!(s.tls_cert_path, Some("/home/yo/.docker".into()), "{verify}");
        assert_eq!(s.ca_cert(), Some("/home/yo/.docker/ca.pem".into()));
        assert_eq!(s.tcp_port(), Some(2376));
    }

    // DOCKER_CERT_PATH without DOCKER_TLS_VERIFY: TLS without verification.
    let s = env(&[
        home[0],
        ("DOCKER_HOST", "tcp://h:2376"),
        ("DOCKER_CERT_PATH", "/c"),
        ("DOCKER_TLS_VERIFY", ""),
    ])
    .unwrap();
    assert!(s.tls && !s.tls_verify);
    assert_eq!(
        s.client_cert(),
        Some(("/c/cert.pem".into(), "/c/key.pem".into()))
    );

    // DOCKER_TLS alone, like the CLI's --tls: TLS without verification.
    let s = env(&[home[0], ("DOCKER_TLS", "1")]).unwrap();
    assert!(s.tls && !s.tls_verify);
    assert_eq!(s.tls_cert_path, Some("/home/yo/.docker".into()));

    // No HOME: USERPROFILE, else no cert path at all.
    let s = env(&[("USERPROFILE", "/win/yo"), ("DOCKER_TLS_VERIFY", "1")]).unwrap();
    assert_eq!(s.tls_cert_path, Some("/win/yo/.docker".into()));
    let s = env(&[("DOCKER_TLS_VERIFY", "1")]).unwrap();
    assert!(s.tls && s.tls_cert_path.is_none() && s.ca_cert().is_none());

    // DOCKER_API_VERSION pins the version.
    let s = env(&[("DOCKER_API_VERSION", "1.41")]).unwrap();
    assert_eq!(s.version, Some(ApiVersion::new(1, 41)));
    let s = env(&[("DOCKER_API_VERSION", "v1.44")]).unwrap();
    assert_eq!(s.version, Some(ApiVersion::new(1, 44)));
    assert_err(
        env(&[("DOCKER_API_VERSION", "latest")]),
        &["DOCKER_API_VERSION", "\"latest\"", "1.41"],
    );
    assert_err(
        env(&[("DOCKER_API_VERSION", "2.1")]),
        &["DOCKER_API_VERSION", "only 1.x"],
    );

    // DOCKER_HOST forms and errors.
    let s = env(&[("DOCKER_HOST", "ssh://me@box")]).unwrap();
    assert_eq!(s.host.to_string(), "ssh://me@box");
    assert_err(
        env(&[("DOCKER_HOST", "tcp://h:0")]),
        &["DOCKER_HOST", "65535"],
    );
    assert_err(
        env(&[("DOCKER_HOST", "http://h:2375"), ("DOCKER_TLS_VERIFY", "1")]),
        &["https://"],
    );

    // A context that no store holds is an error naming it and where we looked.
    assert_err(
        env(&[
            ("DOCKER_CONTEXT", "desktop-linux"),
            ("DOCKER_CONFIG", "/nonexistent/docker-config"),
        ]),
        &[
            "DOCKER_CONTEXT",
            "desktop-linux",
            "/nonexistent/docker-config",
        ],
    );
    assert_eq!(
        env(&[("DOCKER_CONTEXT", "default")]).unwrap(),
        Settings::new("unix://").unwrap()
    );
    assert_eq!(
        env(&[("DOCKER_CONTEXT", "")]).unwrap(),
        Settings::new("unix://").unwrap()
    );
    // DOCKER_HOST wins over DOCKER_CONTEXT, as in the docker CLI.
    let s = env(&[
        ("DOCKER_CONTEXT", "remote"),
        ("DOCKER_HOST", "tcp://h:2375"),
    ])
    .unwrap();
    assert_eq!(s.host.to_string(), "tcp://h:2375");
}

/// A scratch folder with the sockets (plain files do: only their presence counts) that a
/// test puts in it, removed on drop.
struct Sockets(PathBuf);

impl Sockets {
    fn new(name: &str) -> Sockets {
        let dir =
            std::env::temp_dir().join(format!("dockhand-discovery-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Sockets(dir)
    }

    fn put(&self, path: &str) -> PathBuf {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "").unwrap();
        path
    }

    /// `from_env_with` with `vars`, the real filesystem, and no default socket.
    fn settings(&self, vars: &[(&str, &str)]) -> Result<Settings> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    v.replace("{dir}", &self.0.display().to_string()),
                )
            })
            .collect();
        Settings::from_env_with(
            &move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            &|path| path != Path::new(DEFAULT_SOCKET) && path.exists(),
        )
    }
}

impl Drop for Sockets {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn without_the_default_socket_the_usual_others_are_found_in_order() {
    let s = Sockets::new("order");
    let vars = [
        ("HOME", "{dir}/home"),
        ("XDG_RUNTIME_DIR", "{dir}/run"),
        ("DOCKER_CONFIG", "{dir}/no-config"),
    ];
    // Nothing there: the error names every place looked at.
    let err = s.settings(&vars).unwrap_err();
    assert!(
        matches!(&err, Error::NoEngine { tried } if tried.len() == 5),
        "{err:?}"
    );
    let text = err.to_string();
    for part in [
        "/var/run/docker.sock (the default)",
        "/run/docker.sock (rootless Docker)",
        "/home/.docker/run/docker.sock (Docker Desktop)",
        "/run/podman/podman.sock (rootless Podman)",
        "/run/podman/podman.sock (Podman run by root)",
        "DOCKER_HOST",
    ] {
        assert!(text.contains(part), "{part} missing from: {text}");
    }

    // Podman's rootless socket, then Docker Desktop's, then rootless Docker's: each found
    // wins over those after it.
    let podman = s.put("run/podman/podman.sock");
    assert_eq!(s.settings(&vars).unwrap().host, Host::Unix(podman));
    let desktop = s.put("home/.docker/run/docker.sock");
    assert_eq!(s.settings(&vars).unwrap().host, Host::Unix(desktop));
    let rootless = s.put("run/docker.sock");
    let found = s.settings(&vars).unwrap();
    assert_eq!(found.host, Host::Unix(rootless.clone()));
    assert_eq!(
        found,
        Settings::new(&format!("unix://{}", rootless.display())).unwrap()
    );

    // What is configured wins over what is found, and is not checked for presence.
    let s2 = s
        .settings(&[vars[0], vars[1], ("DOCKER_HOST", "unix:///elsewhere.sock")])
        .unwrap();
    assert_eq!(s2.host, Host::Unix("/elsewhere.sock".into()));
}

#[test]
fn unset_variables_are_named_in_the_error() {
    let s = Sockets::new("unset");
    let text = s
        .settings(&[("DOCKER_CONFIG", "{dir}/no-config")])
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("$XDG_RUNTIME_DIR/docker.sock (rootless Docker; XDG_RUNTIME_DIR is unset)")
            && text.contains("$HOME/.docker/run/docker.sock (Docker Desktop; HOME is unset)"),
        "{text}"
    );
}

#[test]
fn from_env_reads_the_process_environment() {
    // Only checks that it runs; the environment of a test run is whatever it is.
    let _ = Settings::from_env();
}
