//! The [`Containers`] and [`Container`] handles, with every container call.

use std::io::Read;
use std::time::Duration;

use serde::Deserialize;

use super::archive::{container_path, path_stat_header};
use super::{
    read_logs, Archive, ContainerConfig, ContainerGuard, ContainerInspect, ContainerSummary,
    ContainersPruned, Created, FilesystemChange, ListContainersOptions, LogsOptions, PathStat,
    ProcessList, PruneContainersOptions, PutArchiveOptions, Stats, TarReader, UpdateConfig,
    WaitCondition, WaitOptions, WaitResult, Waiting,
};
use crate::client::{encode_segment, object_id, Docker, Response};
use crate::error::{Error, Result};
use crate::json::null_as_default;
use crate::stream::JsonStream;
use crate::stream::OutputStream;

/// The containers of an engine: `docker.containers()`.
#[derive(Clone, Debug)]
pub struct Containers {
    docker: Docker,
}

/// One container, by id or name: `docker.container("web")`.
#[derive(Clone, Debug)]
pub struct Container {
    docker: Docker,
    id: String,
}

impl Docker {
    /// The engine's containers: list and create.
    pub fn containers(&self) -> Containers {
        Containers {
            docker: self.clone(),
        }
    }

    /// One container, by id, id prefix or name. Nothing is sent until a call is made.
    pub fn container(&self, id: impl Into<String>) -> Container {
        Container {
            docker: self.clone(),
            id: id.into(),
        }
    }
}

/// Flags for [`Container::remove`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RemoveOptions {
    force: bool,
    volumes: bool,
    link: bool,
}

impl RemoveOptions {
    /// Remove a stopped container, keep its anonymous volumes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Kill it first if it runs.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Remove its anonymous volumes too.
    pub fn volumes(mut self, volumes: bool) -> Self {
        self.volumes = volumes;
        self
    }

    /// Remove a link, not a container: the handle then names the link as
    /// `/parent/alias`, as in `docker.container("/web/db")` for a container `web` made with
    /// the link `db`. Both containers stay.
    pub fn link(mut self, link: bool) -> Self {
        self.link = link;
        self
    }
}

/// Default grace period of `docker stop`, when neither the call nor the container sets one.
const DEFAULT_STOP_GRACE: Duration = Duration::from_secs(10);

impl Containers {
    /// Lists containers (running ones unless `all`).
    pub fn list(&self, options: &ListContainersOptions) -> Result<Vec<ContainerSummary>> {
        self.docker
            .get("/containers/json".into())
            .flag("all", options.all)
            .query_opt("limit", options.limit)
            .flag("size", options.size)
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Creates a container with a name the engine chooses.
    pub fn create(&self, config: &ContainerConfig) -> Result<Created> {
        self.create_inner(None, config)
    }

    /// Creates a container called `name`.
    pub fn create_named(&self, name: &str, config: &ContainerConfig) -> Result<Created> {
        self.create_inner(Some(name), config)
    }

    /// Creates a container and returns a guard that removes it (with force, and its
    /// anonymous volumes) when dropped, also when a panic unwinds. The guard derefs to the
    /// [`Container`].
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{ContainerConfig, Docker};
    /// let docker = Docker::from_env()?;
    /// let server = docker
    ///     .containers()
    ///     .create_guarded(&ContainerConfig::new("nginx"))?;
    /// server.start()?;
    /// // ... talk to it; it is removed at the end of the scope, whatever happens.
    /// # Ok(()) }
    /// ```
    pub fn create_guarded(&self, config: &ContainerConfig) -> Result<ContainerGuard> {
        let created = self.create(config)?;
        Ok(ContainerGuard::new(self.docker.container(&created.id)).with_warnings(created))
    }

    /// Removes every stopped container that matches the filters (all stopped containers
    /// when there are none: mind other people's containers). Filters: `label` (`key`,
    /// `key=value`), `label!`, `until` (a time, such as `10m` or an RFC 3339 date).
    ///
    /// The engine runs one prune at a time, of any kind: while another runs, this fails
    /// with [`Error::is_conflict`] (`a prune operation is already running`); try again.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::container::PruneContainersOptions;
    /// let docker = Docker::from_env()?;
    /// let pruned = docker
    ///     .containers()
    ///     .prune(&PruneContainersOptions::new().filter("label", "app=ci"))?;
    /// println!("{} removed, {} bytes freed", pruned.containers_deleted.len(), pruned.space_reclaimed);
    /// # Ok(()) }
    /// ```
    pub fn prune(&self, options: &PruneContainersOptions) -> Result<ContainersPruned> {
        self.docker
            .post("/containers/prune".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    fn create_inner(&self, name: Option<&str>, config: &ContainerConfig) -> Result<Created> {
        if config.image.is_empty() {
            return Err(Error::setting(
                "ContainerConfig::image",
                "",
                "the name of an image, such as busybox:latest",
            ));
        }
        self.docker
            .post("/containers/create".into())
            .query_opt("name", name)
            .json(config)
            .send()?
            .json()
    }
}

impl Container {
    /// The id or name this handle was made with.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The client this handle calls through.
    pub(crate) fn docker(&self) -> &Docker {
        &self.docker
    }

    fn path(&self, tail: &str) -> Result<String> {
        let id = object_id("container id", &self.id)?;
        Ok(format!("/containers/{}{tail}", encode_segment(id)))
    }

    /// Everything the engine knows about the container.
    pub fn inspect(&self) -> Result<ContainerInspect> {
        self.docker.get(self.path("/json")?).send()?.json()
    }

    /// Starts it. Starting a running container is not an error.
    pub fn start(&self) -> Result<()> {
        self.docker.post(self.path("/start")?).send()?.drain()
    }

    /// Stops it: its stop signal (`SIGTERM` by default), then `SIGKILL` after `grace` (the
    /// container's own `StopTimeout`, else 10 s, when `None`). The call's deadline grows by
    /// the grace period. Stopping a stopped container is not an error.
    pub fn stop(&self, grace: Option<Duration>) -> Result<()> {
        self.stop_or_restart("/stop", grace)
    }

    /// Restarts it, waiting `grace` for it to stop (as [`stop`](Self::stop)).
    pub fn restart(&self, grace: Option<Duration>) -> Result<()> {
        self.stop_or_restart("/restart", grace)
    }

    fn stop_or_restart(&self, action: &str, grace: Option<Duration>) -> Result<()> {
        // The engine takes whole seconds: round up, so that a short grace is never zero
        // (which would kill at once).
        let seconds = grace.map(|g| g.as_secs() + u64::from(g.subsec_nanos() > 0));
        let wait = match seconds {
            Some(s) => Duration::from_secs(s),
            // Without `t` the engine waits the container's own StopTimeout: find out how
            // long that is, so the deadline does not run out first.
            None => match self.inspect()?.config.stop_timeout {
                Some(s) if s < 0 => crate::settings::MAX_TIMEOUT,
                Some(s) => Duration::from_secs(s.unsigned_abs()),
                None => DEFAULT_STOP_GRACE,
            },
        };
        self.docker
            .post(self.path(action)?)
            .query_opt("t", seconds)
            .extend_deadline(wait)
            .send()?
            .drain()
    }

    /// Sends a signal (`SIGKILL` when `None`; names like `SIGHUP` or `HUP`, or numbers).
    pub fn kill(&self, signal: Option<&str>) -> Result<()> {
        self.docker
            .post(self.path("/kill")?)
            .query_opt("signal", signal)
            .send()?
            .drain()
    }

    /// Waits until it stops, and returns its exit code. No timeout applies: a container may
    /// run for as long as it likes. See [`wait_with`](Self::wait_with) for a wait that
    /// another thread can cancel, or that waits for another condition.
    pub fn wait(&self) -> Result<WaitResult> {
        self.wait_with(&WaitOptions::new())?.result()
    }

    /// Starts waiting: returns once the engine has registered the wait (so a container
    /// started after this call cannot be missed), with a handle to cancel it and to take the
    /// result.
    pub fn wait_with(&self, options: &WaitOptions) -> Result<Waiting> {
        let (response, cancel) = self
            .docker
            .post(self.path("/wait")?)
            .query_opt("condition", options.condition.map(WaitCondition::as_str))
            .prompt()
            .send_stream()?;
        Ok(Waiting { response, cancel })
    }

    /// Removes it (or, with [`RemoveOptions::link`], the link this handle names).
    pub fn remove(&self, options: &RemoveOptions) -> Result<()> {
        let path = if options.link {
            self.link_path()?
        } else {
            self.path("")?
        };
        self.docker
            .delete(path)
            .flag("force", options.force)
            .flag("v", options.volumes)
            .flag("link", options.link)
            .send()?
            .drain()
    }

    /// The path of a link named `/parent/alias`: two checked segments.
    pub(super) fn link_path(&self) -> Result<String> {
        let name = self.id.strip_prefix('/').unwrap_or(&self.id);
        match name.split('/').collect::<Vec<_>>()[..] {
            [parent, alias]
                if [parent, alias]
                    .iter()
                    .all(|s| !s.is_empty() && *s != "." && *s != "..") =>
            {
                Ok(format!(
                    "/containers/{}/{}",
                    encode_segment(parent),
                    encode_segment(alias)
                ))
            }
            _ => Err(Error::setting(
                "link name",
                &self.id,
                "a link's name as `/parent/alias`, such as /web/db",
            )),
        }
    }

    /// Pauses every process in it (the cgroup freezer); [`unpause`](Self::unpause) resumes
    /// them.
    pub fn pause(&self) -> Result<()> {
        self.docker.post(self.path("/pause")?).send()?.drain()
    }

    /// Resumes a paused container.
    pub fn unpause(&self) -> Result<()> {
        self.docker.post(self.path("/unpause")?).send()?.drain()
    }

    /// Renames it. This handle keeps the id or name it was made with: after renaming by
    /// name, use `docker.container(new_name)`.
    pub fn rename(&self, new_name: &str) -> Result<()> {
        self.docker
            .post(self.path("/rename")?)
            .query("name", new_name)
            .send()?
            .drain()
    }

    /// Changes its resources or restart policy while it exists (running or not), and
    /// returns the engine's warnings.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::Docker;
    /// use dockhand::container::UpdateConfig;
    /// let docker = Docker::from_env()?;
    /// let limits = UpdateConfig::new().memory(512 << 20).memory_swap(-1);
    /// for warning in docker.container("web").update(&limits)? {
    ///     eprintln!("{warning}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn update(&self, config: &UpdateConfig) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Answer {
            #[serde(default, deserialize_with = "null_as_default")]
            warnings: Vec<String>,
        }
        let answer: Answer = self
            .docker
            .post(self.path("/update")?)
            .json(config)
            .send()?
            .json()?;
        Ok(answer.warnings)
    }

    /// The processes running in it, as `ps` lists them (`ps_args` such as `aux`; the
    /// engine's default is `-ef`). It must be running.
    pub fn top(&self, ps_args: Option<&str>) -> Result<ProcessList> {
        self.docker
            .get(self.path("/top")?)
            .query_opt("ps_args", ps_args)
            .send()?
            .json()
    }

    /// The files added, changed or deleted in it since it was created from its image.
    pub fn changes(&self) -> Result<Vec<FilesystemChange>> {
        let changes: Option<Vec<FilesystemChange>> =
            self.docker.get(self.path("/changes")?).send()?.json()?;
        Ok(changes.unwrap_or_default())
    }

    /// One sample of its resource use. The engine takes two readings a second apart, so
    /// that [`Stats::cpu_percent`] can be worked out: this takes about a second or two.
    pub fn stats(&self) -> Result<Stats> {
        self.docker
            .get(self.path("/stats")?)
            .query("stream", "0")
            .send()?
            .json()
    }

    /// Its resource use, a sample about every second. The stream goes on until it is
    /// cancelled through [`JsonStream::cancel_handle`] (or dropped), or the container is
    /// removed: while the container is stopped, the engine keeps sending empty samples
    /// ([`Stats::is_empty`]).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// for sample in docker.container("web").stats_stream()?.take(5) {
    ///     let sample = sample?;
    ///     println!("{:.1}% cpu, {} bytes", sample.cpu_percent().unwrap_or(0.0),
    ///              sample.memory_stats.usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stats_stream(&self) -> Result<JsonStream<Stats>> {
        let response = self
            .docker
            .get(self.path("/stats")?)
            .query("stream", "1")
            .streaming()
            .prompt()
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Its whole filesystem as a tar archive, read as it comes (in constant memory). See
    /// [`TarReader`] for its timeouts.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let mut tar = docker.container("web").export()?;
    /// std::io::copy(&mut tar, &mut std::fs::File::create("web.tar")?)?;
    /// # Ok(()) }
    /// ```
    pub fn export(&self) -> Result<TarReader> {
        let response = self.large(self.docker.get(self.path("/export")?))?;
        Ok(TarReader::new(response.into_parts()))
    }

    /// A file or folder of it as a tar archive (`docker cp` from the container), with what
    /// the engine says about the path. Works on stopped containers too. The archive is read
    /// as it comes, in constant memory.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let mut archive = docker.container("web").get_archive("/etc/hostname")?;
    /// println!("{} is {} bytes", archive.stat.name, archive.stat.size);
    /// std::io::copy(&mut archive, &mut std::io::sink())?;
    /// # Ok(()) }
    /// ```
    pub fn get_archive(&self, path: &str) -> Result<Archive> {
        let request = self
            .docker
            .get(self.path("/archive")?)
            .query("path", container_path(path)?);
        let response = self.large(request)?;
        let stat = path_stat_header(&response)?;
        Ok(Archive {
            stat,
            tar: TarReader::new(response.into_parts()),
        })
    }

    /// Unpacks a tar archive into the folder `path` of the container (`docker cp` into the
    /// container), streaming it from `tar` in constant memory. The folder must exist.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dockhand::Docker;
    /// use dockhand::container::PutArchiveOptions;
    /// let docker = Docker::from_env()?;
    /// let tar = std::fs::File::open("site.tar")?;
    /// docker.container("web").put_archive("/srv", tar, &PutArchiveOptions::new())?;
    /// # Ok(()) }
    /// ```
    pub fn put_archive(
        &self,
        path: &str,
        tar: impl Read + Send + 'static,
        options: &PutArchiveOptions,
    ) -> Result<()> {
        let request = self
            .docker
            .request("PUT", &self.path("/archive")?)
            .query("path", container_path(path)?)
            .flag("noOverwriteDirNonDir", options.no_overwrite_dir_non_dir)
            .flag("copyUIDGID", options.copy_uid_gid)
            .body(tar, "application/x-tar");
        self.large(request)?.drain()
    }

    /// What the engine says about a path in the container, without reading it (a `HEAD`
    /// request). A missing container or path is [`Error::is_not_found`].
    pub fn stat_path(&self, path: &str) -> Result<PathStat> {
        let response = self
            .docker
            .request("HEAD", &self.path("/archive")?)
            .query("path", container_path(path)?)
            .send()
            .map_err(|e| match e {
                // A HEAD answer has no body, so the engine's message is lost: say what a
                // 404 means here.
                Error::Engine {
                    status,
                    message,
                    request,
                } if message.is_empty() => Error::Engine {
                    message: match status {
                        404 => format!("no such container, or no such path in it: {path}"),
                        _ => "(the engine's message is not sent in answer to HEAD)".into(),
                    },
                    status,
                    request,
                },
                e => e,
            })?;
        let stat = path_stat_header(&response)?;
        response.drain()?;
        Ok(stat)
    }

    /// Sets the size of its TTY, in characters (a container made with a TTY, running).
    pub fn resize(&self, height: u32, width: u32) -> Result<()> {
        self.docker
            .post(self.path("/resize")?)
            .query("h", &height.to_string())
            .query("w", &width.to_string())
            .send()?
            .drain()
    }

    /// Sends a large transfer: no whole-request deadline (a big archive may take longer
    /// than `DOCKER_TIMEOUT`), but it fails when no byte comes for that long.
    fn large(&self, request: crate::client::Request) -> Result<Response> {
        request
            .streaming()
            .idle_timeout(Some(self.docker.settings().timeout))
            .send()
    }

    /// Its output: stdout and stderr apart (raw bytes for a TTY container), as a stream that
    /// with `follow` goes on until the container stops.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, LogsOptions};
    /// let docker = Docker::from_env()?;
    /// for chunk in docker.container("web").logs(&LogsOptions::new().follow(true))? {
    ///     let chunk = chunk?;
    ///     print!("{:?}: {}", chunk.stream, String::from_utf8_lossy(&chunk.data));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn logs(&self, options: &LogsOptions) -> Result<OutputStream> {
        let tty = || Ok(self.inspect()?.config.tty.unwrap_or(false));
        read_logs(&self.docker, self.path("/logs")?, options, &tty)
    }
}
