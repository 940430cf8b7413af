//! Images: list, inspect, history, tag, remove, prune, search, commit, import, save, load,
//! pull and push. Builds are in `build.rs`.

mod build;
mod distribution;

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::time::Duration;

use serde::Deserialize;

use crate::client::{encode_segment, Docker, Request};
use crate::container::ContainerConfig;
use crate::error::{Error, Result};
use crate::json::{null_as_default, Filters};
use crate::settings::{registry_auth_header, Auth, Credentials};
use crate::stream::{is_bare_id, JsonStream};

pub use build::{BuildAux, BuildContext, BuildItem, BuildOptions};
pub use distribution::{DistributionInspect, DistributionOptions, OciDescriptor, OciPlatform};

/// The images of an engine: `docker.images()`.
#[derive(Clone, Debug)]
pub struct Images {
    pub(crate) docker: Docker,
}

/// One image, by name (`busybox`, `busybox:1.36`, `127.0.0.1:5000/team/app:1`), id or id
/// prefix: `docker.image("busybox")`.
#[derive(Clone, Debug)]
pub struct Image {
    docker: Docker,
    name: String,
}

impl Docker {
    /// The engine's images: list, pull, build, load, prune, search, ...
    pub fn images(&self) -> Images {
        Images {
            docker: self.clone(),
        }
    }

    /// One image, by name, id or id prefix. Nothing is sent until a call is made.
    pub fn image(&self, name: impl Into<String>) -> Image {
        Image {
            docker: self.clone(),
            name: name.into(),
        }
    }
}

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

/// An image in a list: `GET /images/json`.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct ImageSummary {
    /// Its id, `sha256:...`.
    pub id: String,
    /// The id of the image it was built on, if it is local.
    pub parent_id: String,
    /// Its names, such as `busybox:latest` (empty for an untagged image).
    pub repo_tags: Vec<String>,
    /// Its digests in registries, such as `busybox@sha256:...`.
    pub repo_digests: Vec<String>,
    /// When it was created (seconds since the epoch).
    pub created: i64,
    /// Its size in bytes, with its parents' layers.
    pub size: i64,
    /// Bytes it shares with other images (-1 when not computed).
    pub shared_size: i64,
    /// The same as [`size`](Self::size). Engines before API 1.44 sent it; newer ones do not,
    /// and it is then taken from `size` (as it is when an engine sends 0), so it reads the
    /// same on every engine.
    pub virtual_size: i64,
    /// Its labels.
    pub labels: HashMap<String, String>,
    /// How many containers use it (-1 when not computed).
    pub containers: i64,
}

/// [`ImageSummary`] as the engine sends it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct ImageSummaryWire {
    id: String,
    parent_id: String,
    #[serde(deserialize_with = "null_as_default")]
    repo_tags: Vec<String>,
    #[serde(deserialize_with = "null_as_default")]
    repo_digests: Vec<String>,
    created: i64,
    size: i64,
    shared_size: i64,
    virtual_size: i64,
    #[serde(deserialize_with = "null_as_default")]
    labels: HashMap<String, String>,
    containers: i64,
}

impl<'de> Deserialize<'de> for ImageSummary {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let w = ImageSummaryWire::deserialize(d)?;
        Ok(ImageSummary {
            virtual_size: if w.virtual_size == 0 {
                w.size
            } else {
                w.virtual_size
            },
            id: w.id,
            parent_id: w.parent_id,
            repo_tags: w.repo_tags,
            repo_digests: w.repo_digests,
            created: w.created,
            size: w.size,
            shared_size: w.shared_size,
            labels: w.labels,
            containers: w.containers,
        })
    }
}

/// Filters and flags for [`Images::list`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ListImagesOptions {
    all: bool,
    digests: bool,
    filters: Filters,
}

impl ListImagesOptions {
    /// Top-level images only, no filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Include intermediate images too.
    pub fn all(mut self, all: bool) -> Self {
        self.all = all;
        self
    }

    /// Fill in `RepoDigests`.
    pub fn digests(mut self, digests: bool) -> Self {
        self.digests = digests;
        self
    }

    /// Adds a filter, as `docker images --filter key=value`: `label` (`key` or
    /// `key=value`), `reference` (`busybox`, `team/*:1.*`), `dangling` (`true`), `before`,
    /// `since`. Several values for one key match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// An image in detail: `GET /images/{name}/json`. The commonest fields are typed; the rest
/// are in [`extra`](Self::extra).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageInspect {
    /// Its id, `sha256:...`.
    pub id: String,
    /// Its names.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_tags: Vec<String>,
    /// Its digests in registries.
    #[serde(deserialize_with = "null_as_default")]
    pub repo_digests: Vec<String>,
    /// The id of the image it was built on, if it is local.
    pub parent: String,
    /// The comment it was committed with.
    pub comment: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// The author.
    pub author: String,
    /// The engine version that made it.
    pub docker_version: String,
    /// What a container of it runs by default: command, environment, labels, ...
    #[serde(deserialize_with = "null_as_default")]
    pub config: ContainerConfig,
    /// The CPU architecture, such as `amd64`.
    pub architecture: String,
    /// The operating system, such as `linux`.
    pub os: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its layers.
    #[serde(rename = "RootFS")]
    pub root_fs: RootFs,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// The layers of an image.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct RootFs {
    /// `layers`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The layers' digests, bottom first.
    #[serde(deserialize_with = "null_as_default")]
    pub layers: Vec<String>,
}

/// One step of an image's history: `GET /images/{name}/history`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct HistoryItem {
    /// The image made by this step, or `<missing>` for one that is not local.
    pub id: String,
    /// When (seconds since the epoch).
    pub created: i64,
    /// The instruction, such as `/bin/sh -c #(nop)  CMD ["sh"]`.
    pub created_by: String,
    /// The names of the image made by this step.
    #[serde(deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Bytes this step added.
    pub size: i64,
    /// The step's comment.
    pub comment: String,
}

/// Flags for [`Image::remove`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct RemoveImageOptions {
    force: bool,
    no_prune: bool,
}

impl RemoveImageOptions {
    /// Remove the name (and the image, when it was its last name).
    pub fn new() -> Self {
        Self::default()
    }

    /// Remove it even when containers use it, or when it has other names.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Keep its untagged parents.
    pub fn no_prune(mut self, no_prune: bool) -> Self {
        self.no_prune = no_prune;
        self
    }
}

/// One thing an image removal or prune did: a name removed, or an image deleted.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct ImageDeleted {
    /// A name that was removed, such as `busybox:latest`.
    pub untagged: Option<String>,
    /// An image that was deleted, `sha256:...`.
    pub deleted: Option<String>,
}

/// What to prune, for [`Images::prune`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PruneImagesOptions {
    filters: Filters,
}

impl PruneImagesOptions {
    /// Dangling images (untagged, unused), as `docker image prune`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a filter: `dangling` (`false` prunes every unused image, not only untagged
    /// ones), `until` (a time or duration), `label` (`key`, `key=value`), `label!`.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// What [`Images::prune`] removed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct PruneImagesResult {
    /// Names removed and images deleted.
    #[serde(deserialize_with = "null_as_default")]
    pub images_deleted: Vec<ImageDeleted>,
    /// Bytes freed.
    pub space_reclaimed: u64,
}

/// What to search Docker Hub (or the engine's configured index) for.
#[derive(Clone, Debug)]
#[must_use]
pub struct SearchOptions {
    term: String,
    limit: Option<u32>,
    filters: Filters,
}

impl SearchOptions {
    /// Images matching `term`.
    pub fn new(term: impl Into<String>) -> Self {
        SearchOptions {
            term: term.into(),
            limit: None,
            filters: Filters::default(),
        }
    }

    /// At most `n` results (the index's default is 25).
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    /// Adds a filter: `is-official` (`true`), `stars` (a minimum).
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }
}

/// An image found by [`Images::search`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SearchResult {
    /// Its name, such as `busybox` or `bitnami/redis`.
    pub name: String,
    /// Its description.
    pub description: String,
    /// How many stars it has.
    pub star_count: u64,
    /// Whether it is a Docker official image.
    pub is_official: bool,
    /// Whether it is built automatically (a feature Docker Hub retired).
    pub is_automated: bool,
}

/// A container to turn into an image, for [`Images::commit`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CommitOptions {
    container: String,
    repo: Option<String>,
    tag: Option<String>,
    comment: Option<String>,
    author: Option<String>,
    pause: Option<bool>,
    changes: Vec<String>,
    config: Option<ContainerConfig>,
}

impl CommitOptions {
    /// Commits `container` (id or name), paused meanwhile, as an untagged image.
    pub fn new(container: impl Into<String>) -> Self {
        CommitOptions {
            container: container.into(),
            ..Default::default()
        }
    }

    /// Names the image `repo` (with the tag `latest` unless [`tag`](Self::tag) is set).
    pub fn repo(mut self, repo: impl Into<String>) -> Self {
        self.repo = Some(repo.into());
        self
    }

    /// The tag of the new name.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// A comment, shown in the image's history.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// The author, such as `Jane Doe <jane@example.com>`.
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }

    /// Pause the container while it is committed (the engine's default is yes).
    pub fn pause(mut self, pause: bool) -> Self {
        self.pause = Some(pause);
        self
    }

    /// Applies a Dockerfile instruction to the image (`CMD ["sh"]`, `ENV A=b`,
    /// `LABEL k=v`, ...); may be given more than once.
    pub fn change(mut self, instruction: impl Into<String>) -> Self {
        self.changes.push(instruction.into());
        self
    }

    /// The configuration of the new image, instead of the container's own.
    pub fn config(mut self, config: ContainerConfig) -> Self {
        self.config = Some(config);
        self
    }
}

/// The id of a new image.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Committed {
    /// The image's id, `sha256:...`.
    pub id: String,
}

/// A tar of a root filesystem to make an image of, for [`Images::import`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ImportOptions {
    repo: Option<String>,
    tag: Option<String>,
    message: Option<String>,
    changes: Vec<String>,
    platform: Option<String>,
}

impl ImportOptions {
    /// An untagged image.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names the image `repo` (with the tag `latest` unless [`tag`](Self::tag) is set).
    pub fn repo(mut self, repo: impl Into<String>) -> Self {
        self.repo = Some(repo.into());
        self
    }

    /// The tag of the name.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// The commit message of the image's one layer.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Applies a Dockerfile instruction (`CMD ["/bin/sh"]`, `ENV PATH=/bin`, `LABEL k=v`);
    /// may be given more than once.
    pub fn change(mut self, instruction: impl Into<String>) -> Self {
        self.changes.push(instruction.into());
        self
    }

    /// The platform of the image, such as `linux/amd64`.
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }
}

/// How to load a tar made by `docker save` or [`Image::save`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct LoadOptions {
    quiet: bool,
}

impl LoadOptions {
    /// Load, reporting progress per layer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Report only what was loaded, not the progress.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }
}

/// One line of progress of a pull, push, import or load, as the engine reports it.
///
/// A pull says `Pulling from library/busybox`, then for each layer (`id`) `Pulling fs
/// layer`, `Downloading` with [`progress_detail`](Self::progress_detail), `Download
/// complete`, `Extracting`, `Pull complete`, and at the end `Digest: ...` and `Status:
/// Downloaded newer image for ...`. A load says `Loading layer` per layer and then, in
/// [`stream`](Self::stream), `Loaded image: name`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Progress {
    /// What is happening, such as `Downloading` or `Pull complete`.
    pub status: Option<String>,
    /// What it happens to: a layer's short id, or a tag.
    pub id: Option<String>,
    /// A text progress bar, such as `[=====>    ]  1.2MB/3.4MB`.
    pub progress: Option<String>,
    /// The numbers behind the bar.
    #[serde(rename = "progressDetail")]
    pub progress_detail: Option<ProgressDetail>,
    /// A message (load: `Loaded image: busybox:latest`).
    pub stream: Option<String>,
    /// Extra data (push: the pushed tag's `Tag`, `Digest` and `Size`).
    pub aux: Option<serde_json::Value>,
}

/// How far a layer has got.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
#[non_exhaustive]
pub struct ProgressDetail {
    /// Bytes done.
    pub current: Option<u64>,
    /// Bytes in all, when known.
    pub total: Option<u64>,
}

impl Progress {
    /// The digest a push reports for the tag it pushed: the `Digest` of the `aux` line, else
    /// the one in the last status line, `TAG: digest: sha256:... size: N` (what engines send
    /// without an `aux` line: Docker with the containerd image store, Podman). `None` for
    /// other lines.
    pub fn pushed_digest(&self) -> Option<&str> {
        let aux = self.aux.as_ref().and_then(|a| a.get("Digest"));
        if let Some(digest) = aux.and_then(|d| d.as_str()) {
            return Some(digest);
        }
        let (_, rest) = self.status.as_deref()?.split_once(": digest: ")?;
        let (digest, size) = rest.split_once(" size: ")?;
        let well_formed = digest.contains(':')
            && !digest.contains(char::is_whitespace)
            && size.trim().parse::<u64>().is_ok();
        well_formed.then_some(digest)
    }

    /// The text to show for this line, as the docker CLI prints it without a terminal:
    /// `id: status progress`, or the message.
    pub fn message(&self) -> String {
        if let Some(stream) = &self.stream {
            return stream.trim_end().to_string();
        }
        let mut out = String::new();
        if let Some(id) = &self.id {
            out.push_str(id);
            out.push_str(": ");
        }
        if let Some(status) = &self.status {
            out.push_str(status);
        }
        if let Some(progress) = self.progress.as_deref().filter(|p| !p.is_empty()) {
            out.push(' ');
            out.push_str(progress);
        }
        out
    }
}

impl JsonStream<Progress> {
    /// Reads the stream to its end: `Ok` when the engine finished without reporting an
    /// error, the engine's error otherwise. The lines with a `stream` message (what a load
    /// loaded) are returned.
    pub fn finish(self) -> Result<Vec<String>> {
        let mut messages = Vec::new();
        for item in self {
            if let Some(stream) = item?.stream {
                messages.push(stream.trim_end().to_string());
            }
        }
        Ok(messages)
    }
}

/// What and how to pull, for [`Images::pull`].
#[derive(Clone, Debug)]
#[must_use]
pub struct PullOptions {
    image: String,
    tag: Option<String>,
    platform: Option<String>,
    credentials: Option<Credentials>,
    auth: Option<Auth>,
    idle_timeout: Option<Duration>,
}

impl PullOptions {
    /// Pull `image`: `busybox` (its `latest` tag), `busybox:1.36`, `busybox@sha256:...`,
    /// `registry.example.com/team/app:1`.
    pub fn new(image: impl Into<String>) -> Self {
        PullOptions {
            image: image.into(),
            tag: None,
            platform: None,
            credentials: None,
            auth: None,
            idle_timeout: None,
        }
    }

    /// The tag (or digest) to pull, instead of the one in the name.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// The platform to pull for a multi-platform image, such as `linux/arm64`.
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// Log in to the image's registry with these; they win over [`auth`](Self::auth).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here, as the docker CLI does
    /// (`Auth::from_env()?` for what `docker login` saved). Without this or
    /// [`credentials`](Self::credentials) the pull is anonymous.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Fail when the engine reports nothing for this long (off by default: a big layer
    /// from a slow registry may take its time).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// How to push, for [`Image::push`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PushOptions {
    tag: Option<String>,
    all_tags: bool,
    credentials: Option<Credentials>,
    auth: Option<Auth>,
    idle_timeout: Option<Duration>,
}

impl PushOptions {
    /// Push the tag in the image's name (`latest` when it has none).
    pub fn new() -> Self {
        Self::default()
    }

    /// The tag to push, instead of the one in the name.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// Push every tag of the repository.
    pub fn all_tags(mut self, all: bool) -> Self {
        self.all_tags = all;
        self
    }

    /// Log in to the registry with these; they win over [`auth`](Self::auth).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here, as the docker CLI does.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Fail when the engine reports nothing for this long (off by default).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// The credentials for `image`: the explicit ones, else those `auth` finds.
pub(crate) fn credentials_for(
    image: &str,
    explicit: Option<&Credentials>,
    auth: Option<&Auth>,
) -> Result<Option<Credentials>> {
    if let Some(c) = explicit {
        return Ok(Some(c.clone()));
    }
    match auth {
        Some(auth) => auth.credentials_for_image(image),
        None => Ok(None),
    }
}

/// Adds `X-Registry-Auth` for `image`'s registry; `always` sends `{}` without credentials.
pub(crate) fn with_registry_auth(
    request: Request,
    image: &str,
    credentials: Option<&Credentials>,
    always: bool,
) -> Request {
    if credentials.is_none() && !always {
        return request;
    }
    let server = Auth::server_for_image(image);
    request.header(
        "X-Registry-Auth",
        &registry_auth_header(credentials, &server),
    )
}

impl Images {
    /// Lists images.
    pub fn list(&self, options: &ListImagesOptions) -> Result<Vec<ImageSummary>> {
        let list = |digests: bool| {
            self.docker
                .get("/images/json".into())
                .flag("all", options.all)
                .flag("digests", digests)
                .query_opt("filters", options.filters.to_query())
                .send()?
                .bytes()
        };
        let mut body = list(options.digests)?;
        if body.is_empty() && options.digests {
            // Podman answers `digests=1` with an empty 200; without it, its list has the
            // digests all the same.
            body = list(false)?;
        }
        serde_json::from_slice(&body)
            .map_err(|e| Error::decode("the answer to GET /images/json", e))
    }

    /// Pulls an image: a stream of [`Progress`] lines, as the layers come. The pull is done
    /// when the stream ends. A failure the engine finds before it reports anything (no such
    /// image, no access) is an [`Error::Engine`] from this call; one it finds later comes as
    /// an `Err` item of the stream. [`JsonStream::finish`] reads the stream to its end.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, PullOptions};
    /// let docker = Docker::from_env()?;
    /// for progress in docker.images().pull(&PullOptions::new("busybox:1.36"))? {
    ///     println!("{}", progress?.message());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pull(&self, options: &PullOptions) -> Result<JsonStream<Progress>> {
        let reference = parse_reference(&options.image);
        let (from_image, tag) = match (&options.tag, reference.tag, reference.digest) {
            (Some(tag), _, _) => (reference.repo, Some(tag.as_str())),
            // The engine takes `repo@digest` as it is.
            (None, _, Some(_)) => (options.image.as_str(), None),
            (None, Some(tag), None) => (reference.repo, Some(tag)),
            // Without a tag the engine would pull every tag: the docker CLI asks for latest.
            (None, None, None) => (reference.repo, Some("latest")),
        };
        if from_image.is_empty() {
            return Err(Error::setting(
                "image name",
                &options.image,
                "an image to pull, such as busybox:1.36",
            ));
        }
        let credentials = credentials_for(
            from_image,
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?;
        let request = self
            .docker
            .post("/images/create".into())
            .query("fromImage", from_image)
            .query_opt("tag", tag)
            .query_opt("platform", options.platform.as_deref())
            .streaming()
            .idle_timeout(options.idle_timeout);
        let response =
            with_registry_auth(request, from_image, credentials.as_ref(), false).send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Deletes unused images: dangling ones, or as the filters say. Use a `label` filter to
    /// prune only your own.
    pub fn prune(&self, options: &PruneImagesOptions) -> Result<PruneImagesResult> {
        self.docker
            .post("/images/prune".into())
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Searches the engine's index (Docker Hub). The engine asks the index itself, so this
    /// needs the engine to reach it: without, the engine's error says why.
    pub fn search(&self, options: &SearchOptions) -> Result<Vec<SearchResult>> {
        self.docker
            .get("/images/search".into())
            .query("term", &options.term)
            .query_opt("limit", options.limit)
            .query_opt("filters", options.filters.to_query())
            .send()?
            .json()
    }

    /// Makes an image of a container's files and settings (`docker commit`).
    pub fn commit(&self, options: &CommitOptions) -> Result<Committed> {
        let request = self
            .docker
            .post("/commit".into())
            .query("container", &options.container)
            .query_opt("repo", options.repo.as_deref())
            .query_opt("tag", options.tag.as_deref())
            .query_opt("comment", options.comment.as_deref())
            .query_opt("author", options.author.as_deref())
            .query_opt("pause", options.pause.map(|p| if p { "1" } else { "0" }));
        let request = options
            .changes
            .iter()
            .fold(request, |r, change| r.query("changes", change));
        // Podman answers a commit without a body with a 500: an empty config changes
        // nothing on any engine.
        let request = match &options.config {
            Some(config) => request.json(config),
            None => request.json(&serde_json::json!({})),
        };
        let mut committed: Committed = request.send()?.json()?;
        // Podman answers with the bare hex id.
        if is_bare_id(committed.id.as_bytes()) {
            committed.id = format!("sha256:{}", committed.id);
        }
        Ok(committed)
    }

    /// Makes an image of a root filesystem tar (`docker import -`), streamed from `tar` in
    /// constant memory. The last progress line's `status` is the new image's id.
    pub fn import(
        &self,
        tar: impl Read + Send + 'static,
        options: &ImportOptions,
    ) -> Result<JsonStream<Progress>> {
        let request = self
            .docker
            .post("/images/create".into())
            .query("fromSrc", "-")
            .query_opt("repo", options.repo.as_deref())
            .query_opt("tag", options.tag.as_deref())
            .query_opt("message", options.message.as_deref())
            .query_opt("platform", options.platform.as_deref());
        let request = options
            .changes
            .iter()
            .fold(request, |r, change| r.query("changes", change));
        let response = request.body(tar, "application/x-tar").streaming().send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Saves images, with their names and layers, as one tar (`docker save a b`): a
    /// `Read` straight from the engine, in constant memory, for as long as it takes.
    pub fn save<S: AsRef<str>>(&self, names: &[S]) -> Result<impl Read + Send> {
        if names.is_empty() {
            return Err(Error::setting(
                "image names",
                "",
                "at least one image to save",
            ));
        }
        let request = names
            .iter()
            .fold(self.docker.get("/images/get".into()), |r, name| {
                r.query("names", name.as_ref())
            });
        Ok(request.streaming().send()?.into_reader())
    }

    /// Loads images from a tar made by `docker save` (or [`save`](Self::save)), streamed
    /// from `tar` in constant memory. [`JsonStream::finish`] returns the `Loaded image: ...`
    /// lines.
    pub fn load(
        &self,
        tar: impl Read + Send + 'static,
        options: &LoadOptions,
    ) -> Result<JsonStream<Progress>> {
        let response = self
            .docker
            .post("/images/load".into())
            .query("quiet", if options.quiet { "1" } else { "0" })
            .body(tar, "application/x-tar")
            .streaming()
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }
}

impl Image {
    /// The name this handle was made with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Everything the engine knows about the image.
    pub fn inspect(&self) -> Result<ImageInspect> {
        self.docker
            .get(image_path(&self.name, "/json")?)
            .send()?
            .json()
    }

    /// The steps that made the image, newest first.
    pub fn history(&self) -> Result<Vec<HistoryItem>> {
        self.docker
            .get(image_path(&self.name, "/history")?)
            .send()?
            .json()
    }

    /// Gives the image another name: `repo` (`team/app`, `127.0.0.1:5000/app`) with `tag`
    /// (`latest` when `None`).
    pub fn tag(&self, repo: &str, tag: Option<&str>) -> Result<()> {
        self.docker
            .post(image_path(&self.name, "/tag")?)
            .query("repo", repo)
            .query_opt("tag", tag)
            .send()?
            .drain()
    }

    /// Removes the name, and the image when that was its last name (`docker rmi`).
    pub fn remove(&self, options: &RemoveImageOptions) -> Result<Vec<ImageDeleted>> {
        self.docker
            .delete(image_path(&self.name, "")?)
            .flag("force", options.force)
            .flag("noprune", options.no_prune)
            .send()?
            .json()
    }

    /// Pushes the image to the registry its name says (`127.0.0.1:5000/app:1`): a stream
    /// of [`Progress`] lines, the last ones with the pushed digest
    /// ([`Progress::pushed_digest`]).
    pub fn push(&self, options: &PushOptions) -> Result<JsonStream<Progress>> {
        let reference = parse_reference(&self.name);
        let tag = match (&options.tag, reference.tag, options.all_tags) {
            (_, _, true) => None,
            (Some(tag), _, false) => Some(tag.as_str()),
            (None, Some(tag), false) => Some(tag),
            (None, None, false) => Some("latest"),
        };
        let credentials = credentials_for(
            reference.repo,
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?;
        let request = self
            .docker
            .post(image_path(reference.repo, "/push")?)
            .query_opt("tag", tag)
            .streaming()
            .idle_timeout(options.idle_timeout);
        // The engine refuses a push without the header, even an anonymous one.
        let response =
            with_registry_auth(request, reference.repo, credentials.as_ref(), true).send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Saves the image as a tar (`docker save`): a `Read` straight from the engine, in
    /// constant memory.
    pub fn save(&self) -> Result<impl Read + Send> {
        Ok(self
            .docker
            .get(image_path(&self.name, "/get")?)
            .streaming()
            .send()?
            .into_reader())
    }

    /// What the registry says about this name, without pulling it: the digest and media
    /// type of its manifest, and the platforms it is built for (`GET /distribution/{name}/json`,
    /// as `docker buildx imagetools inspect` asks). The engine asks the registry, so the
    /// name is a reference (`busybox:1.36`, `127.0.0.1:5000/app:1`), not a local image id.
    pub fn distribution(&self, options: &DistributionOptions) -> Result<DistributionInspect> {
        distribution::inspect(&self.docker, &self.name, options)
    }
}

impl fmt::Display for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_paths_keep_slashes_and_encode_the_rest() {
        assert_eq!(
            image_path("busybox:latest", "/json").unwrap(),
            "/images/busybox%3Alatest/json"
        );
        assert_eq!(
            image_path("127.0.0.1:5000/team/app:1", "/push").unwrap(),
            "/images/127.0.0.1%3A5000/team/app%3A1/push"
        );
        assert_eq!(
            image_path("sha256:abc", "").unwrap(),
            "/images/sha256%3Aabc"
        );
        assert_eq!(
            image_path("a?b#c", "/json").unwrap(),
            "/images/a%3Fb%23c/json"
        );
        for bad in [
            "",
            "..",
            "../containers/x",
            "a/../b",
            "a/./b",
            "a//b",
            "/a",
            "a/",
        ] {
            assert!(image_path(bad, "/json").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn references_split_as_the_docker_cli_splits_them() {
        let r = |repo, tag, digest| Reference { repo, tag, digest };
        for (name, want) in [
            ("busybox", r("busybox", None, None)),
            ("busybox:1.36", r("busybox", Some("1.36"), None)),
            ("127.0.0.1:5000/app", r("127.0.0.1:5000/app", None, None)),
            (
                "127.0.0.1:5000/app:2",
                r("127.0.0.1:5000/app", Some("2"), None),
            ),
            ("busybox@sha256:ab", r("busybox", None, Some("sha256:ab"))),
            (
                "localhost:5000/a/b:t@sha256:ab",
                r("localhost:5000/a/b", Some("t"), Some("sha256:ab")),
            ),
        ] {
            assert_eq!(parse_reference(name), want, "{name}");
        }
    }

    #[test]
    fn progress_lines_decode_and_print_as_the_cli_does() {
        let p: Progress = serde_json::from_str(
            r#"{"status":"Downloading","progressDetail":{"current":10,"total":20},
                "progress":"[==>  ] 10B/20B","id":"abc"}"#,
        )
        .unwrap();
        assert_eq!(
            p.progress_detail,
            Some(ProgressDetail {
                current: Some(10),
                total: Some(20)
            })
        );
        assert_eq!(p.message(), "abc: Downloading [==>  ] 10B/20B");
        let p: Progress =
            serde_json::from_str(r#"{"status":"Pull complete","progressDetail":{},"id":"abc"}"#)
                .unwrap();
        assert_eq!(p.progress_detail, Some(ProgressDetail::default()));
        let p: Progress = serde_json::from_str(r#"{"stream":"Loaded image: a:b\n"}"#).unwrap();
        assert_eq!(p.message(), "Loaded image: a:b");
    }

    #[test]
    fn null_lists_from_the_engine_read_as_empty() {
        let s: ImageSummary = serde_json::from_str(
            r#"{"Id":"sha256:1","RepoTags":null,"RepoDigests":null,"Labels":null,"Size":5}"#,
        )
        .unwrap();
        assert!(s.repo_tags.is_empty() && s.labels.is_empty());
        assert_eq!(s.size, 5);
        let p: PruneImagesResult =
            serde_json::from_str(r#"{"ImagesDeleted":null,"SpaceReclaimed":0}"#).unwrap();
        assert!(p.images_deleted.is_empty());
    }

    #[test]
    fn virtual_size_is_the_size_where_the_engine_leaves_it_out() {
        // API 1.44 and newer (Docker 28.5's answer), then API 1.41.
        let new: Vec<ImageSummary> = serde_json::from_str(
            r#"[{"Containers":0,"Created":1796054970,"Id":"sha256:e180f4","Labels":{"a":"1"},
                 "ParentId":"","RepoDigests":[],"RepoTags":["t:latest"],"SharedSize":-1,
                 "Size":1984240}]"#,
        )
        .unwrap();
        assert_eq!((new[0].size, new[0].virtual_size), (1984240, 1984240));
        let old: ImageSummary =
            serde_json::from_str(r#"{"Id":"sha256:1","Size":5,"VirtualSize":7}"#).unwrap();
        assert_eq!((old.size, old.virtual_size), (5, 7));
        let zero: ImageSummary =
            serde_json::from_str(r#"{"Id":"sha256:1","Size":5,"VirtualSize":0}"#).unwrap();
        assert_eq!(zero.virtual_size, 5);
    }

    #[test]
    fn an_image_inspect_of_api_1_52_without_its_empty_fields_decodes() {
        // API 1.52 leaves out empty Parent, Comment, DockerVersion, Author and Config fields.
        let text = r#"{"Id":"sha256:e180f4","RepoTags":["t:latest"],"RepoDigests":[],
            "Created":"2025-11-30T16:09:30.167038629Z","Architecture":"amd64","Os":"linux",
            "Size":1984240,"RootFS":{"Type":"layers","Layers":["sha256:f3aab4"]},
            "Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"},
            "Config":{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]},
            "Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json"}}"#;
        let image: ImageInspect = serde_json::from_str(text).unwrap();
        assert_eq!(image.parent, "");
        assert_eq!(image.author, "");
        assert_eq!(image.config.cmd, Some(vec!["/bin/sh".to_string()]));
        assert_eq!(image.config.entrypoint, None);
        assert_eq!(image.root_fs.layers.len(), 1);
        assert!(image.extra.contains_key("Descriptor"));
        // Its config goes back as it came.
        let sent: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_value(&image.config).unwrap(), sent["Config"]);
        let absent: ImageInspect = serde_json::from_str(r#"{"Id":"sha256:e"}"#).unwrap();
        assert!(absent.config.cmd.is_none() && absent.repo_tags.is_empty());
    }

    #[test]
    fn a_push_digest_comes_from_aux_or_from_the_last_status_line() {
        let line = |text: &str| serde_json::from_str::<Progress>(text).unwrap();
        let digest = "sha256:5a1f4a5e9d8a3c6b1b8c2b0e2c7e0f0d6a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
        let aux = line(&format!(
            r#"{{"progressDetail":{{}},"aux":{{"Tag":"1","Digest":"{digest}","Size":527}}}}"#
        ));
        assert_eq!(aux.pushed_digest(), Some(digest));
        // Docker with the containerd image store, and Podman: no aux line.
        let status = line(&format!(r#"{{"status":"1: digest: {digest} size: 527"}}"#));
        assert_eq!(status.pushed_digest(), Some(digest));
        for other in [
            format!(r#"{{"status":"Digest: {digest}"}}"#),
            r#"{"status":"Pushed","id":"f3aab42f1fcd"}"#.to_string(),
            r#"{"status":"latest: digest: not a digest size: 1"}"#.to_string(),
            r#"{"status":"latest: digest: sha256:ab size: many"}"#.to_string(),
            r#"{"stream":"x"}"#.to_string(),
        ] {
            assert_eq!(line(&other).pushed_digest(), None, "{other}");
        }
    }
}
