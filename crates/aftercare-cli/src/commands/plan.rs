//! `aftercare plan`: the personalised day-by-day plan (CONTRACT §6) as text, Markdown or JSON,
//! or its milestones and reminders as an iCalendar feed (`--format ics`, docs/calendar.md).

use std::path::PathBuf;

use aftercare_core::{
    calendar::{CalendarError, CalendarOptions, default_namespace, plan_calendar},
    instant::{parse_instant, parse_time_zone},
    plan::{generate_plan, render_markdown, render_text},
    profile::{Area, Fitzpatrick, Profile, SkinType},
};
use clap::{Args, ValueEnum};
use jiff::SignedDuration;

use crate::{clock::Clock, failure::bad_input, protocol_file};

/// Arguments of `aftercare plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// When the treatment ended: RFC 3339 (2026-11-26T15:00:00+01:00) or 'YYYY-MM-DD HH:MM' with --tz.
    #[arg(long, value_name = "TIME")]
    pub treated_at: String,
    /// The patient's IANA time zone, e.g. Europe/Berlin. Times are shown in it.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Skin type (repeat or comma-separate): dry, oily, acne_prone, sensitive, normal.
    #[arg(long, value_name = "TYPE", value_delimiter = ',')]
    pub skin: Vec<String>,
    /// Treated area (repeat or comma-separate): face, neck, decollete, chest, back, abdomen, thighs, arms, hands, scalp.
    #[arg(long, value_name = "AREA", value_delimiter = ',')]
    pub area: Vec<String>,
    /// Fitzpatrick phototype, 1-6 (or I-VI).
    #[arg(long, value_name = "TYPE")]
    pub fitzpatrick: Option<String>,
    /// A clinic's own protocol file (or folder of TOML files) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub protocol: Option<PathBuf>,
    /// How many days to plan.
    #[arg(long, default_value_t = 14)]
    pub days: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// With --format ics: also remind to reapply sunscreen every 2 hours in daytime (10:00-16:00) in the first week.
    #[arg(long)]
    pub sun_reminders: bool,
    /// With --format ics: the stable id namespace of the events' UIDs (letters, digits, '.', '_', '-'); default: the protocol id and the treatment instant.
    #[arg(long, value_name = "TEXT")]
    pub calendar_uid: Option<String>,
}

/// Output formats of `aftercare plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Plain text for a terminal.
    Text,
    /// A printable Markdown handout.
    Markdown,
    /// JSON as CONTRACT §6 describes.
    Json,
    /// An iCalendar (RFC 5545) feed of milestones and reminders, for a calendar app.
    Ics,
}

/// The farthest in the future a treatment may be planned.
const MAX_FUTURE: SignedDuration = SignedDuration::from_hours(24 * 366);

/// Runs `aftercare plan`.
pub fn run(args: PlanArgs, clock: &dyn Clock) -> anyhow::Result<()> {
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
    if args.format != PlanFormat::Ics && (args.sun_reminders || args.calendar_uid.is_some()) {
        return Err(bad_input(
            "--sun-reminders and --calendar-uid only apply to --format ics",
        ));
    }
    let profile = parse_profile(&args.skin, &args.area, args.fitzpatrick.as_deref())?;
    let protocol = protocol_file::load(args.protocol.as_deref())?;
    let plan = generate_plan(&protocol, &treated_at, &profile, args.days).map_err(bad_input)?;
    let output = match args.format {
        PlanFormat::Text => render_text(&plan),
        PlanFormat::Markdown => render_markdown(&plan),
        PlanFormat::Json => serde_json::to_string_pretty(&plan)? + "\n",
        PlanFormat::Ics => {
            let mut options = CalendarOptions::new(
                args.calendar_uid
                    .unwrap_or_else(|| default_namespace(&protocol, &treated_at)),
            );
            options.sun_reapplication = args.sun_reminders;
            plan_calendar(&protocol, &treated_at, &profile, &options)
                .map_err(|e| match e {
                    CalendarError::Namespace(_) => bad_input(format!("--calendar-uid: {e}")),
                    CalendarError::OutOfRange => bad_input(format!("--treated-at: {e}")),
                    other => anyhow::Error::new(other),
                })?
                .to_ics()
        }
    };
    crate::output::write_stdout(&output)
}

/// Reads the profile options; each unknown id is bad input naming the option.
pub fn parse_profile(
    skin: &[String],
    areas: &[String],
    fitzpatrick: Option<&str>,
) -> anyhow::Result<Profile> {
    let mut profile = Profile::default();
    for s in skin {
        let skin: SkinType = s.parse().map_err(|e| bad_input(format!("--skin: {e}")))?;
        if !profile.skin.contains(&skin) {
            profile.skin.push(skin);
        }
    }
    for a in areas {
        let area: Area = a.parse().map_err(|e| bad_input(format!("--area: {e}")))?;
        if !profile.areas.contains(&area) {
            profile.areas.push(area);
        }
    }
    profile.fitzpatrick = fitzpatrick
        .map(str::parse::<Fitzpatrick>)
        .transpose()
        .map_err(|e| bad_input(format!("--fitzpatrick: {e}")))?;
    Ok(profile)
}
