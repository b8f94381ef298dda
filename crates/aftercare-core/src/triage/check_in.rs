//! A symptom check-in (CONTRACT §5): the raw JSON shape (`CheckInSpec`, serde, unknown keys
//! rejected) and the validated `CheckIn` it converts into with `TryFrom`. A `CheckIn` cannot
//! hold an invalid state: every symptom id is known, ratings are whole numbers 0-10, the
//! temperature lies in 30-45 °C, the check-in is not before the treatment and its history is
//! not after it. Every error names the field it is about (`ratings.redness`, `history[2].at`).
//!
//! What does not belong here: judging the check-in (`engine.rs`), reading files (the binaries).

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp, ZonedDateTime, tz::TimeZone};
use serde::{Deserialize, Serialize};

use super::vocabulary::{Discharge, Symptom};
use crate::{
    hours::hours_between,
    instant::{InstantError, format_rfc3339, parse_instant},
};

/// The largest check-in accepted, in bytes of JSON (CONTRACT §7).
pub const MAX_CHECK_IN_BYTES: usize = 64 * 1024;

/// Lowest and highest plausible body temperature, in °C: anything outside is a typing error.
pub const TEMPERATURE_RANGE_C: std::ops::RangeInclusive<f64> = 30.0..=45.0;

/// A check-in as JSON gives it (CONTRACT §5).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a check-in (a JSON object)")]
pub struct CheckInSpec {
    /// The caller's id (a string or a number), echoed back in the result.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// When the treatment took place (RFC 3339).
    pub treated_at: String,
    /// When the check-in is made (RFC 3339).
    pub at: String,
    /// Symptom ids.
    #[serde(default)]
    pub symptoms: Vec<String>,
    /// Measured temperature in °C.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// `none`, `clear`, `yellow` or `green` (default `none`).
    #[serde(default)]
    pub discharge: Option<String>,
    /// 0-10 ratings by symptom id.
    #[serde(default)]
    pub ratings: BTreeMap<String, f64>,
    /// Earlier check-ins.
    #[serde(default)]
    pub history: Vec<PastCheckInSpec>,
}

/// An earlier check-in, as JSON gives it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an earlier check-in (a JSON object)")]
pub struct PastCheckInSpec {
    /// When it was made (RFC 3339).
    pub at: String,
    /// Symptom ids.
    #[serde(default)]
    pub symptoms: Vec<String>,
    /// Measured temperature in °C.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// `none`, `clear`, `yellow` or `green`.
    #[serde(default)]
    pub discharge: Option<String>,
    /// 0-10 ratings by symptom id.
    #[serde(default)]
    pub ratings: BTreeMap<String, f64>,
}

/// Why a check-in was refused. Each variant names the field it is about.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckInError {
    /// More than `MAX_CHECK_IN_BYTES` of JSON.
    #[error("the check-in is {size} bytes, more than the limit of {} KiB", MAX_CHECK_IN_BYTES / 1024)]
    TooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// Not JSON at all (with line and column).
    #[error("the check-in is not valid JSON: {0}")]
    Malformed(String),
    /// JSON of the wrong shape: a missing or unknown field, a value of the wrong type.
    #[error("{field}: {message}")]
    Shape {
        /// Where, e.g. `ratings.redness` (`check-in` for the whole object).
        field: String,
        /// What serde found wrong, with line and column.
        message: String,
    },
    /// The `id` is neither a string nor a number.
    #[error("id: must be a string or a number")]
    BadId,
    /// A symptom id that CONTRACT §5 does not list.
    #[error("{field}: unknown symptom '{given}'{hint}")]
    UnknownSymptom {
        /// Where, e.g. `symptoms[2]`.
        field: String,
        /// What was given.
        given: String,
        /// "did you mean" or the list of ids.
        hint: String,
    },
    /// A rating that is not a whole number.
    #[error("{field}: {value} is not a whole number (ratings go from 0 to 10)")]
    RatingNotWhole {
        /// Where, e.g. `ratings.pain`.
        field: String,
        /// What was given.
        value: f64,
    },
    /// A rating outside 0-10.
    #[error("{field}: {value} is outside 0-10")]
    RatingOutOfRange {
        /// Where, e.g. `ratings.redness`.
        field: String,
        /// What was given.
        value: f64,
    },
    /// A temperature outside 30-45 °C.
    #[error("{field}: {value} °C is outside 30-45 °C")]
    TemperatureOutOfRange {
        /// Where, e.g. `temperature_c`.
        field: String,
        /// What was given.
        value: f64,
    },
    /// A discharge that is not `none`, `clear`, `yellow` or `green`.
    #[error("{field}: unknown discharge '{given}' (expected one of: none, clear, yellow, green)")]
    UnknownDischarge {
        /// Where, e.g. `discharge`.
        field: String,
        /// What was given.
        given: String,
    },
    /// A time that is not RFC 3339 with an offset.
    #[error(
        "{field}: '{given}' is not an RFC 3339 time with a UTC offset, such as 2026-11-20T15:00:00+01:00"
    )]
    BadInstant {
        /// `treated_at`, `at` or `history[i].at`.
        field: String,
        /// What was given.
        given: String,
    },
    /// A time outside the years an instant may have ([`crate::instant::YEARS`]).
    #[error(
        "{field}: '{given}' is outside the years {first} to {last}",
        first = crate::instant::YEARS.start(),
        last = crate::instant::YEARS.end()
    )]
    InstantOutOfRange {
        /// `treated_at`, `at` or `history[i].at`.
        field: String,
        /// What was given.
        given: String,
    },
    /// The check-in is dated before the treatment.
    #[error("at: the check-in ({at}) is before the treatment ({treated_at})")]
    BeforeTreatment {
        /// The check-in time.
        at: String,
        /// The treatment time.
        treated_at: String,
    },
    /// An earlier check-in dated after this one.
    #[error("{field}: {at} is after the check-in ({check_in})")]
    HistoryAfterCheckIn {
        /// `history[i].at`.
        field: String,
        /// Its time.
        at: String,
        /// The check-in's time.
        check_in: String,
    },
    /// An earlier check-in dated before the treatment.
    #[error("{field}: {at} is before the treatment ({treated_at})")]
    HistoryBeforeTreatment {
        /// `history[i].at`.
        field: String,
        /// Its time.
        at: String,
        /// The treatment time.
        treated_at: String,
    },
}

impl CheckInError {
    /// The field the error is about (`ratings.redness`, `history[2].at`), when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            CheckInError::TooLarge { .. } | CheckInError::Malformed(_) => None,
            CheckInError::BadId => Some("id"),
            CheckInError::BeforeTreatment { .. } => Some("at"),
            CheckInError::Shape { field, .. }
            | CheckInError::UnknownSymptom { field, .. }
            | CheckInError::RatingNotWhole { field, .. }
            | CheckInError::RatingOutOfRange { field, .. }
            | CheckInError::TemperatureOutOfRange { field, .. }
            | CheckInError::UnknownDischarge { field, .. }
            | CheckInError::BadInstant { field, .. }
            | CheckInError::InstantOutOfRange { field, .. }
            | CheckInError::HistoryAfterCheckIn { field, .. }
            | CheckInError::HistoryBeforeTreatment { field, .. } => Some(field),
        }
    }
}

/// A 0-10 rating of how strong a symptom is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Rating(u8);

impl Rating {
    /// The highest rating.
    pub const MAX: u8 = 10;

    /// A rating, if `value` lies in 0-10.
    pub fn new(value: u8) -> Option<Rating> {
        (value <= Self::MAX).then_some(Rating(value))
    }

    /// A rating from a number as JSON gives it: `None` unless it is a whole number from 0 to 10.
    pub fn from_number(value: f64) -> Option<Rating> {
        // Whole and in range, so the cast is exact.
        (is_whole(value) && (0.0..=f64::from(Self::MAX)).contains(&value))
            .then_some(Rating(value as u8))
    }

    /// A rating of `value`, or 10 when it is higher.
    pub const fn clamped(value: u8) -> Rating {
        Rating(if value > Self::MAX { Self::MAX } else { value })
    }

    /// The rating as a number from 0 to 10.
    pub fn value(self) -> u8 {
        self.0
    }
}

/// What one check-in reports: symptoms, ratings, temperature and discharge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    symptoms: BTreeSet<Symptom>,
    ratings: BTreeMap<Symptom, Rating>,
    temperature_c: Option<f64>,
    discharge: Discharge,
}

impl Report {
    /// A report from values already checked by the caller (the engine's own probes, tests).
    pub(crate) fn new(
        symptoms: impl IntoIterator<Item = Symptom>,
        ratings: impl IntoIterator<Item = (Symptom, Rating)>,
        temperature_c: Option<f64>,
        discharge: Discharge,
    ) -> Report {
        Report {
            symptoms: symptoms.into_iter().collect(),
            ratings: ratings.into_iter().collect(),
            temperature_c,
            discharge,
        }
    }

    /// The symptoms ticked, as given.
    pub fn symptoms(&self) -> &BTreeSet<Symptom> {
        &self.symptoms
    }

    /// The 0-10 ratings given.
    pub fn ratings(&self) -> &BTreeMap<Symptom, Rating> {
        &self.ratings
    }

    /// The rating of one symptom, if given.
    pub fn rating(&self, symptom: Symptom) -> Option<Rating> {
        self.ratings.get(&symptom).copied()
    }

    /// The measured temperature in °C.
    pub fn temperature_c(&self) -> Option<f64> {
        self.temperature_c
    }

    /// The discharge.
    pub fn discharge(&self) -> Discharge {
        self.discharge
    }

    /// Every symptom present: ticked, or rated 1 or more, plus `fever` when the temperature is
    /// at or above `fever_from_c`.
    pub fn present(&self, fever_from_c: f64) -> BTreeSet<Symptom> {
        let mut present = self.symptoms.clone();
        present.extend(
            self.ratings
                .iter()
                .filter(|(_, r)| r.value() >= 1)
                .map(|(s, _)| *s),
        );
        if self.temperature_c.is_some_and(|t| t >= fever_from_c) {
            present.insert(Symptom::Fever);
        }
        present
    }
}

/// An earlier check-in, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct PastCheckIn {
    at: ZonedDateTime,
    hours: f64,
    report: Report,
}

impl PastCheckIn {
    /// When it was made.
    pub fn at(&self) -> &ZonedDateTime {
        &self.at
    }

    /// Hours after the treatment.
    pub fn hours(&self) -> f64 {
        self.hours
    }

    /// What it reported.
    pub fn report(&self) -> &Report {
        &self.report
    }
}

/// A validated check-in: what the engine judges.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckIn {
    id: Option<serde_json::Value>,
    treated_at: ZonedDateTime,
    at: ZonedDateTime,
    hours: f64,
    report: Report,
    history: Vec<PastCheckIn>,
}

impl CheckIn {
    /// A check-in `hours` after a treatment at the Unix epoch, with earlier check-ins given as
    /// (hours, report). For the engine's own probes and for tests: values are trusted.
    pub(crate) fn at_hours(hours: f64, report: Report, history: Vec<(f64, Report)>) -> CheckIn {
        let treated_at = Timestamp::UNIX_EPOCH;
        let instant = |h: f64| {
            let offset =
                SignedDuration::try_from_secs_f64(h * 3600.0).unwrap_or(SignedDuration::ZERO);
            treated_at
                .checked_add(offset)
                .unwrap_or(Timestamp::MAX)
                .to_zoned_datetime(TimeZone::UTC)
        };
        let mut history: Vec<PastCheckIn> = history
            .into_iter()
            .map(|(h, report)| PastCheckIn {
                at: instant(h),
                hours: h,
                report,
            })
            .collect();
        history.sort_by(|a, b| a.hours.total_cmp(&b.hours));
        CheckIn {
            id: None,
            treated_at: treated_at.to_zoned_datetime(TimeZone::UTC),
            at: instant(hours),
            hours,
            report,
            history,
        }
    }

    /// The caller's id (a JSON string or number), if given.
    pub fn id(&self) -> Option<&serde_json::Value> {
        self.id.as_ref()
    }

    /// When the treatment took place.
    pub fn treated_at(&self) -> &ZonedDateTime {
        &self.treated_at
    }

    /// When the check-in was made.
    pub fn at(&self) -> &ZonedDateTime {
        &self.at
    }

    /// Elapsed hours since the treatment (never negative).
    pub fn hours_since_treatment(&self) -> f64 {
        self.hours
    }

    /// What this check-in reports.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Earlier check-ins, oldest first.
    pub fn history(&self) -> &[PastCheckIn] {
        &self.history
    }
}

/// Reads and validates one check-in from JSON text (at most `MAX_CHECK_IN_BYTES`).
pub fn parse_check_in(json: &str) -> Result<CheckIn, CheckInError> {
    if json.len() > MAX_CHECK_IN_BYTES {
        return Err(CheckInError::TooLarge { size: json.len() });
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let spec: CheckInSpec =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let inner = error.into_inner();
            match inner.classify() {
                serde_json::error::Category::Data => CheckInError::Shape {
                    field: if path == "." {
                        "check-in".to_owned()
                    } else {
                        path
                    },
                    message: crate::json_input::plain_json_error(&inner.to_string()),
                },
                _ => CheckInError::Malformed(inner.to_string()),
            }
        })?;
    deserializer
        .end()
        .map_err(|e| CheckInError::Malformed(e.to_string()))?;
    CheckIn::try_from(spec)
}

impl TryFrom<CheckInSpec> for CheckIn {
    type Error = CheckInError;

    fn try_from(spec: CheckInSpec) -> Result<CheckIn, CheckInError> {
        let id = match spec.id {
            None | Some(serde_json::Value::Null) => None,
            Some(id @ (serde_json::Value::String(_) | serde_json::Value::Number(_))) => Some(id),
            Some(_) => return Err(CheckInError::BadId),
        };
        let treated_at = instant("treated_at", &spec.treated_at)?;
        let at = instant("at", &spec.at)?;
        let hours = hours_between(treated_at.timestamp(), at.timestamp());
        if hours < 0.0 {
            return Err(CheckInError::BeforeTreatment {
                at: format_rfc3339(&at),
                treated_at: format_rfc3339(&treated_at),
            });
        }
        let report = read_report(
            "",
            &spec.symptoms,
            &spec.ratings,
            spec.temperature_c,
            spec.discharge.as_deref(),
        )?;
        let mut history = Vec::with_capacity(spec.history.len());
        for (index, past) in spec.history.iter().enumerate() {
            let prefix = format!("history[{index}].");
            let field = format!("{prefix}at");
            let past_at = instant(&field, &past.at)?;
            if past_at.timestamp() > at.timestamp() {
                return Err(CheckInError::HistoryAfterCheckIn {
                    field,
                    at: format_rfc3339(&past_at),
                    check_in: format_rfc3339(&at),
                });
            }
            let past_hours = hours_between(treated_at.timestamp(), past_at.timestamp());
            if past_hours < 0.0 {
                return Err(CheckInError::HistoryBeforeTreatment {
                    field,
                    at: format_rfc3339(&past_at),
                    treated_at: format_rfc3339(&treated_at),
                });
            }
            let past_report = read_report(
                &prefix,
                &past.symptoms,
                &past.ratings,
                past.temperature_c,
                past.discharge.as_deref(),
            )?;
            history.push(PastCheckIn {
                at: past_at,
                hours: past_hours,
                report: past_report,
            });
        }
        history.sort_by(|a, b| a.hours.total_cmp(&b.hours));
        Ok(CheckIn {
            id,
            treated_at,
            at,
            hours,
            report,
            history,
        })
    }
}

fn instant(field: &str, text: &str) -> Result<ZonedDateTime, CheckInError> {
    let bad = || CheckInError::BadInstant {
        field: field.to_owned(),
        given: text.to_owned(),
    };
    let zoned = parse_instant(text, None).map_err(|error| match error {
        InstantError::OutOfRange(_) => CheckInError::InstantOutOfRange {
            field: field.to_owned(),
            given: text.to_owned(),
        },
        _ => bad(),
    })?;
    // Only instants: a local time without an offset would need a time zone to mean anything.
    text.trim().parse::<Timestamp>().map_err(|_| bad())?;
    Ok(zoned)
}

fn read_report(
    prefix: &str,
    symptoms: &[String],
    ratings: &BTreeMap<String, f64>,
    temperature_c: Option<f64>,
    discharge: Option<&str>,
) -> Result<Report, CheckInError> {
    let mut report = Report::default();
    for (index, given) in symptoms.iter().enumerate() {
        report
            .symptoms
            .insert(symptom(&format!("{prefix}symptoms[{index}]"), given)?);
    }
    for (key, value) in ratings {
        let field = format!("{prefix}ratings.{key}");
        let symptom = symptom(&field, key)?;
        let rating = rating(&field, *value)?;
        let entry = report.ratings.entry(symptom).or_insert(rating);
        // "Redness" and "redness" name the same symptom: keep the stronger rating.
        *entry = (*entry).max(rating);
    }
    if let Some(value) = temperature_c {
        if !TEMPERATURE_RANGE_C.contains(&value) {
            return Err(CheckInError::TemperatureOutOfRange {
                field: format!("{prefix}temperature_c"),
                value,
            });
        }
        report.temperature_c = Some(value);
    }
    if let Some(given) = discharge {
        report.discharge = given.parse().map_err(|_| CheckInError::UnknownDischarge {
            field: format!("{prefix}discharge"),
            given: given.to_owned(),
        })?;
    }
    Ok(report)
}

fn symptom(field: &str, given: &str) -> Result<Symptom, CheckInError> {
    given.parse::<Symptom>().map_err(|error| {
        let wanted = given.trim().to_ascii_lowercase();
        let closest = Symptom::ALL
            .iter()
            .map(|s| (strsim::jaro_winkler(&wanted, s.id()), s.id()))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .filter(|(score, _)| *score >= 0.85);
        let hint = match closest {
            Some((_, id)) => format!(", did you mean '{id}'?"),
            None => format!(" (expected one of: {})", error.allowed),
        };
        CheckInError::UnknownSymptom {
            field: field.to_owned(),
            given: given.to_owned(),
            hint,
        }
    })
}

/// Whether a number from JSON is a whole number (a rating must be).
fn is_whole(value: f64) -> bool {
    value.is_finite() && value.fract() == 0.0
}

fn rating(field: &str, value: f64) -> Result<Rating, CheckInError> {
    Rating::from_number(value).ok_or_else(|| {
        let field = field.to_owned();
        if is_whole(value) {
            CheckInError::RatingOutOfRange { field, value }
        } else {
            CheckInError::RatingNotWhole { field, value }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_from_a_number_is_whole_and_within_0_to_10() {
        assert_eq!(Rating::from_number(4.0), Rating::new(4));
        assert_eq!(Rating::from_number(0.0), Rating::new(0));
        assert_eq!(Rating::from_number(10.0), Rating::new(10));
        for bad in [4.5, -1.0, 11.0, f64::NAN, f64::INFINITY] {
            assert_eq!(Rating::from_number(bad), None, "{bad}");
        }
    }

    const BASE: &str =
        r#""treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-23T09:00:00+01:00""#;

    fn parse(extra: &str) -> Result<CheckIn, CheckInError> {
        let sep = if extra.is_empty() { "" } else { ", " };
        parse_check_in(&format!("{{{BASE}{sep}{extra}}}"))
    }

    fn error(extra: &str) -> String {
        parse(extra).unwrap_err().to_string()
    }

    #[test]
    fn a_full_check_in_is_read() {
        let check_in = parse(
            r#""id": "c01", "symptoms": ["redness", "Flaking"], "temperature_c": 37.2,
               "discharge": "none", "ratings": {"redness": 4, "itching": 2},
               "history": [{"at": "2026-11-22T15:00:00+01:00", "symptoms": ["redness"], "ratings": {"redness": 5}}]"#,
        )
        .unwrap();
        assert_eq!(check_in.id(), Some(&serde_json::json!("c01")));
        assert_eq!(check_in.hours_since_treatment(), 66.0);
        let report = check_in.report();
        assert_eq!(
            report.symptoms().iter().map(|s| s.id()).collect::<Vec<_>>(),
            ["redness", "flaking"]
        );
        assert_eq!(report.rating(Symptom::Redness).map(Rating::value), Some(4));
        assert_eq!(report.temperature_c(), Some(37.2));
        assert_eq!(check_in.history().len(), 1);
        assert_eq!(check_in.history()[0].hours(), 48.0);
    }

    #[test]
    fn a_rated_symptom_is_present_and_a_high_temperature_is_fever() {
        let check_in =
            parse(r#""ratings": {"pain": 7, "itching": 0}, "temperature_c": 38.0"#).unwrap();
        let present = check_in.report().present(38.0);
        assert!(present.contains(&Symptom::Pain));
        assert!(!present.contains(&Symptom::Itching));
        assert!(present.contains(&Symptom::Fever));
        assert!(!check_in.report().present(38.5).contains(&Symptom::Fever));
    }

    #[test]
    fn bad_input_names_the_field() {
        assert_eq!(
            error(r#""symptoms": ["redness", "rednes"]"#),
            "symptoms[1]: unknown symptom 'rednes', did you mean 'redness'?"
        );
        assert!(
            error(r#""symptoms": ["zzz"]"#)
                .starts_with("symptoms[0]: unknown symptom 'zzz' (expected one of: redness, ")
        );
        assert_eq!(
            error(r#""ratings": {"redness": 11}"#),
            "ratings.redness: 11 is outside 0-10"
        );
        assert_eq!(
            error(r#""ratings": {"redness": -1}"#),
            "ratings.redness: -1 is outside 0-10"
        );
        assert_eq!(
            error(r#""ratings": {"pain": 4.5}"#),
            "ratings.pain: 4.5 is not a whole number (ratings go from 0 to 10)"
        );
        assert!(
            error(r#""ratings": {"redish": 1}"#).starts_with("ratings.redish: unknown symptom")
        );
        assert_eq!(
            error(r#""temperature_c": 50"#),
            "temperature_c: 50 °C is outside 30-45 °C"
        );
        assert_eq!(
            error(r#""temperature_c": 29.9"#),
            "temperature_c: 29.9 °C is outside 30-45 °C"
        );
        assert_eq!(
            error(r#""discharge": "brown""#),
            "discharge: unknown discharge 'brown' (expected one of: none, clear, yellow, green)"
        );
        assert_eq!(error(r#""id": [1]"#), "id: must be a string or a number");
    }

    #[test]
    fn times_are_checked() {
        let before = parse_check_in(
            r#"{"treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-20T14:59:00+01:00"}"#,
        );
        assert_eq!(
            before.unwrap_err().to_string(),
            "at: the check-in (2026-11-20T14:59:00+01:00) is before the treatment (2026-11-20T15:00:00+01:00)"
        );
        let local =
            parse_check_in(r#"{"treated_at": "2026-11-20 15:00", "at": "2026-11-23T09:00:00Z"}"#);
        assert!(
            local
                .unwrap_err()
                .to_string()
                .starts_with("treated_at: '2026-11-20 15:00' is not an RFC 3339 time")
        );
        assert_eq!(
            error(
                r#""history": [{"at": "2026-11-21T15:00:00+01:00"}, {"at": "2026-11-23T09:00:01+01:00"}]"#
            ),
            "history[1].at: 2026-11-23T09:00:01+01:00 is after the check-in (2026-11-23T09:00:00+01:00)"
        );
        assert_eq!(
            error(r#""history": [{"at": "2026-11-20T14:00:00+01:00"}]"#),
            "history[0].at: 2026-11-20T14:00:00+01:00 is before the treatment (2026-11-20T15:00:00+01:00)"
        );
        assert_eq!(
            error(
                r#""history": [{"at": "2026-11-21T15:00:00+01:00", "ratings": {"swelling": 12}}]"#
            ),
            "history[0].ratings.swelling: 12 is outside 0-10"
        );
        // The same instant as the treatment is hour 0, not an error; offsets are respected.
        let same = parse_check_in(
            r#"{"treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-20T14:00:00Z"}"#,
        );
        assert_eq!(same.unwrap().hours_since_treatment(), 0.0);
    }

    #[test]
    fn malformed_json_and_wrong_shapes_are_reported() {
        let malformed = parse_check_in("{\"treated_at\": ").unwrap_err();
        assert!(
            matches!(malformed, CheckInError::Malformed(_)),
            "{malformed}"
        );
        assert!(
            malformed.to_string().contains("line 1 column"),
            "{malformed}"
        );
        assert!(matches!(
            parse_check_in(""),
            Err(CheckInError::Malformed(_))
        ));
        assert!(matches!(
            parse_check_in(&format!("{{{BASE}}} x")),
            Err(CheckInError::Malformed(_))
        ));
        let wrong_type = error(r#""ratings": {"redness": "high"}"#);
        assert!(
            wrong_type.starts_with("ratings.redness: invalid type: string \"high\""),
            "{wrong_type}"
        );
        let unknown = error(r#""temp": 37"#);
        assert!(
            unknown.starts_with("temp: unknown field `temp`"),
            "{unknown}"
        );
        let missing = parse_check_in(r#"{"at": "2026-11-23T09:00:00+01:00"}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `treated_at`"),
            "{missing}"
        );
        assert_eq!(missing.field(), Some("check-in"));
        // Review finding: "invalid length 1, expected struct CheckInSpec with 8 elements".
        for (json, expected) in [
            (
                "[]",
                "check-in: expected a check-in (a JSON object), found a list",
            ),
            (
                "5",
                "check-in: invalid type: integer `5`, expected a check-in (a JSON object)",
            ),
            (
                &format!("{{{BASE}, \"history\": [[]]}}"),
                "history[0]: expected an earlier check-in (a JSON object), found a list",
            ),
        ] {
            let message = parse_check_in(json).unwrap_err().to_string();
            assert!(message.starts_with(expected), "{message}");
            assert!(!message.contains("Spec"), "{message}");
        }
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = " ".repeat(MAX_CHECK_IN_BYTES + 1);
        assert_eq!(
            parse_check_in(&big),
            Err(CheckInError::TooLarge {
                size: MAX_CHECK_IN_BYTES + 1
            })
        );
    }
}
