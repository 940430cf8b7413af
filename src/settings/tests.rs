use std::fmt;

use super::parse::split_cert_pair;
use super::*;

const URL: (&str, &str) = ("DOCKER_URL", "tcp://10.0.0.5:2376");

fn pairs(extra: &[(&str, &str)]) -> Result<Settings> {
    Settings::from_pairs(std::iter::once(URL).chain(extra.iter().copied()))
}

/// Asserts that `result` is a setting error whose message holds every one of `words`.
#[track_caller]
pub(super) fn assert_err<T: fmt::Debug>(result: Result<T>, words: &[&str]) {
    match result {
        Err(err @ Error::Setting { .. }) => {
            let text = err.to_string();
            for word in words {
                assert!(text.contains(word), "{word:?} not in: {text}");
            }
        }
        other => panic!("expected a setting error with {words:?}, got {other:?}"),
    }
}

#[test]
fn api_versions() {
    let good = [
        ("1.41", 41),
        ("v1.41", 41),
        ("V1.24", 24),
        (" 1.47 ", 47),
        ("1.16", 16),
        ("1.0", 0),
        ("1.100", 100),
    ];
    for (input, minor) in good {
        let v = ApiVersion::parse(input).unwrap();
        assert_eq!(v, ApiVersion::new(1, minor), "{input}");
        assert_eq!(input.parse::<ApiVersion>().unwrap(), v);
        assert_eq!(v.to_string().parse::<ApiVersion>().unwrap(), v);
    }
    assert_eq!(ApiVersion::parse("v1.41").unwrap().to_string(), "1.41");
    let bad = [
        "", "1", "1.", ".41", "1.x", "2.0", "0.9", "01.41", "1.041", "1.41.0", "v", "vv1.41",
        "1.99999", "-1.2", "+1.2", "1.4 1", "auto", "１.41",
    ];
    for input in bad {
        assert_err(ApiVersion::parse(input), &["DOCKER_VERSION", "1.41"]);
    }
    assert_err(ApiVersion::parse("2.0"), &["only 1.x"]);
    assert!(ApiVersion::OLDEST < ApiVersion::NEWEST);
    assert_eq!(ApiVersion::OLDEST.to_string(), "1.24");
    assert_eq!(ApiVersion::NEWEST.to_string(), "1.51");
    assert!(ApiVersion::new(1, 9) < ApiVersion::new(1, 10));
}

#[test]
fn tls_versions() {
    use TlsVersion::{Tls12, Tls13};
    let good: &[(&str, Option<TlsVersion>)] = &[
        ("TLSv1_2", Some(Tls12)),
        ("TLSv1.2", Some(Tls12)),
        ("PROTOCOL_TLSv1_2", Some(Tls12)),
        ("ssl.PROTOCOL_TLSv1_2", Some(Tls12)),
        ("1.2", Some(Tls12)),
        ("tlsv1_2", Some(Tls12)),
        ("TLS1.2", Some(Tls12)),
        ("TLSv1_3", Some(Tls13)),
        ("tlsv1.3", Some(Tls13)),
        ("protocol_tlsv1_3", Some(Tls13)),
        ("1.3", Some(Tls13)),
        ("1_3", Some(Tls13)),
        ("PROTOCOL_TLS", None),
        ("PROTOCOL_TLS_CLIENT", None),
        ("PROTOCOL_SSLv23", None),
        ("None", None),
        ("none", None),
        ("", None),
        ("  ", None),
    ];
    for (input, want) in good {
        assert_eq!(TlsVersion::parse(input).unwrap(), *want, "{input}");
    }
    for v in [Tls12, Tls13] {
        assert_eq!(TlsVersion::parse(&v.to_string()).unwrap(), Some(v));
    }
    let refused = [
        "SSLv2",
        "SSLv3",
        "TLSv1",
        "TLSv1_1",
        "tlsv1.1",
        "PROTOCOL_SSLv2",
        "PROTOCOL_SSLv3",
        "PROTOCOL_TLSv1",
        "PROTOCOL_TLSv1_1",
        "1.0",
        "1.1",
    ];
    for input in refused {
        assert_err(
            TlsVersion::parse(input),
            &["DOCKER_TLS_SSL_VERSION", "rustls", "1.2 and 1.3"],
        );
    }
    for input in ["TLSv1_4", "PROTOCOL_TLS_SERVER", "tls 1.2", "1.2.3", "yes"] {
        assert_err(
            TlsVersion::parse(input),
            &["DOCKER_TLS_SSL_VERSION", "TLSv1_2"],
        );
    }
}

#[test]
fn new_has_the_defaults() {
    let s = Settings::new("unix://").unwrap();
    assert_eq!(s.host, Host::Unix(PathBuf::from(DEFAULT_SOCKET)));
    assert_eq!(s.version, None);
    assert_eq!(s.timeout, Duration::from_secs(30));
    assert!(!s.tls && s.tls_verify && s.tls_assert_hostname);
    assert_eq!(s.tls_ssl_version, None);
    assert_eq!(
        (s.tls_client_cert.clone(), s.tls_ca_cert.clone()),
        (None, None)
    );
    assert_eq!(s.tls_cert_path, None);
    assert_eq!((s.ca_cert(), s.client_cert()), (None, None));
    assert_eq!(
        Settings::from_pairs([("DOCKER_URL", "unix://")]).unwrap(),
        s
    );
    assert_err(Settings::new("ftp://x"), &["DOCKER_URL", "ftp"]);
}

#[test]
fn builder_sets_every_field() {
    let s = Settings::new("tcp://h:2376")
        .unwrap()
        .with_version(ApiVersion::new(1, 41))
        .with_timeout(Duration::from_millis(2500))
        .with_tls(true)
        .with_tls_verify(false)
        .with_tls_ssl_version(Some(TlsVersion::Tls13))
        .with_tls_assert_hostname(false)
        .with_tls_client_cert("/c.pem", "/k.pem")
        .with_tls_ca_cert("/ca.pem")
        .with_tls_cert_path("/certs");
    assert_eq!(s.version, Some(ApiVersion::new(1, 41)));
    assert_eq!(s.timeout, Duration::from_millis(2500));
    assert!(s.tls && !s.tls_verify && !s.tls_assert_hostname);
    assert_eq!(s.tls_ssl_version, Some(TlsVersion::Tls13));
    assert_eq!(s.client_cert(), Some(("/c.pem".into(), "/k.pem".into())));
    assert_eq!(s.ca_cert(), Some("/ca.pem".into()));
    assert_eq!(s.tls_cert_path, Some("/certs".into()));
    assert_eq!(s.clone().with_auto_version().version, None);
    assert!(s.check().is_ok());
}

#[test]
fn every_key_good_values() {
    type Check = fn(&Settings) -> bool;
    let cases: &[(&str, &str, Check)] = &[
        ("DOCKER_VERSION", "1.41", |s| {
            s.version == Some(ApiVersion::new(1, 41))
        }),
        ("DOCKER_VERSION", "v1.44", |s| {
            s.version == Some(ApiVersion::new(1, 44))
        }),
        ("DOCKER_VERSION", "auto", |s| s.version.is_none()),
        ("DOCKER_VERSION", "AUTO", |s| s.version.is_none()),
        ("DOCKER_TIMEOUT", "30", |s| {
            s.timeout == Duration::from_secs(30)
        }),
        ("DOCKER_TIMEOUT", "2.5", |s| {
            s.timeout == Duration::from_millis(2500)
        }),
        ("DOCKER_TIMEOUT", "0.5", |s| {
            s.timeout == Duration::from_millis(500)
        }),
        ("DOCKER_TIMEOUT", ".25", |s| {
            s.timeout == Duration::from_millis(250)
        }),
        ("DOCKER_TIMEOUT", "10.", |s| {
            s.timeout == Duration::from_secs(10)
        }),
        ("DOCKER_TIMEOUT", " 7 ", |s| {
            s.timeout == Duration::from_secs(7)
        }),
        ("DOCKER_TIMEOUT", "0030", |s| {
            s.timeout == Duration::from_secs(30)
        }),
        ("DOCKER_TLS", "True", |s| s.tls),
        ("DOCKER_TLS", "true", |s| s.tls),
        ("DOCKER_TLS", "1", |s| s.tls),
        ("DOCKER_TLS", "YES", |s| s.tls),
        ("DOCKER_TLS", "on", |s| s.tls),
        ("DOCKER_TLS", "False", |s| !s.tls),
        ("DOCKER_TLS", "0", |s| !s.tls),
        ("DOCKER_TLS", "no", |s| !s.tls),
        ("DOCKER_TLS", "Off", |s| !s.tls),
        ("DOCKER_TLS_VERIFY", "False", |s| !s.tls_verify),
        ("DOCKER_TLS_VERIFY", "true", |s| s.tls_verify),
        ("DOCKER_TLS_SSL_VERSION", "TLSv1_2", |s| {
            s.tls_ssl_version == Some(TlsVersion::Tls12)
        }),
        ("DOCKER_TLS_SSL_VERSION", "PROTOCOL_TLSv1_3", |s| {
            s.tls_ssl_version == Some(TlsVersion::Tls13)
        }),
        ("DOCKER_TLS_SSL_VERSION", "None", |s| {
            s.tls_ssl_version.is_none()
        }),
        ("DOCKER_TLS_SSL_VERSION", "", |s| {
            s.tls_ssl_version.is_none()
        }),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "False", |s| {
            !s.tls_assert_hostname
        }),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "off", |s| {
            !s.tls_assert_hostname
        }),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "True", |s| {
            s.tls_assert_hostname
        }),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "None", |s| {
            s.tls_assert_hostname
        }),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "", |s| s.tls_assert_hostname),
        ("DOCKER_TLS_CLIENT_CERT", "/a/cert.pem:/a/key.pem", |s| {
            s.tls_client_cert == Some(("/a/cert.pem".into(), "/a/key.pem".into()))
        }),
        ("DOCKER_TLS_CLIENT_CERT", "None", |s| {
            s.tls_client_cert.is_none()
        }),
        ("DOCKER_TLS_CLIENT_CERT", "", |s| {
            s.tls_client_cert.is_none()
        }),
        ("DOCKER_TLS_CA_CERT", "/a/ca.pem", |s| {
            s.tls_ca_cert == Some("/a/ca.pem".into())
        }),
        ("DOCKER_TLS_CA_CERT", "none", |s| s.tls_ca_cert.is_none()),
        ("DOCKER_TLS_CA_CERT", "", |s| s.tls_ca_cert.is_none()),
        ("DOCKER_TLS_CERT_PATH", "/certs", |s| {
            s.tls_cert_path == Some("/certs".into())
        }),
        ("DOCKER_TLS_CERT_PATH", "None", |s| {
            s.tls_cert_path.is_none()
        }),
        ("DOCKER_TLS_CERT_PATH", " ", |s| s.tls_cert_path.is_none()),
    ];
    for (key, value, check) in cases {
        let s = pairs(&[(key, value)]).unwrap_or_else(|e| panic!("{key}={value:?}: {e}"));
        assert!(check(&s), "{key}={value:?}: {s:?}");
    }
}

#[test]
fn every_key_bad_values() {
    let cases: &[(&str, &str, &str)] = &[
        ("DOCKER_VERSION", "", "auto"),
        ("DOCKER_VERSION", "None", "auto"),
        ("DOCKER_VERSION", "1", "1.41"),
        ("DOCKER_VERSION", "1.x", "1.41"),
        ("DOCKER_VERSION", "2.0", "only 1.x"),
        ("DOCKER_VERSION", "latest", "1.41"),
        ("DOCKER_TIMEOUT", "0", "greater than 0"),
        ("DOCKER_TIMEOUT", "0.0", "greater than 0"),
        ("DOCKER_TIMEOUT", "0.0000000001", "greater than 0"),
        ("DOCKER_TIMEOUT", "18446744073709549568", "at most 604800"),
        ("DOCKER_TIMEOUT", "604801", "at most 604800"),
        ("DOCKER_TIMEOUT", "-1", "greater than 0"),
        ("DOCKER_TIMEOUT", "+5", "greater than 0"),
        ("DOCKER_TIMEOUT", "NaN", "2.5"),
        ("DOCKER_TIMEOUT", "inf", "2.5"),
        ("DOCKER_TIMEOUT", "1e3", "2.5"),
        ("DOCKER_TIMEOUT", "thirty", "2.5"),
        ("DOCKER_TIMEOUT", "30s", "2.5"),
        ("DOCKER_TIMEOUT", "", "2.5"),
        ("DOCKER_TIMEOUT", ".", "2.5"),
        ("DOCKER_TIMEOUT", "1.2.3", "2.5"),
        ("DOCKER_TIMEOUT", "1 000", "2.5"),
        ("DOCKER_TIMEOUT", "99999999999999999999999999999", "2.5"),
        ("DOCKER_TLS", "", "True or False"),
        ("DOCKER_TLS", "None", "True or False"),
        ("DOCKER_TLS", "enabled", "True or False"),
        ("DOCKER_TLS", "2", "True or False"),
        ("DOCKER_TLS_VERIFY", "maybe", "True or False"),
        ("DOCKER_TLS_VERIFY", "", "True or False"),
        ("DOCKER_TLS_SSL_VERSION", "TLSv1", "rustls"),
        ("DOCKER_TLS_SSL_VERSION", "PROTOCOL_SSLv3", "rustls"),
        ("DOCKER_TLS_SSL_VERSION", "TLSv2", "TLSv1_2"),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "nope", "True or False"),
        ("DOCKER_TLS_CLIENT_CERT", "/a/cert.pem", "colon"),
        ("DOCKER_TLS_CLIENT_CERT", "/a/cert.pem:", "colon"),
        ("DOCKER_TLS_CLIENT_CERT", ":/a/key.pem", "colon"),
        ("DOCKER_TLS_CLIENT_CERT", "/a:/b:/c", "colon"),
        ("DOCKER_TLS_CLIENT_CERT", ":", "colon"),
    ];
    for (key, value, word) in cases {
        assert_err(pairs(&[(key, value)]), &[key, &format!("{value:?}"), word]);
    }
}

#[test]
fn docker_url_is_required() {
    let none: [(&str, &str); 0] = [];
    assert_err(
        Settings::from_pairs(none),
        &["DOCKER_URL", "required", "unix:///var/run/docker.sock"],
    );
    for value in ["", "  ", "None"] {
        assert_err(
            Settings::from_pairs([("DOCKER_URL", value)]),
            &["DOCKER_URL", "required"],
        );
    }
    assert_err(
        Settings::from_pairs([("DOCKER_HOST", "unix://"), ("docker_url", "unix://")]),
        &["DOCKER_URL", "required"],
    );
    assert_err(
        Settings::from_pairs([("DOCKER_URL", "tcp://h:0")]),
        &["DOCKER_URL", "65535"],
    );
}

#[test]
fn other_keys_are_ignored_and_the_last_value_wins() {
    let s = Settings::from_pairs(vec![
        ("SECRET_KEY".to_string(), "x:y:z".to_string()),
        ("DEBUG".to_string(), "maybe".to_string()),
        ("DOCKER_HOST".to_string(), "nonsense://".to_string()),
        ("DOCKER_URL".to_string(), "ftp://first".to_string()),
        ("DOCKER_URL".to_string(), "unix:///tmp/d.sock".to_string()),
    ])
    .unwrap();
    assert_eq!(s.host, Host::Unix("/tmp/d.sock".into()));
}

#[test]
fn client_cert_pairs() {
    let good = [
        ("/a/cert.pem:/a/key.pem", "/a/cert.pem", "/a/key.pem"),
        ("cert.pem:key.pem", "cert.pem", "key.pem"),
        (
            r"C:\a\cert.pem:C:\a\key.pem",
            r"C:\a\cert.pem",
            r"C:\a\key.pem",
        ),
        ("C:/x:D:/y", "C:/x", "D:/y"),
        (r"c:\x.pem:/unix/key.pem", r"c:\x.pem", "/unix/key.pem"),
        (
            r"/unix/cert.pem:d:\key.pem",
            "/unix/cert.pem",
            r"d:\key.pem",
        ),
        (" /a/c.pem : /a/k.pem ", "/a/c.pem", "/a/k.pem"),
        ("a:b", "a", "b"),
    ];
    for (input, cert, key) in good {
        assert_eq!(split_cert_pair(input), Some((cert, key)), "{input}");
        let s = pairs(&[("DOCKER_TLS_CLIENT_CERT", input)]).unwrap();
        assert_eq!(s.client_cert(), Some((cert.into(), key.into())), "{input}");
    }
    for input in [
        "",
        ":",
        "a",
        "a:",
        ":b",
        "a:b:c",
        r"C:\only.pem",
        "C:/x:",
        "C:",
        "C:/x:D:/y:E:/z",
        "é:::",
    ] {
        assert_eq!(split_cert_pair(input), None, "{input}");
    }
}

#[test]
fn cert_path_fills_only_unset_files() {
    let base = [("DOCKER_TLS", "True"), ("DOCKER_TLS_CERT_PATH", "/certs")];
    let s = pairs(&base).unwrap();
    assert_eq!(s.ca_cert(), Some("/certs/ca.pem".into()));
    assert_eq!(
        s.client_cert(),
        Some(("/certs/cert.pem".into(), "/certs/key.pem".into()))
    );
    // The stored keys stay as given: only the effective files are filled.
    assert_eq!(
        (s.tls_ca_cert.clone(), s.tls_client_cert.clone()),
        (None, None)
    );

    let s = pairs(&[base[0], base[1], ("DOCKER_TLS_CA_CERT", "/mine/ca.pem")]).unwrap();
    assert_eq!(s.ca_cert(), Some("/mine/ca.pem".into()));
    assert_eq!(
        s.client_cert(),
        Some(("/certs/cert.pem".into(), "/certs/key.pem".into()))
    );

    let s = pairs(&[
        base[0],
        base[1],
        ("DOCKER_TLS_CLIENT_CERT", "/m/c.pem:/m/k.pem"),
    ])
    .unwrap();
    assert_eq!(s.ca_cert(), Some("/certs/ca.pem".into()));
    assert_eq!(
        s.client_cert(),
        Some(("/m/c.pem".into(), "/m/k.pem".into()))
    );

    // Order of the keys does not matter.
    let s = Settings::from_pairs([
        ("DOCKER_TLS_CA_CERT", "/mine/ca.pem"),
        ("DOCKER_TLS_CERT_PATH", "/certs"),
        ("DOCKER_URL", "https://h"),
    ])
    .unwrap();
    assert_eq!(s.ca_cert(), Some("/mine/ca.pem".into()));
}

#[test]
fn tls_and_ports_by_scheme() {
    let cases = [
        ("tcp://h", false, false, Some(2375)),
        ("tcp://h", true, true, Some(2376)),
        ("tcp://h:1234", true, true, Some(1234)),
        ("h:2375", false, false, Some(2375)),
        ("https://h", false, true, Some(2376)),
        ("https://h", true, true, Some(2376)),
        ("http://h", false, false, Some(2375)),
        ("unix://", true, false, None),
        ("ssh://u@h", true, false, None),
    ];
    for (url, tls, uses, port) in cases {
        let s = Settings::new(url).unwrap().with_tls(tls);
        assert_eq!(s.uses_tls(), uses, "{url} tls={tls}");
        assert_eq!(s.tcp_port(), port, "{url} tls={tls}");
    }
}

#[test]
fn check_refuses_tls_over_http_only() {
    let s = Settings::new("http://h:2375").unwrap().with_tls(true);
    assert_err(
        s.check(),
        &["DOCKER_TLS", "http://h:2375", "https://", "tcp://"],
    );
    assert_err(
        Settings::from_pairs([("DOCKER_URL", "http://h"), ("DOCKER_TLS", "True")]),
        &["https://"],
    );
    // TLS options without TLS are ignored, as docker-py does.
    let s = pairs(&[
        ("DOCKER_TLS", "False"),
        ("DOCKER_TLS_CA_CERT", "/ca.pem"),
        ("DOCKER_TLS_CLIENT_CERT", "/c:/k"),
        ("DOCKER_TLS_SSL_VERSION", "TLSv1_2"),
    ])
    .unwrap();
    assert!(!s.uses_tls());
    for url in ["https://h", "tcp://h", "unix://", "ssh://h"] {
        assert!(
            Settings::new(url).unwrap().with_tls(true).check().is_ok(),
            "{url}"
        );
    }
    assert!(Settings::new("http://h").unwrap().check().is_ok());
}

/// A folder of its own under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "dockhand-settings-{tag}-{}-{nanos}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The config of the seed's "Using with Boot2docker", verbatim.
const BOOT2DOCKER: &str = r#"DOCKER_URL="https://192.168.59.103:2376"
DOCKER_VERSION="1.16"
DOCKER_TLS=True
DOCKER_TLS_CERT_PATH="/Users/yo/.boot2docker/certs/boot2docker-vm"
DOCKER_TLS_ASSERT_HOSTNAME=False
"#;

#[test]
fn the_seeds_boot2docker_file() {
    let dir = TempDir::new("seed");
    let path = dir.write("config", BOOT2DOCKER);
    let s = Settings::from_file(&path).unwrap();
    assert_eq!(
        s.host,
        Host::Tcp {
            scheme: TcpScheme::Https,
            host: "192.168.59.103".into(),
            port: Some(2376),
            base_path: String::new(),
        }
    );
    assert_eq!(s.version, Some(ApiVersion::new(1, 16)));
    assert!(s.tls && s.tls_verify && !s.tls_assert_hostname && s.uses_tls());
    assert_eq!(s.timeout, Duration::from_secs(30));
    let certs = PathBuf::from("/Users/yo/.boot2docker/certs/boot2docker-vm");
    assert_eq!(s.tls_cert_path, Some(certs.clone()));
    assert_eq!(s.ca_cert(), Some(certs.join("ca.pem")));
    assert_eq!(
        s.client_cert(),
        Some((certs.join("cert.pem"), certs.join("key.pem")))
    );
    // from_pairs of the same values gives the same settings.
    let same = Settings::from_pairs([
        ("DOCKER_URL", "https://192.168.59.103:2376"),
        ("DOCKER_VERSION", "1.16"),
        ("DOCKER_TLS", "True"),
        (
            "DOCKER_TLS_CERT_PATH",
            "/Users/yo/.boot2docker/certs/boot2docker-vm",
        ),
        ("DOCKER_TLS_ASSERT_HOSTNAME", "False"),
    ])
    .unwrap();
    assert_eq!(s, same);
}

#[test]
fn config_file_syntax() {
    let text = "\u{feff}# dockhand settings\r\n\
            \r\n\
            export DOCKER_URL = 'tcp://h:2376'   # the engine\r\n\
            DOCKER_TIMEOUT=2.5 # seconds\n\
            \tDOCKER_TLS  =  yes\n\
            DOCKER_TLS_CLIENT_CERT = \"C:\\a\\cert.pem:C:\\a\\key.pem\"\n\
            DOCKER_TLS_CA_CERT=\"/p/with # hash/ca.pem\"#comment\n\
            DOCKER_TLS_CERT_PATH=/x#not-a-comment\n\
            DOCKER_TLS_SSL_VERSION=ssl.PROTOCOL_TLSv1_2\n\
            SECRET_KEY = 'it''s ignored'\n\
            lower_case = whatever\n\
            DOCKER_VERSION=\n\
            DOCKER_VERSION=v1.41\n\
            DOCKER_TLS_ASSERT_HOSTNAME=None\n\
            exported=1\n";
    let s = Settings::from_config_text(text, "docker.cfg").unwrap();
    assert_eq!(s.host.to_string(), "tcp://h:2376");
    assert_eq!(s.timeout, Duration::from_millis(2500));
    assert!(s.tls && s.tls_assert_hostname);
    assert_eq!(
        s.tls_client_cert,
        Some((r"C:\a\cert.pem".into(), r"C:\a\key.pem".into()))
    );
    assert_eq!(s.tls_ca_cert, Some("/p/with # hash/ca.pem".into()));
    assert_eq!(s.tls_cert_path, Some("/x#not-a-comment".into()));
    assert_eq!(s.tls_ssl_version, Some(TlsVersion::Tls12));
    assert_eq!(s.version, Some(ApiVersion::new(1, 41)));

    // Empty values: quoted empty and a bare comment.
    let s = Settings::from_config_text(
        "DOCKER_URL=unix://\nDOCKER_TLS_CA_CERT=\"\"\nDOCKER_TLS_CERT_PATH= # none\n",
        "c",
    )
    .unwrap();
    assert_eq!((s.tls_ca_cert, s.tls_cert_path), (None, None));
}

#[test]
fn config_file_errors_name_the_line() {
    let cases: &[(&str, &[&str])] = &[
        (
            "DOCKER_URL=unix://\n\nDOCKER_TIMEOUT=0\n",
            &[
                "DOCKER_TIMEOUT (docker.cfg line 3)",
                "\"0\"",
                "greater than 0",
            ],
        ),
        (
            "DOCKER_URL=unix://\nDOCKER_TLS=\"True\n",
            &["DOCKER_TLS (docker.cfg line 2)", "closing \""],
        ),
        (
            "DOCKER_URL=unix://\nDOCKER_TLS='True' False\n",
            &["DOCKER_TLS (docker.cfg line 2)", "after the closing '"],
        ),
        (
            "DOCKER_URL unix://\n",
            &["docker.cfg line 1", "DOCKER_URL unix://", "KEY=value"],
        ),
        (
            "DOCKER_URL=unix://\nimport os\n",
            &["docker.cfg line 2", "has the value \"\"", "KEY=value"],
        ),
        (
            "DOCKER_URL=unix://\nmy-key = 1\n",
            &["docker.cfg line 2", "my-key", "letters, digits"],
        ),
        (
            "DOCKER_URL=unix://\n= 1\n",
            &["docker.cfg line 2", "letters, digits"],
        ),
        ("# nothing\n", &["DOCKER_URL (docker.cfg)", "required"]),
        (
            "DOCKER_URL=\n",
            &["DOCKER_URL (docker.cfg line 1)", "required"],
        ),
        (
            "DOCKER_URL='tcp://h:99999'\n",
            &["DOCKER_URL (docker.cfg line 1)", "65535"],
        ),
        (
            "DOCKER_URL=http://h\nDOCKER_TLS=on\n",
            &["DOCKER_TLS", "https://"],
        ),
        ("export\n", &["docker.cfg line 1", "KEY=value"]),
    ];
    for (text, words) in cases {
        assert_err(Settings::from_config_text(text, "docker.cfg"), words);
    }
    // A secret on a line that is not ours is never quoted back.
    let err = Settings::from_config_text("SECRETS = {\n  'pw': 's3cret',\n}\n", "c")
        .unwrap_err()
        .to_string();
    assert!(!err.contains("s3cret") && err.contains("c line 2"), "{err}");
}

#[test]
fn config_file_on_disk() {
    let dir = TempDir::new("file");
    let path = dir.write("docker.cfg", "DOCKER_URL=unix://\nDOCKER_TIMEOUT=nope\n");
    let err = Settings::from_file(&path).unwrap_err().to_string();
    assert!(
        err.contains(&format!("DOCKER_TIMEOUT ({} line 2)", path.display())),
        "{err}"
    );

    let missing = dir.0.join("missing.cfg");
    match Settings::from_file(&missing) {
        Err(Error::File { path, source }) => {
            assert_eq!(path, missing);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
    // A folder, and a file that is not UTF-8, are file errors too.
    assert!(matches!(
        Settings::from_file(&dir.0),
        Err(Error::File { .. })
    ));
    let binary = dir.0.join("binary.cfg");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x80]).unwrap();
    assert!(matches!(
        Settings::from_file(&binary),
        Err(Error::File { .. })
    ));
}
