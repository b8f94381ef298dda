//! The `aftercare` command: thin adapters from the command line to `aftercare-core`.
//!
//! Exit codes (CONTRACT §7): 0 success, 2 bad input or usage (one sentence on stderr saying
//! what and where), 1 internal failure.

mod clock;
mod commands;
mod failure;
mod input;
mod output;
mod protocol_file;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Post-microneedling aftercare: a personalised plan, an ingredient checker and symptom triage.
///
/// The advice supports your practitioner; it never replaces them. In an emergency (swelling of
/// the throat or tongue, difficulty breathing, fainting) call your local emergency number.
#[derive(Debug, Parser)]
#[command(name = "aftercare", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A personalised day-by-day aftercare plan from the moment of treatment.
    Plan(commands::plan::PlanArgs),
    /// Is this symptom normal today? Triage a check-in.
    Triage(commands::triage::TriageArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let clock = clock::SystemClock;
    let result = match cli.command {
        Command::Plan(args) => commands::plan::run(args, &clock),
        Command::Triage(args) => commands::triage::run(args),
    };
    failure::exit_code(result)
}
