//! # dockhand
//!
//! A blocking Docker Engine API client: plain synchronous Rust, no async runtime. It suits
//! command-line tools, scripts, `build.rs` build scripts and threaded servers.
//!
//! ```no_run
//! use dockhand::{ContainerConfig, Docker, LogsOptions, RemoveOptions};
//!
//! fn main() -> dockhand::Result<()> {
//!     // DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_API_VERSION, as the docker CLI.
//!     let docker = Docker::from_env()?;
//!     println!("engine {}", docker.version()?.version);
//!
//!     let created = docker
//!         .containers()
//!         .create(&ContainerConfig::new("busybox").cmd(["echo", "hello"]))?;
//!     let container = docker.container(&created.id);
//!     container.start()?;
//!     let exit = container.wait()?.status_code;
//!     let output = container.logs(&LogsOptions::new())?.collect_output()?;
//!     print!("{}", output.stdout_text());
//!     container.remove(&RemoveOptions::new())?;
//!     println!("exit code {exit}");
//!     Ok(())
//! }
//! ```
//!
//! ## Configuration
//!
//! The settings are those of the Python extension Flask-Docker, with the same names and
//! meanings; see [`Settings`] for the table. Build a client from them at once:
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
//! # Ok(()) }
//! ```
//!
//! or declare a shared handle first and initialise it at start-up, as Flask-Docker's
//! `init_app` does, with [`DockerCell`].
//!
//! Two deliberate departures from Flask-Docker: the API version is negotiated with the
//! engine unless `DOCKER_VERSION` pins one (Flask-Docker's default `1.16` is refused by every
//! current engine), and TLS certificates are verified unless `DOCKER_TLS_VERIFY=False`
//! (Flask-Docker's own code verified too, though its documentation said otherwise).
//!
//! ## Threads
//!
//! [`Docker`] is `Clone + Send + Sync`; clones share one connection pool. Streams (logs
//! with `follow`, `wait`) use a connection of their own, have no request deadline, and can
//! be stopped from another thread with a [`CancelHandle`].
//!
//! ## Images, builds and registries
//!
//! Pulls, pushes, builds, imports and loads report progress as a [`JsonStream`] of typed
//! lines ([`Progress`], [`BuildItem`]) that arrive as the engine sends them; an error the
//! engine reports on the way is an `Err` item. Everything large (build contexts, `save`,
//! `load`, `import`) streams through `Read` in constant memory; a folder is tarred on the
//! fly with its `.dockerignore` applied as the docker CLI applies it.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! use dockhand::{Auth, BuildOptions, Docker, PullOptions, PushOptions};
//! let docker = Docker::from_env()?;
//! // the docker CLI's logins: config.json, credential helpers
//! let auth = Auth::from_env()?;
//! docker
//!     .images()
//!     .pull(&PullOptions::new("registry.example.com/base:1").auth(auth.clone()))?
//!     .finish()?;
//! let id = docker
//!     .images()
//!     .build_dir("./app", &BuildOptions::new().tag("registry.example.com/app:2"))?
//!     .image_id(|line| print!("{}", line.stream.as_deref().unwrap_or("")))?;
//! docker
//!     .images()
//!     .push(&PushOptions::new("registry.example.com/app:2").auth(auth))?
//!     .finish()?;
//! println!("built and pushed {id}");
//! # Ok(()) }
//! ```
//!
//! Registry credentials ([`Credentials`], [`Auth`]) are sent only when asked for, and never
//! appear in `Debug`, `Display`, errors or dockhand's logs. One caveat below dockhand:
//! ureq's HTTP layer hex-dumps every byte it sends, headers and bodies, at `trace` level
//! under the log target `ureq_proto`; keep that target below `trace` when credentials are
//! in use.
//!
//! ## Read, change, send back
//!
//! Types read from the engine that a caller may send back ([`ContainerConfig`],
//! [`HostConfig`] and everything in them, [`EndpointSettings`](container::EndpointSettings), [`NetworkConfig`](network::NetworkConfig),
//! [`NetworkInspect`](network::NetworkInspect), [`VolumeConfig`](volume::VolumeConfig), [`VolumeInspect`](volume::VolumeInspect)) lose nothing: what they do not
//! type is kept in their `extra` map, and written out again each typed field is spelt as
//! the engine spelt it (left out, `null`, empty) unless it was changed. So a container's
//! inspected config, changed in one field, makes a container that differs in that field
//! alone.
//!
//! ```no_run
//! # fn main() -> dockhand::Result<()> {
//! let docker = dockhand::Docker::from_env()?;
//! let old = docker.container("web").inspect()?;
//! let mut config = old.config;
//! let mut host = old.host_config;
//! host.memory = Some(512 * 1024 * 1024);
//! config.host_config = Some(host);
//! docker.containers().create(&config)?;
//! # Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every failure is an [`Error`] whose message says what went wrong and what to do; the
//! engine's own status and message are kept in [`Error::Engine`]. Credentials never appear
//! in errors, logs or `Debug` output. Each request is logged at debug level through the
//! `log` facade (method, path, status, time).
//!
//! ## Features
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
