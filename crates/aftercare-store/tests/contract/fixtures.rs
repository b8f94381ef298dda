//! Builders for the rows stories need, and two seeded clinics for isolation stories.

use std::fmt::Debug;

use aftercare_store::{
    CheckInLevel, ClinicRow, LinkPurpose, NewCheckIn, NewClinic, NewOutboxMessage, NewPatientLink,
    NewTreatment, NewUser, Role, Store, StoreDump, StoreError, StoreResult, TreatmentRow, UserRow,
    hash_token,
};

/// A fixed "now": 2026-11-20T14:00:00Z. Stories never read the clock.
pub const NOW: i64 = 1_795_183_200;
/// One hour in seconds.
pub const HOUR: i64 = 3_600;
/// One day in seconds.
pub const DAY: i64 = 86_400;

pub fn new_clinic(name: &str) -> NewClinic {
    NewClinic {
        name: name.to_owned(),
        phone: "+44 20 7946 0000".to_owned(),
        email: format!("{}@clinic.example", name.to_lowercase().replace(' ', "-")),
        address: "1 High Street, London".to_owned(),
        emergency_number: "999".to_owned(),
    }
}

pub async fn clinic(store: &dyn Store, name: &str) -> ClinicRow {
    store
        .create_clinic(&new_clinic(name), NOW)
        .await
        .expect("create clinic")
}

pub fn new_user(clinic_id: &str, email: &str, role: Role) -> NewUser {
    NewUser {
        clinic_id: clinic_id.to_owned(),
        email: email.to_owned(),
        display_name: format!("User {email}"),
        role,
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$salt${email}"),
    }
}

pub async fn user(store: &dyn Store, clinic_id: &str, email: &str, role: Role) -> UserRow {
    store
        .create_user(&new_user(clinic_id, email, role), NOW)
        .await
        .expect("create user")
}

pub fn new_treatment(clinic_id: &str, practitioner_id: &str, label: &str) -> NewTreatment {
    NewTreatment {
        clinic_id: clinic_id.to_owned(),
        practitioner_id: practitioner_id.to_owned(),
        patient_label: label.to_owned(),
        patient_email: Some(format!("{}@patient.example", label.to_lowercase())),
        treated_at: NOW - 2 * DAY,
        time_zone: "Europe/London".to_owned(),
        skin: r#"["sensitive"]"#.to_owned(),
        fitzpatrick: Some(3),
        areas: r#"["face","neck"]"#.to_owned(),
        cold_sore_history: true,
        notes: "0.5 mm, full face".to_owned(),
        protocol_id: None,
    }
}

pub async fn treatment(
    store: &dyn Store,
    clinic_id: &str,
    practitioner_id: &str,
    label: &str,
) -> TreatmentRow {
    store
        .create_treatment(&new_treatment(clinic_id, practitioner_id, label), NOW)
        .await
        .expect("create treatment")
}

pub fn new_check_in(
    clinic_id: &str,
    treatment_id: &str,
    level: CheckInLevel,
    at: i64,
) -> NewCheckIn {
    NewCheckIn {
        clinic_id: clinic_id.to_owned(),
        treatment_id: treatment_id.to_owned(),
        at,
        input: r#"{"symptoms":["redness"],"ratings":{"redness":4}}"#.to_owned(),
        level,
        result: format!(r#"{{"level":"{level}","reasons":[],"advice":[]}}"#),
    }
}

pub fn mail(kind: &str, recipient: &str) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: kind.to_owned(),
        recipient: recipient.to_owned(),
        subject: format!("{kind} for {recipient}"),
        body_text: "Please open the dashboard.".to_owned(),
        body_html: Some("<p>Please open the dashboard.</p>".to_owned()),
    }
}

pub fn new_link(
    clinic_id: &str,
    treatment_id: &str,
    token: &str,
    expires_at: i64,
) -> NewPatientLink {
    NewPatientLink {
        clinic_id: clinic_id.to_owned(),
        treatment_id: treatment_id.to_owned(),
        token_hash: hash_token(token),
        purpose: LinkPurpose::Patient,
        expires_at,
    }
}

/// One clinic with an admin, a practitioner and a treatment.
pub struct ClinicWorld {
    pub clinic: ClinicRow,
    pub admin: UserRow,
    pub practitioner: UserRow,
    pub treatment: TreatmentRow,
}

pub async fn clinic_world(store: &dyn Store, name: &str) -> ClinicWorld {
    let clinic = clinic(store, name).await;
    let slug = name.to_lowercase().replace(' ', "-");
    let admin = user(
        store,
        &clinic.id,
        &format!("admin@{slug}.example"),
        Role::Admin,
    )
    .await;
    let practitioner = user(
        store,
        &clinic.id,
        &format!("practitioner@{slug}.example"),
        Role::Practitioner,
    )
    .await;
    let treatment = treatment(
        store,
        &clinic.id,
        &practitioner.id,
        &format!("{name} patient"),
    )
    .await;
    ClinicWorld {
        clinic,
        admin,
        practitioner,
        treatment,
    }
}

/// Exports `source`, writes the dump as JSON, reads it back and imports it into `target`:
/// returns the export and its JSON.
pub async fn copy_through_json(source: &dyn Store, target: &dyn Store) -> (StoreDump, String) {
    let exported = source.export_all().await.expect("export");
    let json = serde_json::to_string_pretty(&exported).expect("serialise");
    let parsed: StoreDump = serde_json::from_str(&json).expect("parse");
    target.import_all(&parsed).await.expect("import");
    (exported, json)
}

/// The dump `json` as written before the table `key` existed (without that key), read back.
#[track_caller]
pub fn dump_without(json: &str, key: &str) -> StoreDump {
    let mut old: serde_json::Value = serde_json::from_str(json).expect("value");
    assert!(
        old.as_object_mut().expect("object").remove(key).is_some(),
        "the dump has `{key}`"
    );
    serde_json::from_value(old).expect("an older dump still reads")
}

#[track_caller]
pub fn assert_not_found<T: Debug>(result: StoreResult<T>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_conflict<T: Debug>(result: StoreResult<T>, expected_what: &str) {
    match result {
        Err(StoreError::Conflict { what }) => assert_eq!(what, expected_what),
        other => panic!("expected Conflict({expected_what}), got {other:?}"),
    }
}

#[track_caller]
pub fn assert_invalid<T: Debug>(result: StoreResult<T>) {
    match result {
        Err(StoreError::Invalid { .. }) => {}
        other => panic!("expected Invalid, got {other:?}"),
    }
}
