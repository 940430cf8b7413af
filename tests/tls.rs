//! The TLS settings against the engine's mutual-TLS listener (a certificate naming
//! `localhost` only, made by `scripts/engine-up`).

mod common;

use std::path::Path;

use dockhand::{Docker, Error, Settings};

/// A client from Flask-Docker style pairs, pointed at the TLS listener.
fn client(pairs: &[(&str, String)]) -> dockhand::Result<Docker> {
    Docker::new(Settings::from_pairs(pairs.iter().cloned())?)
}

fn path(dir: &Path, file: &str) -> String {
    dir.join(file).display().to_string()
}

/// Asserts a TLS failure whose reason contains `words`.
fn assert_tls_error(result: dockhand::Result<dockhand::system::Version>, words: &str) {
    match result {
        Err(Error::Tls { reason, .. }) => assert!(reason.contains(words), "{reason}"),
        other => panic!("expected a TLS error about {words:?}, got {other:?}"),
    }
}

#[test]
fn accepted_with_ca_and_client_certificate_by_name_in_every_key_format() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    for (cert, key) in [
        ("cert.pem", "key.pem"),       // PKCS#8
        ("cert.pem", "key-pkcs1.pem"), // PKCS#1
        ("ec-cert.pem", "ec-key.pem"), // SEC1
    ] {
        let docker = client(&[
            ("DOCKER_URL", host.clone()),
            ("DOCKER_TLS", "True".into()),
            ("DOCKER_TLS_CA_CERT", path(&certs, "ca.pem")),
            (
                "DOCKER_TLS_CLIENT_CERT",
                format!("{}:{}", path(&certs, cert), path(&certs, key)),
            ),
        ])
        .unwrap();
        let version = docker.version().unwrap_or_else(|e| panic!("{key}: {e}"));
        assert!(!version.api_version.is_empty());
    }
}

#[test]
fn cert_path_fills_the_ca_and_the_client_certificate() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let docker = client(&[
        ("DOCKER_URL", host),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
    ])
    .unwrap();
    docker.ping().unwrap();
    // one pool for all requests over TLS as well
    for _ in 0..5 {
        docker.info().unwrap();
    }
}

#[test]
fn refused_for_an_unknown_ca() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let other = certs.parent().unwrap().join("other-ca");
    let docker = client(&[
        ("DOCKER_URL", host),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
        ("DOCKER_TLS_CA_CERT", path(&other, "ca.pem")),
    ])
    .unwrap();
    assert_tls_error(docker.version(), "not signed by a trusted CA");
}

#[test]
fn accepted_for_an_unknown_ca_without_verification() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let other = certs.parent().unwrap().join("other-ca");
    let docker = client(&[
        ("DOCKER_URL", host),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_VERIFY", "False".into()),
        ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
        ("DOCKER_TLS_CA_CERT", path(&other, "ca.pem")),
    ])
    .unwrap();
    docker.version().unwrap();
}

#[test]
fn refused_for_an_ip_address_the_certificate_does_not_name() {
    let Some((_, certs)) = common::require_tls() else {
        return;
    };
    let docker = client(&[
        ("DOCKER_URL", "tcp://127.0.0.1:2376".into()),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
    ])
    .unwrap();
    assert_tls_error(docker.version(), "does not name 127.0.0.1");
}

#[test]
fn accepted_for_an_ip_address_without_the_hostname_check() {
    let Some((_, certs)) = common::require_tls() else {
        return;
    };
    let docker = client(&[
        ("DOCKER_URL", "tcp://127.0.0.1:2376".into()),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "False".into()),
        ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
    ])
    .unwrap();
    docker.version().unwrap();
}

#[test]
fn the_hostname_check_off_still_checks_the_chain() {
    let Some((_, certs)) = common::require_tls() else {
        return;
    };
    let other = certs.parent().unwrap().join("other-ca");
    let docker = client(&[
        ("DOCKER_URL", "tcp://127.0.0.1:2376".into()),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "False".into()),
        ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
        ("DOCKER_TLS_CA_CERT", path(&other, "ca.pem")),
    ])
    .unwrap();
    assert_tls_error(docker.version(), "not signed by a trusted CA");
}

#[test]
fn refused_without_a_client_certificate() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let docker = client(&[
        ("DOCKER_URL", host),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_CA_CERT", path(&certs, "ca.pem")),
    ])
    .unwrap();
    assert_tls_error(docker.version(), "client certificate");
}

#[test]
fn refused_with_a_client_certificate_from_another_ca() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let other = certs.parent().unwrap().join("other-ca");
    let docker = client(&[
        ("DOCKER_URL", host),
        ("DOCKER_TLS", "True".into()),
        ("DOCKER_TLS_CA_CERT", path(&certs, "ca.pem")),
        (
            "DOCKER_TLS_CLIENT_CERT",
            format!("{}:{}", path(&other, "cert.pem"), path(&other, "key.pem")),
        ),
    ])
    .unwrap();
    assert_tls_error(docker.version(), "client certificate");
}

#[test]
fn each_version_pin_connects_and_old_ones_are_refused() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    for pin in ["TLSv1_2", "TLSv1_3", "PROTOCOL_TLSv1_2", "None"] {
        let docker = client(&[
            ("DOCKER_URL", host.clone()),
            ("DOCKER_TLS", "True".into()),
            ("DOCKER_TLS_SSL_VERSION", pin.into()),
            ("DOCKER_TLS_CERT_PATH", certs.display().to_string()),
        ])
        .unwrap();
        docker.ping().unwrap_or_else(|e| panic!("{pin}: {e}"));
    }
    for old in ["TLSv1", "SSLv3", "TLSv1_1"] {
        let err = Settings::from_pairs([
            ("DOCKER_URL", host.as_str()),
            ("DOCKER_TLS_SSL_VERSION", old),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("DOCKER_TLS_SSL_VERSION") && text.contains(old),
            "{text}"
        );
    }
}

#[test]
fn plain_http_to_the_tls_port_gets_the_engines_answer() {
    if common::require_tls().is_none() {
        return;
    }
    let docker = Docker::connect("tcp://localhost:2376").unwrap();
    let err = docker.ping().unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(err.to_string().contains("HTTPS"), "{err}");
}

#[test]
fn the_seeds_boot2docker_flow_from_a_config_file() {
    let Some((_, certs)) = common::require_tls() else {
        return;
    };
    // The seed's file, with this engine's address and certificate folder: an address the
    // certificate does not name, so the hostname check must be off.
    let file = std::env::temp_dir().join(format!("dockhand-b2d-{}.cfg", std::process::id()));
    std::fs::write(
        &file,
        format!(
            "DOCKER_URL=\"https://127.0.0.1:2376\"\n\
             DOCKER_VERSION=\"1.41\"\n\
             DOCKER_TLS=True\n\
             DOCKER_TLS_CERT_PATH=\"{}\"\n\
             DOCKER_TLS_ASSERT_HOSTNAME=False\n",
            certs.display()
        ),
    )
    .unwrap();
    let settings = Settings::from_file(&file);
    std::fs::remove_file(&file).unwrap();
    let docker = Docker::new(settings.unwrap()).unwrap();
    let version = docker.version().unwrap();
    assert_eq!(docker.api_version().unwrap().to_string(), "1.41");
    assert!(!version.version.is_empty());
}

#[test]
fn missing_and_bad_certificate_files_name_the_file() {
    let dir = std::env::temp_dir().join(format!("dockhand-badcert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ca.pem"), "not a certificate\n").unwrap();
    let missing = Docker::new(
        Settings::from_pairs([
            ("DOCKER_URL", "tcp://localhost:2376"),
            ("DOCKER_TLS", "True"),
            ("DOCKER_TLS_CA_CERT", "/nonexistent/ca.pem"),
        ])
        .unwrap(),
    )
    .unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/ca.pem"),
        "{missing}"
    );
    let garbage = Docker::new(
        Settings::from_pairs([
            ("DOCKER_URL", "tcp://localhost:2376"),
            ("DOCKER_TLS", "True"),
            ("DOCKER_TLS_CA_CERT", dir.join("ca.pem").to_str().unwrap()),
        ])
        .unwrap(),
    )
    .unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    let text = garbage.to_string();
    assert!(
        text.contains("ca.pem") && text.contains("CERTIFICATE"),
        "{text}"
    );
}
