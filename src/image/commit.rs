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
    pub(super) repo: Option<String>,
    pub(super) tag: Option<String>,
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
