//! TLS with our own rustls configuration, built from the `DOCKER_TLS_*` settings.
//!
//! ureq's own TLS layer can neither skip only the host-name check (boot2docker's
//! `DOCKER_TLS_ASSERT_HOSTNAME=False`) nor take a custom rustls config, so the handshake
//! happens here, inside the connector, and ureq needs no TLS feature at all.

use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{verify_server_cert_signed_by_trust_anchor, WebPkiServerVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::server::ParsedCertificate;
use rustls::{
    AlertDescription, CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct,
    RootCertStore, SignatureScheme, StreamOwned,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};

use super::{Endpoint, Socket};
use crate::error::Error;
use crate::settings::{Settings, TlsVersion};

/// An `Arc<Socket>` that reads and writes, for rustls to own.
#[derive(Debug, Clone)]
pub(crate) struct SharedSocket(Arc<Socket>);

impl Read for SharedSocket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.0).read(buf)
    }
}

impl Write for SharedSocket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub(crate) type TlsStream = StreamOwned<ClientConnection, SharedSocket>;

/// Builds the client configuration for `settings`: trust roots, client certificate,
/// verification mode and protocol versions.
pub(crate) fn client_config(settings: &Settings) -> Result<Arc<ClientConfig>, Error> {
    // Our own provider, never the process default, so another crate's choice cannot change
    // ours and we need no global state.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions: &[&rustls::SupportedProtocolVersion] = match settings.tls_ssl_version {
        Some(TlsVersion::Tls12) => &[&rustls::version::TLS12],
        Some(TlsVersion::Tls13) => &[&rustls::version::TLS13],
        None => rustls::DEFAULT_VERSIONS,
    };
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|e| Error::Tls {
            target: "the TLS settings".into(),
            reason: e.to_string(),
        })?;

    let verifier: Arc<dyn ServerCertVerifier> =
        match (settings.tls_verify, settings.tls_assert_hostname) {
            (true, true) => {
                let roots = Arc::new(trust_roots(settings.ca_cert().as_deref())?);
                WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                    .build()
                    .map_err(|e| Error::Tls {
                        target: "the CA certificate".into(),
                        reason: e.to_string(),
                    })?
            }
            (true, false) => Arc::new(Lenient {
                roots: Some(Arc::new(trust_roots(settings.ca_cert().as_deref())?)),
                provider: provider.clone(),
            }),
            (false, _) => Arc::new(Lenient {
                roots: None,
                provider: provider.clone(),
            }),
        };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);

    let config = match settings.client_cert() {
        Some((cert, key)) => {
            let chain = read_certs(&cert, "DOCKER_TLS_CLIENT_CERT")?;
            let key = read_key(&key)?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| Error::Tls {
                    target: format!("{} and its key", cert.display()),
                    reason: format!("the client certificate cannot be used with its key: {e}"),
                })?
        }
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

fn trust_roots(ca: Option<&Path>) -> Result<RootCertStore, Error> {
    let mut roots = RootCertStore::empty();
    match ca {
        Some(path) => {
            for cert in read_certs(path, "DOCKER_TLS_CA_CERT")? {
                roots.add(cert).map_err(|e| Error::Tls {
                    target: path.display().to_string(),
                    reason: format!("not a usable CA certificate: {e}"),
                })?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    Ok(roots)
}

fn pem_error(path: &Path, what: &str, e: rustls_pki_types::pem::Error) -> Error {
    match e {
        rustls_pki_types::pem::Error::Io(source) => Error::File {
            path: path.to_path_buf(),
            source,
        },
        other => Error::Tls {
            target: path.display().to_string(),
            reason: format!("cannot read {what} from this PEM file: {other}"),
        },
    }
}

fn read_certs(path: &Path, key: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| pem_error(path, "certificates", e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error(path, "certificates", e))?;
    if certs.is_empty() {
        return Err(Error::Tls {
            target: path.display().to_string(),
            reason: format!(
                "no `BEGIN CERTIFICATE` block in this file (given by {key}): is it the right file?"
            ),
        });
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, Error> {
    // PKCS#8, PKCS#1 (RSA) and SEC1 (EC) keys all parse here. The key itself never reaches an
    // error message.
    PrivateKeyDer::from_pem_file(path).map_err(|e| match e {
        rustls_pki_types::pem::Error::NoItemsFound => Error::Tls {
            target: path.display().to_string(),
            reason: "no private key in this file (expected a PEM `PRIVATE KEY`, \
                     `RSA PRIVATE KEY` or `EC PRIVATE KEY` block)"
                .into(),
        },
        other => pem_error(path, "a private key", other),
    })
}

/// The two lenient modes: `roots: Some` checks the chain but not the name
/// (`DOCKER_TLS_ASSERT_HOSTNAME=False`: boot2docker's certificates name `boot2docker`, not the
/// VM's address); `roots: None` accepts any certificate (`DOCKER_TLS_VERIFY=False`). Both
/// still check the handshake signatures, so the connection is bound to the certificate shown.
#[derive(Debug)]
struct Lenient {
    roots: Option<Arc<RootCertStore>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            // The chain, validity and usage, through rustls's public function: no reliance
            // on the order in which the full verifier makes its checks.
            verify_server_cert_signed_by_trust_anchor(
                &ParsedCertificate::try_from(end_entity)?,
                roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The name to check the engine's certificate against.
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, Error> {
    ServerName::try_from(host.to_string()).map_err(|_| Error::Tls {
        target: host.to_string(),
        reason: "not a valid DNS name or IP address for TLS".into(),
    })
}

/// Connects TLS over `socket` and completes the handshake within `timeout`, so that
/// certificate errors surface at connect time with their reason.
pub(crate) fn handshake(
    config: &Arc<ClientConfig>,
    name: ServerName<'static>,
    socket: Arc<Socket>,
    timeout: Option<Duration>,
) -> io::Result<TlsStream> {
    let conn = ClientConnection::new(config.clone(), name).map_err(io::Error::other)?;
    socket.set_read_timeout(timeout)?;
    socket.set_write_timeout(timeout)?;
    let mut stream = StreamOwned::new(conn, SharedSocket(socket.clone()));
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock)?;
    }
    socket.set_read_timeout(None)?;
    socket.set_write_timeout(None)?;
    Ok(stream)
}

/// Reads plaintext. An engine that closes without `close_notify` ends the stream like a
/// plain close: HTTP framing (length or chunks) still tells ureq if a body was cut short.
pub(crate) fn read(tls: &mut TlsStream, buf: &mut [u8]) -> io::Result<usize> {
    match tls.read(buf) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
        other => other,
    }
}

/// Says in words which TLS check failed, when `e` comes from rustls.
pub(crate) fn describe(e: &io::Error, endpoint: &Endpoint) -> Option<String> {
    let err = e.get_ref()?.downcast_ref::<rustls::Error>()?;
    let host = match endpoint {
        Endpoint::Tls { host, .. } => host.as_str(),
        _ => "the engine",
    };
    Some(match err {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => format!(
                "the engine's certificate is not signed by a trusted CA: set DOCKER_TLS_CA_CERT \
                 (or DOCKER_TLS_CERT_PATH) to the CA that signed it ({cert:?})"
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                format!(
                    "the engine's certificate does not name {host}: connect by a name it carries, \
                     or set DOCKER_TLS_ASSERT_HOSTNAME=False to check the chain only ({cert:?})"
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                format!("the engine's certificate has expired ({cert:?})")
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                format!("the engine's certificate is not valid yet: check the clock ({cert:?})")
            }
            other => format!("the engine's certificate was rejected: {other:?}"),
        },
        rustls::Error::AlertReceived(
            alert @ (AlertDescription::CertificateRequired
            | AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::HandshakeFailure),
        ) => format!(
            "the engine refused the connection ({alert:?}): it wants a client certificate \
             signed by its CA; set DOCKER_TLS_CLIENT_CERT=cert.pem:key.pem or \
             DOCKER_TLS_CERT_PATH"
        ),
        rustls::Error::AlertReceived(AlertDescription::ProtocolVersion) => {
            "the engine does not speak the pinned TLS version (DOCKER_TLS_SSL_VERSION)".into()
        }
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => format!(
            "the engine did not answer with TLS ({err}): does it listen without TLS? \
             Then use tcp:// with DOCKER_TLS=False"
        ),
        other => other.to_string(),
    })
}
