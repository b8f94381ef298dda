//! `aftercare triage`: is this symptom normal today? Judges one check-in (a JSON file or
//! standard input) or a batch of them (JSON Lines, one result line each) with the protocol's
//! triage rules (CONTRACT §5), as text or JSON. Text output always ends with what to do in an
//! emergency and the reminder that the tool does not replace the practitioner.
//!
//! What does not belong here: the rules and the judging (`aftercare_core::triage`).

use std::{
    fmt::Write as _,
    io::{BufRead, BufReader, IsTerminal, Write},
    path::{Path, PathBuf},
};

use aftercare_core::{
    Protocol,
    plan::SourcedText,
    triage::{
        Level, MAX_CHECK_IN_BYTES, TriageResult, TriageRules, parse_check_in, triage_check_in,
    },
};
use clap::{Args, ValueEnum};

use crate::{
    failure::bad_input,
    input::{BoundedLines, read_text},
    output::write_stdout,
    protocol_file,
};

/// Arguments of `aftercare triage`.
#[derive(Debug, Args)]
#[command(after_help = "\
A check-in is one JSON object (CONTRACT §5):
  {\"treated_at\": \"2026-11-20T15:00:00+01:00\", \"at\": \"2026-11-23T09:00:00+01:00\",
   \"symptoms\": [\"redness\", \"flaking\"], \"temperature_c\": 37.2, \"discharge\": \"none\",
   \"ratings\": {\"redness\": 4, \"itching\": 2},
   \"history\": [{\"at\": \"2026-11-22T09:00:00+01:00\", \"ratings\": {\"redness\": 5}}]}

Symptom ids: redness, swelling, warmth, tightness, dryness, flaking, itching, burning, stinging,
pinpoint_bleeding, bruising, pain, tenderness, sensitivity, crusting, rash, hives, bumps,
pustules, blisters, tingling, significant_irritation, redness_worsening, swelling_worsening,
spreading_redness, eye_swelling, swollen_lymph_nodes, dark_patches, linear_marks, fever, chills,
vomiting, confusion, rapid_heartbeat, throat_swelling, tongue_swelling, difficulty_breathing,
wheezing, faintness.

Levels, lowest to highest: expected, contact_practitioner, urgent, emergency.
In an emergency, call your local emergency number. This tool does not replace your practitioner.")]
pub struct TriageArgs {
    /// The check-in: a JSON file, or '-' for standard input.
    #[arg(value_name = "FILE", conflicts_with_all = ["file", "batch"])]
    pub input: Option<PathBuf>,
    /// The check-in as a JSON file ('-' for standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "batch")]
    pub file: Option<PathBuf>,
    /// Many check-ins, one JSON object a line ('-' for standard input): one result line each,
    /// with the input's id. A bad line is reported on stderr and the run goes on.
    #[arg(long, value_name = "FILE.jsonl")]
    pub batch: Option<PathBuf>,
    /// A clinic's own protocol file (or folder of TOML files) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub protocol: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TriageFormat::Text)]
    pub format: TriageFormat,
}

/// Output formats of `aftercare triage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TriageFormat {
    /// Plain text for a person.
    Text,
    /// JSON as CONTRACT §5 describes (one object; one line per check-in with --batch).
    Json,
}

/// Runs `aftercare triage`.
pub fn run(args: TriageArgs) -> anyhow::Result<()> {
    let protocol = protocol_file::load(args.protocol.as_deref())?;
    if let Some(batch) = &args.batch {
        return run_batch(&protocol, batch, args.format);
    }
    let path = match args.file.or(args.input) {
        Some(path) => path,
        None if !std::io::stdin().is_terminal() => PathBuf::from("-"),
        None => {
            return Err(bad_input(
                "no check-in given: use --file FILE, '-' for standard input, or --batch FILE.jsonl",
            ));
        }
    };
    let text = read_text(&path, MAX_CHECK_IN_BYTES, "check-in")?;
    // A check-in that cannot be read may still report a red flag: the refusal carries the
    // emergency guidance too.
    let check_in = parse_check_in(&text).map_err(|e| {
        bad_input(format!(
            "check-in from {}: {e}\n{}",
            describe(&path),
            emergency_line(&protocol)
        ))
    })?;
    let result = triage_check_in(&protocol.triage, &check_in);
    let output = match args.format {
        TriageFormat::Text => render_text(&result, &protocol),
        TriageFormat::Json => {
            serde_json::to_string_pretty(&result_json(&result, &protocol)?)? + "\n"
        }
    };
    write_stdout(&output)
}

/// Judges every line of a JSON Lines file; bad lines go to stderr with their line number.
fn run_batch(protocol: &Protocol, path: &Path, format: TriageFormat) -> anyhow::Result<()> {
    let name = describe(path);
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| bad_input(format!("cannot read check-in batch file {name}: {e}")))?;
        Box::new(BufReader::new(file))
    };
    let mut lines = BoundedLines::new(reader, MAX_CHECK_IN_BYTES, "the check-in");
    let mut stdout = std::io::stdout().lock();
    let (mut judged, mut bad) = (0usize, 0usize);
    while let Some(line) = lines.next_line()? {
        let outcome = match line.text {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => parse_check_in(&text).map_err(|e| e.to_string()),
            Err(problem) => Err(problem),
        };
        match outcome {
            Ok(check_in) => {
                judged += 1;
                let result = triage_check_in(&protocol.triage, &check_in);
                let out = match format {
                    TriageFormat::Json => batch_json(&result, line.number, protocol)?,
                    TriageFormat::Text => batch_text(&result, line.number, &protocol.triage),
                };
                writeln!(stdout, "{out}")?;
            }
            Err(problem) => {
                bad += 1;
                eprintln!("aftercare: {name}, line {}: {problem}", line.number);
            }
        }
    }
    if format == TriageFormat::Text {
        write!(stdout, "\n{}", notices(protocol))?;
    }
    stdout.flush()?;
    if bad > 0 {
        return Err(bad_input(format!(
            "{bad} of {} check-ins in {name} could not be read (see the lines above)\n{}",
            judged + bad,
            emergency_line(protocol)
        )));
    }
    Ok(())
}

/// `'file.json'` or `standard input`.
fn describe(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        format!("'{}'", path.display())
    }
}

/// A result as JSON (CONTRACT §5), extended with the protocol's emergency guidance and its
/// source, so every output carries it, as the text output does.
fn result_json(result: &TriageResult, protocol: &Protocol) -> anyhow::Result<serde_json::Value> {
    let mut value = serde_json::to_value(result)?;
    if let Some(object) = value.as_object_mut() {
        let emergency = SourcedText::of(&protocol.notices.emergency);
        object.insert("emergency".to_owned(), serde_json::to_value(emergency)?);
    }
    Ok(value)
}

fn batch_json(result: &TriageResult, line: usize, protocol: &Protocol) -> anyhow::Result<String> {
    let mut value = result_json(result, protocol)?;
    if let Some(object) = value.as_object_mut() {
        object.entry("id").or_insert(serde_json::Value::Null);
        object.insert("line".to_owned(), line.into());
    }
    Ok(serde_json::to_string(&value)?)
}

fn batch_text(result: &TriageResult, line: usize, rules: &TriageRules) -> String {
    let id = match &result.id {
        Some(serde_json::Value::String(id)) => id.clone(),
        Some(other) => other.to_string(),
        None => format!("line {line}"),
    };
    let codes: Vec<&str> = result.reasons.iter().map(|r| r.code.as_str()).collect();
    let codes = if codes.is_empty() {
        "nothing to report".to_owned()
    } else {
        codes.join(", ")
    };
    format!(
        "{id}: {} (day {}): {codes}",
        rules.guidance(result.level).label,
        result.day
    )
}

/// The emergency guidance and the disclaimer: the end of every text output.
fn notices(protocol: &Protocol) -> String {
    format!(
        "{}\n{}\n",
        emergency_line(protocol),
        protocol.notices.disclaimer.text
    )
}

/// "In an emergency: …", the protocol's guidance.
fn emergency_line(protocol: &Protocol) -> String {
    format!("In an emergency: {}", protocol.notices.emergency.text)
}

/// A check-in's result for a person: the level, why, what to do, and the notices.
fn render_text(result: &TriageResult, protocol: &Protocol) -> String {
    let rules = &protocol.triage;
    let mut out = String::new();
    let hours = result.hours_since_treatment;
    let _ = writeln!(out, "{}", rules.guidance(result.level).label);
    let _ = writeln!(
        out,
        "Day {} after treatment ({hours} {} since the treatment).",
        result.day,
        if hours == 1 { "hour" } else { "hours" }
    );
    if result.reasons.is_empty() {
        let _ = writeln!(out, "\nNothing to report: no symptom was given.");
    } else {
        let _ = writeln!(out, "\nWhy:");
        for reason in &result.reasons {
            let marker = match reason.level {
                Level::Expected => "normal".to_owned(),
                level => level.id().replace('_', " "),
            };
            let _ = writeln!(out, "  - [{marker}] {}", reason.message);
            let _ = writeln!(
                out,
                "    ({}; source: {})",
                reason.code, reason.source.citation
            );
        }
    }
    let _ = writeln!(out, "\nWhat to do:");
    for advice in &result.advice {
        let _ = writeln!(out, "  - {advice}");
    }
    let _ = write!(out, "\n{}", notices(protocol));
    out
}
