//! Passwords: argon2id (PHC strings), hashed and verified on the blocking pool so a sign-in
//! never stalls other requests. Unknown e-mails are verified against a dummy hash so the
//! answer takes as long as for a real account.

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher as _, PasswordVerifier as _},
};
use secrecy::{ExposeSecret, SecretString};

use crate::error::AppError;

/// The shortest password accepted (NIST SP 800-63B asks for at least 8; we ask for more).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted (a bound on hashing work per request).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Hashes and verifies passwords with fixed argon2id parameters.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    dummy_hash: String,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    /// A hasher with `memory_kib` and `iterations` (one lane).
    ///
    /// # Errors
    /// When the parameters are out of argon2's range.
    pub fn new(memory_kib: u32, iterations: u32) -> anyhow::Result<Self> {
        let params = Params::new(memory_kib, iterations, 1, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy_hash = argon
            .hash_password(b"not a real password, only for equal timing")
            .map_err(|e| anyhow::anyhow!("cannot hash a password: {e}"))?
            .to_string();
        Ok(PasswordHasher { params, dummy_hash })
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes a new password to a PHC string.
    ///
    /// # Errors
    /// Internal when hashing fails or the blocking pool is gone.
    pub async fn hash(&self, password: SecretString) -> Result<String, AppError> {
        let argon = self.argon();
        tokio::task::spawn_blocking(move || {
            argon
                .hash_password(password.expose_secret().as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| AppError::internal(anyhow::anyhow!("password hashing failed: {e}")))
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Whether `password` matches `hash`; with no hash (unknown account) it checks against a
    /// dummy hash and answers false, taking the same time.
    ///
    /// # Errors
    /// Internal when the blocking pool is gone.
    pub async fn verify(
        &self,
        password: SecretString,
        hash: Option<String>,
    ) -> Result<bool, AppError> {
        let argon = self.argon();
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.clone());
        let matches = tokio::task::spawn_blocking(move || {
            argon
                .verify_password(password.expose_secret().as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .map_err(AppError::internal)?;
        Ok(known && matches)
    }
}

/// Checks a new password's length; the message says what to change.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Choose a password of at least {MIN_PASSWORD_CHARS} characters."
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!(
            "Choose a password of at most {MAX_PASSWORD_CHARS} characters."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let hasher = PasswordHasher::new(8 * 1024, 1).unwrap();
        let hash = hasher
            .hash(SecretString::from("correct horse battery"))
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(
            hasher
                .verify(
                    SecretString::from("correct horse battery"),
                    Some(hash.clone())
                )
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify(SecretString::from("wrong horse battery"), Some(hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify(SecretString::from("anything at all"), None)
                .await
                .unwrap()
        );
    }

    #[test]
    fn new_passwords_have_a_length_range() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("long enough now").is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
    }
}
