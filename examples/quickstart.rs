//! Talk to the local engine: print its version, run a short container, print what it said,
//! remove it.
//!
//!     cargo run --example quickstart [IMAGE]
//!
//! The image defaults to `dockhand-test/busybox:latest`, which `scripts/engine-up` makes
//! from Debian's busybox-static; any local image with `sh` will do.

use std::process::ExitCode;

use dockhand::{ContainerConfig, Docker, LogsOptions, RemoveOptions};

fn main() -> ExitCode {
    let image = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "dockhand-test/busybox:latest".to_string());
    match run(&image) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("quickstart: {e}");
            if e.is_not_found() {
                eprintln!(
                    "hint: no local image {image:?}; run scripts/engine-up to make the test \
                     image, or pass an image you have: cargo run --example quickstart IMAGE"
                );
            }
            ExitCode::FAILURE
        }
    }
}

fn run(image: &str) -> dockhand::Result<u8> {
    // DOCKER_HOST and friends, as the docker CLI reads them; the local socket by default.
    let docker = Docker::from_env()?;
    let version = docker.version()?;
    println!(
        "engine {} (API {}, speaking {})",
        version.version,
        version.api_version,
        docker.api_version()?
    );

    let config = ContainerConfig::new(image)
        .cmd([
            "sh",
            "-c",
            "echo hello from $(hostname); echo and from stderr >&2",
        ])
        .label("dockhand-example", "quickstart");
    let container = docker.container(docker.containers().create(&config)?.id);
    // Remove the container whatever happens next.
    let result = (|| {
        container.start()?;
        let exit = container.wait()?.status_code;
        let output = container.logs(&LogsOptions::new())?.collect_output()?;
        print!("stdout: {}", output.stdout_text());
        print!("stderr: {}", output.stderr_text());
        println!("exit code: {exit}");
        Ok(u8::try_from(exit).unwrap_or(1))
    })();
    container.remove(&RemoveOptions::new().force(true))?;
    result
}
