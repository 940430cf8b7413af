//! Streams of JSON values, one per line: events, stats, and the progress of pull, push,
//! build and load.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use crate::client::{BodyParts, CancelHandle};
use crate::error::{Error, Result};

/// The longest line we accept: far above any real progress or event message, far below
/// what a hostile stream could make us allocate.
const MAX_LINE: u64 = 16 * 1024 * 1024;

/// Decodes one JSON value per line from any `Read`; kept apart from the HTTP response so
/// it can be tested on byte slices.
pub(crate) struct Lines<R> {
    reader: BufReader<R>,
    line: Vec<u8>,
}

/// What one step of decoding gave.
pub(crate) enum Line {
    /// A value (not yet checked for an error report).
    Value(serde_json::Value),
    /// The end of the stream, at a line boundary.
    End,
    /// An I/O error, for the caller to map.
    Io(io::Error),
    /// A line that is not JSON, or too long.
    Bad(Error),
}

impl<R: Read> Lines<R> {
    pub(crate) fn new(reader: R) -> Self {
        Lines {
            reader: BufReader::new(reader),
            line: Vec::new(),
        }
    }

    pub(crate) fn next_value(&mut self) -> Line {
        loop {
            self.line.clear();
            let read = (&mut self.reader)
                .take(MAX_LINE + 1)
                .read_until(b'\n', &mut self.line);
            match read {
                Err(e) => return Line::Io(e),
                Ok(0) => return Line::End,
                Ok(_) => {}
            }
            if self.line.len() as u64 > MAX_LINE {
                return Line::Bad(Error::decode(
                    "a JSON stream",
                    format!("a line longer than {MAX_LINE} bytes"),
                ));
            }
            let text = self.line.trim_ascii();
            if text.is_empty() {
                continue;
            }
            // Podman answers a quiet build with the bare image id, not a JSON line.
            if is_bare_id(text) {
                let id = String::from_utf8_lossy(text).into_owned();
                return Line::Value(serde_json::json!({ "stream": id }));
            }
            return match serde_json::from_slice(text) {
                Ok(value) => Line::Value(value),
                // A last line without its newline was cut short.
                Err(e) if e.is_eof() => Line::Bad(Error::decode(
                    "a JSON stream",
                    "the stream ended in the middle of a value",
                )),
                Err(e) => Line::Bad(Error::decode(
                    "a JSON stream",
                    format!("{e} in {:?}", String::from_utf8_lossy(shorten(text))),
                )),
            };
        }
    }
}

/// Whether `text` is an image id alone: 64 hex digits.
pub(crate) fn is_bare_id(text: &[u8]) -> bool {
    text.len() == 64 && text.iter().all(u8::is_ascii_hexdigit)
}

fn shorten(text: &[u8]) -> &[u8] {
    &text[..text.len().min(200)]
}

/// The engine's error report inside a stream: `{"error": "...", "errorDetail": {...}}`.
pub(crate) fn stream_error(value: &serde_json::Value) -> Option<Error> {
    let object = value.as_object()?;
    let detail = object
        .get("errorDetail")
        .and_then(|d| d.get("message"))
        .and_then(|m| m.as_str());
    let error = object.get("error").and_then(|e| e.as_str());
    let message = detail.or(error)?;
    Some(Error::Stream {
        message: message.to_string(),
    })
}

/// A stream of typed items from the engine, as they arrive: an iterator that ends when the
/// engine ends the stream or when it is cancelled. An error the engine reports inside the
/// stream (a JSON `error`/`errorDetail`) comes as an `Err` item, after which the stream
/// ends.
pub struct JsonStream<T> {
    lines: Lines<ureq::BodyReader<'static>>,
    parts: BodyParts,
    done: bool,
    _items: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream")
            .field("request", &self.parts.failure.context())
            .field("done", &self.done)
            .finish()
    }
}

impl<T: DeserializeOwned> JsonStream<T> {
    pub(crate) fn new(mut parts: BodyParts) -> Self {
        JsonStream {
            lines: Lines::new(parts.take_body()),
            parts,
            done: false,
            _items: PhantomData,
        }
    }

    /// A handle that stops this stream from another thread (see [`CancelHandle`]).
    pub fn cancel_handle(&self) -> CancelHandle {
        self.parts.cancel.clone()
    }

    fn decode(&self, value: serde_json::Value) -> Result<T> {
        if let Some(e) = stream_error(&value) {
            return Err(e);
        }
        serde_json::from_value(value)
            .map_err(|e| Error::decode(format!("an item of {}", self.parts.failure.context()), e))
    }
}

impl<T: DeserializeOwned> Iterator for JsonStream<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        if self.done {
            return None;
        }
        let item = match self.lines.next_value() {
            Line::Value(value) => Some(self.decode(value)),
            Line::End => None,
            // None when cancelled: the stream then ends quietly.
            Line::Io(e) => self.parts.read_error(e).map(Err),
            Line::Bad(e) => (!self.parts.is_cancelled()).then_some(Err(e)),
        };
        // After the end or an error there is nothing more to read.
        self.done = !matches!(item, Some(Ok(_)));
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> (Vec<serde_json::Value>, Option<String>) {
        let mut lines = Lines::new(text.as_bytes());
        let mut out = Vec::new();
        loop {
            match lines.next_value() {
                Line::Value(v) => out.push(v),
                Line::End => return (out, None),
                Line::Io(e) => return (out, Some(e.to_string())),
                Line::Bad(e) => return (out, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn one_value_per_line_blank_lines_and_crlf_skipped() {
        let (vs, err) = values("{\"a\":1}\r\n\n  \n{\"a\":2}\n{\"a\":3}");
        assert_eq!(err, None);
        assert_eq!(vs.len(), 3);
        assert_eq!(vs[2]["a"], 3);
    }

    #[test]
    fn a_value_cut_short_is_an_error() {
        let (vs, err) = values("{\"a\":1}\n{\"status\":\"Downl");
        assert_eq!(vs.len(), 1);
        assert!(err.unwrap().contains("ended in the middle"));
    }

    #[test]
    fn garbage_is_an_error_that_quotes_it() {
        let (_, err) = values("<html>\n");
        let err = err.unwrap();
        assert!(err.contains("<html>"), "{err}");
    }

    #[test]
    fn a_bare_image_id_reads_as_a_stream_line() {
        // Podman's answer to a quiet build.
        let id = "3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741";
        let (vs, err) = values(&format!("{id}\n"));
        assert_eq!(err, None);
        assert_eq!(vs, [serde_json::json!({ "stream": id })]);
        // Anything else that is not JSON is still an error.
        let (_, err) = values(&format!("{}\n", &id[1..]));
        assert!(err.is_some());
    }

    #[test]
    fn error_reports_prefer_the_detail() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"error":"short","errorDetail":{"message":"manifest unknown"}}"#,
        )
        .unwrap();
        assert_eq!(
            stream_error(&v).unwrap().to_string(),
            "the engine reported: manifest unknown"
        );
        let v: serde_json::Value = serde_json::from_str(r#"{"error":"only this"}"#).unwrap();
        assert!(stream_error(&v).unwrap().to_string().contains("only this"));
        let v: serde_json::Value = serde_json::from_str(r#"{"status":"ok"}"#).unwrap();
        assert!(stream_error(&v).is_none());
    }
}
