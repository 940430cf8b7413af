//! The engine itself: ping, version, info, API versions, timeouts, connect errors, threads.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dockhand::{ApiVersion, Docker, DockerCell, Error, Settings};

#[test]
fn ping_version_and_info_are_typed() {
    let docker = common::docker();
    let ping = docker.ping().unwrap();
    assert!(ping.api_version.is_some());
    if common::is_podman() {
        // Podman's `_ping` sends no `OSType` header.
        assert!(matches!(ping.os_type.as_deref(), None | Some("linux")));
    } else {
        assert_eq!(ping.os_type.as_deref(), Some("linux"));
    }
    let version = docker.version().unwrap();
    assert!(!version.version.is_empty() && !version.api_version.is_empty());
    assert_eq!(version.os, "linux");
    let info = docker.info().unwrap();
    assert!(info.ncpu >= 1 && info.mem_total > 0);
    assert!(!info.driver.is_empty());
    // untyped fields are kept
    assert!(
        info.extra.contains_key("Runtimes"),
        "{:?}",
        info.extra.keys()
    );
}

#[test]
fn auto_negotiates_the_engines_version_once_for_all_clones() {
    let docker = common::docker();
    let engine: ApiVersion = docker.version().unwrap().api_version.parse().unwrap();
    let negotiated = docker.api_version().unwrap();
    assert_eq!(negotiated, engine.min(ApiVersion::NEWEST));
    assert_eq!(docker.clone().api_version().unwrap(), negotiated);
}

/// The versions the engine accepts, from its unversioned `/version`.
fn accepted_range(docker: &Docker) -> (String, String) {
    let v: serde_json::Value = docker
        .request("GET", "/version")
        .unversioned()
        .send()
        .unwrap()
        .json()
        .unwrap();
    let field = |k: &str| {
        v[k].as_str()
            .unwrap_or_else(|| panic!("{k} in {v}"))
            .to_string()
    };
    (field("MinAPIVersion"), field("ApiVersion"))
}

#[test]
fn a_pinned_version_is_sent_on_every_call() {
    let (minimum, maximum) = accepted_range(&common::docker());
    // A pin the engine accepts works, and is what the client reports (the engine's oldest,
    // the farthest from what negotiation would pick).
    let settings = Settings::from_env()
        .unwrap()
        .with_version(minimum.parse().unwrap());
    let docker = Docker::new(settings).unwrap();
    assert_eq!(docker.api_version().unwrap().to_string(), minimum);
    docker.containers().list(&Default::default()).unwrap();
    if common::skip(
        common::is_podman(),
        "Podman answers every API version, even 1.99, so no pin is refused",
    ) {
        return;
    }
    // One the engine refuses: its refusal proves the pin reached it, and the error names
    // the setting and the range the engine accepts.
    let settings = Settings::from_env()
        .unwrap()
        .with_version("1.99".parse().unwrap());
    let docker = Docker::new(settings).unwrap();
    let err = docker.version().unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    let Error::VersionRefused {
        pinned,
        setting,
        minimum: min,
        maximum: max,
        ..
    } = &err
    else {
        panic!("not a VersionRefused: {err:?}");
    };
    assert_eq!(pinned.to_string(), "1.99");
    assert_eq!(setting, "Settings::with_version");
    assert_eq!(min.map(|v| v.to_string()), Some(minimum.clone()), "{err}");
    assert_eq!(max.map(|v| v.to_string()), Some(maximum.clone()), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("1.99") && text.contains(&format!("it accepts {minimum} to {maximum}")),
        "{text}"
    );
}

#[test]
fn the_seeds_boot2docker_pin_of_1_41_is_refused_by_name_where_the_engine_is_newer() {
    // Flask-Docker's boot2docker config pins DOCKER_VERSION = '1.41'.
    let url = match std::env::var("DOCKER_HOST") {
        Ok(host) if !host.is_empty() => host,
        _ => "unix:///var/run/docker.sock".to_string(),
    };
    let docker = Docker::new(
        Settings::from_pairs([("DOCKER_URL", url.as_str()), ("DOCKER_VERSION", "1.41")]).unwrap(),
    )
    .unwrap();
    let (minimum, maximum) = accepted_range(&common::docker());
    let oldest: ApiVersion = minimum.parse().unwrap();
    if oldest <= "1.41".parse().unwrap() || common::is_podman() {
        // This engine still speaks 1.41: the pin just works.
        docker.containers().list(&Default::default()).unwrap();
        return;
    }
    let err = docker.containers().list(&Default::default()).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::VersionRefused { setting, .. } if setting.starts_with("DOCKER_VERSION")),
        "{err:?}"
    );
    assert!(
        text.contains("DOCKER_VERSION")
            && text.contains("1.41")
            && text.contains(&format!("{minimum} to {maximum}")),
        "{text}"
    );
    eprintln!("{text}");
}

/// A listener that accepts connections and never answers.
fn silent_listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

#[test]
fn docker_timeout_bounds_a_listener_that_never_answers() {
    let (listener, port) = silent_listener();
    let holder = std::thread::spawn(move || {
        // Keep the accepted connection open without a word until the client gives up.
        let (mut conn, _) = listener.accept().unwrap();
        let mut sink = Vec::new();
        let _ = conn.read_to_end(&mut sink);
    });
    let docker = Docker::new(
        Settings::from_pairs([
            ("DOCKER_URL", format!("tcp://127.0.0.1:{port}")),
            ("DOCKER_TIMEOUT", "0.5".to_string()),
            ("DOCKER_VERSION", "1.41".to_string()),
        ])
        .unwrap(),
    )
    .unwrap();
    let started = Instant::now();
    let err = docker.version().unwrap_err();
    let took = started.elapsed();
    assert!(err.is_timeout(), "{err}");
    assert!(
        took >= Duration::from_millis(450) && took < Duration::from_secs(3),
        "{took:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("GET /version") && text.contains("DOCKER_TIMEOUT"),
        "{text}"
    );
    drop(docker);
    holder.join().unwrap();
}

#[test]
fn connect_errors_name_the_place_and_what_to_do() {
    let missing = Docker::connect("unix:///nonexistent/docker.sock")
        .unwrap()
        .ping()
        .unwrap_err();
    assert!(matches!(missing, Error::Connect { .. }), "{missing:?}");
    let text = missing.to_string();
    assert!(
        text.contains("/nonexistent/docker.sock") && text.contains("running"),
        "{text}"
    );

    // a port nobody listens on
    let (listener, port) = silent_listener();
    drop(listener);
    let refused = Docker::connect(&format!("tcp://127.0.0.1:{port}"))
        .unwrap()
        .ping()
        .unwrap_err();
    let text = refused.to_string();
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.contains("refused"), "{text}");
}

#[test]
fn eight_threads_share_one_client() {
    let docker = common::docker();
    let docker = Arc::new(docker);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let docker = docker.clone();
            std::thread::spawn(move || {
                for _ in 0..50 {
                    docker.ping().unwrap();
                }
                docker.containers().list(&Default::default()).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

static DOCKER: DockerCell = DockerCell::new();

#[test]
fn a_cell_initialised_once_serves_every_thread() {
    DOCKER.init(Settings::from_env().unwrap()).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| DOCKER.get().unwrap().ping().map(|_| ())))
        .collect();
    for t in threads {
        t.join().unwrap().unwrap();
    }
    let again = DOCKER.init(Settings::from_env().unwrap()).unwrap_err();
    assert!(again.to_string().contains("already"), "{again}");
}

#[test]
fn the_escape_hatch_reaches_any_endpoint() {
    let docker = common::docker();
    let df: serde_json::Value = docker
        .request("GET", "/system/df")
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(df.get("LayersSize").is_some(), "{df}");
    let err = docker
        .request("GET", "/no/such/endpoint")
        .send()
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
}

#[test]
fn timeouts_out_of_range_are_refused_before_anything_is_sent() {
    for timeout in [
        Duration::ZERO,
        Duration::MAX,
        dockhand::settings::MAX_TIMEOUT * 2,
    ] {
        let settings = Settings::new("unix:///var/run/docker.sock")
            .unwrap()
            .with_timeout(timeout);
        let err = Docker::new(settings).unwrap_err();
        assert!(err.to_string().contains("DOCKER_TIMEOUT"), "{err}");
    }
    let err = Settings::from_pairs([
        ("DOCKER_URL", "unix:///var/run/docker.sock"),
        ("DOCKER_TIMEOUT", "18446744073709549568"),
    ])
    .unwrap_err();
    assert!(err.to_string().contains("DOCKER_TIMEOUT"), "{err}");
}

#[test]
fn the_escape_hatch_refuses_paths_it_cannot_send() {
    let docker = common::docker();
    for path in ["containers/json", "/containers/a b/json"] {
        let err = docker.request("GET", path).send().unwrap_err();
        assert!(matches!(err, Error::Setting { .. }), "{path}: {err:?}");
    }
}
