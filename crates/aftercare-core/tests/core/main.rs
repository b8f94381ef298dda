//! Integration tests of the pure core, in one binary (linking dominates on two cores).

#![expect(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod accuracy;
mod calendar;
mod memo;
mod plan;
mod protocol;
