//! Exec and attach against the real engine: output, exit codes, stdin through hijacked
//! connections (unix socket and TLS), TTYs.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::Scope;
use dockhand::exec::AttachOptions;
use dockhand::{ExecConfig, StreamKind};

/// A running container that sleeps, for exec.
fn sleeper(scope: &Scope) -> dockhand::Container {
    let id = scope.create(&["sleep", "600"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c
}

/// 10 MiB of bytes that are not all alike, so a reordering or a loss would show.
fn payload() -> Vec<u8> {
    (0..10 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect()
}

#[test]
fn exec_run_returns_output_apart_and_the_exit_code() {
    let scope = Scope::new("exec-run");
    let c = sleeper(&scope);
    let done = c
        .exec_run(["sh", "-c", "echo out; echo err >&2; exit 4"])
        .unwrap();
    assert_eq!(done.stdout_text(), "out\n");
    assert_eq!(done.stderr_text(), "err\n");
    assert_eq!(done.exit_code, 4);
    assert!(!done.success());
    // One shape for a command run to its end, in a container or as a container.
    let ran = scope
        .docker
        .run(
            &scope
                .config()
                .cmd(["sh", "-c", "echo out; echo err >&2; exit 4"]),
        )
        .unwrap();
    assert_eq!(ran, done);
}

#[test]
fn a_streamed_exec_gives_its_exit_code_after_the_output() {
    let scope = Scope::new("exec-code");
    let c = sleeper(&scope);
    let exec = c
        .create_exec(&ExecConfig::new([
            "sh",
            "-c",
            "seq 1 2000; echo done >&2; exit 5",
        ]))
        .unwrap();
    let mut output = exec.start().unwrap();
    let mut chunk = dockhand::Chunk::default();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    while output.read_chunk(&mut chunk).unwrap() {
        match chunk.stream {
            StreamKind::Stderr => stderr.extend_from_slice(&chunk.data),
            _ => stdout.extend_from_slice(&chunk.data),
        }
    }
    let want: String = (1..=2000).map(|i| format!("{i}\n")).collect();
    assert!(stdout == want.as_bytes(), "stdout is not seq's");
    assert_eq!(stderr, b"done\n");
    assert_eq!(exec.exit_code().unwrap(), 5);
    // Asked again, or by another handle on the same exec: the same code.
    assert_eq!(scope.docker.exec(exec.id()).exit_code().unwrap(), 5);
}

#[test]
fn an_exit_code_asked_while_the_command_runs_is_a_timeout_naming_the_exec() {
    let scope = Scope::new("exec-code-wait");
    let c = sleeper(&scope);
    let mut settings = scope.docker.settings().clone();
    settings.timeout = Duration::from_millis(500);
    let docker = dockhand::Docker::new(settings).unwrap();
    let exec = c.create_exec(&ExecConfig::new(["sleep", "30"])).unwrap();
    exec.start_detached().unwrap();
    let started = Instant::now();
    let err = docker.exec(exec.id()).exit_code().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_timeout(), "{err}");
    assert!(err.to_string().contains(exec.id()), "{err}");
}

#[test]
fn exec_with_stdin_through_cat_returns_exactly_what_was_written() {
    let scope = Scope::new("exec-cat");
    let c = sleeper(&scope);
    let small = c.exec_run_with_input(["cat"], &b"hello\n"[..]).unwrap();
    assert_eq!(small.stdout, b"hello\n");
    assert_eq!(small.exit_code, 0);

    let data = payload();
    let started = Instant::now();
    let big = c
        .exec_run_with_input(["cat"], std::io::Cursor::new(data.clone()))
        .unwrap();
    eprintln!(
        "10 MiB through cat over the unix socket in {:?}",
        started.elapsed()
    );
    assert_eq!(big.stdout.len(), data.len());
    assert!(big.stdout == data, "the bytes differ");
    assert_eq!(big.exit_code, 0);
}

#[test]
fn exec_with_stdin_over_tls_moves_10_mib_both_ways_at_once() {
    let Some((host, certs)) = common::require_tls() else {
        return;
    };
    let scope = Scope::new("exec-tls");
    let c = sleeper(&scope);
    let tls = dockhand::Docker::new(
        dockhand::Settings::from_pairs([
            ("DOCKER_URL", host.as_str()),
            ("DOCKER_TLS", "True"),
            ("DOCKER_TLS_CERT_PATH", certs.to_str().unwrap()),
        ])
        .unwrap(),
    )
    .unwrap();
    let data = payload();
    let started = Instant::now();
    let done = tls
        .container(c.id())
        .exec_run_with_input(["cat"], std::io::Cursor::new(data.clone()))
        .unwrap();
    eprintln!("10 MiB through cat over TLS in {:?}", started.elapsed());
    assert!(done.stdout == data, "the bytes differ");
    assert_eq!(done.exit_code, 0);
}

#[test]
fn input_written_by_hand_then_closed_reaches_the_program_as_end_of_file() {
    let scope = Scope::new("exec-hand");
    let c = sleeper(&scope);
    let exec = c
        .create_exec(&ExecConfig::new(["sh", "-c", "wc -c; echo done >&2"]).stdin(true))
        .unwrap();
    let (mut stdin, output) = exec.start_attached().unwrap().split();
    stdin.write_all(b"12345").unwrap();
    stdin.close().unwrap();
    let out = output.collect_output().unwrap();
    assert_eq!(out.stdout_text().trim(), "5");
    assert_eq!(out.stderr_text(), "done\n");
    let state = exec.inspect().unwrap();
    assert!(!state.running);
    assert_eq!(state.exit_code, Some(0));
}

#[test]
fn a_tty_exec_gives_raw_console_output() {
    let scope = Scope::new("exec-tty");
    let c = sleeper(&scope);
    let exec = c
        .create_exec(&ExecConfig::new(["sh", "-c", "echo on a tty; echo err >&2"]).tty(true))
        .unwrap();
    let chunks: Vec<_> = exec.start().unwrap().map(|c| c.unwrap()).collect();
    assert!(chunks.iter().all(|c| c.stream == StreamKind::Console));
    let all: Vec<u8> = chunks.into_iter().flat_map(|c| c.data).collect();
    assert_eq!(all, b"on a tty\r\nerr\r\n");
    // by id, the handle learns the TTY from the engine
    let again = scope.docker.exec(exec.id());
    assert!(again.inspect().unwrap().process_config.tty);
}

#[test]
fn detached_exec_runs_in_the_background() {
    let scope = Scope::new("exec-detach");
    let c = sleeper(&scope);
    let exec = c
        .create_exec(&ExecConfig::new(["sh", "-c", "sleep 0.3; touch /tmp/ran"]))
        .unwrap();
    let started = Instant::now();
    exec.start_detached().unwrap();
    assert!(started.elapsed() < Duration::from_millis(300));
    let mut waited = 0;
    while exec.inspect().unwrap().running && waited < 100 {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
    }
    assert_eq!(c.exec_run(["ls", "/tmp/ran"]).unwrap().exit_code, 0);
}

#[test]
fn attach_with_stdin_before_start_misses_nothing() {
    let scope = Scope::new("attach");
    let mut config = scope
        .config()
        .cmd(["sh", "-c", "echo started; cat; echo bye >&2"]);
    config.open_stdin = Some(true);
    config.stdin_once = Some(true);
    let id = scope.docker.containers().create(&config).unwrap().id;
    let c = scope.docker.container(&id);
    let attached = c.attach(&AttachOptions::new().stdin(true)).unwrap();
    c.start().unwrap();
    let output = attached.feed(&b"line one\nline two\n"[..]).unwrap();
    assert_eq!(output.stdout_text(), "started\nline one\nline two\n");
    assert_eq!(output.stderr_text(), "bye\n");
    assert_eq!(c.wait().unwrap().status_code, 0);
}

#[test]
fn attach_with_logs_replays_what_was_written_before() {
    let scope = Scope::new("attach-logs");
    let id = scope.create(&["sh", "-c", "echo early; sleep 1; echo late"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    if common::skip(
        common::is_podman(),
        "Podman 4.3's attach with logs=1 sends frames whose length leaves out the newline",
    ) {
        return;
    }
    let (_stdin, output) = c.attach(&AttachOptions::new().logs(true)).unwrap().split();
    let out = output.collect_output().unwrap();
    assert_eq!(out.stdout_text(), "early\nlate\n");
}

#[test]
fn an_attached_stream_can_be_cancelled_from_another_thread() {
    let scope = Scope::new("attach-cancel");
    let c = sleeper(&scope);
    let attached = c.attach(&AttachOptions::new()).unwrap();
    let cancel = attached.cancel_handle();
    let (_stdin, output) = attached.split();
    let reader = std::thread::spawn(move || output.collect::<Vec<_>>());
    std::thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    cancel.cancel();
    let items = reader.join().unwrap();
    assert!(asked.elapsed() < Duration::from_secs(1));
    assert!(items.is_empty(), "{items:?}");
}

#[test]
fn exec_errors_are_the_engines() {
    let scope = Scope::new("exec-errors");
    // not running
    let id = scope.create(&["true"]);
    let err = scope
        .docker
        .container(&id)
        .create_exec(&ExecConfig::new(["ls"]))
        .unwrap_err();
    if common::is_podman() {
        // Podman refuses with a 500 and words of its own.
        assert_eq!(err.status(), Some(500), "{err}");
        assert!(err.to_string().contains("running containers"), "{err}");
    } else {
        assert!(err.is_conflict(), "{err}");
        assert!(err.to_string().contains("not running"), "{err}");
    }
    // no such exec, through the hijacked path as well
    let ghost = scope.docker.exec("0123456789abcdef");
    assert!(ghost.inspect().unwrap_err().is_not_found());
    let err = scope
        .docker
        .exec("0123456789abcdef")
        .start_attached()
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    // a command that does not exist
    let c = sleeper(&scope);
    // Engines say "could not run it" with 126 (20.10, 26.1) or 127 (28.5, Podman), as the
    // shell does for "cannot execute" and "not found": both mean the program never ran.
    let done = c.exec_run(["/no/such/program"]).unwrap();
    assert!(matches!(done.exit_code, 126 | 127), "{done:?}");
}

#[test]
fn attach_to_a_tty_container_gives_raw_bytes() {
    let scope = Scope::new("attach-tty");
    let id = scope
        .docker
        .containers()
        .create(&scope.config().tty(true).cmd(["echo", "tty"]))
        .unwrap()
        .id;
    let c = scope.docker.container(&id);
    let (_stdin, output) = c.attach(&AttachOptions::new()).unwrap().split();
    c.start().unwrap();
    let text: Vec<u8> = output.flat_map(|chunk| chunk.unwrap().data).collect();
    assert_eq!(text, b"tty\r\n");
}

/// 8 MiB of input that never ends early by itself.
fn eight_mib() -> std::io::Cursor<Vec<u8>> {
    std::io::Cursor::new(vec![b'x'; 8 * 1024 * 1024])
}

/// `docker exec -i` returns in well under a second here; engines kept us waiting for 13 to
/// 115 s while they went on reading input no program wanted.
const AT_ONCE: Duration = Duration::from_secs(5);

/// Podman 4.3 now and then loses the output of a program that exits with input unread: its
/// own attach to the program fails, and it says so on stderr instead (a fault of the
/// engine, with nothing lost on our side).
fn podman_lost_the_output(stdout: &[u8], stderr: &[u8]) -> bool {
    common::skip(
        common::is_podman()
            && stdout.is_empty()
            && String::from_utf8_lossy(stderr).contains("connection reset by peer"),
        "Podman 4.3 sometimes loses the output of a program that exits with input unread",
    )
}

#[test]
fn a_program_that_stops_reading_its_input_returns_at_once() {
    let scope = Scope::new("exec-head");
    let c = sleeper(&scope);
    for round in 0..3 {
        let started = Instant::now();
        let done = c
            .exec_run_with_input(["head", "-c", "10"], eight_mib())
            .unwrap();
        let took = started.elapsed();
        eprintln!("head -c 10 of 8 MiB, round {round}: {took:?}");
        assert!(took < AT_ONCE, "took {took:?}");
        assert_eq!(done.exit_code, 0);
        if podman_lost_the_output(&done.stdout, &done.stderr) {
            continue;
        }
        assert_eq!(done.stdout_text(), "xxxxxxxxxx");
    }
}

#[test]
fn input_written_by_hand_fails_once_the_program_has_ended() {
    // The caller's own writer thread, blocked on input no one reads, is let go as soon as
    // the output ends.
    let scope = Scope::new("exec-head-split");
    let c = sleeper(&scope);
    let exec = c
        .create_exec(&ExecConfig::new(["head", "-c", "10"]).stdin(true))
        .unwrap();
    let (mut stdin, output) = exec.start_attached().unwrap().split();
    let writer = std::thread::spawn(move || {
        let block = vec![b'y'; 64 * 1024];
        for _ in 0..128 {
            if let Err(e) = stdin.write_all(&block) {
                return Some(e);
            }
        }
        None
    });
    let out = output.collect_output().unwrap();
    let ended = Instant::now();
    let failed = writer.join().unwrap();
    assert!(ended.elapsed() < AT_ONCE, "{:?}", ended.elapsed());
    let e = failed.expect("a write after the end fails");
    assert!(
        matches!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
        ),
        "{e:?}"
    );
    if !podman_lost_the_output(&out.stdout, &out.stderr) {
        assert_eq!(out.stdout_text(), "yyyyyyyyyy");
    }
}

#[test]
fn an_attached_program_that_stops_reading_its_input_returns_at_once() {
    let scope = Scope::new("attach-head");
    let mut config = scope.config().cmd(["head", "-c", "10"]);
    config.open_stdin = Some(true);
    config.stdin_once = Some(true);
    let id = scope.docker.containers().create(&config).unwrap().id;
    let c = scope.docker.container(&id);
    let attached = c.attach(&AttachOptions::new().stdin(true)).unwrap();
    c.start().unwrap();
    let started = Instant::now();
    let fed = attached.feed(eight_mib());
    let took = started.elapsed();
    eprintln!("attached head -c 10 of 8 MiB: {took:?}");
    assert!(took < AT_ONCE, "took {took:?}");
    let output = match fed {
        // Podman 4.3 may write its own "connection reset by peer" into the framed stream,
        // unframed: the decoder rightly refuses what follows.
        Err(e @ dockhand::Error::Decode { .. })
            if common::skip(
                common::is_podman(),
                "Podman 4.3 may write its own unframed error text into an attach stream                  whose input is left unread",
            ) =>
        {
            eprintln!("{e}");
            return;
        }
        fed => fed.unwrap(),
    };
    assert_eq!(c.wait().unwrap().status_code, 0);
    if !podman_lost_the_output(&output.stdout, &output.stderr) {
        assert_eq!(output.stdout_text(), "xxxxxxxxxx");
    }
}
