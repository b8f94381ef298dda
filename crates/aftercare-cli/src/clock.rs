//! The one place the binary reads the clock; everything else takes `now` as an argument.

use jiff::Timestamp;

/// Where "now" comes from.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system clock, or a fixed instant from `AFTERCARE_NOW` (RFC 3339) so that tests and
/// reproducible runs can pin "now".
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "this is the one Clock of the binary"
    )]
    fn now(&self) -> Timestamp {
        std::env::var("AFTERCARE_NOW")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(Timestamp::now)
    }
}
