//! Talk to the local engine: print its version, pull an image if it is not there, run a
//! short container, print what it said (stdout and stderr apart) and its exit code.
//!
//!     cargo run --example quickstart [IMAGE]
//!
//! The image defaults to `busybox:latest`, pulled from Docker Hub when absent. Offline, pass
//! a local image with `sh`, such as the test image `scripts/engine-up` makes:
//! `cargo run --example quickstart dockhand-test/busybox:latest`.

use std::process::ExitCode;

use dockhand::{ContainerConfig, Docker, PullOptions};

fn main() -> ExitCode {
    let image = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "busybox:latest".to_string());
    match run(&image) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("quickstart: {e}");
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

    match docker.image(image).inspect() {
        Ok(_) => {}
        Err(e) if e.is_not_found() => {
            println!("pulling {image}");
            for line in docker.images().pull(&PullOptions::new(image))? {
                if let Some(status) = line?.status {
                    println!("  {status}");
                }
            }
        }
        Err(e) => return Err(e),
    }

    // Like `docker run --rm`: create, start, wait, collect the output, remove.
    let out = docker.run(
        &ContainerConfig::new(image)
            .cmd([
                "sh",
                "-c",
                "echo hello from $(hostname); echo and from stderr >&2",
            ])
            .label("dockhand-example", "quickstart"),
    )?;
    print!("stdout: {}", out.stdout_text());
    print!("stderr: {}", out.stderr_text());
    println!("exit code: {}", out.exit_code);
    Ok(u8::try_from(out.exit_code).unwrap_or(1))
}
