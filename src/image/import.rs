//! Images from tars: the options of `import` (a root filesystem) and `load` (a saved image).

#[cfg(doc)]
use super::{Image, Images};

/// A tar of a root filesystem to make an image of, for [`Images::import`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ImportOptions {
    pub(super) repo: Option<String>,
    pub(super) tag: Option<String>,
    pub(super) message: Option<String>,
    pub(super) changes: Vec<String>,
    pub(super) platform: Option<String>,
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
    pub(super) quiet: bool,
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
