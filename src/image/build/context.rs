//! A build context made from a folder: the files `.dockerignore` lets through, as a tar
//! written by a thread into a bounded in-memory pipe, so that the request body streams in
//! constant memory however big the context is. The same tar, of a file or folder with its
//! owners kept and no `.dockerignore`, is what `Container::copy_in` sends.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use super::dockerignore::{clean, read_patterns, MatchInfo, Patterns};
use crate::error::{Error, Result};

/// The bytes of one message through the pipe, and how many may wait in it: at most
/// (4 + 2) × 64 KiB are buffered between the tar thread and the upload.
const CHUNK: usize = 64 * 1024;
const IN_FLIGHT: usize = 4;

/// A folder to send as a build context, with its `.dockerignore` read and checked.
///
/// [`Images::build_dir`](crate::image::Images::build_dir) uses it; it is public so that a program
/// can see what a build would send ([`paths`](Self::paths)), or write the tar elsewhere
/// ([`write_to`](Self::write_to)).
///
/// The rules are the docker CLI's for the classic builder: `.dockerignore` patterns are
/// relative to the folder, `*`, `?`, `[...]` and `**` match as in Go, later lines win, `!`
/// re-includes, and the Dockerfile and `.dockerignore` are sent even when excluded (the
/// engine needs them). Entries are sent owned by root, as the CLI sends them; symbolic
/// links are sent as links, not followed; sockets, pipes and devices are left out.
pub struct BuildContext {
    dir: PathBuf,
    patterns: Patterns,
    /// For a copy: `dir` (a file or a folder) is itself the tar's one top entry, under
    /// this name. For a build (and a copy of a folder's contents): its entries are.
    top: Option<OsString>,
    /// For a copy: the files' owners as they are (a build context is owned by root).
    keep_owner: bool,
}

impl fmt::Debug for BuildContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuildContext")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// One entry of the walk.
struct Entry {
    path: PathBuf,
    /// Relative, `/`-separated, for matching (lossy for names that are not UTF-8).
    name: String,
    /// Relative, for the tar (exact bytes).
    tar_name: PathBuf,
    meta: Metadata,
}

/// Why a walk stopped.
enum Stop {
    /// A file could not be read: the error to report.
    Failed(Error),
    /// The consumer went away (the upload failed): nothing more to say.
    ReaderGone,
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Failed(e)
    }
}

impl BuildContext {
    /// The context in `dir`, whose Dockerfile is `dockerfile` (relative to `dir`). Reads
    /// `dir/.dockerignore`; a pattern that cannot be parsed is an error now, before anything
    /// is sent.
    pub fn new(dir: impl AsRef<Path>, dockerfile: &str) -> Result<BuildContext> {
        let dir = dir.as_ref().to_path_buf();
        let meta = fs::metadata(&dir).map_err(|source| Error::File {
            path: dir.clone(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(Error::File {
                path: dir,
                source: io::Error::new(
                    io::ErrorKind::NotADirectory,
                    "a build context must be a folder",
                ),
            });
        }
        let ignore = dir.join(".dockerignore");
        let mut lines = match fs::read(&ignore) {
            Ok(text) => read_patterns(&text),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(Error::File {
                    path: ignore,
                    source,
                })
            }
        };
        let compile = |lines: &[String]| {
            Patterns::new(lines).map_err(|bad| Error::decode(ignore.display().to_string(), bad))
        };
        // The engine needs both files, so the CLI adds exceptions for them when excluded.
        if compile(&lines)?.matches_legacy(".dockerignore") {
            lines.push("!.dockerignore".into());
        }
        let dockerfile = clean(&dockerfile.replace('\\', "/"));
        if compile(&lines)?.matches_legacy(&dockerfile) {
            lines.push(format!("!{dockerfile}"));
        }
        Ok(BuildContext {
            patterns: compile(&lines)?,
            dir,
            top: None,
            keep_owner: false,
        })
    }

    /// A file, link or folder to copy into a container: `path` itself under the name
    /// `top`, or with `top` `None` (a folder's contents) the entries of the folder.
    /// Owners, modes and times are kept; links are sent as links; no `.dockerignore`.
    pub(crate) fn for_copy(path: &Path, top: Option<OsString>) -> Result<BuildContext> {
        let meta = fs::symlink_metadata(path).map_err(|source| Error::File {
            path: path.to_path_buf(),
            source,
        })?;
        if top.is_none() && !meta.is_dir() {
            return Err(Error::File {
                path: path.to_path_buf(),
                source: io::Error::new(io::ErrorKind::NotADirectory, "not a folder"),
            });
        }
        Ok(BuildContext {
            dir: path.to_path_buf(),
            patterns: Patterns::new::<&str>(&[])
                .map_err(|bad| Error::decode("no patterns", bad))?,
            top,
            keep_owner: true,
        })
    }

    /// The entries of the tar, in order: the top entry when there is one, then the walk.
    fn entries(
        &self,
        visit: &mut dyn FnMut(&Entry) -> std::result::Result<(), Stop>,
    ) -> std::result::Result<(), Stop> {
        let Some(top) = &self.top else {
            return self.walk(&self.dir, "", Path::new(""), None, visit);
        };
        let meta = fs::symlink_metadata(&self.dir).map_err(|source| {
            Stop::Failed(Error::File {
                path: self.dir.clone(),
                source,
            })
        })?;
        let is_dir = meta.is_dir();
        let name = top.to_string_lossy().into_owned();
        visit(&Entry {
            path: self.dir.clone(),
            name: name.clone(),
            tar_name: PathBuf::from(top),
            meta,
        })?;
        if is_dir {
            self.walk(&self.dir, &name, Path::new(top), None, visit)?;
        }
        Ok(())
    }

    /// What the tar is, for messages.
    fn what(&self) -> &'static str {
        if self.keep_owner {
            "the files to copy"
        } else {
            "the build context"
        }
    }

    /// The entries the tar will hold, in order: relative `/`-separated paths, folders
    /// included.
    pub fn paths(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let walked = self.entries(&mut |entry| {
            out.push(entry.name.clone());
            Ok(())
        });
        match walked {
            Ok(()) => Ok(out),
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::ReaderGone) => Ok(out),
        }
    }

    /// Writes the tar to `out`, and returns it.
    pub fn write_to<W: Write>(&self, out: W) -> Result<W> {
        let mut tar = tar::Builder::new(out);
        let keep_owner = self.keep_owner;
        let walked = self.entries(&mut |entry| append(&mut tar, entry, keep_owner));
        let write_failed = |source| Error::File {
            path: self.dir.clone(),
            source,
        };
        match walked {
            Ok(()) => tar.into_inner().map_err(write_failed),
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::ReaderGone) => Err(write_failed(io::ErrorKind::BrokenPipe.into())),
        }
    }

    /// Starts a thread writing the tar into a pipe: returns the pipe's reading end, for the
    /// request body, and the thread, to learn how it ended.
    pub(crate) fn spawn(self) -> Result<(PipeReader, ContextWriter)> {
        let (tx, rx) = mpsc::sync_channel(IN_FLIGHT);
        let dir = self.dir.clone();
        let self_what = self.what();
        let thread = thread::Builder::new()
            .name("dockhand-tar".into())
            .spawn(move || {
                let mut pipe = PipeWriter {
                    tx: tx.clone(),
                    buf: Vec::with_capacity(CHUNK),
                };
                let keep_owner = self.keep_owner;
                let result = {
                    let mut tar = tar::Builder::new(&mut pipe);
                    self.entries(&mut |entry| append(&mut tar, entry, keep_owner))
                        .and_then(|()| tar.finish().map_err(|e| self.pipe_error(e)))
                }
                .and_then(|()| pipe.flush().map_err(|e| self.pipe_error(e)));
                if let Err(Stop::Failed(e)) = &result {
                    // Make the upload fail rather than send a tar cut short as if whole.
                    let _ = tx.send(Err(io::Error::other(format!(
                        "{} could not be made into a tar: {e}",
                        self.what()
                    ))));
                }
                result
            })
            .map_err(|source| Error::File {
                path: dir.clone(),
                source,
            })?;
        Ok((
            PipeReader {
                rx,
                chunk: Vec::new(),
                pos: 0,
            },
            ContextWriter {
                thread,
                dir,
                what: self_what,
            },
        ))
    }

    /// A write error: the reader went away, or (for `write_to`) the writer failed.
    fn pipe_error(&self, e: io::Error) -> Stop {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Stop::ReaderGone
        } else {
            Stop::Failed(Error::File {
                path: self.dir.clone(),
                source: e,
            })
        }
    }

    /// Walks `dir` (whose relative name is `prefix`, and in the tar `tar_prefix`) in name
    /// order, as Go's `WalkDir`, and calls `visit` for each entry that is sent, with moby's
    /// `TarWithOptions` rules.
    fn walk(
        &self,
        dir: &Path,
        prefix: &str,
        tar_prefix: &Path,
        parent: Option<&MatchInfo>,
        visit: &mut dyn FnMut(&Entry) -> std::result::Result<(), Stop>,
    ) -> std::result::Result<(), Stop> {
        let file_error = |path: &Path, source| {
            Stop::Failed(Error::File {
                path: path.to_path_buf(),
                source,
            })
        };
        let mut children: Vec<fs::DirEntry> = fs::read_dir(dir)
            .and_then(|entries| entries.collect())
            .map_err(|e| file_error(dir, e))?;
        children.sort_by_key(|e| e.file_name());
        for child in children {
            let path = child.path();
            let file_name = child.file_name();
            let lossy = file_name.to_string_lossy();
            let name = if prefix.is_empty() {
                lossy.into_owned()
            } else {
                format!("{prefix}/{lossy}")
            };
            // Not followed: a link to a folder is sent as a link.
            let meta = fs::symlink_metadata(&path).map_err(|e| file_error(&path, e))?;
            let (excluded, info) = self.patterns.matches(&name, parent);
            let is_dir = meta.is_dir();
            if excluded {
                // An excluded folder is still walked when an exception may re-include
                // something inside it; the folder itself is not sent.
                if is_dir && self.patterns.has_exclusions() && self.patterns.may_reinclude_in(&name)
                {
                    self.walk(
                        &path,
                        &name,
                        &tar_prefix.join(&file_name),
                        Some(&info),
                        visit,
                    )?;
                }
                continue;
            }
            // The exact bytes of every name, where `name` is lossy.
            let tar_name = tar_prefix.join(&file_name);
            visit(&Entry {
                path: path.clone(),
                name: name.clone(),
                tar_name: tar_name.clone(),
                meta,
            })?;
            if is_dir {
                self.walk(&path, &name, &tar_name, Some(&info), visit)?;
            }
        }
        Ok(())
    }
}

/// Appends one entry to the tar: owned by root as the docker CLI sends a build context, or
/// with `keep_owner` by its owner, as `docker cp` sends a file.
fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    entry: &Entry,
    keep_owner: bool,
) -> std::result::Result<(), Stop> {
    let file_error = |source: io::Error| {
        if source.kind() == io::ErrorKind::BrokenPipe {
            Stop::ReaderGone
        } else {
            Stop::Failed(Error::File {
                path: entry.path.clone(),
                source,
            })
        }
    };
    let mut header = tar::Header::new_gnu();
    header.set_metadata_in_mode(&entry.meta, tar::HeaderMode::Complete);
    if !keep_owner {
        header.set_uid(0);
        header.set_gid(0);
    }
    let kind = entry.meta.file_type();
    if kind.is_dir() {
        header.set_entry_type(tar::EntryType::Directory);
        header.set_size(0);
        tar.append_data(&mut header, &entry.tar_name, io::empty())
            .map_err(file_error)
    } else if kind.is_symlink() {
        let target = fs::read_link(&entry.path).map_err(file_error)?;
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        tar.append_link(&mut header, &entry.tar_name, target)
            .map_err(file_error)
    } else if kind.is_file() {
        let size = entry.meta.len();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(size);
        let file = File::open(&entry.path).map_err(file_error)?;
        let mut counted = Counted {
            inner: file.take(size),
            count: 0,
        };
        tar.append_data(&mut header, &entry.tar_name, &mut counted)
            .map_err(file_error)?;
        if counted.count != size {
            return Err(file_error(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file shrank while it was sent",
            )));
        }
        Ok(())
    } else {
        log::debug!(
            target: "dockhand",
            "tar: leaving out {} (not a file, folder or link)",
            entry.path.display()
        );
        Ok(())
    }
}

/// Counts what is read through it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// The tar thread's end of the pipe: bytes go in chunks through a bounded channel, so the
/// thread waits while the upload is behind.
struct PipeWriter {
    tx: SyncSender<io::Result<Vec<u8>>>,
    buf: Vec<u8>,
}

impl PipeWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the upload stopped"))
    }
}

impl Write for PipeWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = (CHUNK - self.buf.len()).min(data.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The upload's end of the pipe: the request body.
pub(crate) struct PipeReader {
    rx: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for PipeReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.chunk.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                // The thread finished (and dropped its end): the tar is complete.
                Err(_) => return Ok(0),
            }
        }
        let n = (self.chunk.len() - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The tar thread, to learn how it ended.
pub(crate) struct ContextWriter {
    thread: JoinHandle<std::result::Result<(), Stop>>,
    dir: PathBuf,
    what: &'static str,
}

impl ContextWriter {
    /// Waits for the thread: the error of a file it could not send, if any. A thread
    /// stopped because the upload stopped has nothing to add.
    pub(crate) fn finish(self) -> Result<()> {
        match self.thread.join() {
            Ok(Ok(())) | Ok(Err(Stop::ReaderGone)) => Ok(()),
            Ok(Err(Stop::Failed(e))) => Err(e),
            Err(_) => Err(Error::File {
                path: self.dir,
                source: io::Error::other(format!(
                    "the thread making a tar of {} panicked",
                    self.what
                )),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("dockhand-context-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self, path: &str, text: &str) -> &Self {
            let path = self.0.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
            self
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn dockerignore_decides_what_is_sent() {
        let s = Scratch::new("ignore");
        s.file("Dockerfile", "FROM scratch\n")
            .file(
                ".dockerignore",
                "# build output and secrets\nsecret.txt\ndocs\n!docs/keep.md\n*.log\n\
                 Dockerfile\n.dockerignore\n**/*.tmp\n",
            )
            .file("secret.txt", "x")
            .file("app/main.go", "x")
            .file("app/cache.tmp", "x")
            .file("app/debug.log", "x")
            .file("debug.log", "x")
            .file("docs/keep.md", "x")
            .file("docs/drop.md", "x")
            .file("notes.tmp", "x");
        let paths = BuildContext::new(&s.0, "Dockerfile")
            .unwrap()
            .paths()
            .unwrap();
        assert_eq!(
            paths,
            [
                ".dockerignore",
                "Dockerfile",
                "app",
                "app/debug.log", // `*.log` is for the top only
                "app/main.go",
                "docs/keep.md", // re-included; `docs` itself is not sent
            ]
        );
    }

    #[test]
    fn without_exceptions_an_excluded_folder_is_not_walked() {
        let s = Scratch::new("skipdir");
        s.file("Dockerfile", "FROM scratch\n")
            .file(".dockerignore", "target\n")
            .file("target/a/b", "x")
            .file("src/lib.rs", "x");
        let paths = BuildContext::new(&s.0, "Dockerfile")
            .unwrap()
            .paths()
            .unwrap();
        assert_eq!(paths, [".dockerignore", "Dockerfile", "src", "src/lib.rs"]);
    }

    #[test]
    fn a_dockerfile_elsewhere_is_kept_and_bad_patterns_are_refused() {
        let s = Scratch::new("elsewhere");
        s.file("build/Dockerfile", "FROM scratch\n")
            .file(".dockerignore", "build\n");
        let paths = BuildContext::new(&s.0, "./build/Dockerfile")
            .unwrap()
            .paths()
            .unwrap();
        assert_eq!(paths, [".dockerignore", "build/Dockerfile"]);

        s.file(".dockerignore", "[oops\n");
        let err = BuildContext::new(&s.0, "Dockerfile")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(".dockerignore") && err.contains("[oops"),
            "{err}"
        );
    }

    #[test]
    fn the_tar_streams_through_the_pipe_and_reads_back() {
        let s = Scratch::new("tar");
        let big = "y".repeat(300 * 1024); // several pipe chunks
        s.file("Dockerfile", "FROM scratch\n")
            .file("data/big", &big);
        #[cfg(unix)]
        std::os::unix::fs::symlink("data/big", s.0.join("link")).unwrap();
        let (mut reader, writer) = BuildContext::new(&s.0, "Dockerfile")
            .unwrap()
            .spawn()
            .unwrap();
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).unwrap();
        writer.finish().unwrap();
        let mut archive = tar::Archive::new(bytes.as_slice());
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let name = entry.path().unwrap().to_string_lossy().into_owned();
            assert_eq!(entry.header().uid().unwrap(), 0);
            if name == "data/big" {
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                assert_eq!(text, big);
            }
            if name == "link" {
                assert_eq!(entry.header().entry_type(), tar::EntryType::Symlink);
                assert_eq!(
                    entry.link_name().unwrap().unwrap().to_string_lossy(),
                    "data/big"
                );
            }
            seen.push(name);
        }
        let expected: &[&str] = if cfg!(unix) {
            &["Dockerfile", "data", "data/big", "link"]
        } else {
            &["Dockerfile", "data", "data/big"]
        };
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_reader_that_goes_away_stops_the_thread_quietly() {
        let s = Scratch::new("gone");
        s.file("Dockerfile", "FROM scratch\n")
            .file("big", &"z".repeat(2 * 1024 * 1024));
        let (reader, writer) = BuildContext::new(&s.0, "Dockerfile")
            .unwrap()
            .spawn()
            .unwrap();
        drop(reader);
        writer.finish().unwrap();
    }

    #[test]
    fn a_missing_folder_is_a_file_error() {
        let err = BuildContext::new("/nonexistent/dockhand", "Dockerfile").unwrap_err();
        assert!(matches!(err, Error::File { .. }), "{err}");
    }
}
