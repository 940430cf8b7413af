//! Where a container's port is published on the host, as an address to connect to:
//! [`Container::host_port`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use super::{Container, ContainerInspect, PortBinding};
use crate::error::{Error, Result};
use crate::settings::{Host, Settings};

/// The protocol of a container port, as in `80/tcp` or `53/udp`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PortProtocol {
    /// TCP (the default).
    #[default]
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl PortProtocol {
    /// The engine's name for it: `tcp`, `udp` or `sctp`.
    pub fn as_str(self) -> &'static str {
        match self {
            PortProtocol::Tcp => "tcp",
            PortProtocol::Udp => "udp",
            PortProtocol::Sctp => "sctp",
        }
    }
}

impl Container {
    /// The host address where the container's TCP port `port` is published, ready to
    /// connect to: `docker port CONTAINER PORT`, as a [`SocketAddr`].
    ///
    /// A port published on every interface (`0.0.0.0`, Podman's empty address, or `::`)
    /// is given as the engine's own host: the loopback address (`127.0.0.1`, or `::1` for a
    /// port published on IPv6 alone) for an engine on a unix socket or on `localhost`, else
    /// the address of the host in `DOCKER_HOST` (`tcp://`, `ssh://`; a name is resolved).
    /// A port published on one address is given with that address. With bindings on both
    /// IPv4 and IPv6, IPv4 is preferred.
    ///
    /// An engine in a virtual machine or in another network namespace may publish its ports
    /// where the loopback address does not reach them: there, dial the host that reaches
    /// the engine's network with the port of this address (see
    /// [`WaitFor::dial_host`](super::WaitFor::dial_host) for readiness checks).
    ///
    /// A port that is not published, or a container that does not run (it has no
    /// published ports then), is [`Error::PortNotPublished`], naming the port.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use dockhand::{ContainerConfig, Docker, HostConfig};
    /// use dockhand::container::PortBinding;
    /// let docker = Docker::from_env()?;
    /// let config = ContainerConfig::new("redis").expose("6379").host_config(
    ///     HostConfig::new().publish("6379", PortBinding::new("127.0.0.1", "")),
    /// );
    /// let redis = docker.containers().create_guarded(&config)?;
    /// redis.start()?;
    /// let address = redis.host_port(6379)?; // 127.0.0.1:<a free port the engine chose>
    /// let stream = std::net::TcpStream::connect(address)?;
    /// # Ok(()) }
    /// ```
    pub fn host_port(&self, port: u16) -> Result<SocketAddr> {
        self.host_port_for(port, PortProtocol::Tcp)
    }

    /// The host address where the container's port `port` of `protocol` is published: as
    /// [`host_port`](Self::host_port), for `53/udp` and the like.
    pub fn host_port_for(&self, port: u16, protocol: PortProtocol) -> Result<SocketAddr> {
        let inspect = self.inspect()?;
        published_address(
            self.docker().settings(),
            self.id(),
            &inspect,
            port,
            protocol,
        )
    }
}

/// The address to connect to for `port`/`protocol` of an inspected container.
pub(super) fn published_address(
    settings: &Settings,
    name: &str,
    inspect: &ContainerInspect,
    port: u16,
    protocol: PortProtocol,
) -> Result<SocketAddr> {
    let key = format!("{port}/{}", protocol.as_str());
    let ports = &inspect.network_settings.ports;
    let not_published = || {
        let mut published: Vec<String> = ports
            .iter()
            .filter(|(_, b)| b.as_ref().is_some_and(|b| !b.is_empty()))
            .map(|(k, _)| k.clone())
            .collect();
        published.sort();
        Error::PortNotPublished {
            container: name.to_string(),
            port: key.clone(),
            published,
            running: inspect.state.running,
        }
    };
    let bindings = match ports.get(&key) {
        Some(Some(bindings)) if !bindings.is_empty() => bindings,
        _ => return Err(not_published()),
    };
    let mut engine = EngineHost::Unknown(settings);
    choose(bindings, &mut engine)?.ok_or_else(not_published)
}

/// Where the engine runs, found when a wildcard binding needs it.
enum EngineHost<'a> {
    Unknown(&'a Settings),
    Local,
    Remote(Vec<IpAddr>),
}

impl EngineHost<'_> {
    /// The address standing for "every interface" of `family` (`v6` or not).
    fn address(&mut self, v6: bool) -> Result<IpAddr> {
        if let EngineHost::Unknown(settings) = self {
            *self = EngineHost::find(settings)?;
        }
        Ok(match self {
            EngineHost::Remote(addresses) => addresses
                .iter()
                .find(|a| a.is_ipv6() == v6)
                .or(addresses.first())
                .copied()
                .unwrap_or(loopback(v6)),
            _ => loopback(v6),
        })
    }

    fn find(settings: &Settings) -> Result<EngineHost<'static>> {
        let host = match &settings.host {
            Host::Tcp { host, .. } | Host::Ssh { host, .. } => host,
            _ => return Ok(EngineHost::Local),
        };
        if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
            return Ok(EngineHost::Local);
        }
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(if ip.is_loopback() || ip.is_unspecified() {
                EngineHost::Local
            } else {
                EngineHost::Remote(vec![ip])
            });
        }
        let resolved = (host.as_str(), 0)
            .to_socket_addrs()
            .map_err(|source| Error::Transport {
                context: format!(
                    "resolving the engine's host {host}, where its containers' ports are published"
                ),
                source,
            })?;
        let addresses: Vec<IpAddr> = resolved.map(|a| a.ip()).collect();
        Ok(if addresses.iter().all(IpAddr::is_loopback) {
            EngineHost::Local
        } else {
            EngineHost::Remote(addresses)
        })
    }
}

fn loopback(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    }
}

/// What a binding's `HostIp` says.
enum Bound {
    /// Every interface of a family (`v6` or not).
    Every {
        v6: bool,
    },
    One(IpAddr),
}

fn bound(binding: &PortBinding) -> Option<(Bound, u16)> {
    let port = binding.host_port.trim().parse::<u16>().ok()?;
    let ip = binding.host_ip.trim();
    let ip = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    let bound = match ip {
        "" => Bound::Every { v6: false },
        ip => match ip.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) if v4.is_unspecified() => Bound::Every { v6: false },
            IpAddr::V6(v6) if v6.is_unspecified() => Bound::Every { v6: true },
            ip => Bound::One(ip),
        },
    };
    Some((bound, port))
}

/// The address to connect to among `bindings`: the first IPv4 one, else the first IPv6
/// one; `None` when no binding has a usable address and port.
fn choose(bindings: &[PortBinding], engine: &mut EngineHost) -> Result<Option<SocketAddr>> {
    let parsed: Vec<_> = bindings.iter().filter_map(bound).collect();
    let is_v6 = |b: &Bound| match b {
        Bound::Every { v6 } => *v6,
        Bound::One(ip) => ip.is_ipv6(),
    };
    let Some((bound, port)) = parsed
        .iter()
        .find(|(b, _)| !is_v6(b))
        .or_else(|| parsed.first())
    else {
        return Ok(None);
    };
    let ip = match bound {
        Bound::One(ip) => *ip,
        Bound::Every { v6 } => engine.address(*v6)?,
    };
    Ok(Some(SocketAddr::new(ip, *port)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(bindings: &[(&str, &str)], settings: &Settings) -> Option<String> {
        let bindings: Vec<_> = bindings
            .iter()
            .map(|(ip, port)| PortBinding::new(ip, port))
            .collect();
        choose(&bindings, &mut EngineHost::Unknown(settings))
            .unwrap()
            .map(|a| a.to_string())
    }

    fn local() -> Settings {
        Settings::new("unix:///var/run/docker.sock").unwrap()
    }

    #[test]
    fn every_interface_is_the_loopback_address_of_a_local_engine() {
        let s = local();
        // Docker: IPv4 and IPv6, maybe on different ports; IPv4 wins.
        assert_eq!(
            pick(&[("::", "49154"), ("0.0.0.0", "49153")], &s).unwrap(),
            "127.0.0.1:49153"
        );
        // Podman: an empty address.
        assert_eq!(pick(&[("", "8080")], &s).unwrap(), "127.0.0.1:8080");
        // An engine that publishes on IPv6 alone.
        assert_eq!(pick(&[("::", "8080")], &s).unwrap(), "[::1]:8080");
        assert_eq!(pick(&[("[::]", "8080")], &s).unwrap(), "[::1]:8080");
        for url in [
            "tcp://localhost:2375",
            "tcp://127.0.0.1:2375",
            "tcp://[::1]:2375",
        ] {
            let s = Settings::new(url).unwrap();
            assert_eq!(pick(&[("0.0.0.0", "1")], &s).unwrap(), "127.0.0.1:1");
        }
    }

    #[test]
    fn one_address_is_kept_as_it_is() {
        let s = local();
        assert_eq!(
            pick(&[("127.0.0.1", "8080")], &s).unwrap(),
            "127.0.0.1:8080"
        );
        assert_eq!(
            pick(&[("::1", "8080"), ("10.0.0.5", "8081")], &s).unwrap(),
            "10.0.0.5:8081"
        );
        assert_eq!(pick(&[("fd00::7", "9")], &s).unwrap(), "[fd00::7]:9");
    }

    #[test]
    fn a_remote_engine_publishes_on_its_own_host() {
        let s = Settings::new("tcp://192.0.2.10:2376").unwrap();
        assert_eq!(pick(&[("0.0.0.0", "80")], &s).unwrap(), "192.0.2.10:80");
        assert_eq!(pick(&[("127.0.0.1", "80")], &s).unwrap(), "127.0.0.1:80");
        let s = Settings::new("ssh://me@[2001:db8::1]").unwrap();
        assert_eq!(pick(&[("::", "80")], &s).unwrap(), "[2001:db8::1]:80");
        // An IPv4 wildcard on an engine known by an IPv6 address alone.
        assert_eq!(pick(&[("0.0.0.0", "80")], &s).unwrap(), "[2001:db8::1]:80");
    }

    #[test]
    fn bindings_without_a_usable_port_or_address_are_skipped() {
        let s = local();
        assert_eq!(pick(&[], &s), None);
        assert_eq!(pick(&[("0.0.0.0", "")], &s), None);
        assert_eq!(
            pick(&[("not-an-ip", "1"), ("0.0.0.0", "x"), ("::", "7")], &s).unwrap(),
            "[::1]:7"
        );
    }

    #[test]
    fn an_unpublished_port_is_an_error_naming_it_and_what_is_published() {
        let inspect: ContainerInspect = serde_json::from_value(serde_json::json!({
            "State": {"Running": true},
            "NetworkSettings": {"Ports": {
                "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}],
                "443/tcp": null,
                "53/udp": []
            }}
        }))
        .unwrap();
        let s = local();
        let got = published_address(&s, "web", &inspect, 80, PortProtocol::Tcp).unwrap();
        assert_eq!(got.to_string(), "127.0.0.1:8080");
        for (port, protocol) in [
            (443, PortProtocol::Tcp),
            (53, PortProtocol::Udp),
            (80, PortProtocol::Udp),
        ] {
            let err = published_address(&s, "web", &inspect, port, protocol).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains(&format!("{port}/{}", protocol.as_str())),
                "{text}"
            );
            assert!(text.contains("web") && text.contains("80/tcp"), "{text}");
        }
    }
}
