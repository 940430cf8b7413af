//! `dockhand::scope::Scope` against the real engine: what a scope's configs make goes when
//! it drops, on a panic too, with sixteen threads each with its own scope at once.

mod common;

use std::sync::{Arc, Barrier};

use dockhand::scope::{Scope, LABEL};
use dockhand::volume::VolumeConfig;
use dockhand::ContainerConfig;

/// Makes, in `scope`, a network, a named volume, a running container on both, a stopped
/// one, and (with `image`) a built image.
fn make_everything(scope: &Scope, tag: &str, image: bool) {
    common::make_in_scope(scope, tag, image);
    scope
        .docker()
        .containers()
        .create(&scope.mark(ContainerConfig::new(common::image()).cmd(["true"])))
        .unwrap();
}

#[test]
fn sixteen_threads_each_with_a_scope_leave_nothing_behind() {
    let docker = common::docker();
    let barrier = Arc::new(Barrier::new(16));
    let threads: Vec<_> = (0..16)
        .map(|i| {
            let docker = docker.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // All at once: sixteen first `Scope::new`s of the process race.
                barrier.wait();
                let scope = Scope::new(&docker).unwrap();
                let tag = format!("dockhand-scope16-{}-{i}", std::process::id());
                make_everything(&scope, &tag, i % 4 == 0);
                let made = common::labelled_counts(&docker, &scope.filter());
                assert_eq!(made, [2, 1, 1, usize::from(i % 4 == 0)], "thread {i}");
                // Half end by dropping, half by panicking.
                let value = scope.value().to_string();
                if i % 2 == 1 {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                        let _scope = scope;
                        panic!("thread {i} fails its test");
                    }))
                    .unwrap_err();
                } else {
                    drop(scope);
                }
                value
            })
        })
        .collect();
    let values: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let unique: std::collections::BTreeSet<&String> = values.iter().collect();
    assert_eq!(
        unique.len(),
        16,
        "every scope has its own value: {values:?}"
    );
    for value in &values {
        assert_eq!(
            common::labelled_counts(&docker, &format!("{LABEL}={value}")),
            [0, 0, 0, 0],
            "left by scope {value}"
        );
    }
}

#[test]
fn close_reports_what_it_removed_and_labels_are_as_documented() {
    let docker = common::docker();
    let scope = Scope::new(&docker).unwrap();
    let (key, value) = scope.label();
    assert_eq!((key, value), (LABEL, scope.value()));
    let value = value.to_string();
    assert_eq!(scope.filter(), format!("{LABEL}={value}"));
    // PID/START/N/PIDNS/BOOT/MACHINE
    let fields: Vec<&str> = value.split('/').collect();
    assert_eq!(fields.len(), 6, "{value}");
    assert_eq!(fields[0], std::process::id().to_string());

    let tag = format!("dockhand-scope-close-{}", std::process::id());
    make_everything(&scope, &tag, true);
    let cleaned = scope.close().unwrap();
    assert_eq!(
        (
            cleaned.containers.len(),
            cleaned.networks.len(),
            cleaned.volumes,
            cleaned.images.len()
        ),
        (2, 1, vec![format!("{tag}-vol")], 1)
    );
    assert_eq!(
        common::labelled_counts(&docker, &format!("{LABEL}={value}")),
        [0, 0, 0, 0]
    );

    // A clean scope cleans to nothing; reaping now finds nothing of a live process.
    let scope = Scope::new(&docker).unwrap();
    assert!(scope.clean().unwrap().is_empty());
    let value = scope.value().to_string();
    docker
        .volumes()
        .create(&scope.mark(VolumeConfig::new()))
        .unwrap();
    Scope::reap_stale(&docker).unwrap();
    assert_eq!(
        common::labelled_counts(&docker, &format!("{LABEL}={value}")),
        [0, 0, 1, 0],
        "a live scope's objects are not stale"
    );
    drop(scope);
    assert_eq!(
        common::labelled_counts(&docker, &format!("{LABEL}={value}")),
        [0, 0, 0, 0]
    );
}
