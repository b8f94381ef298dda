//! Persistence for aftercare: the [`Store`] trait, the rows it reads and writes, and
//! its two implementations, [`SqliteStore`] and [`PgStore`].
//!
//! What belongs here: every SQL statement of the system, the migrations of both
//! dialects (`migrations/sqlite/`, `migrations/postgres/`), the mapping between
//! database rows and the `*Row` structs, and the export/import of a whole store.
//! What does not: domain rules (triage, plans, ingredients live in `aftercare-core`),
//! HTTP, password hashing and token generation (the web crate hashes a token with
//! [`hash_token`] and hands the store only the hash).
//!
//! Conventions that hold for every method:
//! - Everything that belongs to a clinic is read with its `clinic_id`: a query for
//!   clinic B never returns clinic A's rows, by construction. Composite foreign keys
//!   (`(treatment_id, clinic_id)` and the like) make it impossible to *write* a row that
//!   points into another clinic as well.
//! - Time is injected: methods that need "now" take it as `now` (epoch seconds, UTC).
//!   The store never reads the clock; it only generates ids (UUID v7 strings).
//! - Secrets (session, invitation and patient-link tokens) arrive as SHA-256 hex
//!   hashes; the store never sees the token itself.
//! - Whatever has to happen together happens in one transaction: a check-in with its
//!   alert and its e-mails, an invitation with its e-mail, a password change with the
//!   deletion of the user's other sessions.
//! - Nothing secret or health-related is logged: every method carries
//!   `#[tracing::instrument(skip_all)]`.

mod catalog;
mod directory;
pub mod postgres;
mod rows;
mod shared;
mod shelf;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use async_trait::async_trait;
use sha2::{Digest, Sha256};

pub use postgres::PgStore;
pub use rows::*;
pub use sqlite::SqliteStore;

/// Everything that can go wrong in the store.
///
/// The web crate maps these to HTTP statuses: [`StoreError::NotFound`] to 404,
/// [`StoreError::Conflict`] to 409, [`StoreError::Invalid`] to 422 and the rest to 500.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The row does not exist, belongs to another clinic, or (for tokens) has expired,
    /// been revoked or been used already. A referenced row that does not exist in the
    /// caller's clinic (a foreign-key violation) is reported the same way, so a caller
    /// cannot probe another clinic's ids.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated or the row is no longer in the state the
    /// operation needs (an alert acknowledged twice). `what` names the rule, e.g.
    /// `"user e-mail"`.
    #[error("conflict: {what} already exists or was already changed")]
    Conflict {
        /// Which rule was violated, in words.
        what: String,
    },
    /// The database refused a value (a check constraint), or an import file is not a
    /// dump this store understands.
    #[error("invalid {what}")]
    Invalid {
        /// What was refused, in words.
        what: String,
    },
    /// `import_all` was asked to load into a store that already holds data.
    #[error("the store is not empty; import only into a fresh database")]
    NotEmpty,
    /// The backend does not support this operation (e.g. `backup_to` on PostgreSQL:
    /// use `pg_dump` there).
    #[error("not supported by the {backend} store: {what}")]
    Unsupported {
        /// The backend's name (`sqlite`, `postgres`).
        backend: &'static str,
        /// The operation and what to use instead.
        what: &'static str,
    },
    /// A stored value could not be read back (an unknown enum value): the database was
    /// edited by hand or by a newer version.
    #[error("corrupt stored value: {what}")]
    Corrupt {
        /// What could not be decoded.
        what: String,
    },
    /// The connection string is neither a PostgreSQL URL nor a SQLite URL or path.
    #[error("unrecognised database URL (expected postgres://…, sqlite:… or a file path)")]
    InvalidUrl,
    /// Applying the embedded migrations failed.
    #[error("could not migrate the database")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// Any other database error (connection lost, disk full, …).
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

/// Shorthand for results of store methods.
pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Whether the database is only busy or out of reach (no free pooled connection in time,
    /// the connection dropped): the same request may succeed when retried, and nothing was
    /// written.
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            )
        )
    }
}

/// Hashes a secret token (session, invitation, patient link, calendar feed) the way
/// the store expects it: SHA-256, lower-case hex.
///
/// Tokens are random and long, so a fast unsalted hash is enough: it only has to make
/// a stolen database useless for signing in.
#[must_use]
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Normalises an e-mail address for storage and lookup: trimmed and lower-cased.
///
/// Users' e-mails are unique in this form, so `Ann@Clinic.example` and
/// `ann@clinic.example` are the same account.
#[must_use]
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Opens the store a URL names: `postgres://…` or `postgresql://…` picks PostgreSQL,
/// `sqlite:…` or a plain file path picks SQLite. The database is migrated to the
/// current schema before this returns; a SQLite file is created if it is missing.
///
/// # Errors
/// [`StoreError::InvalidUrl`] for an empty string or another scheme (`mysql://…`),
/// [`StoreError::Database`] when the database cannot be reached or opened,
/// [`StoreError::Migrate`] when the migrations fail.
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    connect_with_limits(url, PoolLimits::default()).await
}

/// How many connections a PostgreSQL pool may open per instance, and how long a caller waits
/// for one before the store answers [`StoreError::is_unavailable`] (the web app turns that
/// into 503 "try again" instead of queueing requests forever). SQLite keeps its own fixed
/// pools: one writer and a few readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolLimits {
    /// Most connections one instance opens (PostgreSQL).
    pub max_connections: u32,
    /// Longest wait for a free connection.
    pub acquire_timeout: std::time::Duration,
}

impl Default for PoolLimits {
    fn default() -> Self {
        PoolLimits {
            max_connections: 10,
            acquire_timeout: std::time::Duration::from_secs(5),
        }
    }
}

/// [`connect`] with explicit pool limits (`[database] max_connections`,
/// `acquire_timeout_seconds` of `aftercare serve`).
///
/// # Errors
/// As [`connect`].
pub async fn connect_with_limits(url: &str, limits: PoolLimits) -> StoreResult<Arc<dyn Store>> {
    let url = url.trim();
    Ok(match backend_of(url)? {
        Backend::Postgres => Arc::new(PgStore::connect_with_limits(url, limits).await?),
        Backend::Sqlite => Arc::new(SqliteStore::open(url).await?),
    })
}

/// Opens an existing database read-only, without migrating it: SQLite as
/// [`SqliteStore::open_read_only`] (what `aftercare backup` copies and checks), PostgreSQL as
/// [`PgStore::connect_read_only`]. For commands that only read, so that a newer binary never
/// migrates a database under an older server. Only reading methods work on it.
///
/// # Errors
/// [`StoreError::InvalidUrl`] as [`connect`]; [`StoreError::Database`] when the file is
/// missing, or the database cannot be opened or reached.
pub async fn connect_read_only(url: &str) -> StoreResult<Arc<dyn Store>> {
    let url = url.trim();
    Ok(match backend_of(url)? {
        Backend::Postgres => Arc::new(PgStore::connect_read_only(url).await?),
        Backend::Sqlite => Arc::new(SqliteStore::open_read_only(url).await?),
    })
}

/// Whether a database URL names PostgreSQL (`postgres://…`, `postgresql://…`).
#[must_use]
pub fn is_postgres_url(url: &str) -> bool {
    matches!(backend_of(url.trim()), Ok(Backend::Postgres))
}

/// How a database's schema compares with this build's migrations ([`Store::schema_state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    /// No migrations table: not an aftercare database (an empty file, another program's).
    NotAftercare,
    /// Every migration of this build is applied, and no other.
    Current,
    /// Some of this build's migrations are not applied yet: `aftercare migrate` brings it up.
    Behind,
    /// It has migrations this build does not know: a newer version of aftercare wrote it.
    Ahead,
}

/// Which backend a database URL names.
enum Backend {
    Postgres,
    Sqlite,
}

fn backend_of(url: &str) -> StoreResult<Backend> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else if url.is_empty() || (url.contains("://") && !url.starts_with("sqlite:")) {
        Err(StoreError::InvalidUrl)
    } else {
        Ok(Backend::Sqlite)
    }
}

/// The persistence interface of aftercare. Both backends implement it with the same
/// behaviour; `tests/contract` runs one suite of stories against each.
///
/// Methods that read a clinic's data take the `clinic_id` and return nothing for
/// another clinic's ids (`Ok(None)`, an empty list or [`StoreError::NotFound`]).
/// Instants are epoch seconds (UTC).
#[async_trait]
pub trait Store: Send + Sync {
    /// The backend's name: `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    // ----- health and maintenance -------------------------------------------------

    /// Checks that the database answers (for `/health/ready`).
    async fn ping(&self) -> StoreResult<()>;

    /// How the database's schema compares with this build's migrations: what a command
    /// that reads a database as it is (`aftercare export`) checks before reading.
    async fn schema_state(&self) -> StoreResult<SchemaState>;

    /// Runs the backend's consistency checks (SQLite: `PRAGMA integrity_check` and
    /// `PRAGMA foreign_key_check`; PostgreSQL: that every table is readable and no
    /// row breaks the cross-clinic rules). Returns the problems found; empty means
    /// healthy.
    async fn integrity_check(&self) -> StoreResult<Vec<String>>;

    /// Writes a consistent copy of the whole database to `path` (SQLite:
    /// `VACUUM INTO`; the file must not exist yet). PostgreSQL answers
    /// [`StoreError::Unsupported`]: use `pg_dump`, or [`Store::export_all`].
    async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()>;

    /// Dumps every row of every table, ordered by primary key, from one consistent
    /// snapshot. The dump is what [`Store::import_all`] reads, on either backend.
    async fn export_all(&self) -> StoreResult<StoreDump>;

    /// Loads a dump into an empty store, keeping every id, timestamp and hash.
    ///
    /// # Errors
    /// [`StoreError::NotEmpty`] if the store already holds a clinic,
    /// [`StoreError::Invalid`] if the dump's `format` or `version` is not this one's.
    async fn import_all(&self, dump: &StoreDump) -> StoreResult<()>;

    /// Closes the connections (graceful shutdown). Later calls fail.
    async fn close(&self);

    // ----- clinics ----------------------------------------------------------------

    /// Creates a clinic (without a default protocol: the built-in one applies).
    async fn create_clinic(&self, clinic: &NewClinic, now: i64) -> StoreResult<ClinicRow>;

    /// The clinic with this id, if any.
    async fn find_clinic(&self, clinic_id: &str) -> StoreResult<Option<ClinicRow>>;

    /// Every clinic, oldest first (for the admin CLI and first-run setup).
    async fn list_clinics(&self) -> StoreResult<Vec<ClinicRow>>;

    /// Updates a clinic's contact details (name, phone, e-mail, address, emergency
    /// number). [`StoreError::NotFound`] if there is no such clinic.
    async fn update_clinic(&self, clinic_id: &str, details: &NewClinic) -> StoreResult<ClinicRow>;

    /// Sets (or with `None` clears, falling back to the built-in protocol) the
    /// clinic's default protocol. [`StoreError::NotFound`] if the clinic does not exist
    /// or the protocol is not one of this clinic's.
    async fn set_clinic_default_protocol(
        &self,
        clinic_id: &str,
        protocol_id: Option<&str>,
    ) -> StoreResult<()>;

    // ----- users ------------------------------------------------------------------

    /// Creates a user; the e-mail is stored normalised ([`normalize_email`]).
    /// [`StoreError::Conflict`] (`what = "user e-mail"`) if the e-mail is taken (in any
    /// clinic), [`StoreError::NotFound`] if the clinic does not exist.
    async fn create_user(&self, user: &NewUser, now: i64) -> StoreResult<UserRow>;

    /// The user with this e-mail (normalised before the lookup), in any clinic: this is
    /// the sign-in lookup. Disabled users are returned too; the caller checks
    /// `disabled_at`.
    async fn find_user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>>;

    /// The user with this id in this clinic.
    async fn find_user(&self, clinic_id: &str, user_id: &str) -> StoreResult<Option<UserRow>>;

    /// The clinic's users, ordered by e-mail.
    async fn list_users(&self, clinic_id: &str) -> StoreResult<Vec<UserRow>>;

    /// Replaces the user's password hash and, in the same transaction, deletes all of
    /// the user's sessions except `keep_session_hash` (the session that made the
    /// change, if any). Returns how many sessions were deleted.
    async fn change_password(
        &self,
        clinic_id: &str,
        user_id: &str,
        password_hash: &str,
        keep_session_hash: Option<&str>,
    ) -> StoreResult<u64>;

    /// Disables a user (they can no longer sign in) and deletes all their sessions.
    /// [`StoreError::NotFound`] if the user is not in this clinic.
    async fn disable_user(&self, clinic_id: &str, user_id: &str, now: i64) -> StoreResult<()>;

    // ----- invitations ------------------------------------------------------------

    /// Creates an invitation and, in the same transaction, queues its e-mails
    /// (normally one `invitation_email`). The e-mail is stored normalised.
    async fn create_invitation(
        &self,
        invitation: &NewInvitation,
        mail: &[NewOutboxMessage],
        now: i64,
    ) -> StoreResult<InvitationRow>;

    /// The invitation with this token hash if it can still be accepted (not used, not
    /// expired at `now`).
    async fn find_invitation(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<InvitationRow>>;

    /// The clinic's invitations, newest first (used and expired ones included).
    async fn list_invitations(&self, clinic_id: &str) -> StoreResult<Vec<InvitationRow>>;

    /// Accepts an invitation: in one transaction, marks it used and creates the user
    /// (e-mail, role and clinic from the invitation). [`StoreError::NotFound`] if the
    /// token is unknown, used or expired; [`StoreError::Conflict`] if the e-mail
    /// already has an account (the invitation then stays unused).
    async fn accept_invitation(
        &self,
        token_hash: &str,
        acceptance: &AcceptInvitation,
        now: i64,
    ) -> StoreResult<UserRow>;

    // ----- sessions ---------------------------------------------------------------

    /// Stores a new session (`created_at` and `last_seen_at` are `now`).
    /// [`StoreError::NotFound`] if the user is not in that clinic.
    async fn create_session(&self, session: &NewSession, now: i64) -> StoreResult<SessionRow>;

    /// The session with this token hash if it has not expired at `now` and its user is
    /// not disabled.
    async fn find_session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>>;

    /// Records activity: sets `last_seen_at = now` and `expires_at` (sliding expiry).
    /// [`StoreError::NotFound`] if the session is gone.
    async fn touch_session(&self, token_hash: &str, now: i64, expires_at: i64) -> StoreResult<()>;

    /// Deletes one session (sign-out). Deleting a missing session is not an error.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    /// Deletes every session of the user except `keep_token_hash`. Returns how many
    /// were deleted.
    async fn delete_other_sessions(
        &self,
        user_id: &str,
        keep_token_hash: Option<&str>,
    ) -> StoreResult<u64>;

    /// Deletes sessions that expired at or before `now` (housekeeping). Returns how
    /// many were deleted.
    async fn delete_expired_sessions(&self, now: i64) -> StoreResult<u64>;

    // ----- treatments -------------------------------------------------------------

    /// Records a treatment. [`StoreError::NotFound`] if the practitioner or the
    /// protocol is not in this clinic.
    async fn create_treatment(
        &self,
        treatment: &NewTreatment,
        now: i64,
    ) -> StoreResult<TreatmentRow>;

    /// The treatment with this id in this clinic.
    async fn get_treatment(
        &self,
        clinic_id: &str,
        treatment_id: &str,
    ) -> StoreResult<Option<TreatmentRow>>;

    /// The clinic's dashboard: every treatment with its latest check-in level and its
    /// open (unacknowledged) alerts. Sorted red flags first: by the highest open alert
    /// level, then the latest check-in level, then the most recent treatment.
    async fn list_treatments(&self, clinic_id: &str) -> StoreResult<Vec<TreatmentSummary>>;

    // ----- patient links ----------------------------------------------------------

    /// Creates a patient (or calendar) link and, in the same transaction, queues its
    /// e-mails (normally one `patient_link_email`). [`StoreError::NotFound`] if the
    /// treatment is not in this clinic; [`StoreError::Conflict`] if the token hash
    /// exists already.
    async fn create_patient_link(
        &self,
        link: &NewPatientLink,
        mail: &[NewOutboxMessage],
        now: i64,
    ) -> StoreResult<PatientLinkRow>;

    /// The link with this token hash if it is usable at `now` (not revoked, not
    /// expired). This is how a patient's request finds its treatment and clinic.
    async fn find_patient_link(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<PatientLinkRow>>;

    /// The link with this token hash whatever its state, expired and revoked ones
    /// included (the caller checks `expires_at` and `revoked_at`). For telling a
    /// patient *why* a link no longer works; use [`Store::find_patient_link`] to grant
    /// access.
    async fn lookup_patient_link(&self, token_hash: &str) -> StoreResult<Option<PatientLinkRow>>;

    /// The treatment's links (revoked and expired ones included), oldest first.
    async fn list_patient_links(
        &self,
        clinic_id: &str,
        treatment_id: &str,
    ) -> StoreResult<Vec<PatientLinkRow>>;

    /// Revokes a link at `now`. [`StoreError::NotFound`] if the link is not in this
    /// clinic; revoking a revoked link keeps the first revocation time.
    async fn revoke_patient_link(
        &self,
        clinic_id: &str,
        link_id: &str,
        now: i64,
    ) -> StoreResult<()>;

    // ----- check-ins and alerts ---------------------------------------------------

    /// Records a check-in. In the same transaction: when its level is
    /// `contact_practitioner` or higher an alert is created, and `mail` is queued
    /// (normally the alert e-mail to the practitioner). If any part fails nothing is
    /// written. `submitted_at` is `now`.
    async fn record_check_in(
        &self,
        check_in: &NewCheckIn,
        mail: &[NewOutboxMessage],
        now: i64,
    ) -> StoreResult<RecordedCheckIn>;

    /// The treatment's check-ins in the order the symptoms were observed (`at`, then
    /// `submitted_at`).
    async fn list_check_ins(
        &self,
        clinic_id: &str,
        treatment_id: &str,
    ) -> StoreResult<Vec<CheckInRow>>;

    /// One check-in of this clinic.
    async fn get_check_in(
        &self,
        clinic_id: &str,
        check_in_id: &str,
    ) -> StoreResult<Option<CheckInRow>>;

    /// The clinic's unacknowledged alerts: highest level first, then oldest first.
    async fn list_open_alerts(&self, clinic_id: &str) -> StoreResult<Vec<AlertRow>>;

    /// All alerts of one treatment (acknowledged ones included), oldest first.
    async fn list_alerts_for_treatment(
        &self,
        clinic_id: &str,
        treatment_id: &str,
    ) -> StoreResult<Vec<AlertRow>>;

    /// Acknowledges an alert with an optional note. [`StoreError::NotFound`] if the
    /// alert or the user is not in this clinic; [`StoreError::Conflict`]
    /// (`what = "alert acknowledgement"`) if it was acknowledged already.
    async fn acknowledge_alert(
        &self,
        clinic_id: &str,
        alert_id: &str,
        user_id: &str,
        note: Option<&str>,
        now: i64,
    ) -> StoreResult<AlertRow>;

    // ----- outbox -----------------------------------------------------------------

    /// Queues one e-mail for the clinic, due at `now`.
    async fn enqueue_outbox(
        &self,
        clinic_id: &str,
        message: &NewOutboxMessage,
        now: i64,
    ) -> StoreResult<OutboxRow>;

    /// The clinic's e-mails, oldest first (sent ones included).
    async fn list_outbox(&self, clinic_id: &str) -> StoreResult<Vec<OutboxRow>>;

    /// Claims up to `limit` messages that are due (`next_attempt_at <= now`, unsent,
    /// not leased by another worker) for `lease_seconds`: they get
    /// `locked_until = now + lease_seconds` and `attempts + 1`. Across instances and
    /// concurrent callers a message is claimed by exactly one caller until its lease
    /// ends. Oldest due first.
    async fn claim_due_outbox(
        &self,
        now: i64,
        lease_seconds: i64,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRow>>;

    /// Marks a message sent at `now` and releases its lease. [`StoreError::NotFound`]
    /// if there is no such unsent message.
    async fn mark_outbox_sent(&self, outbox_id: &str, now: i64) -> StoreResult<()>;

    /// Records a failed delivery: keeps `error` as `last_error`, releases the lease and
    /// schedules the next attempt at `now + backoff.delay_after(attempts)`. Returns the
    /// updated message. [`StoreError::NotFound`] if there is no such unsent message.
    async fn mark_outbox_failed(
        &self,
        outbox_id: &str,
        error: &str,
        now: i64,
        backoff: Backoff,
    ) -> StoreResult<OutboxRow>;

    // ----- protocols --------------------------------------------------------------

    /// Stores an uploaded protocol file (the caller has validated it).
    /// [`StoreError::NotFound`] if the uploader is not in this clinic.
    async fn upload_protocol(&self, protocol: &NewProtocol, now: i64) -> StoreResult<ProtocolRow>;

    /// The clinic's protocols, newest first.
    async fn list_protocols(&self, clinic_id: &str) -> StoreResult<Vec<ProtocolRow>>;

    /// One protocol of this clinic.
    async fn get_protocol(
        &self,
        clinic_id: &str,
        protocol_id: &str,
    ) -> StoreResult<Option<ProtocolRow>>;

    // ----- practitioner directory -------------------------------------------------

    /// Creates or replaces the practitioner's own directory profile (one per user).
    /// When anything but the opt-in changes, the clinic's approval is withdrawn in the
    /// same statement: an admin must approve the new content before it is public again.
    /// [`StoreError::NotFound`] if the user is not in this clinic; [`StoreError::Invalid`]
    /// if the database refuses a value (say, only one coordinate, or opting in to an
    /// approved profile without a licence).
    async fn upsert_practitioner_profile(
        &self,
        profile: &NewPractitionerProfile,
        now: i64,
    ) -> StoreResult<PractitionerProfileRow>;

    /// The user's directory profile in this clinic, if they have one.
    async fn get_practitioner_profile(
        &self,
        clinic_id: &str,
        user_id: &str,
    ) -> StoreResult<Option<PractitionerProfileRow>>;

    /// The clinic's directory profiles (public or not), by display name, for its admin.
    async fn list_practitioner_profiles(
        &self,
        clinic_id: &str,
    ) -> StoreResult<Vec<PractitionerProfileRow>>;

    /// Approves (`approved_by = Some(admin)`, at `now`) or withdraws the approval
    /// (`None`) of one of the clinic's profiles. [`StoreError::NotFound`] if the profile
    /// or the approving user is not in this clinic (the caller checks the admin role);
    /// [`StoreError::Invalid`] when approving an opted-in profile without a licence.
    async fn set_practitioner_profile_approval(
        &self,
        clinic_id: &str,
        profile_id: &str,
        approved_by: Option<&str>,
        now: i64,
    ) -> StoreResult<PractitionerProfileRow>;

    /// Deletes the user's directory profile. Returns whether there was one.
    async fn delete_practitioner_profile(
        &self,
        clinic_id: &str,
        user_id: &str,
    ) -> StoreResult<bool>;

    /// Every public profile of every clinic: opted in, approved, and its user not
    /// disabled. Ordered by id. This is all the public directory ever reads.
    async fn list_public_profiles(&self) -> StoreResult<Vec<PractitionerProfileRow>>;

    /// A number that changes (it only grows) whenever the public directory may have
    /// changed: any write to a profile, or a user disabled. One row read, so instances
    /// sharing a database can check it before each search and rebuild their index only
    /// when it moved. Read it *before* [`Store::list_public_profiles`]: an index built
    /// after reading version `v` is at least as new as `v`.
    async fn directory_version(&self) -> StoreResult<i64>;

    // ----- product shelf ----------------------------------------------------------

    /// Adds a product to a treatment's shelf (the caller has checked its type and its
    /// ingredient list). [`StoreError::NotFound`] if the treatment is not in this clinic;
    /// [`StoreError::Invalid`] for an empty name or type.
    async fn add_shelf_product(
        &self,
        product: &NewShelfProduct,
        now: i64,
    ) -> StoreResult<ShelfProductRow>;

    /// The treatment's shelf, in the order the products were added. Empty for another
    /// clinic's treatment.
    async fn list_shelf_products(
        &self,
        clinic_id: &str,
        treatment_id: &str,
    ) -> StoreResult<Vec<ShelfProductRow>>;

    /// Replaces a product's fields (name, brand, type, ingredients, from the clinic) and sets
    /// `updated_at = now`. [`StoreError::NotFound`] unless the product is on the shelf of
    /// `product.treatment_id` in `product.clinic_id`.
    async fn update_shelf_product(
        &self,
        product_id: &str,
        product: &NewShelfProduct,
        now: i64,
    ) -> StoreResult<ShelfProductRow>;

    /// Removes a product from the treatment's shelf. Returns whether there was one (`false`
    /// for another clinic's or another treatment's product, which is left untouched).
    async fn delete_shelf_product(
        &self,
        clinic_id: &str,
        treatment_id: &str,
        product_id: &str,
    ) -> StoreResult<bool>;

    // ----- clinic product catalog ---------------------------------------------------

    /// Replaces the clinic's product catalog with `toml` (already validated by the caller),
    /// recording `user_id` (a user of the same clinic) and `updated_at = now`.
    /// [`StoreError::NotFound`] when the clinic or the user (in that clinic) does not exist.
    async fn set_clinic_catalog(
        &self,
        clinic_id: &str,
        user_id: &str,
        toml: &str,
        now: i64,
    ) -> StoreResult<ClinicCatalogRow>;

    /// The clinic's current product catalog; `None` when it has not set one (the built-in
    /// catalog applies).
    async fn get_clinic_catalog(&self, clinic_id: &str) -> StoreResult<Option<ClinicCatalogRow>>;

    /// Removes the clinic's catalog, going back to the built-in one. Returns whether there
    /// was one.
    async fn clear_clinic_catalog(&self, clinic_id: &str) -> StoreResult<bool>;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_schema_state_compares_applied_with_known_migrations() {
        use crate::shared::schema_state_of;
        assert_eq!(
            schema_state_of(&[1, 2, 3], &[1, 2, 3]),
            SchemaState::Current
        );
        assert_eq!(schema_state_of(&[1, 2], &[1, 2, 3]), SchemaState::Behind);
        assert_eq!(
            schema_state_of(&[1, 2, 3, 4], &[1, 2, 3]),
            SchemaState::Ahead
        );
        assert_eq!(schema_state_of(&[], &[1]), SchemaState::Behind);
    }

    use super::*;

    #[test]
    fn hash_token_is_sha256_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn normalize_email_trims_and_lowercases() {
        assert_eq!(
            normalize_email("  Ann@Clinic.Example "),
            "ann@clinic.example"
        );
    }
}
