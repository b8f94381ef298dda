//! "Find a Practitioner" in the web app: the public directory built from the store's
//! public profiles, kept current across server instances, and the conversion between a
//! stored profile and the core's [`PractitionerSpec`].
//!
//! The index: [`DirectoryCache`] holds the core's [`Directory`] (profiles and R-tree)
//! behind an `RwLock<Arc<_>>`, tagged with the store's `directory_version`. Before each
//! search it reads that version (one row); when it moved (a profile saved, approved,
//! withdrawn or deleted on *any* instance sharing the database, or a user disabled) the
//! directory is rebuilt from [`Store::list_public_profiles`], once, while other searches go
//! on with the previous one. A search therefore never sees a state older than the last
//! change committed before it started. The first search after start builds it.
//!
//! The privacy rule (only opted-in AND clinic-approved profiles of active users) is the
//! store's query plus the core's `Directory`, which drops any profile that is not public:
//! two independent checks.
//!
//! What does not belong here: the pages and the API (`routes::directory`,
//! `api::directory`), the search itself and its checks (`aftercare_core::geo`).

use std::sync::{Arc, PoisonError, RwLock};

use aftercare_core::geo::{Directory, Gazetteer, PractitionerProfile, PractitionerSpec};
use aftercare_store::{PractitionerProfileRow, Store, StoreError};

/// The core's profile as given, from a stored row (the row's id is the profile's id).
///
/// # Errors
/// When the stored services or credentials are not a JSON array of strings.
pub fn spec_from_row(row: &PractitionerProfileRow) -> Result<PractitionerSpec, String> {
    let list = |field: &str, text: &str| {
        serde_json::from_str::<Vec<String>>(text)
            .map_err(|e| format!("stored {field} are not a list of texts: {e}"))
    };
    Ok(PractitionerSpec {
        id: row.id.clone(),
        display_name: row.display_name.clone(),
        clinic: row.clinic_name.clone(),
        address: row.address.clone(),
        city: row.city.clone(),
        country: row.country.clone(),
        latitude: row.latitude,
        longitude: row.longitude,
        services: list("services", &row.services)?,
        credentials: list("credentials", &row.credentials)?,
        licence_number: row.licence_number.clone(),
        licence_issuer: row.licence_issuer.clone(),
        phone: row.phone.clone(),
        website: row.website.clone(),
        booking_url: row.booking_url.clone(),
        opted_in: row.opted_in,
        clinic_approved: row.approved_at.is_some(),
    })
}

/// The validated profile of a stored row.
///
/// # Errors
/// The reason, as a sentence, when the row no longer validates (say, the city table of a
/// newer version no longer knows its city).
pub fn profile_from_row(
    row: &PractitionerProfileRow,
    gazetteer: &Gazetteer,
) -> Result<PractitionerProfile, String> {
    let spec = spec_from_row(row)?;
    PractitionerProfile::from_spec(&spec, gazetteer).map_err(|e| e.to_string())
}

/// The public directory as loaded, and the public rows that could not be listed.
#[derive(Debug, Default)]
pub struct LoadedDirectory {
    /// The public profiles, indexed.
    pub directory: Directory,
    /// (profile id, reason) of each public row that does not validate; left out.
    pub skipped: Vec<(String, String)>,
}

/// Loads every public profile from the store into a core [`Directory`]. A row that no
/// longer validates is left out (and reported), never shown half-checked.
///
/// # Errors
/// Store failures.
pub async fn load_public_directory(store: &dyn Store) -> Result<LoadedDirectory, StoreError> {
    let gazetteer = Gazetteer::embedded();
    let rows = store.list_public_profiles().await?;
    let mut profiles = Vec::with_capacity(rows.len());
    let mut skipped = Vec::new();
    for row in &rows {
        match profile_from_row(row, gazetteer) {
            Ok(profile) => profiles.push(profile),
            Err(reason) => skipped.push((row.id.clone(), reason)),
        }
    }
    Ok(LoadedDirectory {
        directory: Directory::from_profiles(profiles),
        skipped,
    })
}

/// A directory and the store's `directory_version` it is at least as new as.
#[derive(Debug, Default)]
pub struct DirectorySnapshot {
    /// `None` until the first load.
    pub version: Option<i64>,
    /// The public profiles and their index.
    pub directory: Directory,
}

/// The app's copy of the public directory, rebuilt when the store's version moves (see
/// the module documentation).
#[derive(Debug, Default)]
pub struct DirectoryCache {
    current: RwLock<Arc<DirectorySnapshot>>,
    rebuilding: tokio::sync::Mutex<()>,
}

impl DirectoryCache {
    /// The snapshot in hand, without asking the store.
    fn snapshot(&self) -> Arc<DirectorySnapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// A directory at least as new as every change committed before this call: the one
    /// in hand if the store's version has not moved, else a fresh one.
    ///
    /// # Errors
    /// Store failures.
    pub async fn current(&self, store: &dyn Store) -> Result<Arc<DirectorySnapshot>, StoreError> {
        let version = store.directory_version().await?;
        let held = self.snapshot();
        if held.version.is_some_and(|v| v >= version) {
            return Ok(held);
        }
        // One rebuild at a time; whoever waited finds the new one.
        let _rebuild = self.rebuilding.lock().await;
        let held = self.snapshot();
        if held.version.is_some_and(|v| v >= version) {
            return Ok(held);
        }
        // The version was read before the rows: the rows are at least that new.
        let loaded = load_public_directory(store).await?;
        for (id, reason) in &loaded.skipped {
            tracing::warn!(profile_id = %id, %reason, "public profile left out of the directory");
        }
        let snapshot = Arc::new(DirectorySnapshot {
            version: Some(version),
            directory: loaded.directory,
        });
        tracing::info!(
            version,
            listed = snapshot.directory.len(),
            "practitioner directory rebuilt"
        );
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&snapshot);
        Ok(snapshot)
    }
}
