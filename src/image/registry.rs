//! Pull and push: their options, and the registry credentials they send.

use std::time::Duration;

#[cfg(doc)]
use super::Images;
use crate::client::Request;
use crate::error::Result;
use crate::settings::{registry_auth_header, Auth, Credentials};

/// What and how to pull, for [`Images::pull`].
#[derive(Clone, Debug)]
#[must_use]
pub struct PullOptions {
    pub(super) image: String,
    pub(super) platform: Option<String>,
    pub(super) credentials: Option<Credentials>,
    pub(super) auth: Option<Auth>,
    pub(super) idle_timeout: Option<Duration>,
}

impl PullOptions {
    /// Pull `reference`, whole: `busybox` (its `latest` tag), `busybox:1.36`,
    /// `busybox@sha256:...`, `registry.example.com/team/app:1`, `localhost:5000/app:1`
    /// (the `:5000` is the registry's port, not a tag). A bad reference fails the pull
    /// before anything is sent.
    pub fn new(reference: impl Into<String>) -> Self {
        PullOptions {
            image: reference.into(),
            platform: None,
            credentials: None,
            auth: None,
            idle_timeout: None,
        }
    }

    /// The platform to pull for a multi-platform image, such as `linux/arm64`.
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// Log in to the image's registry with these; they win over [`auth`](Self::auth).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here, as the docker CLI does
    /// (`Auth::from_env()?` for what `docker login` saved). Without this or
    /// [`credentials`](Self::credentials) the pull is anonymous.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Fail when the engine reports nothing for this long (off by default: a big layer
    /// from a slow registry may take its time).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// What and how to push, for [`Images::push`].
#[derive(Clone, Debug)]
#[must_use]
pub struct PushOptions {
    pub(super) image: String,
    pub(super) credentials: Option<Credentials>,
    pub(super) auth: Option<Auth>,
    pub(super) idle_timeout: Option<Duration>,
}

impl PushOptions {
    /// Push `reference`, whole, to the registry it names: `localhost:5000/app:1` pushes
    /// that tag; `localhost:5000/app`, without a tag, pushes every tag of the name, as the
    /// engine does (Docker does; Podman 4.3 pushes `latest`). A bad reference, or one with a digest, fails the push before anything
    /// is sent.
    pub fn new(reference: impl Into<String>) -> Self {
        PushOptions {
            image: reference.into(),
            credentials: None,
            auth: None,
            idle_timeout: None,
        }
    }

    /// Log in to the registry with these; they win over [`auth`](Self::auth).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here, as the docker CLI does.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Fail when the engine reports nothing for this long (off by default).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

/// The credentials for `image`: the explicit ones, else those `auth` finds.
pub(crate) fn credentials_for(
    image: &str,
    explicit: Option<&Credentials>,
    auth: Option<&Auth>,
) -> Result<Option<Credentials>> {
    if let Some(c) = explicit {
        return Ok(Some(c.clone()));
    }
    match auth {
        Some(auth) => auth.credentials_for_image(image),
        None => Ok(None),
    }
}

/// Adds `X-Registry-Auth` for `image`'s registry; `always` sends `{}` without credentials.
pub(crate) fn with_registry_auth(
    request: Request,
    image: &str,
    credentials: Option<&Credentials>,
    always: bool,
) -> Request {
    if credentials.is_none() && !always {
        return request;
    }
    let server = Auth::server_for_image(image);
    request.header(
        "X-Registry-Auth",
        &registry_auth_header(credentials, &server),
    )
}
