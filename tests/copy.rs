//! Files in and out of a container without tar: `copy_in`, `copy_in_bytes`, `copy_out`,
//! `read_file`, with modes, owners and links kept, and `docker cp`'s rules for names.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{chown, symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use common::Scope;
use dockhand::{Container, Error};

/// A folder of this machine for one test, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dockhand-copy-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    fn file(&self, rel: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What a path of the container holds, as `name -> (kind, mode, uid:gid, link or text)`,
/// read from its archive.
fn listing(container: &Container, path: &str) -> BTreeMap<String, String> {
    let archive = container.get_archive(path).expect("get the archive");
    let mut tar = tar::Archive::new(archive);
    let mut out = BTreeMap::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let h = entry.header().clone();
        let name = entry
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches('/')
            .to_string();
        let kind = h.entry_type();
        let what = if kind.is_symlink() {
            format!("link -> {}", entry.link_name().unwrap().unwrap().display())
        } else if kind.is_dir() {
            "dir".to_string()
        } else {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            format!("file {:?}", String::from_utf8_lossy(&bytes))
        };
        let mode = h.mode().unwrap() & 0o7777;
        let owner = format!("{}:{}", h.uid().unwrap(), h.gid().unwrap());
        let shown = if kind.is_symlink() {
            format!("{what} {owner}")
        } else {
            format!("{what} {mode:o} {owner}")
        };
        out.insert(name, shown);
    }
    out
}

/// What a folder of this machine holds, in the same form.
fn host_listing(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let owner = format!("{}:{}", meta.uid(), meta.gid());
            let mode = meta.mode() & 0o7777;
            let shown = if meta.file_type().is_symlink() {
                format!(
                    "link -> {} {owner}",
                    fs::read_link(&path).unwrap().display()
                )
            } else if meta.is_dir() {
                stack.push(path.clone());
                format!("dir {mode:o} {owner}")
            } else {
                format!(
                    "file {:?} {mode:o} {owner}",
                    fs::read_to_string(&path).unwrap()
                )
            };
            out.insert(name, shown);
        }
    }
    out
}

/// A folder with a nested file, an executable, a file of another owner, a relative link and
/// an empty folder.
fn make_tree(s: &Scratch) -> PathBuf {
    s.file("site/index.html", "<h1>hi</h1>\n", 0o644);
    s.file("site/bin/run.sh", "#!/bin/sh\necho run\n", 0o750);
    let owned = s.file("site/owned.txt", "mine\n", 0o600);
    chown(&owned, Some(1234), Some(5678)).unwrap();
    symlink("bin/run.sh", s.path("site/start")).unwrap();
    fs::create_dir(s.path("site/empty")).unwrap();
    fs::set_permissions(s.path("site/empty"), fs::Permissions::from_mode(0o700)).unwrap();
    fs::set_permissions(s.path("site/bin"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(s.path("site"), fs::Permissions::from_mode(0o755)).unwrap();
    s.path("site")
}

/// The tree of `make_tree` as the container's archive shows it under `top` (made by root,
/// so owned by root but for `owned.txt`, whose owner is `owned`).
fn tree_in_container(top: &str, owned: &str) -> BTreeMap<String, String> {
    let p = |rel: &str| {
        if rel.is_empty() {
            top.to_string()
        } else {
            format!("{top}/{rel}")
        }
    };
    let mut m = BTreeMap::new();
    m.insert(p(""), "dir 755 0:0".into());
    m.insert(p("bin"), "dir 755 0:0".into());
    m.insert(
        p("bin/run.sh"),
        "file \"#!/bin/sh\\necho run\\n\" 750 0:0".into(),
    );
    m.insert(p("empty"), "dir 700 0:0".into());
    m.insert(p("index.html"), "file \"<h1>hi</h1>\\n\" 644 0:0".into());
    m.insert(p("owned.txt"), format!("file \"mine\\n\" 600 {owned}"));
    m.insert(p("start"), "link -> bin/run.sh 0:0".into());
    m
}

/// Whether the engine keeps the owners a tar gives (Podman 4.3 gives every file the
/// container user's, whatever the tar says): records a skip of that check when not.
fn engine_keeps_owners() -> bool {
    !common::skip(
        common::is_podman(),
        "owners kept by copy_in: Podman 4.3's put_archive gives every file the container \
         user's owner, whatever the tar says (checked with curl)",
    )
}

#[test]
fn a_folder_goes_in_and_comes_out_with_modes_owners_and_links() {
    let scope = Scope::new("copy-tree");
    let s = Scratch::new("tree");
    let site = make_tree(&s);
    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .unwrap();
    let owned = if engine_keeps_owners() {
        "1234:5678"
    } else {
        "0:0"
    };

    // Into an existing folder: under its own name.
    container.copy_in(&site, "/var").unwrap();
    let expected = tree_in_container("site", owned);
    assert_eq!(listing(&container, "/var/site"), expected);

    // Under a new name: the folder it is in must exist.
    container.copy_in(&site, "/var/www").unwrap();
    let renamed: BTreeMap<String, String> = expected
        .iter()
        .map(|(k, v)| (k.replacen("site", "www", 1), v.clone()))
        .collect();
    assert_eq!(listing(&container, "/var/www"), renamed);
    if !common::skip(
        common::is_podman(),
        "a copy into a missing folder: Podman 4.3 makes the folders, Docker refuses",
    ) {
        let err = container.copy_in(&site, "/nowhere/www").unwrap_err();
        assert!(err.is_not_found(), "{err}");
    }

    // A folder's contents, with `/.`, into an existing folder.
    container.copy_in(site.join("."), "/tmp").unwrap();
    assert_eq!(
        container.read_to_string("/tmp/index.html").unwrap(),
        "<h1>hi</h1>\n"
    );
    assert!(container.stat_path("/tmp/site").unwrap_err().is_not_found());

    // A folder cannot replace a file, nor a file a folder.
    container.copy_in_bytes("/tmp/afile", "x", 0o644).unwrap();
    let err = container.copy_in(&site, "/tmp/afile").unwrap_err();
    assert!(err.to_string().contains("is a file"), "{err}");
    let err = container
        .copy_in(s.path("site/index.html"), "/var/www/bin/run.sh/")
        .unwrap_err();
    assert!(matches!(err, Error::Setting { .. }), "{err}");

    // Out again: into an existing folder, and under a new name.
    let out = Scratch::new("tree-out");
    container.copy_out("/var/site", &out.0).unwrap();
    container.copy_out("/var/www", out.path("again")).unwrap();
    let mut host_site = host_listing(&site);
    if owned == "0:0" {
        let shown = host_site.get_mut("owned.txt").unwrap();
        *shown = shown.replace("1234:5678", "0:0");
    }
    let back = host_listing(&out.path("site"));
    assert_eq!(
        back, host_site,
        "as it went in, owners too (we run as root)"
    );
    assert_eq!(host_listing(&out.path("again")), host_site);
    assert_eq!(
        fs::read_link(out.path("site/start")).unwrap(),
        Path::new("bin/run.sh")
    );
    assert!(
        fs::read_dir(&out.0).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".dockhand")),
        "no scratch folder left behind"
    );

    // A folder's contents out, with `/.`: into an existing folder, and as a new one.
    let contents = Scratch::new("contents-out");
    container.copy_out("/var/site/bin/.", &contents.0).unwrap();
    assert!(contents.path("run.sh").is_file());
    container
        .copy_out("/var/site/bin/.", contents.path("bin2"))
        .unwrap();
    assert!(contents.path("bin2/run.sh").is_file());

    // A missing path in the container, a missing folder here.
    let err = container.copy_out("/nope", out.path("x")).unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let err = container
        .copy_out("/var/site", out.path("no/such/folder"))
        .unwrap_err();
    assert!(matches!(err, Error::File { .. }), "{err}");
}

#[test]
fn files_go_in_under_their_name_or_a_new_one_and_replace_files() {
    let scope = Scope::new("copy-files");
    let s = Scratch::new("files");
    let conf = s.file("app.conf", "port = 80\n", 0o640);
    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .unwrap();

    container.copy_in(&conf, "/etc").unwrap();
    assert_eq!(
        container.read_file("/etc/app.conf").unwrap(),
        b"port = 80\n"
    );
    assert_eq!(
        container.stat_path("/etc/app.conf").unwrap().permissions(),
        0o640
    );
    container.copy_in(&conf, "/etc/renamed.conf").unwrap();
    assert_eq!(
        container.read_to_string("/etc/renamed.conf").unwrap(),
        "port = 80\n"
    );
    // Onto an existing file: replaced.
    s.file("app.conf", "port = 8080\n", 0o644);
    container.copy_in(&conf, "/etc/renamed.conf").unwrap();
    assert_eq!(
        container.read_to_string("/etc/renamed.conf").unwrap(),
        "port = 8080\n"
    );
    // A link on this machine goes in as a link.
    symlink("app.conf", s.path("current.conf")).unwrap();
    container.copy_in(s.path("current.conf"), "/etc").unwrap();
    let stat = container.stat_path("/etc/current.conf").unwrap();
    assert!(stat.is_symlink(), "{stat:?}");
    // A missing file here names it.
    let err = container.copy_in(s.path("missing"), "/etc").unwrap_err();
    assert!(
        matches!(&err, Error::File { path, .. } if path.ends_with("missing")),
        "{err}"
    );
    // Out: a file under its name, and onto an existing file.
    container.copy_out("/etc/app.conf", &s.0).unwrap();
    assert_eq!(
        fs::read_to_string(s.path("app.conf")).unwrap(),
        "port = 80\n"
    );
    let meta = fs::metadata(s.path("app.conf")).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o640);
    container
        .copy_out("/etc/renamed.conf", s.path("app.conf"))
        .unwrap();
    assert_eq!(
        fs::read_to_string(s.path("app.conf")).unwrap(),
        "port = 8080\n"
    );
}

#[test]
fn bytes_go_in_and_files_read_back_through_links() {
    let scope = Scope::new("copy-bytes");
    // Runs until removed, for the running half at the end (a container that exits as a
    // copy goes in may lose it on Podman, whose copy writes to the mount it tears down).
    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["sleep", "600"]))
        .unwrap();

    container
        .copy_in_bytes("/bin/hello", "#!/bin/sh\necho hello\n", 0o755)
        .unwrap();
    container
        .copy_in_bytes("/tmp/data.bin", [0u8, 1, 2, 255], 0o600)
        .unwrap();
    let stat = container.stat_path("/bin/hello").unwrap();
    assert_eq!((stat.permissions(), stat.size), (0o755, 21));
    assert_eq!(
        listing(&container, "/tmp/data.bin")["data.bin"],
        "file \"\\0\\u{1}\\u{2}\u{fffd}\" 600 0:0"
    );
    assert_eq!(
        container.read_file("/tmp/data.bin").unwrap(),
        [0, 1, 2, 255]
    );
    let err = container.read_to_string("/tmp/data.bin").unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");

    // Links are followed, relative or absolute, however many.
    let s = Scratch::new("links");
    symlink("hello", s.path("rel")).unwrap();
    symlink("/bin/rel", s.path("abs")).unwrap();
    container.copy_in(s.path("rel"), "/bin").unwrap();
    container.copy_in(s.path("abs"), "/tmp").unwrap();
    assert_eq!(
        container.read_to_string("/tmp/abs").unwrap(),
        "#!/bin/sh\necho hello\n"
    );

    // A folder, a missing file, a folder that is not there, a bad mode, a bad name.
    let err = container.read_file("/etc").unwrap_err();
    assert!(err.to_string().contains("a folder"), "{err}");
    assert!(container.read_file("/nope").unwrap_err().is_not_found());
    if !common::skip(
        common::is_podman(),
        "bytes into a missing folder: Podman 4.3 makes the folders, Docker refuses",
    ) {
        let err = container
            .copy_in_bytes("/nowhere/x", "x", 0o644)
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
    }
    let err = container.copy_in_bytes("/tmp/x", "x", 0o10000).unwrap_err();
    assert!(err.to_string().contains("0o7777"), "{err}");
    let err = container.copy_in_bytes("/tmp/", "x", 0o644).unwrap_err();
    assert!(matches!(err, Error::Setting { .. }), "{err}");

    // Bytes never replace a folder (the engine would delete it, and all in it).
    let err = container.copy_in_bytes("/bin", "x", 0o644).unwrap_err();
    assert!(err.status().is_some(), "{err}");
    assert!(container.stat_path("/bin/hello").is_ok());

    // A stopped (never started) container and a running one alike.
    container.start().unwrap();
    container
        .copy_in_bytes("/tmp/later", "later", 0o644)
        .unwrap();
    assert_eq!(container.read_to_string("/tmp/later").unwrap(), "later");
}

#[test]
fn read_file_refuses_a_file_over_its_limit_clearly() {
    let scope = Scope::new("copy-limit");
    let s = Scratch::new("limit");
    let big = s.path("big");
    let file = fs::File::create(&big).unwrap();
    // Sparse: nothing is written here, but it is sent whole.
    file.set_len(dockhand::container::READ_FILE_LIMIT + 1)
        .unwrap();
    drop(file);
    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .unwrap();
    container.copy_in(&big, "/tmp").unwrap();
    let err = container.read_file("/tmp/big").unwrap_err().to_string();
    assert!(
        err.contains("64 MiB") && err.contains("copy_out") && err.contains("/tmp/big"),
        "{err}"
    );
}
