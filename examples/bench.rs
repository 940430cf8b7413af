//! Pings per second against the local engine, measured side by side in one run:
//! one thread and eight threads sharing one client (one pool), and one thread opening a
//! fresh connection for every request.
//!
//!     cargo run --release --example bench [SECONDS_PER_CASE]
//!
//! It prints rates and their ratios; it asserts nothing (timings depend on the machine).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dockhand::Docker;

fn main() -> dockhand::Result<()> {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let docker = Docker::from_env()?;
    docker.ping()?; // connect and negotiate before measuring
    let span = Duration::from_secs_f64(seconds);

    let one = rate(&docker, 1, span, ping)?;
    let eight = rate(&docker, 8, span, ping)?;
    let fresh = rate(&docker, 1, span, ping_fresh_connection)?;

    println!("pings per second over {}", docker.settings().host);
    println!("  1 thread,  shared pool      {one:>9.0}/s");
    println!(
        "  8 threads, shared pool      {eight:>9.0}/s   ({:.2}x one thread)",
        eight / one
    );
    println!(
        "  1 thread,  new connection   {fresh:>9.0}/s   (pool is {:.2}x faster)",
        one / fresh
    );
    Ok(())
}

fn ping(docker: &Docker) -> dockhand::Result<()> {
    docker.ping().map(drop)
}

/// `Connection: close` keeps the connection out of the pool: every ping dials anew.
fn ping_fresh_connection(docker: &Docker) -> dockhand::Result<()> {
    docker
        .request("GET", "/_ping")
        .header("Connection", "close")
        .send()?
        .drain()
}

/// Calls per second of `call` from `threads` threads sharing `docker`, for `span`.
fn rate(
    docker: &Docker,
    threads: usize,
    span: Duration,
    call: fn(&Docker) -> dockhand::Result<()>,
) -> dockhand::Result<f64> {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (docker, stop, count) = (docker.clone(), stop.clone(), count.clone());
            std::thread::spawn(move || -> dockhand::Result<()> {
                while !stop.load(Ordering::Relaxed) {
                    call(&docker)?;
                    count.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
        })
        .collect();
    std::thread::sleep(span);
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().expect("a benchmark thread panicked")?;
    }
    Ok(count.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}
