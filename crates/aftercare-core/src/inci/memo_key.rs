//! How the checker's memos (`MatchMemo` in `matching`, the item cache of `parse`) key printed
//! text: FxHash over 8-byte words, and a comparison of two keys eight bytes at a time. Both
//! build a short tail in a register rather than calling `memcpy` or `memcmp` (a call and a
//! stalled load on every look-up, and the keys are short).
//!
//! The parser's item cache keys items with [`item_hash`], the same FxHash over whole words with
//! a zero-padded tail instead of an overlapping one, so that the scan that looks for the comma
//! ending an item eight bytes at a time can hash the item on the way ([`WordHash`]).
//!
//! What belongs here: those hashes, that comparison and their tests. Nothing else.

use std::hash::Hasher;

/// The hash of a printed name or item, as the memos key them.
#[inline]
pub(crate) fn fx_hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// The hash of an item as the parser's item cache keys it: FxHash over its whole 8-byte words
/// (little-endian), then its last bytes (fewer than eight, none when the length is a multiple
/// of eight) padded with zeros and marked with the length.
#[inline]
pub(crate) fn item_hash(bytes: &[u8]) -> u64 {
    let mut hash = WordHash::default();
    let mut words = bytes.chunks_exact(8);
    for chunk in words.by_ref() {
        hash.word(word(chunk));
    }
    hash.finish(tail_word(words.remainder()), bytes.len())
}

/// [`item_hash`] built a word at a time, by a scan that reads the bytes anyway.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHash(FxHasher);

impl WordHash {
    /// Adds the next eight bytes, as one little-endian word.
    #[inline]
    pub(crate) fn word(&mut self, word: u64) {
        self.0.add(word);
    }

    /// The hash of the `len` bytes read, whose last `len % 8` bytes are `tail` (little-endian,
    /// zero above them).
    #[inline]
    pub(crate) fn finish(mut self, tail: u64, len: usize) -> u64 {
        self.0.add(tail ^ (len as u64) << 56);
        self.0.hash
    }
}

/// Whether two keys hold the same bytes (as `a == b`, without a call to `memcmp`): word by
/// word, the last word overlapping the one before it when the length is not a multiple of 8.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return tail_word(a) == tail_word(b);
    }
    let mut i = 0;
    while i + 8 < n {
        if word(&a[i..i + 8]) != word(&b[i..i + 8]) {
            return false;
        }
        i += 8;
    }
    word(&a[n - 8..]) == word(&b[n - 8..])
}

/// Eight bytes of a key as one little-endian word.
#[inline]
fn word(chunk: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(chunk);
    u64::from_le_bytes(word)
}

/// The last bytes of a key (fewer than eight) as one little-endian word, built in a register.
#[inline]
pub(crate) fn tail_word(rest: &[u8]) -> u64 {
    rest.iter()
        .rev()
        .fold(0u64, |word, &byte| word << 8 | u64::from(byte))
}

/// The multiply-rotate hash of the Rust compiler (FxHash): fast on short keys, and the memos'
/// keys come from the caller's own input, so flooding is not a concern worth a slower hash.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        if n < 8 {
            // The bytes as one word, built in a register (a copy into a stack buffer would be
            // a call to `memcpy` and a stalled load).
            self.add(tail_word(bytes) ^ (n as u64) << 56);
            return;
        }
        // Whole words, then the last eight bytes (overlapping the last whole word unless the
        // length is a multiple of 8), marked with the length.
        let mut i = 0;
        while i + 8 < n {
            self.add(word(&bytes[i..i + 8]));
            i += 8;
        }
        self.add(word(&bytes[n - 8..]) ^ (n as u64) << 56);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn same_bytes_is_equality(
            a in proptest::collection::vec(0u8..4, 0..40),
            b in proptest::collection::vec(0u8..4, 0..40),
        ) {
            prop_assert_eq!(same_bytes(&a, &b), a == b);
            prop_assert!(same_bytes(&a, &a.clone()));
        }

        #[test]
        fn fx_hash_is_deterministic(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let mut a = FxHasher::default();
            let mut b = FxHasher::default();
            a.write(&bytes);
            b.write(&bytes);
            prop_assert_eq!(a.finish(), b.finish());
            // Whole words, then the last eight bytes (or all of them, padded with zeros, when
            // fewer), little-endian, marked with the length.
            let mut reference = FxHasher::default();
            let n = bytes.len();
            let read = |from: usize| {
                let mut word = [0u8; 8];
                let to = n.min(from + 8);
                word[..to - from].copy_from_slice(&bytes[from..to]);
                u64::from_le_bytes(word)
            };
            let mut from = 0;
            while from + 8 < n {
                reference.add(read(from));
                from += 8;
            }
            reference.add(read(n.saturating_sub(8)) ^ (n as u64) << 56);
            prop_assert_eq!(a.finish(), reference.finish());
        }

        #[test]
        fn item_hash_is_words_then_a_padded_tail(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let n = bytes.len();
            let mut reference = FxHasher::default();
            let mut from = 0;
            while from + 8 <= n {
                reference.add(u64::from_le_bytes(bytes[from..from + 8].try_into().unwrap()));
                from += 8;
            }
            let mut tail = [0u8; 8];
            tail[..n - from].copy_from_slice(&bytes[from..]);
            reference.add(u64::from_le_bytes(tail) ^ (n as u64) << 56);
            prop_assert_eq!(item_hash(&bytes), reference.finish());
        }
    }
}
