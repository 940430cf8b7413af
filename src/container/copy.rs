//! `docker cp` without tar: a file, folder or bytes into a container and out of it, and a
//! file read into memory. Built on the archive endpoints; the tar is made and read here,
//! as it streams, in constant memory.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Archive, Container, PathStat, PutArchiveOptions};
use crate::error::{Error, Result};
use crate::image::BuildContext;

/// The most [`Container::read_file`] reads into memory.
pub const READ_FILE_LIMIT: u64 = 64 * 1024 * 1024;

/// How many symbolic links a path may go through before we give up (as Linux's 40, but
/// each costs a request).
const LINK_HOPS: usize = 16;

/// What a path in the container is, links followed.
enum Lookup {
    /// It exists, at this path (the link's target when it was a link).
    Found(String, PathStat),
    /// Nothing is there (or the container does not exist: `put_archive` will say which).
    Missing(String),
}

impl Container {
    /// Copies a file, folder or symbolic link of this machine into the container, as
    /// `docker cp HOST_PATH CONTAINER:PATH` does, without any tar in sight:
    ///
    /// - `container_path` is a folder: the copy goes inside it, under its own name
    ///   (`copy_in("site", "/srv")` makes `/srv/site`);
    /// - it is a file: a file replaces it (a folder cannot);
    /// - it does not exist: the copy takes that name (`copy_in("site", "/srv/www")` makes
    ///   `/srv/www`); the folder it is in must exist. With a trailing `/` it must exist;
    /// - a `host_path` ending in `/.` (or `.` alone) copies a folder's contents instead of
    ///   the folder.
    ///
    /// Modes, times, owners (uid and gid, as on this machine) and symbolic links are kept;
    /// a link is copied as a link, not followed; sockets, pipes and devices are left out.
    /// The tar is made on the fly in another thread and streamed, so a file of any size
    /// goes in constant memory. It never replaces a folder by a file or the reverse: that
    /// fails instead. Works on stopped containers too.
    ///
    /// ```no_run
    /// fn main() -> dockhand::Result<()> {
    ///     let docker = dockhand::Docker::from_env()?;
    ///     let web = docker.container("web");
    ///     web.copy_in("./site", "/usr/share/nginx/html")?;   // .../html/site
    ///     web.copy_in("nginx.conf", "/etc/nginx/nginx.conf")?;
    ///     Ok(())
    /// }
    /// ```
    pub fn copy_in(&self, host_path: impl AsRef<Path>, container_path: &str) -> Result<()> {
        let host = host_path.as_ref();
        let meta = fs::symlink_metadata(host).map_err(|source| Error::File {
            path: host.to_path_buf(),
            source,
        })?;
        let contents_only = meta.is_dir() && ends_in_dot(host);
        // A trailing `/` promises a folder: looked up without it, then checked.
        let wants_folder = container_path.len() > 1 && container_path.ends_with('/');
        let trimmed = match container_path.trim_end_matches('/') {
            "" => "/",
            trimmed => trimmed,
        };
        let (dir, top) = match self.lookup(trimmed)? {
            Lookup::Found(path, stat) if stat.is_dir() => {
                let top = if contents_only {
                    None
                } else {
                    Some(source_name(host)?)
                };
                (path, top)
            }
            Lookup::Found(path, _) if meta.is_dir() => {
                return Err(Error::setting(
                    "container path",
                    container_path,
                    format!(
                        "a folder to copy the folder {} into, but {path} is a file",
                        host.display()
                    ),
                ))
            }
            Lookup::Found(path, _) | Lookup::Missing(path) => {
                if wants_folder {
                    // `docker cp` refuses too.
                    return Err(Error::setting(
                        "container path",
                        container_path,
                        "an existing folder (it ends with `/`, but no such folder is in the \
                         container)",
                    ));
                }
                let (parent, name) = split(&path);
                (parent, Some(OsString::from(name)))
            }
        };
        let (reader, writer) = BuildContext::for_copy(host, top)?.spawn()?;
        match self.put_archive(&dir, reader, &no_dir_swaps()) {
            // The request body was read to its end: the tar is complete.
            Ok(()) => writer.finish(),
            // A file that could not be read is the cause, not the broken upload.
            Err(e) => Err(writer.finish().err().unwrap_or(e)),
        }
    }

    /// Writes `bytes` as the file `container_path` of the container, with the permission
    /// bits `mode` (such as `0o644`), owned by root. The folder it is in must exist; a
    /// file there is replaced, a folder is not (that fails). Works on stopped containers
    /// too.
    ///
    /// ```no_run
    /// fn main() -> dockhand::Result<()> {
    ///     let docker = dockhand::Docker::from_env()?;
    ///     let web = docker.container("web");
    ///     web.copy_in_bytes("/etc/app.env", "MODE=test\n", 0o600)?;
    ///     web.copy_in_bytes("/usr/local/bin/hello", b"#!/bin/sh\necho hello\n", 0o755)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn copy_in_bytes(
        &self,
        container_path: &str,
        bytes: impl AsRef<[u8]>,
        mode: u32,
    ) -> Result<()> {
        let bytes = bytes.as_ref();
        if mode > 0o7777 {
            return Err(Error::setting(
                "mode",
                &format!("{mode:#o}"),
                "permission bits, at most 0o7777 (such as 0o644)",
            ));
        }
        let (parent, name) = split(container_path);
        if matches!(name, "" | "." | "..") || container_path.ends_with('/') {
            return Err(Error::setting(
                "container path",
                container_path,
                "the path of a file in the container, such as /etc/app.conf",
            ));
        }
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(bytes.len() as u64);
        header.set_mode(mode);
        header.set_uid(0);
        header.set_gid(0);
        let now = SystemTime::now().duration_since(UNIX_EPOCH);
        header.set_mtime(now.map(|d| d.as_secs()).unwrap_or(0));
        let mut tar = tar::Builder::new(Vec::with_capacity(bytes.len() + 2048));
        let tar_failed = |e: io::Error| Error::decode("a tar of the bytes", e);
        tar.append_data(&mut header, name, bytes)
            .map_err(tar_failed)?;
        let tar = tar.into_inner().map_err(tar_failed)?;
        self.put_archive(&parent, Cursor::new(tar), &no_dir_swaps())
    }

    /// Copies a file, folder or symbolic link of the container to this machine, as
    /// `docker cp CONTAINER:PATH HOST_PATH` does:
    ///
    /// - `host_path` is a folder: the copy goes inside it, under its own name;
    /// - otherwise the copy takes that name, replacing a file that is there; the folder it
    ///   is in must exist;
    /// - a `container_path` ending in `/.` copies a folder's contents instead.
    ///
    /// Modes, times and symbolic links are kept (a link is copied as a link); owners are
    /// kept only when this process runs as root, as `docker cp` does, and are otherwise
    /// the user running it. The archive streams from the engine to the disk in constant
    /// memory. Nothing is written outside `host_path`, whatever the archive's names and
    /// links say. A copy under a new name is unpacked beside it first, then renamed into
    /// place, so a failed copy leaves nothing half-written there.
    ///
    /// ```no_run
    /// fn main() -> dockhand::Result<()> {
    ///     let docker = dockhand::Docker::from_env()?;
    ///     docker.container("builder").copy_out("/out/dist", "./dist")?;
    ///     Ok(())
    /// }
    /// ```
    pub fn copy_out(&self, container_path: &str, host_path: impl AsRef<Path>) -> Result<()> {
        let host = host_path.as_ref();
        let file_error = |path: &Path, source| Error::File {
            path: path.to_path_buf(),
            source,
        };
        let into_folder = match fs::metadata(host) {
            Ok(meta) => meta.is_dir(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if host.as_os_str().to_string_lossy().ends_with('/') {
                    return Err(file_error(
                        host,
                        io::Error::new(io::ErrorKind::NotFound, "no such folder"),
                    ));
                }
                false
            }
            Err(e) => return Err(file_error(host, e)),
        };
        let archive = self.get_archive(container_path)?;
        if into_folder {
            return unpack(archive, host);
        }
        // Unpacked beside the destination, then renamed into place.
        let parent = match host.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let scratch = parent.join(format!(
            ".dockhand-copy-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir(&scratch).map_err(|e| file_error(&scratch, e))?;
        let placed = unpack(archive, &scratch).and_then(|()| {
            if container_path.ends_with("/.") {
                return fs::rename(&scratch, host).map_err(|e| file_error(host, e));
            }
            let mut entries = fs::read_dir(&scratch)
                .and_then(|entries| entries.collect::<io::Result<Vec<_>>>())
                .map_err(|e| file_error(&scratch, e))?;
            let Some(top) = entries.pop().filter(|_| entries.is_empty()) else {
                return Err(Error::decode(
                    format!("the archive of {container_path}"),
                    "it does not hold one file or folder",
                ));
            };
            fs::rename(top.path(), host).map_err(|e| file_error(host, e))?;
            fs::remove_dir(&scratch).map_err(|e| file_error(&scratch, e))
        });
        if placed.is_err() {
            let _ = fs::remove_dir_all(&scratch);
        }
        placed
    }

    /// Reads one file of the container into memory: for a configuration file, a report,
    /// a result. Symbolic links are followed. A folder, or a file larger than
    /// [`READ_FILE_LIMIT`] (64 MiB), is an error (stream those with
    /// [`copy_out`](Self::copy_out) or [`get_archive`](Self::get_archive)). Works on
    /// stopped containers too.
    ///
    /// ```no_run
    /// fn main() -> dockhand::Result<()> {
    ///     let docker = dockhand::Docker::from_env()?;
    ///     let report = docker.container("tests").read_file("/out/junit.xml")?;
    ///     std::fs::write("junit.xml", report)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn read_file(&self, container_path: &str) -> Result<Vec<u8>> {
        let mut path = container_path.to_string();
        for _ in 0..LINK_HOPS {
            let archive = self.get_archive(&path)?;
            match read_first(archive, &path)? {
                First::File(bytes) => return Ok(bytes),
                First::Link(target) => path = target,
            }
        }
        Err(Error::setting(
            "container path",
            container_path,
            format!("a file reached through at most {LINK_HOPS} symbolic links"),
        ))
    }

    /// Reads one text file of the container: [`read_file`](Self::read_file), as UTF-8.
    ///
    /// ```no_run
    /// fn main() -> dockhand::Result<()> {
    ///     let docker = dockhand::Docker::from_env()?;
    ///     let release = docker.container("web").read_to_string("/etc/os-release")?;
    ///     println!("{}", release.lines().next().unwrap_or(""));
    ///     Ok(())
    /// }
    /// ```
    pub fn read_to_string(&self, container_path: &str) -> Result<String> {
        String::from_utf8(self.read_file(container_path)?)
            .map_err(|e| Error::decode(format!("{container_path} in the container"), e))
    }

    /// What `path` is in the container, following symbolic links as a write would.
    fn lookup(&self, path: &str) -> Result<Lookup> {
        let mut path = path.to_string();
        for _ in 0..LINK_HOPS {
            let stat = match self.stat_path(&path) {
                Ok(stat) => stat,
                Err(e) if e.is_not_found() => return Ok(Lookup::Missing(path)),
                Err(e) => return Err(e),
            };
            if !stat.is_symlink() || stat.link_target.is_empty() {
                return Ok(Lookup::Found(path, stat));
            }
            path = link_target(&path, &stat.link_target);
        }
        Err(Error::setting(
            "container path",
            &path,
            format!("a path reached through at most {LINK_HOPS} symbolic links"),
        ))
    }
}

/// `docker cp`'s rule: never replace a folder by a file or a file by a folder (the
/// engine would delete the folder, whatever is in it).
fn no_dir_swaps() -> PutArchiveOptions {
    PutArchiveOptions::new().no_overwrite_dir_non_dir(true)
}

/// A folder path that asks for its contents: `dir/.`, or `.`.
fn ends_in_dot(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text == "." || text.ends_with("/.") || (cfg!(windows) && text.ends_with("\\."))
}

/// The name a copy of `path` takes: its last component (of the absolute path for `.` and
/// `..`).
fn source_name(path: &Path) -> Result<OsString> {
    let named = match path.file_name() {
        Some(name) => Some(name.to_os_string()),
        None => fs::canonicalize(path)
            .map_err(|source| Error::File {
                path: path.to_path_buf(),
                source,
            })?
            .file_name()
            .map(|name| name.to_os_string()),
    };
    named.ok_or_else(|| Error::File {
        path: path.to_path_buf(),
        source: io::Error::new(
            io::ErrorKind::InvalidInput,
            "a copy needs a file or folder with a name, not the root",
        ),
    })
}

/// A container path's folder and last component: `/a/b/` is `/a` and `b`.
fn split(path: &str) -> (String, &str) {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) => ("/".to_string(), &trimmed[1..]),
        Some(i) => (trimmed[..i].to_string(), &trimmed[i + 1..]),
        None => ("/".to_string(), trimmed),
    }
}

/// Where the link at `path` points: its target, absolute (Docker's stat gives it so) or
/// relative to the link's folder.
fn link_target(path: &str, target: &str) -> String {
    if target.starts_with('/') {
        target.to_string()
    } else {
        let (parent, _) = split(path);
        format!("{}/{target}", parent.trim_end_matches('/'))
    }
}

/// An archive's reads, keeping the engine's error (a timeout, a cut connection) for the
/// caller rather than the tar reader's wording of it.
struct Keep<R> {
    inner: R,
    error: Option<Error>,
}

impl<R: Read> Read for Keep<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => {
                let kind = e.kind();
                let error = Error::from(e);
                let text = error.to_string();
                self.error = Some(error);
                Err(io::Error::new(kind, text))
            }
            other => other,
        }
    }
}

/// Unpacks an archive from the engine into the folder `into`.
fn unpack(archive: Archive, into: &Path) -> Result<()> {
    let mut reader = Keep {
        inner: archive,
        error: None,
    };
    let unpacked = {
        let mut tar = tar::Archive::new(&mut reader);
        tar.set_preserve_permissions(true);
        tar.set_preserve_mtime(true);
        tar.set_overwrite(true);
        tar.set_preserve_ownerships(running_as_root());
        // `unpack` keeps every entry inside `into`: no `..`, no absolute name, no write
        // through a link the archive made.
        tar.unpack(into)
    };
    match (unpacked, reader.error) {
        (_, Some(engine)) => Err(engine),
        (Ok(()), None) => Ok(()),
        (Err(source), None) => Err(Error::File {
            path: into.to_path_buf(),
            source,
        }),
    }
}

/// The first entry of an archive: a file's bytes, or where a link points.
enum First {
    File(Vec<u8>),
    Link(String),
}

fn read_first(archive: Archive, path: &str) -> Result<First> {
    let stat_target = archive.stat.link_target.clone();
    let context = || format!("the archive of {path}");
    let mut reader = Keep {
        inner: archive,
        error: None,
    };
    let first = {
        let mut tar = tar::Archive::new(&mut reader);
        let first = tar
            .entries()
            .and_then(|mut entries| entries.next().transpose());
        match first {
            Ok(Some(mut entry)) => {
                let kind = entry.header().entry_type();
                let size = entry.header().size().unwrap_or(0);
                if kind.is_file() || kind == tar::EntryType::Continuous {
                    if size > READ_FILE_LIMIT {
                        return Err(Error::setting(
                            "container path",
                            path,
                            format!(
                                "a file of at most {} MiB for read_file, but it has {size} \
                                 bytes: stream it with copy_out or get_archive",
                                READ_FILE_LIMIT >> 20
                            ),
                        ));
                    }
                    let mut bytes = Vec::with_capacity(size as usize);
                    entry
                        .read_to_end(&mut bytes)
                        .map(|_| Some(First::File(bytes)))
                } else if kind.is_symlink() {
                    let target = if stat_target.starts_with('/') {
                        stat_target
                    } else {
                        let name = entry.link_name().ok().flatten();
                        link_target(path, &name.unwrap_or_default().to_string_lossy())
                    };
                    Ok(Some(First::Link(target)))
                } else {
                    let what = if kind.is_dir() {
                        "a folder"
                    } else {
                        "neither a file nor a link"
                    };
                    return Err(Error::setting(
                        "container path",
                        path,
                        format!("a file for read_file, but it is {what} (copy_out copies folders)"),
                    ));
                }
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        }
    };
    match (first, reader.error) {
        (_, Some(engine)) => Err(engine),
        (Ok(Some(first)), None) => Ok(first),
        (Ok(None), None) => Err(Error::decode(context(), "it is empty")),
        (Err(e), None) => Err(Error::decode(context(), e)),
    }
}

/// Whether this process may give files any owner (`docker cp` keeps owners only then).
#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // On Linux, a process's /proc entry belongs to its effective user.
    if let Ok(meta) = fs::metadata("/proc/self") {
        return meta.uid() == 0;
    }
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_paths_split_and_links_resolve() {
        assert_eq!(split("/etc/hosts"), ("/etc".to_string(), "hosts"));
        assert_eq!(split("/etc/"), ("/".to_string(), "etc"));
        assert_eq!(split("/x"), ("/".to_string(), "x"));
        assert_eq!(split("tmp/x"), ("tmp".to_string(), "x"));
        assert_eq!(split("x"), ("/".to_string(), "x"));
        assert_eq!(split("/"), ("/".to_string(), ""));
        assert_eq!(link_target("/d/link", "/d/sub"), "/d/sub");
        assert_eq!(link_target("/d/link", "sub"), "/d/sub");
        assert_eq!(link_target("/link", "../etc"), "/../etc");
    }

    #[test]
    fn names_of_what_is_copied() {
        assert!(ends_in_dot(Path::new("dir/.")) && ends_in_dot(Path::new(".")));
        assert!(!ends_in_dot(Path::new("dir")) && !ends_in_dot(Path::new("dir/.x")));
        assert_eq!(source_name(Path::new("a/b")).unwrap(), "b");
        // `Path` drops a trailing `.`: the folder's own name.
        assert_eq!(source_name(Path::new("a/b/.")).unwrap(), "b");
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            source_name(Path::new(".")).unwrap(),
            here.file_name().unwrap()
        );
        assert!(source_name(Path::new("/")).is_err());
    }
}
