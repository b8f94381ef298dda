//! One module per subcommand: each has its clap `*Args` and a `run` function.

pub mod check;
pub mod data;
pub mod plan;
pub mod practitioners;
pub mod schedule;
pub mod serve;
pub mod triage;
