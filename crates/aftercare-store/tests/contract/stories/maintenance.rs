//! Health checks, exact timestamps, backups, `connect`, and moving a clinic between
//! backends with export/import.

use aftercare_store::{
    AcceptInvitation, Backoff, CheckInLevel, LinkPurpose, NewInvitation, NewPatientLink,
    NewProtocol, NewSession, Role, SchemaState, SqliteStore, Store, StoreDump, StoreError, connect,
    connect_read_only, hash_token,
};

use crate::fixtures::*;
use crate::harness::{Backend, Env};

pub async fn ping_and_integrity_check_pass_on_a_healthy_store(env: Env) {
    let store = env.store.as_ref();
    assert_eq!(store.backend(), env.backend.to_string());
    store.ping().await.expect("ping");
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
    seed_everything(store).await;
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
}

/// Instants from before 1970 to the ends of `i64`.
const INSTANTS: [i64; 7] = [
    0,
    -1,
    -2_208_988_800, // 1900-01-01
    4_102_444_800,  // 2100-01-01
    NOW,
    i64::MAX,
    i64::MIN,
];

pub async fn timestamps_round_trip_exactly(env: Env) {
    let store = env.store.as_ref();
    for instant in INSTANTS {
        let clinic = store
            .create_clinic(&new_clinic(&format!("C{instant}")), instant)
            .await
            .expect("create");
        assert_eq!(clinic.created_at, instant);
        let found = store
            .find_clinic(&clinic.id)
            .await
            .expect("find")
            .expect("found");
        assert_eq!(found.created_at, instant);

        let admin = store
            .create_user(
                &new_user(&clinic.id, &format!("u{instant}@x.example"), Role::Admin),
                instant,
            )
            .await
            .expect("user");
        let mut t = new_treatment(&clinic.id, &admin.id, "T");
        t.treated_at = instant;
        let t = store
            .create_treatment(&t, instant)
            .await
            .expect("treatment");
        let t = store
            .get_treatment(&clinic.id, &t.id)
            .await
            .expect("get")
            .expect("found");
        assert_eq!((t.treated_at, t.created_at), (instant, instant));

        let recorded = store
            .record_check_in(
                &new_check_in(&clinic.id, &t.id, CheckInLevel::Urgent, instant),
                &[mail("alert_email", "x@x.example")],
                instant,
            )
            .await
            .expect("check-in");
        let check_in = store
            .get_check_in(&clinic.id, &recorded.check_in.id)
            .await
            .expect("get")
            .expect("found");
        assert_eq!((check_in.at, check_in.submitted_at), (instant, instant));
        let alert = store
            .acknowledge_alert(
                &clinic.id,
                &recorded.alert.expect("alert").id,
                &admin.id,
                None,
                instant,
            )
            .await
            .expect("acknowledge");
        assert_eq!(
            (alert.created_at, alert.acknowledged_at),
            (instant, Some(instant))
        );
        let outbox = store.list_outbox(&clinic.id).await.expect("outbox");
        assert_eq!(
            (outbox[0].created_at, outbox[0].next_attempt_at),
            (instant, instant)
        );
        let link = store
            .create_patient_link(
                &new_link(&clinic.id, &t.id, &format!("link{instant}"), instant),
                &[],
                instant,
            )
            .await
            .expect("link");
        assert_eq!(
            store
                .lookup_patient_link(&link.token_hash)
                .await
                .expect("lookup"),
            Some(link.clone())
        );
        assert_eq!((link.created_at, link.expires_at), (instant, instant));
    }
    let dump = store.export_all().await.expect("export");
    let mut created: Vec<i64> = dump.clinics.iter().map(|c| c.created_at).collect();
    created.sort_unstable();
    let mut expected = INSTANTS.to_vec();
    expected.sort_unstable();
    assert_eq!(created, expected);
}

/// A store with a row of every kind and every nullable column both null and set.
async fn seed_everything(store: &dyn Store) {
    let a = clinic_world(store, "Ärzte Zentrum").await;
    let b = clinic_world(store, "B").await;
    let protocol = store
        .upload_protocol(
            &NewProtocol {
                clinic_id: a.clinic.id.clone(),
                name: "Gentle".to_owned(),
                toml: "# \"quoted\" and unicode: ü ✓\n[protocol]\n".to_owned(),
                uploaded_by: a.admin.id.clone(),
            },
            NOW + 1,
        )
        .await
        .expect("protocol");
    store
        .set_clinic_default_protocol(&a.clinic.id, Some(&protocol.id))
        .await
        .expect("default");
    let mut t = new_treatment(&a.clinic.id, &a.practitioner.id, "J.D.");
    t.protocol_id = Some(protocol.id.clone());
    t.patient_email = None;
    t.fitzpatrick = None;
    t.notes = "line one\nline two, 'quotes' and \"doubles\"; ✓".to_owned();
    let t = store
        .create_treatment(&t, NOW + 2)
        .await
        .expect("treatment");

    for (token, used) in [("inv-used", true), ("inv-open", false)] {
        store
            .create_invitation(
                &NewInvitation {
                    clinic_id: a.clinic.id.clone(),
                    email: format!("{token}@a.example"),
                    role: Role::Practitioner,
                    token_hash: hash_token(token),
                    created_by: a.admin.id.clone(),
                    expires_at: NOW + 7 * DAY,
                },
                &[mail("invitation_email", &format!("{token}@a.example"))],
                NOW + 3,
            )
            .await
            .expect("invitation");
        if used {
            store
                .accept_invitation(
                    &hash_token(token),
                    &AcceptInvitation {
                        display_name: "Used".to_owned(),
                        password_hash: "$argon2id$used".to_owned(),
                    },
                    NOW + 4,
                )
                .await
                .expect("accept");
        }
    }
    store
        .disable_user(&b.clinic.id, &b.practitioner.id, NOW + 5)
        .await
        .expect("disable");
    for (token, user) in [("session-a", &a.admin), ("session-b", &b.admin)] {
        store
            .create_session(
                &NewSession {
                    token_hash: hash_token(token),
                    user_id: user.id.clone(),
                    clinic_id: user.clinic_id.clone(),
                    expires_at: NOW + DAY,
                },
                NOW + 6,
            )
            .await
            .expect("session");
    }
    store
        .touch_session(&hash_token("session-a"), NOW + 7, NOW + 2 * DAY)
        .await
        .expect("touch");

    let link = store
        .create_patient_link(
            &new_link(&a.clinic.id, &t.id, "patient-a", NOW + 30 * DAY),
            &[mail("patient_link_email", "jd@patient.example")],
            NOW + 8,
        )
        .await
        .expect("link");
    store
        .revoke_patient_link(&a.clinic.id, &link.id, NOW + 9)
        .await
        .expect("revoke");
    store
        .create_patient_link(
            &NewPatientLink {
                clinic_id: a.clinic.id.clone(),
                treatment_id: t.id.clone(),
                token_hash: hash_token("calendar-a"),
                purpose: LinkPurpose::Calendar,
                expires_at: NOW + 90 * DAY,
            },
            &[],
            NOW + 8,
        )
        .await
        .expect("calendar");

    for (i, level) in CheckInLevel::ALL.iter().enumerate() {
        let offset = i64::try_from(i).expect("small");
        let recorded = store
            .record_check_in(
                &new_check_in(&a.clinic.id, &t.id, *level, NOW + 10 + offset),
                &[mail("alert_email", "practitioner@a.example")],
                NOW + 20 + offset,
            )
            .await
            .expect("check-in");
        if *level == CheckInLevel::Urgent
            && let Some(alert) = recorded.alert
        {
            store
                .acknowledge_alert(
                    &a.clinic.id,
                    &alert.id,
                    &a.practitioner.id,
                    Some("called ✓"),
                    NOW + 30,
                )
                .await
                .expect("acknowledge");
        }
    }
    store
        .record_check_in(
            &new_check_in(
                &b.clinic.id,
                &b.treatment.id,
                CheckInLevel::Emergency,
                NOW + 40,
            ),
            &[],
            NOW + 40,
        )
        .await
        .expect("check-in b");

    // Outbox in every state: sent, failed with an error, leased, waiting.
    let claimed = store
        .claim_due_outbox(NOW + 50, 300, 3)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 3);
    store
        .mark_outbox_sent(&claimed[0].id, NOW + 51)
        .await
        .expect("sent");
    store
        .mark_outbox_failed(
            &claimed[1].id,
            "550 mailbox unavailable",
            NOW + 52,
            Backoff::default(),
        )
        .await
        .expect("failed");
}

pub async fn export_and_import_round_trip_across_backends(env: Env) {
    // SQLite → JSON → the backend under test → JSON → SQLite → JSON.
    let source = env.fresh_sqlite().await;
    seed_everything(source.as_ref()).await;
    let exported = source.export_all().await.expect("export from SQLite");
    assert_eq!(exported.format, StoreDump::FORMAT);
    assert_eq!(exported.version, StoreDump::VERSION);
    assert_eq!(exported.clinics.len(), 2);
    assert_eq!(exported.users.len(), 5);
    assert_eq!(exported.invitations.len(), 2);
    assert_eq!(exported.sessions.len(), 2);
    assert_eq!(exported.protocols.len(), 1);
    assert_eq!(exported.treatments.len(), 3);
    assert_eq!(exported.patient_links.len(), 2);
    assert_eq!(exported.check_ins.len(), 5);
    assert_eq!(exported.alerts.len(), 4);
    assert_eq!(exported.outbox.len(), 7);
    let json = serde_json::to_string_pretty(&exported).expect("serialise");

    let target = env.store.as_ref();
    let parsed: StoreDump = serde_json::from_str(&json).expect("parse");
    target.import_all(&parsed).await.expect("import");
    let re_exported = target.export_all().await.expect("export again");
    assert_eq!(
        re_exported, exported,
        "every row, timestamp and hash survives"
    );
    assert_eq!(
        serde_json::to_string_pretty(&re_exported).expect("serialise"),
        json,
        "the JSON is byte-identical"
    );

    let back = env.fresh_sqlite().await;
    back.import_all(&re_exported)
        .await
        .expect("import back into SQLite");
    assert_eq!(back.export_all().await.expect("export"), exported);

    // The imported store behaves like the original, not just dumps like it.
    let clinic_id = &exported
        .clinics
        .iter()
        .find(|c| c.default_protocol_id.is_some())
        .expect("clinic A")
        .id;
    assert_eq!(
        target.list_treatments(clinic_id).await.expect("dashboard"),
        source.list_treatments(clinic_id).await.expect("dashboard")
    );
    assert_eq!(
        target.list_open_alerts(clinic_id).await.expect("alerts"),
        source.list_open_alerts(clinic_id).await.expect("alerts")
    );
    assert!(
        target
            .find_session(&hash_token("session-a"), NOW + DAY)
            .await
            .expect("session")
            .is_some()
    );
    assert_eq!(
        target
            .find_patient_link(&hash_token("patient-a"), NOW)
            .await
            .expect("link"),
        None,
        "revoked stays revoked"
    );
    assert_eq!(
        target
            .claim_due_outbox(NOW + 100, 300, 100)
            .await
            .expect("claim")
            .len(),
        source
            .claim_due_outbox(NOW + 100, 300, 100)
            .await
            .expect("claim")
            .len()
    );
    assert_eq!(
        target.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
}

pub async fn import_refuses_a_store_with_data_and_foreign_dumps(env: Env) {
    let source = env.fresh_sqlite().await;
    seed_everything(source.as_ref()).await;
    let dump = source.export_all().await.expect("export");
    let target = env.store.as_ref();

    let mut wrong_format = dump.clone();
    wrong_format.format = "something-else".to_owned();
    assert_invalid(target.import_all(&wrong_format).await);
    let mut wrong_version = dump.clone();
    wrong_version.version = StoreDump::VERSION + 1;
    assert_invalid(target.import_all(&wrong_version).await);

    // A dump whose check-in points into the other clinic is refused as a whole.
    let mut tampered = dump.clone();
    let other_clinic = tampered.clinics[1].id.clone();
    let victim = tampered
        .check_ins
        .iter_mut()
        .find(|c| c.clinic_id != other_clinic)
        .expect("a check-in of the first clinic");
    victim.clinic_id = other_clinic;
    assert_invalid(target.import_all(&tampered).await);
    assert_eq!(
        target.list_clinics().await.expect("list"),
        vec![],
        "nothing was imported"
    );

    target
        .import_all(&dump)
        .await
        .expect("import into an empty store");
    match target.import_all(&dump).await {
        Err(StoreError::NotEmpty) => {}
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert_eq!(target.export_all().await.expect("export"), dump);
}

pub async fn connect_picks_the_backend_from_the_url(env: Env) {
    let shared = clinic(env.store.as_ref(), "Shared").await;
    let connected = connect(&env.url).await.expect("connect");
    assert_eq!(connected.backend(), env.backend.to_string());
    assert_eq!(
        connected.find_clinic(&shared.id).await.expect("find"),
        Some(shared.clone()),
        "the same database, migrated once"
    );
    connected.close().await;

    match env.backend {
        Backend::Postgres => {
            let alias = env.url.replacen("postgres://", "postgresql://", 1);
            let store = connect(&alias).await.expect("postgresql:// works too");
            assert_eq!(store.backend(), "postgres");
            store.close().await;
        }
        Backend::Sqlite => {
            let path = env.temp_path("plain.db");
            let plain = path.to_str().expect("UTF-8 path");
            let store = connect(plain).await.expect("a plain path");
            assert_eq!(store.backend(), "sqlite");
            let created = clinic(store.as_ref(), "Plain").await;
            store.close().await;
            assert!(path.exists(), "the file is created on first start");
            let reopened = connect(plain).await.expect("reopen");
            assert_eq!(
                reopened.find_clinic(&created.id).await.expect("find"),
                Some(created),
                "data survives a restart"
            );
            reopened.close().await;

            let memory = connect("sqlite::memory:").await.expect("in memory");
            let c = clinic(memory.as_ref(), "Memory").await;
            assert_eq!(memory.find_clinic(&c.id).await.expect("find"), Some(c));
            memory.close().await;
        }
    }

    for bad in ["", "   ", "mysql://localhost/db", "http://example.org/x.db"] {
        match connect(bad).await {
            Err(StoreError::InvalidUrl) => {}
            Err(other) => panic!("{bad:?}: expected InvalidUrl, got {other:?}"),
            Ok(_) => panic!("{bad:?}: expected InvalidUrl, got a store"),
        }
    }
}

pub async fn backup_writes_a_usable_copy(env: Env) {
    let store = env.store.as_ref();
    seed_everything(store).await;
    let path = env.temp_path("backup.db");
    match env.backend {
        Backend::Sqlite => {
            store.backup_to(&path).await.expect("backup");
            let copy = SqliteStore::open(path.to_str().expect("UTF-8 path"))
                .await
                .expect("open the backup");
            assert_eq!(
                copy.export_all().await.expect("export copy"),
                store.export_all().await.expect("export original")
            );
            assert_eq!(
                copy.integrity_check().await.expect("integrity"),
                Vec::<String>::new()
            );
            copy.close().await;
            match store.backup_to(&path).await {
                Err(StoreError::Conflict { what }) => assert_eq!(what, "backup file"),
                other => panic!("expected a conflict, got {other:?}"),
            }
        }
        Backend::Postgres => match store.backup_to(&path).await {
            Err(StoreError::Unsupported { backend, .. }) => {
                assert_eq!(backend, "postgres");
                assert!(!path.exists());
            }
            other => panic!("expected Unsupported, got {other:?}"),
        },
    }
}

pub async fn a_read_only_connection_reads_and_never_writes(env: Env) {
    let store = env.store.as_ref();
    assert_eq!(
        store.schema_state().await.expect("schema state"),
        SchemaState::Current
    );
    let existing = clinic(store, "Read Only").await;
    let before = store.export_all().await.expect("export before");
    let reader = connect_read_only(&env.url).await.expect("open read-only");
    assert_eq!(
        reader.find_clinic(&existing.id).await.expect("read"),
        Some(existing.clone())
    );
    assert!(
        reader
            .create_clinic(&new_clinic("Written"), NOW)
            .await
            .is_err(),
        "a write through a read-only connection fails"
    );
    assert_eq!(
        reader.schema_state().await.expect("schema state"),
        SchemaState::Current
    );
    reader.close().await;
    assert_eq!(store.export_all().await.expect("export after"), before);
}
