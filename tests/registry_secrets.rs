//! Registry credentials never show in logs, errors or `Debug`: every log record of a login,
//! a push, a pull and a build with credentials is captured and searched for the password
//! and for the headers that carry it. One test in this binary, which owns the global logger.

mod common;
mod imagekit;

use std::io::Cursor;
use std::sync::Mutex;

use dockhand::image::RemoveImageOptions;
use dockhand::{Auth, Credentials, PullOptions, PushOptions};
use imagekit::{registries, tar, ImageScope};

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

/// ureq-proto, the HTTP layer under ureq, hex-dumps every byte it writes at trace level
/// (target `ureq_proto`), headers and bodies alike: that is below what dockhand controls, so
/// the crate docs say to keep that target under trace. Everything else is captured at trace.
fn wanted(record: &str) -> bool {
    !record.starts_with("TRACE ureq_proto")
}

#[test]
fn credentials_stay_out_of_logs_errors_and_debug() {
    let Some(registry) = registries() else {
        return;
    };
    log::set_logger(&Capture).expect("this binary's only logger");
    log::set_max_level(log::LevelFilter::Trace);

    let scope = ImageScope::new("registry-secrets");
    let docker = scope.docker();
    let server = registry.auth.as_str();
    let password = registry.password.as_str();
    let creds = Credentials::new(&registry.user, password).server(server);
    let name = format!("{}:1", scope.name(&format!("{server}/"), "secrets"));
    let dockerfile = format!("FROM {}\nRUN echo secret-test > /s\n", common::image());
    scope.build(&dockerfile, &[], &[&name]);

    let mut shown = Vec::new();
    shown.push(format!("{creds:?} {creds}"));
    docker.login(&creds).unwrap();
    let wrong = docker
        .login(&Credentials::new(&registry.user, "wrong-secret-value").server(server))
        .unwrap_err();
    shown.push(format!("{wrong} {wrong:?}"));
    docker
        .images()
        .push(&PushOptions::new(&name).credentials(creds.clone()))
        .unwrap()
        .finish()
        .unwrap();
    docker
        .image(&name)
        .remove(&RemoveImageOptions::new().force(true))
        .unwrap();
    let auth = Auth::new().with_credentials(server, creds.clone());
    shown.push(format!("{auth:?}"));
    let options = PullOptions::new(&name).auth(auth.clone());
    shown.push(format!("{options:?}"));
    docker.images().pull(&options).unwrap().finish().unwrap();
    let bad_pull = docker
        .images()
        .pull(&PullOptions::new(&name).credentials(Credentials::new("x", "wrong-secret-value")))
        .and_then(|s| s.finish())
        .map(|_| ());
    if let Err(e) = bad_pull {
        shown.push(format!("{e} {e:?}"));
    }
    let build_options = scope.build_options().auth(auth);
    shown.push(format!("{build_options:?}"));
    let build = docker
        .images()
        .build(
            Cursor::new(tar(&[("Dockerfile", format!("FROM {name}\n").as_bytes())])),
            &build_options,
        )
        .unwrap();
    shown.push(format!("{build:?}"));
    build.image_id(|item| scope.note(item)).unwrap();

    let records: Vec<String> = RECORDS.lock().unwrap().clone();
    let captured: Vec<&String> = records.iter().filter(|r| wanted(r)).collect();
    println!(
        "{} log records captured ({} at trace from ureq_proto left out)",
        captured.len(),
        records.len() - captured.len()
    );
    assert!(
        captured.iter().any(|r| r.contains("POST /auth")),
        "the logger saw the requests: {captured:#?}"
    );
    // The password, and the base64 forms it travels in (`user:password` and the JSON).
    let needles = [
        password.to_string(),
        "wrong-secret-value".to_string(),
        "X-Registry-Auth: ".to_string(),
        "x-registry-auth\": \"".to_string(),
        "x-registry-config\": \"".to_string(),
        "eyJ1c2VybmFtZSI6".to_string(), // base64 of `{"username":`
    ];
    for text in captured
        .iter()
        .map(|s| s.as_str())
        .chain(shown.iter().map(|s| s.as_str()))
    {
        for needle in &needles {
            assert!(
                !text.to_lowercase().contains(&needle.to_lowercase()),
                "{needle:?} leaked in: {text}"
            );
        }
    }
}
