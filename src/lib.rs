//! # dockhand
//!
//! A blocking Docker Engine API client (settings layer).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod host;
mod settings;

pub use error::{Error, Result};
pub use host::{Host, TcpScheme, DEFAULT_SOCKET};
pub use settings::{ApiVersion, Settings, TlsVersion};
