//! Registry credentials, found as the docker CLI finds them, and sent as the engine wants
//! them.
//!
//! The docker CLI keeps logins in `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`):
//! `auths` holds `user:password` in base64 or an identity token, per registry;
//! `credHelpers` names a credential helper program per registry and `credsStore` one for all
//! the others. A helper is the program `docker-credential-NAME`: it reads a server address
//! on stdin after the argument `get`, and answers `{"ServerURL", "Username", "Secret"}` (a
//! user name `<token>` means the secret is an identity token). [`Auth`] reads that file and
//! runs those helpers the same way, and lets the caller add credentials of its own, which win
//! over the file.
//!
//! The engine takes credentials in headers: `X-Registry-Auth` (pull, push) is the
//! base64url of one JSON auth config, `X-Registry-Config` (build) the base64url of a map from
//! server to auth config.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::secret_json;
use crate::base64;
use crate::client::Docker;
use crate::error::{Error, Result};

/// The key under which the docker CLI keeps Docker Hub credentials, and the server address
/// the engine expects for Docker Hub.
pub const DOCKER_HUB_SERVER: &str = "https://index.docker.io/v1/";

/// A registry login: a user name and password, or an identity token (OAuth refresh token).
///
/// Its `Debug` and `Display` never show the password or token, and no error or log line of
/// dockhand contains them.
///
/// ```
/// use dockhand::Credentials;
/// let creds = Credentials::new("alice", "s3cret").server("registry.example.com");
/// assert_eq!(format!("{creds}"), "alice at registry.example.com");
/// assert!(!format!("{creds:?}").contains("s3cret"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    secret: Secret,
    server: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
enum Secret {
    Password(String),
    IdentityToken(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.secret {
            Secret::Password(_) => "password",
            Secret::IdentityToken(_) => "identity token",
        };
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field(kind, &"<hidden>")
            .field("server", &self.server)
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.secret, self.username.is_empty()) {
            (Secret::IdentityToken(_), _) | (_, true) => f.write_str("an identity token")?,
            _ => f.write_str(&self.username)?,
        }
        if let Some(server) = &self.server {
            write!(f, " at {server}")?;
        }
        Ok(())
    }
}

impl Credentials {
    /// A user name and password (or an access token used as a password).
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            secret: Secret::Password(password.into()),
            server: None,
        }
    }

    /// An identity token, as a registry's OAuth login hands out (and `docker login` stores).
    pub fn identity_token(token: impl Into<String>) -> Credentials {
        Credentials {
            username: String::new(),
            secret: Secret::IdentityToken(token.into()),
            server: None,
        }
    }

    /// The registry these are for (`registry.example.com`, `127.0.0.1:5000`, or
    /// [`DOCKER_HUB_SERVER`]). [`Docker::login`] needs it (Docker Hub without it); for a pull
    /// or push the image name says which registry, and this is only sent along.
    pub fn server(mut self, server: impl Into<String>) -> Credentials {
        self.server = Some(server.into());
        self
    }

    /// The user name (empty for an identity token).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The registry, when one was given.
    pub fn server_address(&self) -> Option<&str> {
        self.server.as_deref()
    }

    /// Whether the secret is an identity token rather than a password.
    pub fn is_identity_token(&self) -> bool {
        matches!(self.secret, Secret::IdentityToken(_))
    }

    /// The password or token itself, for code that must hand it on. Named so that it
    /// stands out in review.
    pub fn expose_secret(&self) -> &str {
        match &self.secret {
            Secret::Password(s) | Secret::IdentityToken(s) => s,
        }
    }

    /// The engine's JSON auth config for these credentials, for `server`.
    fn auth_config<'a>(&'a self, server: Option<&'a str>) -> AuthConfig<'a> {
        let serveraddress = self.server.as_deref().or(server).unwrap_or_default();
        match &self.secret {
            Secret::Password(password) => AuthConfig {
                username: &self.username,
                password,
                serveraddress,
                identitytoken: "",
            },
            Secret::IdentityToken(token) => AuthConfig {
                username: &self.username,
                password: "",
                serveraddress,
                identitytoken: token,
            },
        }
    }
}

/// The engine's `AuthConfig`, as the JSON inside `X-Registry-Auth` and the body of
/// `POST /auth`. Empty fields are left out, as the docker CLI does.
#[derive(Serialize)]
struct AuthConfig<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    username: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    password: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    serveraddress: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    identitytoken: &'a str,
}

/// The value of `X-Registry-Auth`: the base64url of the auth config, or of `{}` without
/// credentials (push needs the header even then).
pub(crate) fn registry_auth_header(credentials: Option<&Credentials>, server: &str) -> String {
    let json = match credentials {
        Some(c) => serde_json::to_vec(&c.auth_config(Some(server))),
        None => Ok(b"{}".to_vec()),
    };
    // Serialising a struct of strings cannot fail; `{}` is the safe fallback anyway.
    base64::encode(&json.unwrap_or_else(|_| b"{}".to_vec()), base64::URL_SAFE)
}

/// The value of `X-Registry-Config`: the base64url of a map from server to auth config.
pub(crate) fn registry_config_header(all: &BTreeMap<String, Credentials>) -> String {
    let map: BTreeMap<&str, AuthConfig<'_>> = all
        .iter()
        .map(|(server, c)| (server.as_str(), c.auth_config(Some(server))))
        .collect();
    base64::encode(
        &serde_json::to_vec(&map).unwrap_or_else(|_| b"{}".to_vec()),
        base64::URL_SAFE,
    )
}

/// The credentials to use for each registry: the caller's own, then those of a docker CLI
/// configuration (`config.json`: `auths`, `credHelpers`, `credsStore`).
///
/// ```no_run
/// # fn main() -> dockhand::Result<()> {
/// use dockhand::{Auth, Credentials};
/// // what `docker login` saved, plus one login of our own that wins over it
/// let auth = Auth::from_env()?
///     .with_credentials("registry.example.com", Credentials::new("ci", "token"));
/// let creds = auth.credentials_for_image("registry.example.com/team/app:1.2")?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    file: ConfigFile,
    path: Option<PathBuf>,
    explicit: BTreeMap<String, Credentials>,
    helper_path: Option<OsString>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Servers only: never what the file or the caller holds for them.
        f.debug_struct("Auth")
            .field("config", &self.path)
            .field("auths", &self.file.auths.keys().collect::<Vec<_>>())
            .field("creds_store", &self.file.creds_store)
            .field("cred_helpers", &self.file.cred_helpers)
            .field("explicit", &self.explicit.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The parts of the docker CLI's `config.json` that hold credentials (`auths`,
/// `credsStore`, `credHelpers`), read by `secret_json` so that no error quotes them.
#[derive(Clone, Default)]
pub(super) struct ConfigFile {
    pub(super) auths: BTreeMap<String, AuthEntry>,
    pub(super) creds_store: Option<String>,
    pub(super) cred_helpers: BTreeMap<String, String>,
}

#[derive(Clone, Default)]
pub(super) struct AuthEntry {
    pub(super) auth: Option<String>,
    pub(super) username: Option<String>,
    pub(super) password: Option<String>,
    pub(super) identitytoken: Option<String>,
}

/// What a credential helper answers to `get` (`Username`, `Secret`).
pub(super) struct HelperAnswer {
    pub(super) username: String,
    pub(super) secret: String,
}

/// What a helper prints (and exits non-zero) when it has nothing for a server.
const HELPER_NOT_FOUND: &str = "credentials not found in native keychain";

impl Auth {
    /// No configuration file: only credentials added with
    /// [`with_credentials`](Self::with_credentials).
    pub fn new() -> Auth {
        Auth::default()
    }

    /// The docker CLI's configuration: `$DOCKER_CONFIG/config.json`, else
    /// `~/.docker/config.json`. A missing file is no error (nobody logged in yet), as for
    /// the docker CLI; a file that cannot be read or parsed is.
    pub fn from_env() -> Result<Auth> {
        match config_dir(
            std::env::var_os("DOCKER_CONFIG"),
            std::env::var_os("HOME").map(PathBuf::from),
        ) {
            Some(dir) => Auth::from_config_dir(dir),
            None => Ok(Auth::new()),
        }
    }

    /// The docker CLI's configuration in `dir` (`dir/config.json`), as `DOCKER_CONFIG=dir`
    /// would select it. A missing file is no error.
    pub fn from_config_dir(dir: impl AsRef<Path>) -> Result<Auth> {
        let path = dir.as_ref().join("config.json");
        let text = match std::fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Auth {
                    path: Some(path),
                    ..Auth::default()
                })
            }
            Err(source) => return Err(Error::File { path, source }),
        };
        // Errors name the key and what was expected, never the value (a secret, maybe).
        let file = secret_json::config_file(&text).map_err(|e| {
            Error::decode(format!("the docker configuration {}", path.display()), e)
        })?;
        Ok(Auth {
            file,
            path: Some(path),
            ..Auth::default()
        })
    }

    /// Adds credentials for `server` (`registry.example.com`, `127.0.0.1:5000`, `docker.io`
    /// or [`DOCKER_HUB_SERVER`]); they win over anything the configuration file has for it.
    pub fn with_credentials(mut self, server: &str, credentials: Credentials) -> Auth {
        self.explicit.insert(normalize_server(server), credentials);
        self
    }

    /// The `PATH` searched for `docker-credential-*` helpers (the process's own `PATH` by
    /// default), as a list of folders joined the platform's way (`:` on Unix).
    pub fn helper_path(mut self, path: impl Into<OsString>) -> Auth {
        self.helper_path = Some(path.into());
        self
    }

    /// The configuration file this was read from, if any.
    pub fn config_path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The registry an image name points to, as credentials are keyed: [`DOCKER_HUB_SERVER`]
    /// for Docker Hub images (`busybox`, `library/busybox`, `docker.io/x/y`), else the host
    /// part (`127.0.0.1:5000`, `localhost/x`, `registry.example.com`).
    ///
    /// ```
    /// use dockhand::Auth;
    /// use dockhand::settings::DOCKER_HUB_SERVER;
    /// assert_eq!(Auth::server_for_image("busybox:latest"), DOCKER_HUB_SERVER);
    /// assert_eq!(Auth::server_for_image("127.0.0.1:5000/app:1"), "127.0.0.1:5000");
    /// assert_eq!(Auth::server_for_image("localhost/app"), "localhost");
    /// ```
    pub fn server_for_image(image: &str) -> String {
        normalize_server(registry_host(image))
    }

    /// The credentials for the registry of `image` (see
    /// [`server_for_image`](Self::server_for_image)).
    pub fn credentials_for_image(&self, image: &str) -> Result<Option<Credentials>> {
        self.credentials_for(&Auth::server_for_image(image))
    }

    /// The credentials for `server`, looked up as the docker CLI does: the caller's own
    /// first, then the server's `credHelpers` entry, then `credsStore`, then `auths`.
    /// `None` when nobody has any (an anonymous pull).
    pub fn credentials_for(&self, server: &str) -> Result<Option<Credentials>> {
        let key = normalize_server(server);
        if let Some(c) = self.explicit.get(&key) {
            return Ok(Some(c.clone()));
        }
        if let Some(helper) = self.helper_for(&key) {
            return self.helper_get(helper, &key);
        }
        if let Some(store) = self.file.creds_store.as_deref().filter(|s| !s.is_empty()) {
            return self.helper_get(store, &key);
        }
        self.in_auths(&key)
    }

    /// Every credential known, by server: for a build, whose `FROM` lines may name any
    /// registry (`X-Registry-Config`). A helper that fails is skipped with a warning, as
    /// the docker CLI does for builds.
    pub fn all_credentials(&self) -> Result<BTreeMap<String, Credentials>> {
        let mut all = BTreeMap::new();
        let mut servers: Vec<String> = self.file.auths.keys().cloned().collect();
        servers.extend(self.file.cred_helpers.keys().cloned());
        if let Some(store) = self.file.creds_store.as_deref().filter(|s| !s.is_empty()) {
            match self.helper_list(store) {
                Ok(listed) => servers.extend(listed),
                Err(e) => log::warn!(target: "dockhand", "skipping credsStore {store}: {e}"),
            }
        }
        for server in servers {
            let key = normalize_server(&server);
            if all.contains_key(&key) || self.explicit.contains_key(&key) {
                continue;
            }
            match self.credentials_for(&key) {
                Ok(Some(c)) => {
                    all.insert(key, c);
                }
                Ok(None) => {}
                Err(e) => log::warn!(target: "dockhand", "skipping credentials for {key}: {e}"),
            }
        }
        all.extend(self.explicit.clone());
        Ok(all)
    }

    fn helper_for(&self, key: &str) -> Option<&str> {
        let helper = self.file.cred_helpers.get(key).or_else(|| {
            self.file
                .cred_helpers
                .iter()
                .find(|(k, _)| normalize_server(k) == key)
                .map(|(_, v)| v)
        })?;
        Some(helper.as_str()).filter(|h| !h.is_empty())
    }

    fn in_auths(&self, key: &str) -> Result<Option<Credentials>> {
        let entry = self.file.auths.get(key).or_else(|| {
            self.file
                .auths
                .iter()
                .find(|(k, _)| normalize_server(k) == key)
                .map(|(_, v)| v)
        });
        let Some(entry) = entry else {
            return Ok(None);
        };
        let creds = self.decode_entry(entry, key)?;
        Ok(creds.map(|c| c.server(key)))
    }

    fn decode_entry(&self, entry: &AuthEntry, key: &str) -> Result<Option<Credentials>> {
        if let Some(token) = entry.identitytoken.as_deref().filter(|t| !t.is_empty()) {
            let mut creds = Credentials::identity_token(token);
            if let Some(user) = &entry.username {
                creds.username = user.clone();
            }
            return Ok(Some(creds));
        }
        if let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) {
            let bad = || {
                Error::decode(
                    format!("the docker configuration {}", self.describe_path()),
                    format!("the `auth` of {key} is not base64 of user:password"),
                )
            };
            let raw = base64::decode(auth.trim()).ok_or_else(bad)?;
            let text = String::from_utf8(raw).map_err(|_| bad())?;
            let (user, password) = text.split_once(':').ok_or_else(bad)?;
            return Ok(Some(Credentials::new(user, password)));
        }
        match (&entry.username, &entry.password) {
            (Some(user), Some(password)) if !user.is_empty() => {
                Ok(Some(Credentials::new(user, password)))
            }
            _ => Ok(None),
        }
    }

    fn describe_path(&self) -> String {
        self.path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config.json".into())
    }

    fn helper_command(&self, helper: &str) -> Result<(String, Command)> {
        // The name comes from a file: it must not pick a program elsewhere than on PATH.
        if helper.contains(['/', '\\']) || helper.starts_with('.') {
            return Err(Error::setting(
                "credential helper",
                helper,
                "a helper name such as `pass` or `secretservice` (the program is \
                 docker-credential-NAME, found on PATH)",
            ));
        }
        let program = format!("docker-credential-{helper}");
        let mut command = Command::new(&program);
        if let Some(path) = &self.helper_path {
            // std searches the child's PATH when it is set for the child.
            command.env("PATH", path);
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Ok((program, command))
    }

    /// Runs `docker-credential-NAME get` with `server` on stdin.
    fn helper_get(&self, helper: &str, server: &str) -> Result<Option<Credentials>> {
        let (program, mut command) = self.helper_command(helper)?;
        let output = run_helper(&program, command.arg("get"), server.as_bytes())?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            if stdout.trim() == HELPER_NOT_FOUND {
                return Ok(None);
            }
            return Err(helper_failed(&program, "get", &output));
        }
        let answer = secret_json::helper_answer(&output.stdout)
            .map_err(|e| Error::decode(format!("the answer of {program} get for {server}"), e))?;
        let creds = if answer.username == "<token>" {
            Credentials::identity_token(answer.secret)
        } else {
            Credentials::new(answer.username, answer.secret)
        };
        Ok(Some(creds.server(server)))
    }

    /// Runs `docker-credential-NAME list`: the servers it has credentials for.
    fn helper_list(&self, helper: &str) -> Result<Vec<String>> {
        let (program, mut command) = self.helper_command(helper)?;
        let output = run_helper(&program, command.arg("list"), b"")?;
        if !output.status.success() {
            return Err(helper_failed(&program, "list", &output));
        }
        secret_json::helper_list(&output.stdout)
            .map_err(|e| Error::decode(format!("the answer of {program} list"), e))
    }
}

fn run_helper(program: &str, command: &mut Command, input: &[u8]) -> Result<std::process::Output> {
    let spawn_failed = |e: io::Error| {
        let hint = if e.kind() == io::ErrorKind::NotFound {
            "the credential helper named in the docker configuration, installed on PATH"
        } else {
            "a credential helper that can be run"
        };
        Error::setting("credential helper", program, format!("{hint} ({e})"))
    };
    let mut child = command.spawn().map_err(spawn_failed)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading is answered below by its exit status.
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().map_err(spawn_failed)
}

/// An error for a helper that failed: its own message (helpers print their error on stdout,
/// never the secret), shortened. Output that looks like JSON is not quoted: a helper that
/// printed an answer and then failed may have printed the secret with it.
fn helper_failed(program: &str, action: &str, output: &std::process::Output) -> Error {
    let said = [&output.stdout, &output.stderr]
        .iter()
        .map(|b| String::from_utf8_lossy(b).trim().to_string())
        .find(|s| !s.is_empty());
    let said = match said {
        Some(s) if s.starts_with(['{', '[', '"']) || s.contains("\"Secret\"") => format!(
            "{}, with output that is not quoted as it may hold a credential",
            output.status
        ),
        Some(s) => s.chars().take(300).collect(),
        None => format!("exit status {}", output.status),
    };
    Error::setting(
        "credential helper",
        program,
        format!("a helper that answers `{action}` (it said: {said})"),
    )
}

/// The folder of the docker CLI's configuration: `$DOCKER_CONFIG`, else `~/.docker`.
fn config_dir(docker_config: Option<OsString>, home: Option<PathBuf>) -> Option<PathBuf> {
    match docker_config.filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => home.map(|h| h.join(".docker")),
    }
}

/// The host part of an image name, as the docker CLI splits it: the first `/`-separated
/// part when it looks like a host (has a `.` or `:`, is `localhost`, or has capitals, which
/// repository names cannot), else `docker.io`.
pub(crate) fn registry_host(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            first
        }
        _ => "docker.io",
    }
}

/// A server as credentials are keyed: Docker Hub's names all become [`DOCKER_HUB_SERVER`];
/// others lose their scheme and path (`https://r.example.com/v2/` is `r.example.com`), as
/// the docker CLI's `ConvertToHostname` does.
fn normalize_server(server: &str) -> String {
    let server = server.trim();
    let host = server
        .strip_prefix("https://")
        .or_else(|| server.strip_prefix("http://"))
        .unwrap_or(server);
    let host = host.split('/').next().unwrap_or(host);
    match host {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB_SERVER.to_string(),
        _ => host.to_string(),
    }
}

impl Docker {
    /// Checks credentials with a registry, through the engine (`docker login` without
    /// saving anything): `POST /auth`. Docker Hub when the credentials name no server. A
    /// refusal is an [`Error::Engine`] with the registry's reason (never the password).
    pub fn login(&self, credentials: &Credentials) -> Result<LoginResult> {
        let server = credentials.server.as_deref().unwrap_or(DOCKER_HUB_SERVER);
        let answer = self
            .post("/auth".into())
            .json(&credentials.auth_config(Some(server)))
            .send()?
            .bytes()?;
        // Not `Response::json`: a broken answer's error must not quote the token.
        secret_json::login_result(&answer).map_err(|e| Error::decode("the answer to POST /auth", e))
    }
}

/// The engine's answer to a good [`Docker::login`].
#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct LoginResult {
    /// `Login Succeeded`.
    pub status: String,
    /// A token to log in with next time instead of the password, when the registry hands
    /// one out (its `Debug` is hidden).
    pub identity_token: Option<String>,
}

impl fmt::Debug for LoginResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResult")
            .field("status", &self.status)
            .field(
                "identity_token",
                &self
                    .identity_token
                    .as_ref()
                    .filter(|t| !t.is_empty())
                    .map(|_| "<hidden>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_are_found_as_the_docker_cli_finds_them() {
        for (image, server) in [
            ("busybox", DOCKER_HUB_SERVER),
            ("busybox:1.36", DOCKER_HUB_SERVER),
            ("library/busybox", DOCKER_HUB_SERVER),
            ("bitnami/redis:7", DOCKER_HUB_SERVER),
            ("docker.io/library/busybox", DOCKER_HUB_SERVER),
            ("index.docker.io/x/y", DOCKER_HUB_SERVER),
            ("127.0.0.1:5000/app:1", "127.0.0.1:5000"),
            ("localhost/app", "localhost"),
            ("localhost:5000/app", "localhost:5000"),
            ("ghcr.io/org/app@sha256:abc", "ghcr.io"),
            ("Registry/app", "Registry"),
            ("registry/app", DOCKER_HUB_SERVER),
        ] {
            assert_eq!(Auth::server_for_image(image), server, "{image}");
        }
        assert_eq!(
            normalize_server("https://r.example.com/v2/"),
            "r.example.com"
        );
        assert_eq!(normalize_server("http://127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(normalize_server("docker.io"), DOCKER_HUB_SERVER);
        assert_eq!(normalize_server(DOCKER_HUB_SERVER), DOCKER_HUB_SERVER);
    }

    #[test]
    fn the_config_dir_is_docker_config_else_home() {
        assert_eq!(
            config_dir(Some("/cfg".into()), Some("/home/u".into())),
            Some(PathBuf::from("/cfg"))
        );
        assert_eq!(
            config_dir(Some("".into()), Some("/home/u".into())),
            Some(PathBuf::from("/home/u/.docker"))
        );
        assert_eq!(config_dir(None, None), None);
    }

    fn auth_with(json: &str) -> Auth {
        Auth {
            file: secret_json::config_file(json.as_bytes()).unwrap(),
            ..Auth::default()
        }
    }

    #[test]
    fn auths_entries_decode_user_password_and_tokens() {
        let auth = auth_with(
            r#"{"auths": {
                "https://index.docker.io/v1/": {"auth": "YWxpY2U6czNjcjp0"},
                "https://r.example.com/v1/": {"auth": "Ym9iOnB3"},
                "tok.example.com": {"auth": "", "identitytoken": "refresh"},
                "bad.example.com": {"auth": "%%%"}
            }}"#,
        );
        let hub = auth.credentials_for("docker.io").unwrap().unwrap();
        assert_eq!(hub.username(), "alice");
        assert_eq!(hub.expose_secret(), "s3cr:t", "only the first colon splits");
        assert_eq!(hub.server_address(), Some(DOCKER_HUB_SERVER));
        // a legacy key with scheme and path is found by its host name
        let legacy = auth.credentials_for("r.example.com").unwrap().unwrap();
        assert_eq!((legacy.username(), legacy.expose_secret()), ("bob", "pw"));
        let token = auth.credentials_for("tok.example.com").unwrap().unwrap();
        assert!(token.is_identity_token());
        assert_eq!(token.expose_secret(), "refresh");
        assert!(auth.credentials_for("other.example.com").unwrap().is_none());
        let bad = auth
            .credentials_for("bad.example.com")
            .unwrap_err()
            .to_string();
        assert!(bad.contains("not base64"), "{bad}");
    }

    #[test]
    fn the_callers_credentials_win_over_the_file() {
        let auth = auth_with(r#"{"auths": {"r.example.com": {"auth": "Ym9iOnB3"}}}"#)
            .with_credentials("https://r.example.com", Credentials::new("carol", "mine"));
        let creds = auth
            .credentials_for_image("r.example.com/app")
            .unwrap()
            .unwrap();
        assert_eq!(creds.username(), "carol");
        let all = auth.all_credentials().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all["r.example.com"].username(), "carol");
    }

    #[test]
    fn headers_are_base64url_json() {
        let creds = Credentials::new("u", "p?>");
        let header = registry_auth_header(Some(&creds), "127.0.0.1:5443");
        assert!(!header.contains(['+', '/']), "{header}");
        let json = base64::decode(&header).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"username":"u","password":"p?>","serveraddress":"127.0.0.1:5443"}"#
        );
        assert_eq!(registry_auth_header(None, "x"), "e30=");
        let token = Credentials::identity_token("t");
        let json = base64::decode(&registry_auth_header(Some(&token), "s")).unwrap();
        assert_eq!(json, br#"{"serveraddress":"s","identitytoken":"t"}"#);

        let mut all = BTreeMap::new();
        all.insert("a.example.com".to_string(), Credentials::new("u", "p"));
        let json = base64::decode(&registry_config_header(&all)).unwrap();
        assert_eq!(
            json,
            br#"{"a.example.com":{"username":"u","password":"p","serveraddress":"a.example.com"}}"#
        );
    }

    #[test]
    fn secrets_stay_out_of_debug_and_display() {
        let creds = Credentials::new("alice", "hunter2").server("r.example.com");
        let token = Credentials::identity_token("tok-123");
        let auth = Auth::new().with_credentials("r.example.com", creds.clone());
        let login = LoginResult {
            status: "Login Succeeded".into(),
            identity_token: Some("tok-456".into()),
        };
        for text in [
            format!("{creds:?}"),
            format!("{creds}"),
            format!("{token:?}"),
            format!("{token}"),
            format!("{auth:?}"),
            format!("{login:?}"),
        ] {
            assert!(
                !text.contains("hunter2") && !text.contains("tok-"),
                "{text}"
            );
        }
        assert_eq!(format!("{creds}"), "alice at r.example.com");
        assert_eq!(format!("{token}"), "an identity token");
    }

    #[test]
    fn helper_names_cannot_point_elsewhere() {
        let auth = auth_with(r#"{"credsStore": "../../bin/evil"}"#);
        let err = auth
            .credentials_for("x.example.com")
            .unwrap_err()
            .to_string();
        assert!(err.contains("helper name"), "{err}");
    }
}
