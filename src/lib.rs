//! # dockhand
//!
//! A blocking Docker Engine API client: plain synchronous Rust, no async runtime. It suits
//! command-line tools, scripts, integration tests, `build.rs` build scripts and threaded
//! servers.
//!
//! ```no_run
//! use dockhand::{ContainerConfig, Docker};
//!
//! fn main() -> dockhand::Result<()> {
//!     // DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION, as the docker CLI.
//!     let docker = Docker::from_env()?;
//!     let out = docker.run(&ContainerConfig::new("busybox").cmd(["echo", "hello"]))?;
//!     print!("{}", out.stdout_text());
//!     Ok(())
//! }
//! ```
//!
//! The crate root holds what every program touches: [`Docker`] and its deferred twin
//! [`DockerCell`], [`Settings`], [`Error`], the streams and their [`CancelHandle`], and the
//! most used options. Everything else is in a module by area: [`container`], [`exec`],
//! [`image`], [`network`], [`volume`], [`swarm`], [`system`], [`plugin`], [`settings`], and
//! [`scope`] for clean-up.
//! A call is a method of a handle: `docker.containers().list(..)`,
//! `docker.container(id).start()`, `docker.images().pull(..)`, `docker.network(id).inspect()`.
//!
//! # Recipes
//!
//! ## Run a command and get its output
//!
//! [`Docker::run`] is `docker run --rm`: create, start, wait, collect stdout and stderr apart,
//! remove (also when a step fails). A non-zero exit code is not an error.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{ContainerConfig, Docker};
//! let docker = Docker::from_env()?;
//! let out = docker.run(
//!     &ContainerConfig::new("busybox")
//!         .cmd(["sh", "-c", "echo out; echo err >&2; exit 3"])
//!         .env("GREETING", "hi"),
//! )?;
//! assert_eq!(out.exit_code, 3);
//! assert_eq!((out.stdout_text(), out.stderr_text()), ("out\n".into(), "err\n".into()));
//! # Ok(()) }
//! ```
//!
//! The output is held in memory; for a long-running container, start it and follow its logs.
//!
//! ## Follow logs
//!
//! A followed log is a stream with no deadline; [`OutputStream::lines`] splits it into lines,
//! stdout and stderr apart, as they arrive.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use std::time::Duration;
//! use dockhand::{Docker, LogsOptions};
//! use dockhand::system::Timestamp;
//! let docker = Docker::from_env()?;
//! let logs = docker.container("web").logs(
//!     &LogsOptions::new().follow(true).since(Timestamp::ago(Duration::from_secs(600))),
//! )?;
//! for line in logs.lines() {
//!     let line = line?;
//!     if line.is_stderr() {
//!         eprintln!("{}", line.text());
//!     } else {
//!         println!("{}", line.text());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! To read a busy log with no allocation per piece, fill one [`Chunk`] over and over with
//! [`OutputStream::read_chunk`].
//!
//! ## Exec, with stdin
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use std::io::Write;
//! use dockhand::{Docker, ExecConfig};
//! let docker = Docker::from_env()?;
//! let db = docker.container("db");
//! // a command's output and exit code
//! let out = db.exec_run(["cat", "/etc/hostname"])?;
//! println!("{} (exit {})", out.stdout_text().trim(), out.exit_code);
//! // with input: fed, then stdin closed, then the output collected
//! let out = db.exec_run_with_input(["sort"], std::io::Cursor::new("b\na\n"))?;
//! assert_eq!(out.stdout_text(), "a\nb\n");
//! // interactive: write and read on two sides of one connection
//! let exec = db.create_exec(&ExecConfig::new(["sh"]).stdin(true))?;
//! let (mut input, output) = exec.start_attached()?.split();
//! input.write_all(b"echo hi; exit\n")?;
//! input.close()?;
//! print!("{}", output.collect_output()?.stdout_text());
//! # Ok(()) }
//! ```
//!
//! ## Copy files in and out
//!
//! No tar by hand: files and folders keep their modes, owners and links, and large files
//! stream in constant memory.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let builder = docker.container("builder");
//! builder.copy_in("./src", "/work")?; // the folder becomes /work/src
//! builder.copy_in_bytes("/work/VERSION", "1.2.3\n", 0o644)?;
//! builder.copy_out("/work/dist", "./dist")?;
//! let report = builder.read_to_string("/work/report.txt")?;
//! # Ok(()) }
//! ```
//!
//! ## Wait until a service is ready, and find its port
//!
//! One deadline for any mix of conditions: a log line, a healthy healthcheck, a port that
//! accepts, an HTTP status, a command that succeeds. On timeout the error says what was
//! awaited and carries the container's last log lines and state.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use std::time::Duration;
//! use dockhand::container::{PortBinding, WaitFor};
//! use dockhand::{ContainerConfig, Docker, HostConfig};
//! let docker = Docker::from_env()?;
//! let config = ContainerConfig::new("postgres:16")
//!     .env("POSTGRES_PASSWORD", "test")
//!     .host_config(HostConfig::new().publish("5432", PortBinding::new("127.0.0.1", "")));
//! let db = docker.containers().create_guarded(&config)?; // removed when dropped
//! db.start()?;
//! db.wait_until(
//!     &WaitFor::log_line("ready to accept connections").and(WaitFor::port(5432)),
//!     Duration::from_secs(60),
//! )?;
//! let address = db.host_port(5432)?; // a SocketAddr, such as 127.0.0.1:49154
//! println!("postgres at {address}");
//! # Ok(()) }
//! ```
//!
//! ## Clean up, even after a killed run
//!
//! A [`Scope`](scope::Scope) labels what a test or a script makes and removes it when it
//! ends, panics included; what a run killed outright left is removed when the next one
//! starts. No reaper container is needed, and many test threads may each hold one.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::network::NetworkConfig;
//! use dockhand::scope::Scope;
//! use dockhand::{ContainerConfig, Docker, HostConfig};
//! let docker = Docker::from_env()?;
//! let scope = Scope::new(&docker)?;
//! docker.networks().create(&scope.mark(NetworkConfig::new("it-net")))?;
//! let created = docker.containers().create(&scope.mark(
//!     ContainerConfig::new("redis:7").host_config(HostConfig::new().network_mode("it-net")),
//! ))?;
//! docker.container(&created.id).start()?;
//! // ... the test; when `scope` drops, the container and the network go
//! # Ok(()) }
//! ```
//!
//! ## Drive a compose project
//!
//! What `docker compose` started is found by its labels: list, stop, restart or remove a
//! project's containers, or one service's.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use std::time::Duration;
//! let docker = dockhand::Docker::from_env()?;
//! let shop = docker.compose_project("shop");
//! for c in shop.service("db").containers()? {
//!     println!("{} {}", c.id, c.state);
//! }
//! shop.service("worker").stop(Some(Duration::from_secs(5)))?;
//! shop.down()?; // its containers and its networks, as `docker compose down`
//! # Ok(()) }
//! ```
//!
//! ## Build, push and pull
//!
//! Builds, pushes and pulls are streams of progress lines, read as the engine sends them; an
//! error on the way is an `Err` item. A folder is tarred on the fly, its `.dockerignore`
//! applied as the docker CLI applies it. An image reference is given whole (`name:tag`,
//! `name@digest`, with a registry host and port) wherever one is taken.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{BuildOptions, Docker, PullOptions, PushOptions};
//! let docker = Docker::from_env()?;
//! docker.images().pull(&PullOptions::new("busybox:1.36"))?.finish()?;
//! let id = docker
//!     .images()
//!     .build_dir("./app", &BuildOptions::new().tag("localhost:5000/app:2").build_arg("MODE", "release"))?
//!     .image_id(|line| print!("{}", line.stream.as_deref().unwrap_or("")))?;
//! docker.image(&id).tag("localhost:5000/app:latest")?;
//! for progress in docker.images().push(&PushOptions::new("localhost:5000/app:2"))? {
//!     let progress = progress?;
//!     println!("{} {}", progress.id.unwrap_or_default(), progress.status.unwrap_or_default());
//! }
//! # Ok(()) }
//! ```
//!
//! ## Private registries
//!
//! [`Auth::from_env`] reads the docker CLI's logins (`~/.docker/config.json`, credential
//! helpers); [`Credentials`] are given directly. Credentials are sent only when asked for, and
//! never appear in `Debug`, `Display`, errors or logs.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Auth, Credentials, Docker, PullOptions, PushOptions};
//! let docker = Docker::from_env()?;
//! let auth = Auth::from_env()?;
//! docker
//!     .images()
//!     .pull(&PullOptions::new("registry.example.com/team/base:1").auth(auth.clone()))?
//!     .finish()?;
//! let robot = Credentials::new("robot", std::env::var("REGISTRY_TOKEN").unwrap_or_default());
//! docker
//!     .images()
//!     .push(&PushOptions::new("registry.example.com/team/app:2").credentials(robot))?
//!     .finish()?;
//! # Ok(()) }
//! ```
//!
//! One caveat below dockhand: ureq's HTTP layer hex-dumps every byte it sends at `trace`
//! level under the log target `ureq_proto`; keep that target below `trace` when credentials
//! are in use.
//!
//! ## A swarm deployment
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::Docker;
//! use dockhand::swarm::{InitRequest, ListTasksOptions, PortConfig, ServiceSpec};
//! let docker = Docker::from_env()?;
//! docker.swarm().init(&InitRequest::new("127.0.0.1"))?;
//! let created = docker.services().create(
//!     &ServiceSpec::new("nginx:1.27")
//!         .name("web")
//!         .replicas(3)
//!         .publish(PortConfig::new(80).published(8080)),
//! )?;
//! let web = docker.service(&created.id);
//! web.scale(5)?;
//! for task in docker.tasks().list(&ListTasksOptions::new().service("web"))? {
//!     println!("{} on {}: {:?}", task.id, task.node_id, task.status.state);
//! }
//! web.remove()?;
//! docker.swarm().leave(true)?;
//! # Ok(()) }
//! ```
//!
//! Every swarm object carries a version; an update names the version it was made from, and a
//! stale one fails with [`Error::is_out_of_sequence`]: inspect again and retry.
//!
//! ## TLS and ssh
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Docker, Settings};
//! // mutual TLS, with the docker CLI's file names in one folder
//! let docker = Docker::new(Settings::from_pairs([
//!     ("DOCKER_URL", "tcp://docker.example.com:2376"),
//!     ("DOCKER_TLS", "True"),
//!     ("DOCKER_TLS_CERT_PATH", "/etc/docker/client"),
//! ])?)?;
//! // or each file named
//! let docker = Docker::new(Settings::from_pairs([
//!     ("DOCKER_URL", "https://10.0.0.5:2376"),
//!     ("DOCKER_TLS_CLIENT_CERT", "/certs/cert.pem:/certs/key.pem"),
//!     ("DOCKER_TLS_CA_CERT", "/certs/ca.pem"),
//!     ("DOCKER_TLS_ASSERT_HOSTNAME", "False"), // the chain is checked, the name is not
//! ])?)?;
//! // over ssh: the system ssh runs `docker system dial-stdio` on the host
//! let docker = Docker::connect("ssh://deploy@build-host")?;
//! # Ok(()) }
//! ```
//!
//! ## Threads
//!
//! [`Docker`] is `Clone + Send + Sync`; its clones share one connection pool. A threaded
//! server declares a [`DockerCell`] (Flask-Docker's `init_app` pattern) and initialises it at
//! start-up. Streams (followed logs, events, `wait`, exec and attach output) use a connection
//! of their own with no request deadline, and another thread stops them with their
//! [`CancelHandle`].
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use std::{thread, time::Duration};
//! use dockhand::{DockerCell, EventsOptions, Settings};
//!
//! static DOCKER: DockerCell = DockerCell::new();
//!
//! DOCKER.init(Settings::from_env()?)?;
//! let events = DOCKER.get()?.events(&EventsOptions::new().filter("type", "container"))?;
//! let stop = events.cancel_handle();
//! let watcher = thread::spawn(move || {
//!     for event in events {
//!         match event {
//!             Ok(event) => println!("{} {}", event.action, event.actor.id),
//!             Err(dockhand::Error::Cancelled { .. }) => break,
//!             Err(e) => eprintln!("{e}"),
//!         }
//!     }
//! });
//! let workers: Vec<_> = (0..4)
//!     .map(|_| thread::spawn(|| DOCKER.get().and_then(|docker| docker.ping()).map(|_| ())))
//!     .collect();
//! for worker in workers {
//!     worker.join().expect("worker panicked")?;
//! }
//! thread::sleep(Duration::from_secs(1));
//! stop.cancel();
//! watcher.join().expect("watcher panicked");
//! # Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every failure is an [`Error`] whose message says what went wrong and what to do. The
//! engine's own status and message are kept in [`Error::Engine`]; the common cases have a
//! question of their own.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Docker, Error};
//! let docker = Docker::from_env()?;
//! match docker.container("maybe").inspect() {
//!     Ok(inspect) => println!("{}", inspect.state.status),
//!     Err(e) if e.is_not_found() => println!("no such container"),
//!     Err(Error::Engine { status, message, .. }) => eprintln!("engine said {status}: {message}"),
//!     Err(e) => return Err(e), // cannot connect, TLS, timeout, ...: the message says what to do
//! }
//! # Ok(()) }
//! ```
//!
//! A `std::io::Error` converts into an [`Error`], so a `main` that returns
//! [`dockhand::Result`](Result) can use `?` on file work too. With nothing configured and no
//! socket at the default place, [`Docker::from_env`] looks where rootless Docker, Docker
//! Desktop and Podman listen, and its error lists every place it looked.
//!
//! Credentials never appear in errors, logs or `Debug` output. Each request is logged at
//! debug level through the `log` facade (method, path, status, time).
//!
//! # Configuration
//!
//! The settings are those of the Python extension Flask-Docker, with the same names and
//! meanings; see [`Settings`] for the table. Build a client from them at once, or declare a
//! shared handle first and initialise it at start-up with [`DockerCell`], as Flask-Docker's
//! `init_app` does:
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Docker, Settings};
//! let docker = Docker::new(Settings::from_pairs([
//!     ("DOCKER_URL", "tcp://localhost:2376"),
//!     ("DOCKER_TLS", "True"),
//!     ("DOCKER_TLS_CERT_PATH", "/home/me/.docker"),
//! ])?)?;
//! let docker = Docker::new(Settings::from_file("docker.cfg")?)?; // KEY=value lines
//! let docker = Docker::connect("unix:///var/run/docker.sock")?;  // an address alone
//! let docker = Docker::from_env()?;                               // as the docker CLI
//! # Ok(()) }
//! ```
//!
//! Two deliberate departures from Flask-Docker: the API version is negotiated with the
//! engine unless `DOCKER_VERSION` pins one (Flask-Docker's default `1.16` is refused by every
//! current engine), and TLS certificates are verified unless `DOCKER_TLS_VERIFY=False`
//! (Flask-Docker's own code verified too, though its documentation said otherwise).
//!
//! # Read, change, send back
//!
//! Types read from the engine that a caller may send back ([`ContainerConfig`],
//! [`HostConfig`] and everything in them, [`NetworkConfig`](network::NetworkConfig),
//! [`NetworkInspect`](network::NetworkInspect), [`VolumeConfig`](volume::VolumeConfig), the
//! swarm specs) lose nothing: what they do not type is kept in their `extra` map, and written
//! out again each typed field is spelt as the engine spelt it (left out, `null`, empty) unless
//! it was changed. Every body type has an `extra(key, value)` setter for fields without one.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let old = docker.container("web").inspect()?;
//! let config = old
//!     .config
//!     .host_config(old.host_config.memory(512 * 1024 * 1024))
//!     .extra("StopTimeout", 30);
//! docker.containers().create(&config)?;
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! `tls` (on by default): TLS with rustls and its ring provider. Without it the crate builds
//! with neither, for build scripts that talk to the local socket only.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The three layers of design.md. Settings: what engine to talk to, and how.
pub mod settings;
// Transport: bytes to and from the engine; the only user of `ureq::unversioned`.
mod transport;
// The request path: the `Docker` handle, requests, responses, versions, error mapping.
mod client;
mod error;
// For the API: bodies that arrive over time, and the engine's JSON.
mod json;
mod stream;
// The API, by area: each call is a method of a handle, its models beside it.
pub mod container;
pub mod exec;
pub mod image;
pub mod network;
pub mod plugin;
// Clean-up of what tests and scripts make, across runs.
pub mod scope;
pub mod swarm;
pub mod system;
pub mod volume;
// Shared by settings (registry auth) and the API (archives, secrets).
mod base64;
// Each decoder's entry point for tests/fuzz and tests/damaged_input.rs; not API.
#[doc(hidden)]
#[path = "fuzz.rs"]
pub mod __fuzz;

// What every user touches; the rest is in the public modules above, by area.
pub use client::{encode_segment, CancelHandle, Docker, DockerCell, Request, Response};
pub use container::{
    Container, ContainerConfig, ContainerGuard, HostConfig, ListContainersOptions, LogsOptions,
    RemoveOptions, RunOutput,
};
pub use error::{Error, Result};
pub use exec::{Exec, ExecConfig};
pub use image::{BuildItem, BuildOptions, Image, Progress, PullOptions, PushOptions};
pub use settings::{ApiVersion, Auth, Credentials, Settings};
pub use stream::{Chunk, JsonStream, Line, Lines, Output, OutputStream, StreamKind};
pub use system::{Event, EventsOptions};

/// The README's examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
