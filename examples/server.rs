//! A threaded HTTP server sharing one Docker client: declared as a static `DockerCell`,
//! initialised in `main` (Flask-Docker's `init_app` pattern), used from one thread per
//! connection.
//!
//!     cargo run --example server [ADDRESS]      # default 127.0.0.1:8080
//!     curl http://127.0.0.1:8080/containers
//!
//! `GET /containers` answers with a JSON list of the engine's containers; `GET /version`
//! with the engine's version.

use dockhand::{DockerCell, ListContainersOptions, Settings};

static DOCKER: DockerCell = DockerCell::new();

fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    if let Err(e) = Settings::from_env().and_then(|s| DOCKER.init(s)) {
        eprintln!("server: {e}");
        std::process::exit(1);
    }
    let server = match tiny_http::Server::http(&address) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("server: cannot listen on {address}: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on http://{address}/containers");
    for request in server.incoming_requests() {
        std::thread::spawn(move || {
            let (status, body) = answer(request.url());
            let header = tiny_http::Header::from_bytes("Content-Type", "application/json")
                .expect("a valid header");
            let response = tiny_http::Response::from_string(body)
                .with_status_code(status)
                .with_header(header);
            if let Err(e) = request.respond(response) {
                eprintln!("server: answering failed: {e}");
            }
        });
    }
}

/// The status and JSON body for a path.
fn answer(path: &str) -> (u16, String) {
    let result = DOCKER.get().and_then(|docker| match path {
        "/containers" => {
            let list = docker
                .containers()
                .list(&ListContainersOptions::new().all(true))?;
            let rows: Vec<_> = list
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": &c.id[..12.min(c.id.len())],
                        "name": c.name(),
                        "image": c.image,
                        "state": c.state.as_str(),
                        "status": c.status,
                    })
                })
                .collect();
            Ok(Some(serde_json::Value::from(rows)))
        }
        "/version" => {
            let v = docker.version()?;
            Ok(Some(
                serde_json::json!({"version": v.version, "api": v.api_version}),
            ))
        }
        _ => Ok(None),
    });
    match result {
        Ok(Some(json)) => (200, json.to_string()),
        Ok(None) => (
            404,
            r#"{"error":"try /containers or /version"}"#.to_string(),
        ),
        Err(e) => (502, serde_json::json!({"error": e.to_string()}).to_string()),
    }
}
