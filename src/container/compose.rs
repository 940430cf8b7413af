//! What `docker compose` started, driven from a script: a project's containers (or one
//! service's), found by the labels compose puts on them, listed, stopped, removed.

use std::time::Duration;

use super::{ContainerSummary, ListContainersOptions, RemoveOptions};
use crate::client::Docker;
use crate::error::{Error, Result};
use crate::network::ListNetworksOptions;

/// The label naming a container's (or network's, or volume's) compose project.
pub const COMPOSE_PROJECT_LABEL: &str = "com.docker.compose.project";
/// The label naming a container's compose service.
pub const COMPOSE_SERVICE_LABEL: &str = "com.docker.compose.service";
/// The label numbering a service's containers (`1`, `2`, ... when scaled).
pub const COMPOSE_NUMBER_LABEL: &str = "com.docker.compose.container-number";

/// The containers of a compose project, or of some of its services: see
/// [`Docker::compose_project`]. Nothing is sent until a call is made, and each call looks
/// the containers up again, so it sees what compose did meanwhile.
///
/// Containers are found by their labels, so this works whatever started them (`docker
/// compose`, `podman-compose` with its Docker labels, a script), and it needs no compose
/// binary. One-off containers (`docker compose run`) are included.
#[derive(Clone, Debug)]
pub struct ComposeProject {
    docker: Docker,
    project: String,
    services: Vec<String>,
}

impl Docker {
    /// The containers that compose made for the project `name` (the folder's name, or
    /// `-p`/`COMPOSE_PROJECT_NAME`), to list, stop and remove them.
    ///
    /// ```no_run
    /// fn main() -> dockhand::Result<()> {
    ///     let docker = dockhand::Docker::from_env()?;
    ///     let shop = docker.compose_project("shop");
    ///     for c in shop.containers()? {
    ///         println!("{} {} {}", c.name(), c.state, c.status);
    ///     }
    ///     shop.service("worker").stop(None)?; // what `docker compose stop worker` does
    ///     shop.down()?;                       // `docker compose down`
    ///     Ok(())
    /// }
    /// ```
    pub fn compose_project(&self, name: impl Into<String>) -> ComposeProject {
        ComposeProject {
            docker: self.clone(),
            project: name.into(),
            services: Vec::new(),
        }
    }
}

impl ComposeProject {
    /// The project's name.
    pub fn name(&self) -> &str {
        &self.project
    }

    /// The same project narrowed to the containers of the service `name`; call it on
    /// the result to add services (the containers of any of them).
    #[must_use]
    pub fn service(&self, name: impl Into<String>) -> ComposeProject {
        let mut narrowed = self.clone();
        narrowed.services.push(name.into());
        narrowed
    }

    /// Its containers, running or not, by service and then number (as `docker compose ps
    /// -a` lists them).
    pub fn containers(&self) -> Result<Vec<ContainerSummary>> {
        if self.project.is_empty() {
            return Err(Error::setting(
                "compose project",
                "",
                "the name of a compose project, such as myapp",
            ));
        }
        let mut options = ListContainersOptions::new().all(true).filter(
            "label",
            &format!("{COMPOSE_PROJECT_LABEL}={}", self.project),
        );
        // The engine ANDs label filters: one service is filtered there, several here.
        if let [service] = &self.services[..] {
            options = options.filter("label", &format!("{COMPOSE_SERVICE_LABEL}={service}"));
        }
        let mut found = self.docker.containers().list(&options)?;
        found.retain(|c| self.services.is_empty() || self.services.contains(&service_of(c)));
        found.sort_by_key(|c| {
            let number = c.labels.get(COMPOSE_NUMBER_LABEL);
            (
                service_of(c),
                number.and_then(|n| n.parse::<u64>().ok()),
                c.name().to_string(),
            )
        });
        Ok(found)
    }

    /// The names of its services that have containers, sorted.
    pub fn services(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = self.containers()?.iter().map(service_of).collect();
        names.dedup();
        Ok(names)
    }

    /// Starts its containers, all at once (a running one is left as it is); returns them.
    pub fn start(&self) -> Result<Vec<ContainerSummary>> {
        let found = self.containers()?;
        self.each(found, |id| self.docker.container(id).start())
    }

    /// Stops its containers, all at once, as `docker compose stop`: each running one gets
    /// its stop signal, then `SIGKILL` after `grace` (its own `StopTimeout`, else 10 s,
    /// when `None`); a stopped one is left as it is. Returns them.
    ///
    /// Each is asked whatever the list says of its state, as the engine's list may lag
    /// a start or stop by a moment (Docker 26 does).
    pub fn stop(&self, grace: Option<Duration>) -> Result<Vec<ContainerSummary>> {
        let found = self.containers()?;
        self.each(found, |id| self.docker.container(id).stop(grace))
    }

    /// Removes its containers, as `docker compose rm`: with [`RemoveOptions::force`]
    /// running ones too (killed first), else only stopped ones (a running one is an
    /// error); with [`RemoveOptions::volumes`] their anonymous volumes too. Returns the
    /// containers it removed.
    pub fn remove(&self, options: &RemoveOptions) -> Result<Vec<ContainerSummary>> {
        let found = self.containers()?;
        self.each(found, |id| {
            match self.docker.container(id).remove(options) {
                // Gone meanwhile (compose, or `AutoRemove`): that is what was asked.
                Err(e) if e.is_not_found() => Ok(()),
                other => other,
            }
        })
    }

    /// Takes the project down, as `docker compose down`: stops its containers (10 s
    /// grace), removes them, then removes the project's networks (those with its
    /// [`COMPOSE_PROJECT_LABEL`]). Volumes are kept, as `down` without `-v` keeps them.
    /// Narrowed to services, it leaves the networks alone. Returns the containers removed.
    pub fn down(&self) -> Result<Vec<ContainerSummary>> {
        self.stop(None)?;
        let removed = self.remove(&RemoveOptions::new().force(true))?;
        if self.services.is_empty() {
            let options = ListNetworksOptions::new().filter(
                "label",
                &format!("{COMPOSE_PROJECT_LABEL}={}", self.project),
            );
            for network in self.docker.networks().list(&options)? {
                match self.docker.network(&network.id).remove() {
                    Err(e) if !e.is_not_found() => return Err(e),
                    _ => {}
                }
            }
        }
        Ok(removed)
    }

    /// Runs `call` on each container, up to 16 at once (compose acts on a project's
    /// containers in parallel too), and returns them, or the first error once every call
    /// has ended.
    fn each(
        &self,
        containers: Vec<ContainerSummary>,
        call: impl Fn(&str) -> Result<()> + Sync,
    ) -> Result<Vec<ContainerSummary>> {
        let mut first_error = None;
        for batch in containers.chunks(16) {
            std::thread::scope(|s| {
                let calls: Vec<_> = batch.iter().map(|c| s.spawn(|| call(&c.id))).collect();
                for handle in calls {
                    let result = handle.join().unwrap_or_else(|_| {
                        Err(Error::Io {
                            source: std::io::Error::other(
                                "a thread acting on a compose container panicked",
                            ),
                        })
                    });
                    if let Err(e) = result {
                        first_error.get_or_insert(e);
                    }
                }
            });
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(containers),
        }
    }
}

/// A container's compose service (empty when it has none).
fn service_of(container: &ContainerSummary) -> String {
    container
        .labels
        .get(COMPOSE_SERVICE_LABEL)
        .cloned()
        .unwrap_or_default()
}
