//! Flask-Docker's keys: parsing `DOCKER_*` values from pairs or a `KEY=value` file into
//! [`Settings`].

use std::path::PathBuf;
use std::time::Duration;

use super::version::{parse_tls_version_as, parse_version_as};
use super::{Host, Provenance, Settings, MAX_TIMEOUT};
use crate::error::{Error, Result};

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

/// The `DOCKER_*` values found so far, each with the name its errors give it.
pub(super) struct Raw {
    slots: [Option<(String, String)>; KEYS.len()],
    /// Appended to `DOCKER_URL` when it is missing: where we looked.
    origin: String,
}

impl Raw {
    pub(super) fn new(origin: &str) -> Raw {
        Raw {
            slots: Default::default(),
            origin: origin.to_string(),
        }
    }

    pub(super) fn set(&mut self, key: &str, value: &str, label: String) {
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

    pub(super) fn build(&self) -> Result<Settings> {
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
pub(super) fn split_cert_pair(value: &str) -> Option<(&str, &str)> {
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
pub(super) fn parse_config_line<'a>(line: &'a str, at: &str) -> Result<Option<(&'a str, String)>> {
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
