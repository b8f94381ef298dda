//! The product checker on the web: a patient pastes an ingredient list and gets the verdict
//! for today (CONTRACT §4) and the date it becomes fine, computed by `aftercare-core`'s
//! checker with the treatment's protocol and skin types; and the stateless
//! `POST /api/v1/check`.
//!
//! An unrecognised ingredient is "unknown", never "fine". Nothing is stored.

use aftercare_core::{
    Hours,
    inci::{
        CheckTime, Checker, MatchMemo, Product, ProductCheck, ProductType,
        kb::KnowledgeBase,
        render::{left_out_text, placement_note, verdict_line},
    },
    instant::{parse_instant, parse_time_zone},
    profile::{Profile, SkinType},
};
use axum::{
    Json,
    extract::State,
    http::StatusCode,
    response::{IntoResponse as _, Response},
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    error::{ApiError, AppError, ErrorResponse},
    extract::{ApiJson, FormData},
    protocols,
    routes::{clinic::words, patient::PatientContext},
    state::AppState,
    treatments::sentence,
    views::{
        FieldErrors,
        clinic::Choice,
        patient::{IngredientView, ProductResultView, ProductRuleView, ProductsPage},
        render, render_status,
    },
};

fn type_choices(selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: "Not sure / other".into(),
        selected: selected.is_empty(),
    }];
    list.extend(
        ProductType::ALL
            .iter()
            .filter(|t| **t != ProductType::Other)
            .map(|t| Choice {
                value: t.id().into(),
                label: words(t.id()),
                selected: t.id() == selected,
            }),
    );
    list
}

/// The checker's view of a check, for the page.
fn result_view(check: &ProductCheck<'_>) -> ProductResultView {
    let ingredients = check
        .ingredients
        .iter()
        .map(|ingredient| {
            let part = ingredient.part();
            IngredientView {
                input: check.input(ingredient).to_owned(),
                name: part.known.as_ref().map_or_else(
                    || "not recognised".to_owned(),
                    |known| known.name.to_string(),
                ),
                categories: ingredient
                    .categories
                    .iter()
                    .map(|c| words(c.id()))
                    .collect::<Vec<_>>()
                    .join(", "),
                status: ingredient.ruling.status.id().to_owned(),
                reason: match placement_note(check, ingredient) {
                    Some(note) => format!("{} {note}", ingredient.ruling.reason()),
                    None => ingredient.ruling.reason().into_owned(),
                },
                source: ingredient.ruling.source().map(str::to_owned),
            }
        })
        .collect();
    let product_rules = check
        .product_rules
        .iter()
        .map(|rule| ProductRuleView {
            name: rule.restriction.name.clone(),
            status: rule.ruling.status.id().to_owned(),
            reason: rule.ruling.reason().into_owned(),
            source: rule.restriction.source.citation.clone(),
        })
        .collect();
    ProductResultView {
        verdict: check.verdict.id().to_owned(),
        headline: verdict_line(check),
        product_rules,
        ingredients,
        left_out: left_out_text(check),
    }
}

/// `GET /p/{token}/products`.
pub async fn page(State(state): State<AppState>, context: PatientContext) -> Response {
    render(&ProductsPage {
        nav: context.nav("products"),
        day: context.day_label(&state),
        text: String::new(),
        types: type_choices(""),
        errors: FieldErrors::default(),
        result: None,
    })
}

/// `POST /p/{token}/products`: the verdict for now.
///
/// # Errors
/// Store failures (loading the protocol).
pub async fn check(
    State(state): State<AppState>,
    context: PatientContext,
    form: FormData,
) -> Result<Response, AppError> {
    let text = form.raw("ingredients").unwrap_or("").to_owned();
    let type_id = form.text("type").unwrap_or("").to_owned();
    let mut errors = FieldErrors::default();
    let product_type = if type_id.is_empty() {
        None
    } else {
        ProductType::parse_id(&type_id)
            .map_err(|e| errors.add("type", sentence(&e.to_string())))
            .ok()
    };
    let protocol = context.protocol(&state).await?;
    let checker = crate::shelf::checker(&protocol, &context.view);
    let treated_at = context.view.treated_at.clone();
    let now = state.clock().now();
    let time = CheckTime::between(treated_at.clone(), now).unwrap_or(CheckTime {
        hours: Some(Hours::ZERO),
        treated_at: Some(treated_at),
        at: None,
    });
    let result = if errors.is_empty() {
        let about = Product {
            product_type,
            name: None,
        };
        match with_memo(|memo| {
            checker
                .check_with(&text, &about, &time, memo)
                .map(|check| result_view(&check))
        }) {
            Ok(view) => Some(view),
            Err(error) => {
                errors.add("ingredients", sentence(&error.to_string()));
                None
            }
        }
    } else {
        None
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render_status(
        status,
        &ProductsPage {
            nav: context.nav("products"),
            day: context.day_label(&state),
            text,
            types: type_choices(&type_id),
            errors,
            result,
        },
    ))
}

/// Skin types as one id or a list.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum SkinInput {
    /// One skin type.
    One(String),
    /// Several.
    Many(Vec<String>),
}

/// An ingredient check (CONTRACT §4, the flags of `aftercare check` as JSON). Give at most
/// one of `hours`, `day` and `treated_at`; with none, the answer covers the whole recovery.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "a check request (a JSON object)")]
pub struct CheckRequest {
    /// The ingredient list as printed on the label (at most 64 KiB).
    #[schema(example = "Aqua, Glycerin, Sodium Hyaluronate, Retinol, Parfum")]
    pub ingredients: String,
    /// Hours since the treatment.
    #[serde(default)]
    pub hours: Option<u32>,
    /// Recovery day (1-based).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub day: Option<u32>,
    /// The treatment instant (RFC 3339, or `YYYY-MM-DD HH:MM` with `tz`).
    #[serde(default)]
    pub treated_at: Option<String>,
    /// The moment of use (default: now).
    #[serde(default)]
    pub at: Option<String>,
    /// IANA time zone for local times and for `usable_from`.
    #[serde(default)]
    pub tz: Option<String>,
    /// Skin type(s): `dry`, `oily`, `acne_prone`, `sensitive`, `normal`.
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::skin_type_or_list)]
    pub skin: Option<SkinInput>,
    /// Product type: `cleanser`, `toner`, `serum`, `moisturizer`, `sunscreen`, `makeup`, …
    #[serde(default, rename = "type")]
    #[schema(schema_with = crate::api::schema::product_type)]
    pub product_type: Option<String>,
}

fn check_time(request: &CheckRequest, now: jiff::Timestamp) -> Result<CheckTime, AppError> {
    let given = [
        request.hours.is_some(),
        request.day.is_some(),
        request.treated_at.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(AppError::Invalid(
            "give at most one of hours, day and treated_at".into(),
        ));
    }
    let invalid =
        |field: &str, e: &dyn std::fmt::Display| AppError::Invalid(format!("{field}: {e}"));
    if let Some(hours) = request.hours {
        return Ok(CheckTime::hours(Hours(hours)));
    }
    if let Some(day) = request.day {
        return CheckTime::day(day).map_err(|e| invalid("day", &e));
    }
    let Some(treated_at) = &request.treated_at else {
        if request.at.is_some() {
            return Err(AppError::Invalid("at: give treated_at with it".into()));
        }
        return Ok(CheckTime::WHOLE_RECOVERY);
    };
    let tz = request
        .tz
        .as_deref()
        .map(parse_time_zone)
        .transpose()
        .map_err(|e| invalid("tz", &e))?;
    let treated_at =
        parse_instant(treated_at, tz.as_ref()).map_err(|e| invalid("treated_at", &e))?;
    let at = match &request.at {
        Some(at) => parse_instant(at, tz.as_ref())
            .map_err(|e| invalid("at", &e))?
            .timestamp(),
        None => now,
    };
    CheckTime::between(treated_at, at).map_err(|e| invalid("at", &e))
}

/// The verdict on a product's ingredient list.
///
/// Answers CONTRACT §4: `verdict` (`ok`, `caution`, `wait`, `unknown`), `usable_from_hours`,
/// `usable_from` (when the treatment time is known), `categories`, and each ingredient with
/// its `status`, `reason` and `source`. An unrecognised ingredient is `unknown`, never fine.
#[utoipa::path(
    post,
    path = "/api/v1/check",
    tag = "stateless",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The verdict (CONTRACT §4)", body = serde_json::Value),
        (status = 400, description = "Not JSON", body = ErrorResponse),
        (status = 422, description = "An empty or binary list, an unknown skin or product type, a bad time…", body = ErrorResponse),
    )
)]
pub async fn check_api(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CheckRequest>,
) -> Result<Response, ApiError> {
    let time = check_time(&request, state.clock().now())?;
    let skin_ids = match &request.skin {
        None => Vec::new(),
        Some(SkinInput::One(id)) => vec![id.clone()],
        Some(SkinInput::Many(ids)) => ids.clone(),
    };
    let skin = skin_ids
        .iter()
        .map(|id| {
            id.parse::<SkinType>()
                .map_err(|e| AppError::Invalid(format!("skin: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let product_type = request
        .product_type
        .as_deref()
        .map(|t| ProductType::parse_id(t).map_err(|e| AppError::Invalid(format!("type: {e}"))))
        .transpose()?;
    let protocol = protocols::builtin();
    let profile = Profile {
        skin,
        ..Profile::default()
    };
    let checker = Checker::new(KnowledgeBase::embedded(), &protocol, &profile);
    let about = Product {
        product_type,
        name: None,
    };
    let response = with_memo(|memo| {
        let check = checker
            .check_with(&request.ingredients, &about, &time, memo)
            .map_err(|e| AppError::Invalid(format!("ingredients: {e}")))?;
        // Serialised straight from the borrowed verdict: no intermediate JSON value.
        Ok::<_, AppError>(Json(&check).into_response())
    })?;
    Ok(response)
}

/// How many distinct ingredient names a worker thread remembers before it starts afresh: a
/// bound on memory (a few MiB) whatever the requests send.
const MEMO_LIMIT: usize = 20_000;

thread_local! {
    /// Each runtime worker thread's memo of matched names. Matching depends only on the
    /// embedded knowledge base, never on the request, so sharing it between requests is safe
    /// and makes the common names of every label cost one hash look-up.
    static MEMO: std::cell::RefCell<MatchMemo> = std::cell::RefCell::new(MatchMemo::new());
}

/// Runs `work` with this thread's memo (the work is synchronous: it never holds the memo across
/// an `.await`).
fn with_memo<R>(work: impl FnOnce(&mut MatchMemo) -> R) -> R {
    MEMO.with(|cell| {
        let mut memo = cell.borrow_mut();
        if memo.len() > MEMO_LIMIT {
            *memo = MatchMemo::new();
        }
        work(&mut memo)
    })
}
