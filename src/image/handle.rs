//! The [`Images`] and [`Image`] handles, with every image call (builds are in `build/`).

use std::fmt;
use std::io::Read;

use super::distribution;
use super::reference::{image_path, parse_reference};
use super::{
    credentials_for, with_registry_auth, CommitOptions, Committed, DistributionInspect,
    DistributionOptions, HistoryItem, ImageDeleted, ImageInspect, ImageSummary, ImportOptions,
    ListImagesOptions, LoadOptions, Progress, PruneImagesOptions, PruneImagesResult, PullOptions,
    PushOptions, RemoveImageOptions, SearchOptions, SearchResult,
};
use crate::client::Docker;
use crate::container::TarReader;
use crate::error::{Error, Result};
use crate::stream::{is_bare_id, JsonStream};

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

impl Images {
    /// Lists images.
    pub fn list(&self, options: &ListImagesOptions) -> Result<Vec<ImageSummary>> {
        let list = |digests: bool| {
            let mut tries = 0;
            loop {
                let answer = self
                    .docker
                    .get("/images/json".into())
                    .flag("all", options.all)
                    .flag("digests", digests)
                    .query_opt("filters", options.filters.to_query())
                    .send()
                    .and_then(|response| response.bytes());
                match answer {
                    // Podman 4.3 fails the whole list when an image it is listing is removed
                    // meanwhile ("image not known"): a new list no longer has it.
                    Err(e)
                        if tries < 3
                            && e.status() == Some(500)
                            && e.to_string().contains("image not known") =>
                    {
                        tries += 1;
                    }
                    answer => break answer,
                }
            }
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

    /// Pulls an image by its reference, [`PullOptions::new`]`("registry/app:1")`: a stream
    /// of [`Progress`] lines, as the layers come. The pull is done when the stream ends. A failure the engine finds before it reports anything (no such
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
        let reference = parse_reference(&options.image)?;
        let credentials = credentials_for(
            reference.repo,
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?;
        // As the docker CLI asks: the name, and the digest or tag apart (`latest` when
        // there is neither: without a tag the engine would pull every tag).
        let request = self
            .docker
            .post("/images/create".into())
            .query("fromImage", reference.repo)
            .query("tag", reference.pull_tag())
            .query_opt("platform", options.platform.as_deref())
            .streaming()
            .idle_timeout(options.idle_timeout);
        let response =
            with_registry_auth(request, reference.repo, credentials.as_ref(), false).send()?;
        Ok(JsonStream::new(response.into_parts()))
    }

    /// Pushes an image to the registry its reference names,
    /// [`PushOptions::new`]`("localhost:5000/app:1")`: a stream of [`Progress`] lines, the
    /// last ones with the pushed digest ([`Progress::pushed_digest`]). A reference without
    /// a tag pushes every tag of that name, as the engine does; one with a digest is
    /// refused (registries take pushes by tag).
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Auth, Docker, PushOptions};
    /// let docker = Docker::from_env()?;
    /// docker.image("app:dev").tag("registry.example.com/team/app:1")?;
    /// let pushed = docker
    ///     .images()
    ///     .push(&PushOptions::new("registry.example.com/team/app:1").auth(Auth::from_env()?))?
    ///     .finish()?;
    /// # Ok(()) }
    /// ```
    pub fn push(&self, options: &PushOptions) -> Result<JsonStream<Progress>> {
        let reference =
            parse_reference(&options.image)?.without_digest(&options.image, "a push")?;
        let credentials = credentials_for(
            reference.repo,
            options.credentials.as_ref(),
            options.auth.as_ref(),
        )?;
        let request = self
            .docker
            .post(image_path(reference.repo, "/push")?)
            .query_opt("tag", reference.tag)
            .streaming()
            .idle_timeout(options.idle_timeout);
        // The engine refuses a push without the header, even an anonymous one.
        let response =
            with_registry_auth(request, reference.repo, credentials.as_ref(), true).send()?;
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
        let reference = match &options.reference {
            Some(text) => Some(parse_reference(text)?.without_digest(text, "a commit")?),
            None => None,
        };
        let request = self
            .docker
            .post("/commit".into())
            .query("container", &options.container)
            .query_opt("repo", reference.as_ref().map(|r| r.repo))
            .query_opt("tag", reference.as_ref().map(|r| r.tag_or_latest()))
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
        // The whole reference goes in `repo`, as the docker CLI sends it (Podman ignores
        // a `tag` apart).
        let name = match &options.reference {
            Some(text) => {
                let r = parse_reference(text)?.without_digest(text, "an import")?;
                Some(format!("{}:{}", r.repo, r.tag_or_latest()))
            }
            None => None,
        };
        let request = self
            .docker
            .post("/images/create".into())
            .query("fromSrc", "-")
            .query_opt("repo", name.as_deref())
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
    /// [`TarReader`] straight from the engine, in constant memory, for as long as it takes.
    pub fn save<S: AsRef<str>>(&self, names: &[S]) -> Result<TarReader> {
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
        Ok(TarReader::new(request.streaming().send()?.into_parts()))
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

    /// Gives the image another name, a whole reference (`docker tag`): `team/app:2`,
    /// `localhost:5000/app:1`, or `app` for `app:latest`. A digest is refused.
    pub fn tag(&self, reference: &str) -> Result<()> {
        let r = parse_reference(reference)?.without_digest(reference, "a tag")?;
        self.docker
            .post(image_path(&self.name, "/tag")?)
            .query("repo", r.repo)
            .query("tag", r.tag_or_latest())
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

    /// Saves the image as a tar (`docker save`): a [`TarReader`] straight from the engine,
    /// in constant memory.
    pub fn save(&self) -> Result<TarReader> {
        let response = self
            .docker
            .get(image_path(&self.name, "/get")?)
            .streaming()
            .send()?;
        Ok(TarReader::new(response.into_parts()))
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
