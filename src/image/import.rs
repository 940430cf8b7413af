//! Images from tars: the options of `import` (a root filesystem) and `load` (a saved image).

#[cfg(doc)]
use super::{Image, Images};

/// A tar of a root filesystem to make an image of, for [`Images::import`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct ImportOptions {
    pub(super) reference: Option<String>,
    pub(super) message: Option<String>,
    pub(super) changes: Vec<String>,
    pub(super) platform: Option<String>,
}

impl ImportOptions {
    /// An untagged image.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names the image with a whole reference, as `docker import FILE NAME[:TAG]`:
    /// `team/base:1`, `localhost:5000/base:2`, or `base` for `base:latest`. A bad
    /// reference (or one with a digest) fails the import before anything is sent.
    pub fn tag(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
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
