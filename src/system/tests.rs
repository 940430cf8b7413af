use super::*;
use crate::container::ContainerStatus;

#[test]
fn swarm_states_are_typed_and_unknown_ones_kept() {
    let info: Info = serde_json::from_str(
        r#"{"ID":"x","Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive",
                "ControlAvailable":false,"Error":"","RemoteManagers":null}}"#,
    )
    .unwrap();
    assert_eq!(info.swarm.local_node_state, LocalNodeState::Inactive);
    assert!(info.swarm.remote_managers.is_empty());
    assert!(info.swarm.cluster.is_none() && info.swarm.nodes.is_none());
    assert!(!info.extra.contains_key("Swarm"));

    let manager: SwarmInfo = serde_json::from_str(
        r#"{"NodeID":"n1","NodeAddr":"10.0.0.1","LocalNodeState":"active",
                "ControlAvailable":true,"RemoteManagers":[{"NodeID":"n1","Addr":"10.0.0.1:2377"}],
                "Nodes":3,"Managers":1,
                "Cluster":{"ID":"c1","Version":{"Index":10},"CreatedAt":"2024-01-01T00:00:00Z",
                  "Spec":{"Name":"default","Labels":{},"Raft":{"SnapshotInterval":10000}},
                  "TLSInfo":{"TrustRoot":"x"},"RootRotationInProgress":false,
                  "DefaultAddrPool":["10.0.0.0/8"],"SubnetSize":24,"DataPathPort":4789}}"#,
    )
    .unwrap();
    assert_eq!(manager.local_node_state, LocalNodeState::Active);
    assert_eq!(manager.remote_managers[0].addr, "10.0.0.1:2377");
    assert_eq!((manager.nodes, manager.managers), (Some(3), Some(1)));
    let cluster = manager.cluster.unwrap();
    assert_eq!(cluster.version.index, 10);
    assert_eq!(cluster.spec.name, "default");
    assert!(cluster.spec.extra.contains_key("Raft"));
    assert!(cluster.extra.contains_key("TLSInfo"));
    assert_eq!(cluster.data_path_port, 4789);

    for (text, state) in [
        ("pending", LocalNodeState::Pending),
        ("error", LocalNodeState::Error),
        ("locked", LocalNodeState::Locked),
        ("floating", LocalNodeState::Other("floating".into())),
    ] {
        let parsed: LocalNodeState = serde_json::from_value(text.into()).unwrap();
        assert_eq!(parsed, state);
        assert_eq!(parsed.to_string(), text);
    }
}

#[test]
fn disk_usage_reads_nulls_as_empty_and_keeps_the_rest() {
    let df: DiskUsage = serde_json::from_str(
        r#"{"LayersSize":10,"Images":[{"Id":"sha256:a","ParentId":"","RepoTags":["a:1"],
                  "RepoDigests":null,"Created":1,"Size":10,"SharedSize":-1,"VirtualSize":10,
                  "Labels":null,"Containers":2}],
                "Containers":[{"Id":"c","Names":["/c"],"State":"exited","SizeRw":0,"Mounts":[]}],
                "Volumes":[{"Name":"v","Driver":"local","UsageData":{"Size":4096,"RefCount":0}}],
                "BuildCache":null,"BuilderSize":0}"#,
    )
    .unwrap();
    assert_eq!(df.layers_size, 10);
    assert_eq!(df.images[0].shared_size, -1);
    assert!(df.images[0].repo_digests.is_empty());
    assert_eq!(df.containers[0].state, ContainerStatus::Exited);
    assert!(df.containers[0].extra.contains_key("Mounts"));
    assert_eq!(
        df.volumes[0].usage_data.as_ref().map(|u| u.size),
        Some(4096)
    );
    assert!(df.build_cache.is_empty());
    assert!(df.extra.contains_key("BuilderSize"));
}

#[test]
fn version_reads_the_oldest_api_version() {
    // Docker 28.5's answer, shortened.
    let v: Version = serde_json::from_str(
        r#"{"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"28.5.2",
                "Details":{"ApiVersion":"1.51","MinAPIVersion":"1.24"}}],
                "Version":"28.5.2","ApiVersion":"1.51","MinAPIVersion":"1.24",
                "GitCommit":"3ef3c07","GoVersion":"go1.25","Os":"linux","Arch":"amd64",
                "KernelVersion":"6.1.0","BuildTime":"2025-01-01T00:00:00.000000000+00:00"}"#,
    )
    .unwrap();
    assert_eq!(
        (v.api_version.as_str(), v.min_api_version.as_str()),
        ("1.51", "1.24")
    );
    assert_eq!(v.components[0].name, "Engine");
    let podman: Version = serde_json::from_str(r#"{"Version":"4.3.1","Components":null}"#).unwrap();
    assert!(podman.components.is_empty());
}

#[test]
fn info_with_null_labels_reads_as_empty() {
    // Podman's answer has `"Labels": null`.
    let info: Info = serde_json::from_str(r#"{"ID":"x","Labels":null,"NCPU":2}"#).unwrap();
    assert!(info.labels.is_empty());
    assert_eq!(info.ncpu, 2);
}

#[test]
fn events_read_the_same_with_and_without_the_legacy_fields() {
    // API 1.51 (Docker 28.5) and 1.52 (Docker 29) for the same event.
    let legacy: Event = serde_json::from_str(
        r#"{"status":"die","id":"c1","from":"busybox","Type":"container","Action":"die",
                "Actor":{"ID":"c1","Attributes":{"image":"busybox","exitCode":"0"}},
                "scope":"local","time":1700000000,"timeNano":1700000000000000000}"#,
    )
    .unwrap();
    let current: Event = serde_json::from_str(
        r#"{"Type":"container","Action":"die",
                "Actor":{"ID":"c1","Attributes":{"image":"busybox","exitCode":"0"}},
                "scope":"local","time":1700000000,"timeNano":1700000000000000000}"#,
    )
    .unwrap();
    for event in [&legacy, &current] {
        assert_eq!(
            (event.status(), event.id(), event.from()),
            ("die", "c1", Some("busybox"))
        );
        assert_eq!(event.actor.attributes["exitCode"], "0");
    }
    let network: Event = serde_json::from_str(
        r#"{"Type":"network","Action":"connect","Actor":{"ID":"n1","Attributes":null}}"#,
    )
    .unwrap();
    assert_eq!((network.status(), network.id()), ("connect", "n1"));
    assert_eq!(network.from(), None);
}

#[test]
fn disk_usage_of_api_1_52_and_1_53_fills_the_lists() {
    // API 1.53, verbose: summaries with their items, no legacy lists.
    let mut df: DiskUsage = serde_json::from_str(
        r#"{"ImageUsage":{"ActiveCount":1,"TotalCount":2,"TotalSize":30,"Reclaimable":10,
                  "Items":[{"Id":"sha256:a","Size":20,"SharedSize":-1,"Containers":1}]},
                "ContainerUsage":{"ActiveCount":0,"TotalCount":1,"TotalSize":5,"Reclaimable":5,
                  "Items":[{"Id":"c","Names":["/c"],"State":"exited","SizeRw":5}]},
                "VolumeUsage":{"ActiveCount":0,"TotalCount":0,"TotalSize":0,"Reclaimable":0,
                  "Items":null},
                "BuildCacheUsage":{"TotalCount":1,"TotalSize":7,"Reclaimable":7,
                  "Items":[{"ID":"b1","Type":"regular","Size":7,"InUse":false,
                    "LastUsedAt":null}]}}"#,
    )
    .unwrap();
    df.fill_legacy_lists();
    assert_eq!(df.layers_size, 30);
    assert_eq!(df.images[0].id, "sha256:a");
    assert_eq!(df.containers[0].state, ContainerStatus::Exited);
    assert!(df.volumes.is_empty());
    assert_eq!(df.build_cache[0].size, 7);
    let images = df.image_usage.as_ref().unwrap();
    assert_eq!((images.active_count, images.reclaimable), (1, 10));

    // API 1.53 without verbose: counts only.
    let mut df: DiskUsage = serde_json::from_str(
        r#"{"ImageUsage":{"ActiveCount":1,"TotalCount":2,"TotalSize":30,"Reclaimable":10}}"#,
    )
    .unwrap();
    df.fill_legacy_lists();
    assert!(df.images.is_empty() && df.containers.is_empty());
    assert_eq!(df.layers_size, 30);

    // API 1.52: both; the legacy lists are left as sent.
    let mut df: DiskUsage = serde_json::from_str(
        r#"{"LayersSize":30,"Images":[{"Id":"sha256:a"}],"Containers":[],"Volumes":[],
                "BuildCache":[],
                "ImageUsage":{"ActiveCount":1,"TotalCount":1,"TotalSize":30,"Reclaimable":0}}"#,
    )
    .unwrap();
    df.fill_legacy_lists();
    assert_eq!(df.images.len(), 1);
    assert!(!df.extra.contains_key("ImageUsage"));
}
