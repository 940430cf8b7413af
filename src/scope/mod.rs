//! Clean-up that survives a killed run: a [`Scope`] labels what a test or a script makes
//! (containers, networks, volumes, images) and removes it all when it ends, and the next
//! run removes what the scopes of killed processes left.
//!
//! ```no_run
//! use dockhand::network::NetworkConfig;
//! use dockhand::scope::Scope;
//! use dockhand::{ContainerConfig, Docker, HostConfig};
//!
//! // in a test: `#[test] fn web_answers() -> dockhand::Result<()>`
//! fn web_answers() -> dockhand::Result<()> {
//!     let docker = Docker::from_env()?;
//!     let scope = Scope::new(&docker)?; // also removes what killed runs left
//!     docker.networks().create(&scope.mark(NetworkConfig::new("web-test")))?;
//!     let web = docker.containers().create(&scope.mark(
//!         ContainerConfig::new("nginx").host_config(HostConfig::new().network_mode("web-test")),
//!     ))?;
//!     docker.container(&web.id).start()?;
//!     // ... a failed assert or a panic still removes both, when `scope` drops
//!     Ok(())
//! }
//! # fn main() { let _ = web_answers(); }
//! ```

mod owner;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use self::owner::Owner;
use crate::client::Docker;
use crate::container::{ContainerConfig, ListContainersOptions, RemoveOptions};
use crate::error::{Error, Result};
use crate::image::{BuildOptions, ListImagesOptions, RemoveImageOptions};
use crate::network::{ListNetworksOptions, NetworkConfig};
use crate::volume::{ListVolumesOptions, RemoveVolumeOptions, VolumeConfig};

/// The label every object of a scope carries; its value names the scope.
pub const LABEL: &str = "dockhand.scope";

/// What a test, a test binary or a script makes on the engine, removed when it ends.
///
/// Each scope has a label value of its own ([`value`](Self::value)); what is made with a
/// config that [`mark`](Self::mark) labelled (a container, a network, a volume, a built
/// image) is removed when the scope is dropped, also when a test fails or panics:
/// containers first (forced, with their anonymous volumes), then networks, volumes and
/// images. [`close`](Self::close) does the same and reports what failed.
///
/// A process killed before its scopes drop (`SIGKILL`, a CI timeout, Ctrl-C with
/// `panic = "abort"`) leaves its objects behind. So the value also records the process
/// (its pid, its start time, its pid namespace, the boot and the machine), and the first
/// `Scope::new` of each process, for each engine, removes the objects of every scope whose
/// process is gone: the next run starts clean, with no reaper container. A process that
/// is alive, or that cannot be checked from here (on another machine sharing the engine,
/// or in another pid namespace), keeps its objects. Checking needs Linux's `/proc`;
/// elsewhere nothing is taken to be gone.
///
/// Safe with many threads: make one scope per test; each removes only its own objects,
/// and a scope's objects are never taken for a dead process's while it lives.
///
/// ```no_run
/// fn main() -> dockhand::Result<()> {
///     use dockhand::scope::Scope;
///     use dockhand::volume::VolumeConfig;
///     let docker = dockhand::Docker::from_env()?;
///     let scope = Scope::new(&docker)?;
///     docker.volumes().create(&scope.mark(VolumeConfig::new().name("cache")))?;
///     let cleaned = scope.close()?; // or let it drop
///     println!("removed {} volume(s)", cleaned.volumes.len());
///     Ok(())
/// }
/// ```
pub struct Scope {
    docker: Docker,
    value: String,
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("label", &LABEL)
            .field("value", &self.value)
            .finish()
    }
}

/// A config that takes labels, so that [`Scope::mark`] can label it: container, network
/// and volume configs, and build options.
pub trait Labels {
    /// The config with the label `key=value` added.
    #[must_use]
    fn with_label(self, key: &str, value: &str) -> Self;
}

impl Labels for ContainerConfig {
    fn with_label(self, key: &str, value: &str) -> Self {
        self.label(key, value)
    }
}

impl Labels for NetworkConfig {
    fn with_label(self, key: &str, value: &str) -> Self {
        self.label(key, value)
    }
}

impl Labels for VolumeConfig {
    fn with_label(self, key: &str, value: &str) -> Self {
        self.label(key, value)
    }
}

impl Labels for BuildOptions {
    fn with_label(self, key: &str, value: &str) -> Self {
        self.label(key, value)
    }
}

/// What a clean-up removed: ids of containers, networks and images, names of volumes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cleaned {
    /// The containers removed.
    pub containers: Vec<String>,
    /// The networks removed.
    pub networks: Vec<String>,
    /// The volumes removed.
    pub volumes: Vec<String>,
    /// The images removed.
    pub images: Vec<String>,
}

impl Cleaned {
    /// Whether nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
            && self.networks.is_empty()
            && self.volumes.is_empty()
            && self.images.is_empty()
    }
}

impl Scope {
    /// A new scope on `docker`'s engine, with a label value no other scope has. The first
    /// call of the process for this engine also removes what the scopes of dead
    /// processes left ([`reap_stale`](Self::reap_stale)); an object that cannot be
    /// removed then is logged and left, not an error. Fails when the engine cannot be
    /// listed.
    pub fn new(docker: &Docker) -> Result<Scope> {
        static REAPED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        {
            // Held while reaping: the process's other first scopes wait, then start clean.
            let mut reaped = REAPED
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let engine = docker.settings().host.to_string();
            if !reaped.contains(&engine) {
                let (cleaned, failure) = sweep(docker, LABEL, &mut stale_filter());
                failure.map_or(Ok(()), |f| f.into_result())?;
                if !cleaned.is_empty() {
                    log::info!(target: "dockhand", "removed what dead processes' scopes left: {cleaned:?}");
                }
                reaped.insert(engine);
            }
        }
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        Ok(Scope {
            docker: docker.clone(),
            value: Owner::current().value(n),
        })
    }

    /// Removes now what the scopes of dead processes left on `docker`'s engine, whatever
    /// this process did before (`Scope::new` does it once per process). Everything is
    /// tried; the first failure, if any, is the error.
    pub fn reap_stale(docker: &Docker) -> Result<Cleaned> {
        let (cleaned, failure) = sweep(docker, LABEL, &mut stale_filter());
        match failure {
            Some(failure) => Err(failure.into_error()),
            None => Ok(cleaned),
        }
    }

    /// The client this scope removes through.
    pub fn docker(&self) -> &Docker {
        &self.docker
    }

    /// This scope's label value, unique to it.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// This scope's label: [`LABEL`] and [`value`](Self::value).
    pub fn label(&self) -> (&'static str, &str) {
        (LABEL, &self.value)
    }

    /// A `label` filter that selects this scope's objects, for a list:
    /// `ListContainersOptions::new().filter("label", &scope.filter())`.
    pub fn filter(&self) -> String {
        format!("{LABEL}={}", self.value)
    }

    /// `config` with this scope's label, so that what it makes is removed with the scope.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{scope::Scope, ContainerConfig, Docker};
    /// let docker = Docker::from_env()?;
    /// let scope = Scope::new(&docker)?;
    /// let config = scope.mark(ContainerConfig::new("busybox").cmd(["sleep", "60"]));
    /// docker.containers().create(&config)?;
    /// # Ok(()) }
    /// ```
    pub fn mark<T: Labels>(&self, config: T) -> T {
        config.with_label(LABEL, &self.value)
    }

    /// Removes everything with this scope's label now: containers (forced, with their
    /// anonymous volumes), networks, volumes, images. The scope stays usable. Everything
    /// is tried; the first failure, if any, is the error.
    pub fn clean(&self) -> Result<Cleaned> {
        let (cleaned, failure) = sweep(&self.docker, &self.filter(), &mut |_| true);
        match failure {
            Some(failure) => Err(failure.into_error()),
            None => Ok(cleaned),
        }
    }

    /// Ends the scope: [`clean`](Self::clean), with the failure as the error, where a drop
    /// can only log it.
    pub fn close(self) -> Result<Cleaned> {
        let result = self.clean();
        std::mem::forget(self);
        result
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if let Err(e) = self.clean() {
            log::warn!(target: "dockhand", "scope {}: clean-up failed: {e}", self.value);
        }
    }
}

/// Selects the label values of scopes whose process is gone (each value checked once).
fn stale_filter() -> impl FnMut(&str) -> bool {
    let here = Owner::current();
    let mut seen: BTreeMap<String, bool> = BTreeMap::new();
    move |value: &str| {
        *seen
            .entry(value.to_string())
            .or_insert_with(|| Owner::parse(value).is_some_and(|owner| owner.is_gone(here)))
    }
}

/// Why a sweep did not remove everything.
enum Failure {
    /// Listing failed: nothing could be known.
    List(Error),
    /// An object could not be removed (the first such error).
    Remove(Error),
}

impl Failure {
    fn into_error(self) -> Error {
        match self {
            Failure::List(e) | Failure::Remove(e) => e,
        }
    }

    /// For `Scope::new`: a removal that failed is logged, not an error.
    fn into_result(self) -> Result<()> {
        match self {
            Failure::List(e) => Err(e),
            Failure::Remove(e) => {
                log::warn!(target: "dockhand", "a dead process's scope: {e}");
                Ok(())
            }
        }
    }
}

/// Removes the objects that the label filter `filter` lists and whose [`LABEL`] value
/// `select` accepts: containers, then networks, volumes and images (newest first, so
/// children go before their parents). Tries everything; returns what it removed and the
/// first failure.
fn sweep(
    docker: &Docker,
    filter: &str,
    select: &mut dyn FnMut(&str) -> bool,
) -> (Cleaned, Option<Failure>) {
    let mut cleaned = Cleaned::default();
    let mut failure: Option<Failure> = None;
    // The first failure, but a failed list wins over a failed removal.
    let mut fail = |f: Failure| match (&failure, &f) {
        (None, _) | (Some(Failure::Remove(_)), Failure::List(_)) => failure = Some(f),
        _ => {}
    };
    let mut chosen =
        |labels: &HashMap<String, String>| labels.get(LABEL).is_some_and(|v| select(v));
    // Gone meanwhile (another process reaping too, AutoRemove): that is what was wanted.
    let gone = |e: &Error| {
        e.is_not_found() || (e.is_conflict() && e.to_string().contains("already in progress"))
    };

    match docker.containers().list(
        &ListContainersOptions::new()
            .all(true)
            .filter("label", filter),
    ) {
        Ok(list) => {
            for c in list.into_iter().filter(|c| chosen(&c.labels)) {
                let options = RemoveOptions::new().force(true).volumes(true);
                match docker.container(&c.id).remove(&options) {
                    Ok(()) => cleaned.containers.push(c.id),
                    Err(e) if gone(&e) => {}
                    Err(e) => fail(Failure::Remove(e)),
                }
            }
        }
        Err(e) => fail(Failure::List(e)),
    }
    match docker
        .networks()
        .list(&ListNetworksOptions::new().filter("label", filter))
    {
        Ok(list) => {
            for n in list.into_iter().filter(|n| chosen(&n.labels)) {
                match docker.network(&n.id).remove() {
                    Ok(()) => cleaned.networks.push(n.id),
                    Err(e) if gone(&e) => {}
                    Err(e) => fail(Failure::Remove(e)),
                }
            }
        }
        Err(e) => fail(Failure::List(e)),
    }
    match docker
        .volumes()
        .list(&ListVolumesOptions::new().filter("label", filter))
    {
        Ok(list) => {
            for v in list.volumes.into_iter().filter(|v| chosen(&v.labels)) {
                match docker.volume(&v.name).remove(&RemoveVolumeOptions::new()) {
                    Ok(()) => cleaned.volumes.push(v.name),
                    Err(e) if gone(&e) => {}
                    Err(e) => fail(Failure::Remove(e)),
                }
            }
        }
        Err(e) => fail(Failure::List(e)),
    }
    match docker
        .images()
        .list(&ListImagesOptions::new().filter("label", filter))
    {
        Ok(mut list) => {
            list.sort_by_key(|i| std::cmp::Reverse(i.created));
            for i in list.into_iter().filter(|i| chosen(&i.labels)) {
                match docker
                    .image(&i.id)
                    .remove(&RemoveImageOptions::new().force(true))
                {
                    Ok(_) => cleaned.images.push(i.id),
                    Err(e) if gone(&e) => {}
                    Err(e) => fail(Failure::Remove(e)),
                }
            }
        }
        Err(e) => fail(Failure::List(e)),
    }
    (cleaned, failure)
}
