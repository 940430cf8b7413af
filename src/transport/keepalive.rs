//! TCP keepalive on tcp and TLS connections to the engine.
//!
//! A connection whose other end vanished without a word (the engine's machine powered
//! off, a NAT or firewall that forgot the flow) is half-open: no reset ever comes, and a
//! stream without an idle timeout (logs with `follow`, events, `wait`) would wait on it
//! forever, as would a pooled connection's next request until its deadline. Keepalive
//! probes find it: after [`IDLE`] without traffic, a probe every [`INTERVAL`], and after
//! [`PROBES`] unanswered the kernel fails the read with an error. std cannot set these
//! times, hence `socket2` (the one crate that sets them portably, under std's own
//! `TcpStream`).

use std::io;
use std::net::TcpStream;
use std::time::Duration;

use socket2::{SockRef, TcpKeepalive};

/// Silence before the first probe (the docker CLI's dialer uses 30 s too).
pub(crate) const IDLE: Duration = Duration::from_secs(30);
/// Between probes.
pub(crate) const INTERVAL: Duration = Duration::from_secs(10);
/// Unanswered probes before the connection is declared dead: about a minute in all.
pub(crate) const PROBES: u32 = 3;

/// Turns keepalive on for `sock`, with the times above where the system lets us set them.
pub(crate) fn enable(sock: &TcpStream) -> io::Result<()> {
    let params = TcpKeepalive::new().with_time(IDLE);
    #[cfg(any(
        target_os = "android",
        target_os = "freebsd",
        target_os = "ios",
        target_os = "linux",
        target_os = "macos",
        target_os = "netbsd",
        target_os = "windows",
    ))]
    let params = params.with_interval(INTERVAL).with_retries(PROBES);
    SockRef::from(sock).set_tcp_keepalive(&params)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::net::TcpListener;

    use super::*;
    use crate::transport::{Endpoint, RawStream, Socket};

    /// The keepalive settings of the socket under `stream`, read back with getsockopt.
    fn keepalive_of(stream: &RawStream) -> (bool, Duration, Duration, u32) {
        let Socket::Tcp(sock) = &*stream.socket else {
            panic!("not a TCP socket");
        };
        let sock = SockRef::from(sock);
        (
            sock.keepalive().unwrap(),
            sock.tcp_keepalive_time().unwrap(),
            sock.tcp_keepalive_interval().unwrap(),
            sock.tcp_keepalive_retries().unwrap(),
        )
    }

    const WANTED: (bool, Duration, Duration, u32) = (true, IDLE, INTERVAL, PROBES);

    #[test]
    fn tcp_connections_have_keepalive() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let endpoint = Endpoint::Tcp {
            host: "127.0.0.1".into(),
            port,
        };
        let stream = endpoint.connect(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(keepalive_of(&stream), WANTED);
        // what std's own connect gives, for contrast: no keepalive
        let plain = TcpStream::connect(("127.0.0.1", port)).unwrap();
        assert!(!SockRef::from(&plain).keepalive().unwrap());
    }

    #[cfg(feature = "tls")]
    #[test]
    fn tls_connections_have_keepalive() {
        use std::io::{Read, Write};
        use std::sync::Arc;
        use std::thread;

        use rustls::{ServerConfig, ServerConnection, StreamOwned};
        use rustls_pki_types::pem::PemObject;
        use rustls_pki_types::{CertificateDer, PrivateKeyDer};

        let cert = include_bytes!("../../tests/fixtures/self-signed-cert.pem");
        let key = include_bytes!("../../tests/fixtures/self-signed-key.pem");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from_pem_slice(cert).unwrap()],
                PrivateKeyDer::from_pem_slice(key).unwrap(),
            )
            .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = thread::spawn(move || {
            let (sock, _) = listener.accept().unwrap();
            let conn = ServerConnection::new(Arc::new(server)).unwrap();
            let mut tls = StreamOwned::new(conn, sock);
            let mut byte = [0; 1];
            tls.read_exact(&mut byte).unwrap();
            byte[0]
        });

        let settings = crate::Settings::from_pairs([
            ("DOCKER_URL", format!("tcp://127.0.0.1:{port}").as_str()),
            ("DOCKER_TLS", "True"),
            ("DOCKER_TLS_VERIFY", "False"),
        ])
        .unwrap();
        let endpoint = Endpoint::Tls {
            host: "127.0.0.1".into(),
            port,
            server_name: crate::transport::tls::server_name("127.0.0.1").unwrap(),
            config: crate::transport::tls::client_config(&settings).unwrap(),
        };
        let mut stream = endpoint.connect(Some(Duration::from_secs(5))).unwrap();
        assert!(stream.tls.is_some(), "the handshake was made");
        assert_eq!(keepalive_of(&stream), WANTED);
        stream.write_all(b"k").unwrap();
        assert_eq!(served.join().unwrap(), b'k');
    }
}
