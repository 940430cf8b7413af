//! The log reader a readiness wait runs beside its checks: it follows the container's
//! output in a thread of its own, counts the lines each log condition looks for, keeps the
//! last lines for the error, and wakes the wait when a count changes.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::LineWait;
use crate::client::CancelHandle;
use crate::container::{Container, LogsOptions};
use crate::stream::Line;

/// How many of the last lines the error of a failed wait shows.
pub(super) const LAST_LINES: usize = 20;

/// What the reader has seen in its current read of the log.
#[derive(Default)]
pub(super) struct Seen {
    /// Matching lines, by condition (the order of [`Watch::new`]'s `conditions`).
    pub(super) counts: Vec<usize>,
    /// The last lines, oldest first.
    pub(super) last: VecDeque<Line>,
    /// The read ended (the container stopped, or the engine ended the stream).
    pub(super) ended: bool,
    /// Why the log could not be read, if it could not.
    pub(super) error: Option<String>,
    /// Which read this is: a read that was replaced writes nothing more.
    run: u64,
}

pub(super) struct Watch {
    container: Container,
    conditions: Arc<Vec<LineWait>>,
    seen: Arc<Mutex<Seen>>,
    wake: Sender<()>,
    cancel: Option<CancelHandle>,
    thread: Option<JoinHandle<()>>,
}

fn lock(seen: &Mutex<Seen>) -> MutexGuard<'_, Seen> {
    // A panic in a caller's predicate poisons the lock; what it guards stays usable.
    seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Watch {
    pub(super) fn new(container: &Container, conditions: Vec<LineWait>, wake: Sender<()>) -> Watch {
        Watch {
            container: container.clone(),
            seen: Arc::new(Mutex::new(Seen {
                counts: vec![0; conditions.len()],
                ..Seen::default()
            })),
            conditions: Arc::new(conditions),
            wake,
            cancel: None,
            thread: None,
        }
    }

    pub(super) fn seen(&self) -> MutexGuard<'_, Seen> {
        lock(&self.seen)
    }

    /// Reads the whole log again from its start (following it while the container runs),
    /// counting afresh. An engine ends a follow at once for a container that does not run
    /// yet, so a read that ended is started again once it runs, and once more after it
    /// stopped, to see every line.
    pub(super) fn restart(&mut self) {
        self.stop();
        let run = {
            let mut seen = self.seen();
            seen.run += 1;
            seen.counts.iter_mut().for_each(|c| *c = 0);
            seen.last.clear();
            seen.ended = false;
            seen.error = None;
            seen.run
        };
        // Opened in the thread: an engine may not answer before the container writes
        // (Podman), and the cancel handle, made first, stops the wait for that answer too.
        let cancel = CancelHandle::new();
        self.cancel = Some(cancel.clone());
        // Started through a client that carries the handle, so it stops the stream also
        // while it waits for the engine's first answer.
        let container = self
            .container
            .docker()
            .with_cancel(&cancel)
            .container(self.container.id());
        let seen = self.seen.clone();
        let conditions = self.conditions.clone();
        let wake = self.wake.clone();
        let thread = std::thread::Builder::new()
            .name("dockhand-wait-logs".into())
            .spawn(move || {
                let options = LogsOptions::new().follow(true);
                let mut error = None;
                match container.logs(&options) {
                    Ok(output) => {
                        for line in output.lines() {
                            let mut seen = lock(&seen);
                            if seen.run != run {
                                return;
                            }
                            let line = match line {
                                Ok(line) => line,
                                Err(e) => {
                                    error = Some(format!("reading its log failed: {e}"));
                                    break;
                                }
                            };
                            let mut counted = false;
                            for (i, condition) in conditions.iter().enumerate() {
                                if condition.matches(&line) {
                                    seen.counts[i] += 1;
                                    counted = true;
                                }
                            }
                            if seen.last.len() == LAST_LINES {
                                seen.last.pop_front();
                            }
                            seen.last.push_back(line);
                            drop(seen);
                            if counted {
                                let _ = wake.send(());
                            }
                        }
                    }
                    Err(e) => error = Some(format!("its log cannot be read: {e}")),
                }
                let mut seen = lock(&seen);
                if seen.run == run {
                    seen.ended = true;
                    if !cancel.is_cancelled() {
                        seen.error = error;
                    }
                }
                drop(seen);
                let _ = wake.send(());
            });
        match thread {
            Ok(thread) => self.thread = Some(thread),
            Err(e) => {
                let mut seen = self.seen();
                seen.error = Some(format!("no thread to read its log: {e}"));
                seen.ended = true;
            }
        }
    }

    /// Waits until the current read ends, for up to `until`.
    pub(super) fn wait_ended(&self, until: Instant) {
        while !self.seen().ended && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the current read.
    pub(super) fn stop(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel.cancel();
        }
        if let Some(thread) = self.thread.take() {
            // A predicate that panicked has been reported by the panic hook already.
            let _ = thread.join();
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop();
    }
}
