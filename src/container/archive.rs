//! Files in and out of a container: path stats, `export`, and the tar archives of
//! `get_archive` and `put_archive`.

use std::fmt;
use std::io::{self, Read};

use serde::Deserialize;

#[cfg(doc)]
use super::Container;
use crate::base64;
use crate::client::{BodyParts, CancelHandle, Response};
use crate::error::{Error, Result};

/// What the engine says about a path in a container: the decoded
/// `X-Docker-Container-Path-Stat` header of [`Container::stat_path`] and
/// [`Container::get_archive`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PathStat {
    /// Its last component, such as `passwd`.
    pub name: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its mode, as Go's `os.FileMode`: permission bits, plus bit 31 for a folder, bit 27
    /// for a symbolic link, and so on (see [`is_dir`](Self::is_dir)).
    pub mode: u32,
    /// When it was last changed (RFC 3339).
    pub mtime: String,
    /// What a symbolic link points to (empty otherwise).
    #[serde(rename = "linkTarget")]
    pub link_target: String,
}

impl PathStat {
    /// Whether it is a folder.
    pub fn is_dir(&self) -> bool {
        self.mode & (1 << 31) != 0
    }

    /// Whether it is a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.mode & (1 << 27) != 0
    }

    /// Its permission bits, such as `0o644`.
    pub fn permissions(&self) -> u32 {
        self.mode & 0o777
    }
}

/// Decodes the path-stat header of an archive answer.
pub(super) fn path_stat_header(response: &Response) -> Result<PathStat> {
    const HEADER: &str = "X-Docker-Container-Path-Stat";
    let context = || format!("the {HEADER} header of {}", response.context());
    let encoded = response
        .header(HEADER)
        .ok_or_else(|| Error::decode(context(), "the engine sent none"))?;
    let json = base64::decode(encoded.trim())
        .ok_or_else(|| Error::decode(context(), format!("not base64: {encoded:?}")))?;
    serde_json::from_slice(&json).map_err(|e| Error::decode(context(), e))
}

/// Checks a path in a container before it goes in a query.
pub(super) fn container_path(path: &str) -> Result<&str> {
    if path.is_empty() {
        return Err(Error::setting(
            "container path",
            path,
            "a path in the container, such as /etc/hostname",
        ));
    }
    Ok(path)
}

/// A tar archive from the engine ([`Container::export`], [`Container::get_archive`],
/// [`Images::save`](crate::image::Images::save), [`Image::save`](crate::Image::save)), read
/// as it arrives: in constant memory, whatever its size.
///
/// Reading has no overall deadline (a large archive may take longer than
/// `DOCKER_TIMEOUT`); a container's archive fails when no byte comes for `DOCKER_TIMEOUT`
/// (an image save has no such limit: the engine may take its time between layers). A failed read is
/// an `io::Error` that carries the [`Error`](crate::Error) (get it with
/// `io::Error::into_inner` and `downcast`). Another thread can stop the transfer with
/// [`cancel_handle`](Self::cancel_handle); reads then fail rather than end, so a cut
/// archive is never taken for a whole one.
pub struct TarReader {
    body: ureq::BodyReader<'static>,
    parts: BodyParts,
}

impl fmt::Debug for TarReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TarReader")
            .field("request", &self.parts.failure.context())
            .finish()
    }
}

impl TarReader {
    pub(crate) fn new(mut parts: BodyParts) -> Self {
        TarReader {
            body: parts.take_body(),
            parts,
        }
    }

    /// A handle that stops this stream from another thread (see [`CancelHandle`]).
    pub fn cancel_handle(&self) -> CancelHandle {
        self.parts.cancel.clone()
    }
}

impl Read for TarReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.body.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let kind = e.kind();
                let error = self
                    .parts
                    .read_error(e)
                    .unwrap_or_else(|| Error::Cancelled {
                        context: self.parts.failure.context().to_string(),
                    });
                let kind = match &error {
                    Error::Timeout { .. } => io::ErrorKind::TimedOut,
                    Error::Cancelled { .. } => io::ErrorKind::Other,
                    _ => kind,
                };
                Err(io::Error::new(kind, error))
            }
        }
    }
}

/// A file or folder of a container as a tar archive, with what the engine says about it:
/// see [`Container::get_archive`]. Reading it reads [`tar`](Self::tar).
#[derive(Debug)]
#[non_exhaustive]
pub struct Archive {
    /// The path's name, size, mode, time and link target.
    pub stat: PathStat,
    /// The archive.
    pub tar: TarReader,
}

impl Archive {
    /// A handle that stops this stream from another thread (see [`CancelHandle`]).
    pub fn cancel_handle(&self) -> CancelHandle {
        self.tar.cancel_handle()
    }
}

impl Read for Archive {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tar.read(buf)
    }
}

/// Options for [`Container::put_archive`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PutArchiveOptions {
    pub(super) no_overwrite_dir_non_dir: bool,
    pub(super) copy_uid_gid: bool,
}

impl PutArchiveOptions {
    /// Unpack over what is there.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fail rather than replace a folder with a file or a file with a folder.
    pub fn no_overwrite_dir_non_dir(mut self, on: bool) -> Self {
        self.no_overwrite_dir_non_dir = on;
        self
    }

    /// Give the files the container user's owner and group, not the archive's (API 1.41).
    pub fn copy_uid_gid(mut self, on: bool) -> Self {
        self.copy_uid_gid = on;
        self
    }
}
