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
    /// Can I use this product today? Check an ingredient list.
    Check(commands::check::CheckArgs),
    /// Is this symptom normal today? Triage a check-in.
    Triage(commands::triage::TriageArgs),
    /// Find a trained, licensed practitioner near a city or a point.
    Practitioners(commands::practitioners::PractitionersArgs),
    /// When each product of your shelf comes back, and your routine day by day.
    Schedule(commands::schedule::ScheduleArgs),
    /// Run the web app for patients and clinics.
    Serve(aftercare_web::ServeArgs),
    /// Administer clinic accounts without a browser (first run: `admin create`).
    Admin(aftercare_web::AdminArgs),
    /// Bring the database to the current schema (`serve` does it too, at start).
    Migrate(commands::data::MigrateArgs),
    /// Write a consistent copy of a live SQLite database (PostgreSQL: use pg_dump).
    Backup(commands::data::BackupArgs),
    /// Write every row of the database as JSON (to move a clinic, e.g. SQLite to PostgreSQL).
    Export(commands::data::ExportArgs),
    /// Load a JSON export into an empty database.
    Import(commands::data::ImportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let clock = clock::SystemClock;
    let result = match cli.command {
        Command::Plan(args) => commands::plan::run(args, &clock),
        Command::Check(args) => commands::check::run(args, &clock),
        Command::Triage(args) => commands::triage::run(args),
        Command::Practitioners(args) => commands::practitioners::run(args),
        Command::Schedule(args) => commands::schedule::run(args, &clock),
        Command::Serve(args) => commands::serve::run(args),
        Command::Admin(args) => commands::serve::run_admin(args, &clock),
        Command::Migrate(args) => commands::data::run_migrate(args),
        Command::Backup(args) => commands::data::run_backup(args),
        Command::Export(args) => commands::data::run_export(args),
        Command::Import(args) => commands::data::run_import(args),
    };
    failure::exit_code(result)
}
