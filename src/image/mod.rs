//! Images: pull, build, tag, push, inspect, list, remove and prune them; commit a container,
//! import, save and load tarballs, search a registry, and ask a registry what an image
//! reference points to ([`DistributionInspect`]).
//!
//! [`Docker::images`](crate::Docker::images) is the collection (list, pull, build, import,
//! load, prune); [`Docker::image`](crate::Docker::image) a handle on one image by name or
//! id. Pulls, pushes and builds are streams of progress lines that arrive as the engine
//! sends them; a failure on the way is an `Err` item. Registry credentials come from
//! [`Auth`](crate::Auth), which reads the docker CLI's logins.
//!
//! ```no_run
//! use dockhand::{BuildOptions, Docker, PullOptions};
//!
//! # fn main() -> dockhand::Result<()> {
//! let docker = Docker::from_env()?;
//! docker.images().pull(&PullOptions::new("busybox:latest"))?.finish()?;
//! let id = docker
//!     .images()
//!     .build_dir("./app", &BuildOptions::new().tag("app:dev"))?
//!     .image_id(|line| print!("{}", line.stream.as_deref().unwrap_or("")))?;
//! let inspect = docker.image("app:dev").inspect()?;
//! println!("built {id}: {} bytes", inspect.size);
//! # Ok(()) }
//! ```

mod build;
mod commit;
mod distribution;
mod handle;
mod import;
mod inspect;
mod list;
mod progress;
mod reference;
mod registry;
mod remove;
mod search;

pub use build::{BuildAux, BuildContext, BuildItem, BuildOptions};
pub use commit::{CommitOptions, Committed};
pub use distribution::{DistributionInspect, DistributionOptions, OciDescriptor, OciPlatform};
pub use handle::{Image, Images};
pub use import::{ImportOptions, LoadOptions};
pub use inspect::{HistoryItem, ImageInspect, RootFs};
pub use list::{ImageSummary, ListImagesOptions};
pub use progress::{Progress, ProgressDetail};
pub(crate) use registry::{credentials_for, with_registry_auth};
pub use registry::{PullOptions, PushOptions};
pub use remove::{ImageDeleted, PruneImagesOptions, PruneImagesResult, RemoveImageOptions};
pub use search::{SearchOptions, SearchResult};

#[cfg(test)]
mod tests;
