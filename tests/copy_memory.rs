//! A 100 MiB file into a container and back with `copy_in` and `copy_out`, identical, and
//! without the process's peak memory growing with the file. Alone in its own test binary,
//! so no other test's memory shows in the peak.
#![cfg(target_os = "linux")]

mod common;
mod tarball;

use std::fs::{self, File};
use std::io::{self, Read};

use common::Scope;

const SIZE: u64 = 100 * 1024 * 1024;
const SEED: u64 = 0xc0_9e_1d;

/// The process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmHWM line")
}

#[test]
fn a_hundred_mib_file_in_and_out_in_constant_memory() {
    let scope = Scope::new("copymemory");
    let dir = std::env::temp_dir().join(format!("dockhand-copy-memory-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("out")).unwrap();
    let source = dir.join("big.bin");
    io::copy(
        &mut tarball::Pattern::new(SEED, SIZE),
        &mut File::create(&source).unwrap(),
    )
    .unwrap();

    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .expect("create a container");
    // Warm up: the first calls allocate the client's buffers and pools, and the tar thread.
    container.copy_in_bytes("/tmp/warm", "x", 0o644).unwrap();
    container.copy_out("/tmp/warm", dir.join("out")).unwrap();
    let before = peak_rss_kib();

    container.copy_in(&source, "/tmp").expect("copy in");
    let stat = container.stat_path("/tmp/big.bin").unwrap();
    assert_eq!(stat.size as u64, SIZE);
    container
        .copy_out("/tmp/big.bin", dir.join("out"))
        .expect("copy out");
    let after = peak_rss_kib();

    // Compare with the same bytes generated again, 64 KiB at a time.
    let mut copied = File::open(dir.join("out/big.bin")).unwrap();
    let mut expected = tarball::Pattern::new(SEED, SIZE);
    let (mut got, mut want) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    let mut compared = 0u64;
    loop {
        let n = copied.read(&mut got).unwrap();
        if n == 0 {
            break;
        }
        expected.read_exact(&mut want[..n]).unwrap();
        assert!(got[..n] == want[..n], "bytes differ near offset {compared}");
        compared += n as u64;
    }
    assert_eq!(compared, SIZE);
    let _ = fs::remove_dir_all(&dir);

    let growth = after.saturating_sub(before);
    println!(
        "VmHWM before {before} KiB, after {after} KiB: grew {growth} KiB while copying \
         {} KiB each way",
        SIZE / 1024
    );
    assert!(
        growth < 8 * 1024,
        "peak memory grew by {growth} KiB for a {} KiB file",
        SIZE / 1024
    );
}
