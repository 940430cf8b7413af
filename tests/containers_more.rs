//! The rest of the container API against the real engine: a full typed config, pause,
//! rename, update, links, top, changes, stats, export, archives, resize, prune, `run` and
//! the guard. Every container carries the test's label and goes with its `Scope`.

mod common;
mod tarball;

use std::io::Read;
use std::time::{Duration, Instant};

use common::Scope;
use dockhand::container::{
    ChangeKind, ContainerStatus, EndpointSettings, HealthConfig, LogConfig, Mount, MountType,
    PortBinding, PruneContainersOptions, PutArchiveOptions, RestartPolicy, UpdateConfig,
};
use dockhand::{
    ContainerConfig, ContainerGuard, Docker, HostConfig, ListContainersOptions, LogsOptions,
    RemoveOptions,
};

/// Polls `check` until it returns `Some`, for at most `limit` (the machine is shared and
/// slow at times: the limits are generous, and no test asserts how fast a thing happened).
fn eventually<T>(limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The labelled containers of a scope, stopped ones too.
fn labelled(scope: &Scope) -> Vec<dockhand::container::ContainerSummary> {
    scope
        .docker
        .containers()
        .list(
            &ListContainersOptions::new()
                .all(true)
                .filter("label", &scope.filter()),
        )
        .unwrap()
}

/// Starts a labelled container running `cmd` and returns its id.
fn started(scope: &Scope, cmd: &[&str]) -> String {
    let id = scope.create(cmd);
    scope.docker.container(&id).start().unwrap();
    id
}

#[test]
fn tar_helpers_round_trip() {
    let tar = tarball::archive(&[("d/", b""), ("d/a.txt", b"hello"), ("b", &[7u8; 600])]);
    let entries = tarball::Reader::new(&tar[..]).read_all().unwrap();
    let names: Vec<_> = entries.iter().map(|(e, _)| e.name.as_str()).collect();
    assert_eq!(names, ["d/", "d/a.txt", "b"]);
    assert_eq!(entries[1].1, b"hello");
    assert_eq!(entries[2].1, vec![7u8; 600]);

    let mut big = Vec::new();
    tarball::streamed_archive("big", 1000, 5)
        .read_to_end(&mut big)
        .unwrap();
    let mut expected = Vec::new();
    tarball::Pattern::new(5, 1000)
        .read_to_end(&mut expected)
        .unwrap();
    let entries = tarball::Reader::new(&big[..]).read_all().unwrap();
    assert_eq!(entries[0].1, expected);
}

#[test]
fn list_takes_all_limit_size_and_filters() {
    let scope = Scope::new("listmore");
    let docker = &scope.docker;
    let first = scope.create(&["true"]);
    let second = scope.create(&["true"]);
    let running = docker
        .containers()
        .create(&scope.config().label("role", "server").cmd(["sleep", "60"]))
        .unwrap()
        .id;
    docker.container(&running).start().unwrap();
    let ours = || ListContainersOptions::new().filter("label", &scope.filter());

    let all = docker.containers().list(&ours().all(true)).unwrap();
    let mut ids: Vec<_> = all.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    let mut expected = vec![first.clone(), second.clone(), running.clone()];
    expected.sort();
    assert_eq!(ids, expected);

    let only_running = docker.containers().list(&ours()).unwrap();
    assert_eq!(only_running.len(), 1);
    assert_eq!(only_running[0].id, running);
    assert_eq!(only_running[0].state, ContainerStatus::Running);
    let networks = &only_running[0].network_settings.networks;
    let default = common::default_network();
    assert!(!networks[default].ip_address.is_empty(), "{networks:?}");

    let newest = docker
        .containers()
        .list(&ours().all(true).limit(1))
        .unwrap();
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0].id, running, "the newest is the last created");

    let sized = docker
        .containers()
        .list(&ours().all(true).size(true))
        .unwrap();
    // SizeRw is left out when zero (an unchanged container); SizeRootFs is always there.
    assert!(
        sized.iter().all(|c| c.size_root_fs.unwrap_or(0) > 0),
        "{sized:?}"
    );

    let by_label = docker
        .containers()
        .list(&ours().all(true).filter("label", "role=server"))
        .unwrap();
    assert_eq!(by_label.len(), 1, "two label filters must both match");
    let created = docker
        .containers()
        .list(&ours().all(true).filter("status", "created"))
        .unwrap();
    assert_eq!(created.len(), 2);
    let by_id = docker
        .containers()
        .list(&ours().all(true).filter("id", &first))
        .unwrap();
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].id, first);
    let refused = docker
        .containers()
        .list(&ours().filter("no-such-filter", "x"))
        .unwrap_err();
    // Podman refuses with a 500 where Docker says 400.
    let status = if common::is_podman() { 500 } else { 400 };
    assert_eq!(refused.status(), Some(status), "{refused}");
}

#[test]
fn a_typed_config_reaches_the_engine_and_inspect_reads_it_back() {
    let scope = Scope::new("typedconfig");
    let docker = &scope.docker;
    let host_dir = TempDir(std::env::temp_dir().join(format!("dockhand-bind-{}", scope.value)));
    std::fs::create_dir_all(&host_dir.0).unwrap();
    std::fs::write(host_dir.0.join("from-host.txt"), "host file\n").unwrap();
    let host_path = host_dir.0.to_str().unwrap().to_string();

    let mut config = scope
        .config()
        .cmd(["sleep", "60"])
        .expose("80/tcp")
        .expose("53/udp")
        .healthcheck(
            HealthConfig::shell("test -e /bin/sh")
                .interval(Duration::from_millis(500))
                .timeout(Duration::from_secs(5))
                .retries(3)
                .start_period(Duration::from_secs(1)),
        )
        .host_config(
            HostConfig::new()
                .bind(&format!("{host_path}:/from-host:ro"))
                .mount(Mount::tmpfs("/scratch").tmpfs_size(8 * 1024 * 1024))
                .mount(Mount::volume("", "/data"))
                .publish("80/tcp", PortBinding::new("127.0.0.1", ""))
                .network_mode("bridge")
                .restart_policy(RestartPolicy::on_failure(2))
                .memory(64 * 1024 * 1024)
                .nano_cpus(500_000_000)
                .cpu_shares(512)
                .cap_add("NET_ADMIN")
                .cap_drop("MKNOD")
                .extra_host("dockhand.invalid", "10.9.8.7")
                .log_config(LogConfig::new("json-file").option("max-size", "1m"))
                // This Podman has no init binary (catatonit) to run.
                .init(!common::is_podman()),
        );
    config.attach_stdout = Some(true);
    config.attach_stderr = Some(true);
    let container = docker.containers().create_guarded(&config).unwrap();
    container.start().unwrap();

    let inspect = container.inspect().unwrap();
    let c = &inspect.config;
    let exposed: Vec<_> = c.exposed_ports.as_ref().unwrap().keys().cloned().collect();
    assert_eq!(exposed, ["53/udp", "80/tcp"]);
    let health = c.healthcheck.as_ref().unwrap();
    assert_eq!(
        health.test.as_deref().unwrap(),
        ["CMD-SHELL", "test -e /bin/sh"]
    );
    assert_eq!(health.interval, Some(500_000_000));
    assert_eq!(health.retries, Some(3));
    if !common::is_podman() {
        // Podman's inspect reports AttachStdout false whatever the create said.
        assert_eq!(c.attach_stdout, Some(true));
    }

    let h = &inspect.host_config;
    let bind = format!("{host_path}:/from-host:ro");
    if common::is_podman() {
        // Podman reports the bind with its options, and mounts as Binds and Tmpfs, not Mounts.
        let binds = h.binds.as_deref().unwrap();
        assert!(binds.iter().any(|b| b.starts_with(&bind)), "{binds:?}");
    } else {
        assert_eq!(h.binds.as_deref().unwrap(), [bind]);
        let mounts = h.mounts.as_ref().unwrap();
        assert_eq!(mounts.len(), 2);
        assert_eq!(mounts[0].kind, MountType::Tmpfs);
        assert_eq!(
            mounts[0].tmpfs_options.as_ref().unwrap().size_bytes,
            Some(8 * 1024 * 1024)
        );
    }
    let bindings = h.port_bindings.as_ref().unwrap()["80/tcp"]
        .as_ref()
        .unwrap();
    assert_eq!(bindings[0].host_ip, "127.0.0.1");
    assert_eq!(h.network_mode.as_deref(), Some("bridge"));
    assert_eq!(h.restart_policy, Some(RestartPolicy::on_failure(2)));
    assert_eq!(h.memory, Some(64 * 1024 * 1024));
    assert_eq!(h.nano_cpus, Some(500_000_000));
    assert_eq!(h.cpu_shares, Some(512));
    assert_eq!(h.cap_add.as_deref().unwrap(), ["NET_ADMIN"]);
    assert_eq!(h.cap_drop.as_deref().unwrap(), ["MKNOD"]);
    assert_eq!(
        h.extra_hosts.as_deref().unwrap(),
        ["dockhand.invalid:10.9.8.7"]
    );
    let log = h.log_config.as_ref().unwrap();
    assert_eq!(log.kind, "json-file");
    if !common::is_podman() {
        // Podman reports neither the log driver's options nor Init.
        assert_eq!(log.config["max-size"], "1m");
        assert_eq!(h.init, Some(true));
    }

    // What the engine made of it.
    let net = &inspect.network_settings;
    let published = net.ports["80/tcp"].as_ref().expect("80/tcp is published");
    assert_eq!(published[0].host_ip, "127.0.0.1");
    assert!(published[0].host_port.parse::<u16>().unwrap() > 0);
    assert_eq!(net.ports["53/udp"], None, "exposed, not published");
    let bridge = &net.networks[common::default_network()];
    assert!(!bridge.ip_address.is_empty() && !bridge.gateway.is_empty());
    assert!(!bridge.network_id.is_empty());
    assert_eq!(net.ip_address, bridge.ip_address);
    let find = |dest: &str| {
        inspect
            .mounts
            .iter()
            .find(|m| m.destination == dest)
            .unwrap_or_else(|| panic!("no mount at {dest}: {:?}", inspect.mounts))
    };
    let bind = find("/from-host");
    assert_eq!((bind.kind.clone(), bind.rw), (MountType::Bind, false));
    assert_eq!(bind.source, host_path);
    let volume = find("/data");
    assert_eq!(volume.kind, MountType::Volume);
    assert!(!volume.name.is_empty() && volume.rw);

    // The container sees the extra host and the bound file.
    let mut hosts = String::new();
    let archive = container.get_archive("/etc/hosts").unwrap();
    for (entry, data) in tarball::Reader::new(archive).read_all().unwrap() {
        if entry.name == "hosts" {
            hosts = String::from_utf8(data).unwrap();
        }
    }
    assert!(hosts.contains("10.9.8.7\tdockhand.invalid"), "{hosts}");
    let from_host = container.stat_path("/from-host/from-host.txt").unwrap();
    assert_eq!(from_host.size, 10);

    // The health check runs and passes.
    if !common::skip(
        common::is_podman(),
        "Podman runs health checks from systemd timers: none without systemd",
    ) {
        eventually(Duration::from_secs(30), "healthy", || {
            let state = container.inspect().unwrap().state;
            let health = state.health?;
            (health.status == "healthy").then_some(())
        });
        let health = container.inspect().unwrap().state.health.unwrap();
        assert_eq!(health.failing_streak, 0);
        assert!(health.log.iter().any(|r| r.exit_code == 0));
    }

    // Privileged, on a container that is only created.
    let privileged = docker
        .containers()
        .create(
            &scope
                .config()
                .host_config(HostConfig::new().privileged(true)),
        )
        .unwrap();
    let inspect = docker.container(&privileged.id).inspect().unwrap();
    assert_eq!(inspect.host_config.privileged, Some(true));

    container.remove().unwrap();
}

/// A folder on the host, removed on drop.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A user-defined network for one test, removed (after the test's containers) on drop.
struct TestNetwork {
    docker: Docker,
    scope_filter: String,
    name: String,
    subnet_prefix: String,
}

impl TestNetwork {
    /// Makes a labelled network with a /24 of its own, trying a few subnets in case another
    /// test on this engine holds one.
    fn new(scope: &Scope) -> TestNetwork {
        let name = format!("dockhand-net-{}", scope.value);
        let start = std::process::id() as usize % 200;
        for i in 0..20 {
            let prefix = format!("10.231.{}", 20 + (start + i * 7) % 230);
            let body = serde_json::json!({
                "Name": name,
                "CheckDuplicate": true,
                "Labels": {common::LABEL: scope.value},
                "IPAM": {"Config": [{"Subnet": format!("{prefix}.0/24")}]},
            });
            match scope
                .docker
                .request("POST", "/networks/create")
                .json(&body)
                .send()
            {
                Ok(response) => {
                    response.drain().unwrap();
                    return TestNetwork {
                        docker: scope.docker.clone(),
                        scope_filter: scope.filter(),
                        name,
                        subnet_prefix: prefix,
                    };
                }
                Err(e) if e.to_string().contains("overlap") => continue,
                Err(e) => panic!("create a network: {e}"),
            }
        }
        panic!("no free subnet for a test network");
    }
}

impl Drop for TestNetwork {
    fn drop(&mut self) {
        // Its containers first: a network with endpoints cannot go.
        let options = ListContainersOptions::new()
            .all(true)
            .filter("label", &self.scope_filter);
        for c in self.docker.containers().list(&options).unwrap_or_default() {
            let _ = self
                .docker
                .container(&c.id)
                .remove(&RemoveOptions::new().force(true).volumes(true));
        }
        let path = format!("/networks/{}", dockhand::encode_segment(&self.name));
        let _ = self.docker.request("DELETE", &path).send();
    }
}

#[test]
fn networking_config_gives_aliases_and_a_fixed_address() {
    let scope = Scope::new("netconfig");
    let network = TestNetwork::new(&scope);
    let address = format!("{}.42", network.subnet_prefix);
    let config = scope.config().cmd(["sleep", "60"]).network(
        &network.name,
        EndpointSettings::default()
            .alias("svc-a")
            .alias("svc-b")
            .ipv4_address(&address),
    );
    let config = config.host_config(HostConfig::new().network_mode(&network.name));
    let container = scope.docker.containers().create_guarded(&config).unwrap();
    container.start().unwrap();
    let settings = container.inspect().unwrap().network_settings;
    let endpoint = &settings.networks[&network.name];
    assert_eq!(endpoint.ip_address, address);
    assert_eq!(endpoint.ip_prefix_len, 24);
    assert!(endpoint.aliases.contains(&"svc-a".to_string()));
    assert!(endpoint.aliases.contains(&"svc-b".to_string()));
    if !common::is_podman() {
        // Podman's inspect reports no IPAMConfig.
        assert_eq!(endpoint.ipam_config.as_ref().unwrap().ipv4_address, address);
    }
    assert!(endpoint.gateway.starts_with(&network.subnet_prefix));
    assert!(settings.ip_address.is_empty(), "not on the default bridge");
}

#[test]
fn pause_and_unpause() {
    let scope = Scope::new("pause");
    let c = scope.docker.container(started(&scope, &["sleep", "60"]));
    c.pause().unwrap();
    let state = c.inspect().unwrap().state;
    assert_eq!(state.status, ContainerStatus::Paused);
    assert!(state.paused && state.running);
    let listed = scope
        .docker
        .containers()
        .list(
            &ListContainersOptions::new()
                .filter("label", &scope.filter())
                .filter("status", "paused"),
        )
        .unwrap();
    assert_eq!(listed.len(), 1);
    c.unpause().unwrap();
    let state = c.inspect().unwrap().state;
    assert_eq!(state.status, ContainerStatus::Running);
    assert!(!state.paused);
    let refused = c.unpause().unwrap_err();
    assert!(refused.status().is_some(), "{refused}");
}

#[test]
fn rename_moves_the_name() {
    let scope = Scope::new("rename");
    let old = format!("dockhand-old-{}", scope.value);
    let new = format!("dockhand-new-{}", scope.value);
    let id = scope
        .docker
        .containers()
        .create_named(&old, &scope.config().cmd(["true"]))
        .unwrap()
        .id;
    scope.docker.container(&old).rename(&new).unwrap();
    let renamed = scope.docker.container(&new).inspect().unwrap();
    assert_eq!(renamed.id, id);
    assert_eq!(renamed.name, format!("/{new}"));
    assert!(scope
        .docker
        .container(&old)
        .inspect()
        .unwrap_err()
        .is_not_found());
    // A name with characters that need encoding in the query is refused by the engine,
    // not mangled on the way.
    let refused = scope
        .docker
        .container(&new)
        .rename("bad name&all=1")
        .unwrap_err();
    // Podman refuses with a 500 where Docker says 400.
    let status = if common::is_podman() { 500 } else { 400 };
    assert_eq!(refused.status(), Some(status), "{refused}");
}

#[test]
fn update_changes_limits_and_the_restart_policy() {
    if common::skip(
        common::is_podman(),
        "Podman 4.3 has no /containers/{id}/update",
    ) {
        return;
    }
    let scope = Scope::new("update");
    let c = scope.docker.container(started(&scope, &["sleep", "60"]));
    let warnings = c
        .update(
            &UpdateConfig::new()
                .memory(96 * 1024 * 1024)
                .memory_swap(-1)
                .cpu_shares(256)
                .pids_limit(50)
                .restart_policy(RestartPolicy::unless_stopped()),
        )
        .unwrap();
    println!("update warnings: {warnings:?}");
    let host = c.inspect().unwrap().host_config;
    assert_eq!(host.memory, Some(96 * 1024 * 1024));
    assert_eq!(host.memory_swap, Some(-1));
    assert_eq!(host.cpu_shares, Some(256));
    assert_eq!(host.pids_limit, Some(50));
    assert_eq!(host.restart_policy, Some(RestartPolicy::unless_stopped()));
    // The engine's refusal comes back with its reason.
    let refused = c
        .update(
            &UpdateConfig::new()
                .memory(1024 * 1024)
                .memory_swap(512 * 1024),
        )
        .unwrap_err();
    assert_eq!(refused.status(), Some(400), "{refused}");
    assert!(
        refused.to_string().to_lowercase().contains("memory"),
        "{refused}"
    );
}

#[test]
fn remove_with_link_removes_only_the_link() {
    if common::skip(common::is_podman(), "Podman has no container links") {
        return;
    }
    let scope = Scope::new("link");
    let docker = &scope.docker;
    let db = format!("dockhand-db-{}", scope.value);
    let web = format!("dockhand-web-{}", scope.value);
    docker
        .containers()
        .create_named(&db, &scope.config().cmd(["sleep", "60"]))
        .unwrap();
    docker.container(&db).start().unwrap();
    let mut host = HostConfig::new();
    host.links = Some(vec![format!("{db}:db")]);
    docker
        .containers()
        .create_named(&web, &scope.config().cmd(["sleep", "60"]).host_config(host))
        .unwrap();
    docker.container(&web).start().unwrap();
    let links = docker.container(&web).inspect().unwrap().host_config.links;
    assert_eq!(links.unwrap(), [format!("/{db}:/{web}/db")]);

    let link = docker.container(format!("/{web}/db"));
    link.remove(&RemoveOptions::new().link(true)).unwrap();
    let links = docker.container(&web).inspect().unwrap().host_config.links;
    assert!(links.unwrap_or_default().is_empty());
    assert!(docker.container(&db).inspect().unwrap().state.running);
    assert!(docker.container(&web).inspect().unwrap().state.running);
    // Not a link name: refused before sending.
    let err = docker
        .container(&web)
        .remove(&RemoveOptions::new().link(true))
        .unwrap_err();
    assert!(matches!(err, dockhand::Error::Setting { .. }), "{err}");
}

#[test]
fn top_lists_the_processes() {
    let scope = Scope::new("top");
    let c = scope.docker.container(started(&scope, &["sleep", "123"]));
    let top = c.top(None).unwrap();
    if common::is_podman() {
        // Podman runs the container's own `ps` (busybox's here: no arguments, and its
        // columns come back as one).
        assert!(
            top.processes
                .iter()
                .any(|p| p.join(" ").contains("sleep 123")),
            "{top:?}"
        );
    } else {
        let commands = top.column("CMD").expect("ps -ef has a CMD column");
        assert!(commands.contains(&"sleep 123"), "{top:?}");
        let aux = c.top(Some("aux")).unwrap();
        assert!(aux.titles.iter().any(|t| t == "%CPU"), "{aux:?}");
        assert!(aux
            .column("COMMAND")
            .unwrap()
            .iter()
            .any(|cmd| cmd.contains("sleep 123")));
    }
    // A stopped container has no processes to list.
    c.kill(None).unwrap();
    c.wait().unwrap();
    assert!(c.top(None).is_err());
}

#[test]
fn changes_list_added_changed_and_deleted_files() {
    let scope = Scope::new("changes");
    let id = scope.create(&["sh", "-c", "echo x > /added.txt && rm /bin/wc"]);
    let c = scope.docker.container(&id);
    assert!(c.changes().unwrap().is_empty(), "nothing yet");
    c.start().unwrap();
    assert_eq!(c.wait().unwrap().status_code, 0);
    let changes = c.changes().unwrap();
    let kind_of = |path: &str| {
        changes
            .iter()
            .find(|c| c.path == path)
            .map(|c| c.kind)
            .unwrap_or_else(|| panic!("{path} not in {changes:?}"))
    };
    assert_eq!(kind_of("/added.txt"), ChangeKind::Added);
    assert_eq!(kind_of("/bin/wc"), ChangeKind::Deleted);
    assert_eq!(kind_of("/bin"), ChangeKind::Modified);
}

/// Ends a stream after a minute, so that a test fails instead of hanging when the engine
/// does not do what it should.
fn watchdog(cancel: &dockhand::CancelHandle) {
    let cancel = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        cancel.cancel();
    });
}

#[test]
fn stats_once_and_as_a_stream() {
    let scope = Scope::new("stats");
    let id = started(&scope, &["sleep", "60"]);
    let c = scope.docker.container(&id);
    let once = c.stats().unwrap();
    assert_eq!(once.id, id);
    assert!(once.memory_stats.limit > 0 && once.memory_stats.usage > 0);
    assert!(once.pids_stats.current >= 1);
    assert!(once.cpu_stats.cpu_usage.total_usage > 0);
    assert!(once.cpu_stats.online_cpus > 0);
    if common::is_podman() {
        // Podman names the container without the leading `/`, sums the interfaces up
        // under `network`, and sends no previous sample with a one-shot.
        assert!(
            !once.name.is_empty() && !once.networks.is_empty(),
            "{once:?}"
        );
    } else {
        assert!(once.name.starts_with("/"));
        assert!(once.networks.contains_key("eth0"), "{:?}", once.networks);
        assert!(
            once.cpu_percent().is_some(),
            "one-shot stats have a previous sample"
        );
    }
    assert!(!once.read.is_empty());

    let stream = c.stats_stream().unwrap();
    let cancel = stream.cancel_handle();
    watchdog(&cancel);
    let samples: Vec<_> = stream.take(3).map(|s| s.unwrap()).collect();
    assert_eq!(samples.len(), 3);
    assert!(samples.iter().all(|s| s.id == id));
    let mut reads: Vec<_> = samples.iter().map(|s| s.read.clone()).collect();
    reads.dedup();
    assert_eq!(reads.len(), 3, "three distinct samples: {reads:?}");
    cancel.cancel();

    // A stopped container gets empty samples; removing it ends the stream.
    let mut stream = c.stats_stream().unwrap();
    watchdog(&stream.cancel_handle());
    assert!(!stream.next().unwrap().unwrap().is_empty());
    c.kill(None).unwrap();
    c.wait().unwrap();
    if common::is_podman() {
        // Podman ends the stream when the container stops, with no empty sample.
        let rest: Vec<_> = stream.collect();
        assert!(rest.iter().all(|s| s.is_ok()), "{rest:?}");
        return;
    }
    let empty = stream
        .by_ref()
        .map(|s| s.unwrap())
        .find(|s| s.is_empty())
        .expect("an empty sample once stopped");
    assert_eq!(empty.memory_stats.usage, 0);
    c.remove(&RemoveOptions::new()).unwrap();
    let rest: Vec<_> = stream.collect();
    assert!(rest.iter().all(|s| s.is_ok()), "{rest:?}");
}

#[test]
fn export_streams_the_whole_filesystem() {
    let scope = Scope::new("export");
    let id = scope.create(&["sh", "-c", "echo exported > /marker.txt"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();
    let mut reader = tarball::Reader::new(c.export().unwrap());
    let mut marker = None;
    let mut busybox = false;
    while let Some(entry) = reader.next_entry().unwrap() {
        match entry.name.as_str() {
            "marker.txt" => {
                let mut data = String::new();
                reader.data().read_to_string(&mut data).unwrap();
                marker = Some(data);
            }
            "bin/busybox" => busybox = entry.size > 100_000,
            _ => {}
        }
    }
    assert_eq!(marker.as_deref(), Some("exported\n"));
    assert!(busybox, "the image's files are there too");
}

#[test]
fn archive_put_stat_and_get_round_trip() {
    let scope = Scope::new("archive");
    let id = scope.create(&["true"]);
    let c = scope.docker.container(&id);
    let tar = tarball::archive(&[
        ("dir/", b""),
        ("dir/hello.txt", b"hello, world\n"),
        ("dir/sub/", b""),
        ("dir/sub/x y&z?.bin", &[0u8, 1, 2, 255]),
    ]);
    c.put_archive("/tmp", std::io::Cursor::new(tar), &PutArchiveOptions::new())
        .unwrap();

    let stat = c.stat_path("/tmp/dir/hello.txt").unwrap();
    assert_eq!(stat.name, "hello.txt");
    assert_eq!(stat.size, 13);
    assert_eq!(stat.permissions(), 0o644);
    assert!(!stat.is_dir() && !stat.is_symlink());
    assert!(c.stat_path("/tmp/dir").unwrap().is_dir());
    assert!(c.stat_path("/bin/sh").unwrap().is_symlink());
    assert_eq!(c.stat_path("/bin/sh").unwrap().link_target, "/bin/busybox");
    // An odd name goes through the query intact.
    assert_eq!(c.stat_path("/tmp/dir/sub/x y&z?.bin").unwrap().size, 4);

    let missing = c.stat_path("/tmp/no-such-file").unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
    assert!(
        missing.to_string().contains("/tmp/no-such-file"),
        "{missing}"
    );
    let no_container = scope.docker.container("dockhand-no-such").stat_path("/");
    assert!(no_container.unwrap_err().is_not_found());

    let archive = c.get_archive("/tmp/dir").unwrap();
    assert!(archive.stat.is_dir());
    assert_eq!(archive.stat.name, "dir");
    let entries = tarball::Reader::new(archive).read_all().unwrap();
    let files: Vec<(&str, &[u8])> = entries
        .iter()
        .filter(|(e, _)| e.kind == b'0')
        .map(|(e, d)| (e.name.as_str(), d.as_slice()))
        .collect();
    assert!(files.contains(&("dir/hello.txt", b"hello, world\n".as_slice())));
    assert!(files.contains(&("dir/sub/x y&z?.bin", [0u8, 1, 2, 255].as_slice())));

    // Into a folder that does not exist: the engine says so (Podman makes the folder).
    let put = c.put_archive(
        "/no/such/dir",
        std::io::Cursor::new(tarball::archive(&[("f", b"x")])),
        &PutArchiveOptions::new(),
    );
    if common::is_podman() {
        put.unwrap();
        assert_eq!(c.stat_path("/no/such/dir/f").unwrap().size, 1);
    } else {
        let err = put.unwrap_err();
        assert!(err.is_not_found(), "{err}");
    }
    // A file over a folder, refused when asked.
    let file_over_dir = tarball::archive(&[("dir", b"not a folder")]);
    let err = c
        .put_archive(
            "/tmp",
            std::io::Cursor::new(file_over_dir),
            &PutArchiveOptions::new().no_overwrite_dir_non_dir(true),
        )
        .unwrap_err();
    assert!(err.status().is_some(), "{err}");
    assert!(c.stat_path("/tmp/dir").unwrap().is_dir());
    assert!(matches!(
        c.stat_path("").unwrap_err(),
        dockhand::Error::Setting { .. }
    ));
}

#[test]
fn resize_sets_the_tty_size() {
    let scope = Scope::new("resize");
    let id = scope
        .docker
        .containers()
        .create(&scope.config().tty(true).cmd([
            "sh",
            "-c",
            "while true; do stty size; sleep 0.2; done",
        ]))
        .unwrap()
        .id;
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.resize(41, 101).unwrap();
    eventually(Duration::from_secs(20), "the new size", || {
        let out = c
            .logs(&LogsOptions::new())
            .unwrap()
            .collect_output()
            .unwrap();
        out.stdout_text().contains("41 101").then_some(())
    });
}

/// Prunes the scope's containers (only our label: other tests share this engine).
fn prune_ours(scope: &Scope) -> dockhand::container::ContainersPruned {
    let options = PruneContainersOptions::new().filter("label", &scope.filter());
    common::prune(|| scope.docker.containers().prune(&options))
}

#[test]
fn prune_removes_only_stopped_containers_that_match() {
    let scope = Scope::new("prune");
    let docker = &scope.docker;
    let created = scope.create(&["true"]);
    let exited = started(&scope, &["true"]);
    docker.container(&exited).wait().unwrap();
    let running = started(&scope, &["sleep", "60"]);
    // Only our label: other tests share this engine.
    let pruned = prune_ours(&scope);
    let mut deleted = pruned.containers_deleted.clone();
    deleted.sort();
    let mut expected = vec![created, exited];
    expected.sort();
    assert_eq!(deleted, expected);
    let left: Vec<_> = labelled(&scope).into_iter().map(|c| c.id).collect();
    assert_eq!(left, [running]);
    // Nothing more to prune: an empty list, not an error.
    let again = prune_ours(&scope);
    assert!(again.containers_deleted.is_empty());
    assert_eq!(again.space_reclaimed, 0);
}

#[test]
fn run_returns_the_output_and_exit_code_and_leaves_nothing() {
    let scope = Scope::new("run");
    let docker = &scope.docker;
    let out = docker
        .run(&scope.config().cmd([
            "sh",
            "-c",
            "echo to out; echo to err >&2; printf 'more'; exit 42",
        ]))
        .unwrap();
    assert_eq!(out.exit_code, 42);
    assert!(!out.success());
    assert_eq!(out.stdout_text(), "to out\nmore");
    assert_eq!(out.stderr_text(), "to err\n");
    assert!(labelled(&scope).is_empty(), "run removed its container");

    // AutoRemove does not lose the output.
    let out = docker
        .run(
            &scope
                .config()
                .cmd(["echo", "auto"])
                .host_config(HostConfig::new().auto_remove(true)),
        )
        .unwrap();
    assert!(out.success());
    assert_eq!(out.stdout_text(), "auto\n");

    // A start that fails still removes what was created.
    let err = docker
        .run(&scope.config().cmd(["/no/such/program"]))
        .unwrap_err();
    assert!(err.status().is_some(), "{err}");
    assert!(err.to_string().contains("/no/such/program"), "{err}");
    assert!(labelled(&scope).is_empty(), "{:?}", labelled(&scope));
    // As does a log driver whose output cannot be read back.
    let err = docker
        .run(
            &scope
                .config()
                .cmd(["echo", "lost"])
                .host_config(HostConfig::new().log_config(LogConfig::new("none"))),
        )
        .unwrap_err();
    assert!(err.status().is_some(), "{err}");
    assert!(labelled(&scope).is_empty(), "{:?}", labelled(&scope));
}

#[test]
fn a_guard_removes_its_container_on_drop_and_during_a_panic() {
    let scope = Scope::new("guard");
    let docker = scope.docker.clone();
    let config = scope.config().cmd(["sleep", "60"]);

    let guard = docker.containers().create_guarded(&config).unwrap();
    guard.start().unwrap();
    let id = guard.id().to_string();
    assert!(guard.warnings().is_empty());
    assert!(docker.container(&id).inspect().unwrap().state.running);
    drop(guard);
    assert!(docker.container(&id).inspect().unwrap_err().is_not_found());

    let mut id = String::new();
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let guard = docker.containers().create_guarded(&config).unwrap();
        guard.start().unwrap();
        id = guard.id().to_string();
        panic!("on purpose");
    }));
    assert!(unwound.is_err());
    assert!(!id.is_empty());
    assert!(docker.container(&id).inspect().unwrap_err().is_not_found());
    assert!(labelled(&scope).is_empty());

    // keep() lets go; remove() reports; any container can be guarded.
    let kept = docker.containers().create_guarded(&config).unwrap().keep();
    assert!(kept.inspect().is_ok());
    let guard = ContainerGuard::new(kept.clone());
    guard.remove().unwrap();
    assert!(kept.inspect().unwrap_err().is_not_found());
    // Removing one that is already gone is not an error.
    let guard = docker.containers().create_guarded(&config).unwrap();
    docker
        .container(guard.id())
        .remove(&RemoveOptions::new())
        .unwrap();
    guard.remove().unwrap();
}

#[test]
fn a_run_config_can_be_shared_and_reused() {
    // run takes the config by reference and changes nothing in it.
    let scope = Scope::new("runreuse");
    let config: ContainerConfig = scope
        .config()
        .cmd(["sh", "-c", "echo $N"])
        .env("N", "7")
        .host_config(HostConfig::new().auto_remove(true));
    for _ in 0..2 {
        assert_eq!(scope.docker.run(&config).unwrap().stdout_text(), "7\n");
    }
    assert_eq!(config.host_config.as_ref().unwrap().auto_remove, Some(true));
    assert!(labelled(&scope).is_empty());
}

#[test]
fn host_config_twice_adds_to_what_was_set() {
    let scope = Scope::new("host-config-merge");
    let config = scope
        .config()
        .cmd(["true"])
        .host_config(
            HostConfig::new()
                .extra_host("merged.test", "10.1.2.3")
                .cap_drop("MKNOD"),
        )
        .host_config(HostConfig::new().cap_drop("NET_RAW").cap_add("SYS_TIME"));
    let id = scope.docker.containers().create(&config).unwrap().id;
    let h = scope.docker.container(&id).inspect().unwrap().host_config;
    assert_eq!(
        h.extra_hosts.as_deref().unwrap(),
        ["merged.test:10.1.2.3"],
        "the first call's field is kept"
    );
    assert_eq!(
        h.cap_drop.as_deref().unwrap(),
        ["NET_RAW"],
        "the later call's wins"
    );
    assert_eq!(h.cap_add.as_deref().unwrap(), ["SYS_TIME"]);
}
