//! The hash the checker's memos key printed text with (`MatchMemo` in `matching`, the item
//! cache of `parse`): FxHash over 8-byte words, the tail built in a register.
//!
//! What belongs here: that hash and its test. Nothing else.

use std::hash::Hasher;

/// The hash of a printed name or item, as the memos key them.
#[inline]
pub(crate) fn fx_hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
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
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The last bytes as one word, built in a register (a copy into a stack buffer
            // would be a call to `memcpy` and a stalled load).
            let word = rest
                .iter()
                .rev()
                .fold(0u64, |word, &byte| word << 8 | u64::from(byte));
            self.add(word ^ (rest.len() as u64) << 56);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
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
        fn fx_hash_is_deterministic(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let mut a = FxHasher::default();
            let mut b = FxHasher::default();
            a.write(&bytes);
            b.write(&bytes);
            prop_assert_eq!(a.finish(), b.finish());
            // The tail word is the little-endian reading of the last bytes padded with zeros.
            let mut reference = FxHasher::default();
            let mut chunks = bytes.chunks(8).peekable();
            while let Some(chunk) = chunks.next() {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                let word = u64::from_le_bytes(word);
                if chunks.peek().is_none() && chunk.len() < 8 {
                    reference.add(word ^ (chunk.len() as u64) << 56);
                } else {
                    reference.add(word);
                }
            }
            prop_assert_eq!(a.finish(), reference.finish());
        }
    }
}
