//! The one error type of the crate.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong talking to a Docker engine.
///
/// Every variant's message says what happened and, where there is one, what to do next.
/// No variant ever holds a credential: registry passwords, tokens and private keys are
/// never copied into an error, so printing an error (with `{}` or `{:?}`) is always safe.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The engine answered with an error status (4xx or 5xx). `message` is the daemon's own
    /// `message` field, or the body's text when it sent no JSON.
    Engine {
        /// The HTTP status code, for example 404.
        status: u16,
        /// What the daemon said.
        message: String,
        /// The request, as `METHOD /path` (without the query string).
        request: String,
    },
    /// The engine could not be reached: the socket is missing, the connection was refused,
    /// permission was denied, the name did not resolve.
    Connect {
        /// Where we tried to connect, such as `unix:///var/run/docker.sock` or `127.0.0.1:2376`.
        target: String,
        /// What the operating system said.
        source: io::Error,
    },
    /// The connection failed after it was made: closed in the middle of a response, reset,
    /// or a reply that is not HTTP.
    Transport {
        /// What we were doing, such as `GET /containers/json`.
        context: String,
        /// The underlying failure.
        source: io::Error,
    },
    /// The TLS handshake failed: a certificate was refused (by us or by the engine), or
    /// the TLS files could not be used.
    Tls {
        /// The engine address or the file concerned.
        target: String,
        /// Which check failed, in words.
        reason: String,
    },
    /// A deadline passed before the engine answered.
    Timeout {
        /// Which limit ran out: `connect`, `request` or `idle read`.
        what: &'static str,
        /// The limit that was set.
        after: Duration,
        /// What we were doing.
        context: String,
    },
    /// A setting has a value we cannot use.
    Setting {
        /// The setting's name, such as `DOCKER_TIMEOUT`.
        key: String,
        /// The value that was given (settings never hold secrets).
        value: String,
        /// What a good value looks like.
        expected: String,
    },
    /// A file of this machine could not be read or written: a settings or certificate
    /// file, a build context, a file copied to or from a container.
    File {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A reply or a stream from the engine could not be decoded: bad JSON, a bad frame
    /// header, or a stream cut short.
    Decode {
        /// What we were reading.
        context: String,
        /// What was wrong with it.
        detail: String,
    },
    /// The engine reported an error inside a stream (a JSON `errorDetail`, or a system-error
    /// frame of a log or attach stream).
    Stream {
        /// What the engine said.
        message: String,
    },
    /// The engine is older than the oldest API version this crate speaks.
    EngineTooOld {
        /// The engine's API version.
        engine: String,
        /// The oldest version we support.
        minimum: String,
    },
    /// The engine refused the API version that a setting pinned (engines accept a range:
    /// Docker 29.0 refuses versions before 1.44, every engine refuses versions after its
    /// own). Its status is the engine's 400.
    VersionRefused {
        /// The pinned version, such as `1.41`.
        pinned: crate::ApiVersion,
        /// The setting that pinned it: `DOCKER_VERSION`, `DOCKER_API_VERSION` or
        /// `Settings::with_version`.
        setting: String,
        /// The oldest version the engine accepts, when it said.
        minimum: Option<crate::ApiVersion>,
        /// The newest version the engine speaks, when it said.
        maximum: Option<crate::ApiVersion>,
        /// What the engine said.
        message: String,
        /// The request, as `METHOD /path`.
        request: String,
    },
    /// A body or an output was larger than the limit the caller set for holding it in
    /// memory ([`Response::limit`](crate::Response::limit),
    /// [`OutputStream::limit`](crate::OutputStream::limit),
    /// [`Docker::run_with_limit`](crate::Docker::run_with_limit),
    /// [`Container::exec_run_with_limit`](crate::Container::exec_run_with_limit)). Nothing
    /// was cut short and handed out as if whole: read it as a stream instead, or raise the
    /// limit.
    TooLarge {
        /// What was being read, such as `the answer to GET /containers/json`.
        context: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The call was cancelled through its [`CancelHandle`](crate::CancelHandle).
    Cancelled {
        /// The call.
        context: String,
    },
    /// A [`DockerCell`](crate::DockerCell) was used before `init`, or initialised twice.
    Cell {
        /// What went wrong.
        message: &'static str,
    },
    /// No engine was found: `DOCKER_HOST` is unset, no docker context is chosen, and none
    /// of the sockets where engines usually listen exists ([`Settings::from_env`](crate::Settings::from_env)).
    NoEngine {
        /// Each socket looked for, with what would listen there, such as
        /// `/run/user/1000/docker.sock (rootless Docker)`.
        tried: Vec<String>,
    },
    /// Reading or writing a file failed, where no path is known: the error of an
    /// `std::io` call turned into an [`Error`] by `?` (see the `From<io::Error>` impl).
    Io {
        /// What the operating system said.
        source: io::Error,
    },
    /// A container port is not published on the host: see
    /// [`Container::host_port`](crate::Container::host_port).
    PortNotPublished {
        /// The container, by the id or name it was asked for with.
        container: String,
        /// The port, as `80/tcp`.
        port: String,
        /// The ports it does publish, as `8080/tcp` (none while it does not run).
        published: Vec<String>,
        /// Whether it was running.
        running: bool,
    },
    /// A container was not ready in time, or stopped first: see
    /// [`Container::wait_until`](crate::Container::wait_until). What was awaited, what was
    /// missing, the container's state and its last lines of output are in the
    /// [`NotReady`](crate::container::NotReady).
    NotReady(Box<crate::container::NotReady>),
    /// A setting needs a cargo feature that this build of dockhand left out.
    FeatureDisabled {
        /// The feature to turn on.
        feature: &'static str,
        /// The setting that needs it.
        needed_by: String,
    },
}

/// The crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status code when the engine answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Engine { status, .. } => Some(*status),
            Error::VersionRefused { .. } => Some(400),
            _ => None,
        }
    }

    /// The object does not exist (404): no such container, image, network, ...
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// The request conflicts with the object's state (409): a name in use, a running
    /// container that cannot be removed, ...
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// Nothing to do (304): the container was already started or stopped.
    pub fn is_not_modified(&self) -> bool {
        self.status() == Some(304)
    }

    /// A swarm object changed since the version an update named (the engine's 500
    /// "update out of sequence"): inspect it again, apply the change to what it is now, and
    /// update with the new version.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// let docker = dockhand::Docker::from_env()?;
    /// let web = docker.service("web");
    /// loop {
    ///     let current = web.inspect()?;
    ///     let spec = current.spec.clone().env("MODE", "maintenance");
    ///     match web.update(current.version.index, &spec) {
    ///         Err(e) if e.is_out_of_sequence() => continue,
    ///         other => break other.map(drop),
    ///     }
    /// }
    /// # }
    /// ```
    pub fn is_out_of_sequence(&self) -> bool {
        matches!(self, Error::Engine { message, .. } if message.contains("update out of sequence"))
    }

    /// A deadline passed: a request's, or a readiness wait's
    /// ([`Error::NotReady`] because its time ran out).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::NotReady(not_ready) => not_ready.timed_out(),
            _ => false,
        }
    }

    pub(crate) fn setting(key: &str, value: &str, expected: impl Into<String>) -> Error {
        Error::Setting {
            key: key.to_string(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    pub(crate) fn decode(context: impl Into<String>, detail: impl fmt::Display) -> Error {
        Error::Decode {
            context: context.into(),
            detail: detail.to_string(),
        }
    }
}

/// A hint for the most common ways of failing to reach a local engine.
fn connect_hint(target: &str, err: &io::Error) -> &'static str {
    let unix = target.starts_with("unix://");
    match err.kind() {
        io::ErrorKind::PermissionDenied if unix => {
            ": run as root, or add your user to the `docker` group (then log in again)"
        }
        io::ErrorKind::NotFound if unix => {
            ": no socket there. Is the Docker engine running? Set DOCKER_HOST (or DOCKER_URL) \
             if it listens elsewhere"
        }
        io::ErrorKind::ConnectionRefused if unix => {
            ": the socket exists but nothing listens on it. Is the Docker engine running?"
        }
        io::ErrorKind::ConnectionRefused => {
            ": nothing listens there. Is the engine running and listening on that port?"
        }
        _ => "",
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Engine {
                status,
                message,
                request,
            } => write!(f, "the engine refused {request} ({status}): {message}"),
            Error::VersionRefused {
                pinned,
                setting,
                minimum,
                maximum,
                message,
                request,
            } => {
                write!(
                    f,
                    "the engine refused API version {pinned}, pinned by {setting}, for {request}: "
                )?;
                match (minimum, maximum) {
                    (Some(min), Some(max)) => write!(f, "it accepts {min} to {max}")?,
                    _ => write!(f, "{message}")?,
                }
                write!(
                    f,
                    ". Set {setting} to a version the engine accepts, or to `auto` to \
                     negotiate one (engine: {message})"
                )
            }
            Error::Connect { target, source } => write!(
                f,
                "cannot connect to the Docker engine at {target}: {source}{}",
                connect_hint(target, source)
            ),
            Error::Transport { context, source } => {
                write!(
                    f,
                    "connection to the engine failed during {context}: {source}"
                )
            }
            Error::Tls { target, reason } => write!(f, "TLS with {target} failed: {reason}"),
            Error::Timeout {
                what,
                after,
                context,
            } => write!(
                f,
                "{context}: no answer within the {what} timeout of {:.3?} \
                 (raise DOCKER_TIMEOUT if the engine is just slow)",
                after
            ),
            Error::Setting {
                key,
                value,
                expected,
            } => write!(
                f,
                "setting {key} has the value {value:?}: expected {expected}"
            ),
            Error::File { path, source } => {
                write!(f, "cannot use {}: {source}", path.display())
            }
            Error::Decode { context, detail } => {
                write!(f, "cannot decode {context}: {detail}")
            }
            Error::Stream { message } => write!(f, "the engine reported: {message}"),
            Error::EngineTooOld { engine, minimum } => write!(
                f,
                "the engine speaks API {engine}, older than {minimum}, the oldest this \
                 library supports: upgrade the engine"
            ),
            Error::TooLarge { context, limit } => write!(
                f,
                "{context} is larger than the limit of {limit} bytes set for holding it in \
                 memory: read it as a stream, or raise the limit"
            ),
            Error::Cancelled { context } => write!(f, "{context} was cancelled"),
            Error::Cell { message } => f.write_str(message),
            Error::NoEngine { tried } => write!(
                f,
                "no Docker engine found: DOCKER_HOST is unset, no docker context is chosen, \
                 and none of these sockets exists: {}. Start the engine, or set DOCKER_HOST \
                 to where it listens",
                tried.join(", ")
            ),
            Error::Io { source } => write!(f, "{source}"),
            Error::PortNotPublished {
                container,
                port,
                published,
                running,
            } => {
                write!(
                    f,
                    "port {port} of container {container} is not published on the host"
                )?;
                if !running {
                    return write!(
                        f,
                        ": it is not running, and a container publishes its ports only while \
                         it runs (start it first)"
                    );
                }
                match published.as_slice() {
                    [] => write!(f, " (it publishes no port)")?,
                    ports => write!(f, " (it publishes {})", ports.join(", "))?,
                }
                write!(
                    f,
                    ": publish it when creating the container, with HostConfig::publish \
                     (`docker run -p`) or publish_all_ports with the port exposed (`-P`)"
                )
            }
            Error::NotReady(not_ready) => fmt::Display::fmt(not_ready, f),
            Error::FeatureDisabled { feature, needed_by } => write!(
                f,
                "{needed_by} needs TLS, but dockhand was built without its `{feature}` feature: \
                 enable it in Cargo.toml (it is on by default)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connect { source, .. }
            | Error::Transport { source, .. }
            | Error::File { source, .. }
            | Error::Io { source } => Some(source),
            _ => None,
        }
    }
}

/// So that `fn main() -> dockhand::Result<()>` can use `?` on file work (`std::fs`,
/// `std::io::copy`) beside engine calls. An `io::Error` that carries a dockhand [`Error`]
/// (as the reads of a [`TarReader`](crate::container::TarReader) do) gives that error back;
/// any other becomes [`Error::Io`].
///
/// ```no_run
/// fn main() -> dockhand::Result<()> {
///     let docker = dockhand::Docker::from_env()?;
///     let mut file = std::fs::File::create("web.tar")?;
///     std::io::copy(&mut docker.container("web").export()?, &mut file)?;
///     Ok(())
/// }
/// ```
impl From<io::Error> for Error {
    fn from(source: io::Error) -> Error {
        if !source.get_ref().is_some_and(|inner| inner.is::<Error>()) {
            return Error::Io { source };
        }
        let kind = source.kind();
        match source.into_inner().map(|inner| inner.downcast::<Error>()) {
            Some(Ok(inner)) => *inner,
            Some(Err(other)) => Error::Io {
                source: io::Error::new(kind, other),
            },
            None => Error::Io {
                source: kind.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_denied_on_the_socket_says_how_to_fix_it() {
        let e = Error::Connect {
            target: "unix:///var/run/docker.sock".into(),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        let text = e.to_string();
        assert!(text.contains("/var/run/docker.sock"), "{text}");
        assert!(text.contains("docker` group"), "{text}");
    }

    #[test]
    fn a_missing_socket_names_the_path_and_the_setting() {
        let e = Error::Connect {
            target: "unix:///nowhere.sock".into(),
            source: io::Error::from(io::ErrorKind::NotFound),
        };
        let text = e.to_string();
        assert!(
            text.contains("/nowhere.sock") && text.contains("DOCKER_HOST"),
            "{text}"
        );
    }

    #[test]
    fn io_errors_convert_and_give_back_a_carried_error() {
        fn read_missing() -> Result<Vec<u8>> {
            Ok(std::fs::read("/nonexistent/dockhand/file")?)
        }
        let err = read_missing().unwrap_err();
        assert!(
            matches!(&err, Error::Io { source } if source.kind() == io::ErrorKind::NotFound),
            "{err:?}"
        );
        assert!(std::error::Error::source(&err).is_some());

        let carried = io::Error::other(Error::Cancelled {
            context: "GET /containers/x/archive".into(),
        });
        assert!(matches!(Error::from(carried), Error::Cancelled { .. }));
    }

    #[test]
    fn engine_errors_keep_status_and_message() {
        let e = Error::Engine {
            status: 404,
            message: "No such container: x".into(),
            request: "GET /containers/x/json".into(),
        };
        assert!(e.is_not_found() && !e.is_conflict() && !e.is_out_of_sequence());
        assert_eq!(
            e.to_string(),
            "the engine refused GET /containers/x/json (404): No such container: x"
        );
    }
}
