//! The calendar feed: the patient's "add to your calendar" page (`/p/{token}/calendar`), which
//! issues a secret feed link (a `calendar`-purpose patient link: 256-bit token, stored hashed,
//! expiring, revocable by the clinic), and the feed itself, `GET /feed/{token}.ics`, served as
//! `text/calendar`.
//!
//! The feed is exactly what `aftercare_core::calendar::plan_calendar` gives for the treatment
//! (its protocol, instant, zone and profile) with the default UID namespace, so it is byte for
//! byte what `aftercare plan --format ics` prints for the same treatment, and a calendar app
//! refreshing it replaces events instead of duplicating them. An unknown, expired or revoked
//! token, or a plan-pages token, is 404. What does not belong here: writing iCalendar (core).

use aftercare_core::{
    calendar::{
        CalendarEvent, CalendarOptions, ReminderSchedule, default_namespace, plan_calendar,
    },
    protocol::Protocol,
};
use aftercare_store::{LinkPurpose, NewPatientLink, TreatmentRow, hash_token};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use crate::{
    auth::token::{generate_token, is_well_formed},
    error::AppError,
    extract::FormData,
    routes::patient::PatientContext,
    state::AppState,
    treatments::TreatmentView,
    views::{
        calendar::{CalendarPage, FeedUrls, ReminderWords},
        render, render_status,
    },
};

/// The media type of the feed (RFC 5545 §8.1).
pub const CALENDAR_CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The feed and the patient's calendar page (the caller adds the rate limit).
pub fn router() -> Router<AppState> {
    Router::new().route("/feed/{file}", get(feed)).route(
        "/p/{token}/calendar",
        get(calendar_page).post(create_feed_link),
    )
}

/// The reminder times of every feed, which the calendar page describes in words: one place,
/// so the page cannot promise other times than the feed sends.
fn feed_schedule() -> ReminderSchedule {
    ReminderSchedule::default()
}

/// The feed of a treatment: `plan_calendar` with the default UID namespace (the protocol id
/// and the treatment instant), and reapplication reminders when asked for.
///
/// # Errors
/// Internal when the stored treatment no longer reads or the calendar cannot be made.
pub fn treatment_feed(
    protocol: &Protocol,
    treatment: &TreatmentRow,
    sun_reapplication: bool,
    extra: Vec<CalendarEvent>,
) -> Result<String, AppError> {
    let view = TreatmentView::of(treatment)?;
    let mut options = CalendarOptions::new(default_namespace(protocol, &view.treated_at));
    options.schedule = feed_schedule();
    options.sun_reapplication = sun_reapplication;
    let mut calendar = plan_calendar(protocol, &view.treated_at, &view.profile, &options)
        .map_err(|e| AppError::internal(anyhow::anyhow!("calendar of {}: {e}", treatment.id)))?;
    for event in extra {
        calendar.add(event).map_err(|e| {
            AppError::internal(anyhow::anyhow!("calendar of {}: {e}", treatment.id))
        })?;
    }
    Ok(calendar.to_ics())
}

/// The feed's query: `?reapply=1` adds the every-2-hours sunscreen reminders.
#[derive(Debug, Default, Deserialize)]
struct FeedQuery {
    #[serde(default)]
    reapply: Option<String>,
}

async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Result<Response, AppError> {
    let token = file
        .strip_suffix(".ics")
        .filter(|token| is_well_formed(token))
        .ok_or(AppError::NotFound)?;
    let store = state.store();
    let link = store
        .find_patient_link(&hash_token(token), state.now())
        .await?
        .filter(|link| link.purpose == LinkPurpose::Calendar)
        .ok_or(AppError::NotFound)?;
    let treatment = store
        .get_treatment(&link.clinic_id, &link.treatment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let protocol = state.protocols().of_treatment(store, &treatment).await?;
    // The shelf's reintroduction events (issue #9); none for an empty shelf, so the feed of a
    // treatment without products stays byte for byte `plan_calendar`'s.
    let view = TreatmentView::of(&treatment)?;
    let shelf_events = crate::shelf::ShelfPlan::load(&state, &treatment, &view, &protocol, None)
        .await?
        .calendar_events();
    let body = treatment_feed(
        &protocol,
        &treatment,
        query.reapply.as_deref() == Some("1"),
        shelf_events,
    )?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(CALENDAR_CONTENT_TYPE),
    );
    // Personal health information: no shared cache may keep it.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

async fn calendar_page(
    State(state): State<AppState>,
    context: PatientContext,
) -> Result<Response, AppError> {
    let protocol = context.protocol(&state).await?;
    Ok(render(&CalendarPage {
        nav: context.nav("calendar"),
        expires: None,
        urls: None,
        reapply: false,
        day: context.day_label(&state),
        reminders: ReminderWords::of(&feed_schedule(), &protocol),
    }))
}

async fn create_feed_link(
    State(state): State<AppState>,
    context: PatientContext,
    form: FormData,
) -> Result<Response, AppError> {
    let reapply = form.checked("reapply");
    let token = generate_token().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let now = state.now();
    let ttl = i64::from(state.settings().security.patient_link_ttl_days) * 86_400;
    let new = NewPatientLink {
        clinic_id: context.treatment.clinic_id.clone(),
        treatment_id: context.treatment.id.clone(),
        token_hash: hash_token(&token),
        purpose: LinkPurpose::Calendar,
        expires_at: now + ttl,
    };
    let protocol = context.protocol(&state).await?;
    let link = state.store().create_patient_link(&new, &[], now).await?;
    tracing::info!(treatment_id = %context.treatment.id, link_id = %link.id, "calendar link issued");
    let https = format!(
        "{}/feed/{token}.ics{}",
        state.public_url(),
        if reapply { "?reapply=1" } else { "" }
    );
    let webcal = match https.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https.clone(),
    };
    Ok(render_status(
        StatusCode::CREATED,
        &CalendarPage {
            nav: context.nav("calendar"),
            expires: Some(context.view.local(link.expires_at)),
            urls: Some(FeedUrls { webcal, https }),
            reapply,
            day: context.day_label(&state),
            reminders: ReminderWords::of(&feed_schedule(), &protocol),
        },
    ))
}
