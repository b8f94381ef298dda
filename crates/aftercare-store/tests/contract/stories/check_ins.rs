//! Check-ins and alerts: the atomic write of a red flag, its acknowledgement, and
//! writes that must never fail under concurrency.

use std::collections::HashSet;
use std::sync::Arc;

use aftercare_store::{CheckInLevel, StoreError};

use crate::fixtures::*;
use crate::harness::Env;

pub async fn a_red_flag_check_in_writes_alert_and_mail_atomically(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let (clinic_id, treatment_id) = (world.clinic.id.as_str(), world.treatment.id.as_str());
    let observed = NOW - 2 * HOUR;
    let recorded = store
        .record_check_in(
            &new_check_in(clinic_id, treatment_id, CheckInLevel::Urgent, observed),
            &[
                mail("alert_email", "practitioner@a.example"),
                mail("alert_email", "admin@a.example"),
            ],
            NOW,
        )
        .await
        .expect("record");

    let check_in = &recorded.check_in;
    assert_eq!(check_in.at, observed);
    assert_eq!(check_in.submitted_at, NOW);
    assert_eq!(check_in.level, CheckInLevel::Urgent);
    assert_eq!(
        check_in.input,
        r#"{"symptoms":["redness"],"ratings":{"redness":4}}"#
    );
    assert_eq!(
        check_in.result,
        r#"{"level":"urgent","reasons":[],"advice":[]}"#
    );
    let alert = recorded.alert.clone().expect("urgent raises an alert");
    assert_eq!(alert.check_in_id, check_in.id);
    assert_eq!(alert.treatment_id, treatment_id);
    assert_eq!(alert.level, CheckInLevel::Urgent);
    assert_eq!(alert.created_at, NOW);
    assert_eq!(
        (
            alert.acknowledged_at,
            alert.acknowledged_by.clone(),
            alert.acknowledgement_note.clone()
        ),
        (None, None, None)
    );
    assert_eq!(recorded.outbox.len(), 2);
    assert_eq!(recorded.outbox[0].recipient, "practitioner@a.example");
    assert_eq!(recorded.outbox[1].recipient, "admin@a.example");
    assert!(
        recorded
            .outbox
            .iter()
            .all(|m| m.attempts == 0 && m.sent_at.is_none())
    );

    assert_eq!(
        store
            .list_check_ins(clinic_id, treatment_id)
            .await
            .expect("list"),
        vec![check_in.clone()]
    );
    assert_eq!(
        store
            .get_check_in(clinic_id, &check_in.id)
            .await
            .expect("get"),
        Some(check_in.clone())
    );
    assert_eq!(
        store.list_open_alerts(clinic_id).await.expect("alerts"),
        vec![alert.clone()]
    );
    assert_eq!(
        store
            .list_alerts_for_treatment(clinic_id, treatment_id)
            .await
            .expect("alerts"),
        vec![alert]
    );
    assert_eq!(
        store.list_outbox(clinic_id).await.expect("outbox"),
        recorded.outbox
    );
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
}

pub async fn an_expected_check_in_raises_no_alert(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let (clinic_id, treatment_id) = (world.clinic.id.as_str(), world.treatment.id.as_str());
    // Recorded out of order: the list follows the observation time.
    let later = store
        .record_check_in(
            &new_check_in(clinic_id, treatment_id, CheckInLevel::Expected, NOW),
            &[],
            NOW,
        )
        .await
        .expect("record");
    let earlier = store
        .record_check_in(
            &new_check_in(
                clinic_id,
                treatment_id,
                CheckInLevel::ContactPractitioner,
                NOW - DAY,
            ),
            &[],
            NOW + 1,
        )
        .await
        .expect("record");

    assert_eq!(later.alert, None);
    assert_eq!(later.outbox, vec![]);
    assert_eq!(
        earlier.alert.map(|a| a.level),
        Some(CheckInLevel::ContactPractitioner),
        "contact_practitioner is the lowest level that raises an alert"
    );
    assert_eq!(
        store
            .list_check_ins(clinic_id, treatment_id)
            .await
            .expect("list"),
        vec![earlier.check_in, later.check_in]
    );
}

pub async fn a_failed_check_in_leaves_nothing_half_written(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let (clinic_id, treatment_id) = (world.clinic.id.as_str(), world.treatment.id.as_str());

    // The check-in and its alert are inserted, then the second e-mail is refused
    // (an empty recipient): the whole transaction must roll back.
    let result = store
        .record_check_in(
            &new_check_in(clinic_id, treatment_id, CheckInLevel::Emergency, NOW),
            &[
                mail("alert_email", "practitioner@a.example"),
                mail("alert_email", ""),
            ],
            NOW,
        )
        .await;
    assert_invalid(result);

    assert_eq!(
        store
            .list_check_ins(clinic_id, treatment_id)
            .await
            .expect("list"),
        vec![]
    );
    assert_eq!(
        store.list_open_alerts(clinic_id).await.expect("alerts"),
        vec![]
    );
    assert_eq!(store.list_outbox(clinic_id).await.expect("outbox"), vec![]);
    let dump = store.export_all().await.expect("export");
    assert_eq!(
        (dump.check_ins.len(), dump.alerts.len(), dump.outbox.len()),
        (0, 0, 0)
    );
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );

    // The store is usable afterwards (no transaction or lock left behind).
    let recorded = store
        .record_check_in(
            &new_check_in(clinic_id, treatment_id, CheckInLevel::Emergency, NOW),
            &[mail("alert_email", "practitioner@a.example")],
            NOW,
        )
        .await
        .expect("record after a failure");
    assert!(recorded.alert.is_some());
}

pub async fn two_hundred_concurrent_check_ins_all_succeed(env: Env) {
    const WRITERS: usize = 200;
    let store = Arc::clone(&env.store);
    let world = clinic_world(store.as_ref(), "A").await;
    let mut treatments = vec![world.treatment.id.clone()];
    for i in 0..4 {
        let t = treatment(
            store.as_ref(),
            &world.clinic.id,
            &world.practitioner.id,
            &format!("Patient {i}"),
        )
        .await;
        treatments.push(t.id);
    }

    let mut tasks = Vec::with_capacity(WRITERS);
    for i in 0..WRITERS {
        let store = Arc::clone(&store);
        let clinic_id = world.clinic.id.clone();
        let treatment_id = treatments[i % treatments.len()].clone();
        let level = CheckInLevel::ALL[i % CheckInLevel::ALL.len()];
        let at = NOW + i64::try_from(i).expect("small");
        tasks.push(tokio::spawn(async move {
            let mail = if level.raises_alert() {
                vec![mail("alert_email", "practitioner@a.example")]
            } else {
                vec![]
            };
            // Readers run alongside the writers, as on a busy dashboard.
            store.list_treatments(&clinic_id).await?;
            store
                .record_check_in(
                    &new_check_in(&clinic_id, &treatment_id, level, at),
                    &mail,
                    at,
                )
                .await
        }));
    }
    let mut failures = Vec::new();
    let mut ids = HashSet::new();
    for task in tasks {
        match task.await.expect("task ran") {
            Ok(recorded) => {
                ids.insert(recorded.check_in.id);
            }
            Err(err) => failures.push(format!("{err:?}")),
        }
    }
    assert_eq!(
        failures,
        Vec::<String>::new(),
        "no write may fail (database is locked?)"
    );
    assert_eq!(ids.len(), WRITERS);

    let dump = store.export_all().await.expect("export");
    let alerting = (0..WRITERS)
        .filter(|i| CheckInLevel::ALL[i % CheckInLevel::ALL.len()].raises_alert())
        .count();
    assert_eq!(dump.check_ins.len(), WRITERS);
    assert_eq!(dump.alerts.len(), alerting);
    assert_eq!(dump.outbox.len(), alerting);
    let dashboard = store
        .list_treatments(&world.clinic.id)
        .await
        .expect("dashboard");
    let open: i64 = dashboard.iter().map(|s| s.open_alerts).sum();
    assert_eq!(open, i64::try_from(alerting).expect("small"));
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
}

pub async fn an_alert_is_acknowledged_once_with_a_note(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let clinic_id = world.clinic.id.as_str();
    let alert = store
        .record_check_in(
            &new_check_in(clinic_id, &world.treatment.id, CheckInLevel::Urgent, NOW),
            &[],
            NOW,
        )
        .await
        .expect("record")
        .alert
        .expect("alert");

    let note = "Called the patient; seen today at 16:00. Ünïcode ✓";
    let acknowledged = store
        .acknowledge_alert(
            clinic_id,
            &alert.id,
            &world.practitioner.id,
            Some(note),
            NOW + HOUR,
        )
        .await
        .expect("acknowledge");
    assert_eq!(acknowledged.id, alert.id);
    assert_eq!(acknowledged.acknowledged_at, Some(NOW + HOUR));
    assert_eq!(
        acknowledged.acknowledged_by.as_deref(),
        Some(world.practitioner.id.as_str())
    );
    assert_eq!(acknowledged.acknowledgement_note.as_deref(), Some(note));
    assert_eq!(acknowledged.created_at, alert.created_at);
    assert_eq!(
        store.list_open_alerts(clinic_id).await.expect("alerts"),
        vec![]
    );
    assert_eq!(
        store
            .list_alerts_for_treatment(clinic_id, &world.treatment.id)
            .await
            .expect("alerts"),
        vec![acknowledged.clone()]
    );

    match store
        .acknowledge_alert(
            clinic_id,
            &alert.id,
            &world.admin.id,
            Some("me too"),
            NOW + 2 * HOUR,
        )
        .await
    {
        Err(StoreError::Conflict { what }) => assert_eq!(what, "alert acknowledgement"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let unchanged = store
        .list_alerts_for_treatment(clinic_id, &world.treatment.id)
        .await
        .expect("alerts");
    assert_eq!(
        unchanged,
        vec![acknowledged],
        "the first acknowledgement stands"
    );
    assert_not_found(
        store
            .acknowledge_alert(clinic_id, "no-such-alert", &world.admin.id, None, NOW)
            .await,
    );

    // Without a note.
    let second = store
        .record_check_in(
            &new_check_in(clinic_id, &world.treatment.id, CheckInLevel::Emergency, NOW),
            &[],
            NOW,
        )
        .await
        .expect("record")
        .alert
        .expect("alert");
    let plain = store
        .acknowledge_alert(clinic_id, &second.id, &world.admin.id, None, NOW + 1)
        .await
        .expect("acknowledge");
    assert_eq!(plain.acknowledgement_note, None);
    assert_eq!(
        plain.acknowledged_by.as_deref(),
        Some(world.admin.id.as_str())
    );
}

pub async fn open_alerts_are_listed_most_serious_first(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let clinic_id = world.clinic.id.as_str();
    let mut expected = Vec::new();
    for (level, at) in [
        (CheckInLevel::ContactPractitioner, NOW),
        (CheckInLevel::Emergency, NOW + 2),
        (CheckInLevel::Urgent, NOW + 1),
        (CheckInLevel::Emergency, NOW + 3),
    ] {
        let alert = store
            .record_check_in(
                &new_check_in(clinic_id, &world.treatment.id, level, at),
                &[],
                at,
            )
            .await
            .expect("record")
            .alert
            .expect("alert");
        expected.push(alert);
    }
    let levels: Vec<(CheckInLevel, i64)> = store
        .list_open_alerts(clinic_id)
        .await
        .expect("alerts")
        .into_iter()
        .map(|a| (a.level, a.created_at))
        .collect();
    assert_eq!(
        levels,
        vec![
            (CheckInLevel::Emergency, NOW + 2),
            (CheckInLevel::Emergency, NOW + 3),
            (CheckInLevel::Urgent, NOW + 1),
            (CheckInLevel::ContactPractitioner, NOW),
        ]
    );
    assert_eq!(expected.len(), 4);
}
