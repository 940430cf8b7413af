//! The engine's smaller endpoints against the real engine: `HEAD /_ping`, build cache
//! prune, cluster volume update.

mod common;

use std::time::Instant;

use common::{Scope, LABEL};
use dockhand::system::PruneBuildCacheOptions;
use dockhand::volume::{ClusterVolumeSpec, RemoveVolumeOptions, VolumeConfig};
use dockhand::{ApiVersion, Docker, Error};

#[test]
fn a_head_ping_says_what_a_get_ping_says() {
    let docker = common::docker();
    let get = docker.ping().unwrap();
    let head = docker.ping_head().unwrap();
    println!("GET {get:?}\nHEAD {head:?}");
    assert_eq!(head, get);
    assert!(head.api_version.is_some());

    // the cheaper of the two, over one pooled connection
    for (what, ping) in [
        (
            "HEAD",
            &(|d: &Docker| d.ping_head()) as &dyn Fn(&Docker) -> _,
        ),
        ("GET", &|d: &Docker| d.ping()),
    ] {
        let started = Instant::now();
        for _ in 0..500 {
            ping(&docker).unwrap();
        }
        let took = started.elapsed();
        println!("{what} /_ping: {:.0}/s", 500.0 / took.as_secs_f64());
    }

    // nothing listening: the connect error, as for every call
    let nowhere = Docker::connect("unix:///nonexistent/dockhand.sock").unwrap();
    let err = nowhere.ping_head().unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
}

/// A filter no build cache record matches: every prune here deletes nothing, whatever
/// else runs on the engine.
fn nothing() -> PruneBuildCacheOptions {
    PruneBuildCacheOptions::new().filter("id", "dockhand-test-no-such-record")
}

#[test]
fn build_cache_prunes_send_their_filters_and_limits() {
    let docker = common::docker();
    let version = docker.api_version().unwrap();
    if common::is_podman() {
        // Podman's compatible API may lack the endpoint: that is the engine's limit
        let answer = docker.prune_build_cache(&nothing());
        println!("Podman: {answer:?}");
        let missing = matches!(
            answer,
            Err(Error::Engine {
                status: 404 | 405 | 501,
                ..
            })
        );
        if common::skip(missing, "Podman 4.3 has no /build/prune") {
            return;
        }
    }

    let pruned = common::prune(|| docker.prune_build_cache(&nothing()));
    println!("pruned: {pruned:?}");
    assert!(pruned.caches_deleted.is_empty());
    assert_eq!(pruned.space_reclaimed, 0);
    common::prune(|| docker.prune_build_cache(&nothing().all(true).reserved_space(1 << 40)));

    // a filter the engine does not know: its refusal names it, so filters are sent
    let err = docker
        .prune_build_cache(&nothing().filter("colour", "red"))
        .unwrap_err();
    println!("bad filter: {err}");
    assert!(err.to_string().contains("colour"), "{err}");

    // the limits of API 1.48: sent where the engine knows them, refused before sending
    // where it would ignore them
    let limits = nothing().max_used_space(1 << 40).min_free_space(1);
    if version >= ApiVersion::new(1, 48) {
        common::prune(|| docker.prune_build_cache(&limits));
    } else {
        let err = docker.prune_build_cache(&limits).unwrap_err();
        println!("API {version}: {err}");
        assert!(matches!(err, Error::Setting { .. }), "{err:?}");
        assert!(err.to_string().contains("1.48"), "{err}");
    }
}

#[test]
fn a_plain_volume_cannot_be_updated() {
    let scope = Scope::new("volume-update");
    let docker = &scope.docker;
    let name = format!("dockhand-{}", scope.value);
    docker
        .volumes()
        .create(&VolumeConfig::new().name(&name).label(LABEL, &scope.value))
        .unwrap();
    let volume = docker.volume(&name);
    let inspect = volume.inspect().unwrap();
    assert!(inspect.cluster_volume.is_none(), "{inspect:?}");

    let mut spec = ClusterVolumeSpec::default();
    spec.availability = Some("drain".into());
    let result = volume.update(1, &spec);
    let _ = volume.remove(&RemoveVolumeOptions::new().force(true));
    let err = result.unwrap_err();
    println!("update: {err}");
    let version = docker.api_version().unwrap();
    if version < ApiVersion::new(1, 42) {
        // the engine has no such endpoint: a clear refusal instead of its "page not found"
        assert!(matches!(err, Error::Setting { .. }), "{err:?}");
        assert!(err.to_string().contains("1.42"), "{err}");
        return;
    }
    // Outside a swarm the engine refuses every update (503) after matching the route; a
    // swarm manager reads the version and the spec, then finds no cluster volume of that
    // name (404).
    let manager = docker.ping().unwrap().swarm.as_deref() == Some("active/manager");
    match err {
        Error::Engine { status: 503, .. } if !manager => {
            assert!(err.to_string().contains("swarm"), "{err}")
        }
        Error::Engine { status: 404, .. } if manager => {}
        other => panic!("not the engine's refusal of a plain volume: {other:?}"),
    }
}
