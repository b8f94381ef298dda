//! "Find a Practitioner" pages: the public search (`/practitioners`, no sign-in, works
//! without JavaScript; `/static/near-me.js`, served with the other assets, adds "Use my location"), a practitioner's own
//! directory profile (`/clinic/directory`) and the clinic admin's approvals
//! (`/clinic/directory/profiles`).
//!
//! Every check and the search itself are the core's (`SearchQuery::parse`,
//! `PractitionerProfile::from_spec`, `Directory::search`); this module reads forms and
//! query strings, and renders. A search mistake is a 400 page that says what is wrong and,
//! for a city name, offers the candidates or suggestions as links.

use aftercare_core::geo::{
    City, DistanceUnit, Gazetteer, PractitionerProfile, PractitionerSpec, ProfileError,
    SearchError, SearchParams, SearchQuery, SearchResults, Service, gazetteer::CityLookup,
    practitioner::CoordinatesSource, search::MAX_RADIUS_KM,
};
use aftercare_store::{NewPractitionerProfile, PractitionerProfileRow, StoreError};
use axum::{
    Router,
    extract::{Path, Query, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};

use crate::{
    auth::{AdminUser, CurrentUser},
    directory::{profile_from_row, spec_from_row},
    error::AppError,
    extract::FormData,
    routes::{auth::FlashQuery, clinic::clinic_nav},
    security::ScriptedPage,
    state::AppState,
    treatments::sentence,
    views::{
        FieldErrors,
        clinic::Choice,
        directory::{
            ApprovalView, ApprovalsPage, PlaceLink, ProfileForm, ProfilePage, ResultView,
            SearchPage,
        },
        render, render_status,
    },
};

/// The directory routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/practitioners", get(search_page))
        .route("/clinic/directory", get(profile_page).post(save_profile))
        .route("/clinic/directory/delete", post(delete_profile))
        .route("/clinic/directory/profiles", get(approvals_page))
        .route("/clinic/directory/profiles/{id}/approve", post(approve))
        .route("/clinic/directory/profiles/{id}/unapprove", post(unapprove))
}

/// Confirmations of this module's redirects (fixed texts, never user input).
fn flash(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "saved" => Some("Your directory profile was saved."),
        "deleted" => Some("Your directory profile was deleted."),
        "approved" => Some("The profile was approved: it is public if the practitioner opted in."),
        "unapproved" => Some("The approval was withdrawn: the profile is no longer public."),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// The public search
// ---------------------------------------------------------------------------------------

/// The page's query string as [`SearchParams`]: `radius` with `unit` (`km` or `mi`), as
/// the form sends them, or the API's `radius_km` / `radius_mi`.
fn page_params(query: &FormData) -> SearchParams {
    let owned = |name: &str| query.text(name).map(str::to_owned);
    let mut params = SearchParams {
        near: owned("near"),
        radius_km: owned("radius_km"),
        radius_mi: owned("radius_mi"),
        service: owned("service"),
        limit: owned("limit"),
    };
    if let Some(radius) = owned("radius") {
        match query.text("unit").unwrap_or("km") {
            "mi" => params.radius_mi = Some(radius),
            _ => params.radius_km = Some(radius),
        }
    }
    params
}

/// "2.4 km", "1.5 miles".
fn distance(km: f64, unit: DistanceUnit) -> String {
    format!("{:.1} {}", unit.from_km(km), unit.word())
}

fn result_view(results: &SearchResults<'_>) -> Vec<ResultView> {
    let unit = results.query.radius.unit;
    results
        .results
        .iter()
        .map(|hit| {
            let p = hit.practitioner;
            ResultView {
                display_name: p.display_name.clone(),
                clinic: p.clinic.clone(),
                address: match &p.address {
                    Some(address) => format!("{address}, {}, {}", p.city, p.country),
                    None => format!("{}, {}", p.city, p.country),
                },
                distance: distance(hit.distance_km, unit),
                services: p.services.iter().map(|s| s.name()).collect(),
                credentials: p.credentials.clone(),
                licence: p
                    .licence
                    .as_ref()
                    .map(|l| format!("{}, issued by {}", l.number, l.issuer)),
                phone: p.phone.clone(),
                website: p.website.clone(),
                booking_url: p.booking_url.clone(),
            }
        })
        .collect()
}

fn summary(results: &SearchResults<'_>) -> String {
    let query = &results.query;
    let offering = query
        .service
        .map(|s| format!(" offering {}", s.name()))
        .unwrap_or_default();
    let place = query.origin.label();
    let radius = query.radius.label();
    match results.results.len() {
        0 => format!(
            "No practitioner{offering} within {radius} of {place}. Try a larger radius (up to {MAX_RADIUS_KM} km){}.",
            if query.service.is_some() {
                " or another service"
            } else {
                ""
            }
        ),
        1 => format!("1 practitioner{offering} within {radius} of {place}."),
        n => format!("{n} practitioners{offering} within {radius} of {place}, nearest first."),
    }
}

/// What to put in `near=` to search from `city`: its label when that finds exactly this
/// city again, else its coordinates.
pub fn near_text(city: &City, gazetteer: &Gazetteer) -> String {
    let label = city.label();
    match gazetteer.lookup(&label) {
        CityLookup::Found { city: found, .. } if found.geoname_id == city.geoname_id => label,
        _ => city.coordinates.to_string(),
    }
}

fn place_links(cities: &[City], form: &FormData, gazetteer: &Gazetteer) -> Vec<PlaceLink> {
    cities
        .iter()
        .map(|city| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("near", &near_text(city, gazetteer));
            for key in [
                "radius",
                "unit",
                "radius_km",
                "radius_mi",
                "service",
                "limit",
            ] {
                if let Some(value) = form.text(key) {
                    query.append_pair(key, value);
                }
            }
            PlaceLink {
                label: city.label_with_population(),
                href: format!("/practitioners?{}", query.finish()),
            }
        })
        .collect()
}

fn unit_choices(selected: &str) -> Vec<Choice> {
    [("km", "km"), ("mi", "miles")]
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.into(),
            label: label.into(),
            selected: value == selected,
        })
        .collect()
}

fn service_choices(selected: &str) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: "Any service".into(),
        selected: selected.is_empty(),
    }];
    list.extend(Service::ALL.iter().map(|s| Choice {
        value: s.id().into(),
        label: s.name().into(),
        selected: s.id() == selected,
    }));
    list
}

/// `GET /practitioners`.
async fn search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let gazetteer = Gazetteer::embedded();
    let form = FormData::parse(raw.unwrap_or_default().as_bytes())?;
    let unit = match (form.text("unit"), form.text("radius_mi")) {
        (Some("mi"), _) | (None, Some(_)) => "mi",
        _ => "km",
    };
    let mut page = SearchPage {
        near: form.raw("near").unwrap_or("").chars().take(300).collect(),
        radius: form
            .text("radius")
            .or_else(|| form.text("radius_km"))
            .or_else(|| form.text("radius_mi"))
            .unwrap_or("50")
            .chars()
            .take(40)
            .collect(),
        units: unit_choices(unit),
        services: service_choices(form.text("service").unwrap_or("")),
        error: None,
        places_heading: None,
        places: Vec::new(),
        summary: None,
        results: Vec::new(),
        attribution: aftercare_core::geo::gazetteer::ATTRIBUTION,
    };
    let status = if form.raw("near").is_none() {
        StatusCode::OK
    } else {
        match SearchQuery::parse(&page_params(&form), gazetteer) {
            Ok(query) => {
                let snapshot = state.directory().current(state.store()).await?;
                let results = snapshot.directory.search(&query);
                page.summary = Some(summary(&results));
                page.results = result_view(&results);
                StatusCode::OK
            }
            Err(error) => {
                match &error {
                    SearchError::AmbiguousCity { candidates, .. } => {
                        page.places_heading = Some("Which one do you mean?");
                        page.places = place_links(candidates, &form, gazetteer);
                    }
                    SearchError::UnknownCity { suggestions, .. } if !suggestions.is_empty() => {
                        page.places_heading = Some("Did you mean:");
                        page.places = place_links(suggestions, &form, gazetteer);
                    }
                    _ => {}
                }
                page.error = Some(sentence(&error.to_string()));
                StatusCode::BAD_REQUEST
            }
        }
    };
    let mut response = render_status(status, &page);
    response.extensions_mut().insert(ScriptedPage);
    Ok(response)
}

// ---------------------------------------------------------------------------------------
// A practitioner's own profile
// ---------------------------------------------------------------------------------------

fn services_of(row: &PractitionerProfileRow) -> Vec<String> {
    serde_json::from_str(&row.services).unwrap_or_default()
}

fn form_of(row: &PractitionerProfileRow) -> ProfileForm {
    let credentials: Vec<String> = serde_json::from_str(&row.credentials).unwrap_or_default();
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    ProfileForm {
        display_name: row.display_name.clone(),
        clinic_name: text(&row.clinic_name),
        address: text(&row.address),
        city: row.city.clone(),
        country: row.country.clone(),
        latitude: row.latitude.map(|v| v.to_string()).unwrap_or_default(),
        longitude: row.longitude.map(|v| v.to_string()).unwrap_or_default(),
        credentials: credentials.join("\n"),
        licence_number: text(&row.licence_number),
        licence_issuer: text(&row.licence_issuer),
        phone: text(&row.phone),
        website: text(&row.website),
        booking_url: text(&row.booking_url),
        opted_in: row.opted_in,
    }
}

fn service_checkboxes(selected: &[String]) -> Vec<Choice> {
    Service::ALL
        .iter()
        .map(|s| Choice {
            value: s.id().into(),
            label: s.name().into(),
            selected: selected.iter().any(|id| id == s.id()),
        })
        .collect()
}

/// Where a stored profile stands, in words.
fn status_of(row: &PractitionerProfileRow, disabled: bool) -> String {
    match (row.opted_in, row.approved_at.is_some()) {
        _ if disabled => "Not listed: your account is disabled.".into(),
        (true, true) => "Public: your profile is listed in Find a practitioner.".into(),
        (true, false) => "Waiting for approval: an admin of your clinic must approve your profile before it is listed.".into(),
        (false, true) => "Not listed: approved by your clinic, but you have not opted in.".into(),
        (false, false) => "Not listed: you have not opted in.".into(),
    }
}

fn located_of(row: &PractitionerProfileRow) -> Option<String> {
    let gazetteer = Gazetteer::embedded();
    let profile = profile_from_row(row, gazetteer).ok()?;
    Some(match profile.coordinates_source {
        CoordinatesSource::Given => format!(
            "Listed at the coordinates you gave ({}).",
            profile.coordinates
        ),
        CoordinatesSource::City { geoname_id } => {
            let city = gazetteer
                .city(geoname_id)
                .map_or_else(|| profile.city.clone(), |c| c.label());
            format!(
                "Listed at the centre of {city} ({}), from the city table.",
                profile.coordinates
            )
        }
    })
}

async fn profile_view(
    state: &AppState,
    user: &CurrentUser,
    form: Option<ProfileForm>,
    selected: Option<Vec<String>>,
    errors: FieldErrors,
    flash: Option<&'static str>,
) -> Result<ProfilePage, AppError> {
    let (clinic, nav) = clinic_nav(state, user, "directory").await?;
    let stored = state
        .store()
        .get_practitioner_profile(&clinic.id, &user.user.id)
        .await?;
    let (form, selected) = match (form, &stored) {
        (Some(form), _) => (form, selected.unwrap_or_default()),
        (None, Some(row)) => (form_of(row), services_of(row)),
        (None, None) => (
            ProfileForm {
                display_name: user.user.display_name.clone(),
                clinic_name: clinic.name.clone(),
                address: clinic.address.clone(),
                ..ProfileForm::default()
            },
            Vec::new(),
        ),
    };
    Ok(ProfilePage {
        nav,
        flash,
        errors,
        form,
        services: service_checkboxes(&selected),
        status: stored
            .as_ref()
            .map(|row| status_of(row, user.user.disabled_at.is_some())),
        located: stored.as_ref().and_then(located_of),
        stored: stored.is_some(),
    })
}

/// `GET /clinic/directory`.
async fn profile_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let page = profile_view(
        &state,
        &user,
        None,
        None,
        FieldErrors::default(),
        flash(query.flash.as_deref()),
    )
    .await?;
    Ok(render(&page))
}

/// The form field a core profile error is about.
fn field_of(error: &ProfileError) -> &'static str {
    match error {
        ProfileError::Empty { field }
        | ProfileError::TooLong { field, .. }
        | ProfileError::ControlCharacter { field }
        | ProfileError::BadUrl { field } => match *field {
            "clinic" => "clinic_name",
            "id" => "display_name",
            other => other,
        },
        ProfileError::UnknownCountry(_) => "country",
        ProfileError::NoServices | ProfileError::UnknownService(_) => "services",
        ProfileError::HalfCoordinates | ProfileError::Coordinates(_) => "latitude",
        ProfileError::AmbiguousCity { .. } | ProfileError::UnknownCity { .. } => "city",
        ProfileError::MissingLicence => "licence_number",
        _ => "display_name",
    }
}

/// A decimal degree from the form; `Ok(None)` when blank.
fn degrees(text: &str, field: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("The {field} must be a number of decimal degrees, such as 48.8556."))
}

/// Checks the form with the core; the profile to store, or the field messages.
fn check_profile(
    form: &ProfileForm,
    services: &[String],
    id: &str,
) -> Result<PractitionerProfile, FieldErrors> {
    let mut errors = FieldErrors::default();
    let latitude = degrees(&form.latitude, "latitude")
        .map_err(|m| errors.add("latitude", m))
        .ok()
        .flatten();
    let longitude = degrees(&form.longitude, "longitude")
        .map_err(|m| errors.add("latitude", m))
        .ok()
        .flatten();
    let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let (number, issuer) = (
        optional(&form.licence_number),
        optional(&form.licence_issuer),
    );
    if number.is_some() != issuer.is_some() {
        errors.add(
            "licence_number",
            "Give both the licence number and the body that issued it, or neither.",
        );
    }
    if form.credentials.chars().count() > 3000 {
        errors.add(
            "credentials",
            "The credentials are longer than 3000 characters.",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let spec = PractitionerSpec {
        id: id.to_owned(),
        display_name: form.display_name.clone(),
        clinic: optional(&form.clinic_name),
        address: optional(&form.address),
        city: form.city.clone(),
        country: form.country.clone(),
        latitude,
        longitude,
        services: services.to_vec(),
        credentials: form
            .credentials
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        licence_number: number,
        licence_issuer: issuer,
        phone: optional(&form.phone),
        website: optional(&form.website),
        booking_url: optional(&form.booking_url),
        opted_in: form.opted_in,
        // An opted-in profile must be listable as it is (with its licence), so that the
        // clinic's approval is all that is missing.
        clinic_approved: form.opted_in,
    };
    PractitionerProfile::from_spec(&spec, Gazetteer::embedded()).map_err(|error| {
        errors.add(field_of(&error), sentence(&error.to_string()));
        errors
    })
}

/// `POST /clinic/directory`: saves the signed-in user's profile.
async fn save_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    data: FormData,
) -> Result<Response, AppError> {
    let text = |name: &str| data.raw(name).unwrap_or("").to_owned();
    let form = ProfileForm {
        display_name: text("display_name"),
        clinic_name: text("clinic_name"),
        address: text("address"),
        city: text("city"),
        country: text("country"),
        latitude: text("latitude"),
        longitude: text("longitude"),
        credentials: text("credentials"),
        licence_number: text("licence_number"),
        licence_issuer: text("licence_issuer"),
        phone: text("phone"),
        website: text("website"),
        booking_url: text("booking_url"),
        opted_in: data.checked("opted_in"),
    };
    let services: Vec<String> = data
        .all("services")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let profile = match check_profile(&form, &services, "profile") {
        Ok(profile) => profile,
        Err(errors) => {
            let page =
                profile_view(&state, &user, Some(form), Some(services), errors, None).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let given = matches!(profile.coordinates_source, CoordinatesSource::Given);
    let ids: Vec<&str> = profile.services.iter().map(|s| s.id()).collect();
    let new = NewPractitionerProfile {
        clinic_id: user.clinic_id().to_owned(),
        user_id: user.user.id.clone(),
        display_name: profile.display_name.clone(),
        clinic_name: profile.clinic.clone(),
        address: profile.address.clone(),
        city: profile.city.clone(),
        country: profile.country_code.to_owned(),
        latitude: given.then(|| profile.coordinates.latitude()),
        longitude: given.then(|| profile.coordinates.longitude()),
        services: serde_json::to_string(&ids).map_err(AppError::internal)?,
        credentials: serde_json::to_string(&profile.credentials).map_err(AppError::internal)?,
        licence_number: profile.licence.as_ref().map(|l| l.number.clone()),
        licence_issuer: profile.licence.as_ref().map(|l| l.issuer.clone()),
        phone: profile.phone.clone(),
        website: profile.website.clone(),
        booking_url: profile.booking_url.clone(),
        opted_in: profile.opted_in,
    };
    let row = state
        .store()
        .upsert_practitioner_profile(&new, state.now())
        .await?;
    tracing::info!(profile_id = %row.id, "directory profile saved");
    Ok(Redirect::to("/clinic/directory?flash=saved").into_response())
}

/// `POST /clinic/directory/delete`.
async fn delete_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    state
        .store()
        .delete_practitioner_profile(user.clinic_id(), &user.user.id)
        .await?;
    tracing::info!("directory profile deleted");
    Ok(Redirect::to("/clinic/directory?flash=deleted").into_response())
}

// ---------------------------------------------------------------------------------------
// The clinic admin's approvals
// ---------------------------------------------------------------------------------------

/// Why the row could not be public as it is (checked exactly as the directory checks it).
fn approval_problem(row: &PractitionerProfileRow) -> Option<String> {
    let mut spec = match spec_from_row(row) {
        Ok(spec) => spec,
        Err(reason) => return Some(sentence(&reason)),
    };
    spec.opted_in = true;
    spec.clinic_approved = true;
    PractitionerProfile::from_spec(&spec, Gazetteer::embedded())
        .err()
        .map(|e| sentence(&e.to_string()))
}

fn local_date(state: &AppState, epoch: i64) -> String {
    let tz = aftercare_core::instant::parse_time_zone(&state.settings().clinic.default_time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(epoch).map_or_else(
        |_| "—".into(),
        |ts| aftercare_core::instant::format_local(&ts.to_zoned_datetime(tz)),
    )
}

async fn approvals_view(
    state: &AppState,
    admin: &AdminUser,
    flash: Option<&'static str>,
) -> Result<ApprovalsPage, AppError> {
    let (clinic, nav) = clinic_nav(state, &admin.0, "directory").await?;
    let store = state.store();
    let users = store.list_users(&clinic.id).await?;
    let name_of = |id: &str| {
        users
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| "an admin".to_owned(), |u| u.display_name.clone())
    };
    let disabled = |id: &str| users.iter().any(|u| u.id == id && u.disabled_at.is_some());
    let profiles = store
        .list_practitioner_profiles(&clinic.id)
        .await?
        .into_iter()
        .map(|row| {
            let services: Vec<String> = services_of(&row)
                .iter()
                .map(|id| {
                    id.parse::<Service>()
                        .map_or_else(|_| id.clone(), |s| s.name().to_owned())
                })
                .collect();
            let credentials: Vec<String> =
                serde_json::from_str(&row.credentials).unwrap_or_default();
            let place = [
                row.clinic_name.clone(),
                row.address.clone(),
                Some(row.city.clone()),
                Some(row.country.clone()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            let contact = [
                row.phone.as_ref().map(|p| format!("Phone: {p}")),
                row.website.as_ref().map(|w| format!("Website: {w}")),
                row.booking_url.as_ref().map(|b| format!("Booking: {b}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            ApprovalView {
                problem: approval_problem(&row),
                licence: match (&row.licence_number, &row.licence_issuer) {
                    (Some(number), Some(issuer)) => format!("{number}, issued by {issuer}"),
                    _ => "None given".into(),
                },
                approved: row.approved_at.map(|at| {
                    format!(
                        "approved {} by {}",
                        local_date(state, at),
                        name_of(row.approved_by.as_deref().unwrap_or(""))
                    )
                }),
                public: row.is_listed() && !disabled(&row.user_id),
                seen: row.updated_at,
                opted_in: row.opted_in,
                id: row.id,
                display_name: row.display_name,
                place,
                services: services.join("; "),
                credentials: credentials.join("; "),
                contact,
            }
        })
        .collect();
    Ok(ApprovalsPage {
        nav,
        flash,
        profiles,
    })
}

/// `GET /clinic/directory/profiles`.
async fn approvals_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    Ok(render(
        &approvals_view(&state, &admin, flash(query.flash.as_deref())).await?,
    ))
}

/// The clinic's profile with this id.
async fn clinic_profile(
    state: &AppState,
    admin: &AdminUser,
    id: &str,
) -> Result<PractitionerProfileRow, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    state
        .store()
        .list_practitioner_profiles(admin.0.clinic_id())
        .await?
        .into_iter()
        .find(|row| row.id == id)
        .ok_or(AppError::NotFound)
}

/// `POST /clinic/directory/profiles/{id}/approve`: only a profile that could be public as
/// it is, and only the version the admin saw (`seen` = its `updated_at`).
async fn approve(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let row = clinic_profile(&state, &admin, &id).await?;
    if let Some(seen) = form.text("seen")
        && seen != row.updated_at.to_string()
    {
        return Err(AppError::Conflict(
            "The profile changed since you opened the page. Review it again before approving."
                .into(),
        ));
    }
    if let Some(problem) = approval_problem(&row) {
        return Err(AppError::Invalid(format!(
            "This profile cannot be approved as it is: {problem}"
        )));
    }
    match state
        .store()
        .set_practitioner_profile_approval(
            admin.0.clinic_id(),
            &row.id,
            Some(&admin.0.user.id),
            state.now(),
        )
        .await
    {
        Ok(_) => {}
        Err(StoreError::Invalid { .. }) => {
            return Err(AppError::Invalid(
                "This profile cannot be approved without a licence number and its issuing body."
                    .into(),
            ));
        }
        Err(other) => return Err(other.into()),
    }
    tracing::info!(profile_id = %row.id, "directory profile approved");
    Ok(Redirect::to("/clinic/directory/profiles?flash=approved").into_response())
}

/// `POST /clinic/directory/profiles/{id}/unapprove`.
async fn unapprove(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let row = clinic_profile(&state, &admin, &id).await?;
    state
        .store()
        .set_practitioner_profile_approval(admin.0.clinic_id(), &row.id, None, state.now())
        .await?;
    tracing::info!(profile_id = %row.id, "directory profile approval withdrawn");
    Ok(Redirect::to("/clinic/directory/profiles?flash=unapproved").into_response())
}
