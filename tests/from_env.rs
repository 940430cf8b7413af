//! The docker CLI's environment, against the real engine. One test in its own binary: it
//! changes the process environment, which no other test may see.

mod common;

use dockhand::Docker;

fn set(vars: &[(&str, Option<String>)]) {
    for (key, value) in vars {
        match value {
            Some(v) => std::env::set_var(key, v),
            None => std::env::remove_var(key),
        }
    }
}

#[test]
fn the_docker_cli_environment_reaches_the_engine() {
    // The plain local socket.
    set(&[
        ("DOCKER_HOST", Some("unix:///var/run/docker.sock".into())),
        ("DOCKER_TLS_VERIFY", None),
        ("DOCKER_CERT_PATH", None),
        ("DOCKER_API_VERSION", None),
    ]);
    Docker::from_env().unwrap().ping().unwrap();

    // DOCKER_API_VERSION pins the version.
    set(&[("DOCKER_API_VERSION", Some("1.35".into()))]);
    let docker = Docker::from_env().unwrap();
    assert_eq!(docker.api_version().unwrap().to_string(), "1.35");
    docker.version().unwrap();
    set(&[("DOCKER_API_VERSION", Some("banana".into()))]);
    let err = Docker::from_env().unwrap_err().to_string();
    assert!(
        err.contains("DOCKER_API_VERSION") && err.contains("banana"),
        "{err}"
    );
    set(&[("DOCKER_API_VERSION", None)]);

    // What boot2docker's shellinit exported: DOCKER_HOST, DOCKER_CERT_PATH,
    // DOCKER_TLS_VERIFY=1, against the TLS listener by a name its certificate carries.
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    set(&[
        ("DOCKER_HOST", Some(host.clone())),
        ("DOCKER_CERT_PATH", Some(certs.display().to_string())),
        ("DOCKER_TLS_VERIFY", Some("1".into())),
    ]);
    Docker::from_env().unwrap().version().unwrap();

    // DOCKER_TLS_VERIFY empty with DOCKER_CERT_PATH set: TLS without verification, so an
    // address the certificate does not name is accepted.
    set(&[
        ("DOCKER_HOST", Some("tcp://127.0.0.1:2376".into())),
        ("DOCKER_TLS_VERIFY", Some(String::new())),
    ]);
    Docker::from_env().unwrap().version().unwrap();

    // ... and with verification on, the same address is refused, naming it.
    set(&[("DOCKER_TLS_VERIFY", Some("1".into()))]);
    let err = Docker::from_env()
        .unwrap()
        .version()
        .unwrap_err()
        .to_string();
    assert!(err.contains("127.0.0.1"), "{err}");

    set(&[
        ("DOCKER_HOST", None),
        ("DOCKER_TLS_VERIFY", None),
        ("DOCKER_CERT_PATH", None),
    ]);
}
