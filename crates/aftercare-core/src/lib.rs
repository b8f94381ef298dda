//! The pure domain of aftercare: everything the system knows about caring for skin after
//! microneedling, as functions of data and time.
//!
//! What belongs here: the protocol (the guide as validated data), the day-by-day plan, the
//! ingredient checker (parse, knowledge base, verdicts) and symptom triage.
//! What does not: files, sockets, databases, terminals, async and the clock. Time, time zones
//! and data come in as arguments, so every answer is reproducible and testable.

#[macro_use]
pub mod vocabulary;

pub mod calendar;
pub mod category;
pub mod geo;
pub mod healing;
pub mod hours;
pub mod inci;
pub mod instant;
pub mod json_input;
pub mod plan;
pub mod profile;
pub mod protocol;
pub mod shelf;
pub mod triage;
pub mod words;

pub use hours::Hours;
pub use protocol::Protocol;
