//! The one place the web app reads the time. Handlers, sessions and links take "now" from the
//! [`Clock`] in the application state, so tests can pin and advance it.
//!
//! What does not belong here: rate limiting, which keeps its own monotonic clock (governor).

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use jiff::Timestamp;

/// Where "now" comes from: the system clock, or a fixed instant that tests can move.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock that stands still at `at` until [`Clock::advance`] moves it.
    pub fn fixed(at: Timestamp) -> Self {
        Clock {
            fixed: Some(Arc::new(AtomicI64::new(at.as_second()))),
        }
    }

    /// The current instant, to the second.
    pub fn now(&self) -> Timestamp {
        match &self.fixed {
            Some(seconds) => Timestamp::from_second(seconds.load(Ordering::SeqCst))
                .unwrap_or(Timestamp::UNIX_EPOCH),
            None => system_now(),
        }
    }

    /// The current instant as epoch seconds, the unit the store keeps.
    pub fn now_seconds(&self) -> i64 {
        self.now().as_second()
    }

    /// Moves a fixed clock forward by `seconds`; the system clock cannot be moved.
    pub fn advance(&self, seconds: i64) {
        if let Some(fixed) = &self.fixed {
            fixed.fetch_add(seconds, Ordering::SeqCst);
        }
    }
}

#[expect(clippy::disallowed_methods, reason = "this is the web app's one Clock")]
fn system_now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_advanced() {
        let start: Timestamp = "2026-11-26T14:00:00Z".parse().unwrap();
        let clock = Clock::fixed(start);
        assert_eq!(clock.now(), start);
        clock.advance(3600);
        assert_eq!(clock.now_seconds(), start.as_second() + 3600);
    }
}
