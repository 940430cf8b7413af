//! A swarm of two hosts: the default engine is the manager; Docker 28.5 of
//! `scripts/engine-matrix`, in a network namespace of its own and reached over a veth link
//! (10.119.2.1 on the host, 10.119.2.2 in the namespace), joins as a worker. A service
//! places tasks on both; draining the worker moves them to the manager; the worker leaves
//! and is removed. This is the multi-host path users grow into, proven live.
//!
//! Runs in the default engine's pass of `scripts/test-matrix` (the engine under test is
//! the manager, in the host's network namespace). A guard makes both engines leave the
//! swarm and removes this run's services when the test ends, also when it fails.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{wait_for, Scope, LABEL};
use dockhand::swarm::{
    InitRequest, JoinRequest, ListNodesOptions, ListServicesOptions, ListTasksOptions,
    NodeAvailability, NodeInspect, NodeRole, NodeState, ServiceSpec, TaskState,
};
use dockhand::system::LocalNodeState;
use dockhand::{Docker, Settings};

/// The matrix engine that joins as the worker.
const WORKER: &str = "docker28";

/// The worker's client and its link addresses (the manager's, the worker's), or `None`
/// (after a note, or a failure in CI) when the matrix engine does not run.
fn worker() -> Option<(Docker, String, String)> {
    let dir = std::env::var_os("DOCKHAND_MATRIX_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/dockhand-matrix"))
        .join(WORKER);
    let env = common::env_file(&dir.join("env"));
    let found = (
        env.get("DOCKHAND_ENGINE_SOCKET"),
        env.get("DOCKHAND_LINK_HOST"),
        env.get("DOCKHAND_LINK_ENGINE"),
    );
    let (Some(socket), Some(host), Some(engine)) = found else {
        if std::env::var_os("CI").is_some() {
            panic!("CI needs {WORKER} of scripts/engine-matrix for the two-node swarm");
        }
        eprintln!("skipped: {WORKER} does not run (sudo scripts/engine-matrix up {WORKER})");
        return None;
    };
    let docker = Docker::new(Settings::new(&format!("unix://{socket}")).unwrap()).unwrap();
    docker.ping().ok()?;
    Some((docker, host.clone(), engine.clone()))
}

/// Both engines leave the swarm, and this run's services go, when dropped.
struct TwoNodes {
    scope: Scope,
    worker: Docker,
}

impl Drop for TwoNodes {
    fn drop(&mut self) {
        let manager = &self.scope.docker;
        let filter = self.scope.filter();
        for service in manager
            .services()
            .list(&ListServicesOptions::new().filter("label", &filter))
            .unwrap_or_default()
        {
            let _ = manager.service(&service.id).remove();
        }
        let _ = self.worker.swarm().leave(true);
        let _ = manager.swarm().leave(true);
        // The containers of the tasks go with the swarm; the bridge it made stays, as
        // after any `docker swarm leave`.
    }
}

/// The node ids the service's running tasks are on, with their counts.
fn placement(manager: &Docker, service: &str) -> HashMap<String, usize> {
    let mut on = HashMap::new();
    for task in manager
        .tasks()
        .list(
            &ListTasksOptions::new()
                .service(service)
                .desired_state("running"),
        )
        .unwrap()
    {
        if task.status.state == TaskState::Running {
            *on.entry(task.node_id.clone()).or_insert(0) += 1;
        }
    }
    on
}

fn node(manager: &Docker, id: &str) -> NodeInspect {
    manager.node(id).inspect().unwrap()
}

#[test]
fn a_worker_on_another_host_joins_runs_tasks_is_drained_leaves_and_is_removed() {
    let scope = Scope::new("two-nodes");
    let manager = scope.docker.clone();
    if common::skip(
        common::engine_name() != "docker",
        "the two-node swarm's manager is the default engine, in the host's network namespace",
    ) {
        return;
    }
    let Some((worker, host_addr, worker_addr)) = worker() else {
        return;
    };
    for (who, docker) in [("manager", &manager), ("worker", &worker)] {
        let state = docker.info().unwrap().swarm.local_node_state;
        assert_eq!(
            state,
            LocalNodeState::Inactive,
            "the {who} is in a swarm already: this test makes its own and leaves it"
        );
    }
    let lab = TwoNodes {
        scope,
        worker: worker.clone(),
    };
    let started = Instant::now();

    // The manager listens on the link; the worker joins through it.
    let manager_id = manager
        .swarm()
        .init(&InitRequest::new(&host_addr).listen_addr(format!("{host_addr}:2377")))
        .unwrap();
    let token = manager
        .swarm()
        .inspect()
        .unwrap()
        .join_tokens
        .worker
        .clone();
    worker
        .swarm()
        .join(
            &JoinRequest::new(token, [format!("{host_addr}:2377")])
                .listen_addr(format!("{worker_addr}:2377"))
                .advertise_addr(&worker_addr),
        )
        .unwrap();
    let worker_id = worker.info().unwrap().swarm.node_id.clone();
    assert_ne!(worker_id, manager_id);
    let nodes = wait_for("two ready nodes", Duration::from_secs(30), || {
        let nodes = manager.nodes().list(&ListNodesOptions::new()).unwrap();
        let ready = nodes
            .iter()
            .filter(|n| n.status.state == NodeState::Ready)
            .count();
        (ready == 2).then_some(nodes)
    });
    let seen = nodes
        .iter()
        .find(|n| n.id == worker_id)
        .expect("the worker");
    assert_eq!(seen.spec.role, Some(NodeRole::Worker));
    assert_eq!(seen.status.addr, worker_addr);
    println!("joined in {:.2?}", started.elapsed());

    // Four replicas spread over both hosts (the image is local to each: no registry).
    let name = format!("dockhand-{}-spread", lab.scope.value);
    let spec = ServiceSpec::new(common::image())
        .name(&name)
        .label(LABEL, &lab.scope.value)
        // ends at once on SIGTERM, so a drain does not wait out the grace period
        .args(["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"])
        .replicas(4);
    let service = manager.services().create(&spec).unwrap().id;
    let on = wait_for(
        "tasks running on both nodes",
        Duration::from_secs(90),
        || {
            let on = placement(&manager, &service);
            (on.values().sum::<usize>() == 4 && on.len() == 2).then_some(on)
        },
    );
    assert!(
        on.contains_key(&manager_id) && on.contains_key(&worker_id),
        "{on:?}"
    );
    println!("tasks on both nodes in {:.2?}: {on:?}", started.elapsed());

    // Drain the worker: its tasks move to the manager.
    let current = node(&manager, &worker_id);
    let drained = current.spec.clone().availability(NodeAvailability::Drain);
    manager
        .node(&worker_id)
        .update(current.version.index, &drained)
        .unwrap();
    wait_for("every task on the manager", Duration::from_secs(90), || {
        let on = placement(&manager, &service);
        (on.get(&manager_id) == Some(&4) && on.len() == 1).then_some(())
    });
    assert_eq!(
        node(&manager, &worker_id).spec.availability,
        Some(NodeAvailability::Drain)
    );
    println!("drained in {:.2?}", started.elapsed());

    // A worker that is still up cannot be removed without force.
    let refused = manager.node(&worker_id).remove(false).unwrap_err();
    assert!(refused.status().is_some(), "{refused}");

    // The worker leaves; the manager sees it down, then removes it.
    worker.swarm().leave(false).unwrap();
    assert_eq!(
        worker.info().unwrap().swarm.local_node_state,
        LocalNodeState::Inactive
    );
    wait_for("the worker down", Duration::from_secs(60), || {
        (node(&manager, &worker_id).status.state == NodeState::Down).then_some(())
    });
    manager.node(&worker_id).remove(false).unwrap();
    assert!(manager
        .node(&worker_id)
        .inspect()
        .unwrap_err()
        .is_not_found());
    let left = manager.nodes().list(&ListNodesOptions::new()).unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    println!("left and removed in {:.2?}", started.elapsed());
    drop(lab);
    assert_eq!(
        manager.info().unwrap().swarm.local_node_state,
        LocalNodeState::Inactive
    );
}
