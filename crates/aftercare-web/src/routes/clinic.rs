//! The practitioners' side: the dashboard (patients, red flags first, open alerts), recording
//! a treatment, a treatment's page (check-ins, alerts, links), issuing and revoking patient
//! links, and acknowledging alerts.
//!
//! Every handler takes the signed-in user and reads only that user's clinic: an id from
//! another clinic is "not found", exactly like an id that does not exist.

use aftercare_core::profile::{Area, SkinType};
use aftercare_store::{AlertRow, CheckInRow, ClinicRow, PatientLinkRow, TreatmentRow};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use jiff::Timestamp;

use crate::{
    auth::CurrentUser,
    error::AppError,
    extract::FormData,
    input, protocols,
    routes::auth::FlashQuery,
    state::AppState,
    treatments::{
        IssuedLink, TreatmentFields, TreatmentView, issue_patient_link, parse_treatment,
        record_treatment,
    },
    views::{
        ClinicNav, FieldErrors,
        clinic::{
            AlertView, CheckInView, Choice, DashboardPage, DashboardRow, LevelView, LinkView,
            NewLinkView, NewTreatmentPage, TreatmentPage,
        },
        flash_message, render, render_status,
    },
};

/// The clinic routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clinic", get(dashboard))
        .route("/clinic/treatments/new", get(new_treatment_page))
        .route("/clinic/treatments", post(create_treatment))
        .route("/clinic/treatments/{id}", get(treatment_page))
        .route("/clinic/treatments/{id}/links", post(create_link))
        .route(
            "/clinic/treatments/{id}/links/{link_id}/revoke",
            post(revoke_link),
        )
        .route("/clinic/alerts/{id}/acknowledge", post(acknowledge_alert))
}

/// The user's clinic and the navigation bar for a page.
///
/// # Errors
/// Store failures; a user whose clinic is gone is signed out.
pub async fn clinic_nav(
    state: &AppState,
    user: &CurrentUser,
    active: &'static str,
) -> Result<(ClinicRow, ClinicNav), AppError> {
    let clinic = state
        .store()
        .find_clinic(user.clinic_id())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let nav = ClinicNav {
        clinic_name: clinic.name.clone(),
        user_name: user.user.display_name.clone(),
        is_admin: user.is_admin(),
        active,
    };
    Ok((clinic, nav))
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let (_, nav) = clinic_nav(&state, &user, "dashboard").await?;
    let store = state.store();
    let summaries = store.list_treatments(user.clinic_id()).await?;
    let open = store.list_open_alerts(user.clinic_id()).await?;
    let now = state.clock().now();
    let mut rows = Vec::with_capacity(summaries.len());
    for summary in &summaries {
        let view = TreatmentView::of(&summary.treatment)?;
        rows.push(DashboardRow {
            id: summary.treatment.id.clone(),
            patient_label: summary.treatment.patient_label.clone(),
            treated: view.treated_label(),
            day: view.day_label(now),
            latest: summary.latest_level.map(LevelView::of),
            latest_at: summary
                .latest_check_in_at
                .map(|at| view.local(at))
                .unwrap_or_default(),
            open_alerts: summary.open_alerts,
            highest_alert: summary.highest_open_alert_level.map(LevelView::of),
        });
    }
    let mut alerts = Vec::with_capacity(open.len());
    for alert in &open {
        let Some(summary) = summaries
            .iter()
            .find(|s| s.treatment.id == alert.treatment_id)
        else {
            continue;
        };
        alerts.push(alert_view(&state, user.clinic_id(), alert, &summary.treatment).await?);
    }
    Ok(render(&DashboardPage {
        nav,
        flash: flash_message(query.flash.as_deref()),
        alerts,
        rows,
    }))
}

async fn alert_view(
    state: &AppState,
    clinic_id: &str,
    alert: &AlertRow,
    treatment: &TreatmentRow,
) -> Result<AlertView, AppError> {
    let view = TreatmentView::of(treatment)?;
    let reasons = match state
        .store()
        .get_check_in(clinic_id, &alert.check_in_id)
        .await?
    {
        Some(check_in) => reasons_of(&check_in),
        None => Vec::new(),
    };
    let acknowledged = match (alert.acknowledged_at, &alert.acknowledged_by) {
        (Some(at), Some(by)) => {
            let name = state
                .store()
                .find_user(clinic_id, by)
                .await?
                .map_or_else(|| "a former colleague".to_owned(), |u| u.display_name);
            let note = alert.acknowledgement_note.as_deref().unwrap_or("");
            Some(format!(
                "Acknowledged by {name} on {}: {note}",
                view.local(at)
            ))
        }
        _ => None,
    };
    Ok(AlertView {
        id: alert.id.clone(),
        treatment_id: treatment.id.clone(),
        patient_label: treatment.patient_label.clone(),
        level: LevelView::of(alert.level),
        created: view.local(alert.created_at),
        reasons,
        acknowledged,
    })
}

/// The messages of the rules that fired for a stored check-in.
pub fn reasons_of(check_in: &CheckInRow) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(&check_in.result)
        .ok()
        .and_then(|result| {
            result
                .get("reasons")
                .and_then(|r| r.as_array())
                .map(|reasons| {
                    reasons
                        .iter()
                        .filter_map(|r| {
                            r.get("message").and_then(|m| m.as_str()).map(str::to_owned)
                        })
                        .collect()
                })
        })
        .unwrap_or_default()
}

/// The symptoms of a stored check-in, in words.
pub fn symptoms_of(check_in: &CheckInRow) -> String {
    let input: serde_json::Value = serde_json::from_str(&check_in.input).unwrap_or_default();
    let mut parts: Vec<String> = input
        .get("symptoms")
        .and_then(|s| s.as_array())
        .map(|symptoms| {
            symptoms
                .iter()
                .filter_map(|s| s.as_str())
                .map(crate::check_ins::symptom_words)
                .collect()
        })
        .unwrap_or_default();
    if let Some(t) = input
        .get("temperature_c")
        .and_then(serde_json::Value::as_f64)
    {
        parts.push(format!("{t:.1} °C"));
    }
    if let Some(d) = input
        .get("discharge")
        .and_then(|d| d.as_str())
        .filter(|d| *d != "none")
    {
        parts.push(format!("{d} discharge"));
    }
    if parts.is_empty() {
        "nothing unusual".into()
    } else {
        parts.join(", ")
    }
}

async fn protocol_choices(
    state: &AppState,
    clinic: &ClinicRow,
    selected: &str,
) -> Result<Vec<Choice>, AppError> {
    let uploaded = state.store().list_protocols(&clinic.id).await?;
    let default_name = clinic
        .default_protocol_id
        .as_ref()
        .and_then(|id| uploaded.iter().find(|p| &p.id == id))
        .map_or_else(|| protocols::builtin().title.clone(), |p| p.name.clone());
    let mut choices = vec![Choice {
        value: "default".into(),
        label: format!("Clinic default ({default_name})"),
        selected: selected.is_empty() || selected == "default",
    }];
    choices.extend(uploaded.into_iter().map(|p| Choice {
        selected: p.id == selected,
        value: p.id,
        label: p.name,
    }));
    Ok(choices)
}

fn choices<T: Copy>(all: &[T], id: fn(T) -> &'static str, selected: &[&str]) -> Vec<Choice> {
    all.iter()
        .map(|value| {
            let id = id(*value);
            Choice {
                value: id.into(),
                label: words(id),
                selected: selected.contains(&id),
            }
        })
        .collect()
}

/// An id in words: `acne_prone` → "Acne prone", `decollete` → "Décolleté".
pub fn words(id: &str) -> String {
    if id == "decollete" {
        return "Décolleté".into();
    }
    crate::treatments::sentence(&id.replace('_', " "))
        .trim_end_matches('.')
        .to_owned()
}

fn fitzpatrick_choices(selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: "Not recorded".into(),
        selected: selected.is_empty(),
    }];
    for (value, roman) in [
        ("1", "I"),
        ("2", "II"),
        ("3", "III"),
        ("4", "IV"),
        ("5", "V"),
        ("6", "VI"),
    ] {
        list.push(Choice {
            value: value.into(),
            label: format!("Type {roman}"),
            selected: selected == value || selected == roman,
        });
    }
    list
}

async fn new_treatment_page(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let (clinic, nav) = clinic_nav(&state, &user, "new").await?;
    let tz = aftercare_core::instant::parse_time_zone(&state.settings().clinic.default_time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let now = state.clock().now().to_zoned_datetime(tz);
    let page = NewTreatmentPage {
        nav,
        errors: FieldErrors::default(),
        patient_label: String::new(),
        patient_email: String::new(),
        treated_date: now.strftime("%Y-%m-%d").to_string(),
        treated_time: now.strftime("%H:%M").to_string(),
        time_zone: state.settings().clinic.default_time_zone.clone(),
        skin: choices(SkinType::ALL, SkinType::id, &[]),
        fitzpatrick: fitzpatrick_choices(""),
        areas: choices(Area::ALL, Area::id, &["face"]),
        cold_sore_history: false,
        notes: String::new(),
        protocols: protocol_choices(&state, &clinic, "").await?,
    };
    Ok(render(&page))
}

async fn create_treatment(
    State(state): State<AppState>,
    user: CurrentUser,
    form: FormData,
) -> Result<Response, AppError> {
    let date = form.text("treated_date").unwrap_or("");
    let time = form.text("treated_time").unwrap_or("");
    let fields = TreatmentFields {
        patient_label: form.text("patient_label").unwrap_or("").to_owned(),
        patient_email: form.text("patient_email").unwrap_or("").to_owned(),
        treated_at: if date.is_empty() {
            String::new()
        } else {
            format!("{date} {}", if time.is_empty() { "00:00" } else { time })
        },
        time_zone: form.text("time_zone").unwrap_or("").to_owned(),
        skin: form.all("skin").into_iter().map(str::to_owned).collect(),
        fitzpatrick: form.text("fitzpatrick").unwrap_or("").to_owned(),
        areas: form.all("areas").into_iter().map(str::to_owned).collect(),
        cold_sore_history: form.checked("cold_sore_history"),
        notes: form.raw("notes").unwrap_or("").to_owned(),
        protocol_id: form.text("protocol_id").unwrap_or("").to_owned(),
    };
    let result = parse_treatment(&fields, state.clock().now());
    let mut errors = match result {
        Ok(input) => match record_treatment(&state, &user, input).await {
            Ok((treatment, link)) => {
                return treatment_response(
                    &state,
                    &user,
                    &treatment.id,
                    Some(link),
                    StatusCode::CREATED,
                    None,
                )
                .await;
            }
            Err(AppError::Invalid(message)) => {
                let mut errors = FieldErrors::default();
                errors.add("protocol_id", message);
                errors
            }
            Err(other) => return Err(other),
        },
        Err(errors) => errors,
    };
    if time.is_empty() && date.is_empty() && errors.get("treated_date").is_none() {
        errors.add("treated_date", "Enter the date and time of the treatment.");
    }
    let (clinic, nav) = clinic_nav(&state, &user, "new").await?;
    let skin: Vec<&str> = form.all("skin");
    let areas: Vec<&str> = form.all("areas");
    let page = NewTreatmentPage {
        nav,
        errors,
        patient_label: fields.patient_label.clone(),
        patient_email: fields.patient_email.clone(),
        treated_date: date.to_owned(),
        treated_time: time.to_owned(),
        time_zone: fields.time_zone.clone(),
        skin: choices(SkinType::ALL, SkinType::id, &skin),
        fitzpatrick: fitzpatrick_choices(&fields.fitzpatrick),
        areas: choices(Area::ALL, Area::id, &areas),
        cold_sore_history: fields.cold_sore_history,
        notes: fields.notes.clone(),
        protocols: protocol_choices(&state, &clinic, &fields.protocol_id).await?,
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

async fn treatment_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    treatment_response(
        &state,
        &user,
        &id,
        None,
        StatusCode::OK,
        flash_message(query.flash.as_deref()),
    )
    .await
}

/// Treatment `id` of the user's clinic; "not found" for an id too long to exist, one that
/// does not exist, or one of another clinic.
///
/// # Errors
/// Not found as above; store failures.
pub(crate) async fn find_treatment(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<TreatmentRow, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    state
        .store()
        .get_treatment(user.clinic_id(), id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn treatment_response(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    new_link: Option<IssuedLink>,
    status: StatusCode,
    flash: Option<&'static str>,
) -> Result<Response, AppError> {
    let treatment = find_treatment(state, user, id).await?;
    let (_, nav) = clinic_nav(state, user, "dashboard").await?;
    let store = state.store();
    let view = TreatmentView::of(&treatment)?;
    let now = state.clock().now();
    let protocol = state.protocols().of_treatment(store, &treatment).await?;
    let practitioner = store
        .find_user(&treatment.clinic_id, &treatment.practitioner_id)
        .await?
        .map_or_else(|| "—".to_owned(), |u| u.display_name);
    let check_in_rows = store
        .list_check_ins(&treatment.clinic_id, &treatment.id)
        .await?;
    let (chart, unreadable) = crate::chart::chart_of(&check_in_rows, &view, &protocol);
    let mut check_ins: Vec<CheckInView> = check_in_rows
        .iter()
        .map(|c| CheckInView {
            at: view.local(c.at),
            day: Timestamp::from_second(c.at)
                .ok()
                .map_or_else(String::new, |at| view.day_label(at)),
            level: LevelView::of(c.level),
            symptoms: symptoms_of(c),
            reasons: reasons_of(c),
        })
        .collect();
    check_ins.reverse();
    let mut alerts = Vec::new();
    let mut rows = store
        .list_alerts_for_treatment(&treatment.clinic_id, &treatment.id)
        .await?;
    rows.sort_by_key(|a| a.acknowledged_at.is_some());
    for alert in &rows {
        alerts.push(alert_view(state, &treatment.clinic_id, alert, &treatment).await?);
    }
    let links = store
        .list_patient_links(&treatment.clinic_id, &treatment.id)
        .await?
        .iter()
        .map(|link| link_view(link, &view, now.as_second()))
        .collect();
    let list = |json: &str| -> String {
        let ids: Vec<String> = serde_json::from_str(json).unwrap_or_default();
        if ids.is_empty() {
            "—".into()
        } else {
            ids.iter()
                .map(|id| words(id))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let page = TreatmentPage {
        nav,
        flash,
        id: treatment.id.clone(),
        patient_label: treatment.patient_label.clone(),
        patient_email: treatment
            .patient_email
            .clone()
            .unwrap_or_else(|| "—".into()),
        treated: view.treated_label(),
        day: view.day_label(now),
        skin: list(&treatment.skin),
        fitzpatrick: view
            .profile
            .fitzpatrick
            .map_or_else(|| "—".into(), |f| format!("Type {}", f.roman())),
        areas: list(&treatment.areas),
        cold_sore_history: if treatment.cold_sore_history {
            "Yes"
        } else {
            "No"
        },
        notes: if treatment.notes.is_empty() {
            "—".into()
        } else {
            treatment.notes.clone()
        },
        protocol: format!("{} (version {})", protocol.title, protocol.version),
        practitioner,
        check_ins,
        alerts,
        links,
        new_link: new_link.map(|l| NewLinkView {
            url: l.url,
            qr_svg: l.qr_svg,
        }),
        shelf: crate::routes::shelf::items_of(state, &treatment, &view, &protocol, &check_in_rows)
            .await?,
        chart: crate::chart::ChartView::of(
            &chart,
            unreadable,
            crate::chart::Audience::Practitioner,
        ),
    };
    Ok(render_status(status, &page))
}

fn link_view(link: &PatientLinkRow, view: &TreatmentView, now: i64) -> LinkView {
    let status = if link.revoked_at.is_some() {
        "revoked"
    } else if link.expires_at <= now {
        "expired"
    } else {
        "active"
    };
    LinkView {
        id: link.id.clone(),
        created: view.local(link.created_at),
        expires: view.local(link.expires_at),
        status,
        kind: match link.purpose {
            aftercare_store::LinkPurpose::Patient => "Plan pages",
            aftercare_store::LinkPurpose::Calendar => "Calendar feed",
        },
    }
}

async fn create_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let treatment = find_treatment(&state, &user, &id).await?;
    let link = issue_patient_link(&state, &treatment).await?;
    treatment_response(
        &state,
        &user,
        &treatment.id,
        Some(link),
        StatusCode::CREATED,
        None,
    )
    .await
}

async fn revoke_link(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, link_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let treatment = find_treatment(&state, &user, &id).await?;
    let belongs = state
        .store()
        .list_patient_links(&treatment.clinic_id, &treatment.id)
        .await?
        .iter()
        .any(|link| link.id == link_id);
    if !belongs {
        return Err(AppError::NotFound);
    }
    state
        .store()
        .revoke_patient_link(user.clinic_id(), &link_id, state.now())
        .await?;
    tracing::info!(treatment_id = %treatment.id, %link_id, "patient link revoked");
    Ok(Redirect::to(&format!(
        "/clinic/treatments/{}?flash=revoked",
        treatment.id
    ))
    .into_response())
}

async fn acknowledge_alert(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let note = input::optional_text(
        form.raw("note"),
        "note",
        crate::treatments::MAX_ACKNOWLEDGEMENT_CHARS,
    )
    .map_err(AppError::Invalid)?;
    if note.is_empty() {
        return Err(AppError::Invalid(
            "Write a short note of what you did (for example: called the patient) to acknowledge the alert."
                .into(),
        ));
    }
    if id.len() > 64 {
        return Err(AppError::NotFound);
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
        .await
        .map_err(|error| match error {
            aftercare_store::StoreError::Conflict { .. } => {
                AppError::Conflict("This alert was acknowledged already.".into())
            }
            other => other.into(),
        })?;
    tracing::info!(alert_id = %alert.id, "alert acknowledged");
    Ok(Redirect::to(&format!(
        "/clinic/treatments/{}?flash=acknowledged",
        alert.treatment_id
    ))
    .into_response())
}
