//! Who is asking: practitioners' passwords and sessions, and the random tokens behind
//! sessions, invitations, patient links and the first-run setup page.
//!
//! - `token.rs`: random tokens (256 bits) and their SHA-256 hashes (the store keeps only those);
//! - `password.rs`: argon2id hashing and verification, off the async threads;
//! - `session.rs`: the session cookie and the extractors that require a signed-in user.
//!
//! What does not belong here: the sign-in pages themselves (`routes::auth`), and patient
//! links, which are looked up by `routes::patient`.

pub mod password;
pub mod session;
pub mod token;

pub use password::PasswordHasher;
pub use session::{AdminUser, ApiUser, CurrentUser, SessionCookie};
