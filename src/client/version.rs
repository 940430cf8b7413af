//! API versions: negotiating one with the engine, and explaining a pinned one it refuses.

use super::Docker;
use crate::error::{Error, Result};
use crate::settings::ApiVersion;

impl Docker {
    /// The API version calls are sent with: the pinned one, or the one negotiated with the
    /// engine (asked once, then cached for every clone).
    pub fn api_version(&self) -> Result<ApiVersion> {
        if let Some(pinned) = self.inner.settings.version {
            return Ok(pinned);
        }
        if let Some(v) = self.inner.negotiated.get() {
            return Ok(*v);
        }
        let ping = self.ping()?;
        let version = negotiate(ping.api_version.as_deref())?;
        // Two threads may negotiate at once; they agree, so the loser's value is dropped.
        Ok(*self.inner.negotiated.get_or_init(|| version))
    }

    /// Turns the engine's refusal of a pinned API version into an error that names the
    /// setting that pinned it and the versions the engine accepts (asked of the engine's
    /// unversioned `/version`, which every engine answers).
    pub(super) fn explain_refused_version(&self, error: Error, versioned: bool) -> Error {
        let Some(pinned) = self.inner.settings.version else {
            return error;
        };
        let refused = matches!(&error, Error::Engine { status: 400, message, .. }
            if message.contains("client version") && is_version_refusal(message));
        if !versioned || !refused {
            return error;
        }
        let Error::Engine {
            message, request, ..
        } = error
        else {
            return error;
        };
        let range = self
            .get("/version".into())
            .unversioned()
            .send()
            .and_then(|r| r.json::<serde_json::Value>())
            .ok()
            .and_then(|v| {
                let field = |k: &str| v.get(k)?.as_str()?.parse::<ApiVersion>().ok();
                Some((field("MinAPIVersion")?, field("ApiVersion")?))
            });
        let (minimum, maximum) = range.unzip();
        Error::VersionRefused {
            pinned,
            setting: self.inner.settings.version_key().to_string(),
            minimum,
            maximum,
            message,
            request,
        }
    }
}

/// True for the engine's words when it refuses the API version a client sent
/// ("client version 1.30 is too old. Minimum supported API version is 1.44", "... is too
/// new. Maximum supported API version is 1.41", older engines: "... is not supported").
pub(super) fn is_version_refusal(message: &str) -> bool {
    ["too old", "too new", "not supported"]
        .iter()
        .any(|words| message.contains(words))
}

/// Picks the version to speak with an engine that reports `server`.
pub(super) fn negotiate(server: Option<&str>) -> Result<ApiVersion> {
    let Some(text) = server else {
        // Engines have sent API-Version since 1.25; one that does not is very old or not an
        // engine at all. Speak the oldest version and let it answer for itself.
        log::warn!(
            "the engine sent no API-Version header; using {}",
            ApiVersion::OLDEST
        );
        return Ok(ApiVersion::OLDEST);
    };
    let server: ApiVersion = text
        .parse()
        .map_err(|_| Error::decode("the engine's API-Version header", format!("{text:?}")))?;
    if server < ApiVersion::OLDEST {
        return Err(Error::EngineTooOld {
            engine: server.to_string(),
            minimum: ApiVersion::OLDEST.to_string(),
        });
    }
    Ok(server.min(ApiVersion::NEWEST))
}
