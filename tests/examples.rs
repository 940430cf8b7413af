//! The examples that are tests and scripts, run on the engine under test: each keeps its
//! work in a function, called here, and must leave no container behind.
//!
//! Where the engine runs in a network namespace of its own (the engines of
//! `scripts/engine-matrix`), the port `service_test` publishes on the namespace's
//! 127.0.0.1 is reached through a relay into that namespace.

mod common;

#[allow(dead_code)]
#[path = "../examples/service_test.rs"]
mod service_test;

#[allow(dead_code)]
#[path = "../examples/build_in_container.rs"]
mod build_in_container;

use std::cell::OnceCell;
use std::path::PathBuf;

use common::relay::Relay;
use dockhand::container::ListContainersOptions;

/// Containers of the example labelled `dockhand-example=NAME` that a scope of this process
/// made, still on the engine.
fn left_behind(example: &str) -> Vec<String> {
    let options = ListContainersOptions::new()
        .all(true)
        .filter("label", &format!("dockhand-example={example}"));
    let mine = format!("{}/", std::process::id());
    common::docker()
        .containers()
        .list(&options)
        .unwrap()
        .into_iter()
        .filter(|c| {
            c.labels
                .get(dockhand::scope::LABEL)
                .is_some_and(|v| v.starts_with(&mine))
        })
        .map(|c| c.id)
        .collect()
}

#[test]
fn the_service_test_example_passes_and_cleans_up() {
    let image = common::image();
    let namespace = std::fs::read_to_string(common::engine_dir().join("netns.pid")).ok();
    let relay = OnceCell::new();
    let result = match &namespace {
        // The engine's loopback is not this machine's: relay to the published port.
        Some(pid) => service_test::web_serves_test_data(&image, |published| {
            relay
                .get_or_init(|| Relay::new(pid.trim(), published.port()))
                .address
        }),
        None => service_test::web_serves_test_data(&image, |published| published),
    };
    result.unwrap();
    assert_eq!(left_behind("service_test"), Vec::<String>::new());
}

/// A folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("dockhand-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_build_example_brings_back_what_the_build_made_and_fails_cleanly() {
    let source = TempDir::new("example-source");
    build_in_container::write_sample(&source.0).unwrap();
    let out = TempDir::new("example-out");
    let files =
        build_in_container::build_in_container(&common::image(), &source.0, &out.0).unwrap();

    let names: Vec<_> = files
        .iter()
        .map(|(path, _)| path.to_str().unwrap())
        .collect();
    assert_eq!(names, ["SHA256SUMS", "book.txt", "book.txt.gz"]);
    let book = std::fs::read_to_string(out.0.join("book.txt")).unwrap();
    assert_eq!(
        book,
        "It was a dark and stormy night.\nThe container started.\nAnd everything was removed.\n"
    );
    let gzip = std::fs::read(out.0.join("book.txt.gz")).unwrap();
    assert_eq!(gzip[..2], [0x1f, 0x8b], "a gzip file");
    let sums = std::fs::read_to_string(out.0.join("SHA256SUMS")).unwrap();
    assert!(
        sums.lines().count() == 2 && sums.contains("  book.txt\n"),
        "{sums}"
    );
    assert_eq!(left_behind("build_in_container"), Vec::<String>::new());

    // A build that fails is an error with its exit code; nothing is copied out, and its
    // container goes too. (In the same test: both label their containers alike.)
    let failing = TempDir::new("example-failing");
    std::fs::create_dir_all(&failing.0).unwrap();
    std::fs::write(
        failing.0.join("build.sh"),
        "echo compiling; echo 'error: no main' >&2; exit 3\n",
    )
    .unwrap();
    let out = TempDir::new("example-failing-out");
    let err =
        build_in_container::build_in_container(&common::image(), &failing.0, &out.0).unwrap_err();
    assert_eq!(err.to_string(), "the build step failed with exit code 3");
    assert!(!out.0.exists(), "nothing copied out");
    assert_eq!(left_behind("build_in_container"), Vec::<String>::new());
}
