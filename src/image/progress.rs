//! Progress lines of pull, push, import and load, as the engine sends them.

use serde::Deserialize;

use crate::error::Result;
use crate::stream::JsonStream;

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
