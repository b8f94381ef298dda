//! Points on the Earth and "what is near here": validated coordinates, great-circle
//! (haversine) distances, and [`NearbyIndex`], a spatial index kept current as points are
//! inserted, moved and removed.
//!
//! The index is an R-tree (`rstar`) over 3-D unit vectors, not over latitude/longitude
//! degrees: degrees are not a Euclidean space (a degree of longitude shrinks to nothing at
//! the poles, and 179.9° E is next to 179.9° W), so a radius in degrees has no fixed meaning.
//! On the unit sphere the straight-line (chord) distance between two points grows with the
//! great-circle distance, so "within d km" is "chord within 2·sin(d / 2R)" and "nearest"
//! by chord is "nearest" on the Earth. Candidates are then measured with the haversine
//! formula, the same function the linear scan [`scan_within`] uses, so both agree exactly.
//!
//! What does not belong here: place names (`gazetteer`), practitioner profiles and query
//! parsing (`practitioner`, `search`).

use std::{cmp::Ordering, collections::HashMap, hash::Hash};

use rstar::{RTree, primitives::GeomWithData};

/// The mean radius of the Earth in kilometres (IUGG mean radius R1), used for every
/// distance. Great-circle distances on this sphere are within 0.5 % of the ellipsoid's.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Kilometres in one international mile (1609.344 m).
pub const KM_PER_MILE: f64 = 1.609_344;

/// A latitude or longitude that is not a number or out of range.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CoordinatesError {
    /// The latitude is not between -90 and 90 degrees (or not a number).
    #[error("the latitude {0} is out of range: it must be between -90 and 90 degrees")]
    Latitude(f64),
    /// The longitude is not between -180 and 180 degrees (or not a number).
    #[error("the longitude {0} is out of range: it must be between -180 and 180 degrees")]
    Longitude(f64),
}

/// A point on the Earth: latitude and longitude in decimal degrees (WGS 84), in range.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

impl Coordinates {
    /// Checked coordinates: latitude in [-90, 90], longitude in [-180, 180], both finite.
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, CoordinatesError> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(CoordinatesError::Latitude(latitude));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(CoordinatesError::Longitude(longitude));
        }
        Ok(Self {
            latitude,
            longitude,
        })
    }

    /// The latitude in decimal degrees, north positive.
    pub fn latitude(self) -> f64 {
        self.latitude
    }

    /// The longitude in decimal degrees, east positive.
    pub fn longitude(self) -> f64 {
        self.longitude
    }

    /// The great-circle distance to `other` in kilometres (haversine formula).
    pub fn distance_km(self, other: Coordinates) -> f64 {
        haversine_km(self, other)
    }

    /// The point as a 3-D unit vector (x towards 0° N 0° E, z towards the North Pole).
    fn unit_vector(self) -> [f64; 3] {
        let (lat, lon) = (self.latitude.to_radians(), self.longitude.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    }
}

impl std::fmt::Display for Coordinates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{}", self.latitude, self.longitude)
    }
}

/// The great-circle distance between two points in kilometres, on a sphere of radius
/// [`EARTH_RADIUS_KM`] (haversine formula: accurate for small and large distances alike).
pub fn haversine_km(a: Coordinates, b: Coordinates) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (b.longitude - a.longitude).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    let h = h.clamp(0.0, 1.0);
    2.0 * EARTH_RADIUS_KM * h.sqrt().atan2((1.0 - h).sqrt())
}

/// The squared chord length on the unit sphere that a great-circle distance of `km`
/// spans, widened by a hair so that rounding never drops a point the haversine formula
/// counts as inside (every candidate is measured again with [`haversine_km`]).
fn chord_2_for_km(km: f64) -> f64 {
    let angle = (km / EARTH_RADIUS_KM).min(std::f64::consts::PI);
    let chord = 2.0 * (angle / 2.0).sin();
    let widened = chord * (1.0 + 1e-9) + 1e-12;
    widened * widened
}

/// A point found near a query: its key and its distance in kilometres.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour<K> {
    /// The key the point was inserted with (a practitioner id, say).
    pub key: K,
    /// Where the point is.
    pub coordinates: Coordinates,
    /// The great-circle distance from the query point, in kilometres.
    pub distance_km: f64,
}

/// Sorts by distance, then by key, so that equal distances come out in a fixed order.
fn sort_neighbours<K: Ord>(found: &mut [Neighbour<K>]) {
    found.sort_by(|a, b| {
        a.distance_km
            .partial_cmp(&b.distance_km)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.key.cmp(&b.key))
    });
}

/// Every point within `radius_km` of `center`, nearest first (ties by key), found by
/// measuring every point: the reference the index is tested and benchmarked against, and
/// good enough for a few thousand points.
pub fn scan_within<K: Ord + Clone>(
    points: impl IntoIterator<Item = (K, Coordinates)>,
    center: Coordinates,
    radius_km: f64,
) -> Vec<Neighbour<K>> {
    let mut found: Vec<Neighbour<K>> = points
        .into_iter()
        .filter_map(|(key, coordinates)| {
            let distance_km = haversine_km(center, coordinates);
            (distance_km <= radius_km).then_some(Neighbour {
                key,
                coordinates,
                distance_km,
            })
        })
        .collect();
    sort_neighbours(&mut found);
    found
}

type Entry<K> = GeomWithData<[f64; 3], K>;

/// A spatial index of keyed points that answers "which points are within d km of here,
/// nearest first". Each key has at most one point; [`NearbyIndex::insert`] on a known key
/// moves it, so the index stays current as profiles change.
#[derive(Debug, Clone)]
pub struct NearbyIndex<K> {
    tree: RTree<Entry<K>>,
    points: HashMap<K, Coordinates>,
}

impl<K: Clone + Eq + Hash + Ord> Default for NearbyIndex<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone + Eq + Hash + Ord> NearbyIndex<K> {
    /// An empty index.
    pub fn new() -> Self {
        Self {
            tree: RTree::new(),
            points: HashMap::new(),
        }
    }

    /// An index of `points`, built in one pass (faster than inserting one by one). A key
    /// that appears more than once keeps its last point.
    pub fn bulk_load(points: impl IntoIterator<Item = (K, Coordinates)>) -> Self {
        let mut by_key = HashMap::new();
        for (key, coordinates) in points {
            by_key.insert(key, coordinates);
        }
        let entries = by_key
            .iter()
            .map(|(key, c)| Entry::new(c.unit_vector(), key.clone()))
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
            points: by_key,
        }
    }

    /// How many points the index holds.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the index holds no point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Where `key` is, if it is in the index.
    pub fn get(&self, key: &K) -> Option<Coordinates> {
        self.points.get(key).copied()
    }

    /// Puts `key` at `coordinates`, moving it if it was elsewhere. Returns where it was.
    pub fn insert(&mut self, key: K, coordinates: Coordinates) -> Option<Coordinates> {
        let previous = self.remove(&key);
        self.tree
            .insert(Entry::new(coordinates.unit_vector(), key.clone()));
        self.points.insert(key, coordinates);
        previous
    }

    /// Takes `key` out of the index. Returns where it was, or `None` if it was not there.
    pub fn remove(&mut self, key: &K) -> Option<Coordinates> {
        let coordinates = self.points.remove(key)?;
        self.tree
            .remove(&Entry::new(coordinates.unit_vector(), key.clone()));
        Some(coordinates)
    }

    /// Every point within `radius_km` of `center`, nearest first (ties by key). The same
    /// answer as [`scan_within`] over the same points.
    pub fn within(&self, center: Coordinates, radius_km: f64) -> Vec<Neighbour<K>> {
        let mut found: Vec<Neighbour<K>> = self
            .tree
            .locate_within_distance(center.unit_vector(), chord_2_for_km(radius_km))
            .filter_map(|entry| self.measure(center, radius_km, entry))
            .collect();
        sort_neighbours(&mut found);
        found
    }

    /// The `limit` nearest points within `radius_km` of `center` whose key passes `keep`,
    /// nearest first (ties by key): the first `limit` of [`NearbyIndex::within`] after
    /// filtering, found without visiting the points further away.
    pub fn nearest_within(
        &self,
        center: Coordinates,
        radius_km: f64,
        limit: usize,
        mut keep: impl FnMut(&K) -> bool,
    ) -> Vec<Neighbour<K>> {
        if limit == 0 {
            return Vec::new();
        }
        let max_chord_2 = chord_2_for_km(radius_km);
        let mut found = Vec::new();
        // Chord order is great-circle order up to rounding; once `limit` points are found,
        // go on while the chord could still tie with the last one, then sort exactly.
        let mut stop_after: Option<f64> = None;
        for (entry, chord_2) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(center.unit_vector())
        {
            if chord_2 > max_chord_2 || stop_after.is_some_and(|stop| chord_2 > stop) {
                break;
            }
            if !keep(&entry.data) {
                continue;
            }
            if let Some(neighbour) = self.measure(center, radius_km, entry) {
                found.push(neighbour);
                if found.len() == limit {
                    stop_after = Some(chord_2 * (1.0 + 1e-9) + 1e-18);
                }
            }
        }
        sort_neighbours(&mut found);
        found.truncate(limit);
        found
    }

    /// The entry as a neighbour if it is within the radius by the haversine formula.
    fn measure(
        &self,
        center: Coordinates,
        radius_km: f64,
        entry: &Entry<K>,
    ) -> Option<Neighbour<K>> {
        let coordinates = *self.points.get(&entry.data)?;
        let distance_km = haversine_km(center, coordinates);
        (distance_km <= radius_km).then(|| Neighbour {
            key: entry.data.clone(),
            coordinates,
            distance_km,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates::new(latitude, longitude).unwrap()
    }

    #[test]
    fn out_of_range_and_non_numbers_are_refused() {
        assert_eq!(
            Coordinates::new(90.5, 0.0),
            Err(CoordinatesError::Latitude(90.5))
        );
        assert_eq!(
            Coordinates::new(0.0, -180.01),
            Err(CoordinatesError::Longitude(-180.01))
        );
        assert!(Coordinates::new(f64::NAN, 0.0).is_err());
        assert!(Coordinates::new(0.0, f64::INFINITY).is_err());
        assert!(Coordinates::new(-90.0, 180.0).is_ok());
    }

    #[test]
    fn known_distances() {
        // Paris to London: 343.5 km on the sphere (about 344 km by air).
        let d = haversine_km(at(48.85341, 2.3488), at(51.50853, -0.12574));
        assert!((d - 343.5).abs() < 0.5, "{d}");
        // A quarter of the Earth's circumference: the equator to a pole.
        let d = haversine_km(at(0.0, 0.0), at(90.0, 0.0));
        assert!((d - EARTH_RADIUS_KM * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
        // Across the antimeridian: 0.2 degrees of longitude at the equator, not 359.8.
        let d = haversine_km(at(0.0, 179.9), at(0.0, -179.9));
        assert!((d - 22.239).abs() < 0.01, "{d}");
        // Antipodes: half the circumference (to the metre: the haversine is
        // ill-conditioned there, and searches never reach that far).
        let d = haversine_km(at(10.0, 20.0), at(-10.0, -160.0));
        assert!(
            (d - EARTH_RADIUS_KM * std::f64::consts::PI).abs() < 1e-3,
            "{d}"
        );
    }

    #[test]
    fn insert_moves_a_known_key_and_remove_forgets_it() {
        let mut index = NearbyIndex::new();
        assert_eq!(index.insert("a", at(48.85, 2.35)), None);
        index.insert("b", at(48.86, 2.36));
        assert_eq!(index.len(), 2);
        // "a" moves to London: it is no longer near Paris, and is near London.
        assert_eq!(index.insert("a", at(51.5, -0.12)), Some(at(48.85, 2.35)));
        assert_eq!(index.len(), 2);
        let near_paris: Vec<_> = index
            .within(at(48.85, 2.35), 50.0)
            .into_iter()
            .map(|n| n.key)
            .collect();
        assert_eq!(near_paris, ["b"]);
        let near_london: Vec<_> = index
            .within(at(51.5, -0.1), 50.0)
            .into_iter()
            .map(|n| n.key)
            .collect();
        assert_eq!(near_london, ["a"]);
        assert_eq!(index.remove(&"a"), Some(at(51.5, -0.12)));
        assert_eq!(index.remove(&"a"), None);
        assert!(index.within(at(51.5, -0.1), 50.0).is_empty());
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn nearest_within_stops_at_the_limit_and_filters() {
        let points: Vec<(u32, Coordinates)> =
            (0..50).map(|i| (i, at(0.0, f64::from(i) * 0.01))).collect();
        let index = NearbyIndex::bulk_load(points);
        let keys = |v: Vec<Neighbour<u32>>| v.into_iter().map(|n| n.key).collect::<Vec<_>>();
        assert_eq!(
            keys(index.nearest_within(at(0.0, 0.0), 1000.0, 3, |_| true)),
            [0, 1, 2]
        );
        assert_eq!(
            keys(index.nearest_within(at(0.0, 0.0), 1000.0, 3, |k| k % 2 == 1)),
            [1, 3, 5]
        );
        // 0.01 degree of longitude at the equator is 1.11 km: 2.5 km holds keys 0, 1, 2.
        assert_eq!(
            keys(index.nearest_within(at(0.0, 0.0), 2.5, 10, |_| true)),
            [0, 1, 2]
        );
        assert!(
            index
                .nearest_within(at(0.0, 0.0), 2.5, 0, |_| true)
                .is_empty()
        );
    }

    /// A point near `center`: offsets up to `spread` degrees, wrapped into range (so
    /// points near a pole or the antimeridian land on both sides of it).
    fn offset(center: (f64, f64), d_lat: f64, d_lon: f64) -> Coordinates {
        let mut lat = center.0 + d_lat;
        let mut lon = center.1 + d_lon;
        if lat > 90.0 {
            lat = 180.0 - lat;
            lon += 180.0;
        } else if lat < -90.0 {
            lat = -180.0 - lat;
            lon += 180.0;
        }
        lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
        at(lat, lon)
    }

    fn centre() -> impl Strategy<Value = (f64, f64)> {
        prop_oneof![
            (-90.0..=90.0f64, -180.0..=180.0f64),
            // Near the poles.
            (85.0..=90.0f64, -180.0..=180.0f64),
            (-90.0..=-85.0f64, -180.0..=180.0f64),
            // Near the antimeridian.
            (
                -60.0..=60.0f64,
                prop_oneof![175.0..=180.0f64, -180.0..=-175.0f64]
            ),
            // Exactly on them.
            Just((90.0, 0.0)),
            Just((-90.0, 45.0)),
            Just((0.0, 180.0)),
            Just((0.0, -180.0)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn the_index_finds_what_a_linear_scan_finds(
            center in centre(),
            offsets in prop::collection::vec((-3.0..3.0f64, -6.0..6.0f64), 0..120),
            radius_km in prop_oneof![0.0..1.0f64, 1.0..100.0f64, 100.0..1000.0f64],
            limit in 1usize..30,
            removed in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
        ) {
            let points: Vec<(usize, Coordinates)> = offsets
                .iter()
                .enumerate()
                .map(|(i, &(dlat, dlon))| (i, offset(center, dlat, dlon)))
                .collect();
            // Half built in bulk, half inserted, then some removed: the index stays current.
            let (bulk, rest) = points.split_at(points.len() / 2);
            let mut index = NearbyIndex::bulk_load(bulk.iter().copied());
            for &(key, c) in rest {
                index.insert(key, c);
            }
            let mut live = points.clone();
            for r in &removed {
                if !live.is_empty() {
                    let (key, _) = live.remove(r.index(live.len()));
                    index.remove(&key);
                }
            }
            let query = offset(center, 0.5, -0.5);
            let expected = scan_within(live.iter().copied(), query, radius_km);
            prop_assert_eq!(index.within(query, radius_km), expected.clone());
            let nearest = index.nearest_within(query, radius_km, limit, |_| true);
            prop_assert_eq!(nearest, expected.iter().take(limit).cloned().collect::<Vec<_>>());
            let odd = index.nearest_within(query, radius_km, limit, |k| k % 2 == 1);
            let expected_odd: Vec<_> = expected.into_iter().filter(|n| n.key % 2 == 1).take(limit).collect();
            prop_assert_eq!(odd, expected_odd);
        }

        #[test]
        fn distances_are_symmetric_non_negative_and_bounded(
            a in (-90.0..=90.0f64, -180.0..=180.0f64),
            b in (-90.0..=90.0f64, -180.0..=180.0f64),
        ) {
            let (a, b) = (at(a.0, a.1), at(b.0, b.1));
            let (ab, ba) = (haversine_km(a, b), haversine_km(b, a));
            prop_assert!(ab >= 0.0);
            prop_assert!((ab - ba).abs() <= 1e-9, "{} != {}", ab, ba);
            prop_assert!(ab <= EARTH_RADIUS_KM * std::f64::consts::PI + 1e-9);
            prop_assert!(haversine_km(a, a) == 0.0);
        }
    }
}
