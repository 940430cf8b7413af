//! Docker CLI contexts against the engine's TLS listener. One test in its own binary: it
//! changes the process environment, which no other test may see.

mod common;

use std::path::Path;
use std::process::Command;

use dockhand::{Docker, Error};

/// The store's folder name for a context: the SHA-256 of its name, as the docker CLI makes
/// it (dockhand itself finds contexts by name, so any folder name would do).
fn context_id(name: &str) -> String {
    let out = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(name.as_bytes())?;
            child.wait_with_output()
        })
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// Writes a context into the store at `config`, with TLS files copied from `tls_from`.
fn write_context(
    config: &Path,
    name: &str,
    host: &str,
    skip_verify: bool,
    tls_from: &[(&Path, &str)],
) {
    let id = context_id(name);
    let meta = config.join("contexts/meta").join(&id);
    std::fs::create_dir_all(&meta).unwrap();
    let json = serde_json::json!({
        "Name": name,
        "Metadata": {"Description": "made by dockhand's tests"},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_verify}},
    });
    std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    let tls = config.join("contexts/tls").join(&id).join("docker");
    for (from, file) in tls_from {
        std::fs::create_dir_all(&tls).unwrap();
        std::fs::copy(from, tls.join(file)).unwrap();
    }
}

#[test]
fn contexts_are_chosen_by_docker_context_then_current_context() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let other_ca = certs.parent().unwrap().join("other-ca").join("ca.pem");
    let config = std::env::temp_dir().join(format!("dockhand-contexts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&config);
    let tls_files = [
        (certs.join("ca.pem"), "ca.pem"),
        (certs.join("cert.pem"), "cert.pem"),
        (certs.join("key.pem"), "key.pem"),
    ];
    let files: Vec<(&Path, &str)> = tls_files.iter().map(|(p, f)| (p.as_path(), *f)).collect();
    write_context(&config, "tls-by-name", &host, false, &files);
    // by IP, which the certificate does not name: fine only without verification
    write_context(
        &config,
        "tls-by-ip",
        "tcp://127.0.0.1:2376",
        true,
        &files[1..],
    );
    let wrong_ca = [(other_ca.as_path(), "ca.pem"), files[1], files[2]];
    write_context(&config, "wrong-ca", &host, false, &wrong_ca);

    std::env::remove_var("DOCKER_HOST");
    std::env::remove_var("DOCKER_API_VERSION");
    std::env::set_var("DOCKER_CONFIG", &config);

    // DOCKER_CONTEXT chooses
    std::env::set_var("DOCKER_CONTEXT", "tls-by-name");
    let docker = Docker::from_env().unwrap();
    assert!(docker.settings().tls && docker.settings().tls_verify);
    docker.version().unwrap();
    std::env::set_var("DOCKER_CONTEXT", "tls-by-ip");
    Docker::from_env().unwrap().version().unwrap();
    std::env::set_var("DOCKER_CONTEXT", "wrong-ca");
    let err = Docker::from_env().unwrap().version().unwrap_err();
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
    std::env::set_var("DOCKER_CONTEXT", "no-such-context");
    let err = Docker::from_env().unwrap_err().to_string();
    assert!(err.contains("no-such-context"), "{err}");

    // without DOCKER_CONTEXT, the CLI config's currentContext chooses
    std::env::remove_var("DOCKER_CONTEXT");
    std::fs::write(
        config.join("config.json"),
        r#"{"currentContext":"tls-by-name"}"#,
    )
    .unwrap();
    let docker = Docker::from_env().unwrap();
    assert_eq!(docker.settings().host.to_string(), host);
    docker.ping().unwrap();
    // DOCKER_CONTEXT=default overrides it: the local socket
    std::env::set_var("DOCKER_CONTEXT", "default");
    let docker = Docker::from_env().unwrap();
    assert_eq!(
        docker.settings().host.to_string(),
        "unix:///var/run/docker.sock"
    );
    // and DOCKER_HOST wins over both
    std::env::set_var("DOCKER_HOST", "unix:///var/run/docker.sock");
    std::env::set_var("DOCKER_CONTEXT", "wrong-ca");
    Docker::from_env().unwrap().ping().unwrap();

    // by name, directly
    Docker::from_context("tls-by-ip").unwrap().ping().unwrap();

    std::env::remove_var("DOCKER_CONTEXT");
    std::env::remove_var("DOCKER_CONFIG");
    std::env::remove_var("DOCKER_HOST");
    std::fs::remove_dir_all(&config).unwrap();
}
