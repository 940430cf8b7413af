//! `GET /distribution/{name}/json` against the local registries: what a registry says about
//! an image, without pulling it.

mod common;
mod imagekit;

use dockhand::image::DistributionOptions;
use dockhand::{Credentials, Error, PushOptions};
use imagekit::{registries, ImageScope, Registries};

/// Builds a small labelled image as `name` and pushes it; returns the pushed digest.
fn build_and_push(scope: &ImageScope, name: &str, credentials: Option<Credentials>) -> String {
    let dockerfile = format!("FROM {}\nRUN echo distribution > /what\n", common::image());
    scope.build(&dockerfile, &[], &[name]);
    let options = match credentials {
        Some(c) => PushOptions::new(name).credentials(c),
        None => PushOptions::new(name),
    };
    let lines: Vec<dockhand::Progress> = scope
        .docker()
        .images()
        .push(&options)
        .unwrap()
        .collect::<dockhand::Result<_>>()
        .unwrap();
    lines
        .iter()
        .find_map(|p| p.pushed_digest().map(String::from))
        .unwrap_or_else(|| panic!("no digest in {lines:?}"))
}

#[test]
fn the_open_registry_describes_a_pushed_image() {
    let Some(Registries { open, .. }) = registries() else {
        return;
    };
    let scope = ImageScope::new("distribution-open");
    let docker = scope.docker();
    let name = format!("{}:1", scope.name(&format!("{open}/"), "dist"));
    let digest = build_and_push(&scope, &name, None);

    // names that cannot be a path are refused before anything is sent
    for bad in ["", "a/../b", "a//b"] {
        let err = docker
            .image(bad)
            .distribution(&DistributionOptions::new())
            .unwrap_err();
        assert!(matches!(err, Error::Setting { .. }), "{bad:?}: {err:?}");
    }
    if common::skip(
        common::is_podman(),
        "Podman 4.3 has no /distribution/{name}/json",
    ) {
        return;
    }

    let found = docker
        .image(&name)
        .distribution(&DistributionOptions::new())
        .unwrap();
    println!("{found:#?}");
    let d = &found.descriptor;
    assert_eq!(d.digest, digest);
    assert!(d.size > 0, "{d:?}");
    assert!(
        d.media_type.contains("manifest") || d.media_type.contains("index"),
        "{}",
        d.media_type
    );
    let version = docker.version().unwrap();
    // Engines read the platform of a Docker schema 2 manifest, but answer `"Platforms":
    // null` for a single OCI image manifest (what the containerd image store of Docker 29
    // pushes; seen with curl on 28.5 too).
    let oci = d.media_type == "application/vnd.oci.image.manifest.v1+json";
    if oci && found.platforms.is_empty() {
        eprintln!("note: the engine reports no platforms for an OCI manifest");
    } else {
        assert!(
            found
                .platforms
                .iter()
                .any(|p| p.os == version.os && p.architecture == version.arch),
            "no {}/{} in {:?}",
            version.os,
            version.arch,
            found.platforms
        );
    }

    // by digest too: the same manifest
    let by_digest = format!("{}@{digest}", name.trim_end_matches(":1"));
    let again = docker
        .image(&by_digest)
        .distribution(&DistributionOptions::new())
        .unwrap();
    assert_eq!(again.descriptor.digest, digest);

    // a tag the registry does not have: the engine's words
    let missing = format!("{}:missing", name.trim_end_matches(":1"));
    let err = docker
        .image(&missing)
        .distribution(&DistributionOptions::new())
        .unwrap_err();
    println!("missing tag: {err}");
    assert!(matches!(err, Error::Engine { .. }), "{err:?}");
}

#[test]
fn the_protected_registry_needs_the_credentials_it_is_sent() {
    let Some(registry) = registries() else {
        return;
    };
    let scope = ImageScope::new("distribution-auth");
    let docker = scope.docker();
    let server = registry.auth.as_str();
    let name = format!("{}:1", scope.name(&format!("{server}/"), "dist-protected"));
    let creds = Credentials::new(&registry.user, &registry.password);
    let digest = build_and_push(&scope, &name, Some(creds.clone()));
    if common::skip(
        common::is_podman(),
        "Podman 4.3 has no /distribution/{name}/json",
    ) {
        return;
    }

    let anonymous = docker
        .image(&name)
        .distribution(&DistributionOptions::new())
        .unwrap_err();
    println!("anonymous: {anonymous}");
    assert!(matches!(anonymous, Error::Engine { .. }), "{anonymous:?}");

    let found = docker
        .image(&name)
        .distribution(&DistributionOptions::new().credentials(creds))
        .unwrap();
    assert_eq!(found.descriptor.digest, digest);

    let wrong = docker
        .image(&name)
        .distribution(
            &DistributionOptions::new().credentials(Credentials::new(&registry.user, "wrong")),
        )
        .unwrap_err();
    println!("wrong password: {wrong}");
    assert!(!format!("{wrong} {wrong:?}").contains(&registry.password));
}
