//! `aftercare schedule`: when each product of a shelf comes back after treatment, and the
//! morning and evening routine of each day (issue #9; docs/shelf.md), as text or JSON.

use std::path::PathBuf;

use aftercare_core::{
    inci::{Checker, kb::KnowledgeBase},
    instant::{format_local, format_local_date, parse_instant, parse_time_zone},
    shelf::{
        DayRoutine, MAX_SHELF_BYTES, Schedule, build_routine, check_shelf, parse_shelf_json,
        schedule_products,
    },
};
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::{clock::Clock, failure::bad_input, input::read_text, protocol_file};

/// Arguments of `aftercare schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The shelf: JSON `{"products": [{"name", "brand", "type", "ingredients", "aftercare"}]}` (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub shelf: PathBuf,
    /// When the treatment ended: RFC 3339 (2026-11-26T15:00:00+01:00) or 'YYYY-MM-DD HH:MM' with --tz.
    #[arg(long, value_name = "TIME")]
    pub treated_at: String,
    /// The patient's IANA time zone, e.g. Europe/Berlin. Times are shown in it.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Skin type (repeat or comma-separate): dry, oily, acne_prone, sensitive, normal.
    #[arg(long, value_name = "TYPE", value_delimiter = ',')]
    pub skin: Vec<String>,
    /// A clinic's own protocol file (or folder of TOML files) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub protocol: Option<PathBuf>,
    /// How many days of routines to show.
    #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub days: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScheduleFormat::Text)]
    pub format: ScheduleFormat,
}

/// Output formats of `aftercare schedule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleFormat {
    /// Plain text for a terminal.
    Text,
    /// JSON: `{"schedule": [...], "pauses": [...], "routines": [...]}`.
    Json,
}

/// The farthest in the future a treatment may be scheduled (as `aftercare plan`).
const MAX_FUTURE: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 366);

#[derive(Serialize)]
struct ScheduleOutput<'a> {
    treated_at: String,
    #[serde(flatten)]
    schedule: &'a Schedule,
    routines: &'a [DayRoutine],
}

/// Runs `aftercare schedule`.
pub fn run(args: ScheduleArgs, clock: &dyn Clock) -> anyhow::Result<()> {
    let tz = args
        .tz
        .as_deref()
        .map(parse_time_zone)
        .transpose()
        .map_err(|e| bad_input(format!("--tz: {e}")))?;
    let treated_at = parse_instant(&args.treated_at, tz.as_ref())
        .map_err(|e| bad_input(format!("--treated-at: {e}")))?;
    if treated_at.timestamp().duration_since(clock.now()) > MAX_FUTURE {
        return Err(bad_input(format!(
            "--treated-at: '{}' is more than a year in the future",
            args.treated_at
        )));
    }
    let profile = crate::commands::plan::parse_profile(&args.skin, &[], None)?;
    let protocol = protocol_file::load(args.protocol.as_deref())?;
    let text = read_text(&args.shelf, MAX_SHELF_BYTES, "shelf")?;
    let shelf_name = args.shelf.display().to_string();
    let shelf =
        parse_shelf_json(&text).map_err(|e| bad_input(format!("shelf '{shelf_name}': {e}")))?;
    let checker = Checker::new(KnowledgeBase::embedded(), &protocol, &profile);
    let products = check_shelf(&shelf, &checker)
        .map_err(|e| bad_input(format!("shelf '{shelf_name}': {e}")))?;
    let schedule = schedule_products(&protocol, &profile, &products, &[], &treated_at);
    let routines: Vec<DayRoutine> = (1..=args.days)
        .map(|day| build_routine(&protocol, &profile, &products, &schedule, &treated_at, day))
        .collect();
    let output = match args.format {
        ScheduleFormat::Json => {
            serde_json::to_string_pretty(&ScheduleOutput {
                treated_at: aftercare_core::instant::format_rfc3339(&treated_at),
                schedule: &schedule,
                routines: &routines,
            })? + "\n"
        }
        ScheduleFormat::Text => render_text(&schedule, &routines, &treated_at),
    };
    crate::output::write_stdout(&output)
}

fn render_text(
    schedule: &Schedule,
    routines: &[DayRoutine],
    treated_at: &jiff::ZonedDateTime,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Bringing your products back after treatment on {}\n",
        format_local(treated_at)
    );
    for pause in &schedule.pauses {
        let _ = writeln!(
            out,
            "PAUSED: {}\n  Source: {}\n",
            pause.reason, pause.source
        );
    }
    for e in &schedule.schedule {
        let when = if e.from_hours.0 == 0 {
            "from now".to_owned()
        } else {
            format!("not before {}", format_local(&e.from))
        };
        let _ = writeln!(out, "- {} ({}): {when}", e.name, e.product_type);
        let _ = writeln!(out, "  {}", e.reason);
        let _ = writeln!(out, "  Source: {}", e.source);
    }
    for r in routines {
        let date = jiff::civil::Date::strptime("%Y-%m-%d", &r.date)
            .ok()
            .and_then(|d| d.to_zoned_datetime(treated_at.time_zone().clone()).ok())
            .map_or_else(|| r.date.clone(), |z| format_local_date(&z));
        let _ = writeln!(out, "\nDay {} ({date})", r.day);
        for (label, items) in [("Morning", &r.am), ("Evening", &r.pm)] {
            let _ = writeln!(out, "  {label}:");
            for (n, item) in items.iter().enumerate() {
                let _ = writeln!(out, "    {}. {}", n + 1, item.text);
            }
        }
        if !r.occasional.is_empty() {
            let _ = writeln!(out, "  Also back by now: {}", r.occasional.join(", "));
        }
        for note in &r.notes {
            let _ = writeln!(out, "  Note: {note}");
        }
    }
    out
}
