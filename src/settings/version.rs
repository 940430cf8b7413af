//! The versions a setting can pin: the Engine API's ([`ApiVersion`]) and TLS's
//! ([`TlsVersion`]).

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

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
pub(super) fn parse_version_as(key: &str, value: &str, expected: &str) -> Result<ApiVersion> {
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

pub(super) fn parse_tls_version_as(key: &str, value: &str) -> Result<Option<TlsVersion>> {
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
