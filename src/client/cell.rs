//! [`DockerCell`]: a client declared in a `static` and initialised at start-up.

use std::fmt;
use std::sync::OnceLock;

use super::Docker;
use crate::error::{Error, Result};
use crate::settings::Settings;

/// A client declared now and initialised later, like Flask-Docker's `init_app`: put it in a
/// `static`, call [`init`](Self::init) once at start-up, and [`get`](Self::get) it from any
/// thread.
///
/// ```no_run
/// use dockhand::{DockerCell, Settings};
///
/// static DOCKER: DockerCell = DockerCell::new();
///
/// fn main() -> dockhand::Result<()> {
///     DOCKER.init(Settings::from_env()?)?;
///     println!("{}", DOCKER.get()?.version()?.version);
///     Ok(())
/// }
/// ```
pub struct DockerCell {
    cell: OnceLock<Docker>,
}

impl fmt::Debug for DockerCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DockerCell")
            .field("client", &self.cell.get())
            .finish()
    }
}

impl Default for DockerCell {
    fn default() -> Self {
        DockerCell::new()
    }
}

impl DockerCell {
    /// An empty cell, usable in a `static`.
    pub const fn new() -> DockerCell {
        DockerCell {
            cell: OnceLock::new(),
        }
    }

    /// Builds the client from `settings` and stores it. A second `init` is an error (the
    /// first client stays).
    pub fn init(&self, settings: Settings) -> Result<&Docker> {
        self.init_with(Docker::new(settings)?)
    }

    /// Stores a client made elsewhere. A second call is an error.
    pub fn init_with(&self, docker: Docker) -> Result<&Docker> {
        let mut fresh = false;
        let stored = self.cell.get_or_init(|| {
            fresh = true;
            docker
        });
        if fresh {
            Ok(stored)
        } else {
            Err(Error::Cell {
                message: "this DockerCell is already initialised: call init once, at start-up",
            })
        }
    }

    /// The client. Lock-free once initialised; an error before `init`.
    pub fn get(&self) -> Result<&Docker> {
        self.cell.get().ok_or(Error::Cell {
            message: "this DockerCell is used before init: call DockerCell::init at start-up, \
                      before any thread uses it",
        })
    }

    /// Whether `init` has run.
    pub fn is_initialized(&self) -> bool {
        self.cell.get().is_some()
    }
}
