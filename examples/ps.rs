//! A `docker ps` clone: lists containers as a table.
//!
//! ```sh
//! cargo run --example ps                                # running containers
//! cargo run --example ps -- --all                       # stopped ones too
//! cargo run --example ps -- -a --filter status=exited --filter label=app=web
//! ```
//!
//! The engine is found as the docker CLI finds it (`DOCKER_HOST`, default socket).

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use dockhand::container::ContainerSummary;
use dockhand::{Docker, ListContainersOptions};

const USAGE: &str = "usage: ps [-a|--all] [-f|--filter key=value]... [--no-trunc]

List containers (running ones unless --all).

  -a, --all              show all containers, stopped ones too
  -f, --filter key=value filter, as docker ps: status=exited, label=app, label=app=web,
                         name=web, id=abc, ancestor=busybox, exited=0, health=healthy, ...
                         (repeat for more; several values of one key match any of them)
      --no-trunc         do not shorten ids and commands
  -h, --help             show this help";

struct Args {
    all: bool,
    no_trunc: bool,
    filters: Vec<(String, String)>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        all: false,
        no_trunc: false,
        filters: Vec::new(),
    };
    while let Some(arg) = args.next() {
        let filter = match arg.as_str() {
            "-a" | "--all" => {
                parsed.all = true;
                continue;
            }
            "--no-trunc" => {
                parsed.no_trunc = true;
                continue;
            }
            "-h" | "--help" => return Ok(None),
            "-f" | "--filter" => args
                .next()
                .ok_or_else(|| format!("{arg} needs a value, such as {arg} status=exited"))?,
            other => match other.strip_prefix("--filter=") {
                Some(value) => value.to_string(),
                None => return Err(format!("unknown argument {other:?}")),
            },
        };
        match filter.split_once('=') {
            Some((key, value)) if !key.is_empty() => {
                parsed.filters.push((key.to_string(), value.to_string()))
            }
            _ => {
                return Err(format!(
                    "bad filter {filter:?}: expected key=value, such as status=exited"
                ))
            }
        }
    }
    Ok(Some(parsed))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("ps: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ps: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> dockhand::Result<()> {
    let docker = Docker::from_env()?;
    let mut options = ListContainersOptions::new().all(args.all);
    for (key, value) in &args.filters {
        options = options.filter(key, value);
    }
    let containers = docker.containers().list(&options)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut rows = vec![[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ]
    .map(String::from)];
    rows.extend(containers.iter().map(|c| row(c, now, args.no_trunc)));
    print_table(&rows);
    Ok(())
}

fn row(c: &ContainerSummary, now: i64, no_trunc: bool) -> [String; 7] {
    let id = if no_trunc {
        c.id.clone()
    } else {
        c.id.chars().take(12).collect()
    };
    let command = if no_trunc {
        c.command.clone()
    } else {
        shorten(&c.command, 20)
    };
    let names: Vec<&str> = c.names.iter().map(|n| n.trim_start_matches('/')).collect();
    [
        id,
        c.image.clone(),
        format!("\"{command}\""),
        format!("{} ago", human_duration(now - c.created)),
        c.status.clone(),
        ports(c),
        names.join(","),
    ]
}

/// Cuts `text` to `max` characters, ending with `…` when cut (as docker ps does).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// `0.0.0.0:8080->80/tcp, 443/tcp`, as docker ps prints ports.
fn ports(c: &ContainerSummary) -> String {
    let mut ports: Vec<String> = c
        .ports
        .iter()
        .map(|p| match (p.ip.as_deref(), p.public_port) {
            (ip, Some(public)) => {
                let ip = match ip.unwrap_or("") {
                    ip if ip.contains(':') => format!("[{ip}]"),
                    ip => ip.to_string(),
                };
                format!("{ip}:{public}->{}/{}", p.private_port, p.kind)
            }
            (_, None) => format!("{}/{}", p.private_port, p.kind),
        })
        .collect();
    ports.sort();
    ports.dedup();
    ports.join(", ")
}

/// How long ago, in docker's words: `Less than a second`, `5 minutes`, `About an hour`,
/// `3 days`, ... (the rules of docker's `units.HumanDuration`).
fn human_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let minutes = seconds / 60;
    let hours = (seconds as f64 / 3600.0 + 0.5) as i64;
    match seconds {
        0 => "Less than a second".into(),
        1 => "1 second".into(),
        s if s < 60 => format!("{s} seconds"),
        _ if minutes == 1 => "About a minute".into(),
        _ if minutes < 60 => format!("{minutes} minutes"),
        _ if hours == 1 => "About an hour".into(),
        _ if hours < 48 => format!("{hours} hours"),
        _ if hours < 24 * 7 * 2 => format!("{} days", hours / 24),
        _ if hours < 24 * 30 * 2 => format!("{} weeks", hours / 24 / 7),
        _ if hours < 24 * 365 * 2 => format!("{} months", hours / 24 / 30),
        _ => format!("{} years", seconds / 3600 / 24 / 365),
    }
}

/// Prints rows in columns three spaces apart, as docker's tabwriter does.
fn print_table(rows: &[[String; 7]]) {
    let mut widths = [0usize; 7];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count() + 3;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        println!("{}", line.trim_end());
    }
}
