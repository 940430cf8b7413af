//! Networks against the real engine: reach by alias, fixed addresses, connect and
//! disconnect, create options, prune by label, events.
//!
//! Other test runs share the engine: every network and container here carries this run's
//! label, prunes are limited to it, and everything is removed by label even when a test
//! fails.

mod common;

use std::time::Duration;

use common::{Scope, LABEL};
use dockhand::network::{
    Ipam, IpamConfig, ListNetworksOptions, NetworkConfig, NetworkConnect, NetworkDisconnect,
    PruneNetworksOptions,
};
use dockhand::{
    ContainerConfig, Docker, EventsOptions, HostConfig, ListContainersOptions, LogsOptions,
    RemoveOptions,
};

/// A test's own corner of the engine: its label, and a guard that removes its containers
/// and then its networks (a network with containers on it cannot be removed).
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

    /// A network config with a name and label of this test's own.
    fn network_config(&self, suffix: &str) -> NetworkConfig {
        NetworkConfig::new(format!("dockhand-{}-{suffix}", self.scope.value))
            .label(LABEL, &self.scope.value)
    }

    /// Creates a network; returns its id.
    fn network(&self, config: &NetworkConfig) -> String {
        let created = self.docker().networks().create(config).unwrap();
        assert_eq!(created.warning, "");
        created.id
    }

    /// Creates a network with a /24 of its own in 10.213.0.0/16, and returns its id and
    /// the subnet's first three octets. Another run may hold a subnet: the next is tried.
    fn network_with_subnet(&self, suffix: &str) -> (String, String) {
        let seed = std::process::id() as usize + self.scope.value.len() * 7;
        for i in 0..254 {
            let prefix = format!("10.213.{}", (seed + i * 37) % 254 + 1);
            let config = self.network_config(suffix).ipam(
                Ipam::new().config(
                    IpamConfig::new()
                        .subnet(&format!("{prefix}.0/24"))
                        .gateway(&format!("{prefix}.1")),
                ),
            );
            match self.docker().networks().create(&config) {
                Ok(created) => return (created.id, prefix),
                Err(e) if e.to_string().contains("overlaps") => continue,
                Err(e) => panic!("create a network with a subnet: {e}"),
            }
        }
        panic!("no free /24 in 10.213.0.0/16");
    }

    /// A labelled container config running `script` with sh.
    fn container(&self, script: &str) -> ContainerConfig {
        self.scope.config().cmd(["sh", "-c", script])
    }

    /// Creates and starts a container; returns its id.
    fn run(&self, config: &ContainerConfig) -> String {
        let id = self.docker().containers().create(config).unwrap().id;
        self.docker().container(&id).start().unwrap();
        id
    }

    /// Waits for a container to exit; returns its exit code and stdout.
    fn finish(&self, id: &str) -> (i64, String) {
        let c = self.docker().container(id);
        let code = c.wait().unwrap().status_code;
        let out = c
            .logs(&LogsOptions::new())
            .unwrap()
            .collect_output()
            .unwrap();
        (code, out.stdout_text().to_string())
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
        let networks = ListNetworksOptions::new().filter("label", &filter);
        for n in docker.networks().list(&networks).unwrap_or_default() {
            let _ = docker.network(&n.id).remove();
        }
    }
}

/// A network config on `network` only.
fn on_network(config: ContainerConfig, network: &str) -> ContainerConfig {
    let mut host = HostConfig::default();
    host.network_mode = Some(network.to_string());
    config.host_config(host)
}

/// A client that sends `message` to `host:8080`, retrying while the server starts.
fn client_script(host: &str, message: &str) -> String {
    // Under load a connection can arrive empty: the server (SERVER below) listens again
    // until a message comes, so keep sending until the server, having it, has gone away.
    format!(
        "ok=0; i=0; while [ $i -lt 100 ]; do \
           if echo {message} | nc -w 2 {host} 8080; then ok=1; \
           elif [ $ok = 1 ]; then exit 0; fi; \
           i=$((i+1)); sleep 0.2; done; [ $ok = 1 ]"
    )
}

/// Listens until a connection brings a message, prints it, and exits.
const SERVER: &str = "while true; do nc -l -p 8080 > /tmp/got; \
                      if [ -s /tmp/got ]; then cat /tmp/got; exit 0; fi; done";

#[test]
fn two_containers_on_a_network_reach_each_other_by_alias() {
    let lab = Lab::new("net-alias");
    let docker = lab.docker();
    let network = lab.network(&lab.network_config("alias"));

    // The server starts on the default bridge and joins our network under an alias.
    let server = docker
        .containers()
        .create(&lab.container(SERVER))
        .unwrap()
        .id;
    docker
        .network(&network)
        .connect(&NetworkConnect::new(&server).alias("server"))
        .unwrap();
    docker.container(&server).start().unwrap();

    let client = lab.run(&on_network(
        lab.container(&client_script("server", "hello-by-alias")),
        &network,
    ));
    let (code, _) = lab.finish(&client);
    assert_eq!(code, 0, "the client reached the server by its alias");
    let (code, said) = lab.finish(&server);
    assert_eq!(code, 0);
    assert_eq!(said, "hello-by-alias\n");

    // A container that is not on the network does not resolve the alias.
    let outsider = lab.run(&lab.container("echo x | nc -w 2 server 8080"));
    assert_ne!(lab.finish(&outsider).0, 0);
}

#[test]
fn a_fixed_ipv4_address_on_an_own_subnet_shows_in_inspect_and_answers() {
    let lab = Lab::new("net-fixed");
    let docker = lab.docker();
    let (network, prefix) = lab.network_with_subnet("fixed");
    let inspect = docker.network(&network).inspect().unwrap();
    let subnet = &inspect.ipam.config[0];
    assert_eq!(subnet.subnet.as_deref(), Some(&*format!("{prefix}.0/24")));
    assert_eq!(subnet.gateway.as_deref(), Some(&*format!("{prefix}.1")));

    let address = format!("{prefix}.23");
    let server = docker
        .containers()
        .create(&lab.container(SERVER))
        .unwrap()
        .id;
    docker
        .network(&network)
        .connect(&NetworkConnect::new(&server).ipv4_address(&address))
        .unwrap();
    docker.container(&server).start().unwrap();

    let inspect = docker.network(&network).inspect().unwrap();
    let endpoint = &inspect.containers[&server];
    assert_eq!(endpoint.ipv4(), address);
    assert_eq!(endpoint.ipv4_address, format!("{address}/24"));
    assert!(!endpoint.mac_address.is_empty());
    if !common::is_podman() {
        // Podman's endpoints have no id.
        assert!(!endpoint.endpoint_id.is_empty());
    }

    let client = lab.run(&on_network(
        lab.container(&client_script(&address, "hello-by-address")),
        &network,
    ));
    assert_eq!(lab.finish(&client).0, 0);
    assert_eq!(lab.finish(&server).1, "hello-by-address\n");
}

#[test]
fn connect_and_disconnect_change_inspect() {
    let lab = Lab::new("net-connect");
    let docker = lab.docker();
    let id = lab.network(&lab.network_config("connect"));
    let network = docker.network(&id);
    let container = lab.run(&lab.container("sleep 60"));
    assert!(network.inspect().unwrap().containers.is_empty());

    network.connect(&NetworkConnect::new(&container)).unwrap();
    let on = network.inspect().unwrap();
    assert_eq!(on.containers.len(), 1);
    let endpoint = &on.containers[&container];
    assert!(!endpoint.name.is_empty());
    assert!(!endpoint.ipv4().is_empty());

    // A second connect is refused; removing a network in use is refused (Podman refuses
    // it by name only: by id, it removes the network from under its containers).
    assert!(network.connect(&NetworkConnect::new(&container)).is_err());
    let in_use = if common::is_podman() {
        docker.network(on.name.clone())
    } else {
        docker.network(&id)
    };
    let in_use = in_use.remove().unwrap_err();
    assert!(in_use.status().is_some(), "{in_use}");

    network
        .disconnect(&NetworkDisconnect::new(&container))
        .unwrap();
    assert!(network.inspect().unwrap().containers.is_empty());
    assert!(network
        .disconnect(&NetworkDisconnect::new(&container))
        .is_err());

    // By name too, and forced.
    let by_name = docker.network(on.name.clone());
    by_name.connect(&NetworkConnect::new(&container)).unwrap();
    assert!(by_name
        .inspect()
        .unwrap()
        .containers
        .contains_key(&container));
    by_name
        .disconnect(&NetworkDisconnect::new(&container).force(true))
        .unwrap();
    assert!(by_name.inspect().unwrap().containers.is_empty());

    let missing = network
        .connect(&NetworkConnect::new("dockhand-no-such-container"))
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
}

#[test]
fn create_options_show_in_inspect_and_list_and_remove_works() {
    let lab = Lab::new("net-create");
    let docker = lab.docker();
    let config = lab
        .network_config("opts")
        .driver("bridge")
        .internal(true)
        .attachable(true)
        .enable_ipv6(false)
        .check_duplicate(true)
        .option("com.docker.network.driver.mtu", "1400")
        .label("purpose", "create-options");
    let id = lab.network(&config);

    let inspect = docker.network(&id).inspect().unwrap();
    assert_eq!(inspect.id, id);
    assert_eq!(inspect.name, config.name);
    assert_eq!(inspect.driver, "bridge");
    assert_eq!(inspect.scope, "local");
    assert!(inspect.internal && !inspect.enable_ipv6);
    assert!(!inspect.created.is_empty());
    // Podman has no attachable networks, and names the MTU option its own way.
    let mtu = if common::is_podman() {
        "mtu"
    } else {
        assert!(inspect.attachable);
        "com.docker.network.driver.mtu"
    };
    assert_eq!(inspect.options.get(mtu), Some(&"1400".to_string()));
    assert_eq!(
        inspect.labels.get("purpose"),
        Some(&"create-options".to_string())
    );
    assert_eq!(inspect.labels.get(LABEL), Some(&lab.scope.value));
    // the engine picked a subnet
    assert!(inspect.ipam.config[0].subnet.is_some());

    // the same name again is refused (by Podman with a 500)
    let again = docker.networks().create(&config).unwrap_err();
    if common::is_podman() {
        assert_eq!(again.status(), Some(500), "{again}");
        assert!(again.to_string().contains("already"), "{again}");
    } else {
        assert!(again.is_conflict(), "{again}");
    }

    let listed = docker
        .networks()
        .list(&ListNetworksOptions::new().filter("label", &lab.scope.filter()))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert!(listed[0].internal);
    let by_name = docker
        .networks()
        .list(&ListNetworksOptions::new().filter("name", &config.name))
        .unwrap();
    assert!(by_name.iter().any(|n| n.id == id));
    assert_eq!(docker.network(&config.name).inspect().unwrap().id, id);

    docker.network(&config.name).remove().unwrap();
    let gone = docker.network(&id).inspect().unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert!(docker.network(&id).remove().unwrap_err().is_not_found());

    // An id that would leave its path segment is refused before anything is sent.
    for bad in ["..", "../containers/json", ""] {
        let refused = docker.network(bad).inspect().unwrap_err();
        assert!(refused.status().is_none(), "{refused}");
    }
    let empty = docker
        .networks()
        .create(&NetworkConfig::new(""))
        .unwrap_err();
    assert!(empty.status().is_none(), "{empty}");
}

#[test]
fn prune_removes_only_unused_networks_with_the_label() {
    let lab = Lab::new("net-prune");
    let other = Lab::new("net-prune-other");
    let docker = lab.docker();
    let used = lab.network(&lab.network_config("used"));
    let unused = lab.network(&lab.network_config("unused"));
    let not_ours = other.network(&other.network_config("unused"));
    lab.run(&on_network(lab.container("sleep 60"), &used));

    let options = PruneNetworksOptions::new().filter("label", &lab.scope.filter());
    let pruned = common::prune(|| docker.networks().prune(&options));
    let unused_name = format!("dockhand-{}-unused", lab.scope.value);
    assert_eq!(pruned.networks_deleted, [unused_name]);
    assert!(docker
        .network(&unused)
        .inspect()
        .unwrap_err()
        .is_not_found());
    assert!(docker.network(&used).inspect().is_ok());
    assert!(docker.network(&not_ours).inspect().is_ok());

    // Nothing left to prune under the label.
    let again = common::prune(|| docker.networks().prune(&options));
    assert!(again.networks_deleted.is_empty());
}

#[test]
fn events_report_a_networks_life() {
    if common::skip(
        common::is_podman(),
        "Podman 4.3 reports no network create or destroy, and has no `network` event filter \
         (the stream ends at once)",
    ) {
        return;
    }
    let lab = Lab::new("net-events");
    let docker = lab.docker();
    let config = lab.network_config("events");
    let events = docker
        .events(
            &EventsOptions::new()
                .filter("type", "network")
                .filter("network", &config.name)
                .idle_timeout(Duration::from_secs(60)),
        )
        .unwrap();
    let container = lab.run(&lab.container("sleep 60"));
    let id = lab.network(&config);
    let network = docker.network(&id);
    network.connect(&NetworkConnect::new(&container)).unwrap();
    network
        .disconnect(&NetworkDisconnect::new(&container))
        .unwrap();
    network.remove().unwrap();

    let mut actions = Vec::new();
    for event in events {
        let event = event.unwrap();
        assert_eq!(event.kind, "network");
        assert_eq!(event.actor.id, id);
        assert_eq!(event.actor.attributes["name"], config.name);
        if event.action == "connect" || event.action == "disconnect" {
            assert_eq!(event.actor.attributes["container"], container);
        }
        actions.push(event.action.clone());
        if event.action == "destroy" {
            break;
        }
    }
    // Engine 20.10 reports a disconnect twice (the endpoint, then the sandbox leaving).
    actions.dedup();
    assert_eq!(actions, ["create", "connect", "disconnect", "destroy"]);
}

/// Whether the engine makes a second network of a name when the caller turns the check
/// off: Docker before 25 does; Docker 25 and later, and Podman, refuse duplicates always.
fn allows_duplicate_names(docker: &Docker) -> bool {
    if common::is_podman() {
        return false;
    }
    let version = docker.version().unwrap().version;
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(u32::MAX);
    major < 25
}

#[test]
fn a_second_network_of_one_name_is_refused_unless_the_caller_opts_out() {
    let lab = Lab::new("net-dup");
    let docker = lab.docker();
    let config = lab.network_config("twice");
    let first = lab.network(&config);

    let err = docker.networks().create(&config).unwrap_err();
    println!("second create: {err}");
    let text = err.to_string();
    assert!(
        text.contains(&config.name) && text.contains("already"),
        "{text}"
    );
    // Docker answers 409; Podman 4.3 answers 500 (with the same words)
    if common::is_podman() {
        assert_eq!(err.status(), Some(500), "{err:?}");
    } else {
        assert!(err.is_conflict(), "{err:?}");
    }
    let named = ListNetworksOptions::new().filter("label", &lab.scope.filter());
    let by_name = |name: &str| {
        docker
            .networks()
            .list(&named)
            .unwrap()
            .into_iter()
            .filter(|n| n.name == name)
            .count()
    };
    assert_eq!(by_name(&config.name), 1);

    // the opt-out: a duplicate where the engine allows one, its refusal elsewhere
    let opted_out = docker
        .networks()
        .create(&config.clone().check_duplicate(false));
    if allows_duplicate_names(docker) {
        let second = opted_out.unwrap();
        assert_ne!(second.id, first);
        println!("duplicate made, engine warned: {}", second.warning);
        assert_eq!(by_name(&config.name), 2);
    } else {
        let err = opted_out.unwrap_err();
        println!(
            "{}: the engine refuses duplicates itself: {err}",
            common::engine_name()
        );
        assert!(err.to_string().contains("already"), "{err}");
        assert_eq!(by_name(&config.name), 1);
    }
}
