//! Swarm mode against the real engine, in one test: init, nodes, secrets and configs, a
//! service that mounts them (scale, update, a stale update refused, logs), and leave. On
//! the way, every spec dockhand reads (swarm, node, secret, config, service) is compared
//! with the engine's own JSON, value for value, also after a typed update sent it back.
//!
//! Other test runs share the engine and do not expect it in a swarm: this is the only test
//! that makes one, it refuses to start when the engine is in a swarm already (someone
//! else's), and a guard leaves the swarm when the test ends, also when it fails. Every
//! object carries this run's label and is removed by it.

mod common;

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::{Scope, LABEL};
use serde_json::{json, Value};

use dockhand::network::ListNetworksOptions;
use dockhand::swarm::{
    ConfigReference, ConfigSpec, InitRequest, JoinRequest, ListNodesOptions, ListSecretsOptions,
    ListServicesOptions, ListTasksOptions, NodeAvailability, NodeRole, NodeState, RestartCondition,
    SecretReference, SecretSpec, ServiceRestartPolicy, ServiceSpec, ServiceUpdateConfig,
    SwarmUpdateOptions, TaskInspect, TaskState,
};
use dockhand::system::LocalNodeState;
use dockhand::{Docker, ListContainersOptions, LogsOptions, RemoveOptions};

/// The network a swarm makes on the engine and leaves behind.
const GWBRIDGE: &str = "docker_gwbridge";

/// Where the service's tasks find the config.
const CONFIG_TARGET: &str = "/dockhand-config";

/// This run's swarm: its label, and a guard that removes what carries the label and
/// leaves the swarm when dropped.
struct SwarmLab {
    scope: Scope,
    /// Whether `docker_gwbridge` was there before the swarm (else it is removed at the end).
    had_gwbridge: bool,
    started: Instant,
    last: Instant,
}

impl SwarmLab {
    fn new() -> SwarmLab {
        let scope = Scope::new("swarm");
        let state = scope.docker.info().unwrap().swarm.local_node_state;
        assert_eq!(
            state,
            LocalNodeState::Inactive,
            "the engine is in a swarm already ({state}): this test makes its own and leaves it \
             at the end, so it runs only on an engine outside any swarm"
        );
        let had_gwbridge = network_exists(&scope.docker, GWBRIDGE);
        let now = Instant::now();
        SwarmLab {
            scope,
            had_gwbridge,
            started: now,
            last: now,
        }
    }

    fn docker(&self) -> &Docker {
        &self.scope.docker
    }

    fn value(&self) -> &str {
        &self.scope.value
    }

    fn label_filter(&self) -> String {
        self.scope.filter()
    }

    /// A name of this run's own.
    fn name(&self, suffix: &str) -> String {
        format!("dockhand-{}-{suffix}", self.scope.value)
    }

    /// Prints how long the step took.
    fn step(&mut self, what: &str) {
        let now = Instant::now();
        println!(
            "{what:<48} {:>7.2?}  (total {:.2?})",
            now - self.last,
            now - self.started
        );
        self.last = now;
    }

    /// The service's tasks that should run.
    fn running_tasks(&self, service: &str) -> Vec<TaskInspect> {
        self.docker()
            .tasks()
            .list(
                &ListTasksOptions::new()
                    .service(service)
                    .desired_state("running"),
            )
            .unwrap()
    }

    /// Waits until exactly `n` tasks of the service should run and do, all passing
    /// `accept`; returns them.
    fn wait_running(
        &self,
        service: &str,
        n: usize,
        accept: impl Fn(&TaskInspect) -> bool,
    ) -> Vec<TaskInspect> {
        common::wait_for(
            &format!("{n} running tasks of {service}"),
            Duration::from_secs(60),
            || {
                let tasks = self.running_tasks(service);
                let ok = tasks.len() == n
                    && tasks
                        .iter()
                        .all(|t| t.status.state == TaskState::Running && accept(t));
                ok.then_some(tasks)
            },
        )
    }

    /// The containers the swarm made for `service`, stopped ones too.
    fn service_containers(&self, service_id: &str) -> dockhand::Result<usize> {
        let options = ListContainersOptions::new().all(true).filter(
            "label",
            &format!("com.docker.swarm.service.id={service_id}"),
        );
        Ok(self.docker().containers().list(&options)?.len())
    }

    /// Reads the service's logs, following, until `done` says they hold what is wanted
    /// or `limit` passes (a watchdog cancels the stream then); returns what was read.
    fn follow_logs(&self, service: &str, limit: Duration, done: impl Fn(&str) -> bool) -> String {
        let stream = self
            .docker()
            .service(service)
            .logs(&LogsOptions::new().follow(true))
            .unwrap();
        let cancel = stream.cancel_handle();
        let (stop, stopped) = mpsc::channel::<()>();
        let watchdog = {
            let cancel = cancel.clone();
            thread::spawn(move || {
                if stopped.recv_timeout(limit).is_err() {
                    cancel.cancel();
                }
            })
        };
        let mut text = String::new();
        for chunk in stream {
            let chunk = chunk.unwrap();
            text.push_str(&String::from_utf8_lossy(&chunk.data));
            if done(&text) {
                break;
            }
        }
        cancel.cancel();
        let _ = stop.send(());
        watchdog.join().unwrap();
        text
    }

    /// Removes this run's services, secrets and configs, leaves the swarm, and removes
    /// the containers and the bridge the swarm left. Errors are ignored: this runs on
    /// failure too, and must get the engine out of the swarm whatever happened.
    fn clean_up(&self) {
        let docker = self.docker();
        let filter = self.label_filter();
        let services = docker
            .services()
            .list(&ListServicesOptions::new().filter("label", &filter))
            .unwrap_or_default();
        for service in &services {
            let _ = docker.service(&service.id).remove();
        }
        // A secret or config cannot go while a service uses it, and a removed service's
        // containers linger a moment: give them a little time.
        let deadline = Instant::now() + Duration::from_secs(15);
        while !services.is_empty()
            && Instant::now() < deadline
            && services
                .iter()
                .any(|s| self.service_containers(&s.id).unwrap_or(0) > 0)
        {
            thread::sleep(Duration::from_millis(200));
        }
        let labelled = ListSecretsOptions::new().filter("label", &filter);
        for secret in docker.secrets().list(&labelled).unwrap_or_default() {
            let _ = docker.secret(&secret.id).remove();
        }
        for config in docker.configs().list(&labelled).unwrap_or_default() {
            let _ = docker.config(&config.id).remove();
        }
        let _ = docker.swarm().leave(true);
        let containers = ListContainersOptions::new()
            .all(true)
            .filter("label", &filter);
        for c in docker.containers().list(&containers).unwrap_or_default() {
            let _ = docker
                .container(&c.id)
                .remove(&RemoveOptions::new().force(true).volumes(true));
        }
        if !self.had_gwbridge {
            remove_gwbridge(docker);
        }
    }
}

impl Drop for SwarmLab {
    fn drop(&mut self) {
        self.clean_up();
    }
}

/// Runs an inspect-and-update round trip, again when the object changed in between: a
/// fresh swarm still updates its own records (the node's, the swarm's) for a moment, and a
/// service's record moves on as its tasks change.
fn in_sequence<T>(what: &str, mut round_trip: impl FnMut() -> dockhand::Result<T>) -> T {
    let mut attempt = 1;
    loop {
        match round_trip() {
            Err(e) if attempt < 5 && e.is_out_of_sequence() => {
                println!("{what}: {e}; again");
                attempt += 1;
                thread::sleep(Duration::from_millis(100));
            }
            other => return other.unwrap(),
        }
    }
}

/// Turns the locking of the managers (and so their unlock key) on or off.
fn set_autolock(docker: &Docker, on: bool) {
    in_sequence("swarm update (autolock)", || {
        let current = docker.swarm().inspect()?;
        let mut spec = current.spec().clone();
        spec.extra.insert(
            "EncryptionConfig".into(),
            serde_json::json!({"AutoLockManagers": on}),
        );
        docker
            .swarm()
            .update(current.version(), &spec, &SwarmUpdateOptions::new())
    });
}

/// Removes the bridge a swarm leaves behind. The engine lets go of its endpoints (the
/// ingress sandbox) a moment after leaving: try for a while.
fn remove_gwbridge(docker: &Docker) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match docker.network(GWBRIDGE).remove() {
            Ok(()) => return,
            Err(e) if e.is_not_found() => return,
            Err(e) if Instant::now() > deadline => {
                eprintln!("could not remove {GWBRIDGE}: {e}");
                return;
            }
            Err(_) => thread::sleep(Duration::from_millis(200)),
        }
    }
}

fn network_exists(docker: &Docker, name: &str) -> bool {
    docker
        .networks()
        .list(&ListNetworksOptions::new().filter("name", name))
        .unwrap_or_default()
        .iter()
        .any(|n| n.name == name)
}

/// The engine's own JSON answer to `GET path`.
fn raw(docker: &Docker, path: &str) -> dockhand::Result<Value> {
    docker.request("GET", path).send()?.json()
}

/// A service whose spec fills fields dockhand does not type, at every level, and fields
/// newer API versions added (an engine drops those it does not know: what it kept shows
/// in its inspect). Its tasks never start: no node meets its placement constraint.
fn kept_service_spec(name: &str, value: &str, secret_id: &str, secret_name: &str) -> Value {
    json!({
        "Name": name,
        "Labels": {LABEL: value},
        "TaskTemplate": {
            "ContainerSpec": {
                "Image": common::image(),
                "Labels": {LABEL: value},
                "Command": ["sleep", "600"],
                "Groups": ["10"],
                "Hosts": ["10.1.2.3 db.dockhand"],
                "DNSConfig": {"Nameservers": ["10.1.2.53"], "Search": ["dockhand"],
                              "Options": ["ndots:2"]},
                "Privileges": {"NoNewPrivileges": true},
                "Init": false,
                "Sysctls": {"net.core.somaxconn": "1024"},
                "CapabilityAdd": ["CAP_NET_ADMIN"],
                "CapabilityDrop": ["CAP_MKNOD"],
                "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
                "OomScoreAdj": 100,
                "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1_000_000_000i64,
                                "StartPeriod": 2_000_000_000i64,
                                "StartInterval": 500_000_000i64},
                "Mounts": [
                    {"Type": "bind", "Source": "/tmp", "Target": "/host-tmp",
                     "ReadOnly": true,
                     "BindOptions": {"Propagation": "rslave", "CreateMountpoint": true,
                                     "ReadOnlyNonRecursive": true}},
                    {"Type": "volume", "Source": format!("dockhand-{value}-kept"),
                     "Target": "/data",
                     "VolumeOptions": {"NoCopy": true, "Labels": {LABEL: value},
                                       "Subpath": "sub",
                                       "DriverConfig": {"Name": "local",
                                                        "Options": {"type": "tmpfs",
                                                                    "device": "tmpfs"}}}},
                    {"Type": "tmpfs", "Target": "/scratch",
                     "TmpfsOptions": {"SizeBytes": 1_048_576, "Mode": 448,
                                      "Options": [["exec"]]}},
                ],
                "StopGracePeriod": 1_000_000_000i64,
                "Secrets": [{"File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256},
                             "SecretID": secret_id, "SecretName": secret_name}],
            },
            "Resources": {
                "Limits": {"NanoCPUs": 500_000_000, "MemoryBytes": 67_108_864, "Pids": 100},
                "Reservations": {"MemoryBytes": 8_388_608},
                "SwapBytes": 134_217_728,
                "MemorySwappiness": 10,
            },
            "RestartPolicy": {"Condition": "on-failure", "Delay": 200_000_000,
                              "MaxAttempts": 3, "Window": 10_000_000_000i64},
            "Placement": {"Constraints": ["node.labels.dockhand-never==1"],
                          "Preferences": [{"Spread": {"SpreadDescriptor":
                                                      "node.labels.zone"}}],
                          "MaxReplicas": 2},
            "LogDriver": {"Name": "json-file", "Options": {"max-size": "1m"}},
        },
        "Mode": {"Replicated": {"Replicas": 1}},
        "UpdateConfig": {"Parallelism": 0, "FailureAction": "continue",
                         "Monitor": 500_000_000, "MaxFailureRatio": 0.5,
                         "Order": "start-first"},
        "RollbackConfig": {"Parallelism": 1, "FailureAction": "pause",
                           "MaxFailureRatio": 0, "Order": "stop-first"},
        "EndpointSpec": {"Mode": "dnsrr",
                         "Ports": [{"Name": "dns", "Protocol": "udp", "TargetPort": 53,
                                    "PublishedPort": 15353, "PublishMode": "host"}]},
    })
}

/// Fields of [`kept_service_spec`] that API versions after 1.41 added: whether the
/// engine kept each is printed (an engine drops what its API version does not know).
const NEWER_FIELDS: &[&str] = &[
    "/TaskTemplate/ContainerSpec/Healthcheck/StartInterval",
    "/TaskTemplate/ContainerSpec/Mounts/0/BindOptions/CreateMountpoint",
    "/TaskTemplate/ContainerSpec/Mounts/0/BindOptions/ReadOnlyNonRecursive",
    "/TaskTemplate/ContainerSpec/Mounts/1/VolumeOptions/Subpath",
    "/TaskTemplate/ContainerSpec/Mounts/2/TmpfsOptions/Options",
    "/TaskTemplate/ContainerSpec/OomScoreAdj",
    "/TaskTemplate/ContainerSpec/Privileges/NoNewPrivileges",
    "/TaskTemplate/Resources/SwapBytes",
    "/TaskTemplate/Resources/MemorySwappiness",
];

#[test]
fn a_swarm_runs_a_service_with_secrets_and_configs_then_leaves() {
    if common::skip(common::is_podman(), "Podman has no swarm mode") {
        return;
    }
    let mut lab = SwarmLab::new();
    let docker = lab.docker().clone();
    let value = lab.value().to_string();
    let filter = lab.label_filter();

    // --- the swarm ------------------------------------------------------------------
    let node_id = docker
        .swarm()
        .init(&InitRequest::new("127.0.0.1").listen_addr("127.0.0.1:2377"))
        .unwrap();
    assert!(!node_id.is_empty());
    lab.step("swarm init");

    let swarm = docker.swarm().inspect().unwrap();
    assert!(!swarm.id().is_empty());
    assert!(swarm.version() > 0);
    assert!(swarm.join_tokens.worker.starts_with("SWMTKN-1-"));
    assert!(swarm.join_tokens.manager.starts_with("SWMTKN-1-"));
    assert_ne!(swarm.join_tokens.worker, swarm.join_tokens.manager);
    assert!(!format!("{swarm:?}").contains("SWMTKN"), "tokens in Debug");
    let info = docker.info().unwrap().swarm;
    assert_eq!(info.local_node_state, LocalNodeState::Active);
    assert_eq!(info.node_id, node_id);
    assert!(info.control_available);
    assert_eq!(
        info.cluster.as_ref().map(|c| c.id.as_str()),
        Some(swarm.id())
    );
    lab.step("swarm inspect, info");

    // A label and a new worker token; then managers locked, their key read, and unlocked
    // again (unlock itself needs a restarted, locked manager: here it is refused).
    in_sequence("swarm update (label, worker token)", || {
        let current = docker.swarm().inspect()?;
        let mut spec = current.spec().clone();
        spec.labels.insert(LABEL.into(), value.clone());
        docker.swarm().update(
            current.version(),
            &spec,
            &SwarmUpdateOptions::new().rotate_worker_token(true),
        )
    });
    let updated = docker.swarm().inspect().unwrap();
    assert_eq!(updated.spec().labels.get(LABEL), Some(&value));
    // the version of the first inspect is stale now
    let stale = docker
        .swarm()
        .update(swarm.version(), updated.spec(), &SwarmUpdateOptions::new())
        .unwrap_err();
    println!("a stale swarm update: {stale}");
    assert!(stale.is_out_of_sequence(), "{stale:?}");
    assert!(!stale.is_not_found() && !stale.is_conflict());
    assert_ne!(updated.join_tokens.worker, swarm.join_tokens.worker);
    assert_eq!(updated.join_tokens.manager, swarm.join_tokens.manager);
    assert_eq!(
        updated.spec().extra.get("Orchestration"),
        swarm.spec().extra.get("Orchestration"),
        "the settings not typed went back unchanged"
    );
    assert!(docker.swarm().unlock_key().unwrap().is_empty());
    set_autolock(&docker, true);
    let key = docker.swarm().unlock_key().unwrap();
    assert!(key.expose_secret().starts_with("SWMKEY-1-"), "{key:?}");
    assert!(!format!("{key:?}").contains("SWMKEY"));
    let refused = docker.swarm().unlock(key.expose_secret()).unwrap_err();
    assert!(refused.to_string().contains("not locked"), "{refused}");
    set_autolock(&docker, false);
    assert!(docker.swarm().unlock_key().unwrap().is_empty());
    lab.step("swarm update: label, token, autolock on and off");

    // Settings dockhand does not type, set through the raw API, read back exactly and
    // kept by a typed update.
    in_sequence("swarm update (raw settings)", || {
        let current = raw(&docker, "/swarm")?;
        let mut spec = current["Spec"].clone();
        spec["TaskDefaults"] = json!({"LogDriver": {"Name": "json-file",
                                      "Options": {"max-size": "10m", "max-file": "2"}}});
        spec["Raft"]["KeepOldSnapshots"] = json!(1);
        spec["Orchestration"]["TaskHistoryRetentionLimit"] = json!(3);
        spec["Dispatcher"]["HeartbeatPeriod"] = json!(6_000_000_000i64);
        docker
            .request("POST", "/swarm/update")
            .query("version", &current["Version"]["Index"].to_string())
            .json(&spec)
            .send()?
            .drain()
    });
    let engine = raw(&docker, "/swarm").unwrap();
    common::assert_same_json(
        "swarm spec",
        docker.swarm().inspect().unwrap().spec(),
        &engine["Spec"],
    );
    in_sequence("swarm update (typed label)", || {
        let current = docker.swarm().inspect()?;
        let mut spec = current.spec().clone();
        spec.labels.insert("round".into(), "2".into());
        docker
            .swarm()
            .update(current.version(), &spec, &SwarmUpdateOptions::new())
    });
    let mut want = engine["Spec"].clone();
    want["Labels"]["round"] = json!("2");
    assert_eq!(raw(&docker, "/swarm").unwrap()["Spec"], want);
    lab.step("swarm spec: raw settings read and sent back exactly");

    // --- the node -------------------------------------------------------------------
    let nodes = docker.nodes().list(&ListNodesOptions::new()).unwrap();
    assert_eq!(nodes.len(), 1, "{nodes:?}");
    let node = &nodes[0];
    assert_eq!(node.id, node_id);
    assert_eq!(node.spec.role, Some(NodeRole::Manager));
    assert_eq!(node.spec.availability, Some(NodeAvailability::Active));
    assert_eq!(node.status.state, NodeState::Ready);
    assert!(!node.description.hostname.is_empty());
    assert!(node.manager_status.as_ref().is_some_and(|m| m.leader));

    let node_path = format!("/nodes/{node_id}");
    let engine = raw(&docker, &node_path).unwrap();
    common::assert_same_json("node spec", &node.spec, &engine["Spec"]);
    in_sequence("node update (label)", || {
        let current = docker.node(&node_id).inspect()?;
        let spec = current.spec.label(LABEL, &value);
        docker.node(&node_id).update(current.version.index, &spec)
    });
    let node_after = docker.node(&node_id).inspect().unwrap();
    assert_eq!(node_after.spec.labels.get(LABEL), Some(&value));
    let mut want = engine["Spec"].clone();
    want["Labels"][LABEL] = json!(value);
    let engine_after = raw(&docker, &node_path).unwrap();
    assert_eq!(engine_after["Spec"], want);
    common::assert_same_json("node spec", &node_after.spec, &engine_after["Spec"]);
    assert_eq!(node_after.spec.availability, Some(NodeAvailability::Active));
    assert!(node_after.version.index > node.version.index);
    let labelled = docker
        .nodes()
        .list(&ListNodesOptions::new().filter("node.label", &filter))
        .unwrap();
    assert_eq!(labelled.len(), 1);
    let stale = docker
        .node(&node_id)
        .update(node.version.index, &node.spec)
        .unwrap_err();
    assert!(stale.is_out_of_sequence(), "{stale:?}");
    // The only manager cannot be removed, and an engine in a swarm cannot join another.
    let refused = docker.node(&node_id).remove(false).unwrap_err();
    assert!(refused.to_string().contains("manager"), "{refused}");
    let join = JoinRequest::new(&updated.join_tokens.worker, ["127.0.0.1:2377"]);
    let refused = docker.swarm().join(&join).unwrap_err();
    assert!(
        refused.to_string().contains("already part of a swarm"),
        "{refused}"
    );
    lab.step("nodes: list, label, stale refused, remove and join refused");

    // --- a secret and a config --------------------------------------------------------
    let secret_name = lab.name("secret");
    let secret_data = format!("secret-{value}");
    let secret_spec = SecretSpec::new(&secret_name, secret_data.as_bytes()).label(LABEL, &value);
    assert!(!format!("{secret_spec:?}").contains(&secret_data));
    let secret_id = docker.secrets().create(&secret_spec).unwrap().id;
    let secret = docker.secret(&secret_id).inspect().unwrap();
    assert_eq!(secret.spec.name, secret_name);
    assert_eq!(secret.spec.labels.get(LABEL), Some(&value));
    assert_eq!(
        secret.spec.data, None,
        "the engine never gives a secret back"
    );
    let listed = docker
        .secrets()
        .list(&ListSecretsOptions::new().filter("label", &filter))
        .unwrap();
    assert_eq!(
        listed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [secret_id.as_str()]
    );
    let labels: HashMap<String, String> = [(LABEL.to_string(), value.clone())]
        .into_iter()
        .chain([("round".to_string(), "2".to_string())])
        .collect();
    docker
        .secret(&secret_name)
        .set_labels(labels.clone())
        .unwrap();
    let secret_after = docker.secret(&secret_id).inspect().unwrap();
    assert_eq!(secret_after.spec.labels, labels);
    assert!(secret_after.version.index > secret.version.index);

    let config_name = lab.name("config");
    let config_data = format!("config-{value}\n\u{e9}\0\u{ff}").into_bytes();
    let config_id = docker
        .configs()
        .create(&ConfigSpec::new(&config_name, config_data.clone()).label(LABEL, &value))
        .unwrap()
        .id;
    let config = docker.config(&config_id).inspect().unwrap();
    assert_eq!(config.spec.name, config_name);
    assert_eq!(config.spec.data, config_data, "the config's data decodes");
    let listed = docker
        .configs()
        .list(&ListSecretsOptions::new().filter("label", &filter))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].spec.data, config_data);
    let mut config_spec = config.spec.clone();
    config_spec.labels.insert("round".into(), "2".into());
    docker
        .config(&config_id)
        .update(config.version.index, &config_spec)
        .unwrap();
    let config_after = docker.config(&config_id).inspect().unwrap();
    assert_eq!(
        config_after.spec.labels.get("round").map(String::as_str),
        Some("2")
    );
    assert_eq!(config_after.spec.data, config_data);
    lab.step("secret and config: create, inspect, list, update");

    // A secret and a config made through the raw API (with templating) read back
    // exactly, and a typed label update keeps every field.
    let mut kept_ids = Vec::new();
    for kind in ["secrets", "configs"] {
        let body = json!({
            "Name": lab.name(&format!("kept-{kind}")),
            "Labels": {LABEL: value},
            "Data": "a2VwdA==",
            "Templating": {"Name": "golang"},
        });
        let created: Value = docker
            .request("POST", &format!("/{kind}/create"))
            .json(&body)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let id = created["ID"].as_str().unwrap().to_string();
        let path = format!("/{kind}/{id}");
        let engine = raw(&docker, &path).unwrap();
        let labels: HashMap<String, String> = [
            (LABEL.to_string(), value.clone()),
            ("round".to_string(), "2".to_string()),
        ]
        .into_iter()
        .collect();
        if kind == "secrets" {
            common::assert_same_json(
                "secret spec",
                &docker.secret(&id).inspect().unwrap().spec,
                &engine["Spec"],
            );
            docker.secret(&id).set_labels(labels).unwrap();
        } else {
            common::assert_same_json(
                "config spec",
                &docker.config(&id).inspect().unwrap().spec,
                &engine["Spec"],
            );
            docker.config(&id).set_labels(labels).unwrap();
        }
        let mut want = engine["Spec"].clone();
        want["Labels"]["round"] = json!("2");
        assert_eq!(raw(&docker, &path).unwrap()["Spec"], want, "{kind}");
        kept_ids.push(id);
    }
    lab.step("raw secret and config: read and sent back exactly");

    // --- a service ------------------------------------------------------------------
    let service_name = lab.name("service");
    let script = format!(
        "echo \"secret=$(cat /run/secrets/{secret_name})\"; \
         echo \"config=$(head -n 1 {CONFIG_TARGET})\"; env; exec sleep 600"
    );
    let spec = ServiceSpec::new(common::image())
        .name(&service_name)
        .label(LABEL, &value)
        .container_label(LABEL, &value)
        .command(["sh", "-c", &script])
        .env("DOCKHAND_STEP", "created")
        .replicas(2)
        .secret(SecretReference::new(&secret_id, &secret_name))
        .config(ConfigReference::new(&config_id, &config_name).target(CONFIG_TARGET))
        .restart_policy(
            ServiceRestartPolicy::new(RestartCondition::Any).delay(Duration::from_millis(200)),
        )
        // sleep as PID 1 ignores SIGTERM: do not wait the default 10 s to kill it.
        .stop_grace_period(Duration::from_secs(1))
        .update_config(
            ServiceUpdateConfig::new()
                .parallelism(0)
                .monitor(Duration::from_millis(500)),
        );
    let created = docker.services().create(&spec).unwrap();
    assert!(created.warnings.is_empty(), "{:?}", created.warnings);
    let service_id = created.id;
    lab.step("service create");

    let tasks = lab.wait_running(&service_id, 2, |_| true);
    let mut slots: Vec<u64> = tasks.iter().map(|t| t.slot).collect();
    slots.sort_unstable();
    assert_eq!(slots, [1, 2]);
    lab.step("2 tasks running");

    let task = docker.task(&tasks[0].id).inspect().unwrap();
    assert_eq!(task.service_id, service_id);
    assert_eq!(task.node_id, node_id);
    assert_eq!(task.desired_state, TaskState::Running);
    assert!(!task.container_id().is_empty());
    let container = docker.container(task.container_id()).inspect().unwrap();
    assert_eq!(
        container.config.labels.as_ref().and_then(|l| l.get(LABEL)),
        Some(&value)
    );
    let listed = docker
        .services()
        .list(
            &ListServicesOptions::new()
                .filter("label", &filter)
                .status(true),
        )
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].spec.name, service_name);
    let status = listed[0]
        .service_status
        .expect("status=true gives ServiceStatus");
    assert_eq!(status.desired_tasks, 2);
    let by_name = docker.service(&service_name).inspect().unwrap();
    assert_eq!(by_name.id, service_id);
    assert_eq!(
        by_name.spec.mode.as_ref().and_then(|m| m.replicas()),
        Some(2)
    );
    let with_defaults = docker.service(&service_id).inspect_with_defaults().unwrap();
    assert!(with_defaults.spec.rollback_config.is_some());
    assert!(by_name.spec.rollback_config.is_none());
    lab.step("task, container, service list and inspect");

    // The tasks read the secret and the config from their files: the logs prove the
    // mounts.
    let want_secret = format!("secret={secret_data}");
    let want_config = format!("config=config-{value}");
    let text = lab.follow_logs(&service_id, Duration::from_secs(30), |text| {
        text.matches(&want_secret).count() >= 2 && text.matches(&want_config).count() >= 2
    });
    assert!(
        text.matches(&want_secret).count() >= 2 && text.matches(&want_config).count() >= 2,
        "both tasks log the secret and the config:\n{text}"
    );
    let detailed = docker
        .service(&service_name)
        .logs(
            &LogsOptions::new()
                .details(true)
                .tail(50)
                .idle_timeout(Duration::from_secs(20)),
        )
        .unwrap()
        .collect_output()
        .unwrap()
        .stdout_text();
    assert!(
        detailed.contains(&format!("com.docker.swarm.service.id={service_id}")),
        "{detailed}"
    );
    assert!(detailed.contains("DOCKHAND_STEP=created"), "{detailed}");
    let task_output = docker
        .task(&tasks[0].id)
        .logs(&LogsOptions::new().idle_timeout(Duration::from_secs(20)))
        .unwrap()
        .collect_output()
        .unwrap()
        .stdout_text();
    assert_eq!(
        task_output.matches(&want_secret).count(),
        1,
        "{task_output}"
    );
    lab.step("logs show the secret and the config");

    // --- scale, update, a stale update --------------------------------------------------
    docker.service(&service_name).scale(3).unwrap();
    lab.wait_running(&service_id, 3, |_| true);
    lab.step("scaled to 3 tasks running");

    let (before, answer) = in_sequence("service update (env)", || {
        let before = docker.service(&service_id).inspect()?;
        let spec = before.spec.clone().env("DOCKHAND_STEP", "updated");
        let answer = docker
            .service(&service_id)
            .update(before.version.index, &spec)?;
        Ok((before, answer))
    });
    assert_eq!(
        before.spec.mode.as_ref().and_then(|m| m.replicas()),
        Some(3)
    );
    assert!(answer.warnings.is_empty(), "{:?}", answer.warnings);
    let after = docker.service(&service_id).inspect().unwrap();
    assert!(after.version.index > before.version.index);
    let container_spec = after.spec.task_template.container_spec.as_ref().unwrap();
    assert_eq!(container_spec.env_var("DOCKHAND_STEP"), Some("updated"));
    assert_eq!(after.spec.mode.as_ref().and_then(|m| m.replicas()), Some(3));
    assert_eq!(
        container_spec.secrets.as_ref().map(Vec::len),
        Some(1),
        "the update kept the secret"
    );
    let previous = after.previous_spec.as_ref().expect("a previous spec");
    assert_eq!(
        previous
            .task_template
            .container_spec
            .as_ref()
            .and_then(|c| c.env_var("DOCKHAND_STEP")),
        Some("created")
    );
    lab.step("service update (env) with the version index");

    let new_tasks = lab.wait_running(&service_id, 3, |t| {
        t.spec
            .container_spec
            .as_ref()
            .and_then(|c| c.env_var("DOCKHAND_STEP"))
            == Some("updated")
    });
    assert!(new_tasks
        .iter()
        .all(|t| tasks.iter().all(|old| old.id != t.id)));
    common::wait_for(
        "the new tasks log the new environment",
        Duration::from_secs(30),
        || {
            let out = docker
                .service(&service_id)
                .logs(&LogsOptions::new().idle_timeout(Duration::from_secs(20)))
                .unwrap()
                .collect_output()
                .unwrap()
                .stdout_text();
            (out.matches("DOCKHAND_STEP=updated").count() >= 3).then_some(())
        },
    );
    lab.step("3 new tasks running with the new env");

    let stale = docker
        .service(&service_id)
        .update(before.version.index, &before.spec)
        .unwrap_err();
    println!("a stale update: {stale}");
    assert!(stale.is_out_of_sequence(), "{stale:?}");
    assert!(stale.status().is_some_and(|s| s >= 400));
    // The refused update changed nothing (the version itself moves on as the rolling
    // update reports its progress).
    let unchanged = docker.service(&service_id).inspect().unwrap();
    assert_eq!(
        unchanged
            .spec
            .task_template
            .container_spec
            .as_ref()
            .and_then(|c| c.env_var("DOCKHAND_STEP")),
        Some("updated")
    );
    lab.step("a stale version index refused");

    // --- a service whose spec dockhand does not fully type --------------------------------
    let kept_spec = kept_service_spec(&lab.name("kept"), &value, &secret_id, &secret_name);
    let created: Value = docker
        .request("POST", "/services/create")
        .json(&kept_spec)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let kept_id = created["ID"].as_str().unwrap().to_string();
    let kept_path = format!("/services/{kept_id}");
    let engine = raw(&docker, &kept_path).unwrap();
    for field in NEWER_FIELDS {
        let kept = engine["Spec"].pointer(field).is_some();
        println!(
            "{field}: {}",
            if kept {
                "kept"
            } else {
                "dropped by this engine"
            }
        );
    }
    let typed = docker.service(&kept_id).inspect().unwrap();
    common::assert_same_json("service spec", &typed.spec, &engine["Spec"]);
    lab.step("a service's raw spec read exactly");

    docker.service(&kept_id).scale(2).unwrap();
    let mut want = engine["Spec"].clone();
    want["Mode"]["Replicated"]["Replicas"] = json!(2);
    let scaled = raw(&docker, &kept_path).unwrap();
    assert_eq!(scaled["Spec"], want, "scale changed the replicas only");
    in_sequence("service update (env, kept fields)", || {
        let current = docker.service(&kept_id).inspect()?;
        let spec = current.spec.clone().env("DOCKHAND_STEP", "kept");
        docker
            .service(&kept_id)
            .update(current.version.index, &spec)
    });
    want["TaskTemplate"]["ContainerSpec"]["Env"] = json!(["DOCKHAND_STEP=kept"]);
    let updated = raw(&docker, &kept_path).unwrap();
    assert_eq!(
        updated["Spec"], want,
        "the update changed the environment only"
    );
    assert_eq!(updated["PreviousSpec"], scaled["Spec"]);
    let typed = docker.service(&kept_id).inspect().unwrap();
    common::assert_same_json("service spec", &typed.spec, &updated["Spec"]);
    common::assert_same_json(
        "previous spec",
        typed.previous_spec.as_ref().unwrap(),
        &updated["PreviousSpec"],
    );
    docker.service(&kept_id).remove().unwrap();
    lab.step("scale and update kept every field");

    // --- removal and leave -------------------------------------------------------------
    docker.service(&service_id).remove().unwrap();
    let gone = docker.service(&service_id).inspect().unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    common::wait_for(
        "the service's containers are removed",
        Duration::from_secs(30),
        || (lab.service_containers(&service_id).unwrap() == 0).then_some(()),
    );
    lab.step("service removed, its containers gone");

    docker.secret(&secret_id).remove().unwrap();
    docker.config(&config_id).remove().unwrap();
    docker.secret(&kept_ids[0]).remove().unwrap();
    docker.config(&kept_ids[1]).remove().unwrap();
    assert!(docker
        .secret(&secret_id)
        .inspect()
        .unwrap_err()
        .is_not_found());
    assert!(docker
        .config(&config_id)
        .inspect()
        .unwrap_err()
        .is_not_found());
    lab.step("secret and config removed");

    docker.swarm().leave(true).unwrap();
    let info = docker.info().unwrap().swarm;
    assert_eq!(info.local_node_state, LocalNodeState::Inactive);
    let refused = docker.swarm().inspect().unwrap_err();
    assert!(refused.status().is_some(), "{refused}");
    lab.step("swarm left, info says inactive");
}
