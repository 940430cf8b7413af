//! A build in a container: copy a folder in, run its build script there, copy the result
//! out. The host needs no toolchain, only the engine.
//!
//!     cargo run --example build_in_container [FOLDER [OUT [IMAGE]]]
//!
//! FOLDER holds a `build.sh`, run as `sh build.sh /out` in a copy of the folder; what it
//! writes to `/out` comes back into OUT (default: a new folder in the temp folder). Without
//! FOLDER, a sample is made and removed afterwards: three chapters of a book and a
//! `build.sh` that joins, compresses and checksums them with busybox tools.
//!
//! IMAGE is where the build runs: by default `dockhand-test/busybox:latest`, the test image
//! `scripts/engine-up` makes; for a real build, a toolchain image (`rust:1`, `node:22`).
//! The container is removed at the end, also when the build fails.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dockhand::scope::Scope;
use dockhand::{ContainerConfig, Docker};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let folder = args.next().map(PathBuf::from);
    let out = args.next().map(PathBuf::from).unwrap_or_else(|| {
        std::env::temp_dir().join(format!("build_in_container-out-{}", std::process::id()))
    });
    let image = args
        .next()
        .unwrap_or_else(|| "dockhand-test/busybox:latest".to_string());

    // Without a folder, a sample one, removed at the end.
    let (source, sample) = match folder {
        Some(folder) => (folder, false),
        None => {
            let dir = std::env::temp_dir()
                .join(format!("build_in_container-sample-{}", std::process::id()));
            if let Err(e) = write_sample(&dir) {
                eprintln!("build_in_container: cannot write {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
            (dir, true)
        }
    };
    let built = build_in_container(&image, &source, &out);
    if sample {
        let _ = fs::remove_dir_all(&source);
    }
    match built {
        Ok(files) => {
            println!("{} file(s) in {}:", files.len(), out.display());
            for (path, size) in files {
                println!("  {:>8} bytes  {}", size, path.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("build_in_container: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Copies `source` into a container of `image`, runs `sh build.sh /out` there, and copies
/// `/out`'s contents into `out` (made if missing). Gives the files in `out`, with their
/// sizes.
pub fn build_in_container(
    image: &str,
    source: &Path,
    out: &Path,
) -> Result<Vec<(PathBuf, u64)>, Box<dyn Error>> {
    if !source.join("build.sh").is_file() {
        return Err(format!("{} has no build.sh to run", source.display()).into());
    }
    let docker = Docker::from_env()?;
    // What the scope marks is removed when `scope` drops: at the end, or on an early
    // return by `?` (a failed build too). The next run removes what a killed run left.
    let scope = Scope::new(&docker)?;

    // A container that idles while we copy files and run commands in it.
    let config = scope.mark(
        ContainerConfig::new(image)
            .cmd(["sleep", "3600"])
            .label("dockhand-example", "build_in_container"),
    );
    let created = docker.containers().create(&config)?;
    let builder = docker.container(&created.id);
    builder.start()?;

    // `docker cp FOLDER builder:/src`: there is no /src, so the copy takes that name.
    builder.copy_in(source, "/src")?;

    // The build step, as `docker exec`: its exit code and its output, stdout and stderr
    // apart. (For output as it comes, read `create_exec(...)?.start()?.lines()`.)
    let done = builder.exec_run(["sh", "-c", "mkdir -p /out && cd /src && sh build.sh /out"])?;
    for line in done.stdout_text().lines() {
        println!("build | {line}");
    }
    for line in done.stderr_text().lines() {
        eprintln!("build ! {line}");
    }
    if !done.success() {
        return Err(format!("the build step failed with exit code {}", done.exit_code).into());
    }

    // `docker cp builder:/out/. OUT`: the contents of /out, into OUT.
    builder.copy_out("/out/.", out)?;
    // Removes the container now and reports a failure, which a drop could only log.
    scope.close()?;

    let mut files = Vec::new();
    list_files(out, Path::new(""), &mut files)?;
    Ok(files)
}

/// The files under `dir`, as paths relative to it (`under` is the part walked so far),
/// with their sizes.
fn list_files(dir: &Path, under: &Path, files: &mut Vec<(PathBuf, u64)>) -> std::io::Result<()> {
    let mut entries = fs::read_dir(dir.join(under))?.collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = under.join(entry.file_name());
        let meta = entry.metadata()?;
        if meta.is_dir() {
            list_files(dir, &path, files)?;
        } else {
            files.push((path, meta.len()));
        }
    }
    Ok(())
}

/// The sample project: three chapters and the script that builds a book of them.
pub fn write_sample(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir.join("chapters"))?;
    for (name, text) in [
        ("1-start.txt", "It was a dark and stormy night.\n"),
        ("2-middle.txt", "The container started.\n"),
        ("3-end.txt", "And everything was removed.\n"),
    ] {
        fs::write(dir.join("chapters").join(name), text)?;
    }
    let script = "\
#!/bin/sh
# Joins the chapters into a book, compresses it and writes checksums, into $1.
set -e
out=$1
echo \"joining $(ls chapters | wc -l) chapters\"
cat chapters/*.txt > \"$out/book.txt\"
gzip -9 -c \"$out/book.txt\" > \"$out/book.txt.gz\"
cd \"$out\"
sha256sum book.txt book.txt.gz > SHA256SUMS
echo \"book.txt: $(wc -c < book.txt) bytes, $(wc -c < book.txt.gz) compressed\"
";
    fs::write(dir.join("build.sh"), script)
}
