//! Entry points for fuzzing: each feeds arbitrary bytes to one decoder, through the code the
//! crate itself runs, and panics only when the decoder breaks a promise. A decoder may
//! refuse bad input with an error; it may not panic, read or loop without end, hand out
//! bytes it was not given, or (for credentials) quote a secret in an error.
//!
//! Used by the cargo-fuzz targets in `tests/fuzz` and by `tests/damaged_input.rs`. Not part
//! of the API: hidden from the docs, and free to change in any release.

use std::io::{self, Read};

use crate::settings::{ApiVersion, Host, Settings, TlsVersion};
use crate::stream::{Decoder, Framing, JsonLine, JsonLines, Step, StreamKind};
use crate::Chunk;

/// The most bytes of one frame's data the decoder hands out at once (`output.rs`).
const MAX_PIECE: usize = 64 * 1024;

/// A reader that gives its bytes in pieces of the size the first byte picks (0: all at
/// once), as a socket might, so that decoders meet every way a value can be split.
struct Trickle<'a> {
    data: &'a [u8],
    piece: usize,
}

impl<'a> Trickle<'a> {
    fn new(data: &'a [u8]) -> (Trickle<'a>, &'a [u8]) {
        let (piece, data) = match data.split_first() {
            Some((&0, rest)) => (usize::MAX, rest),
            Some((&n, rest)) => (usize::from(n), rest),
            None => (usize::MAX, data),
        };
        (Trickle { data, piece }, data)
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.piece.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Runs `decoder` to its end; panics if it takes more steps than it has bytes (plus one
/// for the end), since every step must consume input.
fn all_steps(mut decoder: Decoder<Trickle<'_>>, len: usize) -> (Vec<(StreamKind, Vec<u8>)>, bool) {
    let mut chunks = Vec::new();
    for _ in 0..=len + 1 {
        match decoder.step() {
            Step::Chunk(chunk) => chunks.push((chunk.stream, chunk.data)),
            Step::End => return (chunks, true),
            Step::Io(e) => panic!("a reader of a byte slice failed: {e}"),
            Step::Bad(_) => return (chunks, false),
        }
    }
    panic!("the decoder took more steps than the input has bytes");
}

/// [`all_steps`], reading into one chunk over and over as `OutputStream::read_chunk` does.
fn reused_steps(
    mut decoder: Decoder<Trickle<'_>>,
    len: usize,
) -> (Vec<(StreamKind, Vec<u8>)>, bool) {
    let mut chunk = Chunk::default();
    let mut chunks = Vec::new();
    for _ in 0..=len + 1 {
        match decoder.step_into(&mut chunk) {
            Step::Chunk(()) => chunks.push((chunk.stream, chunk.data.clone())),
            Step::End => return (chunks, true),
            Step::Io(e) => panic!("a reader of a byte slice failed: {e}"),
            Step::Bad(_) => return (chunks, false),
        }
    }
    panic!("the decoder took more steps than the input has bytes");
}

/// The 8-byte frames of logs, attach and exec without a TTY.
pub fn multiplexed(data: &[u8]) {
    let (reader, data) = Trickle::new(data);
    let piece = reader.piece;
    let (chunks, clean) = all_steps(Decoder::new(reader, Framing::Multiplexed), data.len());
    // One chunk filled again and again gives the same pieces and the same end: nothing of
    // an earlier, larger piece shows in a later one.
    let reader = Trickle { data, piece };
    let reused = reused_steps(Decoder::new(reader, Framing::Multiplexed), data.len());
    assert!(
        reused == (chunks.clone(), clean),
        "read_chunk's pieces differ"
    );
    let mut total = 0;
    for (stream, piece) in &chunks {
        assert!(!piece.is_empty(), "an empty chunk");
        assert!(piece.len() <= MAX_PIECE, "a chunk over {MAX_PIECE} bytes");
        assert_ne!(*stream, StreamKind::Console, "a TTY chunk from frames");
        total += piece.len();
    }
    assert!(total <= data.len(), "more bytes out than in");
}

/// The raw bytes of logs, attach and exec with a TTY: everything passes through as it is.
pub fn raw_tty(data: &[u8]) {
    let (reader, data) = Trickle::new(data);
    let (chunks, clean) = all_steps(Decoder::new(reader, Framing::Raw), data.len());
    assert!(clean, "raw bytes are never an error");
    let out: Vec<u8> = chunks.into_iter().flat_map(|(_, piece)| piece).collect();
    assert_eq!(out, data, "raw bytes must pass through unchanged");
}

/// JSON values one per line (events, stats, progress), and the typed items read from them.
pub fn json_lines(data: &[u8]) {
    let (reader, data) = Trickle::new(data);
    let mut lines = JsonLines::new(reader);
    for _ in 0..=data.len() + 1 {
        match lines.next_value() {
            JsonLine::Value(value) => {
                let _ = crate::stream::stream_error(&value);
                // The typed items of the streams that carry them.
                let _ = serde_json::from_value::<crate::Progress>(value.clone());
                let _ = serde_json::from_value::<crate::BuildItem>(value.clone());
                let _ = serde_json::from_value::<crate::Event>(value.clone());
                let _ = serde_json::from_value::<crate::container::Stats>(value);
            }
            JsonLine::End | JsonLine::Bad(_) => return,
            JsonLine::Io(e) => panic!("a reader of a byte slice failed: {e}"),
        }
    }
    panic!("the line reader took more steps than the input has bytes");
}

/// The engine's answer to an upgrade (attach, exec with stdin): its head, then the raw
/// stream. `data` is what the engine sends before it closes.
#[cfg(unix)]
pub fn hijack_head(data: &[u8]) {
    use std::io::Write;
    use std::net::Shutdown;
    use std::os::unix::net::UnixStream;
    use std::time::Duration;

    use crate::transport::{hijack, RawStream, Socket};

    // Past the head limit (64 KiB) more bytes change nothing; less keeps the socket's
    // buffer from filling.
    let data = &data[..data.len().min(80 * 1024)];
    let (ours, mut engine) = UnixStream::pair().expect("a socket pair");
    engine
        .write_all(data)
        .expect("the socket takes the engine's bytes");
    engine.shutdown(Shutdown::Write).expect("a half-close");
    let stream = RawStream::plain(Socket::Unix(ours));
    let request = "POST /exec/x/start HTTP/1.1\r\nHost: docker\r\nUpgrade: tcp\r\n\r\n";
    let Ok((_head, mut reader, _writer)) =
        hijack::upgrade(stream, request, b"", Duration::from_secs(5))
    else {
        return;
    };
    let mut rest = Vec::new();
    reader
        .read_to_end(&mut rest)
        .expect("the stream after the head reads to its end");
    assert!(
        data.ends_with(&rest),
        "the stream after the head must be the engine's bytes after it"
    );
}

/// The engine's answer to an upgrade; nothing to do where unix sockets are missing.
#[cfg(not(unix))]
pub fn hijack_head(_data: &[u8]) {}

/// Engine addresses: any text parses or is refused, and what parses prints as a URL that
/// parses back to the same address.
pub fn host(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for value in std::iter::once(text.as_ref()).chain(text.lines()) {
        if let Ok(host) = Host::parse("DOCKER_URL", value) {
            let shown = host.to_string();
            match Host::parse("DOCKER_URL", &shown) {
                Ok(again) => assert_eq!(again, host, "{value:?} printed as {shown:?}"),
                Err(e) => panic!("{value:?} printed as {shown:?}, which does not parse: {e}"),
            }
        }
    }
}

/// Settings: a config file of `KEY=value` lines, the same lines as pairs, and the values of
/// the version settings.
pub fn settings(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = Settings::from_config_text(&text, "fuzz.cfg");
    let pairs: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|line| line.split_once('='))
        .collect();
    let _ = Settings::from_pairs(pairs);
    for line in text.lines() {
        let _ = ApiVersion::parse(line);
        let _ = TlsVersion::parse(line);
    }
}

/// The JSON that may hold registry credentials: the docker CLI's `config.json`, a
/// credential helper's answers, the engine's answer to a login. Their errors never depend
/// on a value of the input, so they cannot quote one: a document read with every string
/// made `"x"` and every number `0` gives the same errors.
pub fn docker_config(data: &[u8]) {
    use crate::settings::secret_json::errors;
    let found = errors(data);
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    blank(&mut value);
    let blanked = serde_json::to_vec(&value).expect("a JSON value serialises");
    assert_eq!(found, errors(&blanked), "an error depends on a value");
}

/// Makes every string of a JSON value `"x"` and every number `0`; keys stay.
fn blank(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => *s = "x".into(),
        serde_json::Value::Number(n) => *n = 0.into(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(blank),
        serde_json::Value::Object(map) => map.values_mut().for_each(blank),
        _ => {}
    }
}
