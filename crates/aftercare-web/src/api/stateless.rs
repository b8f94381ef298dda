//! The stateless API: a plan (CONTRACT §6), an ingredient check (CONTRACT §4) and a triage
//! (CONTRACT §5) from the CONTRACT inputs, with the built-in protocol. Nothing is stored and
//! no account is needed; inputs are bounded (an ingredient list at most 64 KiB, every body at
//! most the server's `[limits] body_bytes`).

use std::collections::BTreeMap;

use aftercare_core::{
    instant::{parse_instant, parse_time_zone},
    plan::{MAX_PLAN_DAYS, SourcedText, generate_plan},
    profile::{Area, Fitzpatrick, Profile, SkinType},
    protocol::Protocol,
    triage::{CheckIn, CheckInSpec, PastCheckInSpec, TriageResult, triage_check_in},
};
use axum::{
    Json,
    extract::State,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{
    ToSchema,
    openapi::schema::{Object, ObjectBuilder, SchemaType, Type},
};

use crate::{
    error::{ApiError, AppError, ErrorBody, ErrorResponse},
    extract::ApiJson,
    protocols,
    state::AppState,
    treatments::sentence,
};

/// Days in a plan when the request does not say.
const DEFAULT_PLAN_DAYS: u32 = 14;

/// A Fitzpatrick type as a number (1-6) or a Roman numeral (`"IV"`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum FitzpatrickInput {
    /// 1 to 6.
    Number(u8),
    /// "1"-"6" or "I"-"VI".
    Text(String),
}

impl FitzpatrickInput {
    fn parse(&self) -> Result<Fitzpatrick, String> {
        let text = match self {
            FitzpatrickInput::Number(n) => n.to_string(),
            FitzpatrickInput::Text(t) => t.clone(),
        };
        text.parse::<Fitzpatrick>()
            .map_err(|e| format!("fitzpatrick: {e}"))
    }
}

/// What a plan is made from (CONTRACT §6, the flags of `aftercare plan` as JSON).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a plan request (a JSON object)")]
pub struct PlanRequest {
    /// The treatment instant: RFC 3339 (`2026-11-26T15:00:00+01:00`), or `YYYY-MM-DD HH:MM`
    /// together with `tz`.
    #[schema(example = "2026-11-26T15:00:00+01:00")]
    pub treated_at: String,
    /// The patient's IANA time zone (`Europe/Berlin`); the plan is shown in it.
    #[serde(default)]
    pub tz: Option<String>,
    /// Skin types: `dry`, `oily`, `acne_prone`, `sensitive`, `normal`.
    #[serde(default)]
    #[schema(schema_with = super::schema::skin_types)]
    pub skin: Vec<String>,
    /// Treated areas: `face`, `neck`, `decollete`, `chest`, `back`, `abdomen`, `thighs`,
    /// `arms`, `hands`, `scalp` (default: the face).
    #[serde(default)]
    #[schema(schema_with = super::schema::areas)]
    pub areas: Vec<String>,
    /// Fitzpatrick phototype, 1-6 or I-VI.
    #[serde(default)]
    #[schema(schema_with = super::schema::fitzpatrick)]
    pub fitzpatrick: Option<FitzpatrickInput>,
    /// Number of days (1-366, default 14).
    #[serde(default)]
    #[schema(schema_with = super::schema::plan_days)]
    pub days: Option<u32>,
}

fn ids<T: std::str::FromStr<Err = aftercare_core::profile::UnknownId>>(
    values: &[String],
    field: &str,
) -> Result<Vec<T>, AppError> {
    values
        .iter()
        .map(|v| {
            v.parse::<T>()
                .map_err(|e| AppError::Invalid(format!("{field}: {e}")))
        })
        .collect()
}

/// The personalised day-by-day plan.
///
/// Answers the plan of CONTRACT §6: `protocol`, `treated_at`, `restrictions` (each with
/// `earliest_hours`, `until_hours` and their local instants) and `days` (phase, morning and
/// evening routine, what to expect, what to avoid, tips).
#[utoipa::path(
    post,
    path = "/api/v1/plan",
    tag = "stateless",
    request_body = PlanRequest,
    responses(
        (status = 200, description = "The plan (CONTRACT §6)", body = serde_json::Value),
        (status = 400, description = "Not JSON", body = ErrorResponse),
        (status = 422, description = "A value is not acceptable; the message names it", body = ErrorResponse),
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PlanRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let tz = request
        .tz
        .as_deref()
        .map(parse_time_zone)
        .transpose()
        .map_err(|e| AppError::Invalid(format!("tz: {e}")))?;
    let treated_at = parse_instant(&request.treated_at, tz.as_ref())
        .map_err(|e| AppError::Invalid(format!("treated_at: {e}")))?;
    let ahead = treated_at.timestamp().as_second() - state.now();
    if ahead > 366 * 86_400 {
        return Err(AppError::Invalid(
            "treated_at: the treatment is more than a year in the future".into(),
        )
        .into());
    }
    let profile = Profile {
        skin: ids::<SkinType>(&request.skin, "skin")?,
        areas: ids::<Area>(&request.areas, "areas")?,
        fitzpatrick: request
            .fitzpatrick
            .as_ref()
            .map(FitzpatrickInput::parse)
            .transpose()
            .map_err(AppError::Invalid)?,
    };
    let days = request.days.unwrap_or(DEFAULT_PLAN_DAYS);
    if days == 0 || days > MAX_PLAN_DAYS {
        return Err(
            AppError::Invalid(format!("days: must be between 1 and {MAX_PLAN_DAYS}")).into(),
        );
    }
    let plan = generate_plan(&protocols::builtin(), &treated_at, &profile, days)
        .map_err(|e| AppError::Invalid(sentence(&e.to_string())))?;
    Ok(Json(
        serde_json::to_value(&plan).map_err(AppError::internal)?,
    ))
}

/// An earlier check-in (CONTRACT §5 `history`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "an earlier check-in (a JSON object)")]
pub struct PastCheckInRequest {
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
    /// Symptom ids.
    #[serde(default)]
    #[schema(schema_with = super::schema::symptoms)]
    pub symptoms: Vec<String>,
    /// Measured temperature in °C (30-45).
    #[serde(default)]
    #[schema(schema_with = super::schema::temperature)]
    pub temperature_c: Option<f64>,
    /// `none`, `clear`, `yellow` or `green`.
    #[serde(default)]
    #[schema(schema_with = super::schema::discharge)]
    pub discharge: Option<String>,
    /// 0-10 ratings by symptom id.
    #[serde(default)]
    #[schema(schema_with = super::schema::ratings)]
    pub ratings: BTreeMap<String, f64>,
}

/// A symptom check-in (CONTRACT §5).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a check-in (a JSON object)")]
pub struct TriageRequest {
    /// Echoed back.
    #[serde(default)]
    #[schema(schema_with = check_in_id_schema)]
    pub id: Option<serde_json::Value>,
    /// When the treatment took place (RFC 3339).
    #[schema(example = "2026-11-20T15:00:00+01:00", format = DateTime)]
    pub treated_at: String,
    /// When the symptoms were observed (RFC 3339).
    #[schema(example = "2026-11-23T09:00:00+01:00", format = DateTime)]
    pub at: String,
    /// Symptom ids (CONTRACT §5): an unknown id is an error.
    #[serde(default)]
    #[schema(schema_with = super::schema::symptoms)]
    pub symptoms: Vec<String>,
    /// Measured temperature in °C (30-45); 38.0 or more counts as fever.
    #[serde(default)]
    #[schema(schema_with = super::schema::temperature)]
    pub temperature_c: Option<f64>,
    /// `none` (default), `clear`, `yellow` or `green`.
    #[serde(default)]
    #[schema(schema_with = super::schema::discharge)]
    pub discharge: Option<String>,
    /// Whole-number 0-10 ratings by symptom id.
    #[serde(default)]
    #[schema(schema_with = super::schema::ratings)]
    pub ratings: BTreeMap<String, f64>,
    /// Earlier check-ins, for trends.
    #[serde(default)]
    pub history: Vec<PastCheckInRequest>,
}

/// The schema of a check-in's `id`: CONTRACT §5 takes a string or a number and echoes it back
/// as given (found by API fuzzing: documented as a string only, a number echoed broke it).
fn check_in_id_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([
            Type::String,
            Type::Number,
            Type::Null,
        ]))
        .description(Some(
            "The caller's id, a string or a number, echoed back in the result as given.",
        ))
        .build()
}

/// One rule that fired.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonResponse {
    /// The rule's stable code.
    pub code: String,
    /// The rule's level.
    pub level: String,
    /// What it says about this check-in.
    pub message: String,
    /// The reported symptoms it is about.
    pub symptoms: Vec<String>,
    /// Where the rule comes from.
    pub source: String,
}

/// A triage result (CONTRACT §5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TriageResponse {
    /// The request's `id`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = check_in_id_schema)]
    pub id: Option<serde_json::Value>,
    /// `expected`, `contact_practitioner`, `urgent` or `emergency`.
    pub level: String,
    /// Every rule that fired, highest level first.
    pub reasons: Vec<ReasonResponse>,
    /// What to do, highest tier first.
    pub advice: Vec<String>,
    /// Whole hours since the treatment.
    pub hours_since_treatment: u32,
    /// Recovery day.
    pub day: u32,
    /// The protocol's emergency guidance, on every result whatever its level (an extension of
    /// CONTRACT §5, as in `aftercare triage --format json`).
    pub emergency: EmergencyResponse,
}

/// What to do in an emergency, with its source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmergencyResponse {
    /// "Call your local emergency number now …".
    pub text: String,
    /// Where it comes from.
    pub source: String,
}

impl EmergencyResponse {
    /// `protocol`'s emergency guidance.
    fn of(protocol: &Protocol) -> Self {
        let emergency = SourcedText::of(&protocol.notices.emergency);
        EmergencyResponse {
            text: emergency.text,
            source: emergency.source,
        }
    }
}

/// A check-in the triage refused. It may still have reported a red flag, so the error carries
/// the emergency guidance too (as `aftercare triage` prints it after a refused check-in).
#[derive(Debug, Serialize, ToSchema)]
pub struct TriageErrorResponse {
    /// What went wrong, as on every API error.
    pub error: ErrorBody,
    /// The protocol's emergency guidance.
    pub emergency: EmergencyResponse,
}

/// An [`ApiError`] from the triage endpoint, answered with the emergency guidance.
#[derive(Debug)]
pub struct TriageError(ApiError);

impl<E: Into<ApiError>> From<E> for TriageError {
    fn from(error: E) -> Self {
        TriageError(error.into())
    }
}

impl IntoResponse for TriageError {
    fn into_response(self) -> Response {
        let TriageError(ApiError(error)) = self;
        let (status, headers, body) = error.into_api_parts();
        let body = TriageErrorResponse {
            error: body,
            emergency: EmergencyResponse::of(&protocols::builtin()),
        };
        (status, headers, Json(body)).into_response()
    }
}

impl TriageResponse {
    /// The response for `result`, judged by `protocol`.
    fn of(result: TriageResult, protocol: &Protocol) -> Self {
        TriageResponse {
            id: result.id,
            level: result.level.id().to_owned(),
            reasons: result
                .reasons
                .into_iter()
                .map(|r| ReasonResponse {
                    code: r.code,
                    level: r.level.id().to_owned(),
                    message: r.message,
                    symptoms: r.symptoms.iter().map(|s| s.id().to_owned()).collect(),
                    source: r.source.citation,
                })
                .collect(),
            advice: result.advice,
            hours_since_treatment: result.hours_since_treatment,
            day: result.day,
            emergency: EmergencyResponse::of(protocol),
        }
    }
}

/// Triage of one symptom check-in.
///
/// The level is the highest rule that fired; every rule that fired is a reason. Anything
/// above `expected` means: contact the practitioner (or more, as the level says). A refused
/// check-in may still have reported a red flag, so every answer, an error included, carries
/// the emergency guidance.
#[utoipa::path(
    post,
    path = "/api/v1/triage",
    tag = "stateless",
    request_body = TriageRequest,
    responses(
        (status = 200, description = "The triage result", body = TriageResponse),
        (status = 400, description = "Not JSON", body = TriageErrorResponse),
        (status = 413, description = "The body is larger than the server's limit ([limits] body_bytes)", body = TriageErrorResponse),
        (status = 415, description = "The body is not sent with Content-Type: application/json", body = TriageErrorResponse),
        (status = 422, description = "An unknown symptom, a rating outside 0-10, a temperature outside 30-45 °C, a check-in before the treatment…", body = TriageErrorResponse),
    )
)]
pub async fn triage(
    request: Result<ApiJson<TriageRequest>, ApiError>,
) -> Result<Json<TriageResponse>, TriageError> {
    let ApiJson(request) = request?;
    let spec = CheckInSpec {
        id: request.id,
        treated_at: request.treated_at,
        at: request.at,
        symptoms: request.symptoms,
        temperature_c: request.temperature_c,
        discharge: request.discharge,
        ratings: request.ratings,
        history: request
            .history
            .into_iter()
            .map(|past| PastCheckInSpec {
                at: past.at,
                symptoms: past.symptoms,
                temperature_c: past.temperature_c,
                discharge: past.discharge,
                ratings: past.ratings,
            })
            .collect(),
    };
    let check_in = CheckIn::try_from(spec).map_err(|e| AppError::Invalid(e.to_string()))?;
    let protocol = protocols::builtin();
    let result = triage_check_in(&protocol.triage, &check_in);
    Ok(Json(TriageResponse::of(result, &protocol)))
}
