//! Output streams of containers (logs, later attach and exec): the engine's 8-byte frame
//! format for containers without a TTY, raw bytes for containers with one.

use std::fmt;
use std::io::Read;
use std::ops::Range;

use crate::client::{BodyParts, CancelHandle, Failure};
use crate::error::{Error, Result};

/// Which stream a piece of output came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StreamKind {
    /// Standard input echoed back (attach with a TTY off).
    Stdin,
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
    /// A TTY container's output: stdout and stderr are one stream there.
    Console,
}

/// A piece of a container's output, as it arrived.
#[derive(Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Where it came from.
    pub stream: StreamKind,
    /// The bytes, exactly as the program wrote them (not split at newlines).
    pub data: Vec<u8>,
}

impl Default for Chunk {
    /// An empty chunk of stdout: something for [`OutputStream::read_chunk`] to fill.
    fn default() -> Chunk {
        Chunk {
            stream: StreamKind::Stdout,
            data: Vec::new(),
        }
    }
}

impl fmt::Debug for Chunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}({:?})",
            self.stream,
            String::from_utf8_lossy(&self.data)
        )
    }
}

/// How the bytes of a stream are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    /// 8-byte headers: stream byte, three zero bytes, big-endian u32 length.
    Multiplexed,
    /// Raw TTY bytes.
    Raw,
}

impl Framing {
    /// Raw bytes with a TTY, frames without.
    pub(crate) fn for_tty(tty: bool) -> Framing {
        if tty {
            Framing::Raw
        } else {
            Framing::Multiplexed
        }
    }
}

/// The content types that say which framing a stream has (API 1.42 and later).
pub(crate) fn framing_from_content_type(content_type: Option<&str>) -> Option<Framing> {
    match content_type?.split(';').next()?.trim() {
        "application/vnd.docker.multiplexed-stream" => Some(Framing::Multiplexed),
        "application/vnd.docker.raw-stream" => Some(Framing::Raw),
        _ => None,
    }
}

/// Data of one frame is handed out in pieces of at most this size, so that a frame's declared
/// length never decides how much we allocate.
const MAX_PIECE: usize = 64 * 1024;

/// What the decoder reads into: frames smaller than this are read many at a time.
const READ_BUF: usize = 32 * 1024;

/// Decodes frames or raw bytes from any `Read`; the core of [`OutputStream`], kept apart so
/// it can be tested on byte slices.
///
/// It reads into a buffer of its own and cuts frames out of it, so that many small frames
/// cost one read of the body (and the buffer is zeroed once, not per frame). A piece of a
/// frame larger than the buffer is read straight into its chunk.
pub(crate) struct Decoder<R> {
    reader: R,
    framing: Framing,
    /// In a frame: its stream and the bytes still to come.
    current: Option<(StreamKind, u64)>,
    done: bool,
    /// Read but not yet handed out: `buf[start..end]`.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The last frame was larger than the buffer: the next is likely to be too.
    large: bool,
}

/// What the decoder saw: a chunk, a clean end, or a problem (an I/O error to map by the
/// caller, or a decoding error). [`Decoder::step_into`] fills a chunk the caller owns and
/// says so with `Chunk(())`.
pub(crate) enum Step<T = Chunk> {
    Chunk(T),
    End,
    Io(std::io::Error),
    Bad(Error),
}

impl<R: Read> Decoder<R> {
    pub(crate) fn new(reader: R, framing: Framing) -> Self {
        Decoder {
            reader,
            framing,
            current: None,
            done: false,
            buf: Vec::new(),
            start: 0,
            end: 0,
            large: false,
        }
    }

    /// The next chunk, in an allocation of its own.
    pub(crate) fn step(&mut self) -> Step {
        let mut chunk = Chunk::default();
        match self.step_into(&mut chunk) {
            Step::Chunk(()) => Step::Chunk(chunk),
            Step::End => Step::End,
            Step::Io(e) => Step::Io(e),
            Step::Bad(e) => Step::Bad(e),
        }
    }

    /// The next chunk, written over `chunk` (its allocation kept for the data).
    pub(crate) fn step_into(&mut self, chunk: &mut Chunk) -> Step<()> {
        if self.done {
            return Step::End;
        }
        let step = match self.framing {
            Framing::Raw => self.raw(chunk),
            Framing::Multiplexed => self.framed(chunk),
        };
        if !matches!(step, Step::Chunk(())) {
            self.done = true;
        }
        step
    }

    fn raw(&mut self, chunk: &mut Chunk) -> Step<()> {
        // One buffer for every read; each chunk gets a copy of just what arrived, so a
        // caller who keeps chunks does not keep 64 KiB per keystroke.
        if self.buf.len() != MAX_PIECE {
            // `vec!` of zeros asks the allocator for zeroed memory, where `resize` writes
            // each byte (slowly, in a debug build).
            self.buf = vec![0; MAX_PIECE];
        }
        loop {
            match self.reader.read(&mut self.buf) {
                Ok(0) => return Step::End,
                Ok(n) => {
                    chunk.stream = StreamKind::Console;
                    chunk.data.clear();
                    chunk.data.extend_from_slice(&self.buf[..n]);
                    return Step::Chunk(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Step::Io(e),
            }
        }
    }

    /// The common case, kept small: a whole frame of output already in the buffer. Gives
    /// its stream and where its data is in [`buffered`](Self::buffered).
    #[inline]
    pub(crate) fn buffered_frame(&mut self) -> Option<(StreamKind, Range<usize>)> {
        if self.framing != Framing::Multiplexed || self.current.is_some() || self.done {
            return None;
        }
        if self.end - self.start < 8 {
            return None;
        }
        let h = &self.buf[self.start..self.start + 8];
        let len = u32::from_be_bytes([h[4], h[5], h[6], h[7]]) as usize;
        let stream = match h[0] {
            0 => StreamKind::Stdin,
            1 => StreamKind::Stdout,
            2 => StreamKind::Stderr,
            _ => return None,
        };
        let at = self.start + 8;
        if len == 0 || len > MAX_PIECE || len > self.end - at {
            return None;
        }
        self.start = at + len;
        Some((stream, at..at + len))
    }

    /// Bytes of the buffer, as [`buffered_frame`](Self::buffered_frame) named them.
    #[inline]
    pub(crate) fn buffered(&self, range: Range<usize>) -> &[u8] {
        &self.buf[range]
    }

    fn framed(&mut self, chunk: &mut Chunk) -> Step<()> {
        if let Some((stream, range)) = self.buffered_frame() {
            chunk.stream = stream;
            chunk.data.clear();
            chunk.data.extend_from_slice(&self.buf[range]);
            return Step::Chunk(());
        }
        loop {
            let (stream, left) = match self.current {
                Some(frame) => frame,
                None => match self.header() {
                    Ok(Some(frame)) => frame,
                    Ok(None) => return Step::End,
                    Err(step) => return step,
                },
            };
            if left == 0 {
                // An empty frame carries nothing; go on to the next header.
                self.current = None;
                continue;
            }
            let want = left.min(MAX_PIECE as u64) as usize;
            let got = match self.piece(want, &mut chunk.data) {
                Ok(got) => got,
                Err(e) => return Step::Io(e),
            };
            if got == 0 {
                return Step::Bad(Error::decode(
                    "a container output stream",
                    format!("the stream ended inside a frame, {left} bytes short"),
                ));
            }
            let left = left - got as u64;
            self.current = (left > 0).then_some((stream, left));
            chunk.stream = stream;
            return Step::Chunk(());
        }
    }

    /// Reads more into the buffer, after what it holds, at most `most` bytes; `Ok(0)` at
    /// the end of the stream.
    fn fill(&mut self, most: usize) -> std::io::Result<usize> {
        if self.buf.len() < READ_BUF {
            self.buf.resize(READ_BUF, 0);
        }
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let room = (self.buf.len() - self.end).min(most);
        loop {
            match self.reader.read(&mut self.buf[self.end..self.end + room]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Puts the next `want` bytes (or fewer when the stream ends first) in `data`, in place
    /// of what it held; returns how many.
    ///
    /// `data`'s allocation is reused, and so are the bytes it held: a piece read straight
    /// from the body is written over them, so only room it never had is zeroed.
    fn piece(&mut self, want: usize, data: &mut Vec<u8>) -> std::io::Result<usize> {
        if data.capacity() < want {
            data.reserve_exact(want - data.len());
        }
        let mut at = 0;
        while at < want {
            let short = want - at;
            if self.start < self.end {
                let n = short.min(self.end - self.start);
                write_at(data, at, &self.buf[self.start..self.start + n]);
                self.start += n;
                at += n;
            } else if short >= READ_BUF {
                // More than a buffer's worth: straight into the chunk, one copy fewer.
                if data.len() < want {
                    data.resize(want, 0);
                }
                at += read_full(&mut self.reader, &mut data[at..want])?;
                break;
            } else if self.fill(usize::MAX)? == 0 {
                break;
            }
        }
        data.truncate(at);
        Ok(at)
    }

    /// Reads a frame header: `Ok(None)` at a clean end of stream.
    fn header(&mut self) -> std::result::Result<Option<(StreamKind, u64)>, Step<()>> {
        while self.end - self.start < 8 {
            // After a large frame, read just the next header, so that the data after it
            // goes straight into its chunk instead of through the buffer.
            let most = if self.large {
                8 - (self.end - self.start)
            } else {
                usize::MAX
            };
            if self.fill(most).map_err(Step::Io)? == 0 {
                let got = self.end - self.start;
                if got == 0 {
                    return Ok(None);
                }
                return Err(Step::Bad(Error::decode(
                    "a container output stream",
                    format!("the stream ended inside a frame header ({got} of 8 bytes)"),
                )));
            }
        }
        let mut header = [0u8; 8];
        header.copy_from_slice(&self.buf[self.start..self.start + 8]);
        self.start += 8;
        let len = u64::from(u32::from_be_bytes([
            header[4], header[5], header[6], header[7],
        ]));
        self.large = len >= READ_BUF as u64;
        let stream = match header[0] {
            0 => StreamKind::Stdin,
            1 => StreamKind::Stdout,
            2 => StreamKind::Stderr,
            3 => {
                // The engine's own error, sent in place of output.
                let mut message = Vec::new();
                return Err(
                    match self.piece(len.min(MAX_PIECE as u64) as usize, &mut message) {
                        Ok(_) => Step::Bad(Error::Stream {
                            message: String::from_utf8_lossy(&message).trim().to_string(),
                        }),
                        Err(e) => Step::Io(e),
                    },
                );
            }
            other => {
                return Err(Step::Bad(Error::decode(
                    "a container output stream",
                    format!(
                        "a frame header names stream {other}, not 0, 1, 2 or 3 \
                         (header bytes {header:02x?}): is this a TTY stream read as frames?"
                    ),
                )))
            }
        };
        Ok(Some((stream, len)))
    }
}

/// Writes `src` into `data` at `at`, over the bytes already there and past its end.
fn write_at(data: &mut Vec<u8>, at: usize, src: &[u8]) {
    let over = data.len().clamp(at, at + src.len()) - at;
    data[at..at + over].copy_from_slice(&src[..over]);
    if over < src.len() {
        data.truncate(at + over);
        data.extend_from_slice(&src[over..]);
    }
}

/// Reads until `buf` is full or the stream ends; returns how much was read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A container's output as it arrives: an iterator of [`Chunk`]s that ends when the engine
/// ends the stream (for `follow`, when the container stops) or when it is cancelled.
pub struct OutputStream {
    decoder: Decoder<Box<dyn Read + Send>>,
    /// For error mapping.
    failure: Failure,
    cancel: CancelHandle,
    /// The most [`collect_output`](Self::collect_output) holds.
    limit: Option<u64>,
}

impl fmt::Debug for OutputStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputStream")
            .field("request", &self.failure.context())
            .field("framing", &self.decoder.framing)
            .finish()
    }
}

impl OutputStream {
    /// The output in a response body.
    pub(crate) fn new(mut parts: BodyParts, framing: Framing) -> OutputStream {
        let body = Box::new(parts.take_body());
        OutputStream::from_reader(body, parts.failure, parts.cancel, framing)
    }

    /// The output in any reader: a response body, or a hijacked connection.
    pub(crate) fn from_reader(
        reader: Box<dyn Read + Send>,
        failure: Failure,
        cancel: CancelHandle,
        framing: Framing,
    ) -> OutputStream {
        OutputStream {
            decoder: Decoder::new(reader, framing),
            failure,
            cancel,
            limit: None,
        }
    }

    /// Caps what [`collect_output`](Self::collect_output) holds, stdout and stderr
    /// together: more than `max_bytes` of output is an [`Error::TooLarge`], never an output
    /// cut short. Without it, it holds everything, however large.
    pub fn limit(mut self, max_bytes: u64) -> OutputStream {
        self.limit = Some(max_bytes);
        self
    }

    /// A handle that stops this stream from another thread (see [`CancelHandle`]).
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Reads the next piece of output into `chunk`, in place of what it held, and keeps
    /// its allocation: the way through a long or fast stream without an allocation per
    /// frame. The same pieces as the iterator gives, and `Ok(false)` where it ends.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Chunk, LogsOptions};
    /// let docker = dockhand::Docker::from_env()?;
    /// let mut logs = docker.container("web").logs(&LogsOptions::new().stdout(true))?;
    /// let mut chunk = Chunk::default();
    /// let mut lines = 0;
    /// while logs.read_chunk(&mut chunk)? {
    ///     lines += chunk.data.iter().filter(|&&b| b == b'\n').count();
    /// }
    /// println!("{lines} lines");
    /// # Ok(())
    /// # }
    /// ```
    pub fn read_chunk(&mut self, chunk: &mut Chunk) -> Result<bool> {
        match self.decoder.step_into(chunk) {
            Step::Chunk(()) => Ok(true),
            Step::End => Ok(false),
            // After a cancel, whatever the cut connection gave is no error.
            Step::Bad(_) | Step::Io(_) if self.is_cancelled() => Ok(false),
            Step::Bad(e) => Err(e),
            Step::Io(e) => Err(self.failure.io(e)),
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Reads to the end and returns stdout and stderr apart (a TTY container's output is
    /// all in stdout). All of it is held in memory: see [`limit`](Self::limit) to cap
    /// that, or iterate over the chunks to handle them as they come.
    pub fn collect_output(self) -> Result<Output> {
        let mut out = Output::default();
        let limit = self.limit;
        let context = self.failure.context().to_string();
        for chunk in self {
            let chunk = chunk?;
            if let Some(limit) = limit {
                let held = (out.stdout.len() + out.stderr.len() + chunk.data.len()) as u64;
                if held > limit {
                    return Err(Error::TooLarge {
                        context: format!("the output of {context}"),
                        limit,
                    });
                }
            }
            match chunk.stream {
                StreamKind::Stderr => out.stderr.extend_from_slice(&chunk.data),
                StreamKind::Stdout | StreamKind::Console => {
                    out.stdout.extend_from_slice(&chunk.data)
                }
                StreamKind::Stdin => {}
            }
        }
        Ok(out)
    }
}

impl Iterator for OutputStream {
    type Item = Result<Chunk>;

    fn next(&mut self) -> Option<Result<Chunk>> {
        if let Some((stream, range)) = self.decoder.buffered_frame() {
            let data = self.decoder.buffered(range).to_vec();
            return Some(Ok(Chunk { stream, data }));
        }
        let mut chunk = Chunk::default();
        match self.read_chunk(&mut chunk) {
            Ok(true) => Some(Ok(chunk)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// A container's whole output, stdout and stderr kept apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Everything written to stdout (or to the TTY).
    pub stdout: Vec<u8>,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
}

impl Output {
    /// stdout as text (invalid UTF-8 replaced).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// stderr as text (invalid UTF-8 replaced).
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stream: u8, data: &[u8]) -> Vec<u8> {
        let mut out = vec![stream, 0, 0, 0];
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(data);
        out
    }

    fn decode(bytes: Vec<u8>, framing: Framing) -> (Vec<Chunk>, Option<String>) {
        let mut d = Decoder::new(std::io::Cursor::new(bytes), framing);
        let mut chunks = Vec::new();
        loop {
            match d.step() {
                Step::Chunk(c) => chunks.push(c),
                Step::End => return (chunks, None),
                Step::Io(e) => return (chunks, Some(e.to_string())),
                Step::Bad(e) => return (chunks, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn frames_keep_stdout_and_stderr_apart() {
        let mut bytes = frame(1, b"out\n");
        bytes.extend(frame(2, b"err\n"));
        bytes.extend(frame(1, b""));
        bytes.extend(frame(1, b"more"));
        let (chunks, err) = decode(bytes, Framing::Multiplexed);
        assert_eq!(err, None);
        let got: Vec<_> = chunks.iter().map(|c| (c.stream, c.data.clone())).collect();
        assert_eq!(
            got,
            vec![
                (StreamKind::Stdout, b"out\n".to_vec()),
                (StreamKind::Stderr, b"err\n".to_vec()),
                (StreamKind::Stdout, b"more".to_vec()),
            ]
        );
    }

    #[test]
    fn a_system_error_frame_is_an_error_not_a_panic() {
        let mut bytes = frame(1, b"ok");
        bytes.extend(frame(3, b"log driver failed\n"));
        let (chunks, err) = decode(bytes, Framing::Multiplexed);
        assert_eq!(chunks.len(), 1);
        assert_eq!(err.unwrap(), "the engine reported: log driver failed");
    }

    #[test]
    fn a_huge_declared_length_allocates_nothing_and_ends_in_an_error() {
        let mut bytes = vec![1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
        bytes.extend_from_slice(b"short");
        let (chunks, err) = decode(bytes, Framing::Multiplexed);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].data, b"short");
        assert!(err.unwrap().contains("ended inside a frame"));
    }

    #[test]
    fn truncated_headers_and_unknown_streams_are_errors() {
        let (_, err) = decode(vec![1, 0, 0], Framing::Multiplexed);
        assert!(err.unwrap().contains("3 of 8 bytes"));
        let (_, err) = decode(frame(7, b"x"), Framing::Multiplexed);
        assert!(err.unwrap().contains("stream 7"));
    }

    #[test]
    fn large_frames_come_in_bounded_pieces() {
        let data = vec![b'x'; MAX_PIECE * 2 + 10];
        let (chunks, err) = decode(frame(2, &data), Framing::Multiplexed);
        assert_eq!(err, None);
        assert_eq!(chunks.len(), 3);
        assert!(chunks.iter().all(|c| c.data.len() <= MAX_PIECE));
        assert_eq!(
            chunks.iter().map(|c| c.data.len()).sum::<usize>(),
            data.len()
        );
    }

    /// Hands out at most `step` bytes per read, as a socket may.
    struct Trickle(std::io::Cursor<Vec<u8>>, usize);

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.1);
            self.0.read(&mut buf[..n])
        }
    }

    #[test]
    fn frames_cut_across_reads_and_buffers_come_out_whole() {
        let sizes = [
            0,
            1,
            7,
            8,
            100,
            READ_BUF - 3,
            READ_BUF,
            READ_BUF + 5,
            MAX_PIECE + 1,
            3,
            READ_BUF * 2,
            READ_BUF * 2 + 1,
            2,
        ];
        let mut bytes = Vec::new();
        let mut want = Vec::new();
        for (i, &n) in sizes.iter().enumerate() {
            let data: Vec<u8> = (0..n).map(|j| (i * 31 + j) as u8).collect();
            bytes.extend(frame(1 + (i % 2) as u8, &data));
            want.extend(data);
        }
        for step in [1, 3, 8, 1000, usize::MAX] {
            let mut d = Decoder::new(
                Trickle(std::io::Cursor::new(bytes.clone()), step),
                Framing::Multiplexed,
            );
            let mut got = Vec::new();
            loop {
                match d.step() {
                    Step::Chunk(c) => {
                        assert!(!c.data.is_empty() && c.data.len() <= MAX_PIECE);
                        got.extend(c.data);
                    }
                    Step::End => break,
                    Step::Io(e) => panic!("{e}"),
                    Step::Bad(e) => panic!("{e}"),
                }
            }
            assert_eq!(got, want, "reads of {step} bytes");

            // One chunk filled again and again gives the same pieces: nothing of a
            // larger earlier piece shows through a smaller later one.
            let mut owned = Decoder::new(std::io::Cursor::new(bytes.clone()), Framing::Multiplexed);
            let mut reused = Decoder::new(
                Trickle(std::io::Cursor::new(bytes.clone()), step),
                Framing::Multiplexed,
            );
            let mut chunk = Chunk::default();
            let mut pieces = 0;
            loop {
                match (owned.step(), reused.step_into(&mut chunk)) {
                    (Step::Chunk(c), Step::Chunk(())) => {
                        assert_eq!(chunk.data.len(), c.data.len(), "reads of {step} bytes");
                        assert_eq!((chunk.stream, &chunk.data), (c.stream, &c.data));
                    }
                    (Step::End, Step::End) => break,
                    _ => {
                        panic!("the decoders parted after {pieces} pieces (reads of {step} bytes)")
                    }
                }
                pieces += 1;
            }
        }
    }

    #[test]
    fn raw_bytes_pass_through_unframed() {
        let (chunks, err) = decode(b"\x01\x00no frame here".to_vec(), Framing::Raw);
        assert_eq!(err, None);
        assert_eq!(chunks[0].stream, StreamKind::Console);
        assert_eq!(chunks[0].data, b"\x01\x00no frame here");
    }

    #[test]
    fn content_types_name_the_framing() {
        assert_eq!(
            framing_from_content_type(Some("application/vnd.docker.multiplexed-stream")),
            Some(Framing::Multiplexed)
        );
        assert_eq!(
            framing_from_content_type(Some("application/vnd.docker.raw-stream")),
            Some(Framing::Raw)
        );
        assert_eq!(framing_from_content_type(Some("text/plain")), None);
        assert_eq!(framing_from_content_type(None), None);
    }
}
