//! The practitioner search: parameters as people give them (`near=`, `radius_km=` or
//! `radius_mi=`, `service=`, `limit=`, the API's query string and the CLI's flags), checked
//! into a [`SearchQuery`], run by [`Directory::search`] over the public profiles, nearest
//! first with the distance.
//!
//! Limits, and why: the radius must be more than 0 and at most [`MAX_RADIUS_KM`]
//! (1000 km, 621 miles): aftercare needs a practitioner the patient can reach for a
//! check-up, and beyond that "near" stops meaning anything. Results: 1 to [`MAX_LIMIT`].
//! Every [`SearchError`] is the caller's mistake (HTTP 400, CLI exit 2), and its message is
//! the sentence to show.
//!
//! What does not belong here: HTTP, the browser's "near me" (it arrives as `lat,lon`),
//! storage (the store keeps a [`Directory`] current through `upsert` and `remove`).

use std::collections::HashMap;

use super::gazetteer::{City, CityLookup, Gazetteer};
use super::nearby::{Coordinates, CoordinatesError, KM_PER_MILE, NearbyIndex};
use super::practitioner::{PractitionerProfile, Service};
use crate::vocabulary::UnknownId;

/// The radius when none is given, in km.
pub const DEFAULT_RADIUS_KM: f64 = 50.0;
/// The largest radius accepted, in km (621 miles).
pub const MAX_RADIUS_KM: f64 = 1000.0;
/// How many results when no limit is given.
pub const DEFAULT_LIMIT: usize = 20;
/// The most results one search returns.
pub const MAX_LIMIT: usize = 100;
/// The longest `near` text accepted, in characters.
pub const MAX_NEAR_CHARS: usize = 200;

/// A unit of distance, as the person chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DistanceUnit {
    /// Kilometres.
    Km,
    /// International miles.
    Mi,
}

impl DistanceUnit {
    /// "km" or "miles", for sentences.
    pub fn word(self) -> &'static str {
        match self {
            DistanceUnit::Km => "km",
            DistanceUnit::Mi => "miles",
        }
    }

    /// `km` in this unit.
    pub fn from_km(self, km: f64) -> f64 {
        match self {
            DistanceUnit::Km => km,
            DistanceUnit::Mi => km / KM_PER_MILE,
        }
    }
}

/// Why a search was refused. Each message is one sentence for the person searching.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// No place to search near.
    #[error(
        "say where to search: a city (\"Paris\", \"Paris, France\") or a latitude and longitude (\"48.8566,2.3522\")"
    )]
    MissingNear,
    /// The place text is too long to be a city name.
    #[error("the place to search near is longer than {MAX_NEAR_CHARS} characters")]
    NearTooLong,
    /// The text starts like coordinates but is not two numbers.
    #[error(
        "'{0}' is not a latitude and longitude: give two numbers separated by a comma, such as 48.8566,2.3522"
    )]
    MalformedCoordinates(String),
    /// Coordinates out of range.
    #[error(transparent)]
    Coordinates(#[from] CoordinatesError),
    /// Several cities share the name: choose one.
    #[error("{}", ambiguous_message(.query, .candidates))]
    AmbiguousCity {
        /// The name as given.
        query: String,
        /// The candidates, largest first, with country and population.
        candidates: Vec<City>,
    },
    /// No city has that name.
    #[error("{}", unknown_message(.query, .suggestions))]
    UnknownCity {
        /// The name as given.
        query: String,
        /// Similar names ("did you mean"), most likely first.
        suggestions: Vec<City>,
    },
    /// The radius is given in both units.
    #[error("give the radius in km or in miles, not both")]
    RadiusInTwoUnits,
    /// The radius is not a number.
    #[error("the radius '{given}' is not a number of {}", .unit.word())]
    RadiusNotANumber {
        /// The text given.
        given: String,
        /// The unit it was given in.
        unit: DistanceUnit,
    },
    /// The radius is zero or negative.
    #[error("the radius must be more than 0 {} (got {given})", .unit.word())]
    RadiusNotPositive {
        /// The text given.
        given: String,
        /// The unit it was given in.
        unit: DistanceUnit,
    },
    /// The radius is larger than the limit.
    #[error(
        "the radius of {given} {} is too large: a search reaches at most 1000 km (621 miles)",
        .unit.word()
    )]
    RadiusTooLarge {
        /// The text given.
        given: String,
        /// The unit it was given in.
        unit: DistanceUnit,
    },
    /// The service id is not in the vocabulary.
    #[error(transparent)]
    UnknownService(#[from] UnknownId),
    /// The number of results is not a whole number from 1 to [`MAX_LIMIT`].
    #[error("the number of results must be a whole number from 1 to {MAX_LIMIT} (got '{0}')")]
    BadLimit(String),
}

fn ambiguous_message(query: &str, candidates: &[City]) -> String {
    let list: Vec<String> = candidates.iter().map(City::label_with_population).collect();
    let example = candidates
        .first()
        .map(|c| match c.admin1_name {
            Some(admin1) => format!("{}, {admin1}", c.name),
            None => format!("{}, {}", c.name, c.country_code),
        })
        .unwrap_or_default();
    format!(
        "'{}' matches several cities, so say which one (for example \"{example}\"): {}",
        query.trim(),
        list.join("; ")
    )
}

fn unknown_message(query: &str, suggestions: &[City]) -> String {
    if suggestions.is_empty() {
        format!(
            "no city called '{}' is known (the list has the cities of 15,000 people or more): give a larger city nearby, or a latitude and longitude",
            query.trim()
        )
    } else {
        let labels: Vec<String> = suggestions.iter().map(City::label).collect();
        format!(
            "no city called '{}' is known: did you mean {}?",
            query.trim(),
            labels.join(", or ")
        )
    }
}

/// The search parameters as given: the API's query string, the CLI's flags. Text, so
/// that every mistake gets a [`SearchError`] sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct SearchParams {
    /// A city name (with an optional ", country" or ", state"), or "lat,lon".
    pub near: Option<String>,
    /// The radius in kilometres.
    pub radius_km: Option<String>,
    /// The radius in miles.
    pub radius_mi: Option<String>,
    /// A service id.
    pub service: Option<String>,
    /// How many results at most.
    pub limit: Option<String>,
}

/// The point searched from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Origin {
    /// The text given.
    pub query: String,
    /// The point.
    pub coordinates: Coordinates,
    /// The city, when the text was a city name.
    pub city: Option<City>,
}

impl Origin {
    /// "Paris, France" or "48.8566,2.3522", for sentences.
    pub fn label(&self) -> String {
        match &self.city {
            Some(city) => city.label(),
            None => self.coordinates.to_string(),
        }
    }
}

/// A radius, kept in the unit the person chose.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Radius {
    /// The value in `unit`.
    pub value: f64,
    /// The unit chosen.
    pub unit: DistanceUnit,
    /// The value in km.
    pub km: f64,
}

impl Radius {
    /// "50 km", "10 miles".
    pub fn label(&self) -> String {
        format!("{} {}", self.value, self.unit.word())
    }
}

/// A checked search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchQuery {
    /// Where to search from.
    pub origin: Origin,
    /// How far.
    pub radius: Radius,
    /// Only practitioners offering this service, if set.
    pub service: Option<Service>,
    /// At most this many results.
    pub limit: usize,
}

impl SearchQuery {
    /// Checks every parameter (see the module documentation for the limits).
    pub fn parse(params: &SearchParams, gazetteer: &Gazetteer) -> Result<Self, SearchError> {
        let origin = parse_near(params.near.as_deref().unwrap_or(""), gazetteer)?;
        let radius = parse_radius(params.radius_km.as_deref(), params.radius_mi.as_deref())?;
        let service = params
            .service
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse::<Service>)
            .transpose()?;
        let limit = match params.limit.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_LIMIT,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| SearchError::BadLimit(text.to_owned()))?,
        };
        Ok(SearchQuery {
            origin,
            radius,
            service,
            limit,
        })
    }
}

/// Whether the text is made only of what a decimal number is written with.
fn looks_numeric(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
}

/// Parses `near`: "lat,lon" (decimal degrees) or a city name, with an optional qualifier
/// ("Paris, US", "Springfield, Illinois").
pub fn parse_near(text: &str, gazetteer: &Gazetteer) -> Result<Origin, SearchError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SearchError::MissingNear);
    }
    if text.chars().count() > MAX_NEAR_CHARS {
        return Err(SearchError::NearTooLong);
    }
    let first = text.split(',').next().unwrap_or("").trim();
    if looks_numeric(first) {
        let malformed = || SearchError::MalformedCoordinates(text.to_owned());
        let (lat, lon) = text.split_once(',').ok_or_else(malformed)?;
        let (lat, lon) = (lat.trim(), lon.trim());
        if !looks_numeric(lon) {
            return Err(malformed());
        }
        let latitude: f64 = lat.parse().map_err(|_| malformed())?;
        let longitude: f64 = lon.parse().map_err(|_| malformed())?;
        return Ok(Origin {
            query: text.to_owned(),
            coordinates: Coordinates::new(latitude, longitude)?,
            city: None,
        });
    }
    match gazetteer.lookup(text) {
        CityLookup::Found { city, .. } => Ok(Origin {
            query: text.to_owned(),
            coordinates: city.coordinates,
            city: Some(city),
        }),
        CityLookup::Ambiguous { candidates } => Err(SearchError::AmbiguousCity {
            query: text.to_owned(),
            candidates,
        }),
        CityLookup::Unknown { suggestions } => Err(SearchError::UnknownCity {
            query: text.to_owned(),
            suggestions,
        }),
    }
}

/// Parses the radius, given in km or in miles (not both); none is [`DEFAULT_RADIUS_KM`].
pub fn parse_radius(km: Option<&str>, mi: Option<&str>) -> Result<Radius, SearchError> {
    fn given(text: Option<&str>) -> Option<&str> {
        text.map(str::trim).filter(|t| !t.is_empty())
    }
    let (text, unit) = match (given(km), given(mi)) {
        (Some(_), Some(_)) => return Err(SearchError::RadiusInTwoUnits),
        (Some(text), None) => (text, DistanceUnit::Km),
        (None, Some(text)) => (text, DistanceUnit::Mi),
        (None, None) => {
            return Ok(Radius {
                value: DEFAULT_RADIUS_KM,
                unit: DistanceUnit::Km,
                km: DEFAULT_RADIUS_KM,
            });
        }
    };
    let value: f64 = text
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| SearchError::RadiusNotANumber {
            given: text.to_owned(),
            unit,
        })?;
    if value <= 0.0 {
        return Err(SearchError::RadiusNotPositive {
            given: text.to_owned(),
            unit,
        });
    }
    let km = match unit {
        DistanceUnit::Km => value,
        DistanceUnit::Mi => value * KM_PER_MILE,
    };
    // A hair of tolerance so that "621.371 miles" (1000 km) is accepted.
    if km > MAX_RADIUS_KM * (1.0 + 1e-6) {
        return Err(SearchError::RadiusTooLarge {
            given: text.to_owned(),
            unit,
        });
    }
    Ok(Radius {
        value,
        unit,
        km: km.min(MAX_RADIUS_KM),
    })
}

/// A practitioner found, with the distance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit<'a> {
    /// Great-circle distance in km, to the metre.
    #[serde(serialize_with = "to_the_metre")]
    pub distance_km: f64,
    /// The same in miles.
    #[serde(serialize_with = "to_the_metre")]
    pub distance_mi: f64,
    /// The public profile.
    pub practitioner: &'a PractitionerProfile,
}

fn to_the_metre<S: serde::Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64((value * 1000.0).round() / 1000.0)
}

/// What a search found: the query as understood, and the hits, nearest first.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResults<'a> {
    /// The query as understood (the city found, the radius in km).
    pub query: SearchQuery,
    /// Nearest first; ties in a fixed order (by id).
    pub results: Vec<SearchHit<'a>>,
    /// The GeoNames attribution, to show with the results.
    pub attribution: &'static str,
}

/// Whether a profile was listed by [`Directory::upsert`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// Public: it can be found.
    Listed,
    /// Not public (not opted in, or not approved by the clinic): taken out of the directory.
    Unlisted,
}

/// The public practitioner profiles and their spatial index, kept in step: every change
/// goes through [`Directory::upsert`] or [`Directory::remove`].
#[derive(Debug, Clone, Default)]
pub struct Directory {
    profiles: HashMap<String, PractitionerProfile>,
    index: NearbyIndex<String>,
}

impl Directory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// A directory of the public profiles among `profiles`, indexed in one pass; a later
    /// profile with the same id replaces an earlier one.
    pub fn from_profiles(profiles: impl IntoIterator<Item = PractitionerProfile>) -> Self {
        let profiles: HashMap<String, PractitionerProfile> = profiles
            .into_iter()
            .filter(PractitionerProfile::is_public)
            .map(|p| (p.id.clone(), p))
            .collect();
        let index =
            NearbyIndex::bulk_load(profiles.values().map(|p| (p.id.clone(), p.coordinates)));
        Self { profiles, index }
    }

    /// Adds or replaces a profile. A profile that is not public is taken out instead.
    pub fn upsert(&mut self, profile: PractitionerProfile) -> Listing {
        if !profile.is_public() {
            self.remove(&profile.id);
            return Listing::Unlisted;
        }
        self.index.insert(profile.id.clone(), profile.coordinates);
        self.profiles.insert(profile.id.clone(), profile);
        Listing::Listed
    }

    /// Takes a profile out; returns it if it was listed.
    pub fn remove(&mut self, id: &str) -> Option<PractitionerProfile> {
        self.index.remove(&id.to_owned());
        self.profiles.remove(id)
    }

    /// A listed profile.
    pub fn get(&self, id: &str) -> Option<&PractitionerProfile> {
        self.profiles.get(id)
    }

    /// How many profiles are listed.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether no profile is listed.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The listed practitioners within the radius (offering the service, if one is set),
    /// nearest first, at most `limit`.
    pub fn search(&self, query: &SearchQuery) -> SearchResults<'_> {
        let offers = |id: &String| {
            query
                .service
                .is_none_or(|service| self.profiles.get(id).is_some_and(|p| p.offers(service)))
        };
        let results = self
            .index
            .nearest_within(
                query.origin.coordinates,
                query.radius.km,
                query.limit,
                offers,
            )
            .into_iter()
            .filter_map(|n| {
                Some(SearchHit {
                    distance_km: n.distance_km,
                    distance_mi: DistanceUnit::Mi.from_km(n.distance_km),
                    practitioner: self.profiles.get(&n.key)?,
                })
            })
            .collect();
        SearchResults {
            query: query.clone(),
            results,
            attribution: super::gazetteer::ATTRIBUTION,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::practitioner::PractitionerSpec;

    fn gazetteer() -> &'static Gazetteer {
        Gazetteer::embedded()
    }

    fn params(near: &str) -> SearchParams {
        SearchParams {
            near: Some(near.into()),
            ..SearchParams::default()
        }
    }

    fn refused(p: SearchParams) -> String {
        SearchQuery::parse(&p, gazetteer()).unwrap_err().to_string()
    }

    fn profile(
        id: &str,
        lat: f64,
        lon: f64,
        services: &[&str],
        public: bool,
    ) -> PractitionerProfile {
        let spec = PractitionerSpec {
            id: id.into(),
            display_name: format!("Practitioner {id}"),
            city: "Paris".into(),
            country: "FR".into(),
            latitude: Some(lat),
            longitude: Some(lon),
            services: services.iter().map(|s| (*s).to_owned()).collect(),
            licence_number: Some("1".into()),
            licence_issuer: Some("Ordre".into()),
            opted_in: true,
            clinic_approved: public,
            ..PractitionerSpec::default()
        };
        PractitionerProfile::from_spec(&spec, gazetteer()).unwrap()
    }

    #[test]
    fn near_takes_a_city_or_coordinates() {
        let q = SearchQuery::parse(&params("Paris"), gazetteer()).unwrap();
        assert_eq!(q.origin.label(), "Paris, France");
        assert_eq!(
            (q.radius.km, q.limit, q.service),
            (DEFAULT_RADIUS_KM, DEFAULT_LIMIT, None)
        );
        let q = SearchQuery::parse(&params(" 48.8566 , -2.35 "), gazetteer()).unwrap();
        assert_eq!(
            q.origin.coordinates,
            Coordinates::new(48.8566, -2.35).unwrap()
        );
        assert!(q.origin.city.is_none());
        let q = SearchQuery::parse(&params("Paris, US"), gazetteer()).unwrap();
        assert_eq!(q.origin.label(), "Paris, Texas, United States");
    }

    #[test]
    fn radius_in_km_or_miles() {
        let r = parse_radius(None, Some("10")).unwrap();
        assert_eq!(r.unit, DistanceUnit::Mi);
        assert!((r.km - 16.09344).abs() < 1e-9);
        assert_eq!(r.label(), "10 miles");
        assert_eq!(parse_radius(Some("1000"), None).unwrap().km, 1000.0);
        // 1000 km is 621.3712 miles: rounding the miles to 4 places is accepted.
        assert!((parse_radius(None, Some("621.3712")).unwrap().km - 1000.0).abs() < 1e-3);
        assert!(parse_radius(None, Some("621.38")).is_err());
        assert_eq!(parse_radius(Some(" "), None).unwrap().km, DEFAULT_RADIUS_KM);
    }

    #[test]
    fn bad_input_gets_one_clear_sentence() {
        let with = |f: fn(&mut SearchParams)| {
            let mut p = params("Paris");
            f(&mut p);
            refused(p)
        };
        let cases: Vec<(String, &str)> = vec![
            (
                refused(SearchParams::default()),
                "say where to search: a city",
            ),
            (refused(params("  ")), "say where to search"),
            (
                refused(params(&"x".repeat(201))),
                "the place to search near is longer than 200",
            ),
            (
                refused(params("91,0")),
                "the latitude 91 is out of range: it must be between -90 and 90 degrees",
            ),
            (
                refused(params("0,-181")),
                "the longitude -181 is out of range",
            ),
            (
                refused(params("48.8,abc")),
                "'48.8,abc' is not a latitude and longitude",
            ),
            (
                refused(params("48.8")),
                "'48.8' is not a latitude and longitude",
            ),
            (
                refused(params("1-2,3")),
                "'1-2,3' is not a latitude and longitude",
            ),
            (
                refused(params("Pariss")),
                "no city called 'Pariss' is known: did you mean Paris, France",
            ),
            (
                refused(params("Xqzzyvx")),
                "no city called 'Xqzzyvx' is known (the list has the cities of 15,000 people or more)",
            ),
            (
                refused(params("Springfield")),
                "'Springfield' matches several cities, so say which one (for example \"Springfield, Missouri\"): Springfield, Missouri, United States (170,188 people); ",
            ),
            (
                with(|p| p.radius_km = Some("0".into())),
                "the radius must be more than 0 km (got 0)",
            ),
            (
                with(|p| p.radius_km = Some("-5".into())),
                "the radius must be more than 0 km (got -5)",
            ),
            (
                with(|p| p.radius_mi = Some("abc".into())),
                "the radius 'abc' is not a number of miles",
            ),
            (
                with(|p| p.radius_km = Some("NaN".into())),
                "the radius 'NaN' is not a number of km",
            ),
            (
                with(|p| p.radius_km = Some("inf".into())),
                "the radius 'inf' is not a number of km",
            ),
            (
                with(|p| p.radius_km = Some("1001".into())),
                "the radius of 1001 km is too large: a search reaches at most 1000 km (621 miles)",
            ),
            (
                with(|p| p.radius_mi = Some("700".into())),
                "the radius of 700 miles is too large",
            ),
            (
                with(|p| {
                    p.radius_km = Some("5".into());
                    p.radius_mi = Some("5".into());
                }),
                "give the radius in km or in miles, not both",
            ),
            (
                with(|p| p.service = Some("botox".into())),
                "unknown service 'botox' (expected one of: microneedling, rf_microneedling, microneedling_prp, scalp_microneedling)",
            ),
            (
                with(|p| p.limit = Some("0".into())),
                "the number of results must be a whole number from 1 to 100 (got '0')",
            ),
            (
                with(|p| p.limit = Some("101".into())),
                "the number of results must be a whole number from 1 to 100",
            ),
        ];
        for (message, expected) in cases {
            assert!(
                message.starts_with(expected),
                "{message}\n  expected: {expected}"
            );
        }
    }

    #[test]
    fn the_directory_lists_only_public_profiles_nearest_first_and_stays_current() {
        let mut directory = Directory::from_profiles([
            profile("far", 48.95, 2.35, &["microneedling"], true),
            profile(
                "near",
                48.86,
                2.35,
                &["microneedling", "microneedling_prp"],
                true,
            ),
            profile("hidden", 48.8566, 2.3522, &["microneedling"], false),
            profile("lyon", 45.75, 4.85, &["microneedling"], true),
        ]);
        assert_eq!(directory.len(), 3);
        let q = SearchQuery::parse(&params("48.8566,2.3522"), gazetteer()).unwrap();
        let ids = |d: &Directory, q: &SearchQuery| -> Vec<String> {
            d.search(q)
                .results
                .iter()
                .map(|h| h.practitioner.id.clone())
                .collect()
        };
        assert_eq!(ids(&directory, &q), ["near", "far"]);
        let results = directory.search(&q);
        assert!(results.results[0].distance_km < results.results[1].distance_km);
        assert!((results.results[1].distance_km - 10.5).abs() < 0.5);

        let mut prp = q.clone();
        prp.service = Some(Service::MicroneedlingPrp);
        assert_eq!(ids(&directory, &prp), ["near"]);

        // "near" moves to Lyon; "hidden" is approved; "far" withdraws.
        assert_eq!(
            directory.upsert(profile("near", 45.76, 4.84, &["microneedling"], true)),
            Listing::Listed
        );
        directory.upsert(profile("hidden", 48.8566, 2.3522, &["microneedling"], true));
        assert_eq!(
            directory.upsert(profile("far", 48.95, 2.35, &["microneedling"], false)),
            Listing::Unlisted
        );
        assert_eq!(ids(&directory, &q), ["hidden"]);
        assert!(directory.remove("hidden").is_some());
        assert!(directory.remove("hidden").is_none());
        assert!(directory.search(&q).results.is_empty());
        let lyon = SearchQuery::parse(&params("Lyon"), gazetteer()).unwrap();
        assert_eq!(ids(&directory, &lyon), ["lyon", "near"]);
    }

    #[test]
    fn results_serialise_with_rounded_distances_and_the_attribution() {
        let directory =
            Directory::from_profiles([profile("a", 48.86, 2.35, &["microneedling"], true)]);
        let q = SearchQuery::parse(&params("Paris"), gazetteer()).unwrap();
        let json = serde_json::to_value(directory.search(&q)).unwrap();
        assert_eq!(json["query"]["origin"]["city"]["label"], "Paris, France");
        assert_eq!(json["query"]["radius"]["unit"], "km");
        let hit = &json["results"][0];
        assert_eq!(hit["practitioner"]["id"], "a");
        assert!(hit["practitioner"].get("opted_in").is_none());
        let km = hit["distance_km"].as_f64().unwrap();
        assert_eq!((km * 1000.0).round() / 1000.0, km);
        assert!(json["attribution"].as_str().unwrap().contains("GeoNames"));
    }
}
