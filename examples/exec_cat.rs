//! Pipe a file through `cat` inside a container, over exec with stdin, and check that every
//! byte came back.
//!
//!     cargo run --example exec_cat FILE [IMAGE]
//!
//! The image defaults to `dockhand-test/busybox:latest` (made by `scripts/engine-up`); any
//! local image with `cat` and `sleep` will do. The container is removed at the end, also
//! when something fails.

use std::process::ExitCode;
use std::time::Instant;

use dockhand::{ContainerConfig, Docker};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        eprintln!("usage: exec_cat FILE [IMAGE]");
        return ExitCode::from(2);
    };
    let image = args
        .next()
        .unwrap_or_else(|| "dockhand-test/busybox:latest".to_string());
    match run(&file, &image) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("exec_cat: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(file: &str, image: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let input = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let docker = Docker::from_env()?;
    // A container that just waits, removed when `guard` goes out of scope.
    let guard = docker.containers().create_guarded(
        &ContainerConfig::new(image)
            .cmd(["sleep", "3600"])
            .label("dockhand-example", "exec_cat"),
    )?;
    guard.start()?;

    let started = Instant::now();
    let done = guard.exec_run_with_input(["cat"], std::io::Cursor::new(input.clone()))?;
    let took = started.elapsed();
    let same = done.stdout == input;
    eprintln!(
        "{} bytes in, {} bytes out in {took:.2?}, exit code {}: {}",
        input.len(),
        done.stdout.len(),
        done.exit_code,
        if same { "identical" } else { "DIFFERENT" }
    );
    Ok(same && done.exit_code == 0)
}
