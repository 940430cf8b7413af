//! A 64 MiB build context, then a save and a load of the image it makes, in memory that
//! does not grow with the size: the peak resident size of this process (VmHWM) is read
//! before and after. One test in this binary, so nothing else moves the peak.

mod common;
mod imagekit;

use std::fs::File;
use std::io::{self, Read};

use dockhand::image::{LoadOptions, RemoveImageOptions};
use imagekit::{ImageScope, Scratch};

const MIB: u64 = 1024 * 1024;
const BIG: u64 = 64 * MIB;

/// A `kB` line of /proc/self/status, in bytes.
fn status_bytes(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb * 1024)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / MIB as f64)
}

#[test]
fn build_save_and_load_a_64_mib_image_in_constant_memory() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipped: no /proc/self/status to read the peak memory from");
        return;
    }
    let scope = ImageScope::new("image-memory");
    let docker = scope.docker();
    let name = format!("{}:big", scope.name("", "memory"));

    // A context with a 64 MiB file (of random bytes, so no layer compresses it away).
    let dir = Scratch::new("image-memory");
    dir.file(
        "Dockerfile",
        &format!("FROM {}\nCOPY big /big\n", common::image()),
    );
    {
        let mut random = File::open("/dev/urandom").unwrap().take(BIG);
        let mut out = File::create(dir.0.join("big")).unwrap();
        io::copy(&mut random, &mut out).unwrap();
    }
    let start = status_bytes("VmHWM:");

    let id = docker
        .images()
        .build_dir(&dir.0, &scope.build_options().tag(&name))
        .unwrap()
        .image_id(|item| scope.note(item))
        .unwrap();
    let after_build = status_bytes("VmHWM:");

    // save to a file, straight from the socket
    let saved_path = dir.0.join("saved.tar");
    let saved = io::copy(
        &mut docker.image(&name).save().unwrap(),
        &mut File::create(&saved_path).unwrap(),
    )
    .unwrap();
    let after_save = status_bytes("VmHWM:");

    docker
        .image(&id)
        .remove(&RemoveImageOptions::new().force(true))
        .unwrap();
    assert!(!scope.exists(&name));

    // load from the file, straight to the socket
    let mut lines = 0;
    let mut loaded = Vec::new();
    for item in docker
        .images()
        .load(File::open(&saved_path).unwrap(), &LoadOptions::new())
        .unwrap()
    {
        let item = item.unwrap();
        lines += 1;
        if let Some(text) = item.stream {
            loaded.push(text.trim().to_string());
        }
    }
    let after_load = status_bytes("VmHWM:");

    println!("context file:   {}", mib(BIG));
    println!("saved tar:      {}", mib(saved));
    println!("peak RSS start: {}", mib(start));
    println!("  after build:  {}", mib(after_build));
    println!("  after save:   {}", mib(after_save));
    println!(
        "  after load:   {} ({lines} progress lines)",
        mib(after_load)
    );
    println!("  now (VmRSS):  {}", mib(status_bytes("VmRSS:")));

    assert!(saved > BIG, "the tar holds the 64 MiB file");
    assert_eq!(
        loaded,
        [format!("Loaded image: {}", imagekit::listed(&name))]
    );
    assert_eq!(docker.image(&name).inspect().unwrap().id, id);
    let (code, out) = scope.run(&name, &["wc", "-c", "/big"]);
    assert_eq!((code, out.split_whitespace().next()), (0, Some("67108864")));
    // Constant memory: the peak grew by far less than the data that went through.
    let growth = after_load.saturating_sub(start);
    assert!(
        growth < 16 * MIB,
        "the peak grew by {} while moving {} three times",
        mib(growth),
        mib(BIG)
    );
}
