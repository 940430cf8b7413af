//! Where the settings meet the transport: what to dial for a [`Settings`] host.

use std::sync::Arc;

#[cfg(any(not(unix), not(feature = "tls")))]
use crate::error::Error;
use crate::error::Result;
use crate::settings::{Host, Settings, TcpScheme};
use crate::transport::{self, Endpoint};

/// Works out what to dial, and the base path, from the settings.
pub(super) fn endpoint_for(settings: &Settings) -> Result<(Endpoint, String)> {
    match &settings.host {
        #[cfg(unix)]
        Host::Unix(path) => Ok((Endpoint::Unix(path.clone()), String::new())),
        #[cfg(not(unix))]
        Host::Unix(_) => Err(Error::setting(
            "DOCKER_URL",
            &settings.host.to_string(),
            "a tcp:// address: unix sockets need a unix system",
        )),
        Host::Tcp {
            scheme,
            host,
            base_path,
            ..
        } => {
            let port = settings.tcp_port().unwrap_or(2375);
            let endpoint = if settings.uses_tls() {
                tls_endpoint(settings, host, port, *scheme)?
            } else {
                Endpoint::Tcp {
                    host: host.clone(),
                    port,
                }
            };
            Ok((endpoint, base_path.clone()))
        }
        #[cfg(unix)]
        Host::Ssh { user, host, port } => Ok((
            Endpoint::Ssh(Arc::new(transport::ssh::SshTarget::new(
                user.clone(),
                host.clone(),
                *port,
                settings.ssh_args.clone(),
            ))),
            String::new(),
        )),
        #[cfg(not(unix))]
        Host::Ssh { .. } => Err(Error::setting(
            "DOCKER_URL",
            &settings.host.to_string(),
            "a tcp:// address: ssh:// hosts need a unix system",
        )),
    }
}

#[cfg(feature = "tls")]
fn tls_endpoint(
    settings: &Settings,
    host: &str,
    port: u16,
    _scheme: TcpScheme,
) -> Result<Endpoint> {
    Ok(Endpoint::Tls {
        host: host.to_string(),
        port,
        server_name: transport::tls::server_name(host)?,
        config: transport::tls::client_config(settings)?,
    })
}

#[cfg(not(feature = "tls"))]
fn tls_endpoint(_: &Settings, _: &str, _: u16, scheme: TcpScheme) -> Result<Endpoint> {
    Err(Error::FeatureDisabled {
        feature: "tls",
        needed_by: if scheme == TcpScheme::Https {
            "an https:// DOCKER_URL".into()
        } else {
            "DOCKER_TLS=True".into()
        },
    })
}
