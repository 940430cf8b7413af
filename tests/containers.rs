//! Containers against the real engine: lifecycle, output streams, follow, cancel.

mod common;

use std::time::{Duration, Instant};

use common::Scope;
use dockhand::container::ContainerStatus;
use dockhand::{ListContainersOptions, LogsOptions, RemoveOptions, StreamKind};

#[test]
fn lifecycle_create_inspect_start_stop_restart_kill_wait_remove() {
    let scope = Scope::new("lifecycle");
    let docker = &scope.docker;
    let created = docker
        .containers()
        .create_named(
            &format!("dockhand-{}", scope.value),
            &scope
                .config()
                .cmd([
                    "sh",
                    "-c",
                    "trap 'exit 7' TERM; while true; do sleep 0.1; done",
                ])
                .env("GREETING", "hello world"),
        )
        .unwrap();
    let container = docker.container(&created.id);

    let before = container.inspect().unwrap();
    assert_eq!(before.state.status, ContainerStatus::Created);
    assert!(before
        .config
        .env
        .unwrap()
        .contains(&"GREETING=hello world".to_string()));
    assert_eq!(
        before.config.labels.unwrap().get(common::LABEL),
        Some(&scope.value)
    );

    container.start().unwrap();
    container.start().unwrap(); // starting a running container is not an error
    assert_eq!(
        container.inspect().unwrap().state.status,
        ContainerStatus::Running
    );

    // by name, and listed under our label
    let by_name = docker.container(format!("dockhand-{}", scope.value));
    assert_eq!(by_name.inspect().unwrap().id, created.id);
    let listed = docker
        .containers()
        .list(&ListContainersOptions::new().filter("label", &scope.filter()))
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    assert_eq!(listed[0].state, ContainerStatus::Running);

    container.stop(Some(Duration::from_secs(5))).unwrap();
    let stopped = container.inspect().unwrap().state;
    assert_eq!(stopped.status, ContainerStatus::Exited);
    assert_eq!(stopped.exit_code, 7, "the TERM trap ran");
    // a stopped container is not in the default (running) list, but is with all
    let running = docker
        .containers()
        .list(&ListContainersOptions::new().filter("label", &scope.filter()))
        .unwrap();
    assert!(running.is_empty());

    container.restart(Some(Duration::from_secs(5))).unwrap();
    assert!(container.inspect().unwrap().state.running);

    container.kill(Some("SIGKILL")).unwrap();
    let waited = container.wait().unwrap();
    assert_eq!(waited.status_code, 137);

    container.remove(&RemoveOptions::new()).unwrap();
    let gone = container.inspect().unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    let words = if common::is_podman() {
        "no such container"
    } else {
        "No such container"
    };
    assert!(gone.to_string().contains(words), "{gone}");
}

#[test]
fn wait_returns_the_exit_code_and_remove_force_removes_a_running_container() {
    let scope = Scope::new("wait");
    let docker = &scope.docker;
    let id = scope.create(&["sh", "-c", "exit 3"]);
    docker.container(&id).start().unwrap();
    assert_eq!(docker.container(&id).wait().unwrap().status_code, 3);

    let running = scope.create(&["sleep", "60"]);
    let c = docker.container(&running);
    c.start().unwrap();
    let refused = c.remove(&RemoveOptions::new()).unwrap_err();
    if common::is_podman() {
        // Podman refuses with a 500 where Docker says 409.
        assert_eq!(refused.status(), Some(500), "{refused}");
        assert!(refused.to_string().contains("is running"), "{refused}");
    } else {
        assert!(refused.is_conflict(), "{refused}");
    }
    c.remove(&RemoveOptions::new().force(true)).unwrap();
    assert!(c.inspect().unwrap_err().is_not_found());
}

#[test]
fn logs_keep_stdout_and_stderr_apart() {
    let scope = Scope::new("logs");
    let docker = &scope.docker;
    let id = scope.create(&[
        "sh",
        "-c",
        "echo one; echo two >&2; printf 'no newline'; echo three >&2",
    ]);
    let c = docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();

    let output = c
        .logs(&LogsOptions::new())
        .unwrap()
        .collect_output()
        .unwrap();
    assert_eq!(output.stdout_text(), "one\nno newline");
    assert_eq!(output.stderr_text(), "two\nthree\n");

    let only_err = c
        .logs(&LogsOptions::new().stdout(false))
        .unwrap()
        .collect_output()
        .unwrap();
    assert_eq!(only_err.stdout_text(), "");
    assert_eq!(only_err.stderr_text(), "two\nthree\n");

    // Podman counts the tail's lines over both streams, then leaves out the one not
    // asked for: the last line is stderr's.
    let (options, kind) = if common::is_podman() {
        (LogsOptions::new().tail(1).stdout(false), StreamKind::Stderr)
    } else {
        (LogsOptions::new().tail(1).stderr(false), StreamKind::Stdout)
    };
    let tail: Vec<_> = c.logs(&options).unwrap().map(|c| c.unwrap()).collect();
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].stream, kind);
}

#[test]
fn read_chunk_reuses_one_chunk_and_reads_what_the_iterator_reads() {
    let scope = Scope::new("read-chunk");
    let docker = &scope.docker;
    // Lines of every size on both streams, one far larger than a frame or a buffer (the
    // log driver cuts it into pieces of 16 KiB), then small ones again after it.
    let id = scope.create(&[
        "sh",
        "-c",
        "seq 1 500; seq 1 300 >&2; head -c 200000 /dev/zero | tr '\\0' x; echo; \
         seq 501 700; echo last >&2",
    ]);
    let c = docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();

    let whole = c
        .logs(&LogsOptions::new())
        .unwrap()
        .collect_output()
        .unwrap();
    assert!(whole.stdout.len() > 200_000, "{}", whole.stdout.len());

    let mut logs = c.logs(&LogsOptions::new()).unwrap();
    let mut chunk = dockhand::Chunk::default();
    let (mut stdout, mut stderr, mut pieces) = (Vec::new(), Vec::new(), 0);
    while logs.read_chunk(&mut chunk).unwrap() {
        pieces += 1;
        match chunk.stream {
            StreamKind::Stderr => stderr.extend_from_slice(&chunk.data),
            _ => stdout.extend_from_slice(&chunk.data),
        }
    }
    assert!(pieces > 1000, "{pieces} pieces");
    assert!(stdout == whole.stdout, "stdout differs from the iterator's");
    assert_eq!(String::from_utf8(stderr).unwrap(), whole.stderr_text());
    // The end is the end: asking again gives nothing more and no error.
    assert!(!logs.read_chunk(&mut chunk).unwrap());
}

#[test]
fn a_tty_container_gives_raw_bytes() {
    let scope = Scope::new("tty");
    let docker = &scope.docker;
    // Bytes that would be a frame header if misread as frames.
    let id = docker
        .containers()
        .create(&scope.config().tty(true).cmd([
            "sh",
            "-c",
            "printf '\\001\\000\\000\\000raw'; echo err >&2",
        ]))
        .unwrap()
        .id;
    let c = docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();
    let chunks: Vec<_> = c
        .logs(&LogsOptions::new())
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    assert!(chunks.iter().all(|c| c.stream == StreamKind::Console));
    let all: Vec<u8> = chunks.into_iter().flat_map(|c| c.data).collect();
    // A TTY turns \n into \r\n.
    assert_eq!(all, b"\x01\x00\x00\x00rawerr\r\n");
}

#[test]
fn follow_streams_output_as_it_comes_and_ends_when_the_container_stops() {
    let scope = Scope::new("follow");
    let docker = &scope.docker;
    let id = scope.create(&[
        "sh",
        "-c",
        "for i in 1 2 3; do echo line $i; sleep 0.5; done",
    ]);
    let c = docker.container(&id);
    c.start().unwrap();
    // An end that never comes fails the test instead of hanging it.
    let follow = LogsOptions::new()
        .follow(true)
        .idle_timeout(Duration::from_secs(30));
    let mut stream = c.logs(&follow).unwrap();
    let first = stream.next().unwrap().unwrap();
    let first_at = Instant::now();
    assert_eq!(first.data, b"line 1\n");
    let rest: Vec<u8> = stream.flat_map(|c| c.unwrap().data).collect();
    let gap = first_at.elapsed();
    assert_eq!(rest, b"line 2\nline 3\n");
    // The container ran on for at least a second after its first line: that line came
    // as it was written, not when the container ended.
    assert!(
        gap >= Duration::from_millis(800),
        "the first line came only {gap:?} before the end"
    );
}

#[test]
fn follow_outlives_the_request_timeout() {
    let scope = Scope::new("slowfollow");
    // Streams from a client whose ordinary calls have a 500 ms deadline; the container is
    // started by the normal client, since a start can take longer than that on a busy host.
    let settings = dockhand::Settings::from_env()
        .unwrap()
        .with_timeout(Duration::from_millis(500));
    let short = dockhand::Docker::new(settings).unwrap();
    let id = scope.create(&["sh", "-c", "echo a; sleep 1.5; echo b"]);
    scope.docker.container(&id).start().unwrap();
    let out = short
        .container(&id)
        .logs(
            &LogsOptions::new()
                .follow(true)
                .idle_timeout(Duration::from_secs(30)),
        )
        .unwrap()
        .collect_output()
        .unwrap();
    assert_eq!(out.stdout_text(), "a\nb\n");
    // wait is a stream too: no deadline
    let id = scope.create(&["sleep", "1.5"]);
    scope.docker.container(&id).start().unwrap();
    assert_eq!(short.container(&id).wait().unwrap().status_code, 0);
}

#[test]
fn a_follow_cancelled_from_another_thread_returns_within_a_second() {
    let scope = Scope::new("cancel");
    let docker = &scope.docker;
    let id = scope.create(&["sh", "-c", "echo ready; sleep 60"]);
    let c = docker.container(&id);
    c.start().unwrap();
    let mut stream = c.logs(&LogsOptions::new().follow(true)).unwrap();
    assert_eq!(stream.next().unwrap().unwrap().data, b"ready\n");
    let cancel = stream.cancel_handle();
    let reader = std::thread::spawn(move || {
        let rest: Vec<_> = stream.collect();
        rest
    });
    std::thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    cancel.cancel();
    let rest = reader.join().unwrap();
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(1), "cancel took {took:?}");
    assert!(rest.is_empty(), "a cancelled stream ends quietly: {rest:?}");
}

#[test]
fn an_idle_timeout_ends_a_quiet_stream_with_a_timeout_error() {
    let scope = Scope::new("idle");
    let docker = &scope.docker;
    let id = scope.create(&["sh", "-c", "echo hi; sleep 30"]);
    let c = docker.container(&id);
    c.start().unwrap();
    let mut stream = c
        .logs(
            &LogsOptions::new()
                .follow(true)
                .idle_timeout(Duration::from_millis(300)),
        )
        .unwrap();
    assert_eq!(stream.next().unwrap().unwrap().data, b"hi\n");
    let started = Instant::now();
    let err = stream.next().unwrap().unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(err.to_string().contains("idle read"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn creating_from_a_missing_image_names_it() {
    let scope = Scope::new("noimage");
    let err = scope
        .docker
        .containers()
        .create(&dockhand::ContainerConfig::new(
            "dockhand-test/does-not-exist:1",
        ))
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("does-not-exist"), "{err}");
}

#[test]
fn names_with_odd_characters_are_encoded_not_interpreted() {
    let scope = Scope::new("encode");
    // Would be a different path (or a query) if sent unencoded.
    for name in ["x?all=1", "a b", "%2e%2e", "x#y", "a%2Fb"] {
        let err = scope.docker.container(name).inspect().unwrap_err();
        assert!(err.is_not_found(), "{name}: {err}");
    }
    // The engine resolves `..` after decoding: these are refused before sending.
    for name in ["../../images/json", "..", "a/b", ""] {
        let err = scope.docker.container(name).inspect().unwrap_err();
        assert!(
            matches!(err, dockhand::Error::Setting { .. }),
            "{name}: {err}"
        );
    }
    // A name as the engine lists it, with its leading slash, still works.
    let id = scope.create(&["true"]);
    let name = scope.docker.container(&id).inspect().unwrap().name;
    assert!(name.starts_with('/'));
    assert_eq!(scope.docker.container(&name).inspect().unwrap().id, id);
}

#[test]
fn stop_without_a_grace_waits_the_containers_own_stop_timeout() {
    let scope = Scope::new("stoptimeout");
    // The container ignores SIGTERM and asks for 3 s; the client's deadline is 1 s.
    let mut config =
        scope
            .config()
            .cmd(["sh", "-c", "trap '' TERM; while true; do sleep 0.1; done"]);
    config.stop_timeout = Some(3);
    let id = scope.docker.containers().create(&config).unwrap().id;
    scope.docker.container(&id).start().unwrap();
    let settings = dockhand::Settings::from_env()
        .unwrap()
        .with_timeout(Duration::from_secs(1));
    let short = dockhand::Docker::new(settings).unwrap();
    let started = Instant::now();
    short.container(&id).stop(None).unwrap();
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert_eq!(
        scope.docker.container(&id).inspect().unwrap().state.status,
        ContainerStatus::Exited
    );
}

#[test]
fn a_grace_under_a_second_rounds_up_instead_of_killing_at_once() {
    let scope = Scope::new("grace");
    let id = scope.create(&[
        "sh",
        "-c",
        "trap 'exit 7' TERM; while true; do sleep 0.1; done",
    ]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.stop(Some(Duration::from_millis(500))).unwrap();
    // 7: the TERM trap ran; 137 would mean t=0, an immediate SIGKILL.
    assert_eq!(c.inspect().unwrap().state.exit_code, 7);
}

#[test]
fn a_wait_registered_before_start_sees_the_exit_and_a_wait_can_be_cancelled() {
    let scope = Scope::new("waitwith");
    let docker = &scope.docker;
    let id = scope.create(&["sh", "-c", "exit 5"]);
    let c = docker.container(&id);
    let waiting = c
        .wait_with(
            &dockhand::container::WaitOptions::new()
                .condition(dockhand::container::WaitCondition::NextExit),
        )
        .unwrap();
    // A wait the engine never answers fails the test instead of hanging it.
    let watchdog = waiting.cancel_handle();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        watchdog.cancel();
    });
    c.start().unwrap();
    assert_eq!(waiting.result().unwrap().status_code, 5);

    let id = scope.create(&["sleep", "60"]);
    let c = docker.container(&id);
    c.start().unwrap();
    let waiting = c
        .wait_with(&dockhand::container::WaitOptions::new())
        .unwrap();
    let cancel = waiting.cancel_handle();
    let waiter = std::thread::spawn(move || waiting.result());
    std::thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    cancel.cancel();
    let result = waiter.join().unwrap();
    assert!(asked.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(result, Err(dockhand::Error::Cancelled { .. })),
        "{result:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn finished_streams_hold_no_socket_even_when_their_handles_are_kept() {
    let scope = Scope::new("fdleak");
    let id = scope.create(&["echo", "x"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();
    let open_fds = || std::fs::read_dir("/proc/self/fd").unwrap().count();
    let before = open_fds();
    let mut kept = Vec::new();
    for _ in 0..50 {
        let stream = c.logs(&LogsOptions::new()).unwrap();
        kept.push(stream.cancel_handle());
        assert_eq!(stream.collect_output().unwrap().stdout_text(), "x\n");
    }
    let after = open_fds();
    // Other tests run alongside and open a few; a leak would be one per stream.
    assert!(
        after < before + 15,
        "{before} fds before, {after} after 50 streams"
    );
    drop(kept);
}
