//! "Find a Practitioner": city names to coordinates, practitioner profiles, and the search
//! for trained, licensed practitioners near a place, nearest first.
//!
//! - `gazetteer.rs`: the embedded GeoNames city table (CC BY 4.0), looked up by name with
//!   case and accent folding, qualifiers, candidates for ambiguous names, suggestions;
//! - `nearby.rs`: coordinates, haversine distances and [`NearbyIndex`], an R-tree kept
//!   current as points move;
//! - `practitioner.rs`: the service vocabulary and the practitioner profile;
//! - `search.rs`: search parameters, their checks and messages, and [`Directory`], the
//!   public profiles with their index.
//!
//! What does not belong here: storing profiles (the store crate), HTTP and pages (the web
//! crate), reading files and printing (the CLI). They all call [`SearchQuery::parse`] and
//! [`Directory::search`], so every front end answers alike.

pub mod gazetteer;
pub mod nearby;
pub mod practitioner;
pub mod search;

pub use gazetteer::{City, CityLookup, Gazetteer};
pub use nearby::{Coordinates, CoordinatesError, NearbyIndex, Neighbour, haversine_km};
pub use practitioner::{
    PractitionerProfile, PractitionerSpec, ProfileError, ProfileLineError, Service,
    parse_profiles_jsonl,
};
pub use search::{
    Directory, DistanceUnit, Listing, Radius, SearchError, SearchHit, SearchParams, SearchQuery,
    SearchResults,
};
