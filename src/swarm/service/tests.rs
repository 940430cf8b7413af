use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;

use super::handle::has_tty;
use super::*;
use crate::error::Error;

/// A service as the 20.10 engine reported it.
const INSPECTED: &str = r#"{"ID":"8f09uu0huzxx","Version":{"Index":13},
        "CreatedAt":"2026-11-25T00:02:07Z","UpdatedAt":"2026-11-25T00:02:07Z",
        "Spec":{"Name":"probe","Labels":{"dockhand-test":"probe"},
          "TaskTemplate":{"ContainerSpec":{"Image":"busybox","Command":["sh","-c","env"],
            "Secrets":[{"File":{"Name":"s","UID":"0","GID":"0","Mode":292},
              "SecretID":"u3p","SecretName":"s"}],
            "Configs":[{"File":{"Name":"/cfg","UID":"0","GID":"0","Mode":292},
              "ConfigID":"3v5","ConfigName":"c"}],
            "Isolation":"default"},"ForceUpdate":0,"Runtime":"container"},
          "Mode":{"Replicated":{"Replicas":2}}},
        "Endpoint":{"Spec":{}},
        "ServiceStatus":{"RunningTasks":2,"DesiredTasks":2,"CompletedTasks":0}}"#;

#[test]
fn an_inspected_spec_goes_back_unchanged() {
    let service: ServiceInspect = serde_json::from_str(INSPECTED).unwrap();
    assert_eq!(service.version.index, 13);
    assert_eq!(service.spec.mode.as_ref().unwrap().replicas(), Some(2));
    assert_eq!(
        service.service_status,
        Some(ServiceStatus {
            running_tasks: 2,
            desired_tasks: 2,
            completed_tasks: 0
        })
    );
    let original: serde_json::Value = serde_json::from_str(INSPECTED).unwrap();
    assert_eq!(
        serde_json::to_value(&service.spec).unwrap(),
        original["Spec"]
    );
}

/// A service spec as an engine speaking API 1.51 gives it, every part filled, and a
/// field no version has (`XFuture`) at every level dockhand types: what a newer engine
/// could add. The parts typed in `container.rs` that gained fields lately (bind,
/// volume and tmpfs options, the health check) are in [`NEWER_MOUNT_OPTIONS`].
const SPEC_1_51: &str = r#"{
        "Name": "web", "Labels": {"app": "shop"}, "XFuture": {"a": [1, null]},
        "TaskTemplate": {
          "ContainerSpec": {
            "Image": "busybox:1.36", "Labels": {}, "Command": ["sh", "-c", "sleep 1"],
            "Args": ["x"], "Hostname": "h", "Env": ["A=1"], "Dir": "/w", "User": "1000",
            "Groups": ["10"],
            "Privileges": {"CredentialSpec": null, "SELinuxContext": null,
              "Seccomp": {"Mode": "custom", "Profile": "e30="},
              "AppArmor": {"Mode": "default"}, "NoNewPrivileges": true},
            "Init": false, "StopSignal": "SIGINT", "TTY": true, "OpenStdin": true,
            "ReadOnly": true,
            "Mounts": [
              {"Type": "bind", "Source": "/srv", "Target": "/srv", "ReadOnly": true,
               "Consistency": "cached", "BindOptions": {"Propagation": "rprivate",
               "NonRecursive": true}, "XFuture": 1},
              {"Type": "volume", "Source": "data", "Target": "/data",
               "VolumeOptions": {"NoCopy": true, "Labels": {"a": "b"},
                 "DriverConfig": {"Name": "local", "Options": {"type": "tmpfs"}}}},
              {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1048576,
               "Mode": 448}},
              {"Type": "image", "Source": "app:1", "Target": "/app",
               "ImageOptions": {"Subpath": "usr"}},
              {"Type": "cluster", "Source": "csi", "Target": "/c", "ClusterOptions": {}}],
            "StopGracePeriod": 10000000000,
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000,
              "Timeout": 2000000000, "Retries": 0, "StartPeriod": 5000000000},
            "Hosts": ["10.0.0.1 db"],
            "DNSConfig": {"Nameservers": ["10.0.0.2"], "Search": ["lan"],
              "Options": ["ndots:2"]},
            "Secrets": [{"File": {"Name": "pw", "UID": "", "GID": "0", "Mode": 0,
                "XFuture": true}, "SecretID": "s1", "SecretName": "pw", "XFuture": 2}],
            "OomScoreAdj": -500,
            "Configs": [{"File": {"Name": "/etc/app.toml", "UID": "0", "GID": "0",
                "Mode": 292}, "ConfigID": "c1", "ConfigName": "app.toml"},
              {"Runtime": {}, "ConfigID": "c2", "ConfigName": "cred", "XFuture": 3}],
            "Isolation": "default", "Sysctls": {"net.core.somaxconn": "1024"},
            "CapabilityAdd": ["CAP_NET_ADMIN"], "CapabilityDrop": ["CAP_MKNOD"],
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
            "XFuture": "c"
          },
          "Resources": {
            "Limits": {"NanoCPUs": 500000000, "MemoryBytes": 104857600, "Pids": 100,
              "XFuture": 4},
            "Reservations": {"NanoCPUs": 0, "MemoryBytes": 8388608, "GenericResources": [
              {"DiscreteResourceSpec": {"Kind": "gpu", "Value": 1}},
              {"NamedResourceSpec": {"Kind": "ssd", "Value": "a"}}]},
            "SwapBytes": 0, "MemorySwappiness": 10, "XFuture": 5
          },
          "RestartPolicy": {"Condition": "on-failure", "Delay": 0, "MaxAttempts": 0,
            "Window": 60000000000, "XFuture": 6},
          "Placement": {"Constraints": ["node.role==manager"],
            "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}],
            "MaxReplicas": 3, "Platforms": [{"Architecture": "amd64", "OS": "linux"}],
            "XFuture": 7},
          "Networks": [{"Target": "n1", "Aliases": ["api"], "DriverOpts": {"k": "v"},
            "XFuture": 8}],
          "LogDriver": {"Name": "json-file", "Options": {"max-size": "1m"}},
          "ForceUpdate": 0, "Runtime": "container", "XFuture": 9
        },
        "Mode": {"Replicated": {"Replicas": 0, "XFuture": 10}, "XFuture": 11},
        "UpdateConfig": {"Parallelism": 0, "Delay": 1000000000, "FailureAction": "pause",
          "Monitor": 5000000000, "MaxFailureRatio": 0, "Order": "", "XFuture": 12},
        "RollbackConfig": {"Parallelism": 1, "FailureAction": "continue",
          "MaxFailureRatio": 0.3, "Order": "start-first"},
        "EndpointSpec": {"Mode": "vip", "Ports": [
          {"Name": "http", "Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080,
           "PublishMode": "ingress", "XFuture": 13},
          {"Protocol": "udp", "TargetPort": 53, "PublishMode": "host"}],
          "XFuture": 14}
      }"#;

/// The fields the bind, volume and tmpfs options and the health check gained in API
/// 1.42 to 1.51 (and one no version has), in the container spec of a service.
const NEWER_MOUNT_OPTIONS: &str = r#"{
        "Image": "busybox",
        "Mounts": [
          {"Type": "bind", "Source": "/srv", "Target": "/srv", "BindOptions": {
            "Propagation": "rshared", "CreateMountpoint": true,
            "ReadOnlyNonRecursive": true, "ReadOnlyForceRecursive": false,
            "XFuture": 1}},
          {"Type": "volume", "Source": "data", "Target": "/data", "VolumeOptions": {
            "NoCopy": true, "Subpath": "sub/dir", "XFuture": 2}},
          {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1048576,
            "Mode": 448, "Options": [["exec"], ["uid", "1000"]], "XFuture": 3}}],
        "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 1000000000,
          "StartPeriod": 5000000000, "StartInterval": 500000000, "XFuture": 4}
      }"#;

/// Parses `text` as `T` and writes it back: the JSON must be the same, value for
/// value.
fn assert_round_trip<T: serde::de::DeserializeOwned + Serialize>(text: &str) -> T {
    let original: serde_json::Value = serde_json::from_str(text).unwrap();
    let parsed: T = serde_json::from_str(text).unwrap();
    let back = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        back,
        original,
        "written back:\n{}",
        serde_json::to_string_pretty(&back).unwrap()
    );
    parsed
}

#[test]
fn a_full_spec_goes_back_exactly_with_the_fields_not_typed() {
    let spec: ServiceSpec = assert_round_trip(SPEC_1_51);
    // The typed fields read what they should.
    let container = spec.task_template.container_spec.as_ref().unwrap();
    assert_eq!(container.labels, Some(HashMap::new()), "present and empty");
    assert_eq!(container.init, Some(false));
    let health = container
        .health_check
        .as_ref()
        .expect("Healthcheck is typed");
    assert_eq!(health.interval, Some(1_000_000_000));
    assert_eq!(health.retries, Some(0));
    let secret = &container.secrets.as_ref().unwrap()[0];
    assert_eq!(secret.file.as_ref().unwrap().extra["XFuture"], true);
    assert_eq!(spec.mode.as_ref().unwrap().replicas(), Some(0));
    let update = spec.update_config.as_ref().unwrap();
    assert_eq!(update.max_failure_ratio, Some(0.0));
    assert_eq!(update.order, Some(UpdateOrder::Other(String::new())));
    let rollback = spec.rollback_config.as_ref().unwrap();
    assert_eq!(rollback.max_failure_ratio, Some(0.3));
    let ports = spec.endpoint_spec.as_ref().unwrap().ports.as_ref().unwrap();
    assert_eq!(ports[1].published_port, None);
    let resources = spec.task_template.resources.as_ref().unwrap();
    assert_eq!(resources.extra["MemorySwappiness"], 10);

    // Changing a typed field changes that field only.
    let mut scaled = spec.clone();
    scaled.mode = Some(ServiceMode::replicated(3));
    scaled.mode.as_mut().unwrap().extra = spec.mode.as_ref().unwrap().extra.clone();
    let mut want: serde_json::Value = serde_json::from_str(SPEC_1_51).unwrap();
    want["Mode"]["Replicated"] = serde_json::json!({"Replicas": 3});
    assert_eq!(serde_json::to_value(&scaled).unwrap(), want);
}

#[test]
fn an_inspected_service_gives_its_spec_back_exactly() {
    let text = format!(
        r#"{{"ID": "s1", "Version": {{"Index": 42}}, "Spec": {SPEC_1_51},
               "PreviousSpec": {SPEC_1_51}, "Endpoint": {{"Spec": {{}}}}}}"#
    );
    let service: ServiceInspect = serde_json::from_str(&text).unwrap();
    let original: serde_json::Value = serde_json::from_str(SPEC_1_51).unwrap();
    assert_eq!(serde_json::to_value(&service.spec).unwrap(), original);
    assert_eq!(
        serde_json::to_value(service.previous_spec.as_ref().unwrap()).unwrap(),
        original
    );
}

#[test]
fn every_mode_goes_back_exactly() {
    for mode in [
        r#"{"Replicated": {}}"#,
        r#"{"Global": {}}"#,
        r#"{"Global": {"XFuture": 1}}"#,
        r#"{"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 10, "XFuture": 1}}"#,
        r#"{"ReplicatedJob": {}}"#,
        r#"{"GlobalJob": {}}"#,
        r#"{"GlobalJob": {"XFuture": 1}}"#,
        r#"{"XFutureJob": {"Count": 1}}"#,
    ] {
        assert_round_trip::<ServiceMode>(mode);
    }
    assert_eq!(
        serde_json::to_value(ServiceSpec::new("busybox").replicated_job(2, 10)).unwrap()["Mode"],
        serde_json::json!({"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 10}})
    );
    assert_eq!(
        serde_json::to_value(ServiceSpec::new("busybox").global_job()).unwrap()["Mode"],
        serde_json::json!({"GlobalJob": {}})
    );
    let job: ServiceMode = serde_json::from_str(r#"{"GlobalJob": {}}"#).unwrap();
    assert_eq!(job.replicas(), None);
}

#[test]
fn absent_fields_stay_absent() {
    // The least the engine gives: a spec whose every optional field is left out.
    assert_round_trip::<ServiceSpec>(r#"{"Labels": {}, "TaskTemplate": {"ContainerSpec": {}}}"#);
    assert_round_trip::<ServiceSpec>(r#"{"Labels": {}, "TaskTemplate": {}}"#);
    assert_round_trip::<PortConfig>(r#"{"Protocol": "tcp"}"#);
    assert_round_trip::<SecretReference>(r#"{"SecretID": "", "SecretName": ""}"#);
    assert_round_trip::<ServiceUpdateConfig>(r#"{"MaxFailureRatio": 1}"#);
    assert_round_trip::<ServiceUpdateConfig>(r#"{"MaxFailureRatio": 0.25}"#);
}

/// The container side's `BindOptions`, `VolumeOptions`, `TmpfsOptions` and
/// `HealthConfig` keep their newer fields too.
#[test]
fn newer_mount_options_and_health_check_fields_go_back_exactly() {
    assert_round_trip::<ContainerSpec>(NEWER_MOUNT_OPTIONS);
}

#[test]
fn the_builder_fills_the_api_fields() {
    let spec = ServiceSpec::new("busybox")
        .name("web")
        .label("a", "b")
        .container_label("c", "d")
        .command(["sh", "-c", "sleep 60"])
        .env("K", "1")
        .env("K", "2")
        .env("L", "x=y")
        .replicas(3)
        .secret(SecretReference::new("sid", "pw").mode(0o400))
        .config(ConfigReference::new("cid", "app.toml").target("/etc/app.toml"))
        .restart_policy(
            ServiceRestartPolicy::new(RestartCondition::OnFailure)
                .delay(Duration::from_millis(500))
                .max_attempts(2),
        )
        .stop_grace_period(Duration::from_secs(1))
        .constraint("node.role==manager")
        .network(NetworkAttachment::new("backend").alias("api"))
        .publish(PortConfig::new(80).published(8080))
        .update_config(
            ServiceUpdateConfig::new()
                .parallelism(0)
                .order(UpdateOrder::StartFirst)
                .failure_action(FailureAction::Rollback),
        );
    assert_eq!(
        serde_json::to_value(&spec).unwrap(),
        serde_json::json!({
            "Name": "web",
            "Labels": {"a": "b"},
            "TaskTemplate": {
                "ContainerSpec": {
                    "Image": "busybox",
                    "Labels": {"c": "d"},
                    "Command": ["sh", "-c", "sleep 60"],
                    "Env": ["K=2", "L=x=y"],
                    "StopGracePeriod": 1_000_000_000i64,
                    "Secrets": [{"File": {"Name": "pw", "UID": "0", "GID": "0", "Mode": 256},
                                 "SecretID": "sid", "SecretName": "pw"}],
                    "Configs": [{"File": {"Name": "/etc/app.toml", "UID": "0", "GID": "0",
                                          "Mode": 292},
                                 "ConfigID": "cid", "ConfigName": "app.toml"}],
                },
                "RestartPolicy": {"Condition": "on-failure", "Delay": 500_000_000i64,
                                  "MaxAttempts": 2},
                "Placement": {"Constraints": ["node.role==manager"]},
                "Networks": [{"Target": "backend", "Aliases": ["api"]}],
            },
            "Mode": {"Replicated": {"Replicas": 3}},
            "UpdateConfig": {"Parallelism": 0, "FailureAction": "rollback",
                             "Order": "start-first"},
            "EndpointSpec": {"Ports": [{"TargetPort": 80, "PublishedPort": 8080}]},
        })
    );
    let container = spec.task_template.container_spec.as_ref().unwrap();
    assert_eq!(container.env_var("L"), Some("x=y"));
    assert_eq!(container.env_var("M"), None);
    assert_eq!(
        serde_json::to_value(ServiceSpec::new("busybox").global()).unwrap()["Mode"],
        serde_json::json!({"Global": {}})
    );
}

#[test]
fn a_task_reads_with_its_states_kept_open() {
    let task: TaskInspect = serde_json::from_str(
        r#"{"ID":"t1","Version":{"Index":19},"Labels":{},"Spec":{"ContainerSpec":
                {"Image":"busybox","TTY":true}},"ServiceID":"s1","Slot":1,"NodeID":"n1",
                "Status":{"Timestamp":"t","State":"running","Message":"started",
                "ContainerStatus":{"ContainerID":"c1","PID":19723,"ExitCode":0},
                "PortStatus":{}},"DesiredState":"hibernating"}"#,
    )
    .unwrap();
    assert_eq!(task.status.state, TaskState::Running);
    assert_eq!(task.desired_state, TaskState::Other("hibernating".into()));
    assert_eq!(task.container_id(), "c1");
    assert_eq!(task.slot, 1);
    assert!(has_tty(&task.spec));
    assert!(TaskState::Shutdown.is_terminal() && !TaskState::Running.is_terminal());
    let empty: TaskInspect = serde_json::from_str(r#"{"ID":"t2"}"#).unwrap();
    assert_eq!(empty.container_id(), "");
    assert_eq!(empty.status.state, TaskState::Other(String::new()));
}

#[test]
fn created_and_updated_answers_read_with_or_without_warnings() {
    let created: ServiceCreated = serde_json::from_str(r#"{"ID":"s1"}"#).unwrap();
    assert_eq!((created.id.as_str(), created.warnings.len()), ("s1", 0));
    let updated: ServiceUpdated =
        serde_json::from_str(r#"{"Warnings":["image could not be checked"]}"#).unwrap();
    assert_eq!(updated.warnings.len(), 1);
    let null: ServiceUpdated = serde_json::from_str(r#"{"Warnings":null}"#).unwrap();
    assert!(null.warnings.is_empty());
}

#[test]
fn out_of_sequence_is_recognised() {
    let e = Error::Engine {
        status: 500,
        message: "rpc error: code = Unknown desc = update out of sequence".into(),
        request: "POST /services/x/update".into(),
    };
    assert!(e.is_out_of_sequence());
    assert!(!Error::setting("a", "b", "c").is_out_of_sequence());
}
