//! Tests of the `aftercare` binary, driven as a user would (one test binary: linking dominates).

#![expect(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod browser;
mod calendar;
mod check;
mod crash;
mod data;
mod plan;
mod practitioners;
mod schedule;
mod triage;
