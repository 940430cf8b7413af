//! Bodies that arrive over time: the framed output of containers (logs, attach, exec)
//! and JSON values one per line (events, stats, progress).

mod jsonlines;
mod lines;
mod output;

pub(crate) use jsonlines::is_bare_id;
pub use jsonlines::JsonStream;
pub(crate) use jsonlines::{stream_error, Line as JsonLine, Lines as JsonLines};
pub use lines::{Line, Lines};
pub(crate) use output::{framing_from_content_type, Framing};
pub use output::{Chunk, Output, OutputStream, StreamKind};
pub(crate) use output::{Decoder, Step};
