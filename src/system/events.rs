//! The engine's events, as a stream.

use std::collections::HashMap;
use std::time::Duration;

use serde::Deserialize;

use crate::client::Docker;
use crate::error::Result;
use crate::json::{null_as_default, Filters};
use crate::stream::JsonStream;

use super::Timestamp;

/// Something that happened on the engine: a container started, an image was pulled, a
/// network was connected, ...
///
/// Engines before API 1.52 also send the legacy `status`, `id` and `from` of container and
/// image events; newer ones do not. [`status`](Self::status), [`id`](Self::id) and
/// [`from`](Self::from) give the same answers with or without them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Event {
    /// What kind of object: `container`, `image`, `network`, `volume`, `daemon`, `service`,
    /// `node`, `secret`, `config`, `plugin`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// What happened: `create`, `start`, `die`, `destroy`, `pull`, `connect`, ...
    #[serde(rename = "Action")]
    pub action: String,
    /// The object it happened to.
    #[serde(rename = "Actor")]
    pub actor: Actor,
    /// `local` or `swarm`.
    pub scope: String,
    /// When, in seconds since the epoch.
    pub time: i64,
    /// When, in nanoseconds since the epoch.
    #[serde(rename = "timeNano")]
    pub time_nano: i64,
    /// Every other field, such as the legacy `status`, `id` and `from`.
    #[serde(flatten)]
    pub extra: HashMap<String, serde_json::Value>,
}

impl Event {
    fn legacy(&self, key: &str) -> Option<&str> {
        self.extra
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// What happened, as the legacy `status` said it: the `status` when the engine sent
    /// one, else the [`action`](Self::action) (which it always equalled).
    pub fn status(&self) -> &str {
        self.legacy("status").unwrap_or(&self.action)
    }

    /// The id of the object it happened to: the legacy `id` when the engine sent one, else
    /// the [`actor`](Self::actor)'s id.
    pub fn id(&self) -> &str {
        self.legacy("id").unwrap_or(&self.actor.id)
    }

    /// For a container event, the container's image (the legacy `from`, else the actor's
    /// `image` attribute); `None` for other events.
    pub fn from(&self) -> Option<&str> {
        self.legacy("from").or_else(|| {
            (self.kind == "container")
                .then(|| self.actor.attributes.get("image"))
                .flatten()
                .map(String::as_str)
        })
    }
}

/// The object an [`Event`] is about.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[non_exhaustive]
pub struct Actor {
    /// Its id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Its attributes: the name, the image, labels, the exit code of a `die`, ...
    #[serde(deserialize_with = "null_as_default")]
    pub attributes: HashMap<String, String>,
}

/// What [`Docker::events`] reports.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct EventsOptions {
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    filters: Filters,
    idle_timeout: Option<Duration>,
}

impl EventsOptions {
    /// Every event from now on, until the stream is cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Start with the events since this time: a [`SystemTime`](std::time::SystemTime),
    /// Unix seconds, [`Timestamp::ago`], or a date read by [`Timestamp::parse`]. The engine
    /// replays what it still keeps of the past.
    ///
    /// ```
    /// use std::time::Duration;
    /// use dockhand::EventsOptions;
    /// use dockhand::system::Timestamp;
    /// # fn main() -> dockhand::Result<()> {
    /// let last_hour = EventsOptions::new().since(Timestamp::ago(Duration::from_secs(3600)));
    /// let that_day = EventsOptions::new()
    ///     .since(Timestamp::parse("2024-05-01T00:00:00Z")?)
    ///     .until(Timestamp::parse("2024-05-02T00:00:00Z")?);
    /// # Ok(()) }
    /// ```
    pub fn since(mut self, time: impl Into<Timestamp>) -> Self {
        self.since = Some(time.into());
        self
    }

    /// End the stream at this time (the same forms as [`since`](Self::since)): with
    /// `until` in the past, the stream replays what happened and ends.
    pub fn until(mut self, time: impl Into<Timestamp>) -> Self {
        self.until = Some(time.into());
        self
    }

    /// Adds a filter, as `docker events --filter key=value`: `type`, `event`, `container`,
    /// `image`, `label`, `network`, `volume`, `daemon`, ... Several values for one key
    /// match any of them.
    pub fn filter(mut self, key: &str, value: &str) -> Self {
        self.filters.add(key, value);
        self
    }

    /// Fail when no event arrives for this long (off by default: a quiet engine is fine).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }
}

impl Docker {
    /// The engine's events as they happen: a stream without a deadline that runs until
    /// `until` passes or it is cancelled.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, EventsOptions};
    /// let docker = Docker::from_env()?;
    /// let events = docker.events(&EventsOptions::new().filter("type", "container"))?;
    /// for event in events {
    ///     let event = event?;
    ///     println!("{} {} {}", event.kind, event.action, event.actor.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(&self, options: &EventsOptions) -> Result<JsonStream<Event>> {
        let response = self
            .get("/events".into())
            .query_opt("since", options.since.map(Timestamp::to_query))
            .query_opt("until", options.until.map(Timestamp::to_query))
            .query_opt("filters", options.filters.to_query())
            .streaming()
            .prompt()
            .idle_timeout(options.idle_timeout)
            .send()?;
        Ok(JsonStream::new(response.into_parts()))
    }
}
