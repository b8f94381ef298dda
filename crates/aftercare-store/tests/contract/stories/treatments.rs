//! Treatments, the dashboard, protocols and, above all, the wall between clinics.

use aftercare_store::{CheckInLevel, LinkPurpose, NewPatientLink, NewProtocol, hash_token};

use crate::fixtures::*;
use crate::harness::Env;

pub async fn clinic_b_cannot_read_or_touch_clinic_a(env: Env) {
    let store = env.store.as_ref();
    let a = clinic_world(store, "A").await;
    let b = clinic_world(store, "B").await;
    let (a_id, b_id) = (a.clinic.id.as_str(), b.clinic.id.as_str());
    let a_treatment = a.treatment.id.as_str();
    let link = store
        .create_patient_link(&new_link(a_id, a_treatment, "a-link", NOW + DAY), &[], NOW)
        .await
        .expect("link");
    let recorded = store
        .record_check_in(
            &new_check_in(a_id, a_treatment, CheckInLevel::Urgent, NOW),
            &[mail("alert_email", "practitioner@a.example")],
            NOW,
        )
        .await
        .expect("check-in");
    let alert = recorded.alert.expect("urgent raises an alert");
    let protocol = store
        .upload_protocol(
            &NewProtocol {
                clinic_id: a_id.to_owned(),
                name: "A's protocol".to_owned(),
                toml: "name = \"a\"\n".to_owned(),
                uploaded_by: a.admin.id.clone(),
            },
            NOW,
        )
        .await
        .expect("protocol");

    // Reads from clinic B see nothing of clinic A.
    assert_eq!(
        store.get_treatment(b_id, a_treatment).await.expect("get"),
        None
    );
    assert_eq!(
        store.list_check_ins(b_id, a_treatment).await.expect("list"),
        vec![]
    );
    assert_eq!(
        store
            .get_check_in(b_id, &recorded.check_in.id)
            .await
            .expect("get"),
        None
    );
    assert_eq!(store.list_open_alerts(b_id).await.expect("alerts"), vec![]);
    assert_eq!(
        store
            .list_alerts_for_treatment(b_id, a_treatment)
            .await
            .expect("alerts"),
        vec![]
    );
    assert_eq!(
        store
            .list_patient_links(b_id, a_treatment)
            .await
            .expect("links"),
        vec![]
    );
    assert_eq!(
        store.get_protocol(b_id, &protocol.id).await.expect("get"),
        None
    );
    assert_eq!(store.list_protocols(b_id).await.expect("list"), vec![]);
    assert_eq!(store.list_outbox(b_id).await.expect("outbox"), vec![]);
    assert_eq!(
        store.find_user(b_id, &a.admin.id).await.expect("find"),
        None
    );
    let dashboard = store.list_treatments(b_id).await.expect("dashboard");
    assert_eq!(dashboard.len(), 1);
    assert_eq!(dashboard[0].treatment, b.treatment);
    assert_eq!(dashboard[0].open_alerts, 0);

    // Writes from clinic B cannot reach clinic A's rows.
    assert_not_found(store.revoke_patient_link(b_id, &link.id, NOW).await);
    assert_not_found(
        store
            .acknowledge_alert(b_id, &alert.id, &b.practitioner.id, Some("not mine"), NOW)
            .await,
    );
    assert_not_found(
        store
            .set_clinic_default_protocol(b_id, Some(&protocol.id))
            .await,
    );

    // ...and clinic A's data is untouched.
    assert_eq!(
        store.get_treatment(a_id, a_treatment).await.expect("get"),
        Some(a.treatment.clone())
    );
    assert_eq!(
        store
            .find_patient_link(&hash_token("a-link"), NOW + 1)
            .await
            .expect("find"),
        Some(link)
    );
    assert_eq!(
        store.list_open_alerts(a_id).await.expect("alerts"),
        vec![alert]
    );
    assert_eq!(
        store
            .list_check_ins(a_id, a_treatment)
            .await
            .expect("list")
            .len(),
        1
    );
    assert_eq!(
        store
            .find_clinic(b_id)
            .await
            .expect("find")
            .and_then(|c| c.default_protocol_id),
        None
    );
}

pub async fn rows_cannot_point_into_another_clinic(env: Env) {
    let store = env.store.as_ref();
    let a = clinic_world(store, "A").await;
    let b = clinic_world(store, "B").await;
    let b_id = b.clinic.id.as_str();

    // A treatment in B by A's practitioner.
    assert_not_found(
        store
            .create_treatment(&new_treatment(b_id, &a.practitioner.id, "X"), NOW)
            .await,
    );
    // A treatment in B with A's protocol.
    let protocol = store
        .upload_protocol(
            &NewProtocol {
                clinic_id: a.clinic.id.clone(),
                name: "A".to_owned(),
                toml: String::new(),
                uploaded_by: a.admin.id.clone(),
            },
            NOW,
        )
        .await
        .expect("protocol");
    let mut with_foreign_protocol = new_treatment(b_id, &b.practitioner.id, "Y");
    with_foreign_protocol.protocol_id = Some(protocol.id.clone());
    assert_not_found(store.create_treatment(&with_foreign_protocol, NOW).await);
    // A protocol in B uploaded by A's admin.
    assert_not_found(
        store
            .upload_protocol(
                &NewProtocol {
                    clinic_id: b_id.to_owned(),
                    name: "B".to_owned(),
                    toml: String::new(),
                    uploaded_by: a.admin.id.clone(),
                },
                NOW,
            )
            .await,
    );
    // A link, labelled as B's, to A's treatment.
    assert_not_found(
        store
            .create_patient_link(&new_link(b_id, &a.treatment.id, "t", NOW + DAY), &[], NOW)
            .await,
    );
    // A check-in, labelled as B's, on A's treatment: nothing at all is written.
    assert_not_found(
        store
            .record_check_in(
                &new_check_in(b_id, &a.treatment.id, CheckInLevel::Emergency, NOW),
                &[mail("alert_email", "practitioner@b.example")],
                NOW,
            )
            .await,
    );
    // An acknowledgement of A's alert by B's practitioner, even with A's clinic id.
    let alert = store
        .record_check_in(
            &new_check_in(&a.clinic.id, &a.treatment.id, CheckInLevel::Urgent, NOW),
            &[],
            NOW,
        )
        .await
        .expect("check-in")
        .alert
        .expect("alert");
    assert_not_found(
        store
            .acknowledge_alert(&a.clinic.id, &alert.id, &b.practitioner.id, None, NOW)
            .await,
    );

    for clinic in [&a.clinic.id, &b.clinic.id] {
        assert_eq!(store.list_outbox(clinic).await.expect("outbox"), vec![]);
    }
    assert_eq!(
        store
            .list_check_ins(b_id, &a.treatment.id)
            .await
            .expect("list"),
        vec![]
    );
    assert_eq!(
        store
            .list_open_alerts(&a.clinic.id)
            .await
            .expect("alerts")
            .len(),
        1
    );
    assert_eq!(
        store.list_treatments(b_id).await.expect("dashboard").len(),
        1
    );
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
}

pub async fn the_dashboard_lists_red_flags_first(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let clinic_id = world.clinic.id.as_str();
    let practitioner = world.practitioner.id.as_str();
    // `world.treatment` has no check-ins and was treated 2 days ago.
    let quiet = world.treatment.clone();
    let mut recent = new_treatment(clinic_id, practitioner, "Recent");
    recent.treated_at = NOW - HOUR;
    let recent = store.create_treatment(&recent, NOW).await.expect("create");
    let calm = treatment(store, clinic_id, practitioner, "Calm").await;
    let worried = treatment(store, clinic_id, practitioner, "Worried").await;
    let emergency = treatment(store, clinic_id, practitioner, "Emergency").await;
    let resolved = treatment(store, clinic_id, practitioner, "Resolved").await;

    let check = |treatment_id: &str, level, at| new_check_in(clinic_id, treatment_id, level, at);
    store
        .record_check_in(&check(&calm.id, CheckInLevel::Expected, NOW), &[], NOW)
        .await
        .expect("calm");
    store
        .record_check_in(
            &check(&worried.id, CheckInLevel::ContactPractitioner, NOW),
            &[],
            NOW,
        )
        .await
        .expect("worried");
    store
        .record_check_in(
            &check(&worried.id, CheckInLevel::Urgent, NOW + 10),
            &[],
            NOW + 10,
        )
        .await
        .expect("worried again");
    store
        .record_check_in(
            &check(&emergency.id, CheckInLevel::Emergency, NOW),
            &[],
            NOW,
        )
        .await
        .expect("emergency");
    // The most recently *observed* check-in counts, even if it was submitted first.
    store
        .record_check_in(
            &check(&emergency.id, CheckInLevel::Expected, NOW - HOUR),
            &[],
            NOW + 1,
        )
        .await
        .expect("late report of an earlier observation");
    let resolved_alert = store
        .record_check_in(&check(&resolved.id, CheckInLevel::Emergency, NOW), &[], NOW)
        .await
        .expect("resolved")
        .alert
        .expect("alert");
    store
        .acknowledge_alert(
            clinic_id,
            &resolved_alert.id,
            &world.admin.id,
            Some("seen"),
            NOW + 5,
        )
        .await
        .expect("acknowledge");

    let dashboard = store.list_treatments(clinic_id).await.expect("dashboard");
    let order: Vec<&str> = dashboard
        .iter()
        .map(|s| s.treatment.patient_label.as_str())
        .collect();
    assert_eq!(
        order,
        vec![
            "Emergency", // open emergency alert
            "Worried",   // open urgent (and contact) alerts
            "Resolved",  // acknowledged; latest level emergency
            "Calm",      // latest level expected
            "Recent",    // no check-ins, treated most recently
            "A patient", // no check-ins, treated earlier
        ]
    );
    let by_label = |label: &str| {
        dashboard
            .iter()
            .find(|s| s.treatment.patient_label == label)
            .expect("listed")
    };
    let e = by_label("Emergency");
    assert_eq!(e.open_alerts, 1);
    assert_eq!(e.highest_open_alert_level, Some(CheckInLevel::Emergency));
    assert_eq!(e.latest_level, Some(CheckInLevel::Emergency));
    assert_eq!(e.latest_check_in_at, Some(NOW));
    let w = by_label("Worried");
    assert_eq!(w.open_alerts, 2);
    assert_eq!(w.highest_open_alert_level, Some(CheckInLevel::Urgent));
    assert_eq!(w.latest_level, Some(CheckInLevel::Urgent));
    let r = by_label("Resolved");
    assert_eq!(r.open_alerts, 0);
    assert_eq!(r.highest_open_alert_level, None);
    assert_eq!(r.latest_level, Some(CheckInLevel::Emergency));
    let q = by_label("A patient");
    assert_eq!(q.treatment, quiet);
    assert_eq!(
        (q.latest_level, q.latest_check_in_at, q.open_alerts),
        (None, None, 0)
    );
    assert_eq!(by_label("Recent").treatment, recent);
}

pub async fn an_out_of_range_fitzpatrick_type_is_refused(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    for fitzpatrick in [0, 7, -1] {
        let mut t = new_treatment(&world.clinic.id, &world.practitioner.id, "Bad");
        t.fitzpatrick = Some(fitzpatrick);
        assert_invalid(store.create_treatment(&t, NOW).await);
    }
    let mut t = new_treatment(&world.clinic.id, &world.practitioner.id, "Unknown type");
    t.fitzpatrick = None;
    t.patient_email = None;
    t.cold_sore_history = false;
    let stored = store
        .create_treatment(&t, NOW)
        .await
        .expect("no type is fine");
    assert_eq!(stored.fitzpatrick, None);
    assert_eq!(stored.patient_email, None);
    assert!(!stored.cold_sore_history);
    assert_eq!(
        store
            .get_treatment(&world.clinic.id, &stored.id)
            .await
            .expect("get"),
        Some(stored)
    );
    assert_eq!(
        store
            .list_treatments(&world.clinic.id)
            .await
            .expect("list")
            .len(),
        2
    );
}

pub async fn protocols_are_uploaded_listed_and_made_default(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let clinic_id = world.clinic.id.as_str();
    let toml = "# Sourced: the guide\n[protocol]\nname = \"Gentle\"\n";
    let first = store
        .upload_protocol(
            &NewProtocol {
                clinic_id: clinic_id.to_owned(),
                name: "Gentle".to_owned(),
                toml: toml.to_owned(),
                uploaded_by: world.admin.id.clone(),
            },
            NOW,
        )
        .await
        .expect("upload");
    let second = store
        .upload_protocol(
            &NewProtocol {
                clinic_id: clinic_id.to_owned(),
                name: "Sensitive skin".to_owned(),
                toml: "[protocol]\n".to_owned(),
                uploaded_by: world.admin.id.clone(),
            },
            NOW + 1,
        )
        .await
        .expect("upload");
    assert_eq!(first.toml, toml, "the file is kept byte for byte");
    assert_eq!(
        store.list_protocols(clinic_id).await.expect("list"),
        vec![second.clone(), first.clone()],
        "newest first"
    );
    assert_eq!(
        store.get_protocol(clinic_id, &first.id).await.expect("get"),
        Some(first.clone())
    );

    store
        .set_clinic_default_protocol(clinic_id, Some(&first.id))
        .await
        .expect("set default");
    assert_eq!(
        store
            .find_clinic(clinic_id)
            .await
            .expect("find")
            .and_then(|c| c.default_protocol_id),
        Some(first.id.clone())
    );
    let mut t = new_treatment(clinic_id, &world.practitioner.id, "With protocol");
    t.protocol_id = Some(second.id.clone());
    assert_eq!(
        store
            .create_treatment(&t, NOW)
            .await
            .expect("create")
            .protocol_id,
        Some(second.id.clone())
    );
    assert_not_found(
        store
            .set_clinic_default_protocol(clinic_id, Some("no-such"))
            .await,
    );
    assert_not_found(store.set_clinic_default_protocol("no-such", None).await);
    store
        .set_clinic_default_protocol(clinic_id, None)
        .await
        .expect("back to built-in");
    assert_eq!(
        store
            .find_clinic(clinic_id)
            .await
            .expect("find")
            .and_then(|c| c.default_protocol_id),
        None
    );

    // A calendar link is just another purpose of the same table.
    let calendar = store
        .create_patient_link(
            &NewPatientLink {
                clinic_id: clinic_id.to_owned(),
                treatment_id: world.treatment.id.clone(),
                token_hash: hash_token("feed"),
                purpose: LinkPurpose::Calendar,
                expires_at: NOW + 90 * DAY,
            },
            &[],
            NOW,
        )
        .await
        .expect("calendar link");
    assert_eq!(calendar.purpose, LinkPurpose::Calendar);
}
