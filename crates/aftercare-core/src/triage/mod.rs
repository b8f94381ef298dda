//! Symptom check-ins and tiered triage (CONTRACT §5): "is this redness normal on day 4?"
//!
//! The rules are data, in the protocol's `[triage]` section (`data/protocols/*/triage.toml`);
//! this module validates them and applies them. A check-in goes in (treatment time, check-in
//! time, symptoms, temperature, discharge, 0-10 ratings, earlier check-ins); a level, every
//! rule that fired and advice come out.
//!
//! - `vocabulary.rs`: symptom ids, levels, discharge kinds;
//! - `spec.rs`: the raw `[triage]` TOML shape;
//! - `rules.rs`: spec → validated `TriageRules`, with file/line/column errors;
//! - `floor.rs`: the CONTRACT §5 red flags that no protocol may under-triage;
//! - `check_in.rs`: the check-in JSON shape and the validated `CheckIn`;
//! - `engine.rs`: `triage_check_in`, a pure function.
//!
//! What does not belong here: reading files or stdin, printing (the binaries), the rest of the
//! protocol (`protocol`).

mod check_in;
mod engine;
mod floor;
mod rules;
pub mod spec;
mod vocabulary;

#[cfg(test)]
mod tests;

pub use check_in::{
    CheckIn, CheckInError, CheckInSpec, MAX_CHECK_IN_BYTES, PastCheckIn, PastCheckInSpec, Rating,
    Report, TEMPERATURE_RANGE_C, parse_check_in,
};
pub use engine::{Reason, TriageResult, triage_check_in};
pub use rules::{CONTRACT_FEVER_FROM_C, LevelGuidance, Rule, TriageRules, UnexplainedRule};
pub use spec::TriageSpec;
pub use vocabulary::{Discharge, Level, Symptom};
