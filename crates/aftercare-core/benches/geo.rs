//! Practitioner search: the spatial index against a linear scan, in the same run.
//!
//! 100,000 practitioners, placed like people: around the cities of the embedded GeoNames
//! table, each city chosen with a probability proportional to its population, then up to
//! 30 km from its centre (a fixed-seed generator, so every run uses the same points).
//! The queries are 200 such places. Measured: the 20 nearest within 50 km through
//! `NearbyIndex::nearest_within` and through `scan_within` (every point measured), then
//! the whole `Directory::search`, gazetteer lookups, and building and updating the index.
//!
//!     cargo bench -p aftercare-core --bench geo
//!
//! After criterion's figures, a summary line gives the index's speed-up over the scan on
//! the same queries (figures in docs/performance.md, "Practitioner search").

use std::{hint::black_box, time::Instant};

use aftercare_core::geo::{
    Coordinates, Directory, Gazetteer, NearbyIndex, PractitionerProfile, PractitionerSpec,
    SearchParams, SearchQuery, nearby::scan_within,
};
use criterion::{Criterion, criterion_group};

const PRACTITIONERS: usize = 100_000;
const QUERIES: usize = 200;
const RADIUS_KM: f64 = 50.0;
const NEAREST: usize = 20;

/// SplitMix64: a small, fixed-seed generator (no dependency, same points every run).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Random places around cities, weighted by population.
struct Places {
    cities: Vec<Coordinates>,
    cumulative: Vec<u64>,
    rng: SplitMix,
}

impl Places {
    fn new(seed: u64) -> Self {
        let mut cities = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for city in Gazetteer::embedded().cities() {
            total += city.population.max(1);
            cities.push(city.coordinates);
            cumulative.push(total);
        }
        Self {
            cities,
            cumulative,
            rng: SplitMix(seed),
        }
    }

    fn next(&mut self) -> Coordinates {
        let total = *self.cumulative.last().expect("the city table is not empty");
        let pick = self.rng.next() % total;
        let i = self.cumulative.partition_point(|&c| c <= pick);
        let center = self.cities[i];
        let distance_km = 30.0 * self.rng.unit().sqrt();
        let bearing = std::f64::consts::TAU * self.rng.unit();
        let lat = center.latitude() + distance_km * bearing.cos() / 111.2;
        let lat_cos = center.latitude().to_radians().cos().max(0.01);
        let lon = center.longitude() + distance_km * bearing.sin() / (111.2 * lat_cos);
        let lat = lat.clamp(-90.0, 90.0);
        let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
        Coordinates::new(lat, lon).expect("clamped and wrapped into range")
    }
}

fn points() -> Vec<(u32, Coordinates)> {
    let mut places = Places::new(0x00af_7e2c_a2e5);
    (0..PRACTITIONERS as u32)
        .map(|i| (i, places.next()))
        .collect()
}

fn queries() -> Vec<Coordinates> {
    let mut places = Places::new(0x005e_ed0f_9ae5);
    (0..QUERIES).map(|_| places.next()).collect()
}

fn linear(points: &[(u32, Coordinates)], q: Coordinates) -> usize {
    let mut found = scan_within(points.iter().copied(), q, RADIUS_KM);
    found.truncate(NEAREST);
    found.len()
}

fn indexed(index: &NearbyIndex<u32>, q: Coordinates) -> usize {
    index.nearest_within(q, RADIUS_KM, NEAREST, |_| true).len()
}

fn nearest_20_within_50_km(c: &mut Criterion) {
    let points = points();
    let queries = queries();
    let index = NearbyIndex::bulk_load(points.iter().copied());
    // Both must agree before their speed is worth comparing.
    for &q in &queries {
        let mut expected = scan_within(points.iter().copied(), q, RADIUS_KM);
        expected.truncate(NEAREST);
        assert_eq!(
            index.nearest_within(q, RADIUS_KM, NEAREST, |_| true),
            expected
        );
    }
    let mut group = c.benchmark_group("practitioner_search_100k");
    group.bench_function("index_nearest_20_within_50km", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(indexed(&index, black_box(queries[i])))
        });
    });
    group.bench_function("linear_scan_nearest_20_within_50km", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(linear(&points, black_box(queries[i])))
        });
    });
    group.finish();
}

fn directory_and_updates(c: &mut Criterion) {
    let gazetteer = Gazetteer::embedded();
    let points = points();
    let profiles: Vec<PractitionerProfile> = points
        .iter()
        .map(|&(i, at)| {
            let services = if i % 3 == 0 {
                vec!["microneedling".to_owned(), "microneedling_prp".to_owned()]
            } else {
                vec!["microneedling".to_owned()]
            };
            let spec = PractitionerSpec {
                id: format!("p{i:06}"),
                display_name: format!("Practitioner {i}"),
                city: "Paris".into(),
                country: "FR".into(),
                latitude: Some(at.latitude()),
                longitude: Some(at.longitude()),
                services,
                licence_number: Some(i.to_string()),
                licence_issuer: Some("Board".into()),
                opted_in: true,
                clinic_approved: true,
                ..PractitionerSpec::default()
            };
            PractitionerProfile::from_spec(&spec, gazetteer).expect("a valid profile")
        })
        .collect();
    let mut group = c.benchmark_group("practitioner_directory_100k");
    group.sample_size(10);
    group.bench_function("bulk_load_index", |b| {
        b.iter(|| black_box(NearbyIndex::bulk_load(points.iter().copied())))
    });
    let mut directory = Directory::from_profiles(profiles.iter().cloned());
    let params = |near: &str, service: Option<&str>| SearchParams {
        near: Some(near.into()),
        service: service.map(str::to_owned),
        ..SearchParams::default()
    };
    let paris = SearchQuery::parse(&params("Paris", None), gazetteer).expect("a valid query");
    let paris_prp =
        SearchQuery::parse(&params("Paris", Some("microneedling_prp")), gazetteer).expect("valid");
    group.sample_size(100);
    group.bench_function("search_paris_parse_and_run", |b| {
        b.iter(|| {
            let q = SearchQuery::parse(&params("Paris", None), gazetteer).expect("valid");
            black_box(directory.search(&q).results.len())
        })
    });
    group.bench_function("search_paris_service_filter", |b| {
        b.iter(|| black_box(directory.search(&paris_prp).results.len()))
    });
    black_box(directory.search(&paris).results.len());
    // Keeping the index current: move one practitioner to another place and back.
    let (a, b_) = (profiles[0].clone(), profiles[1].clone());
    let mut moved = a.clone();
    moved.coordinates = b_.coordinates;
    group.bench_function("upsert_moved_profile", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            directory.upsert(if flip { moved.clone() } else { a.clone() })
        })
    });
    group.finish();
}

fn gazetteer_lookups(c: &mut Criterion) {
    let gazetteer = Gazetteer::embedded();
    let mut group = c.benchmark_group("gazetteer");
    for name in ["Paris", "Springfield", "Köln", "Paris, US", "Pariss"] {
        group.bench_function(format!("lookup {name}"), |b| {
            b.iter(|| black_box(gazetteer.lookup(black_box(name))))
        });
    }
    group.finish();
}

/// The speed-up on the same queries, timed directly (criterion's figures above are the
/// detailed ones; this line is the ratio the issue asks for).
fn summary() {
    // Nothing else has touched the gazetteer yet: this is a cold first lookup.
    let started = Instant::now();
    black_box(Gazetteer::embedded().lookup(black_box("Paris")));
    let first_lookup = started.elapsed();
    let points = points();
    let queries = queries();
    let started = Instant::now();
    let index = NearbyIndex::bulk_load(points.iter().copied());
    let build = started.elapsed();
    let time = |f: &dyn Fn(Coordinates) -> usize| {
        let rounds = 5;
        let started = Instant::now();
        let mut found = 0;
        for _ in 0..rounds {
            for &q in &queries {
                found += f(q);
            }
        }
        (started.elapsed() / (rounds * queries.len()) as u32, found)
    };
    let (per_index, found_index) = time(&|q| indexed(&index, q));
    let (per_scan, found_scan) = time(&|q| linear(&points, q));
    assert_eq!(found_index, found_scan);
    println!(
        "summary: {PRACTITIONERS} practitioners, {QUERIES} queries, nearest {NEAREST} within {RADIUS_KM} km \
         ({:.1} found on average): index {per_index:?} per query, linear scan {per_scan:?} per query, \
         speed-up {:.0}x; bulk load {build:?}; first gazetteer lookup {first_lookup:?}",
        found_index as f64 / (5 * QUERIES) as f64,
        per_scan.as_secs_f64() / per_index.as_secs_f64(),
    );
}

criterion_group!(
    benches,
    nearest_20_within_50_km,
    directory_and_updates,
    gazetteer_lookups
);

fn main() {
    summary();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
