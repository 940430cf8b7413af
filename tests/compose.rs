//! A compose project driven by its labels: containers made by hand with compose's labels
//! (no compose binary here), listed, stopped, started, removed, and taken down.

mod common;

use std::time::Duration;

use common::{Scope, LABEL};
use dockhand::container::{COMPOSE_NUMBER_LABEL, COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL};
use dockhand::network::{ListNetworksOptions, NetworkConfig};
use dockhand::RemoveOptions;

/// Makes and starts a container as compose would for `project`'s `service`, number `n`.
fn compose_container(scope: &Scope, project: &str, service: &str, n: u32) -> String {
    let config = scope
        .config()
        .cmd(["sleep", "600"])
        .label(COMPOSE_PROJECT_LABEL, project)
        .label(COMPOSE_SERVICE_LABEL, service)
        .label(COMPOSE_NUMBER_LABEL, &n.to_string());
    let name = format!("{project}-{service}-{n}");
    let id = scope
        .docker
        .containers()
        .create_named(&name, &config)
        .expect("create a compose container")
        .id;
    scope.docker.container(&id).start().unwrap();
    name
}

/// Removes a network when dropped, even when the test fails first.
struct NetworkGuard(dockhand::Docker, String);

impl Drop for NetworkGuard {
    fn drop(&mut self) {
        let _ = self.0.network(&self.1).remove();
    }
}

fn names(list: &[dockhand::container::ContainerSummary]) -> Vec<String> {
    list.iter().map(|c| c.name().to_string()).collect()
}

#[test]
fn a_project_and_its_services_are_listed_stopped_and_removed_by_label() {
    let scope = Scope::new("compose");
    let docker = &scope.docker;
    let project = format!("dhcompose{}", std::process::id());
    let other = format!("{project}x");
    // Made out of order: the list comes by service, then number (10 after 2).
    compose_container(&scope, &project, "web", 10);
    compose_container(&scope, &project, "db", 1);
    compose_container(&scope, &project, "web", 2);
    compose_container(&scope, &other, "web", 1);
    let network = docker
        .networks()
        .create(
            &NetworkConfig::new(format!("{project}_default"))
                .label(COMPOSE_PROJECT_LABEL, &project)
                .label(LABEL, &scope.value),
        )
        .unwrap();
    let _network_guard = NetworkGuard(docker.clone(), network.id.clone());

    let shop = docker.compose_project(&project);
    assert_eq!(shop.name(), project);
    assert_eq!(
        names(&shop.containers().unwrap()),
        [
            format!("{project}-db-1"),
            format!("{project}-web-2"),
            format!("{project}-web-10"),
        ]
    );
    assert_eq!(shop.services().unwrap(), ["db", "web"]);
    let web = shop.service("web");
    assert_eq!(web.containers().unwrap().len(), 2);
    let both = shop.service("web").service("db");
    assert_eq!(both.containers().unwrap().len(), 3);
    assert!(shop
        .clone()
        .service("cache")
        .containers()
        .unwrap()
        .is_empty());
    assert!(docker.compose_project("").containers().is_err());

    // Stop one service: the other keeps running, and so does the other project.
    let stopped = web.stop(Some(Duration::from_secs(1))).unwrap();
    assert_eq!(stopped.len(), 2);
    // The engine's list may lag its `stop` by a few milliseconds (seen on Docker 26;
    // inspect is up to date at once).
    let expected = [
        (format!("{project}-db-1"), "running".to_string()),
        (format!("{project}-web-2"), "exited".to_string()),
        (format!("{project}-web-10"), "exited".to_string()),
    ];
    common::wait_for(
        "the list to show the stops",
        Duration::from_secs(10),
        || {
            let states: Vec<(String, String)> = shop
                .containers()
                .unwrap()
                .iter()
                .map(|c| (c.name().to_string(), c.state.to_string()))
                .collect();
            (states == expected).then_some(())
        },
    );
    // Stopped ones are left as they are, and so are running ones on start.
    assert_eq!(web.stop(None).unwrap().len(), 2);
    assert_eq!(shop.service("db").start().unwrap().len(), 1);
    assert_eq!(web.start().unwrap().len(), 2);
    common::wait_for(
        "the list to show the starts",
        Duration::from_secs(10),
        || {
            web.containers()
                .unwrap()
                .iter()
                .all(|c| c.state.as_str() == "running")
                .then_some(())
        },
    );

    // Remove without force refuses running containers; with it, they go.
    let err = web.remove(&RemoveOptions::new()).unwrap_err();
    assert!(err.status().is_some(), "{err}");
    assert_eq!(
        web.remove(&RemoveOptions::new().force(true)).unwrap().len(),
        2
    );
    assert_eq!(shop.services().unwrap(), ["db"]);

    // Down: the rest, and the project's networks.
    assert_eq!(names(&shop.down().unwrap()), [format!("{project}-db-1")]);
    assert!(shop.containers().unwrap().is_empty());
    let left = docker
        .networks()
        .list(
            &ListNetworksOptions::new()
                .filter("label", &format!("{COMPOSE_PROJECT_LABEL}={project}")),
        )
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
    assert!(docker
        .network(&network.id)
        .inspect()
        .unwrap_err()
        .is_not_found());
    // The other project is untouched; down on nothing is no error.
    assert_eq!(
        docker.compose_project(&other).containers().unwrap().len(),
        1
    );
    assert!(shop.down().unwrap().is_empty());
}
