//! Settings: what engine to talk to and how. The keys are those of the Python extension
//! Flask-Docker (`DOCKER_URL`, `DOCKER_TLS`, ...), read from pairs or a file of `KEY=value`
//! lines; or the docker CLI's environment (`DOCKER_HOST`, `DOCKER_TLS_VERIFY`,
//! `DOCKER_CERT_PATH`, `DOCKER_API_VERSION`, contexts). [`Settings`] has the table.
//!
//! Also here: engine addresses ([`Host`]), API versions ([`ApiVersion`]) and registry
//! credentials ([`Auth`], [`Credentials`]), read from the docker CLI's `config.json` and
//! credential helpers.
//!
//! ```no_run
//! use std::time::Duration;
//! use dockhand::{Docker, Settings};
//!
//! # fn main() -> dockhand::Result<()> {
//! let settings = Settings::from_pairs([
//!     ("DOCKER_URL", "tcp://docker.example.com:2376"),
//!     ("DOCKER_TLS", "True"),
//!     ("DOCKER_TLS_CERT_PATH", "/etc/docker/client"),
//!     ("DOCKER_TIMEOUT", "10"),
//! ])?;
//! assert_eq!(settings.timeout, Duration::from_secs(10));
//! let docker = Docker::new(settings)?;
//! # Ok(()) }
//! ```

mod auth;
mod context;
mod env;
mod host;
mod parse;
pub(crate) mod secret_json;
mod version;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};

pub(crate) use auth::{registry_auth_header, registry_config_header};
pub use auth::{Auth, Credentials, LoginResult, DOCKER_HUB_SERVER};
pub use host::{Host, TcpScheme, DEFAULT_SOCKET};
pub use version::{ApiVersion, TlsVersion};

use parse::{parse_config_line, Raw};

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
    pub(crate) fn from_config_text(text: &str, name: &str) -> Result<Settings> {
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

#[cfg(test)]
mod tests;
