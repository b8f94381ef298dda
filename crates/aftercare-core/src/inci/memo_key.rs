//! How the checker's memos (`MatchMemo` in `matching`, the item cache of `parse`) key printed
//! text: FxHash over 8-byte words ([`key_hash`]), and a comparison of two keys eight bytes at
//! a time ([`same_bytes`]). Both build a short tail in a register rather than calling `memcpy`
//! or `memcmp` (a call and a stalled load on every look-up, and the keys are short). The
//! parser's scan that looks for the comma ending an item, eight bytes at a time, hashes the
//! item on the way with [`WordHash`], to the same value.
//!
//! What belongs here: that hash, that comparison and their tests. Nothing else.

/// The hash of a printed name or item, as the memos key them: FxHash (the multiply-rotate
/// hash of the Rust compiler) over its whole 8-byte words (little-endian), then its last bytes
/// (fewer than eight, none when the length is a multiple of eight) padded with zeros and
/// marked with the length. Fast on short keys; the keys come from the caller's own input, so
/// flooding is not a concern worth a slower hash.
#[inline]
pub(crate) fn key_hash(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let mut hash = WordHash::default();
    if n < 8 {
        return hash.finish(tail_word(bytes), n);
    }
    let mut i = 0;
    while i + 8 <= n {
        hash.word(word(&bytes[i..i + 8]));
        i += 8;
    }
    // The last `n % 8` bytes, read as the top of the last eight (no byte loop).
    let tail = match n % 8 {
        0 => 0,
        rest => word(&bytes[n - 8..]) >> (8 * (8 - rest)),
    };
    hash.finish(tail, n)
}

/// [`key_hash`] built a word at a time, by a scan that reads the bytes anyway.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHash {
    hash: u64,
}

/// FxHash's multiplier.
const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHash {
    /// Adds the next eight bytes, as one little-endian word.
    #[inline]
    pub(crate) fn word(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }

    /// The hash of the `len` bytes read, whose last `len % 8` bytes are `tail` (little-endian,
    /// zero above them).
    #[inline]
    pub(crate) fn finish(mut self, tail: u64, len: usize) -> u64 {
        self.word(tail ^ (len as u64) << 56);
        self.hash
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
        return same_short_bytes(a, b);
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

/// [`same_bytes`] for keys shorter than a word. Not inlined: the loops that build their words
/// would have the caller work out their bounds for every key, short or not (most are not).
#[inline(never)]
fn same_short_bytes(a: &[u8], b: &[u8]) -> bool {
    tail_word(a) == tail_word(b)
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
        fn key_hash_is_words_then_a_padded_tail(
            bytes in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            // Deterministic.
            prop_assert_eq!(key_hash(&bytes), key_hash(&bytes.clone()));
            // Whole words, then the rest padded with zeros, little-endian, marked with the
            // length.
            let n = bytes.len();
            let mut reference = WordHash::default();
            let mut from = 0;
            while from + 8 <= n {
                reference.word(u64::from_le_bytes(bytes[from..from + 8].try_into().unwrap()));
                from += 8;
            }
            let mut tail = [0u8; 8];
            tail[..n - from].copy_from_slice(&bytes[from..]);
            prop_assert_eq!(key_hash(&bytes), reference.finish(u64::from_le_bytes(tail), n));
        }
    }
}
