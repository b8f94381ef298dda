//! Random secret tokens: 256 bits from the operating system, written as 64 hex digits.
//! Only their SHA-256 hash ([`aftercare_store::hash_token`]) is ever stored.

/// A new random token of 256 bits, as lower-case hex.
///
/// # Errors
/// When the operating system's random source fails (then nothing can be issued safely).
pub fn generate_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// Whether `text` looks like a token this app issued (64 hex digits); anything else is
/// refused before it reaches the database.
pub fn is_well_formed(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_hex_and_differ() {
        let a = generate_token().unwrap();
        let b = generate_token().unwrap();
        assert!(is_well_formed(&a));
        assert_ne!(a, b);
        assert!(!is_well_formed("../../etc/passwd"));
        assert!(!is_well_formed(&a[1..]));
    }
}
