//! The TCP bytes a socket received and the host has not read yet, kept as
//! the chunks the network delivered them in: data is moved through the core
//! chunk by chunk, never byte by byte, and a chunk read whole is handed on
//! without a copy.

use std::collections::VecDeque;

/// A byte queue made of chunks; bounded by the credit window of the
/// socket's reader, not here.
#[derive(Debug, Default)]
pub(super) struct RxBuf {
    chunks: VecDeque<Vec<u8>>,
    /// Bytes of the front chunk already taken.
    head: usize,
    len: usize,
}

impl RxBuf {
    /// Bytes waiting.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn clear(&mut self) {
        *self = RxBuf::default();
    }

    /// Appends a chunk as it came.
    pub fn push(&mut self, data: Vec<u8>) {
        if data.is_empty() {
            return;
        }
        self.len += data.len();
        self.chunks.push_back(data);
    }

    /// Takes the first `n` bytes (fewer if fewer wait); the front chunk is
    /// moved out rather than copied when it is taken whole.
    pub fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len);
        if self.head == 0 && self.chunks.front().is_some_and(|c| c.len() == n) {
            self.len -= n;
            return self.chunks.pop_front().unwrap_or_default();
        }
        let mut out = Vec::with_capacity(n);
        self.take_with(n, |s| out.extend_from_slice(s));
        out
    }

    /// Takes the first `n` bytes (fewer if fewer wait), giving them to `f`
    /// as runs of contiguous bytes, in order.
    pub fn take_with(&mut self, n: usize, mut f: impl FnMut(&[u8])) {
        let mut left = n.min(self.len);
        while left > 0 {
            let Some(front) = self.chunks.front() else {
                break;
            };
            let avail = front.get(self.head..).unwrap_or_default();
            let k = avail.len().min(left);
            f(avail.get(..k).unwrap_or_default());
            left -= k;
            self.len -= k;
            if k == avail.len() {
                self.chunks.pop_front();
                self.head = 0;
            } else {
                self.head += k;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RxBuf;

    #[test]
    fn takes_across_chunks_in_order() {
        let mut b = RxBuf::default();
        b.push(b"abc".to_vec());
        b.push(Vec::new());
        b.push(b"defg".to_vec());
        assert_eq!(b.len(), 7);
        assert_eq!(b.take(2), b"ab");
        assert_eq!(b.take(3), b"cde");
        assert_eq!(b.len(), 2);
        b.push(b"h".to_vec());
        assert_eq!(b.take(10), b"fgh");
        assert!(b.is_empty());
        assert_eq!(b.take(1), b"");
    }

    #[test]
    fn a_whole_chunk_is_moved() {
        let mut b = RxBuf::default();
        let chunk = b"0123456789".to_vec();
        let ptr = chunk.as_ptr();
        b.push(chunk);
        b.push(b"x".to_vec());
        let got = b.take(10);
        assert_eq!(got.as_ptr(), ptr);
        assert_eq!(b.len(), 1);
        let mut runs = Vec::new();
        b.take_with(5, |s| runs.push(s.to_vec()));
        assert_eq!(runs, vec![b"x".to_vec()]);
    }
}
