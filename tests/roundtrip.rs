//! Models that lose nothing, against the real engine: what the engine answers to an
//! inspect, read into dockhand's types and written out again, is what it sent, value for
//! value; and a container made again from its inspected config is the same container.
//!
//! Every object here carries this run's label and is removed by label, even when a test
//! fails.

mod common;

use std::path::PathBuf;

use common::{Scope, LABEL};
use dockhand::container::{
    ContainerInspect, DeviceRequest, EndpointSettings, HealthConfig, LogConfig, Mount, PortBinding,
    RestartPolicy, Ulimit,
};
use dockhand::network::{Ipam, IpamConfig, ListNetworksOptions, NetworkConfig, NetworkInspect};
use dockhand::volume::{ListVolumesOptions, RemoveVolumeOptions, VolumeConfig, VolumeInspect};
use dockhand::{ContainerConfig, Docker, HostConfig, ListContainersOptions, RemoveOptions};
use serde_json::{json, Value};

/// A test's corner of the engine: its label, a folder to bind-mount, and a guard that
/// removes its containers, networks, volumes and folder.
struct Lab {
    scope: Scope,
    folder: PathBuf,
}

impl Lab {
    fn new(test: &str) -> Lab {
        let scope = Scope::new(test);
        let folder = std::env::temp_dir().join(format!("dockhand-{}", scope.value));
        std::fs::create_dir_all(&folder).unwrap();
        Lab { scope, folder }
    }

    fn docker(&self) -> &Docker {
        &self.scope.docker
    }

    fn name(&self, suffix: &str) -> String {
        format!("dockhand-{}-{suffix}", self.scope.value)
    }

    /// Creates a labelled network with a /24 of its own in 10.215.0.0/16 (another run may
    /// hold one: the next is tried), and returns its id and the subnet's first three
    /// octets.
    fn network(
        &self,
        suffix: &str,
        extra: impl Fn(NetworkConfig) -> NetworkConfig,
    ) -> (String, String) {
        let seed = std::process::id() as usize + self.scope.value.len() * 7;
        for i in 0..254 {
            let prefix = format!("10.215.{}", (seed + i * 37) % 254 + 1);
            let config = NetworkConfig::new(self.name(suffix))
                .label(LABEL, &self.scope.value)
                .ipam(
                    Ipam::new().config(
                        IpamConfig::new()
                            .subnet(&format!("{prefix}.0/24"))
                            .ip_range(&format!("{prefix}.0/25"))
                            .gateway(&format!("{prefix}.1"))
                            .auxiliary_address("reserved", &format!("{prefix}.2")),
                    ),
                );
            match self.docker().networks().create(&extra(config)) {
                Ok(created) => return (created.id, prefix),
                Err(e) if e.to_string().contains("overlaps") => continue,
                Err(e) => panic!("create a network with a subnet: {e}"),
            }
        }
        panic!("no free /24 in 10.215.0.0/16");
    }

    /// What the engine sends for `GET path`, untouched.
    fn raw(&self, path: &str) -> Value {
        self.docker()
            .request("GET", path)
            .send()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .json()
            .unwrap()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let docker = self.scope.docker.clone();
        let filter = self.scope.filter();
        let containers = ListContainersOptions::new()
            .all(true)
            .filter("label", &filter);
        for c in docker.containers().list(&containers).unwrap_or_default() {
            let remove = RemoveOptions::new().force(true).volumes(true);
            let _ = docker.container(&c.id).remove(&remove);
        }
        let networks = ListNetworksOptions::new().filter("label", &filter);
        for n in docker.networks().list(&networks).unwrap_or_default() {
            let _ = docker.network(&n.id).remove();
        }
        let volumes = ListVolumesOptions::new().filter("label", &filter);
        if let Ok(list) = docker.volumes().list(&volumes) {
            for v in list.volumes {
                let _ = docker
                    .volume(&v.name)
                    .remove(&RemoveVolumeOptions::new().force(true));
            }
        }
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// A container config with much of what `docker run` can set, some of it in `extra`.
fn rich_config(lab: &Lab, network: &str, prefix: &str, volume: &str) -> ContainerConfig {
    let mut config = lab
        .scope
        .config()
        .cmd(["sh", "-c", "sleep 30"])
        .hostname("roundtrip")
        .user("0:0")
        .working_dir("/tmp")
        .env("A", "1")
        .env("EMPTY", "")
        .label("org.example.role", "test")
        .expose("80/tcp")
        .expose("53/udp")
        .stop_signal("SIGINT")
        .stop_timeout(std::time::Duration::from_secs(3))
        .healthcheck(
            HealthConfig::shell("true")
                .interval(std::time::Duration::from_secs(30))
                .retries(2)
                .start_period(std::time::Duration::from_secs(1))
                .start_interval(std::time::Duration::from_secs(1)),
        )
        .network(
            network,
            EndpointSettings::default()
                .alias("rt")
                .ipv4_address(&format!("{prefix}.9")),
        );
    config
        .extra
        .insert("Shell".into(), json!(["/bin/sh", "-c"]));
    let mut host = HostConfig::new()
        .bind(&format!("{volume}:/named"))
        .mount(
            Mount::bind(lab.folder.to_str().unwrap(), "/bound")
                .read_only(true)
                .propagation("rslave"),
        )
        .mount(
            Mount::volume("", "/anonymous")
                .no_copy(true)
                .volume_label(LABEL, &lab.scope.value),
        )
        .mount(
            Mount::tmpfs("/scratch")
                .tmpfs_size(1 << 20)
                .tmpfs_mode(0o1777),
        )
        .tmpfs("/run/t", "size=64k")
        .publish("80/tcp", PortBinding::new("127.0.0.1", ""))
        .publish("53/udp", PortBinding::new("", ""))
        .network_mode(network)
        .restart_policy(RestartPolicy::on_failure(2))
        .log_config(LogConfig::new("json-file").option("max-size", "1m"))
        .memory(64 << 20)
        .cpu_shares(512)
        .pids_limit(64)
        .ulimit(Ulimit::new("nofile", 1024, 2048))
        .device("/dev/null", "/dev/also-null")
        .device_request(DeviceRequest::gpus(1).driver("none-such"))
        .shm_size(8 << 20)
        .cap_add("NET_ADMIN")
        .cap_drop("MKNOD")
        .security_opt("no-new-privileges")
        .sysctl("net.ipv4.ip_unprivileged_port_start", "0")
        .dns("10.0.0.53")
        .extra_host("example.test", "10.0.0.1");
    host.memory_reservation = Some(32 << 20);
    host.dns_search = Some(vec!["example.test".into()]);
    host.dns_options = Some(vec!["ndots:2".into()]);
    host.group_add = Some(vec!["10".into()]);
    host.readonly_rootfs = Some(false);
    host.extra.insert("OomScoreAdj".into(), json!(100));
    host.extra.insert("CgroupnsMode".into(), json!("host"));
    config.host_config(host)
}

#[test]
fn a_container_comes_back_as_the_engine_sent_it_and_makes_the_same_container() {
    let lab = Lab::new("roundtrip-container");
    let docker = lab.docker();
    let (network, prefix) = lab.network("net", |c| c);
    let volume = lab.name("vol");
    docker
        .volumes()
        .create(
            &VolumeConfig::new()
                .name(&volume)
                .label(LABEL, &lab.scope.value),
        )
        .unwrap();

    let podman = common::is_podman();
    let config = rich_config(&lab, &network, &prefix, &volume);
    let id = docker.containers().create(&config).unwrap().id;
    let sent = lab.raw(&format!("/containers/{id}/json"));
    let typed: ContainerInspect = docker.container(&id).inspect().unwrap();

    common::assert_same_json("Config", &typed.config, &sent["Config"]);
    common::assert_same_json("HostConfig", &typed.host_config, &sent["HostConfig"]);
    for (name, endpoint) in &typed.network_settings.networks {
        let raw = &sent["NetworkSettings"]["Networks"][name];
        common::assert_same_json(&format!("Networks.{name}"), endpoint, raw);
    }
    // Read straight from the engine's JSON, too.
    let config: ContainerConfig = serde_json::from_value(sent["Config"].clone()).unwrap();
    common::assert_same_json("Config (from JSON)", &config, &sent["Config"]);

    // What is typed reads as sent, and what is not is kept.
    let host = &typed.host_config;
    // Podman reports `RLIMIT_NOFILE`, and its default `RLIMIT_NPROC` too.
    let nofile = host.ulimits.iter().flatten().find(|u| {
        let name = u.name.trim_start_matches("RLIMIT_");
        name.eq_ignore_ascii_case("nofile")
    });
    assert_eq!(
        nofile.map(|u| (u.soft, u.hard)),
        Some((1024, 2048)),
        "{host:?}"
    );
    assert_eq!(host.pids_limit, Some(64));
    assert_eq!(host.extra["OomScoreAdj"], json!(100));
    match &host.mounts {
        Some(mounts) => {
            let bind = mounts.iter().find(|m| m.target == "/bound").unwrap();
            let options = bind.bind_options.as_ref().unwrap();
            assert_eq!(options.propagation.as_deref(), Some("rslave"));
        }
        // Podman answers with the mounts turned into `Binds` and `Tmpfs`.
        None if podman => eprintln!("Podman reports no HostConfig.Mounts: not checked"),
        None => panic!("no HostConfig.Mounts in {}", sent["HostConfig"]),
    }
    if !podman {
        // Podman does not keep a container's `Shell`.
        assert_eq!(typed.config.extra["Shell"], json!(["/bin/sh", "-c"]));
    }

    // The same config and host config make the same container.
    if podman {
        // What Podman reports is not what it takes: its inspect names ulimits as
        // `RLIMIT_NOFILE`, which its create refuses, and it reports host ports it picked
        // and defaults of its own. Sending its inspect back is checked above.
        common::skip(
            true,
            "Podman refuses its own inspected config as a create body (the re-create step)",
        );
    } else {
        let mut again = typed.config.clone();
        again.host_config = Some(typed.host_config.clone());
        let id2 = docker.containers().create(&again).unwrap().id;
        let sent2 = lab.raw(&format!("/containers/{id2}/json"));
        let mut out = Vec::new();
        common::json_differences("Config", &sent2["Config"], &sent["Config"], &mut out);
        common::json_differences(
            "HostConfig",
            &sent2["HostConfig"],
            &sent["HostConfig"],
            &mut out,
        );
        assert!(
            out.is_empty(),
            "made again (left) differs from the first (right):\n{}",
            out.join("\n")
        );
    }

    // A changed field is sent as it is now, the rest as it came.
    let mut changed = typed.host_config.clone();
    changed.memory = Some(96 << 20);
    changed.cap_add = None;
    let written = serde_json::to_value(&changed).unwrap();
    let mut out = Vec::new();
    common::json_differences("HostConfig", &written, &sent["HostConfig"], &mut out);
    out.sort();
    assert_eq!(out.len(), 2, "{out:#?}");
    assert!(out[0].starts_with("HostConfig/CapAdd: lost"), "{out:#?}");
    assert!(
        out[1].starts_with("HostConfig/Memory: wrote 100663296"),
        "{out:#?}"
    );
}

#[test]
fn a_running_container_its_network_and_its_endpoint_come_back_as_sent() {
    let lab = Lab::new("roundtrip-network");
    let docker = lab.docker();
    let (network, prefix) = lab.network("net", |mut c| {
        c = c
            .option("com.docker.network.driver.mtu", "1400")
            .attachable(true);
        c.extra.insert("Scope".into(), json!("local"));
        c
    });
    let config = lab
        .scope
        .config()
        .cmd(["sleep", "30"])
        .network(&network, EndpointSettings::default().alias("web"));
    let id = docker.containers().create(&config).unwrap().id;
    docker.container(&id).start().unwrap();

    let sent = lab.raw(&format!("/networks/{network}"));
    let typed: NetworkInspect = docker.network(&network).inspect().unwrap();
    common::assert_same_json("network", &typed, &sent);
    assert_eq!(typed.containers.len(), 1, "{sent}");
    assert!(typed.containers[&id].ipv4().starts_with(&prefix));
    let as_config: NetworkConfig = serde_json::from_value(sent.clone()).unwrap();
    common::assert_same_json("network as a create config", &as_config, &sent);

    let filters = format!(r#"{{"label":["{LABEL}={}"]}}"#, lab.scope.value);
    let listed = lab.raw(&format!(
        "/networks?filters={}",
        dockhand::encode_segment(&filters)
    ));
    let typed_list = docker
        .networks()
        .list(&ListNetworksOptions::new().filter("label", &lab.scope.filter()))
        .unwrap();
    common::assert_same_json("network list", &typed_list, &listed);

    let sent = lab.raw(&format!("/containers/{id}/json"));
    let inspect = docker.container(&id).inspect().unwrap();
    let name = lab.name("net");
    common::assert_same_json(
        "endpoint",
        &inspect.network_settings.networks[&name],
        &sent["NetworkSettings"]["Networks"][&name],
    );
    common::assert_same_json("HostConfig", &inspect.host_config, &sent["HostConfig"]);
    let address = inspect.network_settings.ipv4().unwrap();
    assert!(address.starts_with(&prefix), "{address}");
}

#[test]
fn a_volume_comes_back_as_sent() {
    let lab = Lab::new("roundtrip-volume");
    let docker = lab.docker();
    let mut config = VolumeConfig::new()
        .name(&lab.name("vol"))
        .driver("local")
        .driver_opt("type", "tmpfs")
        .driver_opt("device", "tmpfs")
        .driver_opt("o", "nodev,noexec")
        .label(LABEL, &lab.scope.value);
    config
        .extra
        .insert("Unknown".into(), json!({"kept": "by the client"}));
    let created: VolumeInspect = docker.volumes().create(&config).unwrap();

    let sent = lab.raw(&format!("/volumes/{}", created.name));
    let typed = docker.volume(&created.name).inspect().unwrap();
    common::assert_same_json("volume", &typed, &sent);
    let as_config: VolumeConfig = serde_json::from_value(sent.clone()).unwrap();
    common::assert_same_json("volume as a create config", &as_config, &sent);
    assert_eq!(typed.options["o"], "nodev,noexec");

    let filters = format!(r#"{{"label":["{LABEL}={}"]}}"#, lab.scope.value);
    let listed = lab.raw(&format!(
        "/volumes?filters={}",
        dockhand::encode_segment(&filters)
    ));
    let typed_list = docker
        .volumes()
        .list(&ListVolumesOptions::new().filter("label", &lab.scope.filter()))
        .unwrap();
    common::assert_same_json("volume list", &typed_list.volumes, &listed["Volumes"]);
}

// What follows needs no engine: inspect answers captured from Docker 20.10 (API 1.41) and
// 28.5 (API 1.51) for the same create body.

const INSPECTS: [(&str, &str); 2] = [
    (
        "20.10",
        include_str!("fixtures/container-inspect-20.10.json"),
    ),
    ("28.5", include_str!("fixtures/container-inspect-28.5.json")),
];

#[test]
fn captured_inspects_come_back_as_they_were_sent() {
    for (engine, text) in INSPECTS {
        let sent: Value = serde_json::from_str(text).unwrap();
        let typed: ContainerInspect = serde_json::from_str(text).unwrap();
        common::assert_same_json(&format!("{engine} Config"), &typed.config, &sent["Config"]);
        common::assert_same_json(
            &format!("{engine} HostConfig"),
            &typed.host_config,
            &sent["HostConfig"],
        );
        for (name, endpoint) in &typed.network_settings.networks {
            let raw = &sent["NetworkSettings"]["Networks"][name];
            common::assert_same_json(&format!("{engine} Networks.{name}"), endpoint, raw);
        }
        // Each nested model alone, too.
        let mounts = &sent["HostConfig"]["Mounts"];
        let read: Vec<dockhand::container::Mount> = serde_json::from_value(mounts.clone()).unwrap();
        common::assert_same_json(&format!("{engine} Mounts"), &read, mounts);
    }
}

#[test]
fn captured_inspects_read_into_the_typed_fields() {
    let typed: ContainerInspect = serde_json::from_str(INSPECTS[1].1).unwrap();
    let (config, host) = (&typed.config, &typed.host_config);
    let health = config.healthcheck.as_ref().unwrap();
    assert_eq!(health.start_interval, Some(1_000_000_000));
    assert_eq!(config.volumes, None);
    assert_eq!(host.memory_swappiness, None);
    assert_eq!(host.pids_limit, Some(64));
    assert_eq!(host.ulimits, Some(vec![Ulimit::new("nofile", 1024, 2048)]));
    let request = &host.device_requests.as_ref().unwrap()[0];
    assert_eq!((request.driver.as_str(), request.count), ("x", 1));
    assert_eq!(request.capabilities, [["gpu"]]);
    let mounts = host.mounts.as_ref().unwrap();
    let bind = mounts[0].bind_options.as_ref().unwrap();
    assert_eq!(bind.read_only_non_recursive, Some(true));
    let volume = mounts[1].volume_options.as_ref().unwrap();
    assert_eq!(volume.no_copy, Some(true));
    assert_eq!(mounts[1].source, "");
    let tmpfs = mounts[2].tmpfs_options.as_ref().unwrap();
    assert_eq!(tmpfs.options, Some(vec![vec!["exec".to_string()]]));
    assert_eq!(tmpfs.mode, Some(0o1777));
    assert_eq!(host.extra["OomScoreAdj"], json!(100));
    assert_eq!(host.extra["MaskedPaths"].as_array().map(Vec::len), Some(12));
}

#[test]
fn a_read_modify_write_changes_only_what_was_changed() {
    let sent: Value = serde_json::from_str(INSPECTS[1].1).unwrap();
    let typed: ContainerInspect = serde_json::from_str(INSPECTS[1].1).unwrap();
    let mut host = typed.host_config;
    host.memory_swappiness = Some(10);
    host.cap_add = Some(vec!["NET_ADMIN".into()]);
    host.dns = Some(Vec::new());
    host.links = None;
    let mounts = host.mounts.as_mut().unwrap();
    mounts[0].bind_options.as_mut().unwrap().create_mountpoint = Some(true);
    mounts.pop();
    host.extra.remove("OomScoreAdj");

    let mut want = sent["HostConfig"].clone();
    want["MemorySwappiness"] = json!(10);
    want["CapAdd"] = json!(["NET_ADMIN"]);
    want["Dns"] = json!([]);
    // `Links` was `null`, as an unset field is sent: it stays as it came.
    want["Mounts"][0]["BindOptions"]["CreateMountpoint"] = json!(true);
    want["Mounts"].as_array_mut().unwrap().pop();
    want.as_object_mut().unwrap().remove("OomScoreAdj");
    common::assert_same_json("HostConfig", &host, &want);
}

#[test]
fn a_config_made_here_sends_only_what_was_set() {
    let config = ContainerConfig::new("busybox").host_config(
        HostConfig::new()
            .mount(Mount::bind("/srv", "/srv").propagation("rshared"))
            .ulimit(Ulimit::new("core", 0, 0))
            .device_request(DeviceRequest::gpus(-1))
            .device("/dev/fuse", "/dev/fuse")
            .restart_policy(RestartPolicy::no()),
    );
    assert_eq!(
        serde_json::to_value(&config).unwrap(),
        json!({
            "Image": "busybox",
            "HostConfig": {
                "Mounts": [{"Type": "bind", "Source": "/srv", "Target": "/srv",
                            "BindOptions": {"Propagation": "rshared"}}],
                "Ulimits": [{"Name": "core", "Soft": 0, "Hard": 0}],
                "DeviceRequests": [{"Count": -1, "Capabilities": [["gpu"]]}],
                "Devices": [{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse",
                             "CgroupPermissions": "rwm"}],
                "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
            },
        })
    );
}
