use super::*;

#[test]
fn an_init_body_has_the_api_names_and_the_spec_with_its_extra_fields() {
    let spec = SwarmSpec {
        name: "default".into(),
        labels: HashMap::new(),
        extra: [(
            "EncryptionConfig".to_string(),
            serde_json::json!({"AutoLockManagers": true}),
        )]
        .into_iter()
        .collect(),
    };
    let init = InitRequest::new("127.0.0.1")
        .listen_addr("127.0.0.1:2377")
        .spec(spec);
    assert_eq!(
        serde_json::to_value(&init).unwrap(),
        serde_json::json!({
            "ListenAddr": "127.0.0.1:2377",
            "AdvertiseAddr": "127.0.0.1",
            "ForceNewCluster": false,
            "Spec": {"Name": "default", "Labels": {},
                     "EncryptionConfig": {"AutoLockManagers": true}},
        })
    );
}

#[test]
fn an_inspected_swarm_spec_goes_back_unchanged() {
    let text = r#"{"ID":"s1","Version":{"Index":10},"CreatedAt":"t","Spec":{"Name":"default",
            "Labels":{},"Orchestration":{"TaskHistoryRetentionLimit":5},
            "EncryptionConfig":{"AutoLockManagers":false}},"DataPathPort":4789,
            "JoinTokens":{"Worker":"SWMTKN-w","Manager":"SWMTKN-m"}}"#;
    let swarm: SwarmInspect = serde_json::from_str(text).unwrap();
    assert_eq!((swarm.id(), swarm.version()), ("s1", 10));
    assert_eq!(swarm.join_tokens.worker, "SWMTKN-w");
    assert!(!swarm.cluster.extra.contains_key("JoinTokens"));
    assert_eq!(swarm.cluster.data_path_port, 4789);
    let back = serde_json::to_value(swarm.spec()).unwrap();
    assert_eq!(
        back,
        serde_json::json!({"Name": "default", "Labels": {},
            "Orchestration": {"TaskHistoryRetentionLimit": 5},
            "EncryptionConfig": {"AutoLockManagers": false}})
    );
}

#[test]
fn a_full_swarm_spec_and_node_spec_go_back_exactly() {
    // As an engine speaking API 1.51 gives them, and a field no version has.
    let swarm = r#"{"Name": "default", "Labels": {"team": "infra"},
            "Orchestration": {"TaskHistoryRetentionLimit": 5},
            "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0,
              "LogEntriesForSlowFollowers": 500, "ElectionTick": 10, "HeartbeatTick": 1},
            "Dispatcher": {"HeartbeatPeriod": 5000000000},
            "CAConfig": {"NodeCertExpiry": 7776000000000000, "ExternalCAs": [{"Protocol":
              "cfssl", "URL": "https://ca", "Options": {"k": "v"}, "CACert": "pem"}],
              "ForceRotate": 1},
            "TaskDefaults": {"LogDriver": {"Name": "json-file",
              "Options": {"max-file": "3"}}},
            "EncryptionConfig": {"AutoLockManagers": false}, "XFuture": {"a": null}}"#;
    let original: serde_json::Value = serde_json::from_str(swarm).unwrap();
    let spec: SwarmSpec = serde_json::from_str(swarm).unwrap();
    assert_eq!(serde_json::to_value(&spec).unwrap(), original);
    let node = r#"{"Name": "n1", "Labels": {"zone": "a"}, "Role": "worker",
            "Availability": "drain", "XFuture": 1}"#;
    let original: serde_json::Value = serde_json::from_str(node).unwrap();
    let spec: NodeSpec = serde_json::from_str(node).unwrap();
    assert_eq!(serde_json::to_value(&spec).unwrap(), original);
    let bare: NodeSpec = serde_json::from_str(r#"{"Labels": {}}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&bare).unwrap(),
        serde_json::json!({"Labels": {}})
    );
}

#[test]
fn tokens_and_keys_never_show_in_debug() {
    let swarm: SwarmInspect =
        serde_json::from_str(r#"{"JoinTokens":{"Worker":"SWMTKN-w","Manager":"SWMTKN-m"}}"#)
            .unwrap();
    let key: UnlockKey = serde_json::from_str(r#"{"UnlockKey":"SWMKEY-1-x"}"#).unwrap();
    let join = JoinRequest::new("SWMTKN-j", ["10.0.0.1:2377"]);
    for shown in [
        format!("{swarm:?}"),
        format!("{key:?}"),
        format!("{join:?}"),
    ] {
        assert!(
            !shown.contains("SWMTKN") && !shown.contains("SWMKEY"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"), "{shown}");
    }
    assert_eq!(key.expose_secret(), "SWMKEY-1-x");
    assert_eq!(
        serde_json::to_value(&join).unwrap()["JoinToken"],
        "SWMTKN-j"
    );
}

#[test]
fn a_node_reads_and_its_spec_goes_back() {
    let node: NodeInspect = serde_json::from_str(
        r#"{"ID":"n1","Version":{"Index":9},"Spec":{"Labels":{},"Role":"manager",
                "Availability":"active"},"Description":{"Hostname":"vm",
                "Platform":{"Architecture":"x86_64","OS":"linux"},
                "Resources":{"NanoCPUs":2000000000,"MemoryBytes":1024},
                "Engine":{"EngineVersion":"20.10.24","Plugins":[]}},
                "Status":{"State":"ready","Addr":"127.0.0.1"},
                "ManagerStatus":{"Leader":true,"Reachability":"reachable","Addr":"127.0.0.1:2377"}}"#,
    )
    .unwrap();
    assert_eq!(node.spec.role, Some(NodeRole::Manager));
    assert_eq!(node.status.state, NodeState::Ready);
    assert_eq!(node.description.platform.os, "linux");
    let manager = node.manager_status.as_ref().unwrap();
    assert!(manager.leader);
    assert_eq!(manager.reachability, Reachability::Reachable);
    let spec = node.spec.clone().label("zone", "a");
    assert_eq!(
        serde_json::to_value(&spec).unwrap(),
        serde_json::json!({"Labels": {"zone": "a"}, "Role": "manager", "Availability": "active"})
    );
    let odd: NodeAvailability = serde_json::from_str(r#""resting""#).unwrap();
    assert_eq!(odd, NodeAvailability::Other("resting".into()));
    assert_eq!(serde_json::to_value(&odd).unwrap(), "resting");
}
