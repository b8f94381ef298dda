//! `GET /api/v1/practitioners`: the public practitioner search as JSON, no account needed.
//! The same parameters, checks and answer as the page and `aftercare practitioners search
//! --format json` (the core's `SearchQuery::parse` and `Directory::search`); the fields
//! below mirror the core's JSON so that the OpenAPI document describes them.
//!
//! Bad input is always 400 with one sentence; an ambiguous city also lists its
//! `candidates`, an unknown one its `suggestions` (country and population included), to
//! choose from and send again as `near`.

use aftercare_core::geo::{
    City, Gazetteer, SearchError, SearchParams, SearchQuery, SearchResults,
    practitioner::CoordinatesSource,
};
use axum::{
    Json,
    extract::{Query, State, rejection::QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    error::{ApiError, ErrorBody},
    routes::directory::near_text,
    state::AppState,
};

/// The search parameters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PractitionersQuery {
    /// A city ("Paris", "Paris, France", "Springfield, Illinois") or "lat,lon" in decimal
    /// degrees ("48.8566,2.3522"). Required.
    pub near: Option<String>,
    /// The radius in km: more than 0, at most 1000 (default 50).
    pub radius_km: Option<String>,
    /// The radius in miles instead: more than 0, at most 621.
    pub radius_mi: Option<String>,
    /// Only practitioners offering this service: `microneedling`, `rf_microneedling`,
    /// `microneedling_prp` or `scalp_microneedling`.
    pub service: Option<String>,
    /// At most this many results, 1-100 (default 20).
    pub limit: Option<String>,
}

/// A city of the GeoNames table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CityJson {
    /// The GeoNames id.
    pub geoname_id: u32,
    /// The name ("Springfield").
    pub name: String,
    /// "Springfield, Illinois, United States".
    pub label: String,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: String,
    /// The country's English name.
    pub country: String,
    /// The state or region, where known.
    pub admin1: Option<String>,
    /// Its population.
    pub population: u64,
    /// Latitude, decimal degrees.
    pub latitude: f64,
    /// Longitude, decimal degrees.
    pub longitude: f64,
    /// The IANA time zone.
    pub time_zone: String,
    /// What to send as `near` to search from this city.
    pub near: String,
}

impl CityJson {
    fn of(city: &City, gazetteer: &Gazetteer) -> Self {
        CityJson {
            geoname_id: city.geoname_id,
            name: city.name.to_owned(),
            label: city.label(),
            country_code: city.country_code.to_owned(),
            country: city.country_name.to_owned(),
            admin1: city.admin1_name.map(str::to_owned),
            population: city.population,
            latitude: city.coordinates.latitude(),
            longitude: city.coordinates.longitude(),
            time_zone: city.time_zone.to_owned(),
            near: near_text(city, gazetteer),
        }
    }
}

/// A point.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoordinatesJson {
    /// Latitude, decimal degrees.
    pub latitude: f64,
    /// Longitude, decimal degrees.
    pub longitude: f64,
}

/// Where the search is from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OriginJson {
    /// `near` as given.
    pub query: String,
    /// The point.
    pub coordinates: CoordinatesJson,
    /// The city, when `near` was a city.
    pub city: Option<CityJson>,
}

/// The radius as understood.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RadiusJson {
    /// The value in `unit`.
    pub value: f64,
    /// `km` or `mi`.
    pub unit: String,
    /// The value in km.
    pub km: f64,
}

/// The search as understood.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueryJson {
    /// Where from.
    pub origin: OriginJson,
    /// How far.
    pub radius: RadiusJson,
    /// The service filter, if any.
    pub service: Option<String>,
    /// At most this many results.
    pub limit: usize,
}

/// A licence and the body that issued it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LicenceJson {
    /// The licence number.
    pub number: String,
    /// The issuing body.
    pub issuer: String,
}

/// A public practitioner profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PractitionerJson {
    /// The profile's id.
    pub id: String,
    /// The name shown.
    pub display_name: String,
    /// The clinic's name.
    pub clinic: Option<String>,
    /// The street address.
    pub address: Option<String>,
    /// The city, as written.
    pub city: String,
    /// ISO 3166-1 alpha-2 code.
    pub country_code: String,
    /// The country's English name.
    pub country: String,
    /// Where the practice is.
    pub coordinates: CoordinatesJson,
    /// `given` (by the practitioner) or `city` (the city's centre).
    pub coordinates_source: String,
    /// The city's IANA time zone, when known.
    pub time_zone: Option<String>,
    /// Service ids.
    pub services: Vec<String>,
    /// Qualifications as written.
    pub credentials: Vec<String>,
    /// The licence (always present for a listed profile).
    pub licence: Option<LicenceJson>,
    /// A phone number.
    pub phone: Option<String>,
    /// The website.
    pub website: Option<String>,
    /// The online booking link.
    pub booking_url: Option<String>,
}

/// A practitioner found, with the distance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HitJson {
    /// Great-circle distance in km, to the metre.
    pub distance_km: f64,
    /// The same in miles.
    pub distance_mi: f64,
    /// The public profile.
    pub practitioner: PractitionerJson,
}

/// The answer: the query as understood, and the practitioners, nearest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PractitionersResponse {
    /// The query as understood.
    pub query: QueryJson,
    /// Nearest first (ties by id).
    pub results: Vec<HitJson>,
    /// The GeoNames attribution, to show with the results.
    pub attribution: String,
}

/// A refused search: one sentence, and for a city name the places to choose from.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchErrorResponse {
    /// `code` is `ambiguous_place`, `unknown_place` or `bad_request`.
    pub error: ErrorBody,
    /// The cities an ambiguous name may mean, largest first.
    pub candidates: Vec<CityJson>,
    /// Similar names for an unknown city, most likely first.
    pub suggestions: Vec<CityJson>,
}

fn to_the_metre(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn response_of(results: &SearchResults<'_>, gazetteer: &Gazetteer) -> PractitionersResponse {
    let query = &results.query;
    let point = |c: aftercare_core::geo::Coordinates| CoordinatesJson {
        latitude: c.latitude(),
        longitude: c.longitude(),
    };
    PractitionersResponse {
        query: QueryJson {
            origin: OriginJson {
                query: query.origin.query.clone(),
                coordinates: point(query.origin.coordinates),
                city: query
                    .origin
                    .city
                    .as_ref()
                    .map(|c| CityJson::of(c, gazetteer)),
            },
            radius: RadiusJson {
                value: query.radius.value,
                unit: match query.radius.unit {
                    aftercare_core::geo::DistanceUnit::Km => "km".into(),
                    aftercare_core::geo::DistanceUnit::Mi => "mi".into(),
                },
                km: query.radius.km,
            },
            service: query.service.map(|s| s.id().to_owned()),
            limit: query.limit,
        },
        results: results
            .results
            .iter()
            .map(|hit| {
                let p = hit.practitioner;
                HitJson {
                    distance_km: to_the_metre(hit.distance_km),
                    distance_mi: to_the_metre(hit.distance_mi),
                    practitioner: PractitionerJson {
                        id: p.id.clone(),
                        display_name: p.display_name.clone(),
                        clinic: p.clinic.clone(),
                        address: p.address.clone(),
                        city: p.city.clone(),
                        country_code: p.country_code.to_owned(),
                        country: p.country.to_owned(),
                        coordinates: point(p.coordinates),
                        coordinates_source: match p.coordinates_source {
                            CoordinatesSource::Given => "given".into(),
                            CoordinatesSource::City { .. } => "city".into(),
                        },
                        time_zone: p.time_zone.map(str::to_owned),
                        services: p.services.iter().map(|s| s.id().to_owned()).collect(),
                        credentials: p.credentials.clone(),
                        licence: p.licence.as_ref().map(|l| LicenceJson {
                            number: l.number.clone(),
                            issuer: l.issuer.clone(),
                        }),
                        phone: p.phone.clone(),
                        website: p.website.clone(),
                        booking_url: p.booking_url.clone(),
                    },
                }
            })
            .collect(),
        attribution: results.attribution.to_owned(),
    }
}

fn refused(
    code: &str,
    message: String,
    gazetteer: &Gazetteer,
    error: Option<&SearchError>,
) -> Response {
    let cities = |list: &[City]| list.iter().map(|c| CityJson::of(c, gazetteer)).collect();
    let (code, candidates, suggestions) = match error {
        Some(SearchError::AmbiguousCity { candidates, .. }) => {
            ("ambiguous_place", cities(candidates), Vec::new())
        }
        Some(SearchError::UnknownCity { suggestions, .. }) => {
            ("unknown_place", Vec::new(), cities(suggestions))
        }
        _ => (code, Vec::new(), Vec::new()),
    };
    (
        StatusCode::BAD_REQUEST,
        Json(SearchErrorResponse {
            error: ErrorBody {
                code: code.to_owned(),
                message,
            },
            candidates,
            suggestions,
        }),
    )
        .into_response()
}

/// Find trained, licensed practitioners near a city or a point.
///
/// Only profiles the practitioner opted in to AND their clinic approved are ever listed.
/// Results are nearest first, with the great-circle distance in km and miles.
#[utoipa::path(
    get,
    path = "/api/v1/practitioners",
    tag = "directory",
    params(PractitionersQuery),
    responses(
        (status = 200, description = "The practitioners within the radius, nearest first", body = PractitionersResponse),
        (status = 400, description = "A parameter is not acceptable (the message says which); an ambiguous or unknown city lists the places to choose from", body = SearchErrorResponse),
    )
)]
pub async fn search_practitioners(
    State(state): State<AppState>,
    query: Result<Query<PractitionersQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let gazetteer = Gazetteer::embedded();
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => {
            return Ok(refused(
                "bad_request",
                format!(
                    "The query string could not be read: {}",
                    rejection.body_text()
                ),
                gazetteer,
                None,
            ));
        }
    };
    let params = SearchParams {
        near: query.near,
        radius_km: query.radius_km,
        radius_mi: query.radius_mi,
        service: query.service,
        limit: query.limit,
    };
    let query = match SearchQuery::parse(&params, gazetteer) {
        Ok(query) => query,
        Err(error) => {
            let message = crate::treatments::sentence(&error.to_string());
            return Ok(refused("bad_request", message, gazetteer, Some(&error)));
        }
    };
    let snapshot = state.directory().current(state.store()).await?;
    let results = snapshot.directory.search(&query);
    Ok(Json(response_of(&results, gazetteer)).into_response())
}
