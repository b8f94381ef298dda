//! The patient side, reached through a patient link (`/p/{token}/…`) without an account:
//! Today, the full plan, the printable plan, the check-in form and its result, the product
//! checker, and the FAQ with the myths. Pages work without JavaScript.
//!
//! A link opens exactly one treatment: every page derives the treatment from the link, and a
//! check-in id from another treatment is "not found". An unknown link is 404; an expired or
//! revoked one is 410 with a message saying so. Either is refused before anything is read.

use aftercare_core::{
    Hours,
    instant::{format_local, format_local_date},
    plan::{Plan, PlanDay, PlannedRestriction, SourcedText, generate_plan},
    protocol::Protocol,
    triage::Level,
};
use aftercare_store::{ClinicRow, LinkPurpose, PatientLinkRow, TreatmentRow, hash_token};
use axum::{
    Router,
    extract::{FromRequestParts, Path, RawPathParams, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use std::sync::Arc;

use crate::{
    auth::token::is_well_formed,
    chart,
    check_ins::{self, CheckInFailure, QUESTIONS, RATED},
    error::AppError,
    extract::FormData,
    products,
    routes::clinic::words,
    state::AppState,
    treatments::TreatmentView,
    views::{
        FieldErrors, PatientNav,
        clinic::{Choice, LevelView},
        patient::{
            CheckInPage, CheckInResultPage, ContactView, DayView, FaqPage, FaqView, NoticesView,
            PlanPage, QuestionGroupView, RatingView, ReasonView, RestrictionView, SourcedView,
            StepView, TodayPage, WeekView,
        },
        render, render_status,
    },
};

/// Days shown on the full plan at least (the guide's first two weeks).
const PLAN_DAYS: u32 = 14;

/// The patient routes (the caller adds the rate limit).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/p/{token}", get(today))
        .route("/p/{token}/plan", get(plan))
        .route("/p/{token}/print", get(print))
        .route("/p/{token}/faq", get(faq))
        .route(
            "/p/{token}/check-in",
            get(check_in_form).post(submit_check_in),
        )
        .route("/p/{token}/check-ins/{id}", get(check_in_result))
        .route(
            "/p/{token}/products",
            get(products::page).post(products::check),
        )
}

/// What a valid patient link opens: its treatment and clinic.
#[derive(Debug, Clone)]
pub struct PatientContext {
    /// The link's token (64 hex digits).
    pub token: String,
    /// The link.
    pub link: PatientLinkRow,
    /// Its treatment.
    pub treatment: TreatmentRow,
    /// The treatment's clinic.
    pub clinic: ClinicRow,
    /// The treatment as the core's types.
    pub view: TreatmentView,
}

fn link_not_working() -> AppError {
    AppError::Missing(
        "This link does not open a plan: it may have been copied incompletely, have expired, or \
         been withdrawn by your clinic. Ask your clinic for a new link. In an emergency, call \
         your local emergency number."
            .into(),
    )
}

/// A link that worked and no longer does: why, and what to do.
fn link_gone(link: &PatientLinkRow) -> AppError {
    let why = if link.revoked_at.is_some() {
        "Your clinic has replaced or withdrawn this link."
    } else {
        "This link has expired."
    };
    AppError::Gone(format!(
        "{why} Ask your clinic for a new link. In an emergency, call your local emergency number."
    ))
}

impl FromRequestParts<AppState> for PatientContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| link_not_working())?;
        let token = params
            .iter()
            .find(|(name, _)| *name == "token")
            .map(|(_, value)| value.to_owned())
            .filter(|token| is_well_formed(token))
            .ok_or_else(link_not_working)?;
        let store = state.store();
        let hash = hash_token(&token);
        let Some(link) = store
            .find_patient_link(&hash, state.now())
            .await?
            .filter(|link| link.purpose == LinkPurpose::Patient)
        else {
            return Err(match store.lookup_patient_link(&hash).await? {
                Some(link) if link.purpose == LinkPurpose::Patient => link_gone(&link),
                _ => link_not_working(),
            });
        };
        let treatment = store
            .get_treatment(&link.clinic_id, &link.treatment_id)
            .await?
            .ok_or_else(link_not_working)?;
        let clinic = store
            .find_clinic(&link.clinic_id)
            .await?
            .ok_or_else(link_not_working)?;
        let view = TreatmentView::of(&treatment)?;
        Ok(PatientContext {
            token,
            link,
            treatment,
            clinic,
            view,
        })
    }
}

impl PatientContext {
    /// The navigation bar.
    pub fn nav(&self, active: &'static str) -> PatientNav {
        PatientNav {
            token: self.token.clone(),
            clinic_name: self.clinic.name.clone(),
            clinic_phone: self.clinic.phone.clone(),
            emergency_number: self.clinic.emergency_number.clone(),
            active,
        }
    }

    /// The treatment's protocol.
    ///
    /// # Errors
    /// When a stored protocol no longer loads.
    pub async fn protocol(&self, state: &AppState) -> Result<Arc<Protocol>, AppError> {
        state
            .protocols()
            .of_treatment(state.store(), &self.treatment)
            .await
    }

    /// Hours since the treatment now (`None` before it).
    pub fn hours_now(&self, state: &AppState) -> Option<Hours> {
        self.view.hours_at(state.clock().now())
    }

    /// "Day 3", or when the treatment is.
    pub fn day_label(&self, state: &AppState) -> String {
        self.view.day_label(state.clock().now())
    }

    /// The plan for `days` days.
    ///
    /// # Errors
    /// Internal when the plan cannot be made (the day count is bounded here).
    pub fn plan(&self, protocol: &Protocol, days: u32) -> Result<Plan, AppError> {
        generate_plan(
            protocol,
            &self.view.treated_at,
            &self.view.profile,
            days.clamp(1, aftercare_core::plan::MAX_PLAN_DAYS),
        )
        .map_err(|e| AppError::internal(anyhow::anyhow!("plan: {e}")))
    }
}

fn sourced(text: &SourcedText) -> SourcedView {
    SourcedView {
        text: text.text.clone(),
        source: text.source.clone(),
    }
}

fn notices(plan: &Plan) -> NoticesView {
    NoticesView {
        emergency: sourced(&plan.notices.emergency),
        contact: sourced(&plan.notices.contact),
        disclaimer: sourced(&plan.notices.disclaimer),
    }
}

fn step_name(id: &str) -> String {
    match id {
        "moisturise" => "Moisturise".into(),
        other => words(other),
    }
}

/// When a recovery day runs, in local time (CONTRACT §1: every boundary as a local date and
/// time): "Thu 26 Nov 2026" when it starts at midnight, otherwise its first and last moments,
/// "Thu 26 Nov, 08:10 – Fri 27 Nov, 08:10", so that a day that began yesterday is not given
/// yesterday's date alone.
fn day_window(day: &PlanDay) -> String {
    let local = |rfc3339: &str| rfc3339.parse::<jiff::civil::DateTime>().ok();
    match (local(&day.starts), local(&day.ends)) {
        (Some(starts), _) if starts.time() == jiff::civil::Time::midnight() => {
            starts.strftime("%a %-d %b %Y").to_string()
        }
        (Some(starts), Some(ends)) => format!(
            "{} – {}",
            starts.strftime("%a %-d %b, %H:%M"),
            ends.strftime("%a %-d %b, %H:%M")
        ),
        _ => day.date.clone(),
    }
}

fn day_view(plan: &Plan, day: &PlanDay, today: Option<u32>) -> DayView {
    let name_of = |id: &String| {
        plan.restrictions
            .iter()
            .find(|r| &r.id == id)
            .map_or_else(|| words(id), |r| r.name.clone())
    };
    let date = day_window(day);
    let steps = |steps: &[aftercare_core::plan::PlanStep]| {
        steps
            .iter()
            .map(|s| StepView {
                step: step_name(s.step),
                text: s.text.clone(),
                source: s.source.clone(),
            })
            .collect()
    };
    DayView {
        day: day.day,
        date,
        phase: day.phase_name.clone(),
        am: steps(&day.am),
        pm: steps(&day.pm),
        expect: day.details.expect.iter().map(sourced).collect(),
        avoid: day.firmly_avoided().iter().map(name_of).collect(),
        better_later: day.better_later.iter().map(name_of).collect(),
        tips: day.details.tips.iter().map(sourced).collect(),
        milestones: day.details.milestones.iter().map(sourced).collect(),
        is_today: today == Some(day.day),
    }
}

fn restriction_view(
    context: &PatientContext,
    restriction: &PlannedRestriction,
    now: Option<Hours>,
) -> RestrictionView {
    let tz = context.view.treated_at.time_zone().clone();
    let instant = context.view.treated_at.timestamp();
    let earliest = format_local(&restriction.earliest_hours.after(instant, &tz));
    let soft = restriction.earliest_hours < restriction.until_hours;
    let until = match now {
        Some(now) if soft && now >= restriction.earliest_hours => {
            format!(
                "possible now, but better wait until {}",
                restriction.until_local
            )
        }
        _ if soft => format!(
            "not before {earliest}; better wait until {}",
            restriction.until_local
        ),
        _ => format!("until {}", restriction.until_local),
    };
    RestrictionView {
        name: restriction.name.clone(),
        until,
        reason: restriction.reason.clone(),
        after: restriction.after.clone(),
        source: restriction.source.clone(),
    }
}

async fn today(
    State(state): State<AppState>,
    context: PatientContext,
) -> Result<Response, AppError> {
    let protocol = context.protocol(&state).await?;
    let hours = context.hours_now(&state);
    let current_day = hours.map_or(1, Hours::day);
    let plan = context.plan(&protocol, current_day.max(1))?;
    let index = usize::try_from(current_day.saturating_sub(1))
        .unwrap_or(0)
        .min(plan.days.len().saturating_sub(1));
    let day = plan
        .days
        .get(index)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("empty plan")))?;
    let phase_summary = protocol
        .phases
        .iter()
        .find(|p| p.id == day.phase)
        .map(|p| p.summary.clone())
        .unwrap_or_default();
    // Still in force now: firmly off-limits, or already possible but better later (peptides
    // on days 3-7), each in its own list.
    let (better_later, off_limits): (Vec<_>, Vec<_>) = plan
        .restrictions
        .iter()
        .filter(|r| hours.is_none_or(|h| r.until_hours > h))
        .partition(|r| hours.is_some_and(|h| r.earliest_hours <= h));
    let better_later = better_later
        .into_iter()
        .map(|r| restriction_view(&context, r, hours))
        .collect();
    let off_limits = off_limits
        .into_iter()
        .map(|r| restriction_view(&context, r, hours))
        .collect();
    let check_in_rows = state
        .store()
        .list_check_ins(&context.treatment.clinic_id, &context.treatment.id)
        .await?;
    let last_check_in = check_in_rows.last().map(|c| LevelView::of(c.level));
    let (chart, unreadable) = chart::chart_of(&check_in_rows, &context.view, &protocol);
    let shelf =
        crate::routes::shelf::today_view(&state, &context, &protocol, hours, &check_in_rows)
            .await?;
    let page = TodayPage {
        nav: context.nav("today"),
        not_started: hours
            .is_none()
            .then(|| format_local(&context.view.treated_at)),
        day: day_view(&plan, day, hours.map(Hours::day)),
        phase_summary,
        off_limits,
        better_later,
        skin_advice: plan.skin_advice.iter().map(sourced).collect(),
        last_check_in,
        shelf,
        chart: chart::ChartView::of(&chart, unreadable, chart::Audience::Patient),
        notices: notices(&plan),
    };
    Ok(render(&page))
}

async fn plan_page(
    state: &AppState,
    context: &PatientContext,
    printable: bool,
) -> Result<Response, AppError> {
    let protocol = context.protocol(state).await?;
    let hours = context.hours_now(state);
    let days = hours.map_or(PLAN_DAYS, |h| h.day().saturating_add(7).max(PLAN_DAYS));
    let plan = context.plan(&protocol, days)?;
    let next_session = jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%:z", &plan.next_session.at)
        .map(|ts| {
            format_local_date(&ts.to_zoned_datetime(context.view.treated_at.time_zone().clone()))
        })
        .unwrap_or_else(|_| plan.next_session.at.clone());
    let page = PlanPage {
        nav: context.nav(if printable { "print" } else { "plan" }),
        patient_label: context.treatment.patient_label.clone(),
        treated: context.view.treated_label(),
        protocol: format!(
            "{} (version {})",
            plan.protocol.title, plan.protocol.version
        ),
        restrictions: plan
            .restrictions
            .iter()
            .map(|r| restriction_view(context, r, None))
            .collect(),
        weeks: WeekView::group(
            plan.days
                .iter()
                .map(|d| day_view(&plan, d, hours.map(Hours::day)))
                .collect(),
        ),
        application: plan.application.iter().map(sourced).collect(),
        skin_advice: plan.skin_advice.iter().map(sourced).collect(),
        next_session: format!(
            "Your next session is suggested about {} weeks after this one: around {} ({}).",
            plan.next_session.interval_weeks, next_session, plan.next_session.source
        ),
        notices: notices(&plan),
        printable,
    };
    Ok(render(&page))
}

async fn plan(
    State(state): State<AppState>,
    context: PatientContext,
) -> Result<Response, AppError> {
    plan_page(&state, &context, false).await
}

async fn print(
    State(state): State<AppState>,
    context: PatientContext,
) -> Result<Response, AppError> {
    plan_page(&state, &context, true).await
}

async fn faq(State(state): State<AppState>, context: PatientContext) -> Result<Response, AppError> {
    let protocol = context.protocol(&state).await?;
    let page = FaqPage {
        nav: context.nav("faq"),
        faq: protocol
            .faq
            .iter()
            .map(|f| FaqView {
                question: f.question.clone(),
                answer: f.answer.clone(),
                source: f.source.citation.clone(),
            })
            .collect(),
        myths: protocol
            .myths
            .iter()
            .map(|m| FaqView {
                question: m.myth.clone(),
                answer: m.fact.clone(),
                source: m.source.citation.clone(),
            })
            .collect(),
    };
    Ok(render(&page))
}

fn check_in_page(
    state: &AppState,
    context: &PatientContext,
    values: &check_ins::CheckInValues,
    errors: FieldErrors,
) -> CheckInPage {
    let groups = QUESTIONS
        .iter()
        .map(|group| QuestionGroupView {
            id: group.id,
            legend: group.legend.to_owned(),
            emergency: group.emergency,
            items: group
                .symptoms
                .iter()
                .map(|(id, label)| Choice {
                    value: (*id).to_owned(),
                    label: (*label).to_owned(),
                    selected: values.symptoms.iter().any(|s| s == id),
                })
                .collect(),
        })
        .collect();
    let ratings = RATED
        .iter()
        .map(|(id, question)| RatingView {
            field: format!("rating_{id}"),
            question,
            value: values.ratings.get(*id).cloned().unwrap_or_default(),
        })
        .collect();
    let discharge_now = if values.discharge.is_empty() {
        "none"
    } else {
        values.discharge.as_str()
    };
    let discharge = [
        ("none", "No"),
        ("clear", "Yes, clear fluid"),
        ("yellow", "Yes, yellow fluid"),
        ("green", "Yes, green fluid"),
    ]
    .iter()
    .map(|(value, label)| Choice {
        value: (*value).into(),
        label: (*label).into(),
        selected: *value == discharge_now,
    })
    .collect();
    CheckInPage {
        nav: context.nav("check-in"),
        day: context.day_label(state),
        groups,
        ratings,
        temperature: values.temperature.clone(),
        discharge,
        errors,
    }
}

async fn check_in_form(State(state): State<AppState>, context: PatientContext) -> Response {
    render(&check_in_page(
        &state,
        &context,
        &check_ins::CheckInValues::default(),
        FieldErrors::default(),
    ))
}

async fn submit_check_in(
    State(state): State<AppState>,
    context: PatientContext,
    form: FormData,
) -> Result<Response, AppError> {
    let (values, parts) = check_ins::read_form(&form);
    let failed = |errors: FieldErrors| {
        render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &check_in_page(&state, &context, &values, errors),
        )
    };
    let parts = match parts {
        Ok(parts) => parts,
        Err(errors) => return Ok(failed(errors)),
    };
    let protocol = context.protocol(&state).await?;
    match check_ins::record(
        &state,
        &context.treatment,
        &protocol,
        parts,
        state.clock().now(),
    )
    .await
    {
        Ok((recorded, _)) => Ok(Redirect::to(&format!(
            "/p/{}/check-ins/{}",
            context.token, recorded.check_in.id
        ))
        .into_response()),
        Err(CheckInFailure::Input(errors)) => Ok(failed(errors)),
        Err(CheckInFailure::App(error)) => Err(error),
    }
}

async fn check_in_result(
    State(state): State<AppState>,
    context: PatientContext,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let row = state
        .store()
        .get_check_in(&context.treatment.clinic_id, &id)
        .await?
        .filter(|row| row.treatment_id == context.treatment.id)
        .ok_or(AppError::NotFound)?;
    let protocol = context.protocol(&state).await?;
    let result = check_ins::stored_result(&row)?;
    let level: Level = row
        .level
        .as_str()
        .parse()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let guidance = protocol.triage.guidance(level);
    let reasons = result
        .reasons
        .iter()
        .map(|reason| ReasonView {
            level: reason
                .level
                .parse::<aftercare_store::CheckInLevel>()
                .map_or(LevelView::of(row.level), LevelView::of),
            message: reason.message.clone(),
            source: reason.source.clone(),
        })
        .collect();
    let contact = if row.level == aftercare_store::CheckInLevel::Expected {
        None
    } else {
        let practitioner = state
            .store()
            .find_user(
                &context.treatment.clinic_id,
                &context.treatment.practitioner_id,
            )
            .await?
            .map_or_else(|| "Your practitioner".to_owned(), |u| u.display_name);
        Some(ContactView {
            practitioner,
            clinic: context.clinic.name.clone(),
            phone: context.clinic.phone.clone(),
            email: context.clinic.email.clone(),
            address: context.clinic.address.clone(),
        })
    };
    let page = CheckInResultPage {
        nav: context.nav("check-in"),
        at: context.view.local(row.at),
        level: LevelView::of(row.level),
        headline: guidance.label.clone(),
        action: guidance.action.clone(),
        reasons,
        advice: result.advice,
        contact,
        emergency: SourcedView {
            text: protocol.notices.emergency.text.clone(),
            source: protocol.notices.emergency.source.citation.clone(),
        },
    };
    Ok(render(&page))
}
