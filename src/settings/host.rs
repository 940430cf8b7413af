//! Engine addresses: `unix:///path`, `tcp://host:port`, `https://...`, `ssh://user@host`, ...
//!
//! The accepted forms are documented on [`Host::parse`], which users see; this module is
//! private.

use std::fmt;
use std::net::Ipv6Addr;
use std::path::PathBuf;

use crate::error::{Error, Result};

/// The default socket of a local engine.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// The host that `:2375` and `tcp://:2375` stand for.
const LOCALHOST: &str = "127.0.0.1";

/// The accepted forms, quoted in every error.
const FORMS: &str = "unix:///path/to/docker.sock, unix://, tcp://host:2375, \
                     http://host:2375, https://host:2376, ssh://[user@]host[:port], host:2375, \
                     [::1]:2375 or :2375";

/// Where the engine listens, as written in `DOCKER_URL` or `DOCKER_HOST`.
///
/// Parsing checks the form only; whether TLS is used, and so the default port, is decided
/// with the rest of the [`Settings`](crate::Settings).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Host {
    /// A unix socket: `unix:///var/run/docker.sock`, or `unix://` for the default one.
    Unix(PathBuf),
    /// A TCP address: `tcp://`, `http://`, `https://`, a bare `host:port`, `[::1]:2375`, `:2375`.
    Tcp {
        /// How the URL was written; decides TLS together with `DOCKER_TLS`.
        scheme: TcpScheme,
        /// Host name or IP address (IPv6 without brackets).
        host: String,
        /// The port, when the URL gives one (else 2375 plain, 2376 TLS).
        port: Option<u16>,
        /// A path prefix after `host:port`, without a trailing slash (`""` for none).
        base_path: String,
    },
    /// An ssh host: `ssh://[user@]host[:port]`, reached through the system `ssh`.
    Ssh {
        /// The user name, when given.
        user: Option<String>,
        /// The host name or address.
        host: String,
        /// The port, when given (else ssh's own default).
        port: Option<u16>,
    },
}

/// How a TCP address was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpScheme {
    /// `tcp://` or a bare `host:port`: TLS when `DOCKER_TLS` is on.
    Tcp,
    /// `http://`: always plain.
    Http,
    /// `https://`: always TLS.
    Https,
}

impl TcpScheme {
    /// The scheme as written in a URL: `tcp`, `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            TcpScheme::Tcp => "tcp",
            TcpScheme::Http => "http",
            TcpScheme::Https => "https",
        }
    }
}

/// Builds the errors of one parse; the value it reports never holds a password.
struct Fail<'a> {
    key: &'a str,
    shown: String,
}

impl Fail<'_> {
    fn because(&self, what: &str) -> Error {
        Error::setting(
            self.key,
            &self.shown,
            format!("{what}; accepted forms: {FORMS}"),
        )
    }
}

impl Host {
    /// Parses an engine address. Errors name `key` (the setting it came from).
    ///
    /// The forms of the docker CLI and docker-py's `DOCKER_HOST`, plus Flask-Docker's
    /// `http://` and `https://`:
    ///
    /// | written | parsed as |
    /// | --- | --- |
    /// | `unix:///var/run/docker.sock` | [`Host::Unix`] with that path |
    /// | `unix://` | [`Host::Unix`] with [`DEFAULT_SOCKET`] |
    /// | `tcp://host:2375`, `host:2375`, `host` | [`Host::Tcp`], scheme [`TcpScheme::Tcp`] |
    /// | `http://host:2375`, `https://host:2376` | [`Host::Tcp`], scheme `Http` / `Https` |
    /// | `tcp://[::1]:2375`, `[::1]:2375` | [`Host::Tcp`] with host `::1` |
    /// | `:2375`, `tcp://:2375` | [`Host::Tcp`] with host `127.0.0.1` (as the docker CLI) |
    /// | `tcp://host:2375/prefix/` | [`Host::Tcp`] with base path `/prefix` |
    /// | `ssh://user@host:22` | [`Host::Ssh`] |
    ///
    /// A missing port stays `None`: 2375 or 2376 is chosen once TLS is known (see
    /// [`Settings::tcp_port`](crate::Settings::tcp_port)). Schemes are case-insensitive.
    /// Leading and trailing whitespace is ignored, as the docker CLI does; whitespace inside
    /// is an error, except a plain space inside a unix socket path. Trailing slashes are
    /// dropped. No percent-decoding is done.
    ///
    /// Errors: an empty value; a query string or fragment; a password anywhere (outside
    /// `unix://`, an `@` after a `:` is taken as one, and the error shows it as `***`); a user
    /// name outside `ssh://`; a path in an `ssh://` address; a port that is empty, not a
    /// number, 0 or above 65535; an IPv6 address without brackets or with a zone id; a host
    /// name with characters other than letters, digits, `-`, `.`, `_`; a bare socket path
    /// without `unix://`; `tcp://` with no host or port; unknown schemes (`ftp://`, `fd://`,
    /// `http+unix://`, ...), and `npipe://`, which exists only on Windows and is not
    /// supported there yet.
    ///
    /// ```
    /// use dockhand::settings::{Host, TcpScheme};
    /// let host = Host::parse("DOCKER_HOST", "tcp://[::1]:2375/prefix/").unwrap();
    /// assert_eq!(host, Host::Tcp {
    ///     scheme: TcpScheme::Tcp,
    ///     host: "::1".into(),
    ///     port: Some(2375),
    ///     base_path: "/prefix".into(),
    /// });
    /// assert_eq!(host.to_string(), "tcp://[::1]:2375/prefix");
    /// ```
    pub fn parse(key: &str, value: &str) -> Result<Host> {
        let password = find_password(value);
        let shown = match password.clone() {
            Some(range) => format!("{}***{}", &value[..range.start], &value[range.end..]),
            None => value.to_string(),
        };
        let fail = Fail { key, shown };
        // Before any other check, so that no other message quotes a piece of the password.
        if password.is_some() {
            return Err(fail.because(
                "an address without `user:password@` (passwords are not read from URLs; \
                 for ssh use a key or ssh-agent)",
            ));
        }
        let v = value.trim();
        if v.is_empty() {
            return Err(fail.because("an engine address, not an empty value"));
        }
        if v.chars().any(char::is_control) {
            return Err(fail.because("an address without control characters (tabs, newlines)"));
        }
        if v.contains('?') {
            return Err(fail.because("an address without a query string (`?...`)"));
        }
        if v.contains('#') {
            return Err(fail.because("an address without a fragment (`#...`)"));
        }

        let Some((scheme, rest)) = v.split_once("://") else {
            // A bare address is tcp, as in the docker CLI.
            if v.starts_with('/') {
                return Err(fail.because(&format!(
                    "a unix socket written with its scheme, as in unix://{v}"
                )));
            }
            return parse_net(&fail, v, TcpScheme::Tcp);
        };
        match scheme.to_ascii_lowercase().as_str() {
            "unix" => parse_unix(&fail, rest),
            "tcp" => parse_net(&fail, rest, TcpScheme::Tcp),
            "http" => parse_net(&fail, rest, TcpScheme::Http),
            "https" => parse_net(&fail, rest, TcpScheme::Https),
            "ssh" => parse_ssh(&fail, rest),
            "npipe" if cfg!(windows) => Err(fail.because(
                "a unix, tcp or ssh address: Windows named pipes (npipe://) are not supported \
                 yet; let the engine listen on tcp://127.0.0.1:2375 instead",
            )),
            "npipe" => Err(fail.because(
                "a unix, tcp or ssh address: npipe:// (a named pipe) exists only on Windows",
            )),
            "fd" => Err(fail.because(
                "a unix, tcp or ssh address: fd:// is how the engine itself is started by \
                 systemd, a client cannot connect to it",
            )),
            "" => Err(fail.because("a scheme before `://`")),
            _ => Err(fail.because(&format!("a known scheme, not `{scheme}://`"))),
        }
    }
}

/// `rest` is what follows `unix://`.
fn parse_unix(fail: &Fail<'_>, rest: &str) -> Result<Host> {
    if rest.is_empty() {
        return Ok(Host::Unix(PathBuf::from(DEFAULT_SOCKET)));
    }
    if rest.chars().any(|c| c.is_whitespace() && c != ' ') {
        return Err(fail.because("a socket path without tabs or other whitespace"));
    }
    // A socket is never a directory: `unix:///run/docker.sock/` means the socket.
    let path = rest.trim_end_matches('/');
    if path.is_empty() {
        return Err(fail.because("the path of a socket after unix://, not a directory"));
    }
    if path.starts_with(' ') || path.ends_with(' ') {
        return Err(fail.because("a socket path that does not start or end with a space"));
    }
    Ok(Host::Unix(PathBuf::from(path)))
}

/// `rest` is what follows `tcp://`, `http://` or `https://`, or a bare address.
fn parse_net(fail: &Fail<'_>, rest: &str, scheme: TcpScheme) -> Result<Host> {
    if rest.chars().any(char::is_whitespace) {
        return Err(fail.because("an address without whitespace"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // Anywhere, not only before the first `/`: `@` in a tcp address is a mistyped user.
    if rest.contains('@') {
        return Err(fail.because(&format!(
            "no user name in a {}:// address (only ssh:// takes one)",
            scheme.as_str()
        )));
    }
    if authority.is_empty() {
        return Err(fail.because("a host or a port after the scheme, as in tcp://127.0.0.1:2375"));
    }
    let (host, port) = split_host_port(fail, authority)?;
    let host = if host.is_empty() {
        // `:2375` and `tcp://:2375`: the docker CLI and docker-py both mean the local host.
        LOCALHOST.to_string()
    } else {
        host
    };
    Ok(Host::Tcp {
        scheme,
        host,
        port,
        base_path: path.trim_end_matches('/').to_string(),
    })
}

/// `rest` is what follows `ssh://`.
fn parse_ssh(fail: &Fail<'_>, rest: &str) -> Result<Host> {
    if rest.chars().any(char::is_whitespace) {
        return Err(fail.because("an address without whitespace"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // A lone trailing slash is not a path.
    if !path.is_empty() && path != "/" {
        return Err(fail.because("no path after the host in an ssh:// address"));
    }
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            if userinfo.is_empty() {
                return Err(fail.because("a user name before `@`, or no `@`"));
            }
            if userinfo.contains(['[', ']']) {
                return Err(fail.because("a user name without `[` or `]`"));
            }
            (Some(userinfo.to_string()), hostport)
        }
        None => (None, authority),
    };
    let (host, port) = split_host_port(fail, hostport)?;
    if host.is_empty() {
        return Err(fail.because("a host name after ssh://"));
    }
    Ok(Host::Ssh { user, host, port })
}

/// Splits `host`, `host:port`, `[v6]`, `[v6]:port`, `:port`; the host may come back empty.
fn split_host_port(fail: &Fail<'_>, authority: &str) -> Result<(String, Option<u16>)> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((inside, after)) = bracketed.split_once(']') else {
            return Err(fail.because("a closing `]` after an IPv6 address"));
        };
        if inside.contains('%') {
            return Err(fail.because("an IPv6 address without a zone id (`%...`)"));
        }
        if inside.parse::<Ipv6Addr>().is_err() {
            return Err(fail.because(&format!(
                "an IPv6 address inside the brackets, not `{inside}`"
            )));
        }
        let port = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(port) => Some(port),
                None => return Err(fail.because("`:port` or nothing after `]`")),
            },
        };
        (inside, port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((_, port)) if port.contains(':') => {
                return Err(fail.because("an IPv6 address in brackets, as in tcp://[::1]:2375"));
            }
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
        if let Some(bad) = host.chars().find(|&c| !name_char(c)) {
            return Err(fail.because(&format!(
                "a host name of letters, digits, `-`, `.` and `_`, without `{bad}` \
                 (write IPv6 addresses in brackets, international names in punycode)"
            )));
        }
        (host, port)
    };
    let port = match port {
        None => None,
        Some(port) => Some(parse_port(fail, port)?),
    };
    Ok((host.to_string(), port))
}

fn parse_port(fail: &Fail<'_>, port: &str) -> Result<u16> {
    if port.is_empty() {
        return Err(fail.because("a port number after `:`, or no `:`"));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail.because(&format!("a port number, not `{port}`")));
    }
    match port.parse::<u16>() {
        Ok(p) if p != 0 => Ok(p),
        _ => Err(fail.because(&format!("a port from 1 to 65535, not {port}"))),
    }
}

/// Where a `user:password@` password lies in `value`, if it has one.
///
/// Errs on the side of finding one: outside `unix://`, the text between the first `:` after
/// the scheme and the last `@` counts, even if a `/`, `?` or `#` in it was meant otherwise.
fn find_password(value: &str) -> Option<std::ops::Range<usize>> {
    let start = match value.find("://") {
        Some(i) if value[..i].trim().eq_ignore_ascii_case("unix") => return None,
        Some(i) => i + 3,
        None => 0,
    };
    let rest = &value[start..];
    let at = rest.rfind('@')?;
    let colon = rest[..at].find(':')?;
    Some(start + colon + 1..start + at)
}

/// Writes a host, bracketing IPv6 addresses.
fn write_host(f: &mut fmt::Formatter<'_>, host: &str) -> fmt::Result {
    if host.contains(':') {
        write!(f, "[{host}]")
    } else {
        f.write_str(host)
    }
}

impl fmt::Display for Host {
    /// The canonical URL: `unix:///var/run/docker.sock`, `tcp://host:2375/prefix`,
    /// `https://host`, `ssh://user@host:22`. Parsing it gives back the same `Host`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Unix(path) => write!(f, "unix://{}", path.display()),
            Host::Tcp {
                scheme,
                host,
                port,
                base_path,
            } => {
                write!(f, "{}://", scheme.as_str())?;
                write_host(f, host)?;
                if let Some(port) = port {
                    write!(f, ":{port}")?;
                }
                f.write_str(base_path)
            }
            Host::Ssh { user, host, port } => {
                f.write_str("ssh://")?;
                if let Some(user) = user {
                    write!(f, "{user}@")?;
                }
                write_host(f, host)?;
                if let Some(port) = port {
                    write!(f, ":{port}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::str::FromStr for Host {
    type Err = Error;
    fn from_str(s: &str) -> Result<Host> {
        Host::parse("DOCKER_URL", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(p: &str) -> Option<Host> {
        Some(Host::Unix(PathBuf::from(p)))
    }

    fn tcp(scheme: TcpScheme, host: &str, port: Option<u16>, base: &str) -> Option<Host> {
        Some(Host::Tcp {
            scheme,
            host: host.into(),
            port,
            base_path: base.into(),
        })
    }

    fn ssh(user: Option<&str>, host: &str, port: Option<u16>) -> Option<Host> {
        Some(Host::Ssh {
            user: user.map(Into::into),
            host: host.into(),
            port,
        })
    }

    use TcpScheme::{Http, Https, Tcp};

    /// (input, expected host or None for an error, canonical Display or a word the error must
    /// contain)
    #[test]
    fn parse_table() {
        let cases: Vec<(&str, Option<Host>, &str)> = vec![
            // unix
            (
                "unix:///var/run/docker.sock",
                unix("/var/run/docker.sock"),
                "unix:///var/run/docker.sock",
            ),
            (
                "unix://",
                unix(DEFAULT_SOCKET),
                "unix:///var/run/docker.sock",
            ),
            (
                "unix:///run/user/1000/docker.sock/",
                unix("/run/user/1000/docker.sock"),
                "unix:///run/user/1000/docker.sock",
            ),
            (
                "  unix:///tmp/d.sock\n",
                unix("/tmp/d.sock"),
                "unix:///tmp/d.sock",
            ),
            (
                "UNIX:///tmp/d.sock",
                unix("/tmp/d.sock"),
                "unix:///tmp/d.sock",
            ),
            (
                "unix:///Users/Jo Doe/.docker/run/docker.sock",
                unix("/Users/Jo Doe/.docker/run/docker.sock"),
                "unix:///Users/Jo Doe/.docker/run/docker.sock",
            ),
            (
                "unix://relative.sock",
                unix("relative.sock"),
                "unix://relative.sock",
            ),
            ("unix:///", None, "not a directory"),
            ("unix:///tmp/x /", None, "end with a space"),
            ("unix:// /tmp/x", None, "start or end"),
            ("unix:///tmp/a\tb.sock", None, "control"),
            ("unix:///tmp/d.sock?x=1", None, "query"),
            ("/var/run/docker.sock", None, "unix:///var/run/docker.sock"),
            // tcp
            (
                "tcp://127.0.0.1:2375",
                tcp(Tcp, "127.0.0.1", Some(2375), ""),
                "tcp://127.0.0.1:2375",
            ),
            (
                "tcp://docker.example.com",
                tcp(Tcp, "docker.example.com", None, ""),
                "tcp://docker.example.com",
            ),
            (
                "tcp://h:2375/",
                tcp(Tcp, "h", Some(2375), ""),
                "tcp://h:2375",
            ),
            (
                "tcp://h:2375/prefix/",
                tcp(Tcp, "h", Some(2375), "/prefix"),
                "tcp://h:2375/prefix",
            ),
            ("tcp://h/a/b", tcp(Tcp, "h", None, "/a/b"), "tcp://h/a/b"),
            (
                "tcp://[::1]:2375",
                tcp(Tcp, "::1", Some(2375), ""),
                "tcp://[::1]:2375",
            ),
            (
                "tcp://[fe80::1]",
                tcp(Tcp, "fe80::1", None, ""),
                "tcp://[fe80::1]",
            ),
            (
                "tcp://:2375",
                tcp(Tcp, "127.0.0.1", Some(2375), ""),
                "tcp://127.0.0.1:2375",
            ),
            (
                "TCP://My-Host_1.lan:2376",
                tcp(Tcp, "My-Host_1.lan", Some(2376), ""),
                "tcp://My-Host_1.lan:2376",
            ),
            (
                "tcp://h:065535",
                tcp(Tcp, "h", Some(65535), ""),
                "tcp://h:65535",
            ),
            ("tcp://", None, "a host or a port"),
            ("tcp://h:0", None, "1 to 65535"),
            ("tcp://h:65536", None, "1 to 65535"),
            ("tcp://h:99999999999999999999", None, "1 to 65535"),
            ("tcp://h:http", None, "port number"),
            ("tcp://h:-1", None, "port number"),
            ("tcp://h:", None, "port number after"),
            ("tcp://::1:2375", None, "brackets"),
            ("tcp://[::1", None, "closing"),
            ("tcp://[::1]x", None, "after `]`"),
            ("tcp://[127.0.0.1]:2375", None, "IPv6 address inside"),
            ("tcp://[fe80::1%eth0]:2375", None, "zone"),
            ("tcp://h:2375?tls=1", None, "query"),
            ("tcp://h:2375/#top", None, "fragment"),
            ("tcp://user@h:2375", None, "only ssh"),
            ("tcp://h/a@b", None, "only ssh"),
            ("tcp://user:s3cret@h:2375", None, "password"),
            ("tcp://h :2375", None, "whitespace"),
            ("tcp://h:2375/a@b", None, "password"), // safe side: any `@` may end a password
            ("tcp://h\u{e9}:2375", None, "punycode"),
            ("tcp://h/a b", None, "whitespace"),
            // http, https
            (
                "http://localhost:2375",
                tcp(Http, "localhost", Some(2375), ""),
                "http://localhost:2375",
            ),
            (
                "https://192.168.59.103:2376",
                tcp(Https, "192.168.59.103", Some(2376), ""),
                "https://192.168.59.103:2376",
            ),
            ("https://h", tcp(Https, "h", None, ""), "https://h"),
            (
                "https://[2001:db8::7]:2376/v/",
                tcp(Https, "2001:db8::7", Some(2376), "/v"),
                "https://[2001:db8::7]:2376/v",
            ),
            ("https://u:hunter2@h:2376", None, "password"),
            ("http://", None, "a host or a port"),
            // bare
            (
                "localhost:2375",
                tcp(Tcp, "localhost", Some(2375), ""),
                "tcp://localhost:2375",
            ),
            ("10.0.0.5", tcp(Tcp, "10.0.0.5", None, ""), "tcp://10.0.0.5"),
            (
                "[::1]:2375",
                tcp(Tcp, "::1", Some(2375), ""),
                "tcp://[::1]:2375",
            ),
            (
                ":2375",
                tcp(Tcp, "127.0.0.1", Some(2375), ""),
                "tcp://127.0.0.1:2375",
            ),
            (
                "h:2375/base/",
                tcp(Tcp, "h", Some(2375), "/base"),
                "tcp://h:2375/base",
            ),
            (":", None, "port number after"),
            ("a:b:c", None, "brackets"),
            ("user@h:2375", None, "only ssh"),
            // ssh
            (
                "ssh://me@example.com",
                ssh(Some("me"), "example.com", None),
                "ssh://me@example.com",
            ),
            (
                "ssh://me@example.com:2222",
                ssh(Some("me"), "example.com", Some(2222)),
                "ssh://me@example.com:2222",
            ),
            (
                "ssh://example.com",
                ssh(None, "example.com", None),
                "ssh://example.com",
            ),
            (
                "ssh://example.com/",
                ssh(None, "example.com", None),
                "ssh://example.com",
            ),
            (
                "ssh://me@[::1]:22",
                ssh(Some("me"), "::1", Some(22)),
                "ssh://me@[::1]:22",
            ),
            ("ssh://me@host/var/run/docker.sock", None, "no path"),
            ("ssh://me:pw@host", None, "password"),
            ("ssh://@host", None, "user name"),
            ("ssh://me@", None, "host name"),
            ("ssh://me@host:0", None, "1 to 65535"),
            // other schemes
            ("ftp://h", None, "`ftp://`"),
            ("fd://", None, "systemd"),
            (
                "npipe:////./pipe/docker_engine",
                None,
                if cfg!(windows) {
                    "not supported"
                } else {
                    "only on Windows"
                },
            ),
            ("://h", None, "scheme"),
            (
                "http+unix://%2Fvar%2Frun%2Fdocker.sock",
                None,
                "known scheme",
            ),
            // empty
            ("", None, "empty"),
            ("   ", None, "empty"),
        ];
        assert!(cases.len() >= 30);
        for (input, expected, text) in cases {
            let got = Host::parse("DOCKER_HOST", input);
            match (&got, &expected) {
                (Ok(host), Some(want)) => {
                    assert_eq!(host, want, "{input:?}");
                    assert_eq!(host.to_string(), text, "{input:?}");
                    // The canonical form reads back as the same host.
                    assert_eq!(
                        Host::parse("K", &host.to_string()).as_ref().ok(),
                        Some(want),
                        "{input:?}"
                    );
                }
                (Err(err), None) => {
                    let msg = err.to_string();
                    assert!(msg.contains(text), "{input:?}: {msg}");
                    assert!(msg.contains("DOCKER_HOST"), "{input:?}: {msg}");
                    assert!(msg.contains("accepted forms"), "{input:?}: {msg}");
                    assert!(matches!(err, Error::Setting { .. }), "{input:?}");
                }
                _ => panic!("{input:?}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn passwords_never_reach_the_error() {
        for input in [
            "tcp://user:s3cret@h:2375",
            "https://u:s3cret@h:2376/x?y#z",
            "ssh://me:s3cret@host",
            "me:s3cret@host:2375",
            "tcp://u:s3cret@h:2375?q",
            "tcp://u:s3/cret@h:2375",
            "tcp://u:s3?cret@h:2375",
            "tcp://u:s3#cret@h",
            "u:s3cret:x@h",
            " SSH://me:s3cret@host:22/x ",
        ] {
            let err = Host::parse("DOCKER_URL", input).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(!text.contains("s3cret"), "{text}");
            assert!(text.contains("***"), "{text}");
        }
    }

    #[test]
    fn from_str_names_docker_url() {
        let err = "ftp://x".parse::<Host>().unwrap_err();
        assert!(err.to_string().contains("DOCKER_URL"));
        assert_eq!("unix://".parse::<Host>().ok(), unix(DEFAULT_SOCKET));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for input in [
            "[",
            "]",
            "[]",
            "[]:",
            "@",
            ":::",
            "://",
            "unix",
            "tcp:/h",
            "é:1",
            "[é]",
            "h:é",
            "ssh://[",
            "ssh://a@b@c",
            "tcp://h:2375//",
            "\u{0}",
            "x://y://z",
        ] {
            let _ = Host::parse("K", input);
        }
        assert_eq!(
            Host::parse("K", "ssh://a@b@c").ok(),
            ssh(Some("a@b"), "c", None)
        );
    }
}
