//! Pinging the engine: `GET` and `HEAD /_ping`.

use crate::client::{Docker, Response};
use crate::error::Result;

/// The engine's answer to a ping.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ping {
    /// The newest API version the engine speaks (`API-Version` header).
    pub api_version: Option<String>,
    /// `linux` or `windows` (`OSType` header).
    pub os_type: Option<String>,
    /// Whether the engine runs with experimental features.
    pub experimental: bool,
    /// The default builder: `1` (classic) or `2` (BuildKit).
    pub builder_version: Option<String>,
    /// The engine's part in a swarm (`Swarm` header, API 1.42 and later): `inactive`,
    /// `pending`, `error`, `locked`, `active/worker` or `active/manager`.
    pub swarm: Option<String>,
}

impl Ping {
    fn from_headers(response: &Response) -> Ping {
        // Lower case: the header map looks such names up without converting them.
        let header = |name: &str| response.header(name).map(str::to_string);
        Ping {
            api_version: header("api-version"),
            os_type: header("ostype"),
            experimental: header("docker-experimental").as_deref() == Some("true"),
            builder_version: header("builder-version"),
            swarm: header("swarm"),
        }
    }
}

impl Docker {
    /// Checks that the engine answers (`GET /_ping`, unversioned), and returns what its
    /// headers say.
    pub fn ping(&self) -> Result<Ping> {
        let response = self.get("/_ping".into()).unversioned().send()?;
        let ping = Ping::from_headers(&response);
        response.drain()?;
        Ok(ping)
    }

    /// The cheapest liveness check: `HEAD /_ping` (unversioned), which the engine answers
    /// with the headers of [`ping`](Self::ping) and no body.
    pub fn ping_head(&self) -> Result<Ping> {
        let response = self.request("HEAD", "/_ping").unversioned().send()?;
        let ping = Ping::from_headers(&response);
        response.drain()?;
        Ok(ping)
    }
}
