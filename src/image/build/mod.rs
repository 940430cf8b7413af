//! Builds: `POST /build` from a tar of the context, or from a folder that dockhand tars on
//! the fly, honouring its `.dockerignore` as the docker CLI does.

mod context;
mod dockerignore;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::{Images, ProgressDetail};
use crate::error::{Error, Result};
use crate::settings::{registry_config_header, Auth};
use crate::stream::{is_bare_id, JsonStream};

pub use context::BuildContext;

/// How to build, for [`Images::build`] and [`Images::build_dir`]: the query parameters of
/// `POST /build`, under their docker CLI names.
///
/// ```
/// use dockhand::BuildOptions;
/// let options = BuildOptions::new()
///     .tag("myapp:1.0")
///     .tag("myapp:latest")
///     .dockerfile("docker/Dockerfile")
///     .build_arg("VERSION", "1.0")
///     .label("org.example.team", "web")
///     .no_cache(true);
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct BuildOptions {
    dockerfile: Option<String>,
    tags: Vec<String>,
    build_args: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
    target: Option<String>,
    no_cache: bool,
    pull: bool,
    platform: Option<String>,
    network_mode: Option<String>,
    cache_from: Vec<String>,
    extra_hosts: Vec<String>,
    shm_size: Option<i64>,
    memory: Option<i64>,
    memory_swap: Option<i64>,
    cpu_shares: Option<i64>,
    cpuset_cpus: Option<String>,
    cpu_period: Option<i64>,
    cpu_quota: Option<i64>,
    rm: Option<bool>,
    force_rm: bool,
    quiet: bool,
    auth: Option<Auth>,
    idle_timeout: Option<Duration>,
}

impl fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Build args are often secrets in practice (tokens for a private package index):
        // name them, do not show them.
        f.debug_struct("BuildOptions")
            .field("dockerfile", &self.dockerfile)
            .field("tags", &self.tags)
            .field("build_args", &self.build_args.keys().collect::<Vec<_>>())
            .field("labels", &self.labels)
            .field("target", &self.target)
            .field("no_cache", &self.no_cache)
            .field("pull", &self.pull)
            .field("platform", &self.platform)
            .field("network_mode", &self.network_mode)
            .field("cache_from", &self.cache_from)
            .field("extra_hosts", &self.extra_hosts)
            .field("shm_size", &self.shm_size)
            .field("memory", &self.memory)
            .field("memory_swap", &self.memory_swap)
            .field("cpu_shares", &self.cpu_shares)
            .field("cpuset_cpus", &self.cpuset_cpus)
            .field("cpu_period", &self.cpu_period)
            .field("cpu_quota", &self.cpu_quota)
            .field("rm", &self.rm)
            .field("force_rm", &self.force_rm)
            .field("auth", &self.auth)
            .finish()
    }
}

impl BuildOptions {
    /// `Dockerfile` at the top of the context, no tag, the engine's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The Dockerfile's path inside the context (`Dockerfile` by default), `/`-separated.
    pub fn dockerfile(mut self, path: impl Into<String>) -> Self {
        self.dockerfile = Some(path.into());
        self
    }

    /// Names the image (`name:tag`); may be given more than once.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Sets a build argument (`ARG` in the Dockerfile).
    pub fn build_arg(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.build_args.insert(key.into(), value.into());
        self
    }

    /// Adds a label to the image.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Builds the stage of this name of a multi-stage Dockerfile.
    pub fn target(mut self, stage: impl Into<String>) -> Self {
        self.target = Some(stage.into());
        self
    }

    /// Use no cached step.
    pub fn no_cache(mut self, on: bool) -> Self {
        self.no_cache = on;
        self
    }

    /// Pull newer versions of the `FROM` images even when they are local.
    pub fn pull(mut self, on: bool) -> Self {
        self.pull = on;
        self
    }

    /// The platform to build for, such as `linux/amd64`.
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// The network of the `RUN` steps: `bridge` (default), `host`, `none`, or a network's
    /// name.
    pub fn network_mode(mut self, mode: impl Into<String>) -> Self {
        self.network_mode = Some(mode.into());
        self
    }

    /// An image whose layers the build may reuse as its cache (`--cache-from`); may be
    /// given more than once.
    pub fn cache_from(mut self, image: impl Into<String>) -> Self {
        self.cache_from.push(image.into());
        self
    }

    /// Adds a line to the `/etc/hosts` of the `RUN` steps (`--add-host name:address`).
    /// Docker and Podman read these differently: a build with any asks the engine which
    /// it is (one ping) first.
    pub fn extra_host(mut self, name: &str, address: &str) -> Self {
        self.extra_hosts.push(format!("{name}:{address}"));
        self
    }

    /// The size of `/dev/shm` in the `RUN` steps, in bytes.
    pub fn shm_size(mut self, bytes: i64) -> Self {
        self.shm_size = Some(bytes);
        self
    }

    /// The memory limit of the `RUN` steps, in bytes.
    pub fn memory(mut self, bytes: i64) -> Self {
        self.memory = Some(bytes);
        self
    }

    /// The memory plus swap limit of the `RUN` steps, in bytes (-1: unlimited swap).
    pub fn memory_swap(mut self, bytes: i64) -> Self {
        self.memory_swap = Some(bytes);
        self
    }

    /// The CPU weight of the `RUN` steps, relative to other containers (default 1024).
    pub fn cpu_shares(mut self, shares: i64) -> Self {
        self.cpu_shares = Some(shares);
        self
    }

    /// The CPUs the `RUN` steps may run on, such as `0-3` or `0,1`.
    pub fn cpuset_cpus(mut self, cpus: impl Into<String>) -> Self {
        self.cpuset_cpus = Some(cpus.into());
        self
    }

    /// The CFS period of the `RUN` steps, in microseconds.
    pub fn cpu_period(mut self, microseconds: i64) -> Self {
        self.cpu_period = Some(microseconds);
        self
    }

    /// The CFS quota per period of the `RUN` steps, in microseconds.
    pub fn cpu_quota(mut self, microseconds: i64) -> Self {
        self.cpu_quota = Some(microseconds);
        self
    }

    /// Remove the intermediate containers of a successful build (the engine's default is
    /// yes).
    pub fn rm(mut self, on: bool) -> Self {
        self.rm = Some(on);
        self
    }

    /// Remove the intermediate containers even when the build fails.
    pub fn force_rm(mut self, on: bool) -> Self {
        self.force_rm = on;
        self
    }

    /// Report only the image id, not the steps' output.
    pub fn quiet(mut self, on: bool) -> Self {
        self.quiet = on;
        self
    }

    /// Credentials for the registries the `FROM` lines pull from, all of them sent
    /// (`X-Registry-Config`): `Auth::from_env()?` for what `docker login` saved. Without it
    /// those pulls are anonymous.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Fail when the engine reports nothing for this long (off by default: a `RUN` step
    /// may be quiet for a long time).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }

    fn dockerfile_path(&self) -> &str {
        self.dockerfile.as_deref().unwrap_or("Dockerfile")
    }

    /// The query parameters of `POST /build`, in order; `podman` for the list form of
    /// `extrahosts` that Podman reads.
    fn query(&self, podman: bool) -> Vec<(&'static str, String)> {
        let mut query = vec![("dockerfile", self.dockerfile_path().to_string())];
        query.extend(self.tags.iter().map(|tag| ("t", tag.clone())));
        let map = |map: &BTreeMap<String, String>| {
            (!map.is_empty()).then(|| serde_json::to_string(map).unwrap_or_default())
        };
        let list = |list: &[String]| {
            (!list.is_empty()).then(|| serde_json::to_string(list).unwrap_or_default())
        };
        let flag = |on: bool| on.then(|| "1".to_string());
        let number = |n: Option<i64>| n.map(|n| n.to_string());
        let optional = [
            ("buildargs", map(&self.build_args)),
            ("labels", map(&self.labels)),
            ("target", self.target.clone()),
            ("nocache", flag(self.no_cache)),
            ("pull", flag(self.pull)),
            ("q", flag(self.quiet)),
            ("platform", self.platform.clone()),
            ("networkmode", self.network_mode.clone()),
            (
                "rm",
                self.rm.map(|on| if on { "1" } else { "0" }.to_string()),
            ),
            ("forcerm", flag(self.force_rm)),
            ("cachefrom", list(&self.cache_from)),
            ("shmsize", number(self.shm_size)),
            ("memory", number(self.memory)),
            ("memswap", number(self.memory_swap)),
            ("cpushares", number(self.cpu_shares)),
            ("cpusetcpus", self.cpuset_cpus.clone()),
            ("cpuperiod", number(self.cpu_period)),
            ("cpuquota", number(self.cpu_quota)),
        ];
        query.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
        if podman {
            query.extend(list(&self.extra_hosts).map(|hosts| ("extrahosts", hosts)));
        } else {
            query.extend(self.extra_hosts.iter().map(|h| ("extrahosts", h.clone())));
        }
        query
    }
}

/// One line of a build's output.
///
/// The classic builder reports each step's text in [`stream`](Self::stream) (`Step 1/3 :
/// FROM busybox`, the `RUN` output, ` ---> 1a2b3c`), the new image's id in
/// [`aux`](Self::aux), and pulls of `FROM` images as [`status`](Self::status) lines like a
/// pull's. A failing step comes as an `Err` item with the engine's message.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BuildItem {
    /// Text output: steps, what `RUN` printed, `Successfully built ...`.
    pub stream: Option<String>,
    /// Data: the built image's id.
    pub aux: Option<BuildAux>,
    /// A pull's status, while the build pulls a `FROM` image.
    pub status: Option<String>,
    /// What the status is about (a layer).
    pub id: Option<String>,
    /// A pull's text progress bar.
    pub progress: Option<String>,
    /// A pull's numbers.
    #[serde(rename = "progressDetail")]
    pub progress_detail: Option<ProgressDetail>,
}

/// The data of a build line.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BuildAux {
    /// The built image's id, `sha256:...`.
    #[serde(rename = "ID")]
    pub id: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl JsonStream<BuildItem> {
    /// Reads the build to its end and returns the image's id: the `aux` id (or, for a quiet
    /// build, the id it prints, with `sha256:` put before a bare one, as Podman prints it),
    /// else the short id of the `Successfully built` line. The build's error when it
    /// failed.
    ///
    /// `each` sees every line as it arrives (to print the steps, say).
    pub fn image_id(self, mut each: impl FnMut(&BuildItem)) -> Result<String> {
        // The engine sends the full id in `aux`, then `Successfully built <short id>`; a
        // quiet build sends only the full id, as text.
        let (mut full, mut short) = (None, None);
        for item in self {
            let item = item?;
            each(&item);
            let text = item.stream.as_deref().map(str::trim).unwrap_or_default();
            if let Some(found) = item.aux.as_ref().and_then(|a| a.id.clone()) {
                full = Some(found);
            } else if let Some(found) = text.strip_prefix("Successfully built ") {
                short = Some(found.trim().to_string());
            } else if text.starts_with("sha256:") && !text.contains(char::is_whitespace) {
                full = Some(text.to_string());
            } else if is_bare_id(text.as_bytes()) {
                full = Some(format!("sha256:{text}"));
            }
        }
        full.or(short).ok_or_else(|| {
            Error::decode(
                "the build's output",
                "it ended without naming the image it built",
            )
        })
    }
}

impl Images {
    /// Whether the engine is Podman, by the header its ping adds (`Libpod-API-Version`).
    fn is_podman(&self) -> Result<bool> {
        let response = self.docker.get("/_ping".into()).unversioned().send()?;
        let podman = response.header("Libpod-API-Version").is_some();
        response.drain()?;
        Ok(podman)
    }

    /// Builds an image from a tar of the context (`docker build - < context.tar`),
    /// streamed from `context` in constant memory. The Dockerfile is the one
    /// [`BuildOptions::dockerfile`] names inside the tar.
    ///
    /// The answer is the build's output, line by line; the build is done when it ends, and
    /// [`JsonStream::image_id`] returns what it made.
    pub fn build(
        &self,
        context: impl Read + Send + 'static,
        options: &BuildOptions,
    ) -> Result<JsonStream<BuildItem>> {
        // Docker reads `extrahosts` repeated, one host each; Podman's compatible API reads
        // one JSON list, and refuses anything else: ask which it is, only when it matters.
        let podman = !options.extra_hosts.is_empty() && self.is_podman()?;
        let mut request = self.docker.post("/build".into());
        for (key, value) in options.query(podman) {
            request = request.query(key, &value);
        }
        if let Some(auth) = &options.auth {
            let all = auth.all_credentials()?;
            if !all.is_empty() {
                request = request.header("X-Registry-Config", &registry_config_header(&all));
            }
        }
        let response = request
            .body(context, "application/x-tar")
            .streaming()
            .idle_timeout(options.idle_timeout)
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Builds an image from a folder, as `docker build DIR` does: the folder is sent as a
    /// tar made on the fly in another thread (constant memory, however big the context),
    /// leaving out what its `.dockerignore` excludes, with the docker CLI's rules. The
    /// Dockerfile and `.dockerignore` are always sent.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{BuildOptions, Docker};
    /// let docker = Docker::from_env()?;
    /// let build = docker
    ///     .images()
    ///     .build_dir("./app", &BuildOptions::new().tag("app:dev"))?;
    /// let id = build.image_id(|line| {
    ///     if let Some(text) = &line.stream {
    ///         print!("{text}");
    ///     }
    /// })?;
    /// println!("built {id}");
    /// # Ok(()) }
    /// ```
    pub fn build_dir(
        &self,
        dir: impl AsRef<Path>,
        options: &BuildOptions,
    ) -> Result<JsonStream<BuildItem>> {
        let context = BuildContext::new(dir.as_ref(), options.dockerfile_path())?;
        let (reader, writer) = context.spawn()?;
        match self.build(reader, options) {
            Ok(stream) => {
                // The request body was read to its end: the tar is complete.
                writer.finish()?;
                Ok(stream)
            }
            // A file that could not be read is the cause, not the broken upload.
            Err(e) => Err(writer.finish().err().unwrap_or(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_sent_under_the_engines_query_name() {
        let options = BuildOptions::new()
            .tag("app:1")
            .cache_from("app:0")
            .cache_from("base:latest")
            .extra_host("db.local", "10.0.0.5")
            .extra_host("cache.local", "10.0.0.6")
            .shm_size(64 << 20)
            .platform("linux/amd64")
            .network_mode("none")
            .memory(128 << 20)
            .memory_swap(256 << 20)
            .cpu_shares(512)
            .cpuset_cpus("0-1")
            .cpu_period(100_000)
            .cpu_quota(50_000);
        let docker = options.query(false);
        let expected = [
            ("dockerfile", "Dockerfile"),
            ("t", "app:1"),
            ("platform", "linux/amd64"),
            ("networkmode", "none"),
            ("cachefrom", r#"["app:0","base:latest"]"#),
            ("shmsize", "67108864"),
            ("memory", "134217728"),
            ("memswap", "268435456"),
            ("cpushares", "512"),
            ("cpusetcpus", "0-1"),
            ("cpuperiod", "100000"),
            ("cpuquota", "50000"),
        ];
        let mut docker_expected: Vec<_> =
            expected.iter().map(|(k, v)| (*k, v.to_string())).collect();
        docker_expected.push(("extrahosts", "db.local:10.0.0.5".into()));
        docker_expected.push(("extrahosts", "cache.local:10.0.0.6".into()));
        assert_eq!(docker, docker_expected);

        // Podman reads the hosts as one JSON list.
        let podman = options.query(true);
        let hosts: Vec<_> = podman.iter().filter(|(k, _)| *k == "extrahosts").collect();
        assert_eq!(
            hosts,
            [&(
                "extrahosts",
                r#"["db.local:10.0.0.5","cache.local:10.0.0.6"]"#.to_string()
            )]
        );
        assert_eq!(podman.len(), expected.len() + 1);
    }

    #[test]
    fn options_left_unset_are_not_sent() {
        assert_eq!(
            BuildOptions::new().query(false),
            [("dockerfile", "Dockerfile".to_string())]
        );
        assert_eq!(
            BuildOptions::new().query(true),
            [("dockerfile", "Dockerfile".to_string())]
        );
    }
}
