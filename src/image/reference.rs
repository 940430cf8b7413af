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

/// An image reference taken apart: `repo[:tag][@digest]`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reference<'a> {
    pub(crate) repo: &'a str,
    pub(crate) tag: Option<&'a str>,
    pub(crate) digest: Option<&'a str>,
}

/// Splits `name` as the docker CLI does: a digest after `@`, a tag after the last `:` that
/// comes after the last `/` (so `127.0.0.1:5000/app` has no tag).
pub(crate) fn parse_reference(name: &str) -> Reference<'_> {
    let (rest, digest) = match name.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (name, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => Reference {
            repo: &rest[..slash + i],
            tag: Some(&rest[slash + i + 1..]),
            digest,
        },
        None => Reference {
            repo: rest,
            tag: None,
            digest,
        },
    }
}
