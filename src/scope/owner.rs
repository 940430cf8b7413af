//! Who made a scope: a label value naming a process so exactly that a later run can tell,
//! for certain, that the process is gone. A pid alone is not enough (pids are reused), so
//! the value also holds the process's start time, its pid namespace, the boot and the
//! machine; whatever cannot be checked from here is taken to be alive.

use std::fs;
use std::sync::OnceLock;

/// A process, as a scope's label value records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Owner {
    pub(super) pid: u32,
    /// When it started, in clock ticks after boot (`/proc/PID/stat`'s 22nd field); 0
    /// when unknown.
    pub(super) start: u64,
    /// Its pid namespace's inode (pids mean something only inside one); empty when
    /// unknown.
    pub(super) pidns: String,
    /// The kernel's boot id; empty when unknown.
    pub(super) boot: String,
    /// `/etc/machine-id`; empty when unknown.
    pub(super) machine: String,
}

impl Owner {
    /// This process.
    pub(super) fn current() -> &'static Owner {
        static CURRENT: OnceLock<Owner> = OnceLock::new();
        CURRENT.get_or_init(|| {
            let pid = std::process::id();
            Owner {
                pid,
                start: process_state(pid).map(|(_, start)| start).unwrap_or(0),
                pidns: fs::read_link("/proc/self/ns/pid")
                    .ok()
                    .and_then(|link| {
                        let text = link.to_string_lossy().into_owned();
                        let inode = text.strip_prefix("pid:[")?.strip_suffix(']')?;
                        Some(clean(inode))
                    })
                    .unwrap_or_default(),
                boot: read_id("/proc/sys/kernel/random/boot_id"),
                machine: {
                    let id = read_id("/etc/machine-id");
                    if id.is_empty() {
                        read_id("/var/lib/dbus/machine-id")
                    } else {
                        id
                    }
                },
            }
        })
    }

    /// The label value of this owner's `n`th scope:
    /// `PID/START/N/PIDNS/BOOT/MACHINE`.
    pub(super) fn value(&self, n: u64) -> String {
        format!(
            "{}/{}/{n}/{}/{}/{}",
            self.pid, self.start, self.pidns, self.boot, self.machine
        )
    }

    /// The owner a label value names; `None` when it is not of that form.
    pub(super) fn parse(value: &str) -> Option<Owner> {
        let parts: Vec<&str> = value.split('/').collect();
        let [pid, start, n, pidns, boot, machine] = parts[..] else {
            return None;
        };
        n.parse::<u64>().ok()?;
        Some(Owner {
            pid: pid.parse().ok()?,
            start: start.parse().ok()?,
            pidns: pidns.to_string(),
            boot: boot.to_string(),
            machine: machine.to_string(),
        })
    }

    /// Whether this owner is gone for certain, seen from `here`: on this boot and in
    /// this pid namespace, no process has its pid and start time (or it is a zombie);
    /// or it ran on this machine before the last boot. Whatever cannot be checked (another
    /// machine or namespace, a field unknown) counts as alive.
    pub(super) fn is_gone(&self, here: &Owner) -> bool {
        if self.start == 0 || self.boot.is_empty() || here.boot.is_empty() {
            return false;
        }
        if self.boot == here.boot {
            if self.pidns.is_empty() || self.pidns != here.pidns {
                return false;
            }
            return match process_state(self.pid) {
                Some((state, start)) => start != self.start || matches!(state, 'Z' | 'X'),
                None => true,
            };
        }
        // Another boot: of this machine, which has rebooted since (so the process is
        // gone), or of another machine sharing the engine (which cannot be checked).
        !here.machine.is_empty() && self.machine == here.machine
    }
}

/// A process's state letter and start time, from `/proc/PID/stat`; `None` when there is
/// no such process (or no `/proc`).
fn process_state(pid: u32) -> Option<(char, u64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat(&stat)
}

/// The state (3rd field) and start time (22nd field) of a `/proc/PID/stat` line. The
/// command name (2nd field) may hold spaces and parentheses: fields are counted from the
/// last `)`.
fn parse_stat(stat: &str) -> Option<(char, u64)> {
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let start = fields.get(19)?.parse().ok()?;
    Some((state, start))
}

/// An identifier from a file, without what would break the label value's form.
fn read_id(path: &str) -> String {
    fs::read_to_string(path)
        .map(|text| clean(text.trim()))
        .unwrap_or_default()
}

fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(pid: u32, start: u64, pidns: &str, boot: &str, machine: &str) -> Owner {
        Owner {
            pid,
            start,
            pidns: pidns.into(),
            boot: boot.into(),
            machine: machine.into(),
        }
    }

    #[test]
    fn values_round_trip_and_odd_ones_are_not_owners() {
        let o = owner(42, 1234, "4026531836", "b-1", "m1");
        assert_eq!(o.value(7), "42/1234/7/4026531836/b-1/m1");
        assert_eq!(Owner::parse(&o.value(7)), Some(o));
        let blank = owner(42, 0, "", "", "");
        assert_eq!(Owner::parse(&blank.value(0)), Some(blank));
        for odd in [
            "",
            "x",
            "1/2/3/4/5",
            "a/2/3/4/5/6",
            "1/2/x/4/5/6",
            "1/2/3/4/5/6/7",
        ] {
            assert_eq!(Owner::parse(odd), None, "{odd}");
        }
    }

    #[test]
    fn stat_lines_with_odd_command_names_parse() {
        let line = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 \
                    987654 12345 67 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0";
        assert_eq!(parse_stat(line), Some(('S', 987654)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn this_process_is_alive_and_a_finished_one_is_gone() {
        let here = Owner::current();
        assert!(here.start > 0 && !here.boot.is_empty() && !here.pidns.is_empty());
        assert!(!here.is_gone(here));
        // The same pid started at another time: the pid was reused.
        let reused = Owner {
            start: here.start + 1,
            ..here.clone()
        };
        assert!(reused.is_gone(here));
        // A child that has exited and been waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let started = process_state(pid).map(|(_, s)| s);
        child.wait().unwrap();
        let finished = Owner {
            pid,
            start: started.unwrap_or(1),
            ..here.clone()
        };
        assert!(finished.is_gone(here));
    }

    #[test]
    fn what_cannot_be_checked_counts_as_alive() {
        let here = owner(1, 100, "ns1", "boot1", "m1");
        let dead_pid = u32::MAX - 1; // beyond pid_max: no such process
                                     // Another pid namespace, another machine, unknown fields: kept.
        assert!(!owner(dead_pid, 5, "ns2", "boot1", "m1").is_gone(&here));
        assert!(!owner(dead_pid, 5, "ns1", "boot2", "m2").is_gone(&here));
        assert!(!owner(dead_pid, 5, "ns1", "boot2", "").is_gone(&here));
        assert!(!owner(dead_pid, 0, "ns1", "boot1", "m1").is_gone(&here));
        assert!(!owner(dead_pid, 5, "", "boot1", "m1").is_gone(&here));
        assert!(!owner(dead_pid, 5, "ns1", "", "m1").is_gone(&here));
        // Seen from a process whose machine is unknown, another boot is kept too.
        let nameless = owner(1, 100, "ns1", "boot1", "");
        assert!(!owner(dead_pid, 5, "ns1", "boot2", "").is_gone(&nameless));
        // This machine before its last boot: gone.
        assert!(owner(dead_pid, 5, "ns9", "boot0", "m1").is_gone(&here));
        // This boot and namespace, no such process: gone.
        assert!(owner(dead_pid, 5, "ns1", "boot1", "m1").is_gone(&here));
    }
}
