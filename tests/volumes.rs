//! Volumes against the real engine: shared data, create options, list, remove, prune by
//! label, disk usage, events.
//!
//! Other test runs share the engine: every volume and container here carries this run's
//! label, prunes are limited to it, and everything is removed by label even when a test
//! fails.

mod common;

use std::time::Duration;

use common::{Scope, LABEL};
use dockhand::volume::{
    ListVolumesOptions, PruneVolumesOptions, RemoveVolumeOptions, VolumeConfig,
};
use dockhand::{
    ContainerConfig, Docker, EventsOptions, HostConfig, ListContainersOptions, LogsOptions,
    RemoveOptions,
};

/// A test's own corner of the engine: its label, and a guard that removes its containers
/// and then its volumes (a volume a container uses cannot be removed).
struct Lab {
    scope: Scope,
}

impl Lab {
    fn new(test: &str) -> Lab {
        Lab {
            scope: Scope::new(test),
        }
    }

    fn docker(&self) -> &Docker {
        &self.scope.docker
    }

    /// A volume config with a name and label of this test's own.
    fn volume_config(&self, suffix: &str) -> VolumeConfig {
        VolumeConfig::new()
            .name(&format!("dockhand-{}-{suffix}", self.scope.value))
            .label(LABEL, &self.scope.value)
    }

    /// Creates a volume; returns its name.
    fn volume(&self, config: &VolumeConfig) -> String {
        self.docker().volumes().create(config).unwrap().name
    }

    /// A labelled container running `script` with sh, with `volume` at `/data`.
    fn container(&self, volume: &str, script: &str) -> ContainerConfig {
        let mut host = HostConfig::default();
        host.binds = Some(vec![format!("{volume}:/data")]);
        self.scope
            .config()
            .cmd(["sh", "-c", script])
            .host_config(host)
    }

    /// Creates and runs a container to its end; returns its id, exit code and stdout.
    fn run(&self, config: &ContainerConfig) -> (String, i64, String) {
        let docker = self.docker();
        let id = docker.containers().create(config).unwrap().id;
        let c = docker.container(&id);
        c.start().unwrap();
        let code = c.wait().unwrap().status_code;
        let out = c
            .logs(&LogsOptions::new())
            .unwrap()
            .collect_output()
            .unwrap();
        let stdout = out.stdout_text().to_string();
        (id, code, stdout)
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let docker = &self.scope.docker;
        let filter = self.scope.filter();
        let containers = ListContainersOptions::new()
            .all(true)
            .filter("label", &filter);
        for c in docker.containers().list(&containers).unwrap_or_default() {
            let _ = docker
                .container(&c.id)
                .remove(&RemoveOptions::new().force(true).volumes(true));
        }
        let volumes = ListVolumesOptions::new().filter("label", &filter);
        if let Ok(list) = docker.volumes().list(&volumes) {
            for v in list.volumes {
                let _ = docker
                    .volume(&v.name)
                    .remove(&RemoveVolumeOptions::new().force(true));
            }
        }
    }
}

#[test]
fn a_volume_written_by_one_container_is_read_by_another() {
    let lab = Lab::new("vol-share");
    let volume = lab.volume(&lab.volume_config("share"));
    let (_, code, _) = lab.run(&lab.container(&volume, "echo kept-in-a-volume > /data/note"));
    assert_eq!(code, 0);
    let (_, code, read) = lab.run(&lab.container(&volume, "cat /data/note"));
    assert_eq!(code, 0);
    assert_eq!(read, "kept-in-a-volume\n");
}

#[test]
fn create_inspect_list_and_remove() {
    let lab = Lab::new("vol-create");
    let docker = lab.docker();
    let config = lab
        .volume_config("opts")
        .driver("local")
        .driver_opt("type", "tmpfs")
        .driver_opt("device", "tmpfs")
        .label("purpose", "create-options");
    let created = docker.volumes().create(&config).unwrap();
    let name = created.name.clone();
    assert_eq!(Some(&name), config.name.as_ref());

    let volume = docker.volume(&name);
    let inspect = volume.inspect().unwrap();
    assert_eq!(inspect.name, name);
    assert_eq!(inspect.driver, "local");
    assert_eq!(inspect.scope, "local");
    assert!(!inspect.mountpoint.is_empty());
    assert!(!inspect.created_at.is_empty());
    assert_eq!(inspect.options.get("type"), Some(&"tmpfs".to_string()));
    assert_eq!(
        inspect.labels.get("purpose"),
        Some(&"create-options".to_string())
    );
    assert_eq!(inspect.labels.get(LABEL), Some(&lab.scope.value));
    assert!(
        inspect.usage_data.is_none(),
        "usage data comes from df only"
    );

    // Creating it again gives the same volume.
    assert_eq!(docker.volumes().create(&config).unwrap().name, name);

    // An anonymous volume gets a name from the engine.
    let anonymous = docker
        .volumes()
        .create(&VolumeConfig::new().label(LABEL, &lab.scope.value))
        .unwrap();
    assert_eq!(anonymous.name.len(), 64, "{}", anonymous.name);

    let listed = docker
        .volumes()
        .list(&ListVolumesOptions::new().filter("label", &lab.scope.filter()))
        .unwrap();
    assert!(listed.warnings.is_empty(), "{:?}", listed.warnings);
    let mut names: Vec<_> = listed.volumes.iter().map(|v| v.name.clone()).collect();
    names.sort();
    let mut expected = vec![name.clone(), anonymous.name.clone()];
    expected.sort();
    assert_eq!(names, expected);
    let by_label_value = docker
        .volumes()
        .list(&ListVolumesOptions::new().filter("label", "purpose=create-options"))
        .unwrap();
    assert!(by_label_value.volumes.iter().any(|v| v.name == name));

    volume.remove(&RemoveVolumeOptions::new()).unwrap();
    assert!(volume.inspect().unwrap_err().is_not_found());
    assert!(volume
        .remove(&RemoveVolumeOptions::new())
        .unwrap_err()
        .is_not_found());
    // forced, a missing volume counts as removed
    volume
        .remove(&RemoveVolumeOptions::new().force(true))
        .unwrap();

    // A name that would leave its path segment is refused before anything is sent.
    for bad in ["..", "../containers/json", ""] {
        let refused = docker.volume(bad).inspect().unwrap_err();
        assert!(refused.status().is_none(), "{refused}");
    }
}

#[test]
fn a_volume_in_use_is_not_removed() {
    let lab = Lab::new("vol-in-use");
    let docker = lab.docker();
    let volume = lab.volume(&lab.volume_config("used"));
    let (container, code, _) = lab.run(&lab.container(&volume, "true"));
    assert_eq!(code, 0);

    // Even a stopped container holds its volume, forced or not.
    let refused = docker
        .volume(&volume)
        .remove(&RemoveVolumeOptions::new())
        .unwrap_err();
    assert!(refused.is_conflict(), "{refused}");
    let forced = docker
        .volume(&volume)
        .remove(&RemoveVolumeOptions::new().force(true))
        .unwrap_err();
    assert!(forced.is_conflict(), "{forced}");

    docker
        .container(&container)
        .remove(&RemoveOptions::new())
        .unwrap();
    docker
        .volume(&volume)
        .remove(&RemoveVolumeOptions::new())
        .unwrap();
}

#[test]
fn prune_removes_only_unused_volumes_with_the_label() {
    let lab = Lab::new("vol-prune");
    let other = Lab::new("vol-prune-other");
    let docker = lab.docker();
    let used = lab.volume(&lab.volume_config("used"));
    let unused = lab.volume(&lab.volume_config("unused"));
    let not_ours = other.volume(&other.volume_config("unused"));
    // A stopped container still uses its volume.
    let (_, code, _) = lab.run(&lab.container(&used, "echo data > /data/file"));
    assert_eq!(code, 0);

    let options = PruneVolumesOptions::new()
        .all(true)
        .filter("label", &lab.scope.filter());
    let pruned = common::prune(|| docker.volumes().prune(&options));
    assert_eq!(pruned.volumes_deleted, [unused.as_str()]);
    assert!(docker.volume(&unused).inspect().unwrap_err().is_not_found());
    assert!(docker.volume(&used).inspect().is_ok());
    assert!(docker.volume(&not_ours).inspect().is_ok());

    let again = common::prune(|| docker.volumes().prune(&options));
    assert!(again.volumes_deleted.is_empty());
    assert_eq!(again.space_reclaimed, 0);
}

#[test]
fn df_reports_a_volume_with_its_size_and_users() {
    let lab = Lab::new("vol-df");
    let docker = lab.docker();
    let volume = lab.volume(&lab.volume_config("df"));
    let (container, code, _) = lab.run(&lab.container(
        &volume,
        "dd if=/dev/zero of=/data/blob bs=1024 count=64 2>/dev/null",
    ));
    assert_eq!(code, 0);

    let df = common::df(docker);
    if !common::is_podman() {
        // Podman reports LayersSize 0.
        assert!(df.layers_size > 0);
    }
    let ours = df
        .volumes
        .iter()
        .find(|v| v.name == volume)
        .expect("df lists our volume");
    // Podman's df leaves out the labels of volumes and containers.
    let podman = common::is_podman();
    if !podman {
        assert_eq!(ours.labels.get(LABEL), Some(&lab.scope.value));
    }
    let usage = ours.usage_data.as_ref().expect("df reports usage data");
    assert!(usage.size >= 64 * 1024, "size {}", usage.size);
    assert_eq!(usage.ref_count, 1, "the stopped container uses it");

    let c = df
        .containers
        .iter()
        .find(|c| c.id == container)
        .expect("df lists our container");
    if !podman {
        assert_eq!(c.labels.get(LABEL), Some(&lab.scope.value));
    }
    assert!(df.images.iter().any(|i| i.id == c.image_id));
}

#[test]
fn events_report_a_volumes_life() {
    if common::skip(
        common::is_podman(),
        "Podman 4.3 reports only a volume's create and remove, with no actor id, and has no \
         `volume` event filter",
    ) {
        return;
    }
    let lab = Lab::new("vol-events");
    let docker = lab.docker();
    let config = lab.volume_config("events");
    let name = config.name.clone().unwrap_or_default();
    let events = docker
        .events(
            &EventsOptions::new()
                .filter("type", "volume")
                .filter("volume", &name)
                .idle_timeout(Duration::from_secs(60)),
        )
        .unwrap();
    lab.volume(&config);
    let (container, code, _) = lab.run(&lab.container(&name, "true"));
    assert_eq!(code, 0);
    docker
        .container(&container)
        .remove(&RemoveOptions::new())
        .unwrap();
    docker
        .volume(&name)
        .remove(&RemoveVolumeOptions::new())
        .unwrap();

    let mut actions = Vec::new();
    for event in events {
        let event = event.unwrap();
        assert_eq!(event.kind, "volume");
        assert_eq!(event.actor.id, name);
        if event.action == "mount" {
            assert_eq!(event.actor.attributes["container"], container);
            assert_eq!(event.actor.attributes["destination"], "/data");
        }
        actions.push(event.action.clone());
        if event.action == "destroy" {
            break;
        }
    }
    // Binding a volume to a container reports a second `create` for it.
    actions.dedup();
    assert_eq!(actions, ["create", "mount", "unmount", "destroy"]);
}
