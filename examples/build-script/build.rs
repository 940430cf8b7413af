//! Builds the image in `image/` with dockhand, and writes its id to `$OUT_DIR/image-id.txt`
//! for `src/main.rs` to include. Cargo runs this again when `image/` or the engine address
//! changes.

use std::path::PathBuf;
use std::process::ExitCode;

use dockhand::{BuildOptions, Docker};

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=image");
    println!("cargo:rerun-if-env-changed=DOCKER_HOST");
    match build() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // cargo shows a build script's stderr when it fails.
            eprintln!("building the image in image/ failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let docker = Docker::from_env()?;
    let options = BuildOptions::new()
        .tag("dockhand-example/build-script:latest")
        .label("dockhand-example", "build-script")
        .build_arg("BUILT_BY", env!("CARGO_PKG_NAME"));
    let id = docker
        .images()
        .build_dir(manifest_dir.join("image"), &options)?
        .image_id(|line| {
            // Each step's output, shown by `cargo build -vv`.
            if let Some(text) = line.stream.as_deref().map(str::trim_end) {
                if !text.is_empty() {
                    println!("image: {text}");
                }
            }
        })?;
    std::fs::write(out_dir.join("image-id.txt"), id)?;
    Ok(())
}
