//! The engine itself against the real engine: swarm state in info, disk usage, image
//! events.

mod common;

use std::time::Duration;

use dockhand::system::LocalNodeState;
use dockhand::{encode_segment, Docker, EventsOptions};

#[test]
fn info_reports_the_swarm_state_typed() {
    let docker = common::docker();
    let swarm = docker.info().unwrap().swarm;
    assert!(
        !matches!(swarm.local_node_state, LocalNodeState::Other(_)),
        "a known state: {:?}",
        swarm.local_node_state
    );
    if swarm.local_node_state == LocalNodeState::Inactive {
        assert!(swarm.node_id.is_empty());
        assert!(!swarm.control_available);
        assert!(swarm.cluster.is_none() && swarm.nodes.is_none());
    } else {
        assert!(!swarm.node_id.is_empty());
    }
}

#[test]
fn version_names_the_oldest_api_version_it_accepts() {
    let version = common::docker().version().unwrap();
    assert!(!version.min_api_version.is_empty(), "{version:?}");
    if let (Ok(min), Ok(max)) = (
        version.min_api_version.parse::<dockhand::ApiVersion>(),
        version.api_version.parse::<dockhand::ApiVersion>(),
    ) {
        assert!(min <= max, "{version:?}");
    }
}

#[test]
fn df_reports_layers_and_the_test_image() {
    let docker = common::docker();
    let df = common::df(&docker);
    assert!(!df.images.is_empty());
    if common::skip(
        common::is_podman(),
        "Podman 4.3's df reports LayersSize 0 and an image's RepoTags as its bare tag (`latest`)",
    ) {
        return;
    }
    assert!(df.layers_size > 0);
    let image = common::image();
    let ours = df
        .images
        .iter()
        .find(|i| i.repo_tags.contains(&image))
        .expect("df lists the test image");
    assert!(ours.id.starts_with("sha256:"));
    assert!(ours.size > 0);
}

/// Removes a tag (and nothing else) when dropped.
struct Tag<'a> {
    docker: &'a Docker,
    reference: String,
}

impl Drop for Tag<'_> {
    fn drop(&mut self) {
        let path = format!("/images/{}", encode_segment(&self.reference));
        if let Ok(response) = self
            .docker
            .request("DELETE", &path)
            .query("noprune", "1")
            .send()
        {
            let _ = response.drain();
        }
    }
}

#[test]
fn events_report_an_image_tag() {
    let docker = common::docker();
    let repo = format!("dockhand-test/tag-{}", std::process::id());
    let reference = format!("{repo}:events");
    // Podman filters and names images by their full name, and its image ids have no
    // `sha256:` prefix.
    let (named, id_prefix) = if common::is_podman() {
        (format!("docker.io/{reference}"), "")
    } else {
        (reference.clone(), "sha256:")
    };
    let events = docker
        .events(
            &EventsOptions::new()
                .filter("type", "image")
                .filter("event", "tag")
                .filter("image", &named)
                .idle_timeout(Duration::from_secs(60)),
        )
        .unwrap();
    let tag = Tag {
        docker: &docker,
        reference: reference.clone(),
    };
    docker
        .request(
            "POST",
            &format!("/images/{}/tag", encode_segment(&common::image())),
        )
        .query("repo", &repo)
        .query("tag", "events")
        .send()
        .unwrap()
        .drain()
        .unwrap();

    let event = events
        .into_iter()
        .next()
        .expect("a tag event")
        .expect("a good event");
    assert_eq!(event.kind, "image");
    assert_eq!(event.action, "tag");
    assert_eq!(event.actor.attributes["name"], named);
    let hex = event.actor.id.strip_prefix(id_prefix).unwrap_or_default();
    assert!(
        hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        "{}",
        event.actor.id
    );
    drop(tag);
}

/// Pooled connections keep small buffers: a request head larger than theirs (a big
/// `X-Registry-Config` does that) must still go out, on a connection of its own, and the
/// pool must go on serving ordinary calls after it. Streams too.
#[test]
fn request_heads_larger_than_a_pooled_buffer_are_sent() {
    let docker = common::docker();
    let big = "x".repeat(100 * 1024);
    for _ in 0..3 {
        docker.ping().unwrap();
        let response = docker
            .request("GET", "/_ping")
            .unversioned()
            .header("X-Dockhand-Padding", &big)
            .send()
            .unwrap();
        assert_eq!(response.text().unwrap(), "OK");
    }
    let response = docker
        .request("GET", "/_ping")
        .unversioned()
        .header("X-Dockhand-Padding", &big)
        .streaming()
        .send()
        .unwrap();
    assert_eq!(response.text().unwrap(), "OK");
    docker.ping().unwrap();
}
