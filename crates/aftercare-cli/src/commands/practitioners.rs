//! `aftercare practitioners search`: find trained, licensed practitioners near a city or a
//! point, nearest first with the distance, as text or JSON.
//!
//! The profiles come from a JSON Lines file (`--profiles`), one profile a line, or from
//! the app's database (`--database`: the public profiles the web directory shows, loaded
//! by `aftercare_web::directory`). Either way only opted-in, clinic-approved profiles are
//! listed, and both feed the same core `Directory`.
//!
//! What does not belong here: the checks, the city lookup and the search itself
//! (`aftercare_core::geo`), the SQL (`aftercare-store`); this module reads and prints.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use aftercare_core::geo::{
    Directory, DistanceUnit, Gazetteer, SearchParams, SearchQuery, SearchResults,
    parse_profiles_jsonl, search::MAX_RADIUS_KM,
};
use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};

use crate::{
    commands::data::{Access, block_on, open_database},
    failure::bad_input,
    input::read_text,
    output::write_stdout,
};

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

With --database, the profiles are those of the web app's directory (practitioners edit them at
/clinic/directory, clinic admins approve them): only opted-in, approved profiles of active
accounts. The database is a SQLite file, a sqlite: URL or a postgres:// URL; it is brought to
the current schema, as `aftercare serve` does.

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
    #[arg(
        long,
        value_name = "FILE.jsonl",
        required_unless_present = "database",
        conflicts_with = "database"
    )]
    pub profiles: Option<PathBuf>,
    /// Search the web app's directory instead: a SQLite file, sqlite: URL or postgres:// URL.
    #[arg(long, visible_alias = "database-url", value_name = "PATH_OR_URL")]
    pub database: Option<String>,
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
    let directory = match (&args.profiles, &args.database) {
        (Some(path), _) => {
            let text = read_text(path, MAX_PROFILES_BYTES, "profiles")?;
            let profiles = parse_profiles_jsonl(&text, gazetteer)
                .map_err(|e| bad_input(format!("the profiles file '{}', {e}", path.display())))?;
            Directory::from_profiles(profiles)
        }
        (None, Some(url)) => directory_from_database(url)?,
        (None, None) => return Err(bad_input("give --profiles FILE.jsonl or --database URL")),
    };
    let results = directory.search(&query);
    let output = match args.format {
        SearchFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
        SearchFormat::Text => render_text(&results),
    };
    write_stdout(&output)
}

/// The SQLite file a database argument names, if it names one (not PostgreSQL, not an
/// in-memory database).
fn sqlite_file(url: &str) -> Option<&Path> {
    if url.contains("://") && !url.starts_with("sqlite:") {
        return None;
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then(|| Path::new(path))
}

/// The public directory of the app's database (the same loading as the web app's).
fn directory_from_database(url: &str) -> anyhow::Result<Directory> {
    let url = url.trim();
    if let Some(path) = sqlite_file(url)
        && !path.exists()
    {
        return Err(bad_input(format!(
            "--database {}: no database there (give the file `aftercare serve` uses)",
            path.display()
        )));
    }
    block_on(async {
        // Read-only and as it is: a search never migrates the app's database.
        let store = open_database(url, Access::ReadCurrent).await?;
        let loaded = aftercare_web::directory::load_public_directory(store.as_ref())
            .await
            .context("cannot read the practitioner profiles");
        store.close().await;
        let loaded = loaded?;
        for (id, reason) in &loaded.skipped {
            eprintln!("aftercare: warning: the public profile {id} is left out: {reason}");
        }
        Ok(loaded.directory)
    })
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
