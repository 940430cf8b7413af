//! Events from the real engine: live, replayed with since/until, filtered, cancelled.

mod common;

use std::time::{Duration, Instant};

use common::Scope;
use dockhand::system::Timestamp;
use dockhand::{EventsOptions, RemoveOptions};

/// Create, start, let exit 3, remove: one labelled container's whole life.
fn life(scope: &Scope) -> String {
    let id = scope.create(&["sh", "-c", "exit 3"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();
    c.remove(&RemoveOptions::new()).unwrap();
    id
}

#[test]
fn live_events_show_a_containers_life_in_order() {
    let scope = Scope::new("events-live");
    let events = scope
        .docker
        .events(
            &EventsOptions::new()
                .filter("type", "container")
                .filter("label", &scope.filter())
                // An event that never comes fails the test instead of hanging it.
                .idle_timeout(Duration::from_secs(30)),
        )
        .unwrap();
    let id = life(&scope);
    // Podman says `remove` where Docker says `destroy`, and reports steps of its own
    // (`init` before `start`, `cleanup` after `die`).
    let podman = common::is_podman();
    let last = if podman { "remove" } else { "destroy" };
    let mut actions = Vec::new();
    for event in events {
        let event = event.unwrap();
        if podman && matches!(event.action.as_str(), "init" | "cleanup") {
            continue;
        }
        assert_eq!(event.actor.id, id);
        assert_eq!(event.kind, "container");
        if event.action == "die" {
            assert_eq!(event.actor.attributes["exitCode"], "3");
        }
        actions.push(event.action.clone());
        if event.action == last {
            break;
        }
    }
    assert_eq!(actions, ["create", "start", "die", last]);
}

#[test]
fn since_and_until_replay_what_happened_and_end() {
    if common::skip(
        common::is_podman(),
        "Podman 4.3 replays no past window: with `until` already past it sends at most one \
         event and may never end; a `since` with a fraction gives nothing",
    ) {
        return;
    }
    let scope = Scope::new("events-replay");
    let since = Timestamp::now();
    let id = life(&scope);
    let until = Timestamp::now();
    let started = Instant::now();
    let events: Vec<_> = scope
        .docker
        .events(
            &EventsOptions::new()
                .since(since)
                .until(until)
                .filter("label", &scope.filter()),
        )
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the stream ended by itself"
    );
    let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "start", "die", "destroy"]);
    assert!(events.iter().all(|e| e.actor.id == id && e.time_nano > 0));
}

#[test]
fn an_events_stream_cancelled_from_another_thread_ends_quietly() {
    let docker = common::docker();
    let events = docker
        .events(
            &EventsOptions::new()
                .filter("type", "volume")
                .filter("label", "nothing-ever"),
        )
        .unwrap();
    let cancel = events.cancel_handle();
    let reader = std::thread::spawn(move || events.collect::<Vec<_>>());
    std::thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    cancel.cancel();
    let items = reader.join().unwrap();
    assert!(asked.elapsed() < Duration::from_secs(1));
    assert!(items.is_empty(), "{items:?}");
}
