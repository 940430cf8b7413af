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
        let mut ping = Ping {
            api_version: None,
            os_type: None,
            experimental: false,
            builder_version: None,
            swarm: None,
        };
        // The first value of each header, when it is text, as `Response::header` gives.
        let mut seen = [false; 5];
        for (name, value) in response.headers() {
            let i = match name {
                "api-version" => 0,
                "ostype" => 1,
                "docker-experimental" => 2,
                "builder-version" => 3,
                "swarm" => 4,
                _ => continue,
            };
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let Ok(text) = value.to_str() else { continue };
            match i {
                0 => ping.api_version = Some(text.to_string()),
                1 => ping.os_type = Some(text.to_string()),
                2 => ping.experimental = text == "true",
                3 => ping.builder_version = Some(text.to_string()),
                _ => ping.swarm = Some(text.to_string()),
            }
        }
        ping
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
