//! A relay from the host's loopback into a matrix engine's network namespace, for tests
//! that dial a published port: there it is bound inside the namespace.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A relay from the host's loopback into an engine's network namespace (two socat
/// processes, ended by pid when dropped).
pub struct Relay {
    children: Vec<Child>,
    socket: PathBuf,
    /// Where the host dials to reach the port inside the namespace.
    pub address: SocketAddr,
}

impl Relay {
    /// Relays a free port on the host's 127.0.0.1 to `port` on 127.0.0.1 inside the network
    /// namespace of the process `namespace_pid`.
    pub fn new(namespace_pid: &str, port: u16) -> Relay {
        let socket =
            std::env::temp_dir().join(format!("dockhand-relay-{}-{port}.sock", std::process::id()));
        let free = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = free.local_addr().unwrap();
        drop(free);
        let spawn = |program: &str, args: &[String]| {
            Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                // Each check that finds nothing listening makes socat complain.
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("{program}: {e} (the relay needs socat and nsenter)"))
        };
        let inner = spawn(
            "nsenter",
            &[
                "-t".into(),
                namespace_pid.into(),
                "-n".into(),
                "socat".into(),
                format!("UNIX-LISTEN:{},fork,unlink-early", socket.display()),
                format!("TCP:127.0.0.1:{port}"),
            ],
        );
        let outer = spawn(
            "socat",
            &[
                format!(
                    "TCP-LISTEN:{},bind=127.0.0.1,fork,reuseaddr",
                    address.port()
                ),
                format!("UNIX-CONNECT:{}", socket.display()),
            ],
        );
        let relay = Relay {
            children: vec![inner, outer],
            socket,
            address,
        };
        super::wait_for("the relay to listen", Duration::from_secs(10), || {
            (relay.socket.exists() && TcpStream::connect(address).is_ok()).then_some(())
        });
        relay
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.socket);
    }
}
