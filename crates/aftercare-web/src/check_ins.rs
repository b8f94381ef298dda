//! Patient check-ins on the web: the CONTRACT §5 symptoms as plain-language questions, reading
//! the form into the core's `CheckInSpec`, triaging it with the treatment's protocol (earlier
//! check-ins as history, for trends), and recording it with its alert and its alert e-mails
//! (outbox) in one transaction.
//!
//! The questions are interface copy, not rules: what a symptom *means* is decided by the
//! protocol's triage rules in `aftercare-core`. What does not belong here: HTML (views).

use std::collections::BTreeMap;

use aftercare_core::{
    instant::format_rfc3339,
    protocol::Protocol,
    triage::{CheckIn, CheckInError, CheckInSpec, PastCheckInSpec, TriageResult, triage_check_in},
};
use aftercare_store::{
    CheckInLevel, CheckInRow, NewCheckIn, NewOutboxMessage, RecordedCheckIn, TreatmentRow,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{
    error::AppError,
    extract::FormData,
    mail::compose::{AlertFacts, alert_messages},
    state::AppState,
    treatments::TreatmentView,
    views::FieldErrors,
};

/// A group of questions on the check-in form.
#[derive(Debug, Clone, Copy)]
pub struct QuestionGroup {
    /// Group id (for the fieldset).
    pub id: &'static str,
    /// The question people read.
    pub legend: &'static str,
    /// Whether these are emergency signs (shown with the emergency number).
    pub emergency: bool,
    /// (symptom id, plain words) pairs.
    pub symptoms: &'static [(&'static str, &'static str)],
}

/// Every CONTRACT §5 symptom, once, in plain words, grouped as a person would answer.
pub const QUESTIONS: &[QuestionGroup] = &[
    QuestionGroup {
        id: "skin",
        legend: "How does the treated skin look and feel? Tick everything you notice.",
        emergency: false,
        symptoms: &[
            ("redness", "Redness"),
            ("swelling", "Swelling"),
            ("warmth", "The skin feels warm"),
            ("tightness", "Tightness"),
            ("dryness", "Dry or rough, like sandpaper"),
            ("flaking", "Flaking or peeling"),
            ("itching", "Itching"),
            ("burning", "Burning"),
            ("stinging", "Stinging"),
            ("sensitivity", "Sensitive to touch or products"),
            ("tenderness", "Tender or sore when touched"),
            ("pain", "Pain"),
            ("pinpoint_bleeding", "Tiny spots of bleeding"),
            ("bruising", "Small bruises"),
            ("crusting", "Crusts or scabs"),
        ],
    },
    QuestionGroup {
        id: "changes",
        legend: "Anything new, unusual or getting worse?",
        emergency: false,
        symptoms: &[
            (
                "redness_worsening",
                "The redness is getting worse, not better",
            ),
            (
                "swelling_worsening",
                "The swelling is getting worse, not better",
            ),
            (
                "spreading_redness",
                "Redness spreading beyond the treated area, or red streaks",
            ),
            ("rash", "A rash"),
            ("hives", "Hives: raised, itchy welts"),
            ("bumps", "Small bumps under the skin"),
            ("pustules", "Spots with white or yellow heads (pus)"),
            (
                "blisters",
                "Blisters or small fluid-filled sores (for example around the lips)",
            ),
            (
                "tingling",
                "Tingling or prickling, for example around the lips",
            ),
            (
                "significant_irritation",
                "Strong irritation, for example after using a product",
            ),
            ("eye_swelling", "Swelling around the eyes"),
            (
                "swollen_lymph_nodes",
                "Swollen glands in the neck, jaw or behind the ears",
            ),
            ("dark_patches", "Darker patches of skin"),
            ("linear_marks", "Lines or track marks in the treated area"),
        ],
    },
    QuestionGroup {
        id: "body",
        legend: "How do you feel in yourself?",
        emergency: false,
        symptoms: &[
            ("fever", "Fever, or feeling hot and unwell"),
            ("chills", "Chills or shivering"),
            ("vomiting", "Being sick (vomiting)"),
            ("confusion", "Confusion or unusual drowsiness"),
            ("rapid_heartbeat", "A racing heartbeat"),
        ],
    },
    QuestionGroup {
        id: "emergency",
        legend: "Emergency signs: if you have any of these, call the emergency number now.",
        emergency: true,
        symptoms: &[
            ("throat_swelling", "Swelling of the throat"),
            ("tongue_swelling", "Swelling of the tongue"),
            ("difficulty_breathing", "Difficulty breathing"),
            ("wheezing", "Wheezing"),
            ("faintness", "Feeling faint or about to pass out"),
        ],
    },
];

/// The symptoms rated 0-10 on the form, with their question.
pub const RATED: &[(&str, &str)] = &[
    ("redness", "How red is the skin?"),
    ("swelling", "How swollen is it?"),
    ("pain", "How painful is it?"),
    ("itching", "How itchy is it?"),
];

/// The plain words of a symptom id (the id itself if it is not on the form).
pub fn symptom_words(id: &str) -> String {
    QUESTIONS
        .iter()
        .flat_map(|g| g.symptoms.iter())
        .find(|(symptom, _)| *symptom == id)
        .map_or_else(|| id.replace('_', " "), |(_, words)| (*words).to_owned())
}

/// A check-in as stored: the CONTRACT §5 input without its history (which the earlier
/// stored check-ins are).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredCheckIn {
    /// The treatment instant (RFC 3339).
    pub treated_at: String,
    /// When the symptoms were observed (RFC 3339).
    pub at: String,
    /// Symptom ids.
    pub symptoms: Vec<String>,
    /// Measured temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_c: Option<f64>,
    /// Discharge.
    pub discharge: String,
    /// 0-10 ratings.
    #[serde(default)]
    pub ratings: BTreeMap<String, f64>,
}

/// What the check-in form was filled with (to show it again with errors).
#[derive(Debug, Clone, Default)]
pub struct CheckInValues {
    /// Ticked symptom ids.
    pub symptoms: Vec<String>,
    /// Ratings as typed, by symptom id.
    pub ratings: BTreeMap<String, String>,
    /// Temperature as typed.
    pub temperature: String,
    /// Discharge chosen.
    pub discharge: String,
}

/// Reads the check-in form. Unknown symptom ids and unreadable numbers are field errors.
pub fn read_form(form: &FormData) -> (CheckInValues, Result<StoredCheckInParts, FieldErrors>) {
    let mut errors = FieldErrors::default();
    let values = CheckInValues {
        symptoms: form
            .all("symptoms")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        ratings: RATED
            .iter()
            .filter_map(|(id, _)| {
                form.text(&format!("rating_{id}"))
                    .map(|v| ((*id).to_owned(), v.to_owned()))
            })
            .collect(),
        temperature: form.text("temperature_c").unwrap_or("").to_owned(),
        discharge: form.text("discharge").unwrap_or("none").to_owned(),
    };
    let known = |id: &str| {
        QUESTIONS
            .iter()
            .flat_map(|g| g.symptoms.iter())
            .any(|(s, _)| *s == id)
    };
    if values.symptoms.iter().any(|s| !known(s)) {
        errors.add("symptoms", "Tick only the listed signs.");
    }
    let mut ratings = BTreeMap::new();
    for (id, text) in &values.ratings {
        match text.replace(',', ".").parse::<f64>() {
            Ok(value) if value.is_finite() => {
                ratings.insert(id.clone(), value);
            }
            _ => errors.add(
                rating_field(id),
                "Give a whole number from 0 to 10, or leave it empty.",
            ),
        }
    }
    let temperature_c = if values.temperature.is_empty() {
        None
    } else {
        match values.temperature.replace(',', ".").parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                errors.add(
                    "temperature_c",
                    "Give the temperature in °C, for example 37.2.",
                );
                None
            }
        }
    };
    if !matches!(
        values.discharge.as_str(),
        "none" | "clear" | "yellow" | "green"
    ) {
        errors.add(
            "discharge",
            "Choose one of the answers about fluid from the skin.",
        );
    }
    let parts = StoredCheckInParts {
        symptoms: values.symptoms.clone(),
        temperature_c,
        discharge: values.discharge.clone(),
        ratings,
    };
    let result = if errors.is_empty() {
        Ok(parts)
    } else {
        Err(errors)
    };
    (values, result)
}

fn rating_field(id: &str) -> &'static str {
    match id {
        "redness" => "rating_redness",
        "swelling" => "rating_swelling",
        "pain" => "rating_pain",
        _ => "rating_itching",
    }
}

/// The reported part of a check-in (what the patient answered).
#[derive(Debug, Clone, Default)]
pub struct StoredCheckInParts {
    /// Symptom ids.
    pub symptoms: Vec<String>,
    /// Temperature.
    pub temperature_c: Option<f64>,
    /// Discharge.
    pub discharge: String,
    /// Ratings.
    pub ratings: BTreeMap<String, f64>,
}

/// Why a check-in could not be triaged: a field to fix, or something else.
#[derive(Debug)]
pub enum CheckInFailure {
    /// The patient can fix it (a value out of range), with the form field it is about.
    Input(FieldErrors),
    /// Anything else.
    App(AppError),
}

impl From<AppError> for CheckInFailure {
    fn from(error: AppError) -> Self {
        CheckInFailure::App(error)
    }
}

/// Triages `parts` observed at `now` for `treatment` and records it (with its alert, in the
/// same transaction). Earlier check-ins of the treatment are the history.
///
/// # Errors
/// Input errors for values the core refuses (a rating above 10, a temperature outside
/// 30-45 °C, a check-in before the treatment); store failures otherwise.
pub async fn record(
    state: &AppState,
    treatment: &TreatmentRow,
    protocol: &Protocol,
    parts: StoredCheckInParts,
    now: Timestamp,
) -> Result<(RecordedCheckIn, TriageResult), CheckInFailure> {
    let view = TreatmentView::of(treatment)?;
    let tz = view.treated_at.time_zone().clone();
    // A check-in before the recorded treatment time (a time slip, an appointment recorded
    // ahead) is judged as at the treatment: a red flag must still reach the clinic. Anything
    // milder is refused below, as before.
    let before_treatment = now < view.treated_at.timestamp();
    let now = now.max(view.treated_at.timestamp());
    let earlier = state
        .store()
        .list_check_ins(&treatment.clinic_id, &treatment.id)
        .await
        .map_err(AppError::from)?;
    let history = earlier
        .iter()
        .filter(|row| row.at <= now.as_second())
        .filter_map(|row| serde_json::from_str::<StoredCheckIn>(&row.input).ok())
        .map(|past| PastCheckInSpec {
            at: past.at,
            symptoms: past.symptoms,
            temperature_c: past.temperature_c,
            discharge: Some(past.discharge),
            ratings: past.ratings,
        })
        .collect();
    let stored = StoredCheckIn {
        treated_at: format_rfc3339(&view.treated_at),
        at: format_rfc3339(&now.to_zoned_datetime(tz)),
        symptoms: parts.symptoms,
        temperature_c: parts.temperature_c,
        discharge: parts.discharge,
        ratings: parts.ratings,
    };
    let spec = CheckInSpec {
        id: None,
        treated_at: stored.treated_at.clone(),
        at: stored.at.clone(),
        symptoms: stored.symptoms.clone(),
        temperature_c: stored.temperature_c,
        discharge: Some(stored.discharge.clone()),
        ratings: stored.ratings.clone(),
        history,
    };
    let check_in =
        CheckIn::try_from(spec).map_err(|error| CheckInFailure::Input(form_errors(&error)))?;
    let result = triage_check_in(&protocol.triage, &check_in);
    let level: CheckInLevel = result
        .level
        .id()
        .parse()
        .map_err(|e| AppError::internal(anyhow::anyhow!("triage level: {e}")))?;
    if before_treatment && !level.raises_alert() {
        let mut errors = FieldErrors::default();
        errors.add("symptoms", BEFORE_TREATMENT);
        return Err(CheckInFailure::Input(errors));
    }
    let new = NewCheckIn {
        clinic_id: treatment.clinic_id.clone(),
        treatment_id: treatment.id.clone(),
        at: now.as_second(),
        input: serde_json::to_string(&stored).map_err(AppError::internal)?,
        level,
        result: serde_json::to_string(&result).map_err(AppError::internal)?,
    };
    let mail = alert_mail(state, treatment, protocol, &result, level).await?;
    let recorded = state
        .store()
        .record_check_in(&new, &mail, state.now())
        .await
        .map_err(AppError::from)?;
    metrics::counter!("aftercare_check_ins_total").increment(1);
    if recorded.alert.is_some() {
        metrics::counter!("aftercare_alerts_total").increment(1);
    }
    tracing::info!(check_in_id = %recorded.check_in.id, treatment_id = %treatment.id, "check-in recorded");
    Ok((recorded, result))
}

/// The alert e-mails of a check-in at `level` (none below `contact_practitioner`), queued in
/// the same transaction as the check-in and its alert.
async fn alert_mail(
    state: &AppState,
    treatment: &TreatmentRow,
    protocol: &Protocol,
    result: &TriageResult,
    level: CheckInLevel,
) -> Result<Vec<NewOutboxMessage>, AppError> {
    if !level.raises_alert() {
        return Ok(Vec::new());
    }
    let store = state.store();
    let clinic = store
        .find_clinic(&treatment.clinic_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let practitioner = store
        .find_user(&treatment.clinic_id, &treatment.practitioner_id)
        .await?;
    let facts = AlertFacts {
        clinic: &clinic,
        practitioner: practitioner.as_ref(),
        treatment,
        level,
        told: &protocol.triage.guidance(result.level).action,
        day: result.day,
        rule_codes: result.reasons.iter().map(|r| r.code.clone()).collect(),
    };
    alert_messages(&state.settings().email, state.public_url(), &facts)
        .map_err(|e| AppError::internal(anyhow::anyhow!("alert e-mail: {e}")))
}

/// The refusal of a check-in before the recorded treatment time that raises no alert.
const BEFORE_TREATMENT: &str = "Your treatment has not taken place yet: check in after it.";

/// The core's refusal, against the form field it is about.
fn form_errors(error: &CheckInError) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let field: &'static str = match error.field() {
        Some("temperature_c") => "temperature_c",
        Some("ratings.redness") => "rating_redness",
        Some("ratings.swelling") => "rating_swelling",
        Some("ratings.pain") => "rating_pain",
        Some("ratings.itching") => "rating_itching",
        Some("discharge") => "discharge",
        Some(f) if f.starts_with("symptoms") => "symptoms",
        _ => "symptoms",
    };
    let message = match error {
        CheckInError::BeforeTreatment { .. } => BEFORE_TREATMENT.to_owned(),
        CheckInError::TemperatureOutOfRange { .. } => {
            "That temperature is not possible: give it in °C, between 30 and 45.".to_owned()
        }
        CheckInError::RatingOutOfRange { .. } | CheckInError::RatingNotWhole { .. } => {
            "Give a whole number from 0 to 10, or leave it empty.".to_owned()
        }
        other => crate::treatments::sentence(&other.to_string()),
    };
    errors.add(field, message);
    errors
}

/// The stored result of a check-in, read back for display.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredResult {
    /// Every rule that fired.
    #[serde(default)]
    pub reasons: Vec<StoredReason>,
    /// What to do.
    #[serde(default)]
    pub advice: Vec<String>,
}

/// One stored reason.
#[derive(Debug, Clone, Deserialize)]
pub struct StoredReason {
    /// Its level.
    pub level: String,
    /// What it says.
    pub message: String,
    /// Its source.
    #[serde(default)]
    pub source: String,
}

/// Reads a stored check-in's result.
///
/// # Errors
/// Internal when the stored JSON does not parse.
pub fn stored_result(row: &CheckInRow) -> Result<StoredResult, AppError> {
    serde_json::from_str(&row.result)
        .map_err(|e| AppError::internal(anyhow::anyhow!("check-in {}: stored result: {e}", row.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contract_symptom_is_asked_once() {
        let asked: Vec<&str> = QUESTIONS
            .iter()
            .flat_map(|g| g.symptoms.iter().map(|(id, _)| *id))
            .collect();
        let mut unique = asked.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), asked.len(), "a symptom is asked twice");
        for symptom in aftercare_core::triage::Symptom::ALL {
            assert!(
                asked.contains(&symptom.id()),
                "{} is not asked",
                symptom.id()
            );
        }
        assert_eq!(asked.len(), aftercare_core::triage::Symptom::ALL.len());
    }

    #[test]
    fn the_form_reads_numbers_with_commas_and_refuses_words() {
        let form = FormData::parse(
            b"symptoms=redness&rating_redness=4&temperature_c=37%2C5&discharge=none",
        )
        .expect("UTF-8");
        let (_, parts) = read_form(&form);
        let parts = parts.unwrap();
        assert_eq!(parts.temperature_c, Some(37.5));
        assert_eq!(parts.ratings.get("redness"), Some(&4.0));
        let form = FormData::parse(b"symptoms=sneezing&temperature_c=hot&discharge=purple")
            .expect("UTF-8");
        let errors = read_form(&form).1.unwrap_err();
        for field in ["symptoms", "temperature_c", "discharge"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
