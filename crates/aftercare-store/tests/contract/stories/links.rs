//! Patient links: found only by the hash of their token, and only while usable.

use aftercare_store::{LinkPurpose, hash_token};

use crate::fixtures::*;
use crate::harness::Env;

pub async fn links_are_found_by_token_hash_only(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let token = "s3cr3t-patient-token";
    let link = store
        .create_patient_link(
            &new_link(&world.clinic.id, &world.treatment.id, token, NOW + 30 * DAY),
            &[],
            NOW,
        )
        .await
        .expect("link");
    assert_eq!(link.token_hash, hash_token(token));
    assert_eq!(link.purpose, LinkPurpose::Patient);
    assert_eq!(link.treatment_id, world.treatment.id);
    assert_eq!(link.clinic_id, world.clinic.id);
    assert_eq!((link.created_at, link.revoked_at), (NOW, None));

    assert_eq!(
        store
            .find_patient_link(&hash_token(token), NOW + DAY)
            .await
            .expect("find"),
        Some(link.clone())
    );
    assert_eq!(
        store
            .find_patient_link(token, NOW + DAY)
            .await
            .expect("find"),
        None,
        "the token itself is never a key"
    );
    assert_eq!(
        store
            .find_patient_link(&hash_token("other"), NOW)
            .await
            .expect("find"),
        None
    );
    assert_conflict(
        store
            .create_patient_link(
                &new_link(&world.clinic.id, &world.treatment.id, token, NOW + DAY),
                &[],
                NOW,
            )
            .await,
        "patient link token",
    );
    assert_eq!(
        store
            .list_patient_links(&world.clinic.id, &world.treatment.id)
            .await
            .expect("list"),
        vec![link]
    );
}

pub async fn expired_and_revoked_links_stop_working(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let expires_at = NOW + 14 * DAY;
    let expiring = store
        .create_patient_link(
            &new_link(
                &world.clinic.id,
                &world.treatment.id,
                "expiring",
                expires_at,
            ),
            &[],
            NOW,
        )
        .await
        .expect("link");
    let revoked = store
        .create_patient_link(
            &new_link(&world.clinic.id, &world.treatment.id, "revoked", expires_at),
            &[],
            NOW,
        )
        .await
        .expect("link");

    assert!(
        store
            .find_patient_link(&hash_token("expiring"), expires_at - 1)
            .await
            .expect("find")
            .is_some()
    );
    assert_eq!(
        store
            .find_patient_link(&hash_token("expiring"), expires_at)
            .await
            .expect("find"),
        None
    );
    assert_eq!(
        store
            .lookup_patient_link(&hash_token("expiring"))
            .await
            .expect("lookup"),
        Some(expiring),
        "an expired link can still be told apart from an unknown one"
    );

    store
        .revoke_patient_link(&world.clinic.id, &revoked.id, NOW + DAY)
        .await
        .expect("revoke");
    store
        .revoke_patient_link(&world.clinic.id, &revoked.id, NOW + 2 * DAY)
        .await
        .expect("revoke again");
    assert_eq!(
        store
            .find_patient_link(&hash_token("revoked"), NOW + DAY)
            .await
            .expect("find"),
        None
    );
    let looked_up = store
        .lookup_patient_link(&hash_token("revoked"))
        .await
        .expect("lookup")
        .expect("still stored");
    assert_eq!(
        looked_up.revoked_at,
        Some(NOW + DAY),
        "the first revocation counts"
    );
    assert_eq!(
        store
            .lookup_patient_link(&hash_token("never"))
            .await
            .expect("lookup"),
        None
    );
    assert_not_found(
        store
            .revoke_patient_link(&world.clinic.id, "no-such-link", NOW)
            .await,
    );
}

pub async fn a_link_and_its_mail_are_written_together(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let link = store
        .create_patient_link(
            &new_link(&world.clinic.id, &world.treatment.id, "mailed", NOW + DAY),
            &[mail("patient_link_email", "a-patient@patient.example")],
            NOW,
        )
        .await
        .expect("link");
    let outbox = store.list_outbox(&world.clinic.id).await.expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].kind, "patient_link_email");
    assert_eq!(outbox[0].recipient, "a-patient@patient.example");
    assert_eq!(outbox[0].clinic_id, link.clinic_id);

    // A mail the database refuses takes the link down with it.
    assert_invalid(
        store
            .create_patient_link(
                &new_link(&world.clinic.id, &world.treatment.id, "unmailed", NOW + DAY),
                &[mail("patient_link_email", "")],
                NOW,
            )
            .await,
    );
    assert_eq!(
        store
            .lookup_patient_link(&hash_token("unmailed"))
            .await
            .expect("lookup"),
        None
    );
    assert_eq!(
        store
            .list_outbox(&world.clinic.id)
            .await
            .expect("outbox")
            .len(),
        1
    );
}
