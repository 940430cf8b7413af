//! A container's output as lines: [`OutputStream::lines`] splits the chunks of each stream at
//! their newlines, stdout and stderr apart, losing no byte.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;

use super::{Chunk, OutputStream, StreamKind};
use crate::client::CancelHandle;
use crate::error::Result;

/// A line longer than this (1 MiB) is handed out in pieces of this size (each not
/// [complete](Line::is_complete)), so that output without newlines cannot grow a buffer
/// without end.
pub(crate) const MAX_LINE: usize = 1024 * 1024;

/// One line of a container's output: the bytes as the program wrote them, with the stream
/// they came from. Made by [`OutputStream::lines`].
#[derive(Clone, PartialEq, Eq)]
pub struct Line {
    /// Where it came from (a TTY container's output is [`StreamKind::Console`]).
    pub stream: StreamKind,
    /// The bytes as written, with the line's ending (`\n` or `\r\n`) when it has one.
    pub data: Vec<u8>,
}

impl Line {
    /// A line of `stream` made of `data` as written (with its ending, if any).
    pub fn new(stream: StreamKind, data: impl Into<Vec<u8>>) -> Line {
        Line {
            stream,
            data: data.into(),
        }
    }

    /// Whether the line ended with a newline. The last line of a stream, or a piece of a
    /// line longer than 1 MiB (handed out in 1 MiB pieces), may not.
    pub fn is_complete(&self) -> bool {
        self.data.ends_with(b"\n")
    }

    /// The bytes without the line's ending (`\n` or `\r\n`).
    pub fn content(&self) -> &[u8] {
        let data = self.data.strip_suffix(b"\n").unwrap_or(&self.data);
        if self.is_complete() {
            data.strip_suffix(b"\r").unwrap_or(data)
        } else {
            data
        }
    }

    /// The line as text, without its ending; bytes that are not UTF-8 become `U+FFFD`.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.content())
    }

    /// Whether it came from stdout (or from a TTY, where stdout and stderr are one).
    pub fn is_stdout(&self) -> bool {
        matches!(self.stream, StreamKind::Stdout | StreamKind::Console)
    }

    /// Whether it came from stderr.
    pub fn is_stderr(&self) -> bool {
        self.stream == StreamKind::Stderr
    }
}

impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}({:?})",
            self.stream,
            String::from_utf8_lossy(&self.data)
        )
    }
}

/// The text without its ending, as [`Line::text`].
impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Splits chunks into lines, a partial line per stream, so that interleaved stdout and
/// stderr never mix within a line. Kept apart from [`Lines`] to be tested on chunks.
#[derive(Default)]
pub(crate) struct Splitter {
    /// The partial line of each stream, in the order they began.
    partial: Vec<(StreamKind, Vec<u8>)>,
    ready: VecDeque<Line>,
}

impl Splitter {
    /// Takes a chunk; its complete lines become [`pop`](Self::pop)-able.
    pub(crate) fn push(&mut self, chunk: Chunk) {
        let Chunk { stream, data } = chunk;
        let index = match self.partial.iter().position(|(s, _)| *s == stream) {
            Some(i) => i,
            None => {
                self.partial.push((stream, Vec::new()));
                self.partial.len() - 1
            }
        };
        let mut rest = &data[..];
        while !rest.is_empty() {
            let buf = &mut self.partial[index].1;
            let room = MAX_LINE - buf.len();
            let window = &rest[..rest.len().min(room)];
            match window.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    buf.extend_from_slice(&window[..=at]);
                    rest = &rest[at + 1..];
                    self.emit(index);
                }
                None => {
                    buf.extend_from_slice(window);
                    rest = &rest[window.len()..];
                    if self.partial[index].1.len() >= MAX_LINE {
                        self.emit(index);
                    }
                }
            }
        }
        if self.partial[index].1.is_empty() {
            self.partial.remove(index);
        }
    }

    fn emit(&mut self, index: usize) {
        let (stream, buf) = &mut self.partial[index];
        let data = std::mem::take(buf);
        self.ready.push_back(Line {
            stream: *stream,
            data,
        });
    }

    /// The stream ended: the partial lines become lines too.
    pub(crate) fn finish(&mut self) {
        for (stream, data) in self.partial.drain(..) {
            if !data.is_empty() {
                self.ready.push_back(Line { stream, data });
            }
        }
    }

    pub(crate) fn pop(&mut self) -> Option<Line> {
        self.ready.pop_front()
    }
}

/// A container's output as [`Line`]s, made by [`OutputStream::lines`]: each line as soon as
/// its newline arrives, the last partial line of each stream when the stream ends.
pub struct Lines {
    chunks: Box<dyn Iterator<Item = Result<Chunk>> + Send>,
    cancel: CancelHandle,
    splitter: Splitter,
    /// An error to hand out once the lines before it are out.
    error: Option<crate::Error>,
    ended: bool,
}

impl fmt::Debug for Lines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lines").finish_non_exhaustive()
    }
}

impl Lines {
    /// A handle that stops the stream from another thread: see [`CancelHandle`].
    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel.clone()
    }

    /// Lines of any chunks (for tests, and for output read otherwise).
    pub(crate) fn from_chunks(
        chunks: impl Iterator<Item = Result<Chunk>> + Send + 'static,
        cancel: CancelHandle,
    ) -> Lines {
        Lines {
            chunks: Box::new(chunks),
            cancel,
            splitter: Splitter::default(),
            error: None,
            ended: false,
        }
    }
}

impl Iterator for Lines {
    type Item = Result<Line>;

    fn next(&mut self) -> Option<Result<Line>> {
        loop {
            if let Some(line) = self.splitter.pop() {
                return Some(Ok(line));
            }
            if self.ended {
                return self.error.take().map(Err);
            }
            match self.chunks.next() {
                Some(Ok(chunk)) => self.splitter.push(chunk),
                Some(Err(e)) => {
                    // The partial lines before the failure are handed out first.
                    self.error = Some(e);
                    self.ended = true;
                    self.splitter.finish();
                }
                None => {
                    self.ended = true;
                    self.splitter.finish();
                }
            }
        }
    }
}

impl OutputStream {
    /// The output as lines, stdout and stderr apart: each [`Line`] keeps its stream and its
    /// bytes as written (`\n` or `\r\n` included; [`Line::text`] leaves them out and
    /// replaces bytes that are not UTF-8). A line is handed out when its newline arrives; a
    /// stream's last partial line, when the stream ends. Only `\n` ends a line: a lone `\r`
    /// (a progress bar redrawing itself) stays in it.
    ///
    /// ```no_run
    /// # fn main() -> dockhand::Result<()> {
    /// use dockhand::{Docker, LogsOptions};
    /// let docker = Docker::from_env()?;
    /// for line in docker.container("db").logs(&LogsOptions::new().follow(true))?.lines() {
    ///     let line = line?;
    ///     if line.is_stderr() {
    ///         eprintln!("db: {line}");
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn lines(self) -> Lines {
        let cancel = self.cancel_handle();
        Lines::from_chunks(self, cancel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(stream: StreamKind, data: &[u8]) -> Chunk {
        Chunk {
            stream,
            data: data.to_vec(),
        }
    }

    fn split(chunks: Vec<Chunk>) -> Vec<Line> {
        let mut splitter = Splitter::default();
        let mut lines = Vec::new();
        for c in chunks {
            splitter.push(c);
            while let Some(line) = splitter.pop() {
                lines.push(line);
            }
        }
        splitter.finish();
        while let Some(line) = splitter.pop() {
            lines.push(line);
        }
        lines
    }

    use StreamKind::{Console, Stderr, Stdout};

    #[test]
    fn lines_split_at_newlines_across_chunks_and_keep_the_partial_last_line() {
        let lines = split(vec![
            chunk(Stdout, b"one\ntw"),
            chunk(Stdout, b"o\n"),
            chunk(Stdout, b"\nthree"),
        ]);
        let texts: Vec<_> = lines.iter().map(|l| l.text().into_owned()).collect();
        assert_eq!(texts, ["one", "two", "", "three"]);
        assert!(lines[..3].iter().all(Line::is_complete));
        assert!(!lines[3].is_complete());
    }

    #[test]
    fn stdout_and_stderr_never_mix_within_a_line() {
        let lines = split(vec![
            chunk(Stdout, b"out-a"),
            chunk(Stderr, b"err-a"),
            chunk(Stdout, b"out-b\n"),
            chunk(Stderr, b"err-b\nerr-c\n"),
        ]);
        assert_eq!(
            lines,
            vec![
                Line::new(Stdout, "out-aout-b\n"),
                Line::new(Stderr, "err-aerr-b\n"),
                Line::new(Stderr, "err-c\n"),
            ]
        );
    }

    #[test]
    fn crlf_endings_are_left_out_of_the_text_but_kept_in_the_data() {
        let lines = split(vec![chunk(Console, b"a\r\nb\rc\r\n\r")]);
        assert_eq!(lines[0].text(), "a");
        assert_eq!(lines[0].data, b"a\r\n");
        // A lone \r is not an ending.
        assert_eq!(lines[1].text(), "b\rc");
        assert_eq!(lines[2].data, b"\r");
        assert_eq!(lines[2].text(), "\r");
        assert!(lines[0].is_stdout() && !lines[0].is_stderr());
    }

    #[test]
    fn invalid_utf8_is_replaced_in_the_text_and_kept_in_the_data() {
        let lines = split(vec![
            chunk(Stdout, b"caf\xc3"),
            chunk(Stdout, b"\xa9 \xff\n"),
        ]);
        assert_eq!(lines[0].text(), "café \u{fffd}");
        assert_eq!(lines[0].data, b"caf\xc3\xa9 \xff\n");
        assert_eq!(format!("{}", lines[0]), "café \u{fffd}");
    }

    #[test]
    fn no_byte_is_lost_and_long_lines_come_in_bounded_pieces() {
        let mut data = vec![b'x'; MAX_LINE * 2 + 5];
        data.extend_from_slice(b"\nend");
        let lines = split(vec![chunk(Stderr, &data[..10]), chunk(Stderr, &data[10..])]);
        assert!(lines.iter().all(|l| l.data.len() <= MAX_LINE));
        let joined: Vec<u8> = lines.iter().flat_map(|l| l.data.clone()).collect();
        assert_eq!(joined, data);
        assert_eq!(lines.len(), 4);
        assert!(!lines[0].is_complete() && lines[2].is_complete());
        assert_eq!(lines[3].text(), "end");
    }

    #[test]
    fn empty_chunks_and_empty_streams_make_no_lines() {
        assert!(split(vec![]).is_empty());
        assert!(split(vec![chunk(Stdout, b"")]).is_empty());
        assert_eq!(split(vec![chunk(Stdout, b"\n")]), [Line::new(Stdout, "\n")]);
    }

    #[test]
    fn lines_hand_out_the_partial_lines_before_an_error() {
        let chunks = vec![
            Ok(chunk(Stdout, b"done\npart")),
            Ok(chunk(Stderr, b"x")),
            Err(crate::Error::decode("a test stream", "cut short")),
            Ok(chunk(Stdout, b"never read")),
        ];
        let got: Vec<_> = Lines::from_chunks(chunks.into_iter(), CancelHandle::new()).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        let lines: Vec<_> = got[..3]
            .iter()
            .map(|l| l.as_ref().unwrap().clone())
            .collect();
        assert_eq!(
            lines,
            [
                Line::new(Stdout, "done\n"),
                Line::new(Stdout, "part"),
                Line::new(Stderr, "x")
            ]
        );
        assert!(got[3]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("cut short"));
    }
}
