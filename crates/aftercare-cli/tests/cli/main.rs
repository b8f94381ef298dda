//! CLI tests.

mod plan;
mod triage;
