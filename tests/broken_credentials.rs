//! Credentials never reach an error or a log, even from broken input: a `config.json` whose
//! entries have the wrong shape, credential helpers that print a bare string or fail after
//! printing their answer, and an engine whose login answer is not what it should be. Needs
//! no engine. One test in this binary, which owns the global logger.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use dockhand::{Auth, Credentials, Docker, Settings};

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        if let Ok(mut records) = RECORDS.lock() {
            records.push(format!(
                "{} {}: {}",
                record.level(),
                record.target(),
                record.args()
            ));
        }
    }

    fn flush(&self) {}
}

const SECRET: &str = "hunter2-broken-input";

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("dockhand-broken-creds-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        Scratch(dir)
    }

    fn config(&self, json: &str) {
        std::fs::write(self.0.join("config.json"), json).unwrap();
    }

    /// `docker-credential-NAME`, a shell script printing `output` and exiting with `status`.
    fn helper(&self, name: &str, output: &str, status: u8) {
        let path = self.0.join("bin").join(format!("docker-credential-{name}"));
        let script = format!("#!/bin/sh\ncat >/dev/null\nprintf '%s' '{output}'\nexit {status}\n");
        std::fs::write(&path, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    fn auth(&self) -> dockhand::Result<Auth> {
        let path = format!("{}:/usr/bin:/bin", self.0.join("bin").display());
        Auth::from_config_dir(&self.0).map(|a| a.helper_path(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fake engine that answers every request with a 200 and `body`, once per connection.
fn engine_answering(body: &'static str) -> Docker {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(20) {
            let Ok(mut conn) = conn else { return };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut request_body = vec![0; length];
            let _ = reader.read_exact(&mut request_body);
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Docker::new(
        Settings::new(&format!("tcp://127.0.0.1:{port}"))
            .unwrap()
            .with_version("1.41".parse().unwrap())
            .with_timeout(Duration::from_secs(5)),
    )
    .unwrap()
}

#[test]
fn broken_credential_input_never_shows_the_secret() {
    log::set_logger(&Capture).expect("this binary's only logger");
    log::set_max_level(log::LevelFilter::Trace);
    let mut shown = Vec::new();
    let dir = Scratch::new();

    // config.json: an `auths` entry that is a bare string, an `auth` that is a number
    for (json, key) in [
        (
            format!(r#"{{"auths": {{"r.example.com": "{SECRET}"}}}}"#),
            r#"`auths."r.example.com"`"#,
        ),
        (
            r#"{"auths": {"r.example.com": {"auth": 86753098675309}}}"#.to_string(),
            r#"`auths."r.example.com".auth`"#,
        ),
        (format!(r#"["{SECRET}"]"#), "the top level"),
    ] {
        dir.config(&json);
        let err = dir.auth().unwrap_err();
        let text = err.to_string();
        println!("{text}");
        assert!(
            text.contains("config.json") && text.contains(key) && text.contains("expected"),
            "{text}"
        );
        shown.push(format!("{err} {err:?}"));
    }

    // a helper that prints the secret as a bare JSON string
    dir.helper("bare", &format!("\"{SECRET}\""), 0);
    // a helper that prints its answer, then fails
    dir.helper(
        "failing",
        &format!(r#"{{"ServerURL":"f.example.com","Username":"u","Secret":"{SECRET}"}}"#),
        1,
    );
    // a store whose list is a bare string
    dir.helper("liststore", &format!("\"{SECRET}\""), 0);
    dir.config(
        r#"{"credHelpers": {"b.example.com": "bare", "f.example.com": "failing"},
            "credsStore": "liststore"}"#,
    );
    let auth = dir.auth().unwrap();
    for server in ["b.example.com", "f.example.com"] {
        let err = auth.credentials_for(server).unwrap_err();
        println!("{err}");
        assert!(err.to_string().contains("docker-credential-"), "{err}");
        shown.push(format!("{err} {err:?}"));
    }
    // a build's view of every credential: the failures are logged as warnings, and skipped
    let all = auth.all_credentials().unwrap();
    assert!(all.is_empty());

    // the engine's answer to a login: a bare string, a token of the wrong type
    for answer in [
        "\"hunter2-broken-input\"",
        r#"{"Status":"Login Succeeded","IdentityToken":["hunter2-broken-input"]}"#,
    ] {
        let docker = engine_answering(answer);
        let err = docker
            .login(&Credentials::new("u", "p").server("r.example.com"))
            .unwrap_err();
        println!("{err}");
        assert!(err.to_string().contains("POST /auth"), "{err}");
        shown.push(format!("{err} {err:?}"));
    }
    // and any answer read as JSON through the escape hatch
    let docker = engine_answering("\"hunter2-broken-input\"");
    let err = docker
        .request("GET", "/anything")
        .send()
        .unwrap()
        .json::<Vec<String>>()
        .unwrap_err();
    println!("{err}");
    shown.push(format!("{err} {err:?}"));

    let records = RECORDS.lock().unwrap().clone();
    assert!(
        records.iter().filter(|r| r.starts_with("WARN")).count() >= 3,
        "the skipped helpers were logged: {records:#?}"
    );
    // ureq-proto hex-dumps every byte at trace level (target `ureq_proto`), below what
    // dockhand controls: the crate docs say to keep that target under trace.
    let records: Vec<&String> = records
        .iter()
        .filter(|r| !r.starts_with("TRACE ureq_proto"))
        .collect();
    for text in records.into_iter().chain(&shown) {
        assert!(
            !text.contains("hunter2") && !text.contains("8675309"),
            "leaked: {text}"
        );
    }
}
