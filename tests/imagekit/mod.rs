//! What the image, build and registry tests share: labelled images removed at the end (by
//! label, and by every name a test gave them), small tars, the local registries.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use dockhand::image::{ListImagesOptions, RemoveImageOptions};
use dockhand::{
    BuildItem, BuildOptions, Docker, ListContainersOptions, LogsOptions, RemoveOptions,
};

use crate::common::{self, Scope, LABEL};

/// A test's images and containers: everything carries the test's label and is removed when
/// this is dropped, even when the test fails; so are the names the test [`track`]ed
/// (a pulled image carries the label too, but a tag of a foreign image would not).
pub struct ImageScope {
    pub scope: Scope,
    names: Mutex<Vec<String>>,
    /// The build [`note`](Self::note) reads is in a `FROM` step.
    after_from: AtomicBool,
    /// The test image's id, once asked.
    base: OnceLock<String>,
}

impl ImageScope {
    pub fn new(test: &str) -> ImageScope {
        ImageScope {
            scope: Scope::new(test),
            names: Mutex::new(Vec::new()),
            after_from: AtomicBool::new(false),
            base: OnceLock::new(),
        }
    }

    pub fn docker(&self) -> &Docker {
        &self.scope.docker
    }

    /// The label value unique to this test.
    pub fn value(&self) -> &str {
        &self.scope.value
    }

    /// `dockhand-test=<value>`, for `label` filters.
    pub fn filter(&self) -> String {
        self.scope.filter()
    }

    /// A name unique to this test: `<prefix>dockhand-test/<what>-<value>`.
    pub fn name(&self, prefix: &str, what: &str) -> String {
        let name = format!("{prefix}dockhand-test/{what}-{}", self.value()).to_lowercase();
        self.track(&name);
        name
    }

    /// Remember a name to remove at the end.
    pub fn track(&self, name: &str) {
        if let Ok(mut names) = self.names.lock() {
            names.push(name.to_string());
        }
    }

    /// Keeps the ids of a build's intermediate images (the ` ---> 1a2b3c4d5e6f` line after
    /// each step but a `FROM`, whose id is the base image's) for removal at the end: they
    /// carry only the base image's labels, and with the containerd image store (Docker 29)
    /// neither a prune of the image nor a load over it takes them.
    pub fn note(&self, item: &BuildItem) {
        for line in item.stream.as_deref().unwrap_or_default().lines() {
            let line = line.trim();
            let step = line
                .strip_prefix("Step ")
                .or_else(|| line.strip_prefix("STEP "));
            if let Some(step) = step {
                let from = step
                    .split_once(':')
                    .is_some_and(|(_, i)| i.trim_start().to_ascii_uppercase().starts_with("FROM "));
                self.after_from.store(from, Ordering::Relaxed);
                continue;
            }
            let id = line
                .strip_prefix("---> ")
                .or_else(|| line.strip_prefix("--> "))
                .map(str::trim)
                .filter(|id| id.len() >= 12 && id.bytes().all(|b| b.is_ascii_hexdigit()));
            if let Some(id) = id {
                // The test image itself, never: other tests and runs need it.
                if !self.after_from.swap(false, Ordering::Relaxed) && !self.is_base(id) {
                    self.track(id);
                }
            }
        }
    }

    /// Whether the short id `id` is the test image's.
    fn is_base(&self, id: &str) -> bool {
        let base = self.base.get_or_init(|| {
            self.docker()
                .image(common::image())
                .inspect()
                .map(|i| i.id)
                .unwrap_or_default()
        });
        base.trim_start_matches("sha256:").starts_with(id)
    }

    /// Build options that label the image for clean-up. Without the layer cache: tests
    /// build and remove images at the same time on one engine, and a build that picks
    /// another test's layer as its cache fails when that test removes it meanwhile
    /// ("failed to get digest", "unable to find image").
    pub fn build_options(&self) -> BuildOptions {
        BuildOptions::new()
            .label(LABEL, self.value())
            .force_rm(true)
            .no_cache(true)
    }

    /// Builds `dockerfile` (with `files` beside it) as `tags`; returns the image id.
    pub fn build(&self, dockerfile: &str, files: &[(&str, &[u8])], tags: &[&str]) -> String {
        let mut all: Vec<(&str, &[u8])> = vec![("Dockerfile", dockerfile.as_bytes())];
        all.extend_from_slice(files);
        let mut options = self.build_options();
        for tag in tags {
            self.track(tag);
            options = options.tag(*tag);
        }
        self.docker()
            .images()
            .build(std::io::Cursor::new(tar(&all)), &options)
            .expect("start a build")
            .image_id(|item| self.note(item))
            .expect("build an image")
    }

    /// Runs `cmd` in a labelled container of `image`; returns its exit code and stdout.
    pub fn run(&self, image: &str, cmd: &[&str]) -> (i64, String) {
        let docker = self.docker();
        let config = dockhand::ContainerConfig::new(image)
            .label(LABEL, self.value())
            .cmd(cmd.iter().copied());
        let id = docker
            .containers()
            .create(&config)
            .expect("create a container")
            .id;
        let container = docker.container(&id);
        container.start().expect("start the container");
        let code = container
            .wait()
            .expect("wait for the container")
            .status_code;
        let out = container
            .logs(&LogsOptions::new())
            .expect("read its logs")
            .collect_output()
            .expect("collect its output");
        let _ = container.remove(&RemoveOptions::new().force(true));
        (code, out.stdout_text())
    }

    /// Whether an image by this name exists.
    pub fn exists(&self, name: &str) -> bool {
        match self.docker().image(name).inspect() {
            Ok(_) => true,
            Err(e) if e.is_not_found() => false,
            Err(e) => panic!("inspect {name}: {e}"),
        }
    }
}

impl Drop for ImageScope {
    fn drop(&mut self) {
        let docker = self.scope.docker.clone();
        let filter = self.filter();
        // Containers first: an image a container uses cannot go.
        let containers = ListContainersOptions::new()
            .all(true)
            .filter("label", &filter);
        for c in docker.containers().list(&containers).unwrap_or_default() {
            let _ = docker
                .container(&c.id)
                .remove(&RemoveOptions::new().force(true).volumes(true));
        }
        let names = self.names.lock().map(|n| n.clone()).unwrap_or_default();
        for name in names {
            let _ = docker
                .image(&name)
                .remove(&RemoveImageOptions::new().force(true));
        }
        let images = ListImagesOptions::new().all(true).filter("label", &filter);
        for image in docker.images().list(&images).unwrap_or_default() {
            let _ = docker
                .image(&image.id)
                .remove(&RemoveImageOptions::new().force(true));
        }
    }
}

/// `name` as the engine lists and reports it: Podman puts `docker.io/` before a name
/// without a registry; Docker keeps it short.
pub fn listed(name: &str) -> String {
    let registry = name
        .split_once('/')
        .is_some_and(|(first, _)| first.contains(['.', ':']) || first == "localhost");
    match (common::is_podman() && !registry, name.contains('/')) {
        (false, _) => name.to_string(),
        (true, true) => format!("docker.io/{name}"),
        (true, false) => format!("docker.io/library/{name}"),
    }
}

/// A tar of `files` (name, contents), made in memory.
pub fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_700_000_000);
        builder
            .append_data(&mut header, name, *data)
            .expect("add to the tar");
    }
    builder.into_inner().expect("finish the tar")
}

/// The local test registries, written by `scripts/engine-up`.
pub struct Registries {
    pub open: String,
    pub auth: String,
    pub user: String,
    pub password: String,
}

/// The registries, or: in CI a failure, elsewhere `None` and a note.
pub fn registries() -> Option<Registries> {
    let env = common::engine_env();
    let get = |k: &str| env.get(k).filter(|v| !v.is_empty()).cloned();
    match (
        get("DOCKHAND_REGISTRY_OPEN"),
        get("DOCKHAND_REGISTRY_AUTH"),
        get("DOCKHAND_REGISTRY_USER"),
        get("DOCKHAND_REGISTRY_PASSWORD"),
    ) {
        (Some(open), Some(auth), Some(user), Some(password)) => Some(Registries {
            open,
            auth,
            user,
            password,
        }),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI needs the test registries: scripts/engine-up did not start them")
        }
        _ => {
            eprintln!("skipped: no test registries (start them with scripts/engine-up)");
            None
        }
    }
}

/// A scratch folder, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dockhand-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("make a scratch folder");
        Scratch(dir)
    }

    /// Writes `path` (making its folders) and returns self.
    pub fn file(&self, path: &str, text: &str) -> &Self {
        let path = self.0.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("make folders");
        }
        std::fs::write(path, text).expect("write a file");
        self
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
