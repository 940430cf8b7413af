//! Request paths: percent-encoding caller-supplied segments and refusing ids and names
//! that would reach another endpoint.

use crate::error::{Error, Result};

/// Encodes one path segment (a container name, an image reference, ...) so that nothing in
/// it can change the path or add a query: everything but `A-Z a-z 0-9 - . _ ~` is
/// percent-encoded.
///
/// ```
/// assert_eq!(dockhand::encode_segment("a/b?c"), "a%2Fb%3Fc");
/// ```
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks an object's id or name before it goes into a path. The engine decodes the path
/// and then resolves `.` and `..`, so no encoding can keep `../x` from naming another
/// endpoint: such names are refused here. One leading `/` (as in a container's `Names`) is
/// dropped.
pub(crate) fn object_id<'a>(kind: &str, id: &'a str) -> Result<&'a str> {
    let id = id.strip_prefix('/').unwrap_or(id);
    if id.is_empty() || id == "." || id == ".." || id.contains('/') {
        return Err(Error::setting(
            kind,
            id,
            "an id or a name, without `/` and not `.` or `..`",
        ));
    }
    Ok(id)
}

/// The path of an endpoint that the engine routes on a whole reference, `/` included
/// (`/plugins/{name:.*}/json`, `/distribution/{name:.*}/json`): `{prefix}/{name}{tail}`.
///
/// The engine decodes the path before routing, so a `/` in the name stays a `/` (encoding
/// it would not hide it) and each part between is percent-encoded. It cleans `.` and `..`
/// out of a path first, so such parts are refused, as are empty ones.
pub(crate) fn reference_path(kind: &str, prefix: &str, name: &str, tail: &str) -> Result<String> {
    let bad = name.is_empty()
        || name
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(Error::setting(
            kind,
            name,
            "a name or reference such as vieux/sshfs:latest or \
             registry.example.com/team/name:1, without empty, `.` or `..` parts",
        ));
    }
    let encoded: Vec<String> = name.split('/').map(encode_segment).collect();
    Ok(format!("{prefix}/{}{tail}", encoded.join("/")))
}
