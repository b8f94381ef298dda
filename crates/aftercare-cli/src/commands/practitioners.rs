//! `aftercare practitioners search`: find trained, licensed practitioners near a city or a
//! point, nearest first with the distance, as text or JSON.
//!
//! The profiles come from a JSON Lines file (`--profiles`), one profile a line; only
//! opted-in, clinic-approved profiles are listed. When the store gains its profiles table,
//! a database source goes beside the file: both feed the same core `Directory`.
//!
//! What does not belong here: the checks, the city lookup and the search itself
//! (`aftercare_core::geo`); this module reads the file and prints.

use std::{fmt::Write as _, path::PathBuf};

use aftercare_core::geo::{
    Directory, DistanceUnit, Gazetteer, SearchParams, SearchQuery, SearchResults,
    parse_profiles_jsonl, search::MAX_RADIUS_KM,
};
use clap::{Args, Subcommand, ValueEnum};

use crate::{failure::bad_input, input::read_text, output::write_stdout};

/// The largest profiles file read, in bytes (100,000 profiles of about 600 bytes fit).
const MAX_PROFILES_BYTES: usize = 256 * 1024 * 1024;

/// Arguments of `aftercare practitioners`.
#[derive(Debug, Args)]
pub struct PractitionersArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PractitionersCommand,
}

/// The subcommands of `aftercare practitioners`.
#[derive(Debug, Subcommand)]
pub enum PractitionersCommand {
    /// Practitioners near a city or a point, nearest first.
    Search(SearchArgs),
}

/// Arguments of `aftercare practitioners search`.
#[derive(Debug, Args)]
#[command(after_help = "\
PLACE is a city (\"Paris\", \"Paris, France\", \"Paris, US\", \"Springfield, Illinois\") or a
latitude and longitude in decimal degrees (\"48.8566,2.3522\"). An ambiguous city name lists
the candidates to choose from; an unknown one suggests similar names.

The radius is 50 km unless given, at most 1000 km (621 miles).
Services: microneedling, rf_microneedling, microneedling_prp, scalp_microneedling.

A profiles file has one JSON object a line:
  {\"id\": \"p-001\", \"display_name\": \"Dr Jane Doe\", \"clinic\": \"Skin Clinic\",
   \"address\": \"12 Rue de Rivoli\", \"city\": \"Paris\", \"country\": \"FR\",
   \"latitude\": 48.8556, \"longitude\": 2.3601,
   \"services\": [\"microneedling\", \"microneedling_prp\"],
   \"credentials\": [\"MD, dermatology\"], \"licence_number\": \"75-123456\",
   \"licence_issuer\": \"Ordre des médecins\", \"phone\": \"+33 1 23 45 67 89\",
   \"website\": \"https://example.org\", \"booking_url\": \"https://example.org/book\",
   \"opted_in\": true, \"clinic_approved\": true}
Required: id, display_name, city, country, services. Latitude and longitude come from the
city unless both are given. Only profiles with opted_in and clinic_approved are listed, and
those need licence_number and licence_issuer.

City data: GeoNames (geonames.org), licensed under CC BY 4.0.")]
pub struct SearchArgs {
    /// Where to search from: a city, or LAT,LON.
    #[arg(long, value_name = "PLACE", allow_hyphen_values = true)]
    pub near: String,
    /// The radius in kilometres (default 50).
    #[arg(
        long,
        value_name = "KM",
        conflicts_with = "radius_mi",
        allow_hyphen_values = true
    )]
    pub radius_km: Option<String>,
    /// The radius in miles.
    #[arg(long, value_name = "MILES", allow_hyphen_values = true)]
    pub radius_mi: Option<String>,
    /// Only practitioners offering this service.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// At most this many results (1-100, default 20).
    #[arg(long, value_name = "N")]
    pub limit: Option<String>,
    /// The practitioner profiles: a JSON Lines file ('-' for standard input).
    #[arg(long, value_name = "FILE.jsonl")]
    pub profiles: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
    pub format: SearchFormat,
}

/// Output formats of `aftercare practitioners search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Plain text for a person.
    Text,
    /// One JSON object: the query as understood and the results with their distances.
    Json,
}

/// Runs `aftercare practitioners`.
pub fn run(args: PractitionersArgs) -> anyhow::Result<()> {
    match args.command {
        PractitionersCommand::Search(args) => search(args),
    }
}

fn search(args: SearchArgs) -> anyhow::Result<()> {
    let gazetteer = Gazetteer::embedded();
    let params = SearchParams {
        near: Some(args.near),
        radius_km: args.radius_km,
        radius_mi: args.radius_mi,
        service: args.service,
        limit: args.limit,
    };
    let query = SearchQuery::parse(&params, gazetteer).map_err(bad_input)?;
    let text = read_text(&args.profiles, MAX_PROFILES_BYTES, "profiles")?;
    let profiles = parse_profiles_jsonl(&text, gazetteer).map_err(|e| {
        bad_input(format!(
            "the profiles file '{}', {e}",
            args.profiles.display()
        ))
    })?;
    let directory = Directory::from_profiles(profiles);
    let results = directory.search(&query);
    let output = match args.format {
        SearchFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
        SearchFormat::Text => render_text(&results),
    };
    write_stdout(&output)
}

/// A distance in the unit the person chose: "2.4 km", "1.5 miles".
fn distance(km: f64, unit: DistanceUnit) -> String {
    format!("{:.1} {}", unit.from_km(km), unit.word())
}

fn render_text(results: &SearchResults<'_>) -> String {
    let query = &results.query;
    let unit = query.radius.unit;
    let offering = query
        .service
        .map(|s| format!(" offering {}", s.name()))
        .unwrap_or_default();
    let mut out = String::new();
    let place = query.origin.label();
    let radius = query.radius.label();
    if results.results.is_empty() {
        let _ = writeln!(
            out,
            "No practitioner{offering} within {radius} of {place}. Try a larger radius (up to {MAX_RADIUS_KM} km){}.",
            if query.service.is_some() {
                " or another service"
            } else {
                ""
            }
        );
    } else {
        let count = results.results.len();
        let noun = if count == 1 {
            "practitioner"
        } else {
            "practitioners"
        };
        let _ = writeln!(
            out,
            "{count} {noun}{offering} within {radius} of {place}, nearest first:"
        );
    }
    for (n, hit) in results.results.iter().enumerate() {
        let p = hit.practitioner;
        let _ = writeln!(out);
        let clinic = p
            .clinic
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}. {}{clinic} ({})",
            n + 1,
            p.display_name,
            distance(hit.distance_km, unit)
        );
        let address = match &p.address {
            Some(address) => format!("{address}, {}, {}", p.city, p.country),
            None => format!("{}, {}", p.city, p.country),
        };
        let _ = writeln!(out, "   {address}");
        let services: Vec<&str> = p.services.iter().map(|s| s.name()).collect();
        let _ = writeln!(out, "   Services: {}", services.join("; "));
        if let Some(licence) = &p.licence {
            let _ = writeln!(
                out,
                "   Licence: {}, issued by {}",
                licence.number, licence.issuer
            );
        }
        if !p.credentials.is_empty() {
            let _ = writeln!(out, "   Credentials: {}", p.credentials.join("; "));
        }
        for (label, value) in [
            ("Phone", &p.phone),
            ("Website", &p.website),
            ("Booking", &p.booking_url),
        ] {
            if let Some(value) = value {
                let _ = writeln!(out, "   {label}: {value}");
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Distances are in a straight line. {}",
        results.attribution
    );
    out
}
