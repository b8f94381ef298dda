//! Offsets in whole hours from the treatment instant: the unit of every rule (CONTRACT §1).
//!
//! "48 hours" means 48 elapsed hours whatever the wall clock does, so offsets are added to the
//! treatment *instant* (a `jiff::Timestamp`), never to a civil date-time.

use jiff::{SignedDuration, Timestamp, ZonedDateTime, tz::TimeZone};
use serde::{Deserialize, Serialize};

/// A non-negative number of elapsed hours since the treatment instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hours(pub u32);

impl Hours {
    /// The treatment instant itself.
    pub const ZERO: Hours = Hours(0);

    /// The recovery day (1-based) that contains this offset: day N covers [24(N-1), 24N).
    pub fn day(self) -> u32 {
        self.0 / 24 + 1
    }

    /// The first hour of recovery day `day` (1-based).
    pub fn start_of_day(day: u32) -> Hours {
        Hours(day.saturating_sub(1).saturating_mul(24))
    }

    /// The instant this offset stands for, shown in `tz`.
    pub fn after(self, treated_at: Timestamp, tz: &TimeZone) -> ZonedDateTime {
        let instant = treated_at
            .checked_add(SignedDuration::from_hours(i64::from(self.0)))
            .unwrap_or(Timestamp::MAX);
        instant.to_zoned_datetime(tz.clone())
    }
}

impl std::fmt::Display for Hours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} h", self.0)
    }
}

/// Elapsed time between the treatment and `at`, in fractional hours (negative if before).
pub fn hours_between(treated_at: Timestamp, at: Timestamp) -> f64 {
    let elapsed = at.duration_since(treated_at);
    elapsed.as_secs_f64() / 3600.0
}
