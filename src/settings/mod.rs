//! Settings: what engine to talk to and how, from Flask-Docker style keys or the docker CLI
//! environment.
//!
//! The rules users need are on [`Settings`] and its constructors (this module is private).

mod auth;
mod context;
mod host;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::error::{Error, Result};

pub(crate) use auth::{registry_auth_header, registry_config_header};
pub use auth::{Auth, Credentials, LoginResult, DOCKER_HUB_SERVER};
pub use host::{Host, TcpScheme, DEFAULT_SOCKET};

/// An Engine API version, such as `1.41`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    /// The major number (always 1 so far).
    pub major: u16,
    /// The minor number.
    pub minor: u16,
}

impl ApiVersion {
    /// The oldest version this crate speaks: engines older than this are refused.
    pub const OLDEST: ApiVersion = ApiVersion::new(1, 24);
    /// The newest version this crate speaks: negotiation uses the smaller of this and the
    /// engine's own version.
    pub const NEWEST: ApiVersion = ApiVersion::new(1, 51);

    /// The version `major.minor`.
    pub const fn new(major: u16, minor: u16) -> ApiVersion {
        ApiVersion { major, minor }
    }

    /// Parses `1.41` or `v1.41`. Errors name `DOCKER_VERSION`.
    ///
    /// Versions older than [`OLDEST`](Self::OLDEST) parse (Flask-Docker's configs say `1.16`);
    /// a modern engine then refuses the requests with its own message.
    pub fn parse(value: &str) -> Result<ApiVersion> {
        parse_version_as(
            "DOCKER_VERSION",
            value,
            "an API version such as 1.41 or v1.41",
        )
    }
}

impl FromStr for ApiVersion {
    type Err = Error;
    fn from_str(s: &str) -> Result<ApiVersion> {
        ApiVersion::parse(s)
    }
}

impl fmt::Display for ApiVersion {
    /// `1.41`, as it goes into a request path after `/v`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// `1.41` or `v1.41`; `expected` describes the good forms for the error.
fn parse_version_as(key: &str, value: &str, expected: &str) -> Result<ApiVersion> {
    let bad = |why: &str| Error::setting(key, value, format!("{expected}{why}"));
    let s = value.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let Some((major, minor)) = s.split_once('.') else {
        return Err(bad(""));
    };
    let (Some(major), Some(minor)) = (version_number(major), version_number(minor)) else {
        return Err(bad(""));
    };
    if major != 1 {
        return Err(bad(" (the Engine API has only 1.x versions)"));
    }
    Ok(ApiVersion::new(major, minor))
}

/// A decimal number without sign or leading zero, such as `41`.
fn version_number(s: &str) -> Option<u16> {
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

/// A TLS protocol version to pin with `DOCKER_TLS_SSL_VERSION`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2 only.
    Tls12,
    /// TLS 1.3 only.
    Tls13,
}

impl TlsVersion {
    /// Parses a `DOCKER_TLS_SSL_VERSION` value, in any case: `TLSv1_2`, `TLSv1.2`,
    /// `PROTOCOL_TLSv1_2`, `ssl.PROTOCOL_TLSv1_2`, `1.2` (and the same for 1.3) pin a version.
    /// `PROTOCOL_TLS`, `PROTOCOL_TLS_CLIENT`, `PROTOCOL_SSLv23`, `None` and an empty value pin
    /// nothing (`Ok(None)`: 1.2 or 1.3, whichever the engine prefers). SSL 2 and 3, TLS 1.0
    /// and 1.1 are refused: rustls speaks only TLS 1.2 and 1.3.
    pub fn parse(value: &str) -> Result<Option<TlsVersion>> {
        parse_tls_version_as("DOCKER_TLS_SSL_VERSION", value)
    }
}

impl fmt::Display for TlsVersion {
    /// `TLSv1_2` or `TLSv1_3`, the form `DOCKER_TLS_SSL_VERSION` takes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TlsVersion::Tls12 => "TLSv1_2",
            TlsVersion::Tls13 => "TLSv1_3",
        })
    }
}

fn parse_tls_version_as(key: &str, value: &str) -> Result<Option<TlsVersion>> {
    const EXPECTED: &str = "TLSv1_2 or TLSv1_3 (also written TLSv1.2, PROTOCOL_TLSv1_2, 1.2), \
                            or None, PROTOCOL_TLS, PROTOCOL_TLS_CLIENT for either";
    let lower = value.trim().to_ascii_lowercase();
    let s = lower.strip_prefix("ssl.").unwrap_or(&lower);
    let s = s.strip_prefix("protocol_").unwrap_or(s);
    match s {
        "" | "none" | "tls" | "tls_client" | "sslv23" => return Ok(None),
        "sslv2" | "sslv3" => return Err(too_old(key, value)),
        _ => {}
    }
    let number = s.strip_prefix("tls").unwrap_or(s);
    let number = number.strip_prefix('v').unwrap_or(number).replace('_', ".");
    match number.as_str() {
        "1.2" => Ok(Some(TlsVersion::Tls12)),
        "1.3" => Ok(Some(TlsVersion::Tls13)),
        "1" | "1.0" | "1.1" => Err(too_old(key, value)),
        _ => Err(Error::setting(key, value, EXPECTED)),
    }
}

fn too_old(key: &str, value: &str) -> Error {
    Error::setting(
        key,
        value,
        "TLSv1_2, TLSv1_3 or None: SSL 2 and 3 and TLS 1.0 and 1.1 are insecure, and rustls \
         speaks only TLS 1.2 and 1.3 (every Docker engine does too)",
    )
}

/// How to reach the engine: plain data, built from Flask-Docker's keys
/// ([`from_pairs`](Settings::from_pairs), [`from_file`](Settings::from_file)), from the docker
/// CLI's environment ([`from_env`](Settings::from_env)), or with [`Settings::new`] and the
/// `with_*` methods. [`Docker::new`](crate::Docker::new) turns it into a client.
///
/// # Values
///
/// Values are strings, as in a Flask config, and are trimmed of surrounding whitespace:
///
/// | key | value | default |
/// | --- | --- | --- |
/// | `DOCKER_URL` | an address in any form of [`Host::parse`]; required | — |
/// | `DOCKER_VERSION` | `1.41`, `v1.41`, or `auto` to negotiate | `auto` |
/// | `DOCKER_TIMEOUT` | decimal seconds greater than 0: `30`, `2.5` | `30` |
/// | `DOCKER_TLS` | boolean: TLS for `tcp://` and bare addresses | `False` |
/// | `DOCKER_TLS_VERIFY` | boolean: verify the certificate chain | `True` |
/// | `DOCKER_TLS_SSL_VERSION` | `TLSv1_2` or `TLSv1_3` (see [`TlsVersion::parse`]) | either |
/// | `DOCKER_TLS_ASSERT_HOSTNAME` | boolean: the certificate must name the host | `True` |
/// | `DOCKER_TLS_CLIENT_CERT` | `cert.pem:key.pem` (`C:\` is not a separator) | none |
/// | `DOCKER_TLS_CA_CERT` | a CA file, then the only trust root | webpki roots |
/// | `DOCKER_TLS_CERT_PATH` | a folder of `ca.pem`, `cert.pem`, `key.pem` | none |
///
/// Booleans are `True/False`, `true/false`, `1/0`, `yes/no` or `on/off`, in any case. The
/// last five keys take `None` (any case) or an empty value as "not set". Every error names
/// the key, the value and the form expected.
///
/// Two departures from Flask-Docker: the API version is negotiated unless pinned (every
/// current engine refuses Flask-Docker's default `1.16`), and certificates are verified
/// unless `DOCKER_TLS_VERIFY=False` (as Flask-Docker's code did, whatever its docs said).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Settings {
    /// `DOCKER_URL`: the engine's address.
    pub host: Host,
    /// `DOCKER_VERSION`: the API version to pin, or `None` to negotiate (`auto`, the default).
    pub version: Option<ApiVersion>,
    /// `DOCKER_TIMEOUT`: connect and request deadline for ordinary calls (default 30 s).
    pub timeout: Duration,
    /// `DOCKER_TLS`: use TLS for `tcp://` addresses (default false).
    pub tls: bool,
    /// `DOCKER_TLS_VERIFY`: verify the engine's certificate chain (default true).
    pub tls_verify: bool,
    /// `DOCKER_TLS_SSL_VERSION`: pin one TLS version (default: 1.2 or 1.3).
    pub tls_ssl_version: Option<TlsVersion>,
    /// `DOCKER_TLS_ASSERT_HOSTNAME`: check that the certificate names the host (default true).
    pub tls_assert_hostname: bool,
    /// `DOCKER_TLS_CLIENT_CERT`: client certificate and key files.
    pub tls_client_cert: Option<(PathBuf, PathBuf)>,
    /// `DOCKER_TLS_CA_CERT`: the CA file; when set, the only trust root.
    pub tls_ca_cert: Option<PathBuf>,
    /// `DOCKER_TLS_CERT_PATH`: a folder holding `ca.pem`, `cert.pem`, `key.pem`, used where
    /// the two keys above are not set.
    pub tls_cert_path: Option<PathBuf>,
    /// For `ssh://` hosts: extra arguments for the system `ssh`, before the host, such as
    /// `["-i", "/path/key", "-o", "StrictHostKeyChecking=accept-new"]` (default: none, so
    /// `~/.ssh/config` and the ssh agent decide).
    pub ssh_args: Vec<String>,
    /// Which setting pinned `version`, for the error when the engine refuses it.
    version_key: Provenance,
}

/// Where a value came from (a key, with its file and line when read from a file): said in
/// errors, but no part of what the settings are, so equal settings from a file and from
/// pairs compare equal.
#[derive(Clone, Debug)]
struct Provenance(String);

impl PartialEq for Provenance {
    fn eq(&self, _: &Provenance) -> bool {
        true
    }
}

/// The default of `DOCKER_TIMEOUT`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest `DOCKER_TIMEOUT`: a week. Streams have no deadline at all, so no ordinary
/// call needs more, and deadlines far in the future overflow the clock's arithmetic.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

/// The keys [`Settings::from_pairs`] reads; the order is the index into [`Raw::slots`].
const KEYS: [&str; 10] = [
    "DOCKER_URL",
    "DOCKER_VERSION",
    "DOCKER_TIMEOUT",
    "DOCKER_TLS",
    "DOCKER_TLS_VERIFY",
    "DOCKER_TLS_SSL_VERSION",
    "DOCKER_TLS_ASSERT_HOSTNAME",
    "DOCKER_TLS_CLIENT_CERT",
    "DOCKER_TLS_CA_CERT",
    "DOCKER_TLS_CERT_PATH",
];

const BOOL_FORM: &str = "True or False (also true/false, 1/0, yes/no, on/off)";

impl Settings {
    /// Settings for the engine at `url` (any form of [`Host::parse`]) with every other value
    /// at its default: negotiated version, 30 s timeout, no TLS for `tcp://` (verification,
    /// hostname check and webpki roots when TLS is turned on).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dockhand::Settings;
    /// let settings = Settings::new("tcp://10.0.0.5:2376")?
    ///     .with_tls(true)
    ///     .with_tls_cert_path("/etc/docker/certs")
    ///     .with_timeout(Duration::from_secs(10));
    /// assert!(settings.uses_tls());
    /// # Ok::<(), dockhand::Error>(())
    /// ```
    pub fn new(url: &str) -> Result<Settings> {
        Ok(Settings::for_host(Host::parse("DOCKER_URL", url)?))
    }

    fn for_host(host: Host) -> Settings {
        Settings {
            host,
            version: None,
            timeout: DEFAULT_TIMEOUT,
            tls: false,
            tls_verify: true,
            tls_ssl_version: None,
            tls_assert_hostname: true,
            tls_client_cert: None,
            tls_ca_cert: None,
            tls_cert_path: None,
            ssh_args: Vec::new(),
            version_key: Provenance("Settings::with_version".to_string()),
        }
    }

    /// The setting that pinned the API version: `DOCKER_VERSION` (settings from pairs or a
    /// file), `DOCKER_API_VERSION` (the environment), or `Settings::with_version`.
    pub(crate) fn version_key(&self) -> &str {
        &self.version_key.0
    }

    /// Pins the API version (`DOCKER_VERSION`).
    pub fn with_version(mut self, version: ApiVersion) -> Settings {
        self.version = Some(version);
        self.version_key = Provenance("Settings::with_version".to_string());
        self
    }

    /// Negotiates the API version with the engine (`DOCKER_VERSION=auto`, the default).
    pub fn with_auto_version(mut self) -> Settings {
        self.version = None;
        self
    }

    /// Sets the connect and request deadline of ordinary calls (`DOCKER_TIMEOUT`).
    pub fn with_timeout(mut self, timeout: Duration) -> Settings {
        self.timeout = timeout;
        self
    }

    /// Uses TLS for `tcp://` addresses (`DOCKER_TLS`).
    pub fn with_tls(mut self, tls: bool) -> Settings {
        self.tls = tls;
        self
    }

    /// Verifies the engine's certificate chain (`DOCKER_TLS_VERIFY`, default true).
    pub fn with_tls_verify(mut self, verify: bool) -> Settings {
        self.tls_verify = verify;
        self
    }

    /// Pins one TLS version, or `None` for either 1.2 or 1.3 (`DOCKER_TLS_SSL_VERSION`).
    pub fn with_tls_ssl_version(mut self, version: Option<TlsVersion>) -> Settings {
        self.tls_ssl_version = version;
        self
    }

    /// Checks that the certificate names the host (`DOCKER_TLS_ASSERT_HOSTNAME`, default
    /// true). `false` still verifies the chain, unless verification is off.
    pub fn with_tls_assert_hostname(mut self, assert: bool) -> Settings {
        self.tls_assert_hostname = assert;
        self
    }

    /// Presents a client certificate (`DOCKER_TLS_CLIENT_CERT`): the certificate and its key.
    pub fn with_tls_client_cert(
        mut self,
        cert: impl Into<PathBuf>,
        key: impl Into<PathBuf>,
    ) -> Settings {
        self.tls_client_cert = Some((cert.into(), key.into()));
        self
    }

    /// Trusts only this CA file (`DOCKER_TLS_CA_CERT`).
    pub fn with_tls_ca_cert(mut self, path: impl Into<PathBuf>) -> Settings {
        self.tls_ca_cert = Some(path.into());
        self
    }

    /// Takes `ca.pem`, `cert.pem` and `key.pem` from this folder where the CA and client
    /// certificate are not set (`DOCKER_TLS_CERT_PATH`).
    pub fn with_tls_cert_path(mut self, path: impl Into<PathBuf>) -> Settings {
        self.tls_cert_path = Some(path.into());
        self
    }

    /// Sets extra arguments for `ssh` (`ssh://` hosts only), before the host name.
    pub fn with_ssh_args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Settings {
        self.ssh_args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Reads Flask-Docker's keys from a Flask-style config: any pairs of strings.
    ///
    /// Only the ten `DOCKER_*` keys are read (see [`Settings`] for their values); other keys
    /// are ignored, and a key given twice takes its last value.
    /// `DOCKER_URL` is required. The result is [`check`](Settings::check)ed.
    ///
    /// ```
    /// use dockhand::Settings;
    /// let settings = Settings::from_pairs([
    ///     ("DOCKER_URL", "https://192.168.59.103:2376"),
    ///     ("DOCKER_TLS_CERT_PATH", "/Users/yo/.boot2docker/certs/boot2docker-vm"),
    ///     ("DOCKER_TLS_ASSERT_HOSTNAME", "False"),
    ///     ("SECRET_KEY", "not ours"),
    /// ])?;
    /// assert!(!settings.tls_assert_hostname);
    /// # Ok::<(), dockhand::Error>(())
    /// ```
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<Settings>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut raw = Raw::new("");
        for (key, value) in pairs {
            let key = key.as_ref();
            raw.set(key, value.as_ref(), key.to_string());
        }
        raw.build()
    }

    /// Reads Flask-Docker's keys from a config file of `KEY=value` lines, such as:
    ///
    /// ```text
    /// # boot2docker
    /// DOCKER_URL="https://192.168.59.103:2376"
    /// DOCKER_TLS = True
    /// export DOCKER_TLS_ASSERT_HOSTNAME=False   # its certificate names "boot2docker"
    /// ```
    ///
    /// Spaces around `=` are allowed; a value may be in single or double quotes (taken
    /// literally: no escapes, so Windows paths need no doubling); `#` starts a comment at the
    /// start of a line, after a closing quote, or after whitespace in an unquoted value; a
    /// leading `export ` is skipped. Lines for keys other than the ten `DOCKER_*` keys are
    /// skipped; a line that is not `KEY=value` is an error. Errors name the file and line,
    /// and an unreadable file is [`Error::File`]. The values then read as in
    /// [`from_pairs`](Settings::from_pairs).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Settings> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::File {
            path: path.to_path_buf(),
            source,
        })?;
        Settings::from_config_text(&text, &path.display().to_string())
    }

    /// [`from_file`](Settings::from_file) after the reading; `name` is the file in errors.
    fn from_config_text(text: &str, name: &str) -> Result<Settings> {
        let mut raw = Raw::new(&format!(" ({name})"));
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, line) in text.lines().enumerate() {
            let at = format!("{name} line {}", index + 1);
            if let Some((key, value)) = parse_config_line(line, &at)? {
                raw.set(key, &value, format!("{key} ({at})"));
            }
        }
        raw.build()
    }

    /// Reads the docker CLI's environment:
    ///
    /// - `DOCKER_HOST`: the engine (default `unix:///var/run/docker.sock`);
    /// - `DOCKER_TLS_VERIFY`: any non-empty value (even `0`, as in the docker CLI and
    ///   docker-py) turns TLS on with verification;
    /// - `DOCKER_CERT_PATH`: the folder of `ca.pem`, `cert.pem` and `key.pem`; set without
    ///   `DOCKER_TLS_VERIFY` it turns TLS on without verification. When TLS is on it defaults
    ///   to `~/.docker`;
    /// - `DOCKER_TLS`: any non-empty value turns TLS on (without verification unless
    ///   `DOCKER_TLS_VERIFY` is set), as the docker CLI's `--tls`;
    /// - `DOCKER_API_VERSION`: pins the API version (otherwise it is negotiated).
    ///
    /// With `DOCKER_HOST` unset, the docker CLI context that `DOCKER_CONTEXT` names, else
    /// the `currentContext` of `config.json` (in `$DOCKER_CONFIG` or `~/.docker`), chooses
    /// the engine and its TLS files: see [`Settings::from_context`]. The timeout is 30 s.
    pub fn from_env() -> Result<Settings> {
        Settings::from_env_with(&|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })
    }

    fn from_env_with(get: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
        let set = |name: &str| get(name).filter(|v| !v.is_empty());
        let host = match set("DOCKER_HOST") {
            Some(host) => Host::parse("DOCKER_HOST", &host)?,
            None => {
                // No DOCKER_HOST: the context DOCKER_CONTEXT names, else the CLI config's
                // currentContext, as the docker CLI chooses.
                let config_dir = context::config_dir(get);
                let chosen = match (set("DOCKER_CONTEXT"), &config_dir) {
                    (Some(name), _) => Some(name.trim().to_string()),
                    (None, Some(dir)) => context::current_context(dir)?,
                    (None, None) => None,
                };
                match (chosen, config_dir) {
                    (Some(name), Some(dir)) if name != "default" => {
                        let mut settings = context::load(&dir, &name)?;
                        settings.apply_api_version(get)?;
                        settings.check()?;
                        return Ok(settings);
                    }
                    (Some(name), None) if name != "default" => {
                        return Err(Error::setting(
                            "DOCKER_CONTEXT",
                            &name,
                            "a context in the docker CLI's config folder, but neither \
                             DOCKER_CONFIG nor HOME is set to find it",
                        ))
                    }
                    _ => Host::Unix(PathBuf::from(DEFAULT_SOCKET)),
                }
            }
        };
        let mut settings = Settings::for_host(host);

        let verify = set("DOCKER_TLS_VERIFY").is_some();
        let cert_path = set("DOCKER_CERT_PATH").map(PathBuf::from);
        let tls = verify || cert_path.is_some() || set("DOCKER_TLS").is_some();
        if tls {
            settings.tls = true;
            settings.tls_verify = verify;
            settings.tls_cert_path = cert_path.or_else(|| {
                set("HOME")
                    .or_else(|| set("USERPROFILE"))
                    .map(|home| Path::new(&home).join(".docker"))
            });
        }
        settings.apply_api_version(get)?;
        settings.check()?;
        Ok(settings)
    }

    /// `DOCKER_API_VERSION` pins the version, whatever chose the engine.
    fn apply_api_version(&mut self, get: &dyn Fn(&str) -> Option<String>) -> Result<()> {
        if let Some(version) = get("DOCKER_API_VERSION").filter(|v| !v.is_empty()) {
            self.version_key = Provenance("DOCKER_API_VERSION".to_string());
            self.version = Some(parse_version_as(
                "DOCKER_API_VERSION",
                &version,
                "an API version such as 1.41 or v1.41",
            )?);
        }
        Ok(())
    }

    /// The settings of a docker CLI context (`docker context ls`), from the context store
    /// in `$DOCKER_CONFIG` or `~/.docker`: its endpoint, and its TLS files when it has
    /// them. `default` is the local socket.
    pub fn from_context(name: &str) -> Result<Settings> {
        let get = |key: &str| std::env::var(key).ok();
        if name == "default" {
            return Settings::new(&format!("unix://{DEFAULT_SOCKET}"));
        }
        let dir = context::config_dir(&get).ok_or_else(|| {
            Error::setting(
                "DOCKER_CONTEXT",
                name,
                "a context in the docker CLI's config folder, but neither DOCKER_CONFIG nor \
                 HOME is set to find it",
            )
        })?;
        let settings = context::load(&dir, name)?;
        settings.check()?;
        Ok(settings)
    }

    /// The CA file to trust: `DOCKER_TLS_CA_CERT`, else `ca.pem` in `DOCKER_TLS_CERT_PATH`,
    /// else none (the webpki roots).
    pub fn ca_cert(&self) -> Option<PathBuf> {
        self.tls_ca_cert
            .clone()
            .or_else(|| self.tls_cert_path.as_ref().map(|p| p.join("ca.pem")))
    }

    /// The client certificate and key: `DOCKER_TLS_CLIENT_CERT`, else `cert.pem` and
    /// `key.pem` in `DOCKER_TLS_CERT_PATH`, else none.
    pub fn client_cert(&self) -> Option<(PathBuf, PathBuf)> {
        self.tls_client_cert.clone().or_else(|| {
            self.tls_cert_path
                .as_ref()
                .map(|p| (p.join("cert.pem"), p.join("key.pem")))
        })
    }

    /// Whether connections use TLS: always for `https://`, never for `http://`, unix
    /// sockets and ssh, and for `tcp://` and bare addresses when `tls` is on.
    pub fn uses_tls(&self) -> bool {
        match &self.host {
            Host::Tcp { scheme, .. } => match scheme {
                TcpScheme::Https => true,
                TcpScheme::Http => false,
                TcpScheme::Tcp => self.tls,
            },
            Host::Unix(_) | Host::Ssh { .. } => false,
        }
    }

    /// The TCP port to dial: the URL's, else 2376 with TLS and 2375 without (as the docker
    /// CLI does); `None` for unix sockets and ssh.
    pub fn tcp_port(&self) -> Option<u16> {
        match &self.host {
            Host::Tcp { port, .. } => {
                Some(port.unwrap_or(if self.uses_tls() { 2376 } else { 2375 }))
            }
            Host::Unix(_) | Host::Ssh { .. } => None,
        }
    }

    /// Checks that the settings agree with each other: the timeout is above zero and at most
    /// [`MAX_TIMEOUT`], and an `http://` address is always plain,
    /// so TLS on with one is an error. TLS options given while TLS is off are ignored, as
    /// docker-py does.
    pub fn check(&self) -> Result<()> {
        if self.timeout.is_zero() || self.timeout > MAX_TIMEOUT {
            return Err(Error::setting(
                "DOCKER_TIMEOUT",
                &format!("{:?}", self.timeout),
                "a duration greater than 0 and at most a week",
            ));
        }
        if let Host::Tcp {
            scheme: TcpScheme::Http,
            ..
        } = &self.host
        {
            if self.tls {
                return Err(Error::setting(
                    "DOCKER_TLS",
                    "True",
                    format!(
                        "False with the address {}, since http:// is always plain: for TLS, \
                         write the address as https:// or tcp://",
                        self.host
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The `DOCKER_*` values found so far, each with the name its errors give it.
struct Raw {
    slots: [Option<(String, String)>; KEYS.len()],
    /// Appended to `DOCKER_URL` when it is missing: where we looked.
    origin: String,
}

impl Raw {
    fn new(origin: &str) -> Raw {
        Raw {
            slots: Default::default(),
            origin: origin.to_string(),
        }
    }

    fn set(&mut self, key: &str, value: &str, label: String) {
        if let Some(i) = KEYS.iter().position(|k| *k == key) {
            self.slots[i] = Some((value.trim().to_string(), label));
        }
    }

    /// The value and label of a key, if given.
    fn get(&self, key: &str) -> Option<(&str, &str)> {
        let i = KEYS.iter().position(|k| *k == key)?;
        self.slots[i]
            .as_ref()
            .map(|(value, label)| (value.as_str(), label.as_str()))
    }

    /// The value and label of a key whose Flask-Docker default is `None`, unless `None` or
    /// empty.
    fn get_optional(&self, key: &str) -> Option<(&str, &str)> {
        self.get(key)
            .filter(|(value, _)| !value.is_empty() && !value.eq_ignore_ascii_case("none"))
    }

    fn build(&self) -> Result<Settings> {
        let host = match self.get_optional("DOCKER_URL") {
            Some((value, label)) => Host::parse(label, value)?,
            None => {
                let (value, label) = match self.get("DOCKER_URL") {
                    Some((value, label)) => (value, label.to_string()),
                    None => ("", format!("DOCKER_URL{}", self.origin)),
                };
                return Err(Error::setting(
                    &label,
                    value,
                    "the engine's URL, such as DOCKER_URL=\"unix:///var/run/docker.sock\" or \
                     DOCKER_URL=\"tcp://127.0.0.1:2375\": DOCKER_URL is required",
                ));
            }
        };
        let mut s = Settings::for_host(host);
        if let Some((value, label)) = self.get("DOCKER_VERSION") {
            s.version_key = Provenance(label.to_string());
            s.version = if value.eq_ignore_ascii_case("auto") {
                None
            } else {
                Some(parse_version_as(
                    label,
                    value,
                    "an API version such as 1.41 or v1.41, or auto to negotiate",
                )?)
            };
        }
        if let Some((value, label)) = self.get("DOCKER_TIMEOUT") {
            s.timeout = parse_timeout(label, value)?;
        }
        if let Some((value, label)) = self.get("DOCKER_TLS") {
            s.tls = parse_bool(label, value)?;
        }
        if let Some((value, label)) = self.get("DOCKER_TLS_VERIFY") {
            s.tls_verify = parse_bool(label, value)?;
        }
        if let Some((value, label)) = self.get("DOCKER_TLS_SSL_VERSION") {
            s.tls_ssl_version = parse_tls_version_as(label, value)?;
        }
        if let Some((value, label)) = self.get_optional("DOCKER_TLS_ASSERT_HOSTNAME") {
            s.tls_assert_hostname = parse_bool(label, value)?;
        }
        if let Some((value, label)) = self.get_optional("DOCKER_TLS_CLIENT_CERT") {
            let (cert, key) = split_cert_pair(value).ok_or_else(|| {
                Error::setting(
                    label,
                    value,
                    "the certificate and key files separated by a colon, as in \
                     /path/to/cert.pem:/path/to/key.pem (a drive letter such as C:\\ is not a \
                     separator)",
                )
            })?;
            s.tls_client_cert = Some((PathBuf::from(cert), PathBuf::from(key)));
        }
        if let Some((value, _)) = self.get_optional("DOCKER_TLS_CA_CERT") {
            s.tls_ca_cert = Some(PathBuf::from(value));
        }
        if let Some((value, _)) = self.get_optional("DOCKER_TLS_CERT_PATH") {
            s.tls_cert_path = Some(PathBuf::from(value));
        }
        s.check()?;
        Ok(s)
    }
}

fn parse_bool(label: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(Error::setting(label, value, BOOL_FORM)),
    }
}

/// Decimal seconds greater than zero: `30`, `2.5`, `.5`; no sign, exponent, `inf` or `NaN`.
fn parse_timeout(label: &str, value: &str) -> Result<Duration> {
    let bad = || {
        Error::setting(
            label,
            value,
            "a number of seconds greater than 0 and at most 604800 (a week), such as 30 or 2.5",
        )
    };
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(bad());
    }
    let seconds: f64 = value.parse().map_err(|_| bad())?;
    match Duration::try_from_secs_f64(seconds) {
        Ok(timeout) if !timeout.is_zero() && timeout <= MAX_TIMEOUT => Ok(timeout),
        _ => Err(bad()),
    }
}

/// Splits `cert:key` at the one colon that is not a drive letter's (`C:\` or `C:/` at the
/// start of either path). `None` unless there are exactly two non-empty parts.
fn split_cert_pair(value: &str) -> Option<(&str, &str)> {
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut separator = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b':' {
            continue;
        }
        let drive = i == start + 1
            && bytes[start].is_ascii_alphabetic()
            && matches!(bytes.get(i + 1), Some(b'\\' | b'/'));
        if drive {
            continue;
        }
        if separator.is_some() {
            return None;
        }
        separator = Some(i);
        start = i + 1;
    }
    let i = separator?;
    let (cert, key) = (value[..i].trim(), value[i + 1..].trim());
    if cert.is_empty() || key.is_empty() {
        return None;
    }
    Some((cert, key))
}

/// One line of a config file: `Ok(None)` for blanks, comments and keys we do not read.
/// `at` is `file line N`, for errors.
fn parse_config_line<'a>(line: &'a str, at: &str) -> Result<Option<(&'a str, String)>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let line = match line.strip_prefix("export") {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start(),
        _ => line,
    };
    // Only lines about our keys are quoted back in errors: other lines may hold secrets.
    let shown = |text: &'a str| {
        if text.starts_with("DOCKER_") {
            text
        } else {
            ""
        }
    };
    let Some((key, value)) = line.split_once('=') else {
        return Err(Error::setting(
            at,
            shown(line),
            "a KEY=value line, a # comment or a blank line (a line that is not about a \
             DOCKER_ key is not shown, in case it holds a secret)",
        ));
    };
    let key = key.trim();
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let is_name = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(name_char);
    if !is_name {
        return Err(Error::setting(
            at,
            key,
            "a KEY=value line whose key is a name of letters, digits and `_`, such as DOCKER_URL",
        ));
    }
    if !KEYS.contains(&key) {
        return Ok(None);
    }
    let value = value.trim();
    let label = format!("{key} ({at})");
    let value = match value.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &value[1..];
            let Some(end) = inner.find(quote) else {
                return Err(Error::setting(
                    &label,
                    value,
                    format!("a value that ends with a closing {quote}"),
                ));
            };
            let after = inner[end + 1..].trim_start();
            if !after.is_empty() && !after.starts_with('#') {
                return Err(Error::setting(
                    &label,
                    value,
                    format!("nothing after the closing {quote} but a # comment"),
                ));
            }
            &inner[..end]
        }
        _ => {
            let comment = value
                .char_indices()
                .find(|&(i, c)| c == '#' && (i == 0 || value[..i].ends_with(char::is_whitespace)))
                .map_or(value.len(), |(i, _)| i);
            value[..comment].trim_end()
        }
    };
    Ok(Some((key, value.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: (&str, &str) = ("DOCKER_URL", "tcp://10.0.0.5:2376");

    fn pairs(extra: &[(&str, &str)]) -> Result<Settings> {
        Settings::from_pairs(std::iter::once(URL).chain(extra.iter().copied()))
    }

    /// Asserts that `result` is a setting error whose message holds every one of `words`.
    #[track_caller]
    fn assert_err<T: fmt::Debug>(result: Result<T>, words: &[&str]) {
        match result {
            Err(err @ Error::Setting { .. }) => {
                let text = err.to_string();
                for word in words {
                    assert!(text.contains(word), "{word:?} not in: {text}");
                }
            }
            other => panic!("expected a setting error with {words:?}, got {other:?}"),
        }
    }

    #[test]
    fn api_versions() {
        let good = [
            ("1.41", 41),
            ("v1.41", 41),
            ("V1.24", 24),
            (" 1.47 ", 47),
            ("1.16", 16),
            ("1.0", 0),
            ("1.100", 100),
        ];
        for (input, minor) in good {
            let v = ApiVersion::parse(input).unwrap();
            assert_eq!(v, ApiVersion::new(1, minor), "{input}");
            assert_eq!(input.parse::<ApiVersion>().unwrap(), v);
            assert_eq!(v.to_string().parse::<ApiVersion>().unwrap(), v);
        }
        assert_eq!(ApiVersion::parse("v1.41").unwrap().to_string(), "1.41");
        let bad = [
            "", "1", "1.", ".41", "1.x", "2.0", "0.9", "01.41", "1.041", "1.41.0", "v", "vv1.41",
            "1.99999", "-1.2", "+1.2", "1.4 1", "auto", "１.41",
        ];
        for input in bad {
            assert_err(ApiVersion::parse(input), &["DOCKER_VERSION", "1.41"]);
        }
        assert_err(ApiVersion::parse("2.0"), &["only 1.x"]);
        assert!(ApiVersion::OLDEST < ApiVersion::NEWEST);
        assert_eq!(ApiVersion::OLDEST.to_string(), "1.24");
        assert_eq!(ApiVersion::NEWEST.to_string(), "1.51");
        assert!(ApiVersion::new(1, 9) < ApiVersion::new(1, 10));
    }

    #[test]
    fn tls_versions() {
        use TlsVersion::{Tls12, Tls13};
        let good: &[(&str, Option<TlsVersion>)] = &[
            ("TLSv1_2", Some(Tls12)),
            ("TLSv1.2", Some(Tls12)),
            ("PROTOCOL_TLSv1_2", Some(Tls12)),
            ("ssl.PROTOCOL_TLSv1_2", Some(Tls12)),
            ("1.2", Some(Tls12)),
            ("tlsv1_2", Some(Tls12)),
            ("TLS1.2", Some(Tls12)),
            ("TLSv1_3", Some(Tls13)),
            ("tlsv1.3", Some(Tls13)),
            ("protocol_tlsv1_3", Some(Tls13)),
            ("1.3", Some(Tls13)),
            ("1_3", Some(Tls13)),
            ("PROTOCOL_TLS", None),
            ("PROTOCOL_TLS_CLIENT", None),
            ("PROTOCOL_SSLv23", None),
            ("None", None),
            ("none", None),
            ("", None),
            ("  ", None),
        ];
        for (input, want) in good {
            assert_eq!(TlsVersion::parse(input).unwrap(), *want, "{input}");
        }
        for v in [Tls12, Tls13] {
            assert_eq!(TlsVersion::parse(&v.to_string()).unwrap(), Some(v));
        }
        let refused = [
            "SSLv2",
            "SSLv3",
            "TLSv1",
            "TLSv1_1",
            "tlsv1.1",
            "PROTOCOL_SSLv2",
            "PROTOCOL_SSLv3",
            "PROTOCOL_TLSv1",
            "PROTOCOL_TLSv1_1",
            "1.0",
            "1.1",
        ];
        for input in refused {
            assert_err(
                TlsVersion::parse(input),
                &["DOCKER_TLS_SSL_VERSION", "rustls", "1.2 and 1.3"],
            );
        }
        for input in ["TLSv1_4", "PROTOCOL_TLS_SERVER", "tls 1.2", "1.2.3", "yes"] {
            assert_err(
                TlsVersion::parse(input),
                &["DOCKER_TLS_SSL_VERSION", "TLSv1_2"],
            );
        }
    }

    #[test]
    fn new_has_the_defaults() {
        let s = Settings::new("unix://").unwrap();
        assert_eq!(s.host, Host::Unix(PathBuf::from(DEFAULT_SOCKET)));
        assert_eq!(s.version, None);
        assert_eq!(s.timeout, Duration::from_secs(30));
        assert!(!s.tls && s.tls_verify && s.tls_assert_hostname);
        assert_eq!(s.tls_ssl_version, None);
        assert_eq!(
            (s.tls_client_cert.clone(), s.tls_ca_cert.clone()),
            (None, None)
        );
        assert_eq!(s.tls_cert_path, None);
        assert_eq!((s.ca_cert(), s.client_cert()), (None, None));
        assert_eq!(
            Settings::from_pairs([("DOCKER_URL", "unix://")]).unwrap(),
            s
        );
        assert_err(Settings::new("ftp://x"), &["DOCKER_URL", "ftp"]);
    }

    #[test]
    fn builder_sets_every_field() {
        let s = Settings::new("tcp://h:2376")
            .unwrap()
            .with_version(ApiVersion::new(1, 41))
            .with_timeout(Duration::from_millis(2500))
            .with_tls(true)
            .with_tls_verify(false)
            .with_tls_ssl_version(Some(TlsVersion::Tls13))
            .with_tls_assert_hostname(false)
            .with_tls_client_cert("/c.pem", "/k.pem")
            .with_tls_ca_cert("/ca.pem")
            .with_tls_cert_path("/certs");
        assert_eq!(s.version, Some(ApiVersion::new(1, 41)));
        assert_eq!(s.timeout, Duration::from_millis(2500));
        assert!(s.tls && !s.tls_verify && !s.tls_assert_hostname);
        assert_eq!(s.tls_ssl_version, Some(TlsVersion::Tls13));
        assert_eq!(s.client_cert(), Some(("/c.pem".into(), "/k.pem".into())));
        assert_eq!(s.ca_cert(), Some("/ca.pem".into()));
        assert_eq!(s.tls_cert_path, Some("/certs".into()));
        assert_eq!(s.clone().with_auto_version().version, None);
        assert!(s.check().is_ok());
    }

    #[test]
    fn every_key_good_values() {
        type Check = fn(&Settings) -> bool;
        let cases: &[(&str, &str, Check)] = &[
            ("DOCKER_VERSION", "1.41", |s| {
                s.version == Some(ApiVersion::new(1, 41))
            }),
            ("DOCKER_VERSION", "v1.44", |s| {
                s.version == Some(ApiVersion::new(1, 44))
            }),
            ("DOCKER_VERSION", "auto", |s| s.version.is_none()),
            ("DOCKER_VERSION", "AUTO", |s| s.version.is_none()),
            ("DOCKER_TIMEOUT", "30", |s| {
                s.timeout == Duration::from_secs(30)
            }),
            ("DOCKER_TIMEOUT", "2.5", |s| {
                s.timeout == Duration::from_millis(2500)
            }),
            ("DOCKER_TIMEOUT", "0.5", |s| {
                s.timeout == Duration::from_millis(500)
            }),
            ("DOCKER_TIMEOUT", ".25", |s| {
                s.timeout == Duration::from_millis(250)
            }),
            ("DOCKER_TIMEOUT", "10.", |s| {
                s.timeout == Duration::from_secs(10)
            }),
            ("DOCKER_TIMEOUT", " 7 ", |s| {
                s.timeout == Duration::from_secs(7)
            }),
            ("DOCKER_TIMEOUT", "0030", |s| {
                s.timeout == Duration::from_secs(30)
            }),
            ("DOCKER_TLS", "True", |s| s.tls),
            ("DOCKER_TLS", "true", |s| s.tls),
            ("DOCKER_TLS", "1", |s| s.tls),
            ("DOCKER_TLS", "YES", |s| s.tls),
            ("DOCKER_TLS", "on", |s| s.tls),
            ("DOCKER_TLS", "False", |s| !s.tls),
            ("DOCKER_TLS", "0", |s| !s.tls),
            ("DOCKER_TLS", "no", |s| !s.tls),
            ("DOCKER_TLS", "Off", |s| !s.tls),
            ("DOCKER_TLS_VERIFY", "False", |s| !s.tls_verify),
            ("DOCKER_TLS_VERIFY", "true", |s| s.tls_verify),
            ("DOCKER_TLS_SSL_VERSION", "TLSv1_2", |s| {
                s.tls_ssl_version == Some(TlsVersion::Tls12)
            }),
            ("DOCKER_TLS_SSL_VERSION", "PROTOCOL_TLSv1_3", |s| {
                s.tls_ssl_version == Some(TlsVersion::Tls13)
            }),
            ("DOCKER_TLS_SSL_VERSION", "None", |s| {
                s.tls_ssl_version.is_none()
            }),
            ("DOCKER_TLS_SSL_VERSION", "", |s| {
                s.tls_ssl_version.is_none()
            }),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "False", |s| {
                !s.tls_assert_hostname
            }),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "off", |s| {
                !s.tls_assert_hostname
            }),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "True", |s| {
                s.tls_assert_hostname
            }),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "None", |s| {
                s.tls_assert_hostname
            }),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "", |s| s.tls_assert_hostname),
            ("DOCKER_TLS_CLIENT_CERT", "/a/cert.pem:/a/key.pem", |s| {
                s.tls_client_cert == Some(("/a/cert.pem".into(), "/a/key.pem".into()))
            }),
            ("DOCKER_TLS_CLIENT_CERT", "None", |s| {
                s.tls_client_cert.is_none()
            }),
            ("DOCKER_TLS_CLIENT_CERT", "", |s| {
                s.tls_client_cert.is_none()
            }),
            ("DOCKER_TLS_CA_CERT", "/a/ca.pem", |s| {
                s.tls_ca_cert == Some("/a/ca.pem".into())
            }),
            ("DOCKER_TLS_CA_CERT", "none", |s| s.tls_ca_cert.is_none()),
            ("DOCKER_TLS_CA_CERT", "", |s| s.tls_ca_cert.is_none()),
            ("DOCKER_TLS_CERT_PATH", "/certs", |s| {
                s.tls_cert_path == Some("/certs".into())
            }),
            ("DOCKER_TLS_CERT_PATH", "None", |s| {
                s.tls_cert_path.is_none()
            }),
            ("DOCKER_TLS_CERT_PATH", " ", |s| s.tls_cert_path.is_none()),
        ];
        for (key, value, check) in cases {
            let s = pairs(&[(key, value)]).unwrap_or_else(|e| panic!("{key}={value:?}: {e}"));
            assert!(check(&s), "{key}={value:?}: {s:?}");
        }
    }

    #[test]
    fn every_key_bad_values() {
        let cases: &[(&str, &str, &str)] = &[
            ("DOCKER_VERSION", "", "auto"),
            ("DOCKER_VERSION", "None", "auto"),
            ("DOCKER_VERSION", "1", "1.41"),
            ("DOCKER_VERSION", "1.x", "1.41"),
            ("DOCKER_VERSION", "2.0", "only 1.x"),
            ("DOCKER_VERSION", "latest", "1.41"),
            ("DOCKER_TIMEOUT", "0", "greater than 0"),
            ("DOCKER_TIMEOUT", "0.0", "greater than 0"),
            ("DOCKER_TIMEOUT", "0.0000000001", "greater than 0"),
            ("DOCKER_TIMEOUT", "18446744073709549568", "at most 604800"),
            ("DOCKER_TIMEOUT", "604801", "at most 604800"),
            ("DOCKER_TIMEOUT", "-1", "greater than 0"),
            ("DOCKER_TIMEOUT", "+5", "greater than 0"),
            ("DOCKER_TIMEOUT", "NaN", "2.5"),
            ("DOCKER_TIMEOUT", "inf", "2.5"),
            ("DOCKER_TIMEOUT", "1e3", "2.5"),
            ("DOCKER_TIMEOUT", "thirty", "2.5"),
            ("DOCKER_TIMEOUT", "30s", "2.5"),
            ("DOCKER_TIMEOUT", "", "2.5"),
            ("DOCKER_TIMEOUT", ".", "2.5"),
            ("DOCKER_TIMEOUT", "1.2.3", "2.5"),
            ("DOCKER_TIMEOUT", "1 000", "2.5"),
            ("DOCKER_TIMEOUT", "99999999999999999999999999999", "2.5"),
            ("DOCKER_TLS", "", "True or False"),
            ("DOCKER_TLS", "None", "True or False"),
            ("DOCKER_TLS", "enabled", "True or False"),
            ("DOCKER_TLS", "2", "True or False"),
            ("DOCKER_TLS_VERIFY", "maybe", "True or False"),
            ("DOCKER_TLS_VERIFY", "", "True or False"),
            ("DOCKER_TLS_SSL_VERSION", "TLSv1", "rustls"),
            ("DOCKER_TLS_SSL_VERSION", "PROTOCOL_SSLv3", "rustls"),
            ("DOCKER_TLS_SSL_VERSION", "TLSv2", "TLSv1_2"),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "nope", "True or False"),
            ("DOCKER_TLS_CLIENT_CERT", "/a/cert.pem", "colon"),
            ("DOCKER_TLS_CLIENT_CERT", "/a/cert.pem:", "colon"),
            ("DOCKER_TLS_CLIENT_CERT", ":/a/key.pem", "colon"),
            ("DOCKER_TLS_CLIENT_CERT", "/a:/b:/c", "colon"),
            ("DOCKER_TLS_CLIENT_CERT", ":", "colon"),
        ];
        for (key, value, word) in cases {
            assert_err(pairs(&[(key, value)]), &[key, &format!("{value:?}"), word]);
        }
    }

    #[test]
    fn docker_url_is_required() {
        let none: [(&str, &str); 0] = [];
        assert_err(
            Settings::from_pairs(none),
            &["DOCKER_URL", "required", "unix:///var/run/docker.sock"],
        );
        for value in ["", "  ", "None"] {
            assert_err(
                Settings::from_pairs([("DOCKER_URL", value)]),
                &["DOCKER_URL", "required"],
            );
        }
        assert_err(
            Settings::from_pairs([("DOCKER_HOST", "unix://"), ("docker_url", "unix://")]),
            &["DOCKER_URL", "required"],
        );
        assert_err(
            Settings::from_pairs([("DOCKER_URL", "tcp://h:0")]),
            &["DOCKER_URL", "65535"],
        );
    }

    #[test]
    fn other_keys_are_ignored_and_the_last_value_wins() {
        let s = Settings::from_pairs(vec![
            ("SECRET_KEY".to_string(), "x:y:z".to_string()),
            ("DEBUG".to_string(), "maybe".to_string()),
            ("DOCKER_HOST".to_string(), "nonsense://".to_string()),
            ("DOCKER_URL".to_string(), "ftp://first".to_string()),
            ("DOCKER_URL".to_string(), "unix:///tmp/d.sock".to_string()),
        ])
        .unwrap();
        assert_eq!(s.host, Host::Unix("/tmp/d.sock".into()));
    }

    #[test]
    fn client_cert_pairs() {
        let good = [
            ("/a/cert.pem:/a/key.pem", "/a/cert.pem", "/a/key.pem"),
            ("cert.pem:key.pem", "cert.pem", "key.pem"),
            (
                r"C:\a\cert.pem:C:\a\key.pem",
                r"C:\a\cert.pem",
                r"C:\a\key.pem",
            ),
            ("C:/x:D:/y", "C:/x", "D:/y"),
            (r"c:\x.pem:/unix/key.pem", r"c:\x.pem", "/unix/key.pem"),
            (
                r"/unix/cert.pem:d:\key.pem",
                "/unix/cert.pem",
                r"d:\key.pem",
            ),
            (" /a/c.pem : /a/k.pem ", "/a/c.pem", "/a/k.pem"),
            ("a:b", "a", "b"),
        ];
        for (input, cert, key) in good {
            assert_eq!(split_cert_pair(input), Some((cert, key)), "{input}");
            let s = pairs(&[("DOCKER_TLS_CLIENT_CERT", input)]).unwrap();
            assert_eq!(s.client_cert(), Some((cert.into(), key.into())), "{input}");
        }
        for input in [
            "",
            ":",
            "a",
            "a:",
            ":b",
            "a:b:c",
            r"C:\only.pem",
            "C:/x:",
            "C:",
            "C:/x:D:/y:E:/z",
            "é:::",
        ] {
            assert_eq!(split_cert_pair(input), None, "{input}");
        }
    }

    #[test]
    fn cert_path_fills_only_unset_files() {
        let base = [("DOCKER_TLS", "True"), ("DOCKER_TLS_CERT_PATH", "/certs")];
        let s = pairs(&base).unwrap();
        assert_eq!(s.ca_cert(), Some("/certs/ca.pem".into()));
        assert_eq!(
            s.client_cert(),
            Some(("/certs/cert.pem".into(), "/certs/key.pem".into()))
        );
        // The stored keys stay as given: only the effective files are filled.
        assert_eq!(
            (s.tls_ca_cert.clone(), s.tls_client_cert.clone()),
            (None, None)
        );

        let s = pairs(&[base[0], base[1], ("DOCKER_TLS_CA_CERT", "/mine/ca.pem")]).unwrap();
        assert_eq!(s.ca_cert(), Some("/mine/ca.pem".into()));
        assert_eq!(
            s.client_cert(),
            Some(("/certs/cert.pem".into(), "/certs/key.pem".into()))
        );

        let s = pairs(&[
            base[0],
            base[1],
            ("DOCKER_TLS_CLIENT_CERT", "/m/c.pem:/m/k.pem"),
        ])
        .unwrap();
        assert_eq!(s.ca_cert(), Some("/certs/ca.pem".into()));
        assert_eq!(
            s.client_cert(),
            Some(("/m/c.pem".into(), "/m/k.pem".into()))
        );

        // Order of the keys does not matter.
        let s = Settings::from_pairs([
            ("DOCKER_TLS_CA_CERT", "/mine/ca.pem"),
            ("DOCKER_TLS_CERT_PATH", "/certs"),
            ("DOCKER_URL", "https://h"),
        ])
        .unwrap();
        assert_eq!(s.ca_cert(), Some("/mine/ca.pem".into()));
    }

    #[test]
    fn tls_and_ports_by_scheme() {
        let cases = [
            ("tcp://h", false, false, Some(2375)),
            ("tcp://h", true, true, Some(2376)),
            ("tcp://h:1234", true, true, Some(1234)),
            ("h:2375", false, false, Some(2375)),
            ("https://h", false, true, Some(2376)),
            ("https://h", true, true, Some(2376)),
            ("http://h", false, false, Some(2375)),
            ("unix://", true, false, None),
            ("ssh://u@h", true, false, None),
        ];
        for (url, tls, uses, port) in cases {
            let s = Settings::new(url).unwrap().with_tls(tls);
            assert_eq!(s.uses_tls(), uses, "{url} tls={tls}");
            assert_eq!(s.tcp_port(), port, "{url} tls={tls}");
        }
    }

    #[test]
    fn check_refuses_tls_over_http_only() {
        let s = Settings::new("http://h:2375").unwrap().with_tls(true);
        assert_err(
            s.check(),
            &["DOCKER_TLS", "http://h:2375", "https://", "tcp://"],
        );
        assert_err(
            Settings::from_pairs([("DOCKER_URL", "http://h"), ("DOCKER_TLS", "True")]),
            &["https://"],
        );
        // TLS options without TLS are ignored, as docker-py does.
        let s = pairs(&[
            ("DOCKER_TLS", "False"),
            ("DOCKER_TLS_CA_CERT", "/ca.pem"),
            ("DOCKER_TLS_CLIENT_CERT", "/c:/k"),
            ("DOCKER_TLS_SSL_VERSION", "TLSv1_2"),
        ])
        .unwrap();
        assert!(!s.uses_tls());
        for url in ["https://h", "tcp://h", "unix://", "ssh://h"] {
            assert!(
                Settings::new(url).unwrap().with_tls(true).check().is_ok(),
                "{url}"
            );
        }
        assert!(Settings::new("http://h").unwrap().check().is_ok());
    }

    /// A folder of its own under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            use std::sync::atomic::{AtomicU32, Ordering};
            static COUNT: AtomicU32 = AtomicU32::new(0);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let dir = std::env::temp_dir().join(format!(
                "dockhand-settings-{tag}-{}-{nanos}-{}",
                std::process::id(),
                COUNT.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// The config of the seed's "Using with Boot2docker", verbatim.
    const BOOT2DOCKER: &str = r#"DOCKER_URL="https://192.168.59.103:2376"
DOCKER_VERSION="1.16"
DOCKER_TLS=True
DOCKER_TLS_CERT_PATH="/Users/yo/.boot2docker/certs/boot2docker-vm"
DOCKER_TLS_ASSERT_HOSTNAME=False
"#;

    #[test]
    fn the_seeds_boot2docker_file() {
        let dir = TempDir::new("seed");
        let path = dir.write("config", BOOT2DOCKER);
        let s = Settings::from_file(&path).unwrap();
        assert_eq!(
            s.host,
            Host::Tcp {
                scheme: TcpScheme::Https,
                host: "192.168.59.103".into(),
                port: Some(2376),
                base_path: String::new(),
            }
        );
        assert_eq!(s.version, Some(ApiVersion::new(1, 16)));
        assert!(s.tls && s.tls_verify && !s.tls_assert_hostname && s.uses_tls());
        assert_eq!(s.timeout, Duration::from_secs(30));
        let certs = PathBuf::from("/Users/yo/.boot2docker/certs/boot2docker-vm");
        assert_eq!(s.tls_cert_path, Some(certs.clone()));
        assert_eq!(s.ca_cert(), Some(certs.join("ca.pem")));
        assert_eq!(
            s.client_cert(),
            Some((certs.join("cert.pem"), certs.join("key.pem")))
        );
        // from_pairs of the same values gives the same settings.
        let same = Settings::from_pairs([
            ("DOCKER_URL", "https://192.168.59.103:2376"),
            ("DOCKER_VERSION", "1.16"),
            ("DOCKER_TLS", "True"),
            (
                "DOCKER_TLS_CERT_PATH",
                "/Users/yo/.boot2docker/certs/boot2docker-vm",
            ),
            ("DOCKER_TLS_ASSERT_HOSTNAME", "False"),
        ])
        .unwrap();
        assert_eq!(s, same);
    }

    #[test]
    fn config_file_syntax() {
        let text = "\u{feff}# dockhand settings\r\n\
            \r\n\
            export DOCKER_URL = 'tcp://h:2376'   # the engine\r\n\
            DOCKER_TIMEOUT=2.5 # seconds\n\
            \tDOCKER_TLS  =  yes\n\
            DOCKER_TLS_CLIENT_CERT = \"C:\\a\\cert.pem:C:\\a\\key.pem\"\n\
            DOCKER_TLS_CA_CERT=\"/p/with # hash/ca.pem\"#comment\n\
            DOCKER_TLS_CERT_PATH=/x#not-a-comment\n\
            DOCKER_TLS_SSL_VERSION=ssl.PROTOCOL_TLSv1_2\n\
            SECRET_KEY = 'it''s ignored'\n\
            lower_case = whatever\n\
            DOCKER_VERSION=\n\
            DOCKER_VERSION=v1.41\n\
            DOCKER_TLS_ASSERT_HOSTNAME=None\n\
            exported=1\n";
        let s = Settings::from_config_text(text, "docker.cfg").unwrap();
        assert_eq!(s.host.to_string(), "tcp://h:2376");
        assert_eq!(s.timeout, Duration::from_millis(2500));
        assert!(s.tls && s.tls_assert_hostname);
        assert_eq!(
            s.tls_client_cert,
            Some((r"C:\a\cert.pem".into(), r"C:\a\key.pem".into()))
        );
        assert_eq!(s.tls_ca_cert, Some("/p/with # hash/ca.pem".into()));
        assert_eq!(s.tls_cert_path, Some("/x#not-a-comment".into()));
        assert_eq!(s.tls_ssl_version, Some(TlsVersion::Tls12));
        assert_eq!(s.version, Some(ApiVersion::new(1, 41)));

        // Empty values: quoted empty and a bare comment.
        let s = Settings::from_config_text(
            "DOCKER_URL=unix://\nDOCKER_TLS_CA_CERT=\"\"\nDOCKER_TLS_CERT_PATH= # none\n",
            "c",
        )
        .unwrap();
        assert_eq!((s.tls_ca_cert, s.tls_cert_path), (None, None));
    }

    #[test]
    fn config_file_errors_name_the_line() {
        let cases: &[(&str, &[&str])] = &[
            (
                "DOCKER_URL=unix://\n\nDOCKER_TIMEOUT=0\n",
                &[
                    "DOCKER_TIMEOUT (docker.cfg line 3)",
                    "\"0\"",
                    "greater than 0",
                ],
            ),
            (
                "DOCKER_URL=unix://\nDOCKER_TLS=\"True\n",
                &["DOCKER_TLS (docker.cfg line 2)", "closing \""],
            ),
            (
                "DOCKER_URL=unix://\nDOCKER_TLS='True' False\n",
                &["DOCKER_TLS (docker.cfg line 2)", "after the closing '"],
            ),
            (
                "DOCKER_URL unix://\n",
                &["docker.cfg line 1", "DOCKER_URL unix://", "KEY=value"],
            ),
            (
                "DOCKER_URL=unix://\nimport os\n",
                &["docker.cfg line 2", "has the value \"\"", "KEY=value"],
            ),
            (
                "DOCKER_URL=unix://\nmy-key = 1\n",
                &["docker.cfg line 2", "my-key", "letters, digits"],
            ),
            (
                "DOCKER_URL=unix://\n= 1\n",
                &["docker.cfg line 2", "letters, digits"],
            ),
            ("# nothing\n", &["DOCKER_URL (docker.cfg)", "required"]),
            (
                "DOCKER_URL=\n",
                &["DOCKER_URL (docker.cfg line 1)", "required"],
            ),
            (
                "DOCKER_URL='tcp://h:99999'\n",
                &["DOCKER_URL (docker.cfg line 1)", "65535"],
            ),
            (
                "DOCKER_URL=http://h\nDOCKER_TLS=on\n",
                &["DOCKER_TLS", "https://"],
            ),
            ("export\n", &["docker.cfg line 1", "KEY=value"]),
        ];
        for (text, words) in cases {
            assert_err(Settings::from_config_text(text, "docker.cfg"), words);
        }
        // A secret on a line that is not ours is never quoted back.
        let err = Settings::from_config_text("SECRETS = {\n  'pw': 's3cret',\n}\n", "c")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cret") && err.contains("c line 2"), "{err}");
    }

    #[test]
    fn config_file_on_disk() {
        let dir = TempDir::new("file");
        let path = dir.write("docker.cfg", "DOCKER_URL=unix://\nDOCKER_TIMEOUT=nope\n");
        let err = Settings::from_file(&path).unwrap_err().to_string();
        assert!(
            err.contains(&format!("DOCKER_TIMEOUT ({} line 2)", path.display())),
            "{err}"
        );

        let missing = dir.0.join("missing.cfg");
        match Settings::from_file(&missing) {
            Err(Error::File { path, source }) => {
                assert_eq!(path, missing);
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("{other:?}"),
        }
        // A folder, and a file that is not UTF-8, are file errors too.
        assert!(matches!(
            Settings::from_file(&dir.0),
            Err(Error::File { .. })
        ));
        let binary = dir.0.join("binary.cfg");
        std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x80]).unwrap();
        assert!(matches!(
            Settings::from_file(&binary),
            Err(Error::File { .. })
        ));
    }

    fn env(vars: &[(&str, &str)]) -> Result<Settings> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_env_with(&move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn from_env_cases() {
        let home = [("HOME", "/home/yo")];
        // Nothing set: the local socket, no TLS, negotiated version.
        let s = env(&home).unwrap();
        assert_eq!(s.host, Host::Unix(DEFAULT_SOCKET.into()));
        assert!(!s.tls && !s.uses_tls());
        assert_eq!((s.version, s.timeout), (None, Duration::from_secs(30)));
        assert_eq!(s.tls_cert_path, None);
        assert_eq!(s, Settings::new("unix://").unwrap());

        // Empty values count as unset.
        let s = env(&[
            ("DOCKER_HOST", ""),
            ("DOCKER_TLS_VERIFY", ""),
            ("DOCKER_API_VERSION", ""),
        ])
        .unwrap();
        assert_eq!(s, Settings::new("unix://").unwrap());

        // DOCKER_TLS_VERIFY=1 with a cert path: boot2docker's shellinit.
        let s = env(&[
            ("DOCKER_HOST", "tcp://192.168.59.103:2376"),
            (
                "DOCKER_CERT_PATH",
                "/Users/yo/.boot2docker/certs/boot2docker-vm",
            ),
            ("DOCKER_TLS_VERIFY", "1"),
            ("HOME", "/Users/yo"),
        ])
        .unwrap();
        assert!(s.tls && s.tls_verify && s.uses_tls());
        assert_eq!(s.tcp_port(), Some(2376));
        assert_eq!(
            s.ca_cert(),
            Some("/Users/yo/.boot2docker/certs/boot2docker-vm/ca.pem".into())
        );

        // Any non-empty DOCKER_TLS_VERIFY verifies, even 0 (docker CLI, docker-py).
        for verify in ["1", "0", "false", "yes"] {
            let s = env(&[
                home[0],
                ("DOCKER_HOST", "tcp://h"),
                ("DOCKER_TLS_VERIFY", verify),
            ])
            .unwrap();
            assert!(s.tls && s.tls_verify, "{verify}");
            // The cert path defaults to ~/.docker.
            assert_eq!(s.tls_cert_path, Some("/home/yo/.docker".into()), "{verify}");
            assert_eq!(s.ca_cert(), Some("/home/yo/.docker/ca.pem".into()));
            assert_eq!(s.tcp_port(), Some(2376));
        }

        // DOCKER_CERT_PATH without DOCKER_TLS_VERIFY: TLS without verification.
        let s = env(&[
            home[0],
            ("DOCKER_HOST", "tcp://h:2376"),
            ("DOCKER_CERT_PATH", "/c"),
            ("DOCKER_TLS_VERIFY", ""),
        ])
        .unwrap();
        assert!(s.tls && !s.tls_verify);
        assert_eq!(
            s.client_cert(),
            Some(("/c/cert.pem".into(), "/c/key.pem".into()))
        );

        // DOCKER_TLS alone, like the CLI's --tls: TLS without verification.
        let s = env(&[home[0], ("DOCKER_TLS", "1")]).unwrap();
        assert!(s.tls && !s.tls_verify);
        assert_eq!(s.tls_cert_path, Some("/home/yo/.docker".into()));

        // No HOME: USERPROFILE, else no cert path at all.
        let s = env(&[("USERPROFILE", "/win/yo"), ("DOCKER_TLS_VERIFY", "1")]).unwrap();
        assert_eq!(s.tls_cert_path, Some("/win/yo/.docker".into()));
        let s = env(&[("DOCKER_TLS_VERIFY", "1")]).unwrap();
        assert!(s.tls && s.tls_cert_path.is_none() && s.ca_cert().is_none());

        // DOCKER_API_VERSION pins the version.
        let s = env(&[("DOCKER_API_VERSION", "1.41")]).unwrap();
        assert_eq!(s.version, Some(ApiVersion::new(1, 41)));
        let s = env(&[("DOCKER_API_VERSION", "v1.44")]).unwrap();
        assert_eq!(s.version, Some(ApiVersion::new(1, 44)));
        assert_err(
            env(&[("DOCKER_API_VERSION", "latest")]),
            &["DOCKER_API_VERSION", "\"latest\"", "1.41"],
        );
        assert_err(
            env(&[("DOCKER_API_VERSION", "2.1")]),
            &["DOCKER_API_VERSION", "only 1.x"],
        );

        // DOCKER_HOST forms and errors.
        let s = env(&[("DOCKER_HOST", "ssh://me@box")]).unwrap();
        assert_eq!(s.host.to_string(), "ssh://me@box");
        assert_err(
            env(&[("DOCKER_HOST", "tcp://h:0")]),
            &["DOCKER_HOST", "65535"],
        );
        assert_err(
            env(&[("DOCKER_HOST", "http://h:2375"), ("DOCKER_TLS_VERIFY", "1")]),
            &["https://"],
        );

        // A context that no store holds is an error naming it and where we looked.
        assert_err(
            env(&[
                ("DOCKER_CONTEXT", "desktop-linux"),
                ("DOCKER_CONFIG", "/nonexistent/docker-config"),
            ]),
            &[
                "DOCKER_CONTEXT",
                "desktop-linux",
                "/nonexistent/docker-config",
            ],
        );
        assert_eq!(
            env(&[("DOCKER_CONTEXT", "default")]).unwrap(),
            Settings::new("unix://").unwrap()
        );
        assert_eq!(
            env(&[("DOCKER_CONTEXT", "")]).unwrap(),
            Settings::new("unix://").unwrap()
        );
        // DOCKER_HOST wins over DOCKER_CONTEXT, as in the docker CLI.
        let s = env(&[
            ("DOCKER_CONTEXT", "remote"),
            ("DOCKER_HOST", "tcp://h:2375"),
        ])
        .unwrap();
        assert_eq!(s.host.to_string(), "tcp://h:2375");
    }

    #[test]
    fn from_env_reads_the_process_environment() {
        // Only checks that it runs; the environment of a test run is whatever it is.
        let _ = Settings::from_env();
    }
}
