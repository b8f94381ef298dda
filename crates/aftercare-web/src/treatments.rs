//! Treatments and their patient links, shared by the clinic pages and the JSON API: parsing
//! what a practitioner enters into checked values, recording a treatment, issuing a link
//! (256-bit token, stored hashed, expiring, shown once as a URL and a QR code), and reading
//! a stored treatment back as the core's types (instant, time zone, profile).
//!
//! What does not belong here: HTML and JSON shapes (routes and api), SQL (the store).

use aftercare_core::{
    Hours,
    hours::hours_between,
    instant::{format_local, format_local_date, parse_instant, parse_time_zone},
    profile::{Area, Fitzpatrick, Profile, SkinType},
};
use aftercare_store::{LinkPurpose, NewPatientLink, NewTreatment, PatientLinkRow, TreatmentRow};
use jiff::{Timestamp, ZonedDateTime, tz::TimeZone};
use qrcode::{QrCode, render::svg};

use crate::{
    auth::{CurrentUser, token::generate_token},
    error::AppError,
    input,
    state::AppState,
    views::FieldErrors,
};

/// What a blank time zone on the form is told.
pub const MISSING_TIME_ZONE: &str =
    "Enter the patient's time zone, an IANA name such as Europe/Berlin.";
/// The longest patient label.
pub const MAX_LABEL_CHARS: usize = 100;
/// The longest practitioner's note.
pub const MAX_NOTES_CHARS: usize = 5000;
/// The longest note on an acknowledged alert.
pub const MAX_ACKNOWLEDGEMENT_CHARS: usize = 2000;
/// How far back a treatment may be recorded (days).
pub const MAX_DAYS_BACK: i64 = 730;
/// How far ahead a treatment may be scheduled (days).
pub const MAX_DAYS_AHEAD: i64 = 366;

/// A treatment as entered, checked: every value valid, the time an instant in its zone.
#[derive(Debug, Clone)]
pub struct TreatmentInput {
    /// Name or initials.
    pub patient_label: String,
    /// Optional e-mail.
    pub patient_email: Option<String>,
    /// When, in the patient's time zone.
    pub treated_at: ZonedDateTime,
    /// Skin types.
    pub skin: Vec<SkinType>,
    /// Phototype.
    pub fitzpatrick: Option<Fitzpatrick>,
    /// Treated areas.
    pub areas: Vec<Area>,
    /// Cold-sore history.
    pub cold_sore_history: bool,
    /// Notes.
    pub notes: String,
    /// One of the clinic's protocols; `None` means the clinic's default.
    pub protocol_id: Option<String>,
}

/// The raw values of a treatment, as a form or a JSON body gives them.
#[derive(Debug, Clone, Default)]
pub struct TreatmentFields {
    /// Name or initials.
    pub patient_label: String,
    /// E-mail (blank: none).
    pub patient_email: String,
    /// Either RFC 3339, or `YYYY-MM-DD HH:MM` in `time_zone`.
    pub treated_at: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Skin type ids.
    pub skin: Vec<String>,
    /// Fitzpatrick type (blank: unknown).
    pub fitzpatrick: String,
    /// Area ids.
    pub areas: Vec<String>,
    /// Cold-sore history.
    pub cold_sore_history: bool,
    /// Notes.
    pub notes: String,
    /// Protocol id (blank: the clinic's default).
    pub protocol_id: String,
}

/// Checks the fields; each problem is reported against its field id.
pub fn parse_treatment(
    fields: &TreatmentFields,
    now: Timestamp,
) -> Result<TreatmentInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let patient_label = input::required_line(
        Some(&fields.patient_label),
        "patient's name or initials",
        MAX_LABEL_CHARS,
    )
    .map_err(|m| errors.add("patient_label", m))
    .unwrap_or_default();
    let patient_email = if fields.patient_email.trim().is_empty() {
        None
    } else {
        input::email(Some(&fields.patient_email), "patient's e-mail")
            .map_err(|m| errors.add("patient_email", m))
            .ok()
    };
    // Required: the form starts with the clinic's default zone, and the API field is
    // required, so a blank zone is a mistake, never a silent UTC.
    let time_zone = if fields.time_zone.trim().is_empty() {
        errors.add("time_zone", MISSING_TIME_ZONE);
        None
    } else {
        match parse_time_zone(&fields.time_zone) {
            Ok(tz) => Some(tz),
            Err(error) => {
                errors.add("time_zone", sentence(&error.to_string()));
                None
            }
        }
    };
    let treated_at = match (&time_zone, fields.treated_at.trim()) {
        (_, "") => {
            errors.add("treated_date", "Enter the date and time of the treatment.");
            None
        }
        (Some(tz), text) => match parse_instant(text, Some(tz)) {
            Ok(at) => check_range(&at, now)
                .map_err(|m| errors.add("treated_date", m))
                .ok(),
            Err(error) => {
                errors.add("treated_date", sentence(&error.to_string()));
                None
            }
        },
        (None, _) => None,
    };
    let skin = parse_ids::<SkinType>(&fields.skin, "skin", &mut errors);
    let areas = parse_ids::<Area>(&fields.areas, "areas", &mut errors);
    let fitzpatrick = if fields.fitzpatrick.trim().is_empty() {
        None
    } else {
        fields
            .fitzpatrick
            .parse::<Fitzpatrick>()
            .map_err(|e| errors.add("fitzpatrick", sentence(&e.to_string())))
            .ok()
    };
    let notes = input::optional_text(Some(&fields.notes), "notes", MAX_NOTES_CHARS)
        .map_err(|m| errors.add("notes", m))
        .unwrap_or_default();
    let protocol_id =
        Some(fields.protocol_id.trim()).filter(|id| !id.is_empty() && *id != "default");
    if protocol_id.is_some_and(|id| {
        id.len() > 64 || id.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-'))
    }) {
        errors.add("protocol_id", "Choose one of the clinic's protocols.");
    }
    match treated_at {
        Some(treated_at) if errors.is_empty() => Ok(TreatmentInput {
            patient_label,
            patient_email,
            treated_at,
            skin,
            fitzpatrick,
            areas,
            cold_sore_history: fields.cold_sore_history,
            notes,
            protocol_id: protocol_id.map(str::to_owned),
        }),
        _ => Err(errors),
    }
}

fn check_range(at: &ZonedDateTime, now: Timestamp) -> Result<ZonedDateTime, String> {
    let seconds = at.timestamp().as_second() - now.as_second();
    if seconds > MAX_DAYS_AHEAD * 86_400 {
        return Err("The treatment date is more than a year ahead: check the year.".into());
    }
    if -seconds > MAX_DAYS_BACK * 86_400 {
        return Err("The treatment date is more than two years ago: check the year.".into());
    }
    Ok(at.clone())
}

fn parse_ids<T>(values: &[String], field: &'static str, errors: &mut FieldErrors) -> Vec<T>
where
    T: std::str::FromStr<Err = aftercare_core::profile::UnknownId> + PartialEq,
{
    let mut out = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match value.parse::<T>() {
            Ok(id) if !out.contains(&id) => out.push(id),
            Ok(_) => {}
            Err(error) => {
                errors.add(field, sentence(&error.to_string()));
                break;
            }
        }
    }
    out
}

/// Capitalises a core error message and ends it with a full stop.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Records a treatment for the signed-in practitioner's clinic and issues its first link.
///
/// The treatment is pinned to the protocol that is the clinic's default now, unless another
/// one is chosen, so a later change of the default does not rewrite running plans.
///
/// # Errors
/// Invalid when the protocol is not one of the clinic's; store failures otherwise.
pub async fn record_treatment(
    state: &AppState,
    user: &CurrentUser,
    input: TreatmentInput,
) -> Result<(TreatmentRow, IssuedLink), AppError> {
    let store = state.store();
    let clinic = store
        .find_clinic(user.clinic_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(id) = &input.protocol_id
        && store.get_protocol(&clinic.id, id).await?.is_none()
    {
        return Err(AppError::Invalid(
            "Choose one of the clinic's protocols.".into(),
        ));
    }
    let ids =
        |list: Vec<&'static str>| serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
    let new = NewTreatment {
        clinic_id: clinic.id.clone(),
        practitioner_id: user.user.id.clone(),
        patient_label: input.patient_label,
        patient_email: input.patient_email,
        treated_at: input.treated_at.timestamp().as_second(),
        time_zone: zone_name(&input.treated_at),
        skin: ids(input.skin.iter().map(|s| s.id()).collect()),
        fitzpatrick: input.fitzpatrick.map(|f| i16::from(f.number())),
        areas: ids(input.areas.iter().map(|a| a.id()).collect()),
        cold_sore_history: input.cold_sore_history,
        notes: input.notes,
        protocol_id: input.protocol_id.or(clinic.default_protocol_id),
    };
    let treatment = store.create_treatment(&new, state.now()).await?;
    tracing::info!(treatment_id = %treatment.id, "treatment recorded");
    let link = issue_patient_link(state, &treatment).await?;
    Ok((treatment, link))
}

fn zone_name(at: &ZonedDateTime) -> String {
    at.time_zone().iana_name().unwrap_or("UTC").to_owned()
}

/// A patient link just issued: the only moment its URL (and token) is known.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    /// The stored link (token hash only).
    pub link: PatientLinkRow,
    /// The full URL to give the patient.
    pub url: String,
    /// The URL as an inline SVG QR code.
    pub qr_svg: String,
}

/// Issues a new patient link for `treatment`, valid for the configured number of days.
///
/// # Errors
/// Internal when no random token can be made; store failures otherwise.
pub async fn issue_patient_link(
    state: &AppState,
    treatment: &TreatmentRow,
) -> Result<IssuedLink, AppError> {
    let token = generate_token().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let now = state.now();
    let ttl = i64::from(state.settings().security.patient_link_ttl_days) * 86_400;
    let new = NewPatientLink {
        clinic_id: treatment.clinic_id.clone(),
        treatment_id: treatment.id.clone(),
        token_hash: aftercare_store::hash_token(&token),
        purpose: LinkPurpose::Patient,
        expires_at: now + ttl,
    };
    let link = state.store().create_patient_link(&new, &[], now).await?;
    tracing::info!(treatment_id = %treatment.id, link_id = %link.id, "patient link issued");
    let url = format!("{}/p/{token}", state.public_url());
    let qr_svg = qr_svg(&url)?;
    Ok(IssuedLink { link, url, qr_svg })
}

/// An inline SVG QR code of `text`, labelled for screen readers.
///
/// # Errors
/// Internal when the text is too long for a QR code (a URL never is).
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = QrCode::new(text.as_bytes())
        .map_err(|e| AppError::internal(anyhow::anyhow!("QR code: {e}")))?;
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    Ok(svg[start..].replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code of the patient link\" focusable=\"false\" ",
        1,
    ))
}

/// A stored treatment read back as the core's types.
#[derive(Debug, Clone)]
pub struct TreatmentView {
    /// When, in the patient's zone.
    pub treated_at: ZonedDateTime,
    /// The profile.
    pub profile: Profile,
}

impl TreatmentView {
    /// Reads a stored treatment.
    ///
    /// # Errors
    /// Internal when a stored value no longer parses (edited by hand).
    pub fn of(treatment: &TreatmentRow) -> Result<Self, AppError> {
        let corrupt = |what: &str| {
            AppError::internal(anyhow::anyhow!("treatment {}: bad {what}", treatment.id))
        };
        let tz = TimeZone::get(&treatment.time_zone).map_err(|_| corrupt("time zone"))?;
        let treated_at = Timestamp::from_second(treatment.treated_at)
            .map_err(|_| corrupt("time"))?
            .to_zoned_datetime(tz);
        let skin: Vec<SkinType> =
            serde_json::from_str(&treatment.skin).map_err(|_| corrupt("skin"))?;
        let areas: Vec<Area> =
            serde_json::from_str(&treatment.areas).map_err(|_| corrupt("areas"))?;
        let fitzpatrick = match treatment.fitzpatrick {
            Some(n) => Some(
                u8::try_from(n)
                    .ok()
                    .and_then(|n| Fitzpatrick::try_from(n).ok())
                    .ok_or_else(|| corrupt("fitzpatrick"))?,
            ),
            None => None,
        };
        Ok(TreatmentView {
            treated_at,
            profile: Profile {
                skin,
                areas,
                fitzpatrick,
            },
        })
    }

    /// Hours since the treatment at `now` (whole hours, `None` before the treatment).
    pub fn hours_at(&self, now: Timestamp) -> Option<Hours> {
        let hours = hours_between(self.treated_at.timestamp(), now);
        (hours >= 0.0).then(|| Hours(hours.floor().min(f64::from(u32::MAX)) as u32))
    }

    /// "Day 3", or when it starts.
    pub fn day_label(&self, now: Timestamp) -> String {
        match self.hours_at(now) {
            Some(hours) => format!("Day {}", hours.day()),
            None => format!("Starts {}", format_local(&self.treated_at)),
        }
    }

    /// The treatment time as people read it, with the zone.
    pub fn treated_label(&self) -> String {
        format!(
            "{}, {} ({})",
            format_local_date(&self.treated_at),
            self.treated_at.strftime("%H:%M"),
            self.treated_at.time_zone().iana_name().unwrap_or("UTC")
        )
    }

    /// An instant of this treatment's zone as people read it.
    pub fn local(&self, epoch_seconds: i64) -> String {
        Timestamp::from_second(epoch_seconds).map_or_else(
            |_| "—".to_owned(),
            |ts| {
                format_local_date(&ts.to_zoned_datetime(self.treated_at.time_zone().clone()))
                    + &ts
                        .to_zoned_datetime(self.treated_at.time_zone().clone())
                        .strftime(", %H:%M")
                        .to_string()
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> TreatmentFields {
        TreatmentFields {
            patient_label: "A. B.".into(),
            treated_at: "2026-11-26 15:00".into(),
            time_zone: "Europe/Berlin".into(),
            skin: vec!["sensitive".into(), "dry".into()],
            areas: vec!["face".into()],
            fitzpatrick: "IV".into(),
            ..TreatmentFields::default()
        }
    }

    fn now() -> Timestamp {
        "2026-11-26T16:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_complete_treatment_parses() {
        let input = parse_treatment(&fields(), now()).unwrap();
        assert_eq!(
            input.treated_at.timestamp().to_string(),
            "2026-11-26T14:00:00Z"
        );
        assert_eq!(input.skin, [SkinType::Sensitive, SkinType::Dry]);
        assert_eq!(input.fitzpatrick.map(|f| f.number()), Some(4));
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = TreatmentFields {
            patient_label: String::new(),
            patient_email: "nope".into(),
            treated_at: "2029-01-01 10:00".into(),
            time_zone: "Europe/Berlin".into(),
            skin: vec!["greasy".into()],
            areas: vec!["knees".into()],
            fitzpatrick: "7".into(),
            ..TreatmentFields::default()
        };
        let errors = parse_treatment(&bad, now()).unwrap_err();
        for field in [
            "patient_label",
            "patient_email",
            "treated_date",
            "skin",
            "areas",
            "fitzpatrick",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        let zone = TreatmentFields {
            time_zone: "Mars/Olympus".into(),
            ..fields()
        };
        assert!(
            parse_treatment(&zone, now())
                .unwrap_err()
                .get("time_zone")
                .is_some()
        );
    }

    #[test]
    fn qr_codes_are_inline_svg_with_a_label() {
        let svg = qr_svg("http://127.0.0.1:8080/p/abc").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label="), "{svg}");
        assert!(!svg.contains("<?xml"));
    }
}
