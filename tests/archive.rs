//! A 50 MiB file into a container and back, through `put_archive` and `get_archive`, with
//! identical bytes and without the process's peak memory growing with the file; and
//! uploads the engine refuses, early or midway, which end with its answer. The refused
//! uploads are generated as they are sent, so their memory does not show in the peak.

mod common;
mod tarball;

use std::io::Read;
use std::time::Instant;

use common::Scope;
use dockhand::container::PutArchiveOptions;
use dockhand::Error;

const SIZE: u64 = 50 * 1024 * 1024;
const SEED: u64 = 0x5eed_d0c4;

/// The process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmHWM line")
}

#[cfg(target_os = "linux")]
#[test]
fn fifty_mib_round_trip_in_constant_memory() {
    let scope = Scope::new("bigarchive");
    let docker = &scope.docker;
    let container = docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .expect("create a container");
    // Warm up: the first calls allocate the client's buffers and pools.
    container.stat_path("/tmp").expect("stat /tmp");
    let before = peak_rss_kib();

    container
        .put_archive(
            "/tmp",
            tarball::streamed_archive("big.bin", SIZE, SEED),
            &PutArchiveOptions::new(),
        )
        .expect("put the archive");
    let stat = container.stat_path("/tmp/big.bin").expect("stat the file");
    assert_eq!(stat.size as u64, SIZE);

    let archive = container
        .get_archive("/tmp/big.bin")
        .expect("get the archive");
    assert_eq!(archive.stat.size as u64, SIZE);
    let mut reader = tarball::Reader::new(archive);
    let entry = reader.next_entry().unwrap().expect("one entry");
    assert_eq!((entry.name.as_str(), entry.size), ("big.bin", SIZE));
    // Compare with the same bytes generated again, 64 KiB at a time.
    let mut expected = tarball::Pattern::new(SEED, SIZE);
    let mut got = vec![0u8; 64 * 1024];
    let mut want = vec![0u8; 64 * 1024];
    let mut data = reader.data();
    let mut compared = 0u64;
    loop {
        let n = data.read(&mut got).unwrap();
        if n == 0 {
            break;
        }
        expected.read_exact(&mut want[..n]).unwrap();
        assert!(got[..n] == want[..n], "bytes differ near offset {compared}");
        compared += n as u64;
    }
    drop(data);
    assert_eq!(compared, SIZE);
    assert!(reader.next_entry().unwrap().is_none(), "nothing else");

    let after = peak_rss_kib();
    let growth = after.saturating_sub(before);
    println!(
        "VmHWM before {before} KiB, after {after} KiB: grew {growth} KiB \
         while moving {} KiB each way",
        SIZE / 1024
    );
    // Buffers are a few hundred KiB; holding the file would be 50 MiB or more.
    assert!(
        growth < 8 * 1024,
        "peak memory grew by {growth} KiB for a {} KiB file",
        SIZE / 1024
    );
    container.remove().expect("remove the container");
}

/// Big enough that the engine's refusal comes long before the upload could end: the
/// socket buffers hold a few hundred KiB.
const REFUSED: u64 = 8 * 1024 * 1024;

#[test]
fn a_copy_into_a_missing_container_is_the_engines_not_found() {
    let docker = common::docker();
    let started = Instant::now();
    let err = docker
        .container("dockhand-no-such-container")
        .put_archive(
            "/tmp",
            tarball::streamed_archive("big.bin", REFUSED, SEED),
            &PutArchiveOptions::new(),
        )
        .unwrap_err();
    println!("{err} (after {:?})", started.elapsed());
    assert!(err.is_not_found(), "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("no such container"),
        "{err}"
    );
}

#[test]
fn a_copy_into_a_missing_folder_is_the_engines_not_found() {
    let scope = Scope::new("archive-nofolder");
    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .expect("create a container");
    let put = container.put_archive(
        "/no/such/folder",
        tarball::streamed_archive("big.bin", REFUSED, SEED),
        &PutArchiveOptions::new(),
    );
    if common::skip(
        common::is_podman() && put.is_ok(),
        "Podman 4.3 makes a missing destination folder instead of refusing the copy",
    ) {
        return;
    }
    let err = put.unwrap_err();
    println!("{err}");
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("/no/such/folder"), "{err}");
}

#[test]
fn an_upload_refused_midway_is_the_engines_answer() {
    // The engine reads the first 512 bytes, finds no tar header, answers and stops reading.
    let scope = Scope::new("archive-garbage");
    let container = scope
        .docker
        .containers()
        .create_guarded(&scope.config().cmd(["true"]))
        .expect("create a container");
    let err = container
        .put_archive(
            "/tmp",
            std::io::repeat(b'g').take(REFUSED),
            &PutArchiveOptions::new(),
        )
        .unwrap_err();
    println!("{err}");
    assert!(matches!(err, Error::Engine { .. }), "{err:?}");
    assert!(err.to_string().contains("invalid tar header"), "{err}");
}
