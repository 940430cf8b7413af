//! Images: list, inspect, history, tag, remove, prune, search, commit, import, save, load,
//! pull and push: every call in `handle.rs`, the models beside it. Builds are in `build/`,
//! what a registry says about an image in `distribution.rs`.

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
