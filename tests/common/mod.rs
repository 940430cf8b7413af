//! What every integration test shares: the real engine, the test image, labels, clean-up.
//!
//! The engine is the one `DOCKER_HOST` names, else the default socket. `scripts/engine-up`
//! starts one (with a mutual-TLS listener and the test image) when none runs.
#![allow(dead_code)]

pub mod relay;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use dockhand::{ContainerConfig, Docker, ListContainersOptions, RemoveOptions};

/// Every object a test makes carries this label, with a value unique to the test.
pub const LABEL: &str = "dockhand-test";

/// The engine's state folder written by `scripts/engine-up`.
pub fn engine_dir() -> PathBuf {
    std::env::var_os("DOCKHAND_ENGINE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/dockhand-engine"))
}

/// `KEY=value` lines of `scripts/engine-up`'s `env` file.
pub fn engine_env() -> HashMap<String, String> {
    env_file(&engine_dir().join("env"))
}

/// The `KEY=value` lines of a file the engine scripts write (empty when it is missing).
pub fn env_file(path: &std::path::Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Polls `check` until it gives `Some`; fails the test after `limit`.
pub fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?}: {what}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The local image tests run: busybox-static, made by `scripts/engine-up`.
pub fn image() -> String {
    engine_env()
        .remove("DOCKHAND_TEST_IMAGE")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "dockhand-test/busybox:latest".to_string())
}

/// A client for the local engine; fails the test with a clear message when none answers.
pub fn docker() -> Docker {
    let docker = Docker::from_env().expect("settings from the environment");
    if let Err(e) = docker.ping() {
        panic!("no Docker engine answers ({e}): run `scripts/engine-up` (as root) first");
    }
    docker
}

/// The engine under test: `scripts/engine-matrix` names its engines in their env files
/// (`docker26`, `docker28`, `docker29`, `podman`); otherwise the engine says what it is
/// (`podman` when its components name Podman, else `docker`).
pub fn engine_name() -> String {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        if let Some(name) = engine_env()
            .remove("DOCKHAND_ENGINE")
            .filter(|n| !n.is_empty())
        {
            return name;
        }
        let podman = docker().version().is_ok_and(|v| {
            v.components
                .iter()
                .any(|c| c.name.to_ascii_lowercase().contains("podman"))
        });
        if podman { "podman" } else { "docker" }.to_string()
    })
    .clone()
}

/// True when the engine under test is Podman's Docker-compatible service.
pub fn is_podman() -> bool {
    engine_name() == "podman"
}

/// The network a container joins when it asks for none, or for `bridge`: `podman` on
/// Podman, `bridge` on Docker.
pub fn default_network() -> &'static str {
    if is_podman() {
        "podman"
    } else {
        "bridge"
    }
}

/// Skips the rest of a test when `engine_lacks` holds: the engine under test cannot do
/// this by its own limits (never for a fault of the crate). Prints why, and records it in
/// `$DOCKHAND_SKIP_LOG` for `scripts/test-matrix`'s table. Use as
/// `if common::skip(common::is_podman(), "no swarm mode") { return; }`.
pub fn skip(engine_lacks: bool, reason: &str) -> bool {
    if engine_lacks {
        let test = std::thread::current().name().unwrap_or("?").to_string();
        let line = format!("{}\t{test}\t{reason}\n", engine_name());
        eprintln!("SKIPPED on {}: {test}: {reason}", engine_name());
        if let Some(path) = std::env::var_os("DOCKHAND_SKIP_LOG") {
            use std::io::Write;
            if let Ok(mut file) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let _ = file.write_all(line.as_bytes());
            }
        }
    }
    engine_lacks
}

/// The folder of client certificates for the engine's TLS listener, and the address to use,
/// when the engine was started by `scripts/engine-up` with one.
pub fn tls_listener() -> Option<(String, PathBuf)> {
    let env = engine_env();
    let host = env.get("DOCKHAND_TLS_HOST").filter(|h| !h.is_empty())?;
    let certs = env.get("DOCKHAND_CERTS")?;
    Some((host.clone(), PathBuf::from(certs)))
}

/// The TLS listener, or: on Podman (its service has no TLS listener) a recorded skip; in
/// CI a failure; elsewhere `None` and a note (a developer's own engine may have none).
pub fn require_tls() -> Option<(String, PathBuf)> {
    match tls_listener() {
        Some(found) => Some(found),
        None if skip(
            is_podman(),
            "Podman's API service has no TLS listener (podman system service serves unix and plain tcp)",
        ) =>
        {
            None
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("CI needs the engine's TLS listener: scripts/engine-up did not set one up")
        }
        None => {
            eprintln!("skipped: no TLS listener (start the engine with scripts/engine-up)");
            None
        }
    }
}

/// Runs a prune. The engine runs one prune at a time, of any kind, and refuses a second
/// with 409: other tests may be pruning, so try again for up to a minute.
pub fn prune<T>(mut call: impl FnMut() -> dockhand::Result<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match call() {
            Ok(pruned) => return pruned,
            Err(e) if e.is_conflict() && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(200))
            }
            Err(e) => panic!("prune: {e}"),
        }
    }
}

/// The engine's disk usage. Podman, and Docker with the containerd image store, answer 500
/// when a container goes while they count ("no such container", "rw layer snapshot not
/// found"; other tests remove theirs): it is asked again, for up to a minute.
pub fn df(docker: &Docker) -> dockhand::system::DiskUsage {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match docker.df() {
            Ok(usage) => return usage,
            Err(e)
                if matches!(e.status(), Some(404 | 500))
                    && ["no such container", "snapshot not found", "does not exist"]
                        .iter()
                        .any(|words| e.to_string().contains(words))
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(200))
            }
            Err(e) => panic!("df: {e}"),
        }
    }
}

/// A unique label value for one test, and a guard that removes everything carrying it.
pub struct Scope {
    pub docker: Docker,
    pub value: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Scope {
    pub fn new(test: &str) -> Scope {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        Scope {
            docker: docker(),
            value: format!("{test}-{}-{n}", std::process::id()),
        }
    }

    /// A container config of the test image, labelled for clean-up.
    pub fn config(&self) -> ContainerConfig {
        ContainerConfig::new(image()).label(LABEL, &self.value)
    }

    /// Creates a labelled container running `cmd`, and returns its id.
    pub fn create(&self, cmd: &[&str]) -> String {
        self.docker
            .containers()
            .create(&self.config().cmd(cmd.iter().copied()))
            .expect("create a container")
            .id
    }

    pub fn filter(&self) -> String {
        format!("{LABEL}={}", self.value)
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let options = ListContainersOptions::new()
            .all(true)
            .filter("label", &self.filter());
        if let Ok(list) = self.docker.containers().list(&options) {
            for c in list {
                let _ = self
                    .docker
                    .container(&c.id)
                    .remove(&RemoveOptions::new().force(true).volumes(true));
            }
        }
    }
}

/// Asserts that `typed`, as dockhand writes it, is `engine`, value for value; else names
/// every place they differ.
pub fn assert_same_json(what: &str, typed: &impl serde::Serialize, engine: &serde_json::Value) {
    let written = serde_json::to_value(typed).unwrap();
    let mut differences = Vec::new();
    json_differences("", &written, engine, &mut differences);
    assert!(
        differences.is_empty(),
        "{what}: dockhand wrote it otherwise than the engine gave it:\n{}",
        differences.join("\n")
    );
}

/// Where `written` differs from `engine`, as JSON pointers with both values.
pub fn json_differences(
    at: &str,
    written: &serde_json::Value,
    engine: &serde_json::Value,
    out: &mut Vec<String>,
) {
    match (written, engine) {
        (serde_json::Value::Object(w), serde_json::Value::Object(e)) => {
            for (key, value) in e {
                let here = format!("{at}/{key}");
                match w.get(key) {
                    Some(mine) => json_differences(&here, mine, value, out),
                    None => out.push(format!("{here}: lost (the engine gave {value})")),
                }
            }
            for (key, value) in w {
                if !e.contains_key(key) {
                    out.push(format!("{at}/{key}: added ({value})"));
                }
            }
        }
        (serde_json::Value::Array(w), serde_json::Value::Array(e)) if w.len() == e.len() => {
            for (i, (mine, theirs)) in w.iter().zip(e).enumerate() {
                json_differences(&format!("{at}/{i}"), mine, theirs, out);
            }
        }
        _ if written != engine => {
            out.push(format!("{at}: wrote {written}, the engine gave {engine}"))
        }
        _ => {}
    }
}

/// How many containers, networks, volumes and images carry `filter` (a label filter).
pub fn labelled_counts(docker: &dockhand::Docker, filter: &str) -> [usize; 4] {
    [
        docker
            .containers()
            .list(
                &dockhand::ListContainersOptions::new()
                    .all(true)
                    .filter("label", filter),
            )
            .unwrap()
            .len(),
        docker
            .networks()
            .list(&dockhand::network::ListNetworksOptions::new().filter("label", filter))
            .unwrap()
            .len(),
        docker
            .volumes()
            .list(&dockhand::volume::ListVolumesOptions::new().filter("label", filter))
            .unwrap()
            .volumes
            .len(),
        docker
            .images()
            .list(&dockhand::image::ListImagesOptions::new().filter("label", filter))
            .unwrap()
            .len(),
    ]
}

/// Makes, through `scope`'s configs, a network, a named volume, a running container on both
/// and, with `with_image`, a built image (`<tag>:1`), all named after `tag`: one of each thing a
/// `dockhand::scope::Scope` must take away.
pub fn make_in_scope(scope: &dockhand::scope::Scope, tag: &str, with_image: bool) {
    let docker = scope.docker();
    let network = docker
        .networks()
        .create(&scope.mark(dockhand::network::NetworkConfig::new(format!("{tag}-net"))))
        .unwrap();
    let volume = docker
        .volumes()
        .create(&scope.mark(dockhand::volume::VolumeConfig::new().name(&format!("{tag}-vol"))))
        .unwrap();
    let running = scope.mark(
        ContainerConfig::new(image())
            .cmd(["sleep", "600"])
            .host_config(
                dockhand::HostConfig::new()
                    .network_mode(&network.id)
                    .bind(&format!("{}:/data", volume.name)),
            ),
    );
    let id = docker.containers().create(&running).unwrap().id;
    docker.container(&id).start().unwrap();
    if with_image {
        let dir = std::env::temp_dir().join(format!("{tag}-ctx"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("Dockerfile"),
            format!("FROM {}\nLABEL made-by=scope-test\n", image()),
        )
        .unwrap();
        docker
            .images()
            .build_dir(
                &dir,
                &scope.mark(dockhand::BuildOptions::new().tag(format!("{tag}:1"))),
            )
            .unwrap()
            .image_id(|_| {})
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
