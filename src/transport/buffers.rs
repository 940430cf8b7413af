//! [`ConnBuffers`]: the input and output buffers of one connection, in place of ureq's
//! `LazyBuffers`, which zero 128 KiB + 128 KiB per connection and keep them while it idles
//! in the pool.
//!
//! These start at the sizes the agent's config names (small for the pool), grow the input
//! while a body arrives faster than it is read (up to [`MAX_INPUT`]) and the output while a
//! body is sent, and go back to their first sizes when the connection is returned to the
//! pool, so an idle connection holds only those.

use ureq::unversioned::transport::Buffers;

/// The most the input buffer grows to while a large body streams in.
pub(crate) const MAX_INPUT: usize = 128 * 1024;

/// What a request body is sent in: ureq reads the body into the free input space (at least
/// 10 KiB, its own minimum) and frames it into the output.
const BODY_OUTPUT: usize = 64 * 1024;

/// ureq's least scratch space for reading a request body (`LazyBuffers` asks the same).
const MIN_TMP: usize = 10 * 1024;

#[derive(Debug)]
pub(crate) struct ConnBuffers {
    input_size: usize,
    output_size: usize,
    input: Vec<u8>,
    /// `input[consumed..filled]` is what ureq has not consumed yet.
    consumed: usize,
    filled: usize,
    output: Vec<u8>,
    /// Whether the last consume took anything (see [`Buffers::can_use_input`]).
    progress: bool,
    /// The last read filled all the free space: the next one gets more room.
    grow: bool,
}

impl ConnBuffers {
    /// Buffers of these first sizes; nothing is allocated until first used.
    pub(crate) fn new(input_size: usize, output_size: usize) -> ConnBuffers {
        ConnBuffers {
            input_size: input_size.max(1),
            output_size: output_size.max(1),
            input: Vec::new(),
            consumed: 0,
            filled: 0,
            output: Vec::new(),
            progress: false,
            grow: false,
        }
    }

    /// Tells the buffers how much the last read brought in, out of the room it had.
    pub(crate) fn note_read(&mut self, amount: usize, room: usize) {
        self.grow = amount == room;
    }

    /// Back to the first sizes, for a connection going idle; unconsumed input is kept.
    pub(crate) fn shrink(&mut self) {
        self.grow = false;
        if self.output.len() > self.output_size {
            self.output.truncate(self.output_size);
            self.output.shrink_to_fit();
        }
        if self.input.len() > self.input_size && self.filled - self.consumed <= self.input_size {
            self.shift();
            self.input.truncate(self.input_size);
            self.input.shrink_to_fit();
        }
    }

    /// Moves unconsumed input to the front.
    fn shift(&mut self) {
        if self.consumed > 0 {
            self.input.copy_within(self.consumed..self.filled, 0);
            self.filled -= self.consumed;
            self.consumed = 0;
        }
    }

    /// Makes at least `room` bytes free after the unconsumed input.
    fn make_room(&mut self, room: usize) {
        if self.consumed == self.filled {
            self.consumed = 0;
            self.filled = 0;
        }
        if self.input.len() - self.filled >= room {
            return;
        }
        self.shift();
        let wanted = self.filled + room;
        if self.input.len() < wanted {
            self.input.resize(wanted, 0);
        }
    }
}

impl Buffers for ConnBuffers {
    fn output(&mut self) -> &mut [u8] {
        if self.output.len() < self.output_size {
            self.output.resize(self.output_size, 0);
        }
        &mut self.output
    }

    fn input(&self) -> &[u8] {
        &self.input[self.consumed..self.filled]
    }

    fn input_append_buf(&mut self) -> &mut [u8] {
        if self.input.len() < self.input_size {
            self.input.resize(self.input_size, 0);
        }
        let unconsumed = self.filled - self.consumed;
        let free = self.input.len() - self.filled;
        let room = if self.grow || unconsumed == self.input.len() {
            // A body coming in faster than one buffer, or a head larger than one: double.
            (self.input.len() * 2).min(MAX_INPUT.max(self.input.len())) - unconsumed
        } else if free == 0 || (self.consumed > 0 && self.filled > self.input.len() / 2) {
            // Room at the front only: move what is left there (as ureq's own buffer does).
            self.input.len() - unconsumed
        } else {
            free
        };
        self.grow = false;
        self.make_room(room.max(1));
        &mut self.input[self.filled..]
    }

    fn input_appended(&mut self, amount: usize) {
        self.filled += amount;
        assert!(self.filled <= self.input.len());
    }

    fn input_consume(&mut self, amount: usize) {
        self.progress = amount > 0;
        self.consumed += amount;
        assert!(self.consumed <= self.filled);
        if self.consumed == self.filled {
            self.consumed = 0;
            self.filled = 0;
        }
    }

    fn tmp_and_output(&mut self) -> (&mut [u8], &mut [u8]) {
        let size = self.output_size.max(BODY_OUTPUT);
        if self.output.len() < size {
            self.output.resize(size, 0);
        }
        if self.input.len() < self.input_size {
            self.input.resize(self.input_size, 0);
        }
        self.make_room(MIN_TMP);
        (&mut self.input[self.filled..], &mut self.output)
    }

    fn can_use_input(&self) -> bool {
        self.filled > self.consumed && self.progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append(b: &mut ConnBuffers, data: &[u8]) -> usize {
        let buf = b.input_append_buf();
        let room = buf.len();
        let n = data.len().min(room);
        buf[..n].copy_from_slice(&data[..n]);
        b.input_appended(n);
        b.note_read(n, room);
        n
    }

    #[test]
    fn input_keeps_unconsumed_bytes_in_order_across_shifts_and_growth() {
        let mut b = ConnBuffers::new(16, 8);
        let data: Vec<u8> = (0..200u8).collect();
        let (mut written, mut read) = (0, Vec::new());
        while read.len() < data.len() {
            if written < data.len() {
                written += append(&mut b, &data[written..]);
            }
            // consume a little at a time, leaving some behind
            let take = b.input().len().min(5);
            read.extend_from_slice(&b.input()[..take]);
            b.input_consume(take);
        }
        assert_eq!(read, data);
        assert!(b.input.len() > 16, "it grew while the reads were full");
        b.shrink();
        assert_eq!(b.input.len(), 16);
    }

    #[test]
    fn a_head_larger_than_the_buffer_gets_room() {
        let mut b = ConnBuffers::new(8, 8);
        let head = [b'x'; 40];
        let mut n = 0;
        while n < head.len() {
            n += append(&mut b, &head[n..]);
            // nothing consumed: the parser waits for the whole head
        }
        assert_eq!(b.input(), &head[..]);
    }

    #[test]
    fn body_sending_gets_large_output_and_shrinks_back() {
        let mut b = ConnBuffers::new(16, 8);
        assert_eq!(b.output().len(), 8);
        let (tmp, out) = b.tmp_and_output();
        assert!(tmp.len() >= MIN_TMP);
        assert_eq!(out.len(), BODY_OUTPUT);
        b.shrink();
        assert_eq!(b.output().len(), 8);
        assert_eq!(b.input.len(), 16);
    }

    #[test]
    fn shrinking_keeps_unconsumed_input() {
        let mut b = ConnBuffers::new(8, 8);
        append(&mut b, b"12345678");
        append(&mut b, b"abcdefgh");
        b.input_consume(12);
        b.shrink();
        assert_eq!(b.input(), b"efgh");
        assert!(b.can_use_input());
    }
}
