//! Making an image of a container: `POST /commit`.

use serde::Deserialize;

#[cfg(doc)]
use super::Images;
use crate::container::ContainerConfig;

/// A container to turn into an image, for [`Images::commit`].
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct CommitOptions {
    pub(super) container: String,
    pub(super) reference: Option<String>,
    pub(super) comment: Option<String>,
    pub(super) author: Option<String>,
    pub(super) pause: Option<bool>,
    pub(super) changes: Vec<String>,
    pub(super) config: Option<ContainerConfig>,
}

impl CommitOptions {
    /// Commits `container` (id or name), paused meanwhile, as an untagged image.
    pub fn new(container: impl Into<String>) -> Self {
        CommitOptions {
            container: container.into(),
            ..Default::default()
        }
    }

    /// Names the image with a whole reference, as `docker commit CONTAINER NAME[:TAG]`:
    /// `team/app:1`, `localhost:5000/app:2`, or `app` for `app:latest`. A bad reference
    /// (or one with a digest) fails the commit before anything is sent.
    pub fn tag(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
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
