//! The data the store reads and writes: `*Row` structs (one per table, exactly the
//! columns), `New*` structs (what a caller supplies to create a row; the store adds the
//! id and the timestamps), the small text enums stored in TEXT columns, and the
//! [`StoreDump`] used by export and import.
//!
//! No SQL and no behaviour beyond (de)serialisation belongs here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

/// Declares an enum stored as TEXT, with `as_str`, `FromStr`, serde (snake_case) and
/// sqlx `Type`/`Encode`/`Decode` for any backend whose `&str` does.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, lowest first.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database and used in JSON.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(UnknownValue {
                        kind: stringify!($name),
                        value: other.to_owned(),
                    }),
                }
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'q str as sqlx::Encode<'q, DB>>::encode(self.as_str(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&'r str as sqlx::Decode<'r, DB>>::decode(value)?;
                Ok(text.parse::<$name>()?)
            }
        }
    };
}

/// A stored enum column held a value this version does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} value {value:?}")]
pub struct UnknownValue {
    /// The enum's name.
    pub kind: &'static str,
    /// The text found.
    pub value: String,
}

text_enum! {
    /// What a user may do in their clinic.
    Role {
        /// Manages the clinic: users, invitations, protocols, settings.
        Admin => "admin",
        /// Treats patients: treatments, links, check-ins, alerts.
        Practitioner => "practitioner",
    }
}

text_enum! {
    /// What a patient link opens.
    LinkPurpose {
        /// The patient's plan and check-in pages.
        Patient => "patient",
        /// The `.ics` calendar feed of the plan.
        Calendar => "calendar",
    }
}

text_enum! {
    /// The triage level of a check-in (CONTRACT §5), lowest to highest. The derived
    /// `Ord` follows that order, so `max()` picks the most serious.
    #[derive(PartialOrd, Ord)]
    CheckInLevel {
        /// Part of normal healing at this point.
        Expected => "expected",
        /// Contact the practitioner who treated you.
        ContactPractitioner => "contact_practitioner",
        /// Be seen the same day.
        Urgent => "urgent",
        /// Call the local emergency number now.
        Emergency => "emergency",
    }
}

impl CheckInLevel {
    /// Whether a check-in at this level raises an alert for the clinic
    /// (`contact_practitioner` or higher).
    #[must_use]
    pub fn raises_alert(self) -> bool {
        self >= CheckInLevel::ContactPractitioner
    }
}

/// A clinic: the owner of every other row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct ClinicRow {
    /// UUID v7.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Phone number patients are told to call.
    pub phone: String,
    /// Contact e-mail.
    pub email: String,
    /// Postal address.
    pub address: String,
    /// The local emergency number shown with emergency advice ("112", "999", "911").
    pub emergency_number: String,
    /// The clinic's default protocol; `None` means the built-in default.
    pub default_protocol_id: Option<String>,
    /// Epoch seconds.
    pub created_at: i64,
}

/// A clinic's details, for [`crate::Store::create_clinic`] and
/// [`crate::Store::update_clinic`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClinic {
    /// Display name.
    pub name: String,
    /// Phone number patients are told to call.
    pub phone: String,
    /// Contact e-mail.
    pub email: String,
    /// Postal address.
    pub address: String,
    /// The local emergency number ("112", "999", "911").
    pub emergency_number: String,
}

/// A practitioner or admin account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct UserRow {
    /// UUID v7.
    pub id: String,
    /// The user's clinic.
    pub clinic_id: String,
    /// Normalised (trimmed, lower-case); unique across all clinics.
    pub email: String,
    /// Name shown in the app.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Epoch seconds.
    pub created_at: i64,
    /// When the account was disabled; a disabled user cannot sign in.
    pub disabled_at: Option<i64>,
}

impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("clinic_id", &self.clinic_id)
            .field("role", &self.role)
            .field("created_at", &self.created_at)
            .field("disabled_at", &self.disabled_at)
            .finish_non_exhaustive()
    }
}

/// A new account, for [`crate::Store::create_user`].
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The user's clinic.
    pub clinic_id: String,
    /// Normalised by the store.
    pub email: String,
    /// Name shown in the app.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("clinic_id", &self.clinic_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// An invitation to join a clinic, sent by e-mail with a one-time token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct InvitationRow {
    /// UUID v7.
    pub id: String,
    /// The clinic the invitee joins.
    pub clinic_id: String,
    /// Normalised e-mail of the invitee.
    pub email: String,
    /// The role the invitee gets.
    pub role: Role,
    /// SHA-256 hex of the token; unique.
    pub token_hash: String,
    /// The user who invited.
    pub created_by: String,
    /// Epoch seconds; the token is refused from this instant on.
    pub expires_at: i64,
    /// When the invitation was accepted.
    pub used_at: Option<i64>,
}

/// A new invitation, for [`crate::Store::create_invitation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    /// The clinic the invitee joins.
    pub clinic_id: String,
    /// Normalised by the store.
    pub email: String,
    /// The role the invitee gets.
    pub role: Role,
    /// SHA-256 hex of the token.
    pub token_hash: String,
    /// The inviting user (must be in `clinic_id`).
    pub created_by: String,
    /// Epoch seconds.
    pub expires_at: i64,
}

/// What the invitee supplies when accepting, for [`crate::Store::accept_invitation`].
#[derive(Clone, PartialEq, Eq)]
pub struct AcceptInvitation {
    /// Name shown in the app.
    pub display_name: String,
    /// argon2id PHC string of the chosen password.
    pub password_hash: String,
}

impl fmt::Debug for AcceptInvitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcceptInvitation").finish_non_exhaustive()
    }
}

/// A signed-in browser session, shared by every server instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct SessionRow {
    /// SHA-256 hex of the session cookie's token; the primary key.
    pub token_hash: String,
    /// The signed-in user.
    pub user_id: String,
    /// The user's clinic.
    pub clinic_id: String,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds; the session is refused from this instant on.
    pub expires_at: i64,
    /// Epoch seconds of the last request.
    pub last_seen_at: i64,
}

/// A new session, for [`crate::Store::create_session`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 hex of the token.
    pub token_hash: String,
    /// The signed-in user.
    pub user_id: String,
    /// The user's clinic.
    pub clinic_id: String,
    /// Epoch seconds.
    pub expires_at: i64,
}

/// One microneedling treatment of one patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct TreatmentRow {
    /// UUID v7.
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The treating practitioner (a user of the clinic).
    pub practitioner_id: String,
    /// The patient's name or initials, as the clinic chooses.
    pub patient_label: String,
    /// Where patient links are e-mailed, if given.
    pub patient_email: Option<String>,
    /// Epoch seconds of the treatment.
    pub treated_at: i64,
    /// IANA time zone the plan is laid out in.
    pub time_zone: String,
    /// JSON array of skin ids.
    pub skin: String,
    /// Fitzpatrick type 1-6, if recorded.
    pub fitzpatrick: Option<i16>,
    /// JSON array of treated area ids.
    pub areas: String,
    /// Whether the patient has had cold sores.
    pub cold_sore_history: bool,
    /// Practitioner's notes.
    pub notes: String,
    /// The protocol; `None` means the clinic's default.
    pub protocol_id: Option<String>,
    /// Epoch seconds.
    pub created_at: i64,
}

/// A new treatment, for [`crate::Store::create_treatment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTreatment {
    /// The clinic.
    pub clinic_id: String,
    /// The treating practitioner (must be in `clinic_id`).
    pub practitioner_id: String,
    /// The patient's name or initials.
    pub patient_label: String,
    /// Where patient links are e-mailed, if given.
    pub patient_email: Option<String>,
    /// Epoch seconds of the treatment.
    pub treated_at: i64,
    /// IANA time zone.
    pub time_zone: String,
    /// JSON array of skin ids.
    pub skin: String,
    /// Fitzpatrick type 1-6 (the database refuses other values).
    pub fitzpatrick: Option<i16>,
    /// JSON array of treated area ids.
    pub areas: String,
    /// Whether the patient has had cold sores.
    pub cold_sore_history: bool,
    /// Practitioner's notes.
    pub notes: String,
    /// A protocol of the clinic; `None` means the clinic's default.
    pub protocol_id: Option<String>,
}

/// One line of the clinic dashboard: a treatment with what needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct TreatmentSummary {
    /// The treatment.
    #[sqlx(flatten)]
    pub treatment: TreatmentRow,
    /// The level of the most recently observed check-in, if any.
    pub latest_level: Option<CheckInLevel>,
    /// When the most recent check-in was observed (epoch seconds), if any.
    pub latest_check_in_at: Option<i64>,
    /// How many alerts are not yet acknowledged.
    pub open_alerts: i64,
    /// The highest level among the open alerts, if any.
    pub highest_open_alert_level: Option<CheckInLevel>,
}

/// A link that lets a patient (or their calendar) reach one treatment without an
/// account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct PatientLinkRow {
    /// UUID v7.
    pub id: String,
    /// The treatment the link opens.
    pub treatment_id: String,
    /// The treatment's clinic.
    pub clinic_id: String,
    /// SHA-256 hex of the link's token; unique.
    pub token_hash: String,
    /// Plan pages or calendar feed.
    pub purpose: LinkPurpose,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds; the link is refused from this instant on.
    pub expires_at: i64,
    /// When the clinic revoked the link.
    pub revoked_at: Option<i64>,
}

/// A new patient link, for [`crate::Store::create_patient_link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPatientLink {
    /// The treatment's clinic.
    pub clinic_id: String,
    /// The treatment (must be in `clinic_id`).
    pub treatment_id: String,
    /// SHA-256 hex of the token.
    pub token_hash: String,
    /// Plan pages or calendar feed.
    pub purpose: LinkPurpose,
    /// Epoch seconds.
    pub expires_at: i64,
}

/// A patient's symptom check-in and its triage result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct CheckInRow {
    /// UUID v7.
    pub id: String,
    /// The treatment.
    pub treatment_id: String,
    /// The treatment's clinic.
    pub clinic_id: String,
    /// When the symptoms were observed (epoch seconds).
    pub at: i64,
    /// When the check-in reached the server (epoch seconds).
    pub submitted_at: i64,
    /// The CONTRACT §5 check-in, as JSON text.
    pub input: String,
    /// The triage level.
    pub level: CheckInLevel,
    /// The triage result (reasons and advice), as JSON text.
    pub result: String,
}

/// A new check-in, for [`crate::Store::record_check_in`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheckIn {
    /// The treatment's clinic.
    pub clinic_id: String,
    /// The treatment (must be in `clinic_id`).
    pub treatment_id: String,
    /// When the symptoms were observed (epoch seconds).
    pub at: i64,
    /// The CONTRACT §5 check-in, as JSON text.
    pub input: String,
    /// The triage level.
    pub level: CheckInLevel,
    /// The triage result, as JSON text.
    pub result: String,
}

/// What [`crate::Store::record_check_in`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCheckIn {
    /// The check-in.
    pub check_in: CheckInRow,
    /// The alert, when the level was `contact_practitioner` or higher.
    pub alert: Option<AlertRow>,
    /// The queued e-mails, in the order given.
    pub outbox: Vec<OutboxRow>,
}

/// A check-in that needs the clinic's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct AlertRow {
    /// UUID v7.
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The treatment.
    pub treatment_id: String,
    /// The check-in that raised it.
    pub check_in_id: String,
    /// The check-in's level (`contact_practitioner` or higher).
    pub level: CheckInLevel,
    /// Epoch seconds.
    pub created_at: i64,
    /// When a user acknowledged it.
    pub acknowledged_at: Option<i64>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// What they noted (e.g. "called patient, advised to come in").
    pub acknowledgement_note: Option<String>,
}

/// An e-mail waiting to be (or already) delivered by the outbox worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct OutboxRow {
    /// UUID v7.
    pub id: String,
    /// The clinic on whose behalf it is sent.
    pub clinic_id: String,
    /// What kind of message (`alert_email`, `patient_link_email`, `invitation_email`).
    pub kind: String,
    /// The address it goes to.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body, if any.
    pub body_html: Option<String>,
    /// Epoch seconds.
    pub created_at: i64,
    /// How many times a worker has claimed it.
    pub attempts: i32,
    /// Not to be tried before this instant (epoch seconds).
    pub next_attempt_at: i64,
    /// Leased by a worker until this instant.
    pub locked_until: Option<i64>,
    /// When it was delivered.
    pub sent_at: Option<i64>,
    /// The last delivery error.
    pub last_error: Option<String>,
}

/// An e-mail to queue, for [`crate::Store::enqueue_outbox`] and the methods that queue
/// mail in the same transaction as their change. The clinic comes from the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxMessage {
    /// What kind of message (`alert_email`, `patient_link_email`, `invitation_email`).
    pub kind: String,
    /// The address it goes to; the database refuses an empty one.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body, if any.
    pub body_html: Option<String>,
}

/// How long the outbox waits before retrying a failed message: `base_seconds` after
/// the first attempt, doubling after each further attempt, never more than
/// `max_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay after the first failed attempt.
    pub base_seconds: i64,
    /// Upper bound of the delay.
    pub max_seconds: i64,
}

impl Default for Backoff {
    /// One minute, doubling, at most one hour: an alert e-mail keeps being retried.
    fn default() -> Self {
        Backoff {
            base_seconds: 60,
            max_seconds: 3600,
        }
    }
}

impl Backoff {
    /// The delay before the next attempt after `attempts` attempts (1 = the first
    /// one failed). Never negative, never above `max_seconds`.
    #[must_use]
    pub fn delay_after(self, attempts: i32) -> i64 {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 62)).unwrap_or(0);
        let factor = 1_i64.checked_shl(doublings).unwrap_or(i64::MAX);
        self.base_seconds
            .max(0)
            .saturating_mul(factor)
            .min(self.max_seconds.max(0))
    }
}

/// An aftercare protocol a clinic uploaded (TOML text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct ProtocolRow {
    /// UUID v7.
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// Display name.
    pub name: String,
    /// The uploaded file, unchanged.
    pub toml: String,
    /// The user who uploaded it.
    pub uploaded_by: String,
    /// Epoch seconds.
    pub created_at: i64,
}

/// A protocol to store, for [`crate::Store::upload_protocol`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProtocol {
    /// The clinic.
    pub clinic_id: String,
    /// Display name.
    pub name: String,
    /// The file text (already validated by the caller).
    pub toml: String,
    /// The uploading user (must be in `clinic_id`).
    pub uploaded_by: String,
}

/// A practitioner's profile for the public directory ("Find a Practitioner"), as stored.
/// The text fields are as the practitioner gave them (the web app checks them with
/// `aftercare-core`'s `PractitionerProfile::from_spec` before they are stored); the
/// coordinates are set only when the practitioner gave them, otherwise the city's are used.
///
/// Public only when [`PractitionerProfileRow::is_listed`]: opted in by the practitioner
/// and approved by an admin of the clinic (and the user is not disabled, which
/// [`crate::Store::list_public_profiles`] checks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct PractitionerProfileRow {
    /// UUID v7.
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The practitioner (one profile per user).
    pub user_id: String,
    /// The name shown ("Dr Jane Doe").
    pub display_name: String,
    /// The clinic's name as shown in the directory.
    pub clinic_name: Option<String>,
    /// The street address.
    pub address: Option<String>,
    /// The city, as written ("Springfield, Illinois" where ambiguous).
    pub city: String,
    /// The country (ISO code, such as "FR").
    pub country: String,
    /// Latitude in decimal degrees, when given (with `longitude`).
    pub latitude: Option<f64>,
    /// Longitude in decimal degrees, when given (with `latitude`).
    pub longitude: Option<f64>,
    /// JSON array of service ids (`["microneedling","microneedling_prp"]`).
    pub services: String,
    /// JSON array of qualifications as written.
    pub credentials: String,
    /// The licence number.
    pub licence_number: Option<String>,
    /// The body that issued the licence.
    pub licence_issuer: Option<String>,
    /// A phone number, as written.
    pub phone: Option<String>,
    /// The website.
    pub website: Option<String>,
    /// The online booking link.
    pub booking_url: Option<String>,
    /// The practitioner agreed to a public profile.
    pub opted_in: bool,
    /// When an admin of the clinic approved the profile; `None` while not approved.
    pub approved_at: Option<i64>,
    /// The admin who approved it.
    pub approved_by: Option<String>,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds of the last change (content, opt-in or approval).
    pub updated_at: i64,
}

// Equality is total: the coordinates are finite and in range (the database's checks
// refuse anything else, and SQLite stores NaN as NULL), so `StoreDump` stays `Eq`.
impl Eq for PractitionerProfileRow {}

impl PractitionerProfileRow {
    /// Opted in and approved (the user's state is not part of the row).
    #[must_use]
    pub fn is_listed(&self) -> bool {
        self.opted_in && self.approved_at.is_some()
    }
}

/// A practitioner's profile as they save it, for
/// [`crate::Store::upsert_practitioner_profile`]. The store adds the id, the approval
/// and the timestamps.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPractitionerProfile {
    /// The clinic.
    pub clinic_id: String,
    /// The practitioner (must be in `clinic_id`).
    pub user_id: String,
    /// The name shown.
    pub display_name: String,
    /// The clinic's name as shown.
    pub clinic_name: Option<String>,
    /// The street address.
    pub address: Option<String>,
    /// The city.
    pub city: String,
    /// The country (ISO code).
    pub country: String,
    /// Latitude, when given (with `longitude`).
    pub latitude: Option<f64>,
    /// Longitude, when given (with `latitude`).
    pub longitude: Option<f64>,
    /// JSON array of service ids.
    pub services: String,
    /// JSON array of qualifications.
    pub credentials: String,
    /// The licence number.
    pub licence_number: Option<String>,
    /// The issuing body.
    pub licence_issuer: Option<String>,
    /// A phone number.
    pub phone: Option<String>,
    /// The website.
    pub website: Option<String>,
    /// The booking link.
    pub booking_url: Option<String>,
    /// The practitioner agrees to a public profile.
    pub opted_in: bool,
}

/// One product on a treatment's shelf (issue #9): what the patient uses, recorded by the
/// patient through their link or by the practitioner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct ShelfProductRow {
    /// UUID v7.
    pub id: String,
    /// The clinic.
    pub clinic_id: String,
    /// The treatment whose shelf it is on.
    pub treatment_id: String,
    /// The product's name, as written.
    pub name: String,
    /// The brand, if given.
    pub brand: Option<String>,
    /// The product type id of `aftercare_core::shelf::ShelfProductType` (`cleanser`, …).
    pub product_type: String,
    /// The label's ingredient list as given (checked by the web app before saving);
    /// `None` when not provided.
    pub ingredients: Option<String>,
    /// Whether the clinic gave it as aftercare.
    pub from_clinic: bool,
    /// Epoch seconds.
    pub created_at: i64,
    /// Epoch seconds of the last change.
    pub updated_at: i64,
}

/// A clinic's current product catalog (issue #9): the uploaded TOML, in the format of
/// `data/catalog/recommended.toml`, validated by the web app before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromRow)]
#[serde(deny_unknown_fields)]
pub struct ClinicCatalogRow {
    /// The clinic (one catalog per clinic).
    pub clinic_id: String,
    /// The catalog file's text.
    pub toml: String,
    /// The user (of the same clinic) who set it.
    pub updated_by: String,
    /// Epoch seconds of the last change.
    pub updated_at: i64,
}

/// A shelf product as saved, for [`crate::Store::add_shelf_product`] and
/// [`crate::Store::update_shelf_product`]. The store adds the id and the timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShelfProduct {
    /// The clinic.
    pub clinic_id: String,
    /// The treatment (must be in `clinic_id`).
    pub treatment_id: String,
    /// The product's name (not empty).
    pub name: String,
    /// The brand, if given.
    pub brand: Option<String>,
    /// The product type id (not empty).
    pub product_type: String,
    /// The ingredient list, if given.
    pub ingredients: Option<String>,
    /// Whether the clinic gave it as aftercare.
    pub from_clinic: bool,
}

/// Every row of a store, as written by [`crate::Store::export_all`] and read by
/// [`crate::Store::import_all`]. Each list is ordered by primary key, so two dumps of
/// the same data are equal (and serialise to the same JSON) whatever the backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreDump {
    /// Always [`StoreDump::FORMAT`].
    pub format: String,
    /// Always [`StoreDump::VERSION`] for dumps this version writes.
    pub version: u32,
    /// All clinics.
    pub clinics: Vec<ClinicRow>,
    /// All users.
    pub users: Vec<UserRow>,
    /// All invitations.
    pub invitations: Vec<InvitationRow>,
    /// All sessions.
    pub sessions: Vec<SessionRow>,
    /// All protocols.
    pub protocols: Vec<ProtocolRow>,
    /// All treatments.
    pub treatments: Vec<TreatmentRow>,
    /// All patient links.
    pub patient_links: Vec<PatientLinkRow>,
    /// All check-ins.
    pub check_ins: Vec<CheckInRow>,
    /// All alerts.
    pub alerts: Vec<AlertRow>,
    /// All outbox messages.
    pub outbox: Vec<OutboxRow>,
    /// All practitioner directory profiles (absent from dumps written before the
    /// directory existed: then none).
    #[serde(default)]
    pub practitioner_profiles: Vec<PractitionerProfileRow>,
    /// All shelf products (absent from dumps written before the shelf existed: then none).
    #[serde(default)]
    pub shelf_products: Vec<ShelfProductRow>,
    /// All clinic product catalogs (absent from dumps written before catalogs existed:
    /// then none).
    #[serde(default)]
    pub clinic_catalogs: Vec<ClinicCatalogRow>,
}

impl StoreDump {
    /// The `format` tag of a store dump.
    pub const FORMAT: &'static str = "aftercare-store-dump";
    /// The dump layout version; bumped when a table or column changes.
    pub const VERSION: u32 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_lowest_to_highest() {
        assert!(CheckInLevel::Expected < CheckInLevel::ContactPractitioner);
        assert!(CheckInLevel::ContactPractitioner < CheckInLevel::Urgent);
        assert!(CheckInLevel::Urgent < CheckInLevel::Emergency);
        assert!(!CheckInLevel::Expected.raises_alert());
        assert!(CheckInLevel::ContactPractitioner.raises_alert());
        assert!(CheckInLevel::Emergency.raises_alert());
    }

    #[test]
    fn enums_round_trip_through_text() {
        for level in CheckInLevel::ALL {
            assert_eq!(level.as_str().parse::<CheckInLevel>(), Ok(*level));
        }
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        for purpose in LinkPurpose::ALL {
            assert_eq!(purpose.as_str().parse::<LinkPurpose>(), Ok(*purpose));
        }
        assert!("severe".parse::<CheckInLevel>().is_err());
        assert_eq!(
            serde_json::to_string(&CheckInLevel::ContactPractitioner).ok(),
            Some("\"contact_practitioner\"".to_owned())
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let backoff = Backoff {
            base_seconds: 60,
            max_seconds: 3600,
        };
        assert_eq!(backoff.delay_after(0), 60);
        assert_eq!(backoff.delay_after(1), 60);
        assert_eq!(backoff.delay_after(2), 120);
        assert_eq!(backoff.delay_after(3), 240);
        assert_eq!(backoff.delay_after(7), 3600);
        assert_eq!(backoff.delay_after(i32::MAX), 3600);
    }

    #[test]
    fn debug_of_users_hides_email_and_password_hash() {
        let user = NewUser {
            clinic_id: "c".into(),
            email: "ann@example.org".into(),
            display_name: "Ann".into(),
            role: Role::Admin,
            password_hash: "$argon2id$secret".into(),
        };
        let text = format!("{user:?}");
        assert!(!text.contains("argon2id"));
        assert!(!text.contains("ann@example.org"));
    }
}
