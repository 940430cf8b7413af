use std::time::Duration;

use super::*;
use crate::base64;
use crate::client::Docker;

#[test]
fn the_engines_path_stat_header_decodes() {
    // As the engine sent it for /etc/passwd.
    let header = "eyJuYW1lIjoicGFzc3dkIiwic2l6ZSI6ODIsIm1vZGUiOjQyMCwibXRpbWUiOiIyMDI2LTExLTI0\
                      VDIzOjIyOjQ5WiIsImxpbmtUYXJnZXQiOiIifQ==";
    let stat: PathStat = serde_json::from_slice(&base64::decode(header).unwrap()).unwrap();
    assert_eq!(stat.name, "passwd");
    assert_eq!(stat.size, 82);
    assert_eq!(stat.permissions(), 0o644);
    assert!(!stat.is_dir() && !stat.is_symlink());
    let dir: PathStat =
        serde_json::from_str(r#"{"name":"etc","size":4096,"mode":2147484141}"#).unwrap();
    assert!(dir.is_dir());
    assert_eq!(dir.permissions(), 0o755);
}

#[test]
fn configs_send_only_what_is_set_with_the_apis_names() {
    let config = ContainerConfig::new("busybox")
        .expose("80")
        .healthcheck(HealthConfig::shell("true").interval(Duration::from_secs(2)))
        .network("backend", EndpointSettings::default().alias("db"))
        .host_config(
            HostConfig::new()
                .publish("80", PortBinding::new("127.0.0.1", ""))
                .mount(Mount::tmpfs("/scratch").read_only(true))
                .restart_policy(RestartPolicy::on_failure(2))
                .log_config(LogConfig::new("json-file").option("max-size", "1m")),
        );
    let json = serde_json::to_value(&config).unwrap();
    assert_eq!(json["ExposedPorts"], serde_json::json!({"80/tcp": {}}));
    assert_eq!(
        json["Healthcheck"],
        serde_json::json!({"Test": ["CMD-SHELL", "true"], "Interval": 2_000_000_000i64})
    );
    assert_eq!(
        json["NetworkingConfig"],
        serde_json::json!({"EndpointsConfig": {"backend": {"Aliases": ["db"]}}})
    );
    let host = &json["HostConfig"];
    assert_eq!(
        host["PortBindings"],
        serde_json::json!({"80/tcp": [{"HostIp": "127.0.0.1"}]})
    );
    assert_eq!(
        host["Mounts"],
        serde_json::json!([{"Target": "/scratch", "Type": "tmpfs", "ReadOnly": true}])
    );
    assert_eq!(
        host["RestartPolicy"],
        serde_json::json!({"Name": "on-failure", "MaximumRetryCount": 2})
    );
    assert_eq!(
        host["LogConfig"],
        serde_json::json!({"Type": "json-file", "Config": {"max-size": "1m"}})
    );
    assert!(host.get("Memory").is_none() && json.get("Tty").is_none());
}

#[test]
fn inspect_answers_with_nulls_decode() {
    let inspect: ContainerInspect = serde_json::from_value(serde_json::json!({
        "Id": "abc",
        "Mounts": null,
        "HostConfig": {"Binds": null, "PortBindings": {}, "CapAdd": null,
                       "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                       "LogConfig": {"Type": "json-file", "Config": {}}},
        "NetworkSettings": {"Ports": {"80/tcp": null, "81/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49153"}]},
                            "Networks": {"bridge": {"IPAMConfig": null, "Links": null, "Aliases": null,
                                                    "IPAddress": "172.17.0.2", "DriverOpts": null}}}
    }))
    .unwrap();
    assert!(inspect.mounts.is_empty());
    let ports = &inspect.network_settings.ports;
    assert_eq!(ports["80/tcp"], None);
    assert_eq!(ports["81/tcp"].as_ref().unwrap()[0].host_port, "49153");
    let bridge = &inspect.network_settings.networks["bridge"];
    assert_eq!(bridge.ip_address, "172.17.0.2");
    assert!(bridge.aliases.is_empty());
    assert_eq!(
        inspect.host_config.restart_policy,
        Some(RestartPolicy::no())
    );
}

#[test]
fn change_kinds_and_cpu_percent() {
    let changes: Vec<FilesystemChange> = serde_json::from_str(
        r#"[{"Path":"/a","Kind":0},{"Path":"/b","Kind":1},{"Path":"/c","Kind":2},{"Path":"/d","Kind":9}]"#,
    )
    .unwrap();
    let kinds: String = changes.iter().map(|c| c.kind.letter()).collect();
    assert_eq!(kinds, "CAD?");
    let stats: Stats = serde_json::from_value(serde_json::json!({
        "cpu_stats": {"cpu_usage": {"total_usage": 300}, "system_cpu_usage": 2000, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 100}, "system_cpu_usage": 1000},
        "blkio_stats": {"io_service_bytes_recursive": null},
        "storage_stats": {}
    }))
    .unwrap();
    assert_eq!(stats.cpu_percent(), Some(40.0));
    assert!(stats.extra.contains_key("storage_stats"));
    assert_eq!(Stats::default().cpu_percent(), None);
}

#[test]
fn link_names_must_be_parent_and_alias() {
    let docker = Docker::connect("unix:///nowhere.sock").unwrap();
    let path = |id: &str| docker.container(id).link_path();
    assert_eq!(path("/web/db").unwrap(), "/containers/web/db");
    assert_eq!(path("web/d b").unwrap(), "/containers/web/d%20b");
    for bad in ["/web", "/a/b/c", "/../db", "//db", "/web/.."] {
        assert!(path(bad).is_err(), "{bad}");
    }
}

#[test]
fn network_addresses_are_found_with_or_without_the_top_level_fields() {
    // API 1.51: the top-level fields describe the default bridge.
    let legacy: NetworkSettings = serde_json::from_str(
        r#"{"Bridge":"","SandboxID":"s1","IPAddress":"172.17.0.2","Gateway":"172.17.0.1",
                "MacAddress":"02:42:ac:11:00:02","Ports":{"80/tcp":null},
                "Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1",
                  "MacAddress":"02:42:ac:11:00:02","IPPrefixLen":16}}}"#,
    )
    .unwrap();
    // API 1.52: they are gone.
    let current: NetworkSettings = serde_json::from_str(
        r#"{"SandboxID":"s1","SandboxKey":"/var/run/docker/netns/s1","Ports":{},
                "Networks":{"bridge":{"IPAddress":"172.17.0.2","Gateway":"172.17.0.1",
                  "MacAddress":"02:42:ac:11:00:02","IPPrefixLen":16,"DNSNames":null}}}"#,
    )
    .unwrap();
    for settings in [&legacy, &current] {
        assert_eq!(settings.ipv4(), Some("172.17.0.2"));
        assert_eq!(settings.ipv4_gateway(), Some("172.17.0.1"));
        assert_eq!(settings.mac(), Some("02:42:ac:11:00:02"));
        assert_eq!(settings.primary_network().unwrap().0, "bridge");
    }
    assert_eq!(current.ip_address, "");

    let elsewhere: NetworkSettings = serde_json::from_str(
        r#"{"Networks":{"b-net":{"IPAddress":"10.0.1.5"},"a-net":{"IPAddress":""}}}"#,
    )
    .unwrap();
    assert_eq!(elsewhere.primary_network().unwrap().0, "b-net");
    assert_eq!(elsewhere.ipv4(), Some("10.0.1.5"));
    assert_eq!(elsewhere.ipv4_gateway(), None);
    let none: NetworkSettings = serde_json::from_str(r#"{"Networks":{}}"#).unwrap();
    assert_eq!((none.ipv4(), none.primary_network()), (None, None));
}

#[test]
fn stats_read_the_container_id_as_any_engine_spells_it() {
    let docker: Stats =
        serde_json::from_str(r#"{"name":"/web","id":"c1","read":"2025-01-01T00:00:00Z"}"#).unwrap();
    let podman: Stats =
        serde_json::from_str(r#"{"name":"web","Id":"c1","read":"2025-01-01T00:00:00Z"}"#).unwrap();
    assert_eq!((docker.id.as_str(), docker.name.as_str()), ("c1", "/web"));
    assert_eq!((podman.id.as_str(), podman.name.as_str()), ("c1", "web"));
    let newer: Stats = serde_json::from_str(r#"{"id":"c1","os_type":"linux"}"#).unwrap();
    assert_eq!(newer.extra["os_type"], "linux");
}

#[test]
fn each_setter_writes_the_apis_field_name() {
    let config = ContainerConfig::new("busybox")
        .hostname("web")
        .domainname("example.test")
        .open_stdin(true)
        .stdin_once(true)
        .attach_stdin(true)
        .attach_stdout(false)
        .attach_stderr(true)
        .volume("/data")
        .host_config(
            HostConfig::new()
                .dns("10.0.0.53")
                .dns_search("example.test")
                .dns_option("ndots:2")
                .device("/dev/null", "/dev/mynull")
                .device_request(DeviceRequest::gpus(-1))
                .shm_size(64 << 20)
                .tmpfs("/scratch", "size=1m")
                .ulimit(Ulimit::new("nofile", 1024, 2048))
                .readonly_rootfs(true)
                .sysctl("net.ipv4.ip_forward", "1")
                .security_opt("no-new-privileges")
                .pids_limit(64)
                .memory_reservation(32 << 20)
                .memory_swap(-1)
                .memory_swappiness(10)
                .oom_kill_disable(false)
                .cpu_period(100_000)
                .cpu_quota(50_000)
                .cpuset_cpus("0")
                .group_add("audio")
                .pid_mode("host")
                .ipc_mode("private")
                .publish_all_ports(true)
                .volumes_from("other:ro")
                .link("db:database"),
        );
    let json = serde_json::to_value(&config).unwrap();
    let expected = serde_json::json!({
        "Image": "busybox",
        "Hostname": "web",
        "Domainname": "example.test",
        "OpenStdin": true,
        "StdinOnce": true,
        "AttachStdin": true,
        "AttachStdout": false,
        "AttachStderr": true,
        "Volumes": {"/data": {}},
        "HostConfig": {
            "Dns": ["10.0.0.53"],
            "DnsSearch": ["example.test"],
            "DnsOptions": ["ndots:2"],
            "Devices": [{
                "PathOnHost": "/dev/null",
                "PathInContainer": "/dev/mynull",
                "CgroupPermissions": "rwm"
            }],
            "DeviceRequests": [{"Count": -1, "Capabilities": [["gpu"]]}],
            "ShmSize": 67108864,
            "Tmpfs": {"/scratch": "size=1m"},
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
            "ReadonlyRootfs": true,
            "Sysctls": {"net.ipv4.ip_forward": "1"},
            "SecurityOpt": ["no-new-privileges"],
            "PidsLimit": 64,
            "MemoryReservation": 33554432,
            "MemorySwap": -1,
            "MemorySwappiness": 10,
            "OomKillDisable": false,
            "CpuPeriod": 100000,
            "CpuQuota": 50000,
            "CpusetCpus": "0",
            "GroupAdd": ["audio"],
            "PidMode": "host",
            "IpcMode": "private",
            "PublishAllPorts": true,
            "VolumesFrom": ["other:ro"],
            "Links": ["db:database"],
        },
    });
    assert_eq!(json, expected);
}

#[test]
fn host_config_adds_to_what_is_set() {
    use serde_json::json;
    let config = ContainerConfig::new("busybox")
        .host_config(
            HostConfig::new()
                .publish("80", PortBinding::new("127.0.0.1", "8080"))
                .bind("/srv:/srv:ro")
                .memory(64 << 20),
        )
        .host_config(HostConfig::new().memory(128 << 20).init(true))
        .host_config(HostConfig::new().bind("/data:/data"));
    let host = serde_json::to_value(config.host_config.as_ref().unwrap()).unwrap();
    assert_eq!(
        host,
        json!({
            "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
            // a field set again is replaced, not appended to
            "Binds": ["/data:/data"],
            "Memory": 128 << 20,
            "Init": true,
        })
    );

    // `extra` keys count one by one.
    let mut first = HostConfig::new();
    first.extra.insert("CgroupnsMode".into(), json!("private"));
    first.extra.insert("Runtime".into(), json!("runc"));
    let mut second = HostConfig::new();
    second.extra.insert("CgroupnsMode".into(), json!("host"));
    let config = ContainerConfig::new("busybox")
        .host_config(first)
        .host_config(second);
    let host = config.host_config.unwrap();
    assert_eq!(host.extra["CgroupnsMode"], "host");
    assert_eq!(host.extra["Runtime"], "runc");

    // Without one before, the host config is taken as it is, spelling and all.
    let sent = json!({"Binds": null, "Memory": 0, "PortBindings": {}, "Privileged": false});
    let read: HostConfig = serde_json::from_value(sent.clone()).unwrap();
    let config = ContainerConfig::new("busybox").host_config(read.clone());
    assert_eq!(
        serde_json::to_value(config.host_config.as_ref().unwrap()).unwrap(),
        sent
    );
    // Over another one, its `null`s set nothing; its other fields, empty ones too, do.
    let config = ContainerConfig::new("busybox")
        .host_config(
            HostConfig::new()
                .bind("/srv:/srv")
                .publish("80", PortBinding::new("", "")),
        )
        .host_config(read);
    assert_eq!(
        serde_json::to_value(config.host_config.unwrap()).unwrap(),
        json!({"Binds": ["/srv:/srv"], "Memory": 0, "PortBindings": {}, "Privileged": false})
    );
}
