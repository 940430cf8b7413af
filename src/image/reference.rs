//! Image names: the paths of image endpoints, and references split as the docker CLI
//! splits them.

use crate::client::encode_segment;
use crate::error::{Error, Result};

/// The path of an image endpoint: `/images/{name}{tail}`.
///
/// The engine routes `/images/{name:.*}/json` on the decoded path, so a `/` in a name stays
/// a `/` (encoding it would not hide it); each part between is percent-encoded. The engine
/// cleans `.` and `..` out of a path before routing, so parts like those are refused, as
/// are empty ones.
pub(crate) fn image_path(name: &str, tail: &str) -> Result<String> {
    let bad = name.is_empty()
        || name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(Error::setting(
            "image name",
            name,
            "an image name, id or reference such as busybox:1.36 or \
             registry.example.com/team/app:1, without empty, `.` or `..` parts",
        ));
    }
    let encoded: Vec<String> = name.split('/').map(encode_segment).collect();
    Ok(format!("/images/{}{tail}", encoded.join("/")))
}

/// An image reference taken apart: `name[:tag][@digest]`, where the name may start with a
/// registry host (`localhost:5000/app`, `[::1]:5000/app`, `registry.example.com/team/app`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reference<'a> {
    /// The name, registry host included, without tag or digest.
    pub(crate) repo: &'a str,
    pub(crate) tag: Option<&'a str>,
    pub(crate) digest: Option<&'a str>,
}

/// What a reference looks like, for errors.
const EXPECTED: &str = "an image reference name[:tag] or name@digest, such as busybox, \
                        busybox:1.36, localhost:5000/team/app:1 or \
                        busybox@sha256:<64 hex digits>";

impl<'a> Reference<'a> {
    /// The tag, or `latest` when the reference has none (as the docker CLI fills it in).
    pub(crate) fn tag_or_latest(&self) -> &'a str {
        self.tag.unwrap_or("latest")
    }

    /// What to send as the `tag` of a pull: the digest, else the tag, else `latest` (as
    /// the docker CLI sends it: without one the engine would pull every tag).
    pub(crate) fn pull_tag(&self) -> &'a str {
        self.digest.unwrap_or_else(|| self.tag_or_latest())
    }

    /// Refuses a digest: a new name (tag, commit, import) or a push is a tag, not a digest.
    pub(crate) fn without_digest(self, text: &str, what: &str) -> Result<Reference<'a>> {
        match self.digest {
            Some(_) => Err(Error::setting(
                "image reference",
                text,
                format!("a name with an optional tag such as localhost:5000/app:1: {what} takes no digest"),
            )),
            None => Ok(self),
        }
    }
}

/// Splits and checks `text` as the docker CLI's `reference.ParseNormalizedNamed` does: a
/// digest after `@`; a tag after the last `:` that comes after the last `/` (so
/// `localhost:5000/app` has none); the first part of the name is a registry host when it
/// has a `.` or a `:`, is `localhost`, or has a capital. The error names the text, the
/// forms it may take, and what is wrong with it.
pub(crate) fn parse_reference(text: &str) -> Result<Reference<'_>> {
    check_reference(text)
        .map_err(|why| Error::setting("image reference", text, format!("{EXPECTED}; {why}")))
}

fn check_reference(text: &str) -> std::result::Result<Reference<'_>, String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => {
            check_digest(digest)?;
            (rest, Some(digest))
        }
        None => (text, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        check_tag(tag)?;
    }
    check_name(repo)?;
    Ok(Reference { repo, tag, digest })
}

/// `algorithm:hex`, as `sha256:` and 64 hex digits (at least 32 for other algorithms).
fn check_digest(digest: &str) -> std::result::Result<(), String> {
    let bad = |why: &str| Err(format!("the digest {digest:?} {why}"));
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return bad("has no `algorithm:` before its hex digits");
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|part| {
            part.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && part.bytes().all(|b| b.is_ascii_alphanumeric())
        });
    if !algorithm_ok {
        return bad("has an algorithm that is not a name such as sha256");
    }
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return bad("has characters that are not hex digits");
    }
    let want = if algorithm == "sha256" { 64 } else { 32 };
    if hex.len() < want || (algorithm == "sha256" && hex.len() != 64) {
        return bad(&format!("has {} hex digits, not {want}", hex.len()));
    }
    Ok(())
}

/// Letters, digits, `_`, `.` and `-`, at most 128, not starting with `.` or `-`.
fn check_tag(tag: &str) -> std::result::Result<(), String> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let ok = tag.len() <= 128
        && tag.bytes().next().is_some_and(word)
        && tag.bytes().all(|b| word(b) || b == b'.' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the tag {tag:?} is not 1 to 128 letters, digits, `_`, `.` or `-` (not first)"
        ))
    }
}

/// `[host[:port]/]path`, each path part lowercase letters and digits joined by `.`, `_`,
/// `__` or dashes; at most 255 characters in all.
fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("the name before the tag or digest is empty".into());
    }
    if name.len() > 255 {
        return Err(format!(
            "the name is {} characters long, not at most 255",
            name.len()
        ));
    }
    let (host, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    if let Some(host) = host {
        check_host(host)?;
    }
    for part in path.split('/') {
        check_path_part(part)?;
    }
    Ok(())
}

fn check_path_part(part: &str) -> std::result::Result<(), String> {
    if part.is_empty() {
        return Err("the name has an empty part (a `/` too many)".into());
    }
    if part.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("the part {part:?} of the name is not lowercase"));
    }
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = part.as_bytes();
    let mut i = 0;
    let mut ok = bytes.first().copied().is_some_and(alnum);
    while ok && i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__`, or one or more `-`, then an alphanumeric.
        let start = i;
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += if bytes.get(i + 1) == Some(&b'_') {
                    2
                } else {
                    1
                }
            }
            b'-' => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => {
                ok = false;
                break;
            }
        }
        ok = i > start && bytes.get(i).copied().is_some_and(alnum);
    }
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the part {part:?} of the name is not lowercase letters and digits joined by \
             `.`, `_`, `__` or `-`"
        ))
    }
}

/// `name[.name...][:port]` or `[ipv6][:port]`.
fn check_host(host: &str) -> std::result::Result<(), String> {
    let bad = || Err(format!("the registry host {host:?} is not host[:port]"));
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else {
            return bad();
        };
        if address.is_empty()
            || !address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return bad();
        }
        match after {
            "" => return Ok(()),
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return bad(),
            },
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return bad();
        }
    }
    if let Some(name) = name {
        let label_ok = |label: &str| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        };
        if !name.split('.').all(label_ok) {
            return bad();
        }
    }
    Ok(())
}
