//! Managed plugins against the real engine: made here from the test image's files (no
//! plugin can be pulled from the internet), pushed to and pulled back from the open local
//! registry, configured, enabled, disabled, upgraded and removed.
//!
//! Podman has no plugins: these tests skip there, saying so.

mod common;
mod imagekit;

use std::cell::RefCell;
use std::io::Read;
use std::time::Instant;

use dockhand::plugin::{
    DisablePluginOptions, EnablePluginOptions, ListPluginsOptions, PluginConfig, PluginEnv,
    PluginInterfaceType, PluginPrivilegesOptions, PullPluginOptions, PushPluginOptions,
    RemovePluginOptions, UpgradePluginOptions,
};
use dockhand::{Docker, Error, JsonStream, Progress};
use imagekit::{registries, Registries};

/// The socket every test plugin declares, in `/run/docker/plugins` inside the plugin.
const SOCKET: &str = "dockhand.sock";

/// Whether the engine has plugins; Podman's compatible API has none.
fn plugins_supported(docker: &Docker) -> bool {
    if common::is_podman() {
        let answer = docker.plugins().list(&ListPluginsOptions::new());
        eprintln!("GET /plugins on Podman: {answer:?}");
    }
    !common::skip(common::is_podman(), "Podman has no plugins")
}

/// The plugins a test makes, removed (forced) at the end even when the test fails.
/// Plugins carry no labels, so they go by their unique names.
struct PluginScope {
    scope: common::Scope,
    names: RefCell<Vec<String>>,
}

impl PluginScope {
    fn new(test: &str) -> PluginScope {
        PluginScope {
            scope: common::Scope::new(test),
            names: RefCell::new(Vec::new()),
        }
    }

    fn docker(&self) -> &Docker {
        &self.scope.docker
    }

    /// A plugin name unique to this test: `{prefix}dockhand-test/{what}-{value}{tag}`.
    fn name(&self, prefix: &str, what: &str, tag: &str) -> String {
        let name = format!("{prefix}dockhand-test/{what}-{}{tag}", self.scope.value).to_lowercase();
        self.names.borrow_mut().push(name.clone());
        name
    }

    /// The test image's files, as a tar: a labelled container's export.
    fn busybox_rootfs(&self) -> impl Read {
        let id = self.scope.create(&["true"]);
        self.docker()
            .container(&id)
            .export()
            .expect("export the container")
    }

    /// Creates plugin `name` from `config`, the test image's files and `extra` files.
    fn create(&self, name: &str, config: &PluginConfig, extra: &[(String, Vec<u8>)]) {
        let tar = plugin_tar(config, self.busybox_rootfs(), extra);
        let started = Instant::now();
        self.docker()
            .plugins()
            .create(name, std::io::Cursor::new(tar))
            .expect("create a plugin");
        println!("created {name} in {:?}", started.elapsed());
    }
}

impl Drop for PluginScope {
    fn drop(&mut self) {
        for name in self.names.borrow().iter() {
            let _ = self
                .docker()
                .plugin(name)
                .remove(&RemovePluginOptions::new().force(true));
        }
    }
}

/// A log-driver plugin whose entrypoint is `command`, with a settable `GREETING`.
///
/// A log driver, because the engine asks a plugin only when a container chooses it as its
/// log driver: an enabled volume driver would be asked by every volume list on the engine,
/// holding up other tests for as long as this one's plugin does not answer.
fn config(command: &str, greeting: &str) -> PluginConfig {
    let mut config = PluginConfig::default();
    config.description = "dockhand test plugin".into();
    config.documentation = "https://example.invalid/dockhand".into();
    config.interface.types = vec!["docker.logdriver/1.0".parse().unwrap()];
    config.interface.socket = SOCKET.into();
    // A shell that stops on SIGTERM: as the namespace's first process it ignores the
    // signal otherwise, and a disable would wait for the engine's kill timeout.
    config.entrypoint = vec!["/bin/sh".into(), "-c".into(), command.into()];
    config.env = vec![PluginEnv::settable("GREETING", greeting, "what to say")];
    // asks for a privilege, so that a pull has something to grant
    config.network.kind = "host".into();
    config
}

/// A plugin folder as a tar: `config.json` and `rootfs/` (the export, then `extra`).
fn plugin_tar(config: &PluginConfig, rootfs: impl Read, extra: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = tar::Builder::new(Vec::new());
    let json = serde_json::to_vec_pretty(config).unwrap();
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    out.append_data(&mut header, "config.json", json.as_slice())
        .unwrap();
    let mut export = tar::Archive::new(rootfs);
    for entry in export.entries().expect("read the export") {
        let mut entry = entry.expect("an entry of the export");
        let path = format!("rootfs/{}", entry.path().unwrap().display());
        let mut header = entry.header().clone();
        match header.entry_type() {
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let mut target = entry.link_name().unwrap().unwrap().into_owned();
                if header.entry_type() == tar::EntryType::Link {
                    target = std::path::Path::new("rootfs").join(target);
                }
                out.append_link(&mut header, &path, target).unwrap();
            }
            _ => out.append_data(&mut header, &path, &mut entry).unwrap(),
        }
    }
    for (path, data) in extra {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o755);
        out.append_data(&mut header, format!("rootfs/{path}"), data.as_slice())
            .unwrap();
    }
    out.into_inner().unwrap()
}

fn push(docker: &Docker, name: &str) -> String {
    let started = Instant::now();
    let lines: Vec<Progress> = docker
        .plugin(name)
        .push(&PushPluginOptions::new())
        .expect("start a push")
        .collect::<dockhand::Result<_>>()
        .expect("push");
    for line in &lines {
        println!("  push: {}", line.message());
    }
    println!("pushed {name} in {:?}", started.elapsed());
    lines
        .iter()
        .find_map(|p| p.aux.as_ref()?.get("Digest")?.as_str().map(String::from))
        .unwrap_or_else(|| panic!("no digest in {lines:?}"))
}

fn env_of(docker: &Docker, name: &str) -> Vec<String> {
    docker.plugin(name).inspect().unwrap().settings.env
}

#[test]
fn create_configure_push_pull_upgrade_and_remove_through_the_registry() {
    let scope = PluginScope::new("plugins-registry");
    let docker = scope.docker().clone();
    if !plugins_supported(&docker) {
        return;
    }
    let Some(Registries { open, .. }) = registries() else {
        return;
    };
    let sleeper = "trap 'exit 0' TERM; while true; do sleep 1; done";
    let v1 = scope.name(&format!("{open}/"), "plugin", ":1");
    let v2 = scope.name(&format!("{open}/"), "plugin", ":2");
    let local = scope.name("", "plugin-local", ":latest");
    // Each with a file of its own: the engine keeps one copy of a root filesystem's
    // bytes, and refuses a second plugin made of the same ones ("content ... already
    // exists", 409).
    let version = |v: &str| vec![("dockhand/version".to_string(), v.as_bytes().to_vec())];
    scope.create(&v1, &config(sleeper, "hello"), &version("1"));
    scope.create(&v2, &config(sleeper, "hola"), &version("2"));

    // list: by capability and state
    let listed = docker
        .plugins()
        .list(
            &ListPluginsOptions::new()
                .filter("capability", "logdriver")
                .filter("enabled", "false"),
        )
        .unwrap();
    let mine: Vec<&str> = listed
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| *n == v1 || *n == v2)
        .collect();
    assert_eq!(mine.len(), 2, "{listed:#?}");
    let enabled = docker
        .plugins()
        .list(&ListPluginsOptions::new().filter("enabled", "true"))
        .unwrap();
    assert!(enabled.iter().all(|p| p.name != v1), "{enabled:#?}");
    let bad_filter = docker
        .plugins()
        .list(&ListPluginsOptions::new().filter("colour", "red"))
        .unwrap_err();
    println!("bad filter: {bad_filter}");
    assert!(bad_filter.to_string().contains("colour"), "{bad_filter}");

    // inspect: the config as made, the settings at their defaults
    let inspect = docker.plugin(&v1).inspect().unwrap();
    assert_eq!(inspect.name, v1);
    assert!(!inspect.enabled);
    assert_eq!(
        inspect.config.interface.types,
        [PluginInterfaceType::new("docker", "logdriver", "1.0")]
    );
    assert_eq!(inspect.config.interface.socket, SOCKET);
    assert_eq!(inspect.config.network.kind, "host");
    assert_eq!(inspect.config.env[0].settable, ["value"]);
    assert_eq!(inspect.settings.env, ["GREETING=hello"]);
    assert!(inspect.config.extra.contains_key("rootfs"), "{inspect:#?}");
    // by id too
    assert_eq!(docker.plugin(&inspect.id).inspect().unwrap().name, v1);

    // set: a settable variable, then one the config does not declare
    docker.plugin(&v1).set(&["GREETING=bonjour"]).unwrap();
    assert_eq!(env_of(&docker, &v1), ["GREETING=bonjour"]);
    let undeclared = docker.plugin(&v1).set(&["NOPE=1"]).unwrap_err();
    println!("set an undeclared variable: {undeclared}");
    assert!(matches!(undeclared, Error::Engine { .. }), "{undeclared:?}");

    // push both, then remove them here
    let digest = push(&docker, &v1);
    assert!(digest.starts_with("sha256:"), "{digest}");
    push(&docker, &v2);
    for name in [&v1, &v2] {
        docker
            .plugin(name)
            .remove(&RemovePluginOptions::new())
            .unwrap();
        assert!(docker.plugin(name).inspect().unwrap_err().is_not_found());
    }

    // privileges: what the config asks for
    let asked = docker
        .plugins()
        .privileges(&PluginPrivilegesOptions::new(&v1))
        .unwrap();
    println!("privileges of {v1}: {asked:?}");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(
        (asked[0].name.as_str(), asked[0].value.as_slice()),
        ("network", &["host".to_string()][..])
    );

    // pull without granting them: refused
    let ungranted = docker
        .plugins()
        .pull(&PullPluginOptions::new(&v1).name(&local))
        .and_then(JsonStream::finish)
        .unwrap_err();
    println!("pull without privileges: {ungranted}");
    assert!(ungranted.to_string().contains("privileges"), "{ungranted}");
    assert!(docker.plugin(&local).inspect().unwrap_err().is_not_found());

    // pull with them, under a local name: the pushed plugin with its default settings
    let started = Instant::now();
    let lines: Vec<Progress> = docker
        .plugins()
        .pull(&PullPluginOptions::new(&v1).name(&local).privileges(asked))
        .unwrap()
        .collect::<dockhand::Result<_>>()
        .unwrap();
    println!("pulled {v1} as {local} in {:?}", started.elapsed());
    for line in &lines {
        println!("  pull: {}", line.message());
    }
    assert!(
        lines.iter().any(|l| l.message().contains(&digest)),
        "no {digest} in {lines:?}"
    );
    let pulled = docker.plugin(&local).inspect().unwrap();
    assert_eq!(pulled.name, local);
    assert_eq!(pulled.plugin_reference, v1);
    assert!(!pulled.enabled);
    assert_eq!(pulled.settings.env, ["GREETING=hello"]);
    docker.plugin(&local).set(&["GREETING=salut"]).unwrap();

    // upgrade to :2: its config, the same name, the settings kept
    let asked = docker
        .plugins()
        .privileges(&PluginPrivilegesOptions::new(&v2))
        .unwrap();
    let ungranted = docker
        .plugin(&local)
        .upgrade(&UpgradePluginOptions::new(&v2))
        .and_then(JsonStream::finish)
        .unwrap_err();
    println!("upgrade without privileges: {ungranted}");
    docker
        .plugin(&local)
        .upgrade(&UpgradePluginOptions::new(&v2).privileges(asked))
        .unwrap()
        .finish()
        .unwrap();
    let upgraded = docker.plugin(&local).inspect().unwrap();
    println!(
        "upgraded: reference {}, env {:?}, settings {:?}",
        upgraded.plugin_reference, upgraded.config.env, upgraded.settings.env
    );
    assert_eq!(upgraded.id, pulled.id, "the same plugin");
    assert_eq!(upgraded.plugin_reference, v2);
    assert_eq!(upgraded.config.env[0].value, "hola");
    assert_eq!(upgraded.settings.env, ["GREETING=salut"]);

    docker
        .plugin(&local)
        .remove(&RemovePluginOptions::new())
        .unwrap();
    assert!(docker.plugin(&local).inspect().unwrap_err().is_not_found());
}

/// The shared objects this process has loaded (its C library and dynamic loader among
/// them), from `/proc/self/maps`.
fn loaded_libraries() -> Vec<std::path::PathBuf> {
    let maps = std::fs::read_to_string("/proc/self/maps").expect("read /proc/self/maps");
    let mut found: Vec<std::path::PathBuf> = maps
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .filter(|path| path.starts_with('/') && path.contains(".so"))
        .map(std::path::PathBuf::from)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Not a test of its own: the socket server of the plugin that
/// `enable_and_disable_a_plugin_that_serves_its_socket` makes, run inside the plugin by a
/// copy of this test binary (busybox has nothing that listens on a unix socket). It does
/// nothing unless `DOCKHAND_PLUGIN_SOCKET` is set.
#[test]
fn plugin_socket_server() {
    let Some(path) = std::env::var_os("DOCKHAND_PLUGIN_SOCKET") else {
        return;
    };
    let listener = std::os::unix::net::UnixListener::bind(path).expect("bind the plugin socket");
    for connection in listener.incoming() {
        drop(connection);
    }
}

#[test]
fn enable_and_disable_a_plugin_that_serves_its_socket() {
    let scope = PluginScope::new("plugins-enable");
    let docker = scope.docker().clone();
    if !plugins_supported(&docker) {
        return;
    }
    // This test binary and the libraries it runs with, copied into the plugin, and run
    // there through its dynamic loader.
    let exe = std::fs::read(std::env::current_exe().unwrap()).unwrap();
    let mut extra = vec![("dockhand/listener".to_string(), exe)];
    let mut loader = None;
    for lib in loaded_libraries() {
        let file = lib.file_name().unwrap().to_string_lossy().into_owned();
        if file.starts_with("ld-") {
            loader = Some(file.clone());
        }
        extra.push((format!("dockhand/lib/{file}"), std::fs::read(&lib).unwrap()));
    }
    let run = match &loader {
        Some(ld) => format!("/dockhand/lib/{ld} --library-path /dockhand/lib /dockhand/listener"),
        None => "/dockhand/listener".to_string(),
    };
    let command = format!(
        "trap 'exit 0' TERM; DOCKHAND_PLUGIN_SOCKET=/run/docker/plugins/{SOCKET} \
         {run} --exact plugin_socket_server --test-threads=1 & wait"
    );
    let name = scope.name("", "plugin-listener", ":latest");
    scope.create(&name, &config(&command, "hello"), &extra);
    let plugin = docker.plugin(&name);

    let started = Instant::now();
    plugin.enable(&EnablePluginOptions::new()).unwrap();
    println!("enabled in {:?}", started.elapsed());
    assert!(plugin.inspect().unwrap().enabled);
    let enabled = docker
        .plugins()
        .list(&ListPluginsOptions::new().filter("enabled", "true"))
        .unwrap();
    assert!(enabled.iter().any(|p| p.name == name), "{enabled:#?}");

    // what an enabled plugin refuses: a second enable, settings, a plain remove
    let again = plugin.enable(&EnablePluginOptions::new()).unwrap_err();
    println!("enable twice: {again}");
    assert!(again.is_conflict(), "{again:?}");
    let set = plugin.set(&["GREETING=bonjour"]).unwrap_err();
    println!("set while enabled: {set}");
    assert!(matches!(set, Error::Engine { .. }), "{set:?}");
    let remove = plugin.remove(&RemovePluginOptions::new()).unwrap_err();
    println!("remove while enabled: {remove}");
    assert!(remove.to_string().contains("enabled"), "{remove}");

    let started = Instant::now();
    plugin.disable(&DisablePluginOptions::new()).unwrap();
    println!("disabled in {:?}", started.elapsed());
    assert!(!plugin.inspect().unwrap().enabled);
    let twice = plugin.disable(&DisablePluginOptions::new()).unwrap_err();
    println!("disable twice: {twice}");
    assert!(twice.is_conflict(), "{twice:?}");

    // enabled again (with a timeout of its own) and disabled by force; enabled once more
    // and removed by force
    plugin
        .enable(&EnablePluginOptions::new().timeout(std::time::Duration::from_secs(5)))
        .unwrap();
    plugin
        .disable(&DisablePluginOptions::new().force(true))
        .unwrap();
    assert!(!plugin.inspect().unwrap().enabled);
    plugin.enable(&EnablePluginOptions::new()).unwrap();
    plugin
        .remove(&RemovePluginOptions::new().force(true))
        .unwrap();
    assert!(plugin.inspect().unwrap_err().is_not_found());
}

#[test]
fn names_are_checked_before_sending_and_missing_plugins_are_not_found() {
    let docker = common::docker();
    for bad in ["", "..", "a/../b", "a//b"] {
        let err = docker.plugin(bad).inspect().unwrap_err();
        assert!(matches!(err, Error::Setting { .. }), "{bad:?}: {err:?}");
    }
    let err = docker.plugins().create("", std::io::empty()).unwrap_err();
    assert!(matches!(err, Error::Setting { .. }), "{err:?}");
    let err = docker
        .plugins()
        .privileges(&PluginPrivilegesOptions::new(""))
        .unwrap_err();
    assert!(matches!(err, Error::Setting { .. }), "{err:?}");
    if !plugins_supported(&docker) {
        return;
    }
    let missing = format!("dockhand-test/no-such-plugin-{}", std::process::id());
    let err = docker.plugin(&missing).inspect().unwrap_err();
    println!("missing: {err}");
    assert!(err.is_not_found(), "{err:?}");
    let err = docker
        .plugin(&missing)
        .enable(&EnablePluginOptions::new())
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
