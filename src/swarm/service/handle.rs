//! The [`Services`] and [`Service`] handles, their options, and every service call.

use super::{ServiceCreated, ServiceInspect, ServiceMode, ServiceSpec, ServiceUpdated, TaskSpec};
use crate::client::{encode_segment, object_id, Docker, Request};
use crate::container::{read_logs, LogsOptions};
use crate::error::{Error, Result};
use crate::json::Filters;
use crate::settings::{registry_auth_header, Auth, Credentials};
use crate::stream::OutputStream;

/// The services of the swarm: `docker.services()`.
#[derive(Clone, Debug)]
pub struct Services {
    docker: Docker,
}

/// One service, by id or name: `docker.service("web")`.
#[derive(Clone, Debug)]
pub struct Service {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The swarm's services: list and create (ask a manager).
    pub fn services(&self) -> Services {
        Services {
            docker: self.clone(),
        }
    }

    /// One service, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn service(&self, id: impl Into<String>) -> Service {
        Service {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

/// Filters and flags for [`Services::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListServicesOptions {
    filters: Filters,
    status: bool,
}

impl ListServicesOptions {
    /// Every service.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter, as `docker service ls --filter key=value`: `id`, `label` (`key` or
    /// `key=value`), `mode` (`replicated`, `global`), `name`. Several values for one key
    /// match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Also count each service's running and desired tasks
    /// ([`ServiceInspect::service_status`]).
    pub fn status(mut self, on: bool) -> Self {
        self.status = on;
        self
    }
}

/// Registry credentials for the image of a service, for [`Services::create_with`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CreateServiceOptions {
    credentials: Option<Credentials>,
    auth: Option<Auth>,
}

impl CreateServiceOptions {
    /// No credentials: the nodes pull the image anonymously.
    pub fn new() -> Self {
        Self::default()
    }

    /// Log in to the image's registry with these (they win over
    /// [`auth`](Self::auth)). The swarm keeps them with the service, for the nodes'
    /// pulls, as `docker service create --with-registry-auth` does.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here (`Auth::from_env()?` for what
    /// `docker login` saved).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }
}

/// Flags and registry credentials for [`Service::update_with`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct UpdateServiceOptions {
    credentials: Option<Credentials>,
    auth: Option<Auth>,
    previous_auth: bool,
    rollback: bool,
}

impl UpdateServiceOptions {
    /// Keep the registry credentials the service has.
    pub fn new() -> Self {
        Self::default()
    }

    /// Send new registry credentials for the image (they win over
    /// [`auth`](Self::auth)).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find new registry credentials for the image here.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Without new credentials, take them from the previous spec instead of the current
    /// one (`registryAuthFrom=previous-spec`, for a rollback).
    pub fn previous_auth(mut self, on: bool) -> Self {
        self.previous_auth = on;
        self
    }

    /// Roll back to the previous spec (`rollback=previous`); the spec sent must still be
    /// the current one.
    pub fn rollback(mut self, on: bool) -> Self {
        self.rollback = on;
        self
    }
}

/// Adds `X-Registry-Auth` for the registry of `image`, when there are credentials.
fn with_registry_auth(
    request: Request,
    image: &str,
    credentials: Option<&Credentials>,
    auth: Option<&Auth>,
) -> Result<Request> {
    let found = match (credentials, auth) {
        (Some(c), _) => Some(c.clone()),
        (None, Some(auth)) => auth.credentials_for_image(image)?,
        (None, None) => None,
    };
    Ok(match found {
        Some(c) => request.header(
            "X-Registry-Auth",
            &registry_auth_header(Some(&c), &Auth::server_for_image(image)),
        ),
        None => request,
    })
}

pub(super) fn has_tty(spec: &TaskSpec) -> bool {
    spec.container_spec
        .as_ref()
        .and_then(|c| c.tty)
        .unwrap_or(false)
}

impl Services {
    /// Lists services.
    pub fn list(&self, options: &ListServicesOptions) -> Result<Vec<ServiceInspect>> {
        self.docker
            .get("/services".into())
            .query_opt("filters", options.filters.to_query())
            .flag("status", options.status)
            .send()?
            .json()
    }

    /// Creates a service: the swarm starts its tasks at once, and keeps them running.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::swarm::ServiceSpec;
    /// let docker = Docker::from_env()?;
    /// let created = docker
    ///     .services()
    ///     .create(&ServiceSpec::new("nginx:1.25").name("web").replicas(2))?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self, spec: &ServiceSpec) -> Result<ServiceCreated> {
        self.create_with(spec, &CreateServiceOptions::new())
    }

    /// Creates a service, with registry credentials for its image.
    pub fn create_with(
        &self,
        spec: &ServiceSpec,
        options: &CreateServiceOptions,
    ) -> Result<ServiceCreated> {
        let request = self.docker.post("/services/create".into()).json(spec);
        with_registry_auth(
            request,
            spec.image(),
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?
        .send()?
        .json()
    }
}

/// How often [`Service::scale`] tries when another update comes in between.
const SCALE_ATTEMPTS: usize = 3;

impl Service {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("service id", &self.id)?;
        Ok(format!("/services/{}{tail}", encode_segment(id)))
    }

    /// The service: its spec, version and endpoint.
    pub fn inspect(&self) -> Result<ServiceInspect> {
        self.docker.get(self.path("")?).send()?.json()
    }

    /// The service with the engine's defaults filled into its spec (as
    /// `docker service inspect` shows them).
    pub fn inspect_with_defaults(&self) -> Result<ServiceInspect> {
        self.docker
            .get(self.path("")?)
            .query("insertDefaults", "true")
            .send()?
            .json()
    }

    /// Replaces the service's spec with `spec`, made from the version `version` of its
    /// record ([`ServiceInspect::version`]). The whole spec is sent: start from the one
    /// [`inspect`](Self::inspect) gave. If the service changed since that version, the
    /// engine refuses the update ("update out of sequence"): inspect again and retry.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// let docker = Docker::from_env()?;
    /// let web = docker.service("web");
    /// let current = web.inspect()?;
    /// let spec = current.spec.clone().env("MODE", "maintenance");
    /// web.update(current.version.index, &spec)?;
    /// # Ok(()) }
    /// ```
    pub fn update(&self, version: u64, spec: &ServiceSpec) -> Result<ServiceUpdated> {
        self.update_with(version, spec, &UpdateServiceOptions::new())
    }

    /// [`update`](Self::update), with registry credentials or a rollback.
    pub fn update_with(
        &self,
        version: u64,
        spec: &ServiceSpec,
        options: &UpdateServiceOptions,
    ) -> Result<ServiceUpdated> {
        let fresh_auth = options.credentials.is_some() || options.auth.is_some();
        let request = self
            .docker
            .post(self.path("/update")?)
            .query("version", &version.to_string())
            .query_opt(
                "registryAuthFrom",
                (!fresh_auth && options.previous_auth).then_some("previous-spec"),
            )
            .query_opt("rollback", options.rollback.then_some("previous"))
            .json(spec);
        with_registry_auth(
            request,
            spec.image(),
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?
        .send()?
        .json()
    }

    /// Sets the number of replicas: inspects the service, changes its replicas, and
    /// updates it with the version inspect gave (trying again, up to three times, when
    /// another update came in between). A global service cannot be scaled.
    pub fn scale(&self, replicas: u64) -> Result<ServiceUpdated> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let current = self.inspect()?;
            let mut spec = current.spec;
            let mode = spec.mode.get_or_insert_with(|| ServiceMode::replicated(1));
            match mode.replicated.as_mut() {
                Some(replicated) => replicated.replicas = Some(replicas),
                None => {
                    return Err(Error::setting(
                        "replicas",
                        &replicas.to_string(),
                        format!("a replicated service: {} is not one", self.id),
                    ))
                }
            }
            // By id: a name could meanwhile name another service.
            match self
                .docker
                .service(&current.id)
                .update(current.version.index, &spec)
            {
                Err(e) if attempt < SCALE_ATTEMPTS && e.is_out_of_sequence() => continue,
                other => return other,
            }
        }
    }

    /// Removes the service; the swarm stops and removes its tasks (in the background:
    /// their containers may linger a few seconds).
    pub fn remove(&self) -> Result<()> {
        self.docker.delete(self.path("")?).send()?.drain()
    }

    /// The output of the service's tasks, as it arrives: an iterator of chunks. The
    /// engine needs a logging driver that can be read back (such as the default
    /// `json-file`).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, LogsOptions};
    /// let docker = Docker::from_env()?;
    /// let output = docker.service("web").logs(&LogsOptions::new().tail(10))?;
    /// print!("{}", output.collect_output()?.stdout_text());
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, options: &LogsOptions) -> Result<OutputStream> {
        let tty = || Ok(has_tty(&self.inspect()?.spec.task_template));
        read_logs(&self.docker, self.path("/logs")?, options, &tty)
    }
}
