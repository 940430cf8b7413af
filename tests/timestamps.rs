//! One point in time, [`Timestamp`], wherever the engine takes one: events since/until, logs
//! since/until, the prune filters' `until`, the image list's `until`. Each is sent as the
//! engine takes it, whatever form the caller gave (an RFC 3339 date passed through made the
//! engine answer 500 in events and logs).

mod common;
mod imagekit;

use std::time::{Duration, Instant, SystemTime};

use common::{Scope, LABEL};
use dockhand::container::PruneContainersOptions;
use dockhand::image::{ListImagesOptions, PruneImagesOptions};
use dockhand::network::{ListNetworksOptions, NetworkConfig, PruneNetworksOptions};
use dockhand::system::{PruneBuildCacheOptions, Timestamp};
use dockhand::{ApiVersion, EventsOptions, LogsOptions, RemoveOptions};
use imagekit::ImageScope;

const HOUR: Duration = Duration::from_secs(3600);

/// Create, start, let exit, remove: one labelled container's whole life.
fn life(scope: &Scope) -> String {
    let id = scope.create(&["true"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();
    c.remove(&RemoveOptions::new()).unwrap();
    id
}

#[test]
fn events_replay_a_window_given_in_every_form() {
    if common::skip(
        common::is_podman(),
        "Podman 4.3 (file events logger) replays a past window unreliably, whatever the form \
         of since/until: the same query gives the events once and nothing the next time",
    ) {
        return;
    }
    let scope = Scope::new("time-events");
    let started = Instant::now();
    let since = Timestamp::now();
    let id = life(&scope);
    let until = Timestamp::from(SystemTime::now());
    // Text as users write it: RFC 3339 in UTC and with an offset, Unix seconds; and a
    // duration before now.
    let rfc3339 = Timestamp::parse(&since.to_string()).unwrap();
    assert_eq!(rfc3339, since);
    let offset = shifted_rfc3339(until);
    let windows = [
        ("Timestamp values", since, until),
        ("RFC 3339 text", rfc3339, Timestamp::parse(&offset).unwrap()),
        (
            "Unix seconds",
            Timestamp::from(since.unix_seconds()),
            Timestamp::parse(&format!("{}.999999999", until.unix_seconds())).unwrap(),
        ),
        (
            "a duration ago",
            Timestamp::ago(started.elapsed() + Duration::from_secs(1)),
            Timestamp::from(SystemTime::now()),
        ),
    ];
    for (form, since, until) in windows {
        let asked = Instant::now();
        let events: Vec<_> = scope
            .docker
            .events(
                &EventsOptions::new()
                    .since(since)
                    .until(until)
                    .filter("label", &scope.filter()),
            )
            .unwrap_or_else(|e| panic!("{form}: {e}"))
            .map(|e| e.unwrap())
            .collect();
        assert!(asked.elapsed() < Duration::from_secs(5), "{form}: it ended");
        let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "start", "die", "destroy"], "{form}");
        assert!(events.iter().all(|e| e.actor.id == id));
    }
    // An event's own time resumes after it: `since` is inclusive, so the last comes again.
    let events: Vec<_> = scope
        .docker
        .events(
            &EventsOptions::new()
                .since(Timestamp::from_unix_nanos(events_time(
                    &scope, since, until,
                )))
                .until(until)
                .filter("label", &scope.filter()),
        )
        .unwrap()
        .map(|e| e.unwrap().action)
        .collect();
    assert_eq!(events, ["destroy"]);
}

/// The `timeNano` of the last event in the window.
fn events_time(scope: &Scope, since: Timestamp, until: Timestamp) -> i64 {
    let events = scope
        .docker
        .events(
            &EventsOptions::new()
                .since(since)
                .until(until)
                .filter("label", &scope.filter()),
        )
        .unwrap();
    events.map(|e| e.unwrap().time_nano).last().unwrap()
}

/// `time` written in RFC 3339 with a +05:30 offset, as a user somewhere else would.
fn shifted_rfc3339(time: Timestamp) -> String {
    let local = Timestamp::from_unix(time.unix_seconds() + 5 * 3600 + 30 * 60).to_string();
    let local = local.trim_end_matches('Z');
    format!("{local}.{:09}+05:30", time.subsec_nanos())
}

#[test]
fn logs_since_and_until_split_a_containers_output() {
    let scope = Scope::new("time-logs");
    let id = scope.create(&["sh", "-c", "echo early; sleep 2; echo late"]);
    let c = scope.docker.container(&id);
    c.start().unwrap();
    c.wait().unwrap();
    // The engine's own times of the two lines, read back with the RFC 3339 parser.
    let stamped = c
        .logs(&LogsOptions::new().timestamps(true))
        .unwrap()
        .collect_output()
        .unwrap()
        .stdout_text();
    let times: Vec<Timestamp> = stamped
        .lines()
        .map(|line| {
            let (time, _) = line.split_once(' ').unwrap();
            Timestamp::parse(time).unwrap_or_else(|e| panic!("{line}: {e}"))
        })
        .collect();
    assert_eq!(times.len(), 2, "{stamped}");
    let (early, late) = (SystemTime::from(times[0]), SystemTime::from(times[1]));
    let middle = early + late.duration_since(early).unwrap() / 2;
    let read = |options: LogsOptions| {
        c.logs(&options)
            .unwrap()
            .collect_output()
            .unwrap()
            .stdout_text()
    };
    assert_eq!(read(LogsOptions::new().since(middle)), "late\n");
    assert_eq!(read(LogsOptions::new().until(middle)), "early\n");
    let text = Timestamp::from(middle).to_string();
    assert_eq!(
        read(LogsOptions::new().since(Timestamp::parse(&text).unwrap())),
        "late\n"
    );
    // Unix seconds, as before; and a window that ends before the container began.
    assert_eq!(read(LogsOptions::new().since(0)), "early\nlate\n");
    assert_eq!(
        read(LogsOptions::new().since(Timestamp::ago(HOUR))),
        "early\nlate\n"
    );
    assert_eq!(read(LogsOptions::new().until(Timestamp::ago(HOUR))), "");
}

#[test]
fn prune_until_keeps_what_is_newer() {
    let scope = ImageScope::new("time-prune");
    let docker = scope.docker();
    let filter = scope.filter();

    // containers
    let id = scope.scope.create(&["true"]);
    let containers = |until: Timestamp| {
        let options = PruneContainersOptions::new()
            .filter("label", &filter)
            .until(until);
        common::prune(|| docker.containers().prune(&options)).containers_deleted
    };
    assert!(containers(Timestamp::ago(HOUR)).is_empty());
    assert_eq!(containers(Timestamp::now() + Duration::from_secs(1)), [id]);

    // images: dangling, labelled, with a step of its own
    let dockerfile = format!(
        "FROM {}\nRUN echo {} > /until\n",
        common::image(),
        scope.value()
    );
    let image = scope.build(&dockerfile, &[], &[]);
    let images = |until: Timestamp| {
        let options = PruneImagesOptions::new()
            .filter("label", &filter)
            .filter("dangling", "true")
            .until(until);
        common::prune(|| docker.images().prune(&options)).images_deleted
    };
    assert!(images(Timestamp::ago(HOUR)).is_empty());
    assert!(scope.exists(&image));
    let deleted = images(Timestamp::now() + Duration::from_secs(1));
    assert!(!deleted.is_empty(), "{deleted:?}");
    assert!(!scope.exists(&image));

    // networks
    let name = format!("dockhand-{}", scope.value());
    let network = docker
        .networks()
        .create(&NetworkConfig::new(&name).label(LABEL, scope.value()))
        .unwrap()
        .id;
    let _cleanup = NetworkCleanup(docker.clone(), filter.clone());
    let networks = |until: Timestamp| {
        let options = PruneNetworksOptions::new()
            .filter("label", &filter)
            .until(until);
        common::prune(|| docker.networks().prune(&options)).networks_deleted
    };
    assert!(networks(Timestamp::ago(HOUR)).is_empty());
    assert!(docker.network(&network).inspect().is_ok());
    assert_eq!(networks(Timestamp::now() + Duration::from_secs(1)), [name]);
}

/// Removes the networks with a label, at the end of a test, even when it fails.
struct NetworkCleanup(dockhand::Docker, String);

impl Drop for NetworkCleanup {
    fn drop(&mut self) {
        let options = ListNetworksOptions::new().filter("label", &self.1);
        for n in self.0.networks().list(&options).unwrap_or_default() {
            let _ = self.0.network(&n.id).remove();
        }
    }
}

#[test]
fn image_list_until_leaves_out_newer_images() {
    let scope = ImageScope::new("time-list");
    let docker = scope.docker();
    let name = scope.name("", "until");
    let dockerfile = format!(
        "FROM {}\nRUN echo {} > /t\n",
        common::image(),
        scope.value()
    );
    let id = scope.build(&dockerfile, &[], &[&format!("{name}:1")]);
    let list = |until: Timestamp| {
        docker.images().list(
            &ListImagesOptions::new()
                .filter("label", &scope.filter())
                .until(until),
        )
    };
    let old = docker.api_version().unwrap() < ApiVersion::new(1, 44);
    match list(Timestamp::ago(HOUR)) {
        Err(e) if old && e.status() == Some(400) && e.to_string().contains("until") => {
            common::skip(
                true,
                "engines before API 1.44 (Docker 20.10) have no `until` filter for the \
                 image list, and say so with a 400",
            );
            return;
        }
        other => assert!(other.unwrap().is_empty()),
    }
    let listed = list(Timestamp::now() + Duration::from_secs(1)).unwrap();
    assert_eq!(
        listed.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        [id.as_str()]
    );
}

#[test]
fn build_cache_prune_until_is_sent_as_a_duration() {
    let docker = common::docker();
    // A filter no record matches: nothing is deleted, but the engine reads `until`.
    let options = PruneBuildCacheOptions::new()
        .filter("id", "dockhand-test-no-such-record")
        .until(Timestamp::ago(24 * HOUR));
    match docker.prune_build_cache(&options) {
        Err(e) if e.is_not_found() && common::is_podman() => {
            common::skip(true, "Podman 4.3 has no /build/prune");
        }
        Err(e) if e.is_conflict() => {
            common::prune(|| docker.prune_build_cache(&options));
        }
        other => {
            let pruned = other.unwrap();
            assert!(pruned.caches_deleted.is_empty(), "{pruned:?}");
        }
    }
}
