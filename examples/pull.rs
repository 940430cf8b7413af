//! Pull an image with one progress bar per layer, as `docker pull` draws them.
//!
//!     cargo run --example pull IMAGE
//!
//! Credentials come from the docker CLI's logins (`~/.docker/config.json`, its credential
//! helpers), as `docker pull` finds them. Without internet access, pull from a local
//! registry: `scripts/engine-up` runs one on 127.0.0.1:5000 (push an image there first).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use dockhand::{Auth, Docker, Progress, PullOptions};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

fn main() -> ExitCode {
    let Some(image) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --example pull IMAGE   (busybox:1.36, 127.0.0.1:5000/app:1)");
        return ExitCode::FAILURE;
    };
    match pull(&image) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pull: {e}");
            ExitCode::FAILURE
        }
    }
}

fn pull(image: &str) -> dockhand::Result<()> {
    let docker = Docker::from_env()?;
    let options = PullOptions::new(image).auth(Auth::from_env()?);
    let stream = docker.images().pull(&options)?;

    // Not a terminal (a CI log, a pipe): one line per update, as `docker pull` prints then.
    if !std::io::stderr().is_terminal() {
        for item in stream {
            eprintln!("{}", item?.message());
        }
        return Ok(());
    }

    let bars = MultiProgress::new();
    let style = ProgressStyle::with_template("{prefix} {msg:<12} [{bar:30}] {bytes}/{total_bytes}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let mut layers: HashMap<String, ProgressBar> = HashMap::new();

    for item in stream {
        let item: Progress = item?;
        let status = item.status.clone().unwrap_or_default();
        // Lines about the whole pull (no layer id, or the tag as id) are printed above the bars.
        let Some(id) = item
            .id
            .clone()
            .filter(|_| !status.starts_with("Pulling from"))
        else {
            let _ = bars.println(item.message());
            continue;
        };
        let bar = layers.entry(id.clone()).or_insert_with(|| {
            let bar = bars.add(ProgressBar::new(0));
            bar.set_style(style.clone());
            bar.set_prefix(id.clone());
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        if let Some(detail) = item.progress_detail {
            if let Some(total) = detail.total {
                bar.set_length(total);
            }
            if let Some(current) = detail.current {
                bar.set_position(current);
            }
        }
        bar.set_message(status.clone());
        if matches!(status.as_str(), "Pull complete" | "Already exists") {
            bar.finish_with_message(status);
        }
    }
    for bar in layers.values() {
        if !bar.is_finished() {
            bar.finish();
        }
    }
    Ok(())
}
