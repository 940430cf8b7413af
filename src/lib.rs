//! # dockhand
//!
//! A blocking Docker Engine API client (settings, transport, system calls).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod error;
mod host;
mod settings;
mod system;
mod transport;

pub use client::{encode_segment, CancelHandle, Docker, DockerCell, Request, Response};
pub use error::{Error, Result};
pub use host::{Host, TcpScheme, DEFAULT_SOCKET};
pub use settings::{ApiVersion, Settings, TlsVersion};
pub use system::{Component, Info, Ping, Platform, Version};
