//! `aftercare check`: can I use this product today? Checks one ingredient list (an argument, a
//! file or standard input) or a whole catalog (JSON Lines, checked in parallel across cores)
//! against the protocol's timings (CONTRACT §4), as text or JSON; `--report` scores the checker
//! against a labelled sample.
//!
//! What does not belong here: parsing, matching, verdicts and wording
//! (`aftercare_core::inci`). This module reads input, picks the time, and writes results.

use std::{
    cell::RefCell,
    io::{BufRead, BufReader, IsTerminal, Write},
    path::{Path, PathBuf},
};

use aftercare_core::{
    inci::{
        CheckTime, Checker, MAX_INPUT_BYTES, MatchMemo, Product, ProductCheck, ProductType,
        accuracy::{evaluate, read_labelled},
        kb::KnowledgeBase,
        render::{SUPPORTS_PRACTITIONER, render_text, verdict_line},
    },
    instant::{parse_instant, parse_time_zone},
};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    clock::Clock,
    commands::plan::parse_profile,
    failure::bad_input,
    input::{BoundedLines, Line, read_text},
    output::write_stdout,
    protocol_file,
};

/// Arguments of `aftercare check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Time: give one of --hours, --day or --treated-at (with --at, default now). Without any, the
answer covers the whole recovery: the verdict right after treatment and a timeline of when
it changes.

Verdicts: wait (not yet: 'usable_from' says when), unknown (an ingredient was not recognised,
so the product cannot be cleared), caution (usable with care: a skin-type flag, a 'better
from' time, or a scrub particle when the product type is not known), ok.

Product types (--type): cleanser, toner, serum, moisturizer, sunscreen, exfoliant, scrub, mask,
makeup, balm, mist, oil, other. They apply the protocol's product rules (makeup, cleanser) and
decide whether scrub particles count.

Catalog lines are JSON objects with 'ingredients' and optionally 'id', 'name', 'type' (other
fields are ignored); one result line is written per input line, with its 'id'. A bad line is
reported on stderr and skipped; the exit code is then 2.

This checker supports your practitioner's advice; it does not replace it.")]
pub struct CheckArgs {
    /// The ingredient list (quote it), or '-' to read it from standard input.
    #[arg(value_name = "INGREDIENT_LIST", conflicts_with_all = ["file", "catalog", "report"])]
    pub list: Option<String>,
    /// Read the ingredient list from a file ('-' for standard input).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["catalog", "report"])]
    pub file: Option<PathBuf>,
    /// Check every product of a JSON Lines file ('-' for standard input), in parallel; one
    /// JSON line out per line in.
    #[arg(long, value_name = "FILE.jsonl", conflicts_with = "report")]
    pub catalog: Option<PathBuf>,
    /// Score the checker against a labelled JSON Lines file (the shape of the project's
    /// labelled sample): per-category precision and recall.
    #[arg(long, value_name = "FILE.jsonl")]
    pub report: Option<PathBuf>,
    /// Hours since the treatment.
    #[arg(long, value_name = "H", conflicts_with_all = ["day", "treated_at"])]
    pub hours: Option<u32>,
    /// Day of the recovery (day 1 is the first 24 hours).
    #[arg(long, value_name = "N", conflicts_with = "treated_at")]
    pub day: Option<u32>,
    /// When the treatment ended: RFC 3339 (2026-11-26T15:00:00+01:00) or 'YYYY-MM-DD HH:MM' with --tz.
    #[arg(long, value_name = "TIME")]
    pub treated_at: Option<String>,
    /// When the product would be used (default: now), in the same formats as --treated-at.
    #[arg(long, value_name = "TIME", requires = "treated_at")]
    pub at: Option<String>,
    /// The patient's IANA time zone, e.g. Europe/Berlin. Times are shown in it.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Skin type (repeat or comma-separate): dry, oily, acne_prone, sensitive, normal.
    #[arg(long, value_name = "TYPE", value_delimiter = ',')]
    pub skin: Vec<String>,
    /// The kind of product (see below). For --catalog, the default for lines without a type.
    #[arg(long = "type", value_name = "TYPE")]
    pub product_type: Option<String>,
    /// A clinic's own protocol file (or folder of TOML files) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub protocol: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Output formats of `aftercare check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Plain text for a person (one line per product with --catalog).
    Text,
    /// JSON as CONTRACT §4 describes (one object a line with --catalog).
    Json,
}

/// The largest catalog line accepted: a full-size list with JSON escapes and other fields.
const MAX_CATALOG_LINE_BYTES: usize = 4 * MAX_INPUT_BYTES;

/// The largest labelled file `--report` reads.
const MAX_REPORT_BYTES: usize = 64 * 1024 * 1024;

/// How many catalog lines are checked together (in parallel) before their results are written.
const BATCH_LINES: usize = 4096;

/// Runs `aftercare check`.
pub fn run(args: CheckArgs, clock: &dyn Clock) -> anyhow::Result<()> {
    let profile = parse_profile(&args.skin, &[], None)?;
    let product_type = args
        .product_type
        .as_deref()
        .map(ProductType::parse_id)
        .transpose()
        .map_err(|e| bad_input(format!("--type: {e}")))?;
    let time = check_time(&args, clock)?;
    let protocol = protocol_file::load(args.protocol.as_deref())?;
    let checker = Checker::new(KnowledgeBase::embedded(), &protocol, &profile);
    if let Some(path) = &args.report {
        return run_report(&checker, path);
    }
    if let Some(path) = &args.catalog {
        return run_catalog(&checker, path, product_type, &time, args.format);
    }
    let (text, origin) = match (&args.list, &args.file) {
        (Some(list), None) if list != "-" => {
            if list.len() > MAX_INPUT_BYTES {
                return Err(bad_input(format!(
                    "the ingredient list argument is larger than the limit of {} KiB",
                    MAX_INPUT_BYTES / 1024
                )));
            }
            (list.clone(), "the ingredient list argument".to_owned())
        }
        (_, Some(path)) => (
            read_text(path, MAX_INPUT_BYTES, "ingredient list")?,
            describe(path),
        ),
        (Some(_), None) => (
            read_text(Path::new("-"), MAX_INPUT_BYTES, "ingredient list")?,
            describe(Path::new("-")),
        ),
        (None, None) if !std::io::stdin().is_terminal() => (
            read_text(Path::new("-"), MAX_INPUT_BYTES, "ingredient list")?,
            describe(Path::new("-")),
        ),
        (None, None) => {
            return Err(bad_input(
                "no ingredient list given: pass it as an argument (quoted), --file FILE, '-' for \
                 standard input, or --catalog FILE.jsonl",
            ));
        }
    };
    let product = Product {
        product_type,
        name: None,
    };
    let check = checker
        .check(&text, &product, &time)
        .map_err(|e| bad_input(format!("{origin}: {e}")))?;
    let output = match args.format {
        CheckFormat::Text => render_text(&check),
        CheckFormat::Json => serde_json::to_string_pretty(&check)? + "\n",
    };
    write_stdout(&output)
}

/// The time the verdict is for, from --hours, --day or --treated-at [--at].
fn check_time(args: &CheckArgs, clock: &dyn Clock) -> anyhow::Result<CheckTime> {
    if let Some(hours) = args.hours {
        return Ok(CheckTime::hours(aftercare_core::Hours(hours)));
    }
    if let Some(day) = args.day {
        return CheckTime::day(day).map_err(|e| bad_input(format!("--day: {e}")));
    }
    let Some(treated_at) = &args.treated_at else {
        return Ok(CheckTime::WHOLE_RECOVERY);
    };
    let tz = args
        .tz
        .as_deref()
        .map(parse_time_zone)
        .transpose()
        .map_err(|e| bad_input(format!("--tz: {e}")))?;
    let treated = parse_instant(treated_at, tz.as_ref())
        .map_err(|e| bad_input(format!("--treated-at: {e}")))?;
    let at = match &args.at {
        Some(at) => parse_instant(at, tz.as_ref())
            .map_err(|e| bad_input(format!("--at: {e}")))?
            .timestamp(),
        None => clock.now(),
    };
    let option = if args.at.is_some() {
        "--at"
    } else {
        "--treated-at"
    };
    CheckTime::between(treated, at).map_err(|e| bad_input(format!("{option}: {e}")))
}

/// `'file'` or `standard input`.
fn describe(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        format!("'{}'", path.display())
    }
}

// ---------------------------------------------------------------------------------------
// --report
// ---------------------------------------------------------------------------------------

fn run_report(checker: &Checker<'_>, path: &Path) -> anyhow::Result<()> {
    let text = read_text(path, MAX_REPORT_BYTES, "labelled sample")?;
    let products =
        read_labelled(&text).map_err(|e| bad_input(format!("{}: {e}", describe(path))))?;
    let report =
        evaluate(checker, &products).map_err(|e| bad_input(format!("{}: {e}", describe(path))))?;
    write_stdout(&report.to_string())
}

// ---------------------------------------------------------------------------------------
// --catalog
// ---------------------------------------------------------------------------------------

/// One catalog line (other fields are ignored).
#[derive(Debug, Deserialize)]
struct CatalogLine {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    product_type: Option<String>,
    ingredients: String,
}

/// One result line of `--catalog --format json`.
#[derive(Serialize)]
struct CatalogResult<'a> {
    id: &'a serde_json::Value,
    line: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    #[serde(flatten)]
    check: &'a ProductCheck<'a>,
}

thread_local! {
    /// Each worker thread keeps its own memo of matched names across the whole catalog.
    static MEMO: RefCell<MatchMemo> = RefCell::new(MatchMemo::new());
}

fn run_catalog(
    checker: &Checker<'_>,
    path: &Path,
    default_type: Option<ProductType>,
    time: &CheckTime,
    format: CheckFormat,
) -> anyhow::Result<()> {
    let name = describe(path);
    let (reader, size): (Box<dyn BufRead>, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(BufReader::new(std::io::stdin().lock())), None)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| bad_input(format!("cannot read catalog file {name}: {e}")))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(BufReader::with_capacity(1 << 20, file)), size)
    };
    let progress = progress_bar(size);
    let mut lines = BoundedLines::new(reader, MAX_CATALOG_LINE_BYTES, "the line");
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut checked, mut bad) = (0usize, 0usize);
    loop {
        let mut batch = Vec::with_capacity(BATCH_LINES);
        let mut bytes = 0u64;
        while batch.len() < BATCH_LINES {
            match lines.next_line()? {
                Some(line) => {
                    bytes += line.bytes;
                    batch.push(line);
                }
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Option<Result<String, String>>> = batch
            .par_iter()
            .map(|line| check_line(checker, line, default_type, time, format))
            .collect();
        for (line, result) in batch.iter().zip(results) {
            match result {
                None => {}
                Some(Ok(out)) => {
                    checked += 1;
                    writeln!(stdout, "{out}")?;
                }
                Some(Err(problem)) => {
                    bad += 1;
                    progress.suspend(|| {
                        eprintln!("aftercare: {name}, line {}: {problem}", line.number);
                    });
                }
            }
        }
        progress.inc(bytes);
    }
    progress.finish_and_clear();
    if format == CheckFormat::Text {
        writeln!(stdout, "\n{SUPPORTS_PRACTITIONER}")?;
    }
    stdout.flush()?;
    if bad > 0 {
        return Err(bad_input(format!(
            "{bad} of {} catalog lines in {name} could not be checked (see the lines above)",
            checked + bad
        )));
    }
    Ok(())
}

/// Checks one catalog line: `None` for a blank line, else the output line or the problem.
fn check_line(
    checker: &Checker<'_>,
    line: &Line,
    default_type: Option<ProductType>,
    time: &CheckTime,
    format: CheckFormat,
) -> Option<Result<String, String>> {
    let text = match &line.text {
        Ok(text) if text.trim().is_empty() => return None,
        Ok(text) => text,
        Err(problem) => return Some(Err(problem.clone())),
    };
    let entry: CatalogLine = match serde_json::from_str(text) {
        Ok(entry) => entry,
        Err(e) => return Some(Err(format!("not a catalog line: {e}"))),
    };
    let mut warnings = Vec::new();
    let product_type = match entry.product_type.as_deref() {
        Some(t) => match ProductType::parse_id(t) {
            Ok(t) => Some(t),
            Err(e) => {
                warnings.push(format!(
                    "{e}: checked without a product type (no product rules; scrub particles \
                     flagged as a caution)"
                ));
                None
            }
        },
        None => default_type,
    };
    let product = Product {
        product_type,
        name: entry.name.as_deref(),
    };
    MEMO.with_borrow_mut(|memo| {
        let check = match checker.check_with(&entry.ingredients, &product, time, memo) {
            Ok(check) => check,
            Err(e) => return Some(Err(e.to_string())),
        };
        let out = match format {
            CheckFormat::Json => serde_json::to_string(&CatalogResult {
                id: &entry.id,
                line: line.number,
                warnings,
                check: &check,
            })
            .map_err(|e| format!("cannot write the result: {e}")),
            CheckFormat::Text => Ok(catalog_text(&entry, line.number, &check, &warnings)),
        };
        Some(out)
    })
}

/// One line of `--catalog --format text`: id, verdict line, categories.
fn catalog_text(
    entry: &CatalogLine,
    number: usize,
    check: &ProductCheck<'_>,
    warnings: &[String],
) -> String {
    let id = match &entry.id {
        serde_json::Value::String(id) => id.clone(),
        serde_json::Value::Null => format!("line {number}"),
        other => other.to_string(),
    };
    let categories: Vec<&str> = check.categories.iter().map(|c| c.id()).collect();
    let categories = if categories.is_empty() {
        String::new()
    } else {
        format!(" [{}]", categories.join(", "))
    };
    let warnings = warnings
        .iter()
        .map(|w| format!(" (warning: {w})"))
        .collect::<String>();
    format!("{id}: {}{categories}{warnings}", verdict_line(check))
}

/// A progress bar on stderr when it is a terminal (hidden otherwise), in bytes of input.
fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match size {
        Some(size) => ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr()),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
    };
    let template = if size.is_some() {
        "{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)"
    } else {
        "{spinner} {bytes} ({bytes_per_sec})"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
