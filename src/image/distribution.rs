//! What a registry says about an image, without pulling it: `GET /distribution/{name}/json`,
//! reached through [`Image::distribution`](crate::Image::distribution).

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{credentials_for, with_registry_auth};
use crate::client::{reference_path, Docker};
use crate::error::Result;
use crate::json::null_as_default;
use crate::settings::{Auth, Credentials};

/// How to reach the registry, for [`Image::distribution`](crate::Image::distribution).
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct DistributionOptions {
    credentials: Option<Credentials>,
    auth: Option<Auth>,
}

impl DistributionOptions {
    /// Ask anonymously.
    pub fn new() -> Self {
        Self::default()
    }

    /// Log in to the image's registry with these; they win over [`auth`](Self::auth).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Find credentials for the image's registry here, as the docker CLI does
    /// (`Auth::from_env()?` for what `docker login` saved).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }
}

/// The registry's answer: the manifest's descriptor, and the platforms the image is built
/// for. Field names are the Engine API's.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct DistributionInspect {
    /// The manifest (or image index) the name points at.
    pub descriptor: OciDescriptor,
    /// Every platform the image is built for: one for a single-platform image, one per
    /// entry of an image index.
    #[serde(deserialize_with = "null_as_default")]
    pub platforms: Vec<OciPlatform>,
    /// Every other field of the answer.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A content descriptor, as the OCI image specification defines it: what a manifest,
/// index or blob is, by digest.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct OciDescriptor {
    /// Its media type, such as `application/vnd.oci.image.index.v1+json` or
    /// `application/vnd.docker.distribution.manifest.v2+json`.
    pub media_type: String,
    /// Its digest: `sha256:...`, what `name@digest` pulls.
    pub digest: String,
    /// Its size in bytes.
    pub size: i64,
    /// Where else it may be downloaded from.
    #[serde(
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub urls: Vec<String>,
    /// Annotations, such as `org.opencontainers.image.created`.
    #[serde(
        deserialize_with = "null_as_default",
        skip_serializing_if = "HashMap::is_empty"
    )]
    pub annotations: HashMap<String, String>,
    /// The platform of what it describes, when the descriptor says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<OciPlatform>,
    /// Every other field (`data`, `artifactType`, ...).
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

/// A platform an image runs on, as the OCI image index describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OciPlatform {
    /// The CPU architecture, such as `amd64` or `arm64`.
    pub architecture: String,
    /// The operating system, such as `linux`.
    pub os: String,
    /// The operating system's version (Windows images), such as `10.0.19041.1165`.
    #[serde(rename = "os.version", skip_serializing_if = "String::is_empty")]
    pub os_version: String,
    /// Operating system features it needs (Windows images), such as `win32k`.
    #[serde(
        rename = "os.features",
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub os_features: Vec<String>,
    /// The CPU variant, such as `v7` for `arm`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl OciPlatform {
    /// The platform as `os/architecture[/variant]`, the form `--platform` takes.
    pub fn to_platform_string(&self) -> String {
        let mut out = format!("{}/{}", self.os, self.architecture);
        if !self.variant.is_empty() {
            out.push('/');
            out.push_str(&self.variant);
        }
        out
    }
}

/// The engine asks the registry, which may be slow: allow more than an ordinary call.
const REGISTRY_GRACE: Duration = Duration::from_secs(30);

/// `GET /distribution/{name}/json`, with the registry's credentials when there are some.
pub(crate) fn inspect(
    docker: &Docker,
    name: &str,
    options: &DistributionOptions,
) -> Result<DistributionInspect> {
    let path = reference_path("image name", "/distribution", name, "/json")?;
    let credentials = credentials_for(name, options.credentials.as_ref(), options.auth.as_ref())?;
    let request = docker.get(path).extend_deadline(REGISTRY_GRACE);
    with_registry_auth(request, name, credentials.as_ref(), false)
        .send()?
        .json()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_reads_with_its_dotted_and_missing_fields() {
        let answer: DistributionInspect = serde_json::from_str(
            r#"{"Descriptor":{"mediaType":"application/vnd.oci.image.index.v1+json",
                "digest":"sha256:ab","size":9,"annotations":{"a":"b"},"data":null},
               "Platforms":[{"architecture":"arm","os":"linux","variant":"v7"},
                            {"architecture":"amd64","os":"windows","os.version":"10.0.1",
                             "os.features":["win32k"]}],
               "Later":1}"#,
        )
        .unwrap();
        let d = &answer.descriptor;
        assert_eq!((d.digest.as_str(), d.size), ("sha256:ab", 9));
        assert_eq!(d.annotations["a"], "b");
        assert!(d.urls.is_empty() && d.platform.is_none());
        assert!(d.extra.contains_key("data"));
        assert_eq!(answer.platforms[0].to_platform_string(), "linux/arm/v7");
        assert_eq!(answer.platforms[1].os_version, "10.0.1");
        assert_eq!(answer.platforms[1].os_features, ["win32k"]);
        assert!(answer.extra.contains_key("Later"));

        let empty: DistributionInspect =
            serde_json::from_str(r#"{"Descriptor":{},"Platforms":null}"#).unwrap();
        assert!(empty.platforms.is_empty());
        // written back, it keeps the API's names and leaves out what was not there
        let written = serde_json::to_value(&answer.platforms[0]).unwrap();
        assert_eq!(
            written,
            serde_json::json!({"architecture": "arm", "os": "linux", "variant": "v7"})
        );
    }
}
