//! [`Timestamp`]: a point in time, as the calls that take one (events, logs, prune and
//! list filters) send it.

use std::fmt;
use std::ops::{Add, Sub};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// A point in time, for every call that takes one: [`EventsOptions`](super::EventsOptions)
/// `since`/`until`, [`LogsOptions`](crate::LogsOptions) `since`/`until`, the prune options'
/// `until`, and [`ListImagesOptions::until`](crate::image::ListImagesOptions::until).
///
/// Make one from a [`SystemTime`], from Unix seconds (an `i64`), as a [`Duration`] before
/// now ([`ago`](Self::ago)), or from text with [`parse`](Self::parse) (also
/// [`FromStr`] and `TryFrom<&str>`), which takes what the docker CLI's `--since` takes
/// when it is unambiguous:
///
/// | text | meaning |
/// | --- | --- |
/// | `2024-05-01T12:00:00Z`, `2024-05-01T14:00:00.5+02:00` | an RFC 3339 date, with an optional fraction and a `Z` or `±hh:mm` offset |
/// | `1714564800`, `1714564800.25` | Unix seconds, with an optional fraction |
/// | `10m`, `1h30m`, `90s`, `1.5h` | that long before now (Go's duration syntax: `ns`, `us`, `ms`, `s`, `m`, `h`) |
///
/// A date without an offset (`2024-05-01T12:00:00`, `2024-05-01`) is refused: the docker
/// CLI reads it in the local time zone, which dockhand does not know; add `Z` or an offset.
///
/// It is sent as the docker CLI sends it, as Unix seconds with nine decimals
/// (`1714564800.000000000`), the one form every engine takes everywhere (an RFC 3339 date
/// in `events` or `logs` gets a 500 from the engine).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use dockhand::system::Timestamp;
/// # fn main() -> dockhand::Result<()> {
/// let a = Timestamp::parse("2024-05-01T14:00:00+02:00")?;
/// assert_eq!(a, Timestamp::from(1_714_564_800));
/// assert_eq!(a.to_string(), "2024-05-01T12:00:00Z");
/// let b: Timestamp = "1714564800.5".parse()?;
/// assert_eq!(b.subsec_nanos(), 500_000_000);
/// let c = Timestamp::ago(Duration::from_secs(600));
/// assert!(c < Timestamp::from(SystemTime::now()));
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Whole seconds since the epoch, rounded down (negative before 1970).
    secs: i64,
    /// Nanoseconds after `secs`, below one billion.
    nanos: u32,
}

const NANOS_PER_SEC: i128 = 1_000_000_000;

/// What a good value looks like, for parse errors.
const EXPECTED: &str = "an RFC 3339 date with a time zone (2024-05-01T12:00:00Z, \
                        2024-05-01T14:00:00.5+02:00), Unix seconds (1714564800, \
                        1714564800.25), or a duration before now (10m, 1h30m)";

impl Timestamp {
    /// Now.
    pub fn now() -> Timestamp {
        Timestamp::from(SystemTime::now())
    }

    /// `duration` before now (`Timestamp::ago(Duration::from_secs(600))`: ten minutes ago).
    pub fn ago(duration: Duration) -> Timestamp {
        Timestamp::now() - duration
    }

    /// `secs` seconds after the epoch (1970-01-01T00:00:00Z); negative before it.
    pub fn from_unix(secs: i64) -> Timestamp {
        Timestamp { secs, nanos: 0 }
    }

    /// `nanos` nanoseconds after the epoch, as an [`Event`](super::Event)'s `time_nano`:
    /// `since(Timestamp::from_unix_nanos(event.time_nano))` resumes after that event.
    pub fn from_unix_nanos(nanos: i64) -> Timestamp {
        Timestamp::from_total_nanos(i128::from(nanos))
    }

    /// Reads a date, Unix seconds or a duration before now (see the table above). The
    /// error names the text and the forms it may take.
    pub fn parse(text: &str) -> Result<Timestamp> {
        let bad = || Error::setting("Timestamp", text, EXPECTED);
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(bad());
        }
        if let Some(seconds) = parse_unix(trimmed) {
            return seconds.ok_or_else(bad);
        }
        if let Some(nanos) = parse_go_duration(trimmed) {
            let now = Timestamp::now().total_nanos();
            return Ok(Timestamp::from_total_nanos(now - nanos));
        }
        parse_rfc3339(trimmed)
            .map_err(|why| Error::setting("Timestamp", text, format!("{EXPECTED}; here {why}")))
    }

    /// Whole seconds since the epoch, rounded down (negative before 1970).
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds after [`unix_seconds`](Self::unix_seconds), below one billion.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// As the engine takes it: Unix seconds and nine decimals, as the docker CLI sends it.
    pub(crate) fn to_query(self) -> String {
        format!("{}.{:09}", self.secs, self.nanos)
    }

    /// How long before now, as a Go duration in seconds (`600s`; `0s` for a time to come):
    /// for the filters that take a duration only (the build cache's `until`).
    pub(crate) fn to_go_duration_before_now(self) -> String {
        let before = Timestamp::now().total_nanos() - self.total_nanos();
        let before = before.max(0);
        let (secs, nanos) = (before / NANOS_PER_SEC, before % NANOS_PER_SEC);
        if nanos == 0 {
            format!("{secs}s")
        } else {
            format!("{secs}.{nanos:09}s")
        }
    }

    fn total_nanos(self) -> i128 {
        i128::from(self.secs) * NANOS_PER_SEC + i128::from(self.nanos)
    }

    /// Saturates at the ends of what an `i64` of seconds holds.
    fn from_total_nanos(total: i128) -> Timestamp {
        let secs = total.div_euclid(NANOS_PER_SEC);
        let nanos = total.rem_euclid(NANOS_PER_SEC) as u32;
        match i64::try_from(secs) {
            Ok(secs) => Timestamp { secs, nanos },
            Err(_) if secs < 0 => Timestamp {
                secs: i64::MIN,
                nanos: 0,
            },
            Err(_) => Timestamp {
                secs: i64::MAX,
                nanos: 999_999_999,
            },
        }
    }
}

impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Timestamp {
        let total = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        };
        Timestamp::from_total_nanos(total)
    }
}

/// Later by `duration` (saturating).
impl Add<Duration> for Timestamp {
    type Output = Timestamp;

    fn add(self, duration: Duration) -> Timestamp {
        let span = i128::try_from(duration.as_nanos()).unwrap_or(i128::MAX);
        Timestamp::from_total_nanos(self.total_nanos().saturating_add(span))
    }
}

/// Earlier by `duration` (saturating).
impl Sub<Duration> for Timestamp {
    type Output = Timestamp;

    fn sub(self, duration: Duration) -> Timestamp {
        let span = i128::try_from(duration.as_nanos()).unwrap_or(i128::MAX);
        Timestamp::from_total_nanos(self.total_nanos().saturating_sub(span))
    }
}

/// Unix seconds.
impl From<i64> for Timestamp {
    fn from(secs: i64) -> Timestamp {
        Timestamp::from_unix(secs)
    }
}

/// Where the platform's `SystemTime` cannot hold it, the epoch.
impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> SystemTime {
        let total = t.total_nanos();
        let magnitude = total.unsigned_abs();
        let span = Duration::new(
            u64::try_from(magnitude / NANOS_PER_SEC as u128).unwrap_or(u64::MAX),
            (magnitude % NANOS_PER_SEC as u128) as u32,
        );
        let time = if total >= 0 {
            UNIX_EPOCH.checked_add(span)
        } else {
            UNIX_EPOCH.checked_sub(span)
        };
        time.unwrap_or(UNIX_EPOCH)
    }
}

impl FromStr for Timestamp {
    type Err = Error;

    fn from_str(text: &str) -> Result<Timestamp> {
        Timestamp::parse(text)
    }
}

impl TryFrom<&str> for Timestamp {
    type Error = Error;

    fn try_from(text: &str) -> Result<Timestamp> {
        Timestamp::parse(text)
    }
}

/// RFC 3339 in UTC, with as many decimals as it needs: `2024-05-01T12:00:00.5Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let of_day = self.secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        )?;
        if self.nanos > 0 {
            let fraction = format!("{:09}", self.nanos);
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// `1714564800` or `1714564800.25` (a sign allowed): `None` when `text` is not of that
/// shape, `Some(None)` when it is but does not fit.
fn parse_unix(text: &str) -> Option<Option<Timestamp>> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    if unsigned.ends_with('.') {
        return Some(None);
    }
    let Ok(secs) = whole.parse::<i64>() else {
        return Some(None);
    };
    let nanos = fraction_nanos(fraction);
    let total = i128::from(secs) * NANOS_PER_SEC + i128::from(nanos);
    Some(Some(Timestamp::from_total_nanos(if negative {
        -total
    } else {
        total
    })))
}

/// The first nine digits of a decimal fraction, as nanoseconds (later digits are dropped).
fn fraction_nanos(fraction: &str) -> u32 {
    let mut nanos = 0u32;
    for b in fraction.bytes().chain(std::iter::repeat(b'0')).take(9) {
        nanos = nanos * 10 + u32::from(b - b'0');
    }
    nanos
}

/// A Go duration (`10m`, `1h30m`, `-1.5h`, `250ms`, `0`) in nanoseconds; `None` when
/// `text` is not one.
fn parse_go_duration(text: &str) -> Option<i128> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map_or(after.len(), |(i, _)| i);
        let (unit, after) = after.split_at(unit_len);
        let per_unit: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => NANOS_PER_SEC,
            "m" => 60 * NANOS_PER_SEC,
            "h" => 3600 * NANOS_PER_SEC,
            _ => return None,
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return None;
        }
        let whole: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut part = whole.checked_mul(per_unit)?;
        // The fraction, to the nanosecond: at most 9 + 4 digits matter for an hour.
        let mut scale = per_unit;
        for b in fraction.bytes().take(18) {
            scale /= 10;
            part += i128::from(b - b'0') * scale;
        }
        total = total.checked_add(part)?;
        rest = after;
    }
    Some(if negative { -total } else { total })
}

/// `2024-05-01T12:00:00Z`, `2024-05-01t14:00:00.123+02:00` or with a space between date
/// and time; the error says what is wrong.
fn parse_rfc3339(text: &str) -> std::result::Result<Timestamp, String> {
    let b = text.as_bytes();
    let number = |range: std::ops::Range<usize>, what: &str| -> std::result::Result<i64, String> {
        let part = text
            .get(range)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
            .ok_or_else(|| format!("the {what} is not a number of the right length"))?;
        part.parse::<i64>()
            .map_err(|_| format!("the {what} is out of range"))
    };
    let separator = |at: usize, want: u8, what: &str| -> std::result::Result<(), String> {
        if b.get(at) == Some(&want) {
            Ok(())
        } else {
            Err(format!("{what} is missing"))
        }
    };
    if b.len() < 10 {
        return Err("the text is too short for a date".into());
    }
    let year = number(0..4, "year")?;
    separator(4, b'-', "the `-` after the year")?;
    let month = number(5..7, "month")?;
    separator(7, b'-', "the `-` after the month")?;
    let day = number(8..10, "day")?;
    if b.len() == 10 {
        return Err("the time and time zone are missing".into());
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return Err("the `T` between date and time is missing".into());
    }
    let hour = number(11..13, "hour")?;
    separator(13, b':', "the `:` after the hour")?;
    let minute = number(14..16, "minute")?;
    separator(16, b':', "the `:` after the minutes")?;
    let second = number(17..19, "second")?;
    let mut at = 19;
    let mut nanos = 0;
    if b.get(at) == Some(&b'.') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return Err("the fraction after `.` has no digits".into());
        }
        nanos = fraction_nanos(&text[at + 1..at + 1 + digits]);
        at += 1 + digits;
    }
    let offset = match &text[at..] {
        "" => return Err("the time zone is missing (add `Z` or an offset such as +02:00)".into()),
        "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(format!("the time zone {zone:?} is not `Z` or ±hh:mm")),
            };
            let zb = zone.as_bytes();
            let two = |r: std::ops::Range<usize>| {
                zone.get(r)
                    .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))
                    .and_then(|p| p.parse::<i64>().ok())
            };
            match (zone.len(), zb.get(3), two(1..3), two(4..6)) {
                (6, Some(b':'), Some(h), Some(m)) if h < 24 && m < 60 => sign * (h * 3600 + m * 60),
                _ => return Err(format!("the time zone {zone:?} is not `Z` or ±hh:mm")),
            }
        }
    };
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} does not exist"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(format!("day {day} does not exist in {year:04}-{month:02}"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ));
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Ok(Timestamp { secs, nanos })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64, nanos: u32) -> Timestamp {
        Timestamp { secs, nanos }
    }

    #[test]
    fn rfc3339_dates_with_fractions_and_offsets() {
        for (text, want) in [
            ("1970-01-01T00:00:00Z", at(0, 0)),
            ("2024-05-01T12:00:00Z", at(1_714_564_800, 0)),
            ("2024-05-01t12:00:00z", at(1_714_564_800, 0)),
            ("2024-05-01 12:00:00Z", at(1_714_564_800, 0)),
            ("2024-05-01T14:00:00+02:00", at(1_714_564_800, 0)),
            ("2024-05-01T06:30:00-05:30", at(1_714_564_800, 0)),
            ("2024-05-01T12:00:00.5Z", at(1_714_564_800, 500_000_000)),
            (
                "2024-05-01T12:00:00.123456789Z",
                at(1_714_564_800, 123_456_789),
            ),
            // Go's RFC3339Nano output keeps more digits only when asked; extra ones drop.
            (
                "2024-05-01T12:00:00.1234567891Z",
                at(1_714_564_800, 123_456_789),
            ),
            (
                "2024-05-01T13:00:00.25+01:00",
                at(1_714_564_800, 250_000_000),
            ),
            ("2024-02-29T00:00:00Z", at(1_709_164_800, 0)),
            ("2000-02-29T23:59:59Z", at(951_868_799, 0)),
            ("1969-12-31T23:59:59.5Z", at(-1, 500_000_000)),
            ("0001-01-01T00:00:00Z", at(-62_135_596_800, 0)),
            ("9999-12-31T23:59:59Z", at(253_402_300_799, 0)),
        ] {
            assert_eq!(Timestamp::parse(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn unix_seconds_with_or_without_a_fraction() {
        for (text, want) in [
            ("0", at(0, 0)),
            ("1714564800", at(1_714_564_800, 0)),
            ("1714564800.25", at(1_714_564_800, 250_000_000)),
            ("1714564800.000000001", at(1_714_564_800, 1)),
            (" 1714564800 ", at(1_714_564_800, 0)),
            ("-1.5", at(-2, 500_000_000)),
        ] {
            assert_eq!(Timestamp::parse(text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn durations_are_that_long_before_now() {
        let close = |text: &str, before: Duration| {
            let got = Timestamp::parse(text).unwrap();
            let want = Timestamp::ago(before);
            let diff = (want.total_nanos() - got.total_nanos()).abs();
            assert!(diff < 5 * NANOS_PER_SEC, "{text}: {got} vs {want}");
        };
        close("10m", Duration::from_secs(600));
        close("1h30m", Duration::from_secs(5400));
        close("1.5h", Duration::from_secs(5400));
        close("90s", Duration::from_secs(90));
        close("250ms", Duration::from_millis(250));
        close("1h0m0.5s", Duration::from_millis(3_600_500));
        assert_eq!(parse_go_duration("1.5h"), Some(5400 * NANOS_PER_SEC));
        assert_eq!(parse_go_duration("2us"), Some(2000));
        assert_eq!(parse_go_duration("2µs"), Some(2000));
        assert_eq!(parse_go_duration("-1m"), Some(-60 * NANOS_PER_SEC));
        assert_eq!(parse_go_duration(".5s"), Some(NANOS_PER_SEC / 2));
        for bad in ["10", "1d", "m", "1..5s", "1h-2m", "1 h", ""] {
            assert_eq!(parse_go_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_text_is_refused_with_the_forms_it_may_take() {
        for (text, why) in [
            ("", "Unix seconds"),
            ("yesterday", "too short"),
            ("tomorrow!!", "the year"),
            ("2024-05-01", "time zone are missing"),
            ("2024-05-01T12:00:00", "time zone is missing"),
            ("2024-05-01T12:00", "after the minutes"),
            ("2024-13-01T12:00:00Z", "month 13"),
            ("2023-02-29T12:00:00Z", "day 29"),
            ("2024-05-01T24:00:00Z", "not a time of day"),
            ("2024-05-01T12:00:60Z", "not a time of day"),
            ("2024-05-01T12:00:00+0200", "±hh:mm"),
            ("2024-05-01T12:00:00+25:00", "±hh:mm"),
            ("2024-05-01T12:00:00.Z", "no digits"),
            ("2024-05-01X12:00:00Z", "`T`"),
            ("1714564800.", "Unix seconds"),
            ("99999999999999999999", "Unix seconds"),
            ("2024-05-01T12:00:00Zjunk", "time zone"),
        ] {
            let err = Timestamp::parse(text).unwrap_err();
            let message = err.to_string();
            assert!(message.contains(why), "{text:?}: {message}");
            assert!(message.contains("RFC 3339"), "{text:?}: {message}");
            assert!(
                message.contains(&format!("{text:?}")),
                "{text:?}: {message}"
            );
        }
    }

    #[test]
    fn written_for_the_engine_and_for_people() {
        let t = at(1_714_564_800, 500_000_000);
        assert_eq!(t.to_query(), "1714564800.500000000");
        assert_eq!(at(0, 0).to_query(), "0.000000000");
        assert_eq!(t.to_string(), "2024-05-01T12:00:00.5Z");
        assert_eq!(at(-1, 500_000_000).to_string(), "1969-12-31T23:59:59.5Z");
        assert_eq!(at(951_868_799, 0).to_string(), "2000-02-29T23:59:59Z");
        // Display and parse agree, every day of a few years.
        for secs in (-800..1600).map(|d| d * 7 * 86_400 + 45_296) {
            let t = at(secs, 7);
            assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        }
    }

    #[test]
    fn system_times_and_durations() {
        let t = Timestamp::from(UNIX_EPOCH + Duration::new(1_714_564_800, 42));
        assert_eq!(t, at(1_714_564_800, 42));
        let before = Timestamp::from(UNIX_EPOCH - Duration::new(1, 250_000_000));
        assert_eq!(before, at(-2, 750_000_000));
        assert_eq!(
            SystemTime::from(before),
            UNIX_EPOCH - Duration::new(1, 250_000_000)
        );
        assert_eq!(
            SystemTime::from(t),
            UNIX_EPOCH + Duration::new(1_714_564_800, 42)
        );
        assert_eq!(Timestamp::from(5i64), Timestamp::from_unix(5));
        assert_eq!(Timestamp::from_unix_nanos(-1), at(-1, 999_999_999));
        assert_eq!(Timestamp::try_from("5").unwrap(), at(5, 0));
        let ago = Timestamp::ago(Duration::from_secs(3600));
        let now = Timestamp::now();
        assert!((now.secs - ago.secs - 3600).abs() <= 1);
        assert_eq!(Timestamp::ago(Duration::MAX), at(i64::MIN, 0));
        let d = Timestamp::ago(Duration::from_secs(600)).to_go_duration_before_now();
        assert!(
            d.starts_with("600.") || d.starts_with("599.") || d == "600s",
            "{d}"
        );
        assert_eq!(
            Timestamp::from_unix(i64::MAX).to_go_duration_before_now(),
            "0s"
        );
        assert_eq!(at(1, 0) + Duration::from_millis(1500), at(2, 500_000_000));
        assert_eq!(at(1, 0) - Duration::from_millis(1500), at(-1, 500_000_000));
        assert_eq!(at(i64::MAX, 0) + Duration::MAX, at(i64::MAX, 999_999_999));
    }
}
