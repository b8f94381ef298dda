//! Practitioner profiles for "Find a Practitioner": the services a practitioner can offer
//! (a closed vocabulary), the profile as given ([`PractitionerSpec`], JSON) and the
//! validated profile ([`PractitionerProfile`]) with its coordinates, taken from the city
//! unless given.
//!
//! Why a directory at all: the guide sends readers to "Find a Practitioner" twice, and its
//! myths section ("DIY dermarollers ... don't compare to a professional session") warns
//! against untrained, at-home treatment. `reference/care-pathways.md` adds that RF
//! microneedling and PRP are separate risk classes (FDA safety communication of
//! 15 Oct 2025; CDC MMWR 2024;73(16):372-376) and that "the directory should show
//! licensing and credentials": so a public profile must carry a licence number and the
//! body that issued it, and only opted-in, clinic-approved profiles are public.
//!
//! What does not belong here: where profiles are stored (the store crate; for now the CLI
//! reads a JSON Lines file), the spatial index (`nearby`), search parameters (`search`).

use std::collections::HashMap;

use super::gazetteer::{CityLookup, Gazetteer};
use super::nearby::{Coordinates, CoordinatesError};
use crate::vocabulary::UnknownId;

vocabulary! {
    /// A treatment a practitioner offers; the `service=` filter of the search.
    Service, "service" {
        /// Microneedling (collagen induction therapy), the treatment the guide covers.
        Microneedling = "microneedling",
        /// Radiofrequency microneedling: "a medical procedure, not a cosmetic treatment"
        /// (FDA safety communication, 15 Oct 2025).
        RfMicroneedling = "rf_microneedling",
        /// Microneedling with platelet-rich plasma ("vampire facial"; CDC MMWR
        /// 2024;73(16):372-376 on infections from unlicensed practice).
        MicroneedlingPrp = "microneedling_prp",
        /// Microneedling of the scalp for hair loss (indication: alopecia; Gowda et al.
        /// 2021, PMC7869810).
        ScalpMicroneedling = "scalp_microneedling",
    }
}

impl Service {
    /// The name shown to people.
    pub fn name(self) -> &'static str {
        match self {
            Service::Microneedling => "Microneedling",
            Service::RfMicroneedling => "RF microneedling (radiofrequency)",
            Service::MicroneedlingPrp => "Microneedling with PRP (platelet-rich plasma)",
            Service::ScalpMicroneedling => "Scalp microneedling (hair loss)",
        }
    }
}

/// Longest accepted id, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest accepted text field (name, clinic, address, credential, URL...), in characters.
pub const MAX_FIELD_CHARS: usize = 300;

/// A practitioner profile as given (one line of a profiles file; later a form or a row).
/// Every field is text so that mistakes get a clear message rather than a type error.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PractitionerSpec {
    /// A stable id, unique in the directory (letters, digits, `-`, `_`, `.`).
    pub id: String,
    /// The name shown ("Dr Jane Doe").
    pub display_name: String,
    /// The clinic's name.
    #[serde(default)]
    pub clinic: Option<String>,
    /// The street address.
    #[serde(default)]
    pub address: Option<String>,
    /// The city, as people write it ("Köln"; "Springfield, Illinois" where ambiguous).
    pub city: String,
    /// The country: ISO code, ISO3 code or English name ("DE", "DEU", "Germany").
    pub country: String,
    /// Latitude in decimal degrees; with `longitude`, overrides the city's coordinates.
    #[serde(default)]
    pub latitude: Option<f64>,
    /// Longitude in decimal degrees; with `latitude`, overrides the city's coordinates.
    #[serde(default)]
    pub longitude: Option<f64>,
    /// Service ids ([`Service`]); at least one.
    pub services: Vec<String>,
    /// Qualifications as written ("MD, dermatology", "Licensed aesthetician").
    #[serde(default)]
    pub credentials: Vec<String>,
    /// The licence number (required for a public profile).
    #[serde(default)]
    pub licence_number: Option<String>,
    /// The body that issued the licence (required for a public profile).
    #[serde(default)]
    pub licence_issuer: Option<String>,
    /// A phone number, as written.
    #[serde(default)]
    pub phone: Option<String>,
    /// The website (`https://` or `http://`).
    #[serde(default)]
    pub website: Option<String>,
    /// The online booking link (`https://` or `http://`).
    #[serde(default)]
    pub booking_url: Option<String>,
    /// The practitioner agreed to a public profile.
    #[serde(default)]
    pub opted_in: bool,
    /// The clinic approved the profile.
    #[serde(default)]
    pub clinic_approved: bool,
}

/// Why a profile was refused. Each message is a sentence for the person who wrote it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The line is not a JSON object of the documented shape.
    #[error("{0}")]
    Json(String),
    /// A required field is empty.
    #[error("'{field}' must not be empty")]
    Empty {
        /// The field.
        field: &'static str,
    },
    /// A field is longer than allowed.
    #[error("'{field}' is longer than {max} characters")]
    TooLong {
        /// The field.
        field: &'static str,
        /// The limit.
        max: usize,
    },
    /// A field holds a control character (a tab, a line break...).
    #[error("'{field}' contains a control character")]
    ControlCharacter {
        /// The field.
        field: &'static str,
    },
    /// The id has characters other than letters, digits, `-`, `_` and `.`.
    #[error("the id '{0}' may use only letters, digits, '-', '_' and '.'")]
    BadId(String),
    /// The country is not known.
    #[error("unknown country '{0}' (give its ISO code, such as FR, or its English name)")]
    UnknownCountry(String),
    /// No service is listed.
    #[error("'services' must list at least one service")]
    NoServices,
    /// A service id is not in the vocabulary.
    #[error(transparent)]
    UnknownService(#[from] UnknownId),
    /// Only one of latitude and longitude is given.
    #[error("give both 'latitude' and 'longitude', or neither (then the city's are used)")]
    HalfCoordinates,
    /// The coordinates are out of range.
    #[error(transparent)]
    Coordinates(#[from] CoordinatesError),
    /// The city has no coordinates and several cities share its name.
    #[error(
        "the city '{city}' is ambiguous ({candidates}): add the state or region (\"{example}\"), or give 'latitude' and 'longitude'"
    )]
    AmbiguousCity {
        /// The city as given.
        city: String,
        /// The candidates, with their region and population.
        candidates: String,
        /// An example of a qualified name.
        example: String,
    },
    /// The city is not in the city table and no coordinates are given.
    #[error("the city '{city}' is not in the city table{hint}; give 'latitude' and 'longitude'")]
    UnknownCity {
        /// The city as given.
        city: String,
        /// " (did you mean ...?)" or empty.
        hint: String,
    },
    /// A public profile lacks the licence number or its issuing body.
    #[error(
        "a public profile needs 'licence_number' and 'licence_issuer' (the body that issued the licence)"
    )]
    MissingLicence,
    /// A link is not an http(s) URL.
    #[error("'{field}' must be a web address starting with https:// or http://")]
    BadUrl {
        /// The field.
        field: &'static str,
    },
}

/// Where a profile's coordinates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoordinatesSource {
    /// Given with the profile.
    Given,
    /// The city's, from the city table (the GeoNames id).
    City {
        /// The city's GeoNames id.
        geoname_id: u32,
    },
}

/// A licence and the body that issued it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Licence {
    /// The licence number.
    pub number: String,
    /// The issuing body.
    pub issuer: String,
}

/// A validated practitioner profile. Built only by [`PractitionerProfile::from_spec`]
/// (the struct is `non_exhaustive`), so every one has coordinates, at least one service
/// and, when public, a licence. Serialised as the public profile (no visibility flags).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PractitionerProfile {
    /// The stable id.
    pub id: String,
    /// The name shown.
    pub display_name: String,
    /// The clinic's name.
    pub clinic: Option<String>,
    /// The street address.
    pub address: Option<String>,
    /// The city, as given.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country_code: &'static str,
    /// The country's English name.
    pub country: &'static str,
    /// Where the practice is.
    pub coordinates: Coordinates,
    /// Whether the coordinates were given or come from the city.
    pub coordinates_source: CoordinatesSource,
    /// The city's IANA time zone, when the city was found in the table.
    pub time_zone: Option<&'static str>,
    /// The services offered, in vocabulary order, without repeats.
    pub services: Vec<Service>,
    /// Qualifications as written.
    pub credentials: Vec<String>,
    /// The licence, when given (always, for a public profile).
    pub licence: Option<Licence>,
    /// A phone number.
    pub phone: Option<String>,
    /// The website.
    pub website: Option<String>,
    /// The online booking link.
    pub booking_url: Option<String>,
    /// The practitioner agreed to a public profile.
    #[serde(skip)]
    pub opted_in: bool,
    /// The clinic approved the profile.
    #[serde(skip)]
    pub clinic_approved: bool,
}

fn check_text(field: &'static str, text: &str, max: usize) -> Result<String, ProfileError> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(ProfileError::TooLong { field, max });
    }
    if text.chars().any(char::is_control) {
        return Err(ProfileError::ControlCharacter { field });
    }
    Ok(text.to_owned())
}

fn required(field: &'static str, text: &str) -> Result<String, ProfileError> {
    let text = check_text(field, text, MAX_FIELD_CHARS)?;
    if text.is_empty() {
        return Err(ProfileError::Empty { field });
    }
    Ok(text)
}

fn optional(field: &'static str, text: Option<&String>) -> Result<Option<String>, ProfileError> {
    let Some(text) = text else { return Ok(None) };
    let text = check_text(field, text, MAX_FIELD_CHARS)?;
    Ok(Some(text).filter(|t| !t.is_empty()))
}

fn url(field: &'static str, text: Option<&String>) -> Result<Option<String>, ProfileError> {
    let Some(url) = optional(field, text)? else {
        return Ok(None);
    };
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !url.contains(char::is_whitespace) => Ok(Some(url)),
        _ => Err(ProfileError::BadUrl { field }),
    }
}

/// Up to three candidates as "A (n people); B (n people)", for messages.
fn candidate_list(cities: &[super::gazetteer::City]) -> String {
    let shown: Vec<String> = cities
        .iter()
        .take(3)
        .map(super::gazetteer::City::label_with_population)
        .collect();
    let more = cities.len().saturating_sub(3);
    if more > 0 {
        format!("{}; and {more} more", shown.join("; "))
    } else {
        shown.join("; ")
    }
}

impl PractitionerProfile {
    /// Validates a profile; the coordinates come from the city (looked up in `country`)
    /// unless both latitude and longitude are given.
    pub fn from_spec(spec: &PractitionerSpec, gazetteer: &Gazetteer) -> Result<Self, ProfileError> {
        let id = check_text("id", &spec.id, MAX_ID_CHARS)?;
        if id.is_empty() {
            return Err(ProfileError::Empty { field: "id" });
        }
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(ProfileError::BadId(id));
        }
        let display_name = required("display_name", &spec.display_name)?;
        let city = required("city", &spec.city)?;
        let country_text = required("country", &spec.country)?;
        let country = gazetteer
            .country(&country_text)
            .ok_or(ProfileError::UnknownCountry(country_text))?;
        if spec.services.is_empty() {
            return Err(ProfileError::NoServices);
        }
        let mut services = spec
            .services
            .iter()
            .map(|s| s.parse::<Service>())
            .collect::<Result<Vec<_>, _>>()?;
        services.sort();
        services.dedup();
        let credentials = spec
            .credentials
            .iter()
            .map(|c| check_text("credentials", c, MAX_FIELD_CHARS))
            .filter(|c| !matches!(c, Ok(text) if text.is_empty()))
            .collect::<Result<Vec<_>, _>>()?;
        let licence_number = optional("licence_number", spec.licence_number.as_ref())?;
        let licence_issuer = optional("licence_issuer", spec.licence_issuer.as_ref())?;
        let licence = match (licence_number, licence_issuer) {
            (Some(number), Some(issuer)) => Some(Licence { number, issuer }),
            _ => None,
        };
        if spec.opted_in && spec.clinic_approved && licence.is_none() {
            return Err(ProfileError::MissingLicence);
        }
        let (coordinates, coordinates_source, time_zone) = match (spec.latitude, spec.longitude) {
            (Some(latitude), Some(longitude)) => {
                let coordinates = Coordinates::new(latitude, longitude)?;
                let time_zone = match gazetteer.lookup(&format!("{city}, {}", country.code)) {
                    CityLookup::Found { city, .. } => Some(city.time_zone),
                    _ => None,
                };
                (coordinates, CoordinatesSource::Given, time_zone)
            }
            (None, None) => match gazetteer.lookup(&format!("{city}, {}", country.code)) {
                CityLookup::Found { city: found, .. } => (
                    found.coordinates,
                    CoordinatesSource::City {
                        geoname_id: found.geoname_id,
                    },
                    Some(found.time_zone),
                ),
                CityLookup::Ambiguous { candidates } => {
                    let example = candidates
                        .first()
                        .map(|c| match c.admin1_name {
                            Some(admin1) => format!("{}, {admin1}", c.name),
                            None => format!("{}, {}", c.name, c.country_name),
                        })
                        .unwrap_or_default();
                    return Err(ProfileError::AmbiguousCity {
                        city,
                        candidates: candidate_list(&candidates),
                        example,
                    });
                }
                CityLookup::Unknown { suggestions } => {
                    let hint = if suggestions.is_empty() {
                        String::new()
                    } else {
                        format!(" (did you mean {}?)", candidate_list(&suggestions))
                    };
                    return Err(ProfileError::UnknownCity { city, hint });
                }
            },
            _ => return Err(ProfileError::HalfCoordinates),
        };
        Ok(PractitionerProfile {
            id,
            display_name,
            clinic: optional("clinic", spec.clinic.as_ref())?,
            address: optional("address", spec.address.as_ref())?,
            city,
            country_code: country.code,
            country: country.name,
            coordinates,
            coordinates_source,
            time_zone,
            services,
            credentials,
            licence,
            phone: optional("phone", spec.phone.as_ref())?,
            website: url("website", spec.website.as_ref())?,
            booking_url: url("booking_url", spec.booking_url.as_ref())?,
            opted_in: spec.opted_in,
            clinic_approved: spec.clinic_approved,
        })
    }

    /// Whether the profile may be shown: the practitioner opted in and the clinic approved.
    pub fn is_public(&self) -> bool {
        self.opted_in && self.clinic_approved
    }

    /// Whether the practitioner offers `service`.
    pub fn offers(&self, service: Service) -> bool {
        self.services.contains(&service)
    }
}

/// A profile line that was refused, with its 1-based line number (and column, for JSON
/// syntax errors).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}{}: {error}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct ProfileLineError {
    /// The 1-based line number.
    pub line: usize,
    /// The 1-based column, for JSON syntax errors.
    pub column: Option<usize>,
    /// What is wrong.
    pub error: ProfileError,
}

/// Parses a JSON Lines text of [`PractitionerSpec`]s (one JSON object a line; blank lines
/// are skipped) into validated profiles, public or not. Stops at the first bad line; an
/// id used twice is an error that names the earlier line.
pub fn parse_profiles_jsonl(
    text: &str,
    gazetteer: &Gazetteer,
) -> Result<Vec<PractitionerProfile>, ProfileLineError> {
    let mut profiles = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let fail = |error, column| ProfileLineError {
            line,
            column,
            error,
        };
        let deserializer = &mut serde_json::Deserializer::from_str(raw);
        let spec: PractitionerSpec =
            serde_path_to_error::deserialize(deserializer).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let column = inner
                    .is_syntax()
                    .then_some(inner.column())
                    .or_else(|| inner.is_eof().then_some(inner.column()));
                let what = strip_position(&inner.to_string());
                let message = if path == "." || inner.is_syntax() || inner.is_eof() {
                    what
                } else {
                    format!("'{path}': {what}")
                };
                fail(ProfileError::Json(message), column)
            })?;
        let profile =
            PractitionerProfile::from_spec(&spec, gazetteer).map_err(|e| fail(e, None))?;
        if let Some(earlier) = first_line.get(&profile.id) {
            return Err(fail(
                ProfileError::Json(format!(
                    "the id '{}' is already used on line {earlier}",
                    profile.id
                )),
                None,
            ));
        }
        first_line.insert(profile.id.clone(), line);
        profiles.push(profile);
    }
    Ok(profiles)
}

/// serde_json's message without its " at line 1 column 5" tail (the caller says where).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> &'static Gazetteer {
        Gazetteer::embedded()
    }

    fn spec() -> PractitionerSpec {
        PractitionerSpec {
            id: "p-1".into(),
            display_name: "Dr Jane Doe".into(),
            city: "Köln".into(),
            country: "Germany".into(),
            services: vec!["microneedling".into(), "rf-microneedling".into()],
            licence_number: Some("LN 123".into()),
            licence_issuer: Some("Ärztekammer Nordrhein".into()),
            website: Some("https://example.org".into()),
            opted_in: true,
            clinic_approved: true,
            ..PractitionerSpec::default()
        }
    }

    fn refused(change: impl FnOnce(&mut PractitionerSpec)) -> String {
        let mut s = spec();
        change(&mut s);
        PractitionerProfile::from_spec(&s, gazetteer())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn coordinates_come_from_the_city_unless_given() {
        let profile = PractitionerProfile::from_spec(&spec(), gazetteer()).unwrap();
        assert_eq!(profile.country_code, "DE");
        assert!(matches!(
            profile.coordinates_source,
            CoordinatesSource::City {
                geoname_id: 2886242
            }
        ));
        assert_eq!(profile.time_zone, Some("Europe/Berlin"));
        assert_eq!(
            profile.services,
            [Service::Microneedling, Service::RfMicroneedling]
        );
        assert!(profile.is_public());

        let mut given = spec();
        given.latitude = Some(50.9);
        given.longitude = Some(6.9);
        let profile = PractitionerProfile::from_spec(&given, gazetteer()).unwrap();
        assert_eq!(profile.coordinates, Coordinates::new(50.9, 6.9).unwrap());
        assert_eq!(profile.coordinates_source, CoordinatesSource::Given);
    }

    #[test]
    fn an_ambiguous_city_needs_its_state_or_coordinates() {
        let message = refused(|s| {
            s.city = "Springfield".into();
            s.country = "US".into();
        });
        assert!(
            message.starts_with("the city 'Springfield' is ambiguous"),
            "{message}"
        );
        assert!(message.contains("\"Springfield, Missouri\""), "{message}");
        let mut s = spec();
        s.city = "Springfield, Illinois".into();
        s.country = "USA".into();
        let profile = PractitionerProfile::from_spec(&s, gazetteer()).unwrap();
        assert_eq!(profile.time_zone, Some("America/Chicago"));
    }

    #[test]
    fn bad_profiles_are_refused_with_a_sentence() {
        type Change = Box<dyn FnOnce(&mut PractitionerSpec)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|s| s.id = " ".into()), "'id' must not be empty"),
            (
                Box::new(|s| s.id = "a b".into()),
                "the id 'a b' may use only",
            ),
            (
                Box::new(|s| s.display_name = String::new()),
                "'display_name' must not be empty",
            ),
            (
                Box::new(|s| s.country = "Narnia".into()),
                "unknown country 'Narnia'",
            ),
            (
                Box::new(|s| s.services.clear()),
                "'services' must list at least one service",
            ),
            (
                Box::new(|s| s.services.push("botox".into())),
                "unknown service 'botox'",
            ),
            (
                Box::new(|s| s.latitude = Some(1.0)),
                "give both 'latitude' and 'longitude'",
            ),
            (
                Box::new(|s| {
                    s.latitude = Some(91.0);
                    s.longitude = Some(0.0);
                }),
                "the latitude 91 is out of range",
            ),
            (
                Box::new(|s| s.city = "Kolnn".into()),
                "the city 'Kolnn' is not in the city table (did you mean Köln",
            ),
            (
                Box::new(|s| s.licence_issuer = None),
                "a public profile needs 'licence_number'",
            ),
            (
                Box::new(|s| s.website = Some("javascript:alert(1)".into())),
                "'website' must be a web address",
            ),
            (
                Box::new(|s| s.booking_url = Some("https://".into())),
                "'booking_url' must be a web address",
            ),
            (
                Box::new(|s| s.phone = Some("1\n2".into())),
                "'phone' contains a control character",
            ),
            (
                Box::new(|s| s.clinic = Some("x".repeat(301))),
                "'clinic' is longer than 300 characters",
            ),
        ];
        for (change, expected) in cases {
            let message = refused(change);
            assert!(
                message.starts_with(expected),
                "{message} (expected {expected})"
            );
        }
    }

    #[test]
    fn a_private_profile_needs_no_licence() {
        let mut s = spec();
        s.licence_number = None;
        s.clinic_approved = false;
        let profile = PractitionerProfile::from_spec(&s, gazetteer()).unwrap();
        assert!(!profile.is_public());
    }

    #[test]
    fn json_lines_report_the_line_and_the_field() {
        let good = r#"{"id": "a", "display_name": "A", "city": "Paris", "country": "FR", "services": ["microneedling"]}"#;
        let profiles = parse_profiles_jsonl(&format!("{good}\n\n"), gazetteer()).unwrap();
        assert_eq!(profiles.len(), 1);
        assert!(!profiles[0].is_public());

        let twice = format!("{good}\n{good}\n");
        let error = parse_profiles_jsonl(&twice, gazetteer()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2: the id 'a' is already used on line 1"
        );

        let error =
            parse_profiles_jsonl(&format!("{good}\n{{\"id\": 3}}"), gazetteer()).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(
            error.to_string().starts_with("line 2: 'id': invalid type"),
            "{error}"
        );

        let error = parse_profiles_jsonl("{\"id\": ", gazetteer()).unwrap_err();
        assert!(
            error.to_string().starts_with("line 1, column 7: EOF"),
            "{error}"
        );

        let error = parse_profiles_jsonl(&good.replace("\"services\"", "\"servces\""), gazetteer())
            .unwrap_err();
        assert!(
            error.to_string().contains("unknown field `servces`"),
            "{error}"
        );
    }

    #[test]
    fn services_have_ids_and_names() {
        assert_eq!(Service::ALL.len(), 4);
        for service in Service::ALL {
            assert_eq!(service.id().parse::<Service>(), Ok(*service));
            assert!(!service.name().is_empty());
        }
    }
}
