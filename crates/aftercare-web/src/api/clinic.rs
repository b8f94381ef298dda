//! The clinic's resources as JSON, for a signed-in practitioner: sessions (a bearer token),
//! treatments (list, create with their first patient link, read with check-ins, alerts and
//! links), patient links (issue, revoke) and alerts (list open, acknowledge).
//!
//! Every handler reads only the caller's clinic; another clinic's id is 404.

use aftercare_store::{AlertRow, CheckInRow, PatientLinkRow, TreatmentRow};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use jiff::Timestamp;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::state::AppState;
use crate::{
    auth::{ApiUser, session::start_session},
    error::{ApiError, AppError, ErrorResponse},
    extract::ApiJson,
    input,
    treatments::{
        IssuedLink, TreatmentFields, TreatmentView, issue_patient_link, parse_treatment,
        record_treatment,
    },
};

fn rfc3339(epoch: i64) -> String {
    Timestamp::from_second(epoch).map_or_else(|_| epoch.to_string(), |ts| ts.to_string())
}

/// Sign-in credentials.
#[derive(Deserialize, ToSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a JSON object with email and password"
)]
pub struct SessionRequest {
    /// The account's e-mail.
    pub email: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for SessionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRequest").finish_non_exhaustive()
    }
}

/// A new session.
#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    /// Send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it expires (RFC 3339, UTC).
    pub expires_at: String,
}

/// Signs in and returns a bearer token (rate-limited).
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "clinic",
    request_body = SessionRequest,
    responses(
        (status = 201, description = "Signed in", body = SessionResponse),
        (status = 401, description = "Wrong e-mail or password", body = ErrorResponse),
        (status = 429, description = "Too many attempts", body = ErrorResponse),
    )
)]
pub async fn create_session(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SessionRequest>,
) -> Result<(StatusCode, Json<SessionResponse>), ApiError> {
    let too_long = request.password.chars().count() > 1024 || request.email.len() > 254;
    let user = if too_long {
        None
    } else {
        state.store().find_user_by_email(&request.email).await?
    };
    let hash = user.as_ref().map(|user| user.password_hash.clone());
    let matches = state
        .passwords()
        .verify(SecretString::from(request.password), hash)
        .await?;
    let Some(user) = user.filter(|user| matches && user.disabled_at.is_none()) else {
        metrics::counter!("aftercare_sign_ins_total", "outcome" => "failed").increment(1);
        return Err(AppError::Unauthenticated.into());
    };
    metrics::counter!("aftercare_sign_ins_total", "outcome" => "ok").increment(1);
    let session = start_session(&state, &user).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionResponse {
            token: session.token,
            expires_at: rfc3339(session.expires_at),
        }),
    ))
}

/// Signs out: deletes the caller's session.
#[utoipa::path(
    delete,
    path = "/api/v1/sessions/current",
    tag = "clinic",
    security(("session" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
pub async fn delete_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<StatusCode, ApiError> {
    state.store().delete_session(&user.session_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A treatment.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreatmentResponse {
    /// Id.
    pub id: String,
    /// Name or initials.
    pub patient_label: String,
    /// E-mail.
    pub patient_email: Option<String>,
    /// The treatment instant (RFC 3339 in the patient's zone).
    pub treated_at: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Skin type ids.
    pub skin: Vec<String>,
    /// Fitzpatrick type 1-6.
    pub fitzpatrick: Option<u8>,
    /// Area ids.
    pub areas: Vec<String>,
    /// Cold-sore history.
    pub cold_sore_history: bool,
    /// Notes.
    pub notes: String,
    /// The protocol (`null`: the built-in one).
    pub protocol_id: Option<String>,
    /// The treating practitioner.
    pub practitioner_id: String,
    /// Recovery day now (`null` before the treatment).
    pub day: Option<u32>,
}

fn treatment_response(row: &TreatmentRow, now: Timestamp) -> Result<TreatmentResponse, AppError> {
    let view = TreatmentView::of(row)?;
    Ok(TreatmentResponse {
        id: row.id.clone(),
        patient_label: row.patient_label.clone(),
        patient_email: row.patient_email.clone(),
        treated_at: aftercare_core::instant::format_rfc3339(&view.treated_at),
        time_zone: row.time_zone.clone(),
        skin: view
            .profile
            .skin
            .iter()
            .map(|s| s.id().to_owned())
            .collect(),
        fitzpatrick: view.profile.fitzpatrick.map(|f| f.number()),
        areas: view
            .profile
            .areas
            .iter()
            .map(|a| a.id().to_owned())
            .collect(),
        cold_sore_history: row.cold_sore_history,
        notes: row.notes.clone(),
        protocol_id: row.protocol_id.clone(),
        practitioner_id: row.practitioner_id.clone(),
        day: view.hours_at(now).map(|h| h.day()),
    })
}

/// A line of the clinic's patient list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreatmentSummaryResponse {
    /// The treatment.
    pub treatment: TreatmentResponse,
    /// The latest check-in's level.
    pub latest_level: Option<String>,
    /// When the latest check-in was observed.
    pub latest_check_in_at: Option<String>,
    /// Unacknowledged alerts.
    pub open_alerts: i64,
    /// The highest open alert's level.
    pub highest_open_alert_level: Option<String>,
}

/// The clinic's patients, red flags first.
#[utoipa::path(
    get,
    path = "/api/v1/treatments",
    tag = "clinic",
    security(("session" = [])),
    responses(
        (status = 200, description = "Treatments, red flags first", body = Vec<TreatmentSummaryResponse>),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
pub async fn list_treatments(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<TreatmentSummaryResponse>>, ApiError> {
    let now = state.clock().now();
    let rows = state.store().list_treatments(user.clinic_id()).await?;
    let list = rows
        .iter()
        .map(|summary| {
            Ok(TreatmentSummaryResponse {
                treatment: treatment_response(&summary.treatment, now)?,
                latest_level: summary.latest_level.map(|l| l.as_str().to_owned()),
                latest_check_in_at: summary.latest_check_in_at.map(rfc3339),
                open_alerts: summary.open_alerts,
                highest_open_alert_level: summary
                    .highest_open_alert_level
                    .map(|l| l.as_str().to_owned()),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Json(list))
}

/// A treatment to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a treatment (a JSON object)")]
pub struct TreatmentRequest {
    /// Name or initials (1-100 characters).
    #[schema(schema_with = super::schema::patient_label)]
    pub patient_label: String,
    /// E-mail.
    #[serde(default)]
    pub patient_email: Option<String>,
    /// RFC 3339, or `YYYY-MM-DD HH:MM` in `time_zone`.
    #[schema(example = "2026-11-26 15:00")]
    pub treated_at: String,
    /// IANA time zone (required, not blank).
    #[schema(example = "Europe/Berlin", min_length = 1)]
    pub time_zone: String,
    /// Skin type ids.
    #[serde(default)]
    #[schema(schema_with = super::schema::skin_types)]
    pub skin: Vec<String>,
    /// Fitzpatrick type, 1-6 or I-VI.
    #[serde(default)]
    #[schema(schema_with = super::schema::fitzpatrick_text)]
    pub fitzpatrick: Option<String>,
    /// Area ids (default: the face).
    #[serde(default)]
    #[schema(schema_with = super::schema::areas)]
    pub areas: Vec<String>,
    /// Cold-sore history.
    #[serde(default)]
    pub cold_sore_history: bool,
    /// Notes (at most 5000 characters).
    #[serde(default)]
    #[schema(schema_with = super::schema::treatment_notes)]
    pub notes: String,
    /// One of the clinic's uploaded protocols (default: the clinic's default).
    #[serde(default)]
    pub protocol_id: Option<String>,
}

/// A patient link just issued; the URL is shown only now.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedLinkResponse {
    /// Link id (for revoking).
    pub id: String,
    /// The URL to give the patient.
    pub url: String,
    /// When it stops working (RFC 3339, UTC).
    pub expires_at: String,
}

impl From<IssuedLink> for IssuedLinkResponse {
    fn from(link: IssuedLink) -> Self {
        IssuedLinkResponse {
            id: link.link.id,
            url: link.url,
            expires_at: rfc3339(link.link.expires_at),
        }
    }
}

/// A recorded treatment with its first link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTreatmentResponse {
    /// The treatment.
    pub treatment: TreatmentResponse,
    /// Its patient link.
    pub patient_link: IssuedLinkResponse,
}

/// Records a treatment and issues its first patient link.
#[utoipa::path(
    post,
    path = "/api/v1/treatments",
    tag = "clinic",
    security(("session" = [])),
    request_body = TreatmentRequest,
    responses(
        (status = 201, description = "Recorded", body = CreatedTreatmentResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 422, description = "A value is not acceptable; the message names it", body = ErrorResponse),
    )
)]
pub async fn create_treatment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<TreatmentRequest>,
) -> Result<(StatusCode, Json<CreatedTreatmentResponse>), ApiError> {
    let fields = TreatmentFields {
        patient_label: request.patient_label,
        patient_email: request.patient_email.unwrap_or_default(),
        treated_at: request.treated_at,
        time_zone: request.time_zone,
        skin: request.skin,
        fitzpatrick: request.fitzpatrick.unwrap_or_default(),
        areas: request.areas,
        cold_sore_history: request.cold_sore_history,
        notes: request.notes,
        protocol_id: request.protocol_id.unwrap_or_default(),
    };
    let input = parse_treatment(&fields, state.clock().now())
        .map_err(|errors| AppError::Invalid(errors.sentence(&[("treated_date", "treated_at")])))?;
    let (treatment, link) = record_treatment(&state, &user, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTreatmentResponse {
            treatment: treatment_response(&treatment, state.clock().now())?,
            patient_link: link.into(),
        }),
    ))
}

/// A check-in as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInResponse {
    /// Id.
    pub id: String,
    /// When the symptoms were observed.
    pub at: String,
    /// When it was received.
    pub submitted_at: String,
    /// Its level.
    pub level: String,
    /// The CONTRACT §5 input.
    pub input: serde_json::Value,
    /// The triage result.
    pub result: serde_json::Value,
}

impl From<&CheckInRow> for CheckInResponse {
    fn from(row: &CheckInRow) -> Self {
        CheckInResponse {
            id: row.id.clone(),
            at: rfc3339(row.at),
            submitted_at: rfc3339(row.submitted_at),
            level: row.level.as_str().to_owned(),
            input: serde_json::from_str(&row.input).unwrap_or_default(),
            result: serde_json::from_str(&row.result).unwrap_or_default(),
        }
    }
}

/// An alert.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertResponse {
    /// Id.
    pub id: String,
    /// The treatment.
    pub treatment_id: String,
    /// The check-in that raised it.
    pub check_in_id: String,
    /// Its level.
    pub level: String,
    /// When raised.
    pub created_at: String,
    /// When acknowledged.
    pub acknowledged_at: Option<String>,
    /// By whom (user id).
    pub acknowledged_by: Option<String>,
    /// The note.
    pub acknowledgement_note: Option<String>,
}

impl From<&AlertRow> for AlertResponse {
    fn from(row: &AlertRow) -> Self {
        AlertResponse {
            id: row.id.clone(),
            treatment_id: row.treatment_id.clone(),
            check_in_id: row.check_in_id.clone(),
            level: row.level.as_str().to_owned(),
            created_at: rfc3339(row.created_at),
            acknowledged_at: row.acknowledged_at.map(rfc3339),
            acknowledged_by: row.acknowledged_by.clone(),
            acknowledgement_note: row.acknowledgement_note.clone(),
        }
    }
}

/// A patient link (its token is never shown again).
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkResponse {
    /// Id.
    pub id: String,
    /// When issued.
    pub created_at: String,
    /// When it stops working.
    pub expires_at: String,
    /// When revoked.
    pub revoked_at: Option<String>,
}

impl From<&PatientLinkRow> for LinkResponse {
    fn from(row: &PatientLinkRow) -> Self {
        LinkResponse {
            id: row.id.clone(),
            created_at: rfc3339(row.created_at),
            expires_at: rfc3339(row.expires_at),
            revoked_at: row.revoked_at.map(rfc3339),
        }
    }
}

/// A treatment with everything recorded about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TreatmentDetailResponse {
    /// The treatment.
    pub treatment: TreatmentResponse,
    /// Check-ins, in the order observed.
    pub check_ins: Vec<CheckInResponse>,
    /// Alerts.
    pub alerts: Vec<AlertResponse>,
    /// Patient links.
    pub links: Vec<LinkResponse>,
}

async fn find_treatment(
    state: &AppState,
    clinic_id: &str,
    id: &str,
) -> Result<TreatmentRow, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    state
        .store()
        .get_treatment(clinic_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// One treatment with its check-ins, alerts and links.
#[utoipa::path(
    get,
    path = "/api/v1/treatments/{id}",
    tag = "clinic",
    security(("session" = [])),
    params(("id" = String, Path, description = "Treatment id")),
    responses(
        (status = 200, description = "The treatment", body = TreatmentDetailResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such treatment in the caller's clinic", body = ErrorResponse),
    )
)]
pub async fn get_treatment(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<TreatmentDetailResponse>, ApiError> {
    let treatment = find_treatment(&state, user.clinic_id(), &id).await?;
    let store = state.store();
    let check_ins = store
        .list_check_ins(&treatment.clinic_id, &treatment.id)
        .await?;
    let alerts = store
        .list_alerts_for_treatment(&treatment.clinic_id, &treatment.id)
        .await?;
    let links = store
        .list_patient_links(&treatment.clinic_id, &treatment.id)
        .await?;
    Ok(Json(TreatmentDetailResponse {
        treatment: treatment_response(&treatment, state.clock().now())?,
        check_ins: check_ins.iter().map(CheckInResponse::from).collect(),
        alerts: alerts.iter().map(AlertResponse::from).collect(),
        links: links.iter().map(LinkResponse::from).collect(),
    }))
}

/// Issues a new patient link for a treatment.
#[utoipa::path(
    post,
    path = "/api/v1/treatments/{id}/links",
    tag = "clinic",
    security(("session" = [])),
    params(("id" = String, Path, description = "Treatment id")),
    responses(
        (status = 201, description = "Issued; the URL is shown only now", body = IssuedLinkResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such treatment in the caller's clinic", body = ErrorResponse),
    )
)]
pub async fn create_link(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<IssuedLinkResponse>), ApiError> {
    let treatment = find_treatment(&state, user.clinic_id(), &id).await?;
    let link = issue_patient_link(&state, &treatment).await?;
    Ok((StatusCode::CREATED, Json(link.into())))
}

/// Revokes a patient link: it stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/treatments/{id}/links/{link_id}",
    tag = "clinic",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "Treatment id"),
        ("link_id" = String, Path, description = "Link id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such link on this treatment in the caller's clinic", body = ErrorResponse),
    )
)]
pub async fn revoke_link(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, link_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let treatment = find_treatment(&state, user.clinic_id(), &id).await?;
    let links = state
        .store()
        .list_patient_links(&treatment.clinic_id, &treatment.id)
        .await?;
    if !links.iter().any(|link| link.id == link_id) {
        return Err(AppError::NotFound.into());
    }
    state
        .store()
        .revoke_patient_link(user.clinic_id(), &link_id, state.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The clinic's open alerts, highest level first.
#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    tag = "clinic",
    security(("session" = [])),
    responses(
        (status = 200, description = "Open alerts", body = Vec<AlertResponse>),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
pub async fn list_alerts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<AlertResponse>>, ApiError> {
    let alerts = state.store().list_open_alerts(user.clinic_id()).await?;
    Ok(Json(alerts.iter().map(AlertResponse::from).collect()))
}

/// How an alert was handled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a JSON object")]
pub struct AcknowledgeRequest {
    /// What was done (1-2000 characters).
    #[schema(schema_with = super::schema::acknowledgement_note)]
    pub note: String,
}

/// Acknowledges an alert with a note.
#[utoipa::path(
    post,
    path = "/api/v1/alerts/{id}/acknowledge",
    tag = "clinic",
    security(("session" = [])),
    params(("id" = String, Path, description = "Alert id")),
    request_body = AcknowledgeRequest,
    responses(
        (status = 200, description = "Acknowledged", body = AlertResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
        (status = 404, description = "No such alert in the caller's clinic", body = ErrorResponse),
        (status = 409, description = "Acknowledged already", body = ErrorResponse),
        (status = 422, description = "No note", body = ErrorResponse),
    )
)]
pub async fn acknowledge_alert(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AcknowledgeRequest>,
) -> Result<Json<AlertResponse>, ApiError> {
    let note = input::optional_text(
        Some(&request.note),
        "note",
        crate::treatments::MAX_ACKNOWLEDGEMENT_CHARS,
    )
    .map_err(AppError::Invalid)?;
    if note.is_empty() {
        return Err(
            AppError::Invalid("note: write what was done to acknowledge the alert".into()).into(),
        );
    }
    if id.len() > 64 {
        return Err(AppError::NotFound.into());
    }
    let alert = state
        .store()
        .acknowledge_alert(
            user.clinic_id(),
            &id,
            &user.user.id,
            Some(&note),
            state.now(),
        )
        .await?;
    Ok(Json(AlertResponse::from(&alert)))
}
