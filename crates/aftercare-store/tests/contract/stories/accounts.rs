//! Clinics, users, invitations and sessions.

use aftercare_store::{AcceptInvitation, NewInvitation, NewSession, Role, hash_token};

use crate::fixtures::*;
use crate::harness::Env;

pub async fn clinics_are_created_found_listed_and_updated(env: Env) {
    let store = env.store.as_ref();

    let first = clinic(store, "Glow Clinic").await;
    let second = store
        .create_clinic(&new_clinic("Second Skin"), NOW + 5)
        .await
        .expect("create");

    assert_eq!(first.name, "Glow Clinic");
    assert_eq!(first.emergency_number, "999");
    assert_eq!(first.default_protocol_id, None);
    assert_eq!(first.created_at, NOW);
    assert_eq!(
        store.find_clinic(&first.id).await.expect("find"),
        Some(first.clone())
    );
    assert_eq!(
        store.find_clinic("no-such-clinic").await.expect("find"),
        None
    );
    assert_eq!(
        store.list_clinics().await.expect("list"),
        vec![first.clone(), second.clone()]
    );

    let mut details = new_clinic("Glow Clinic Berlin");
    details.emergency_number = "112".to_owned();
    let updated = store
        .update_clinic(&first.id, &details)
        .await
        .expect("update");
    assert_eq!(updated.name, "Glow Clinic Berlin");
    assert_eq!(updated.emergency_number, "112");
    assert_eq!(updated.created_at, first.created_at);
    assert_not_found(store.update_clinic("no-such-clinic", &details).await);
}

pub async fn user_emails_are_normalised_and_unique_across_clinics(env: Env) {
    let store = env.store.as_ref();
    let a = clinic(store, "A").await;
    let b = clinic(store, "B").await;

    let ann = user(store, &a.id, "  Ann@Clinic.Example ", Role::Admin).await;
    assert_eq!(ann.email, "ann@clinic.example");
    assert_eq!(ann.role, Role::Admin);
    assert_eq!(ann.disabled_at, None);

    let found = store
        .find_user_by_email("ANN@clinic.example")
        .await
        .expect("find")
        .expect("found by a differently-cased address");
    assert_eq!(found, ann);
    assert_eq!(
        found.password_hash, "$argon2id$v=19$m=19456,t=2,p=1$salt$  Ann@Clinic.Example ",
        "the password hash is stored unchanged"
    );

    // The same address in another clinic, in another case, is still the same account.
    assert_conflict(
        store
            .create_user(
                &new_user(&b.id, "ann@CLINIC.example", Role::Practitioner),
                NOW,
            )
            .await,
        "user e-mail",
    );
    assert_not_found(
        store
            .create_user(
                &new_user("no-such-clinic", "bob@x.example", Role::Admin),
                NOW,
            )
            .await,
    );
    assert_eq!(store.list_users(&b.id).await.expect("list"), vec![]);
}

pub async fn users_are_found_only_in_their_own_clinic(env: Env) {
    let store = env.store.as_ref();
    let a = clinic(store, "A").await;
    let b = clinic(store, "B").await;
    let zoe = user(store, &a.id, "zoe@a.example", Role::Practitioner).await;
    let amy = user(store, &a.id, "amy@a.example", Role::Admin).await;
    let bea = user(store, &b.id, "bea@b.example", Role::Admin).await;

    assert_eq!(
        store.find_user(&a.id, &zoe.id).await.expect("find"),
        Some(zoe.clone())
    );
    assert_eq!(store.find_user(&b.id, &zoe.id).await.expect("find"), None);
    assert_eq!(
        store.list_users(&a.id).await.expect("list"),
        vec![amy, zoe],
        "ordered by e-mail"
    );
    assert_eq!(store.list_users(&b.id).await.expect("list"), vec![bea]);
}

pub async fn an_invitation_is_accepted_once_and_sends_its_mail(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let token = "invite-token-1";
    let invitation = store
        .create_invitation(
            &NewInvitation {
                clinic_id: world.clinic.id.clone(),
                email: "New.Hire@A.example".to_owned(),
                role: Role::Practitioner,
                token_hash: hash_token(token),
                created_by: world.admin.id.clone(),
                expires_at: NOW + 7 * DAY,
            },
            &[mail("invitation_email", "new.hire@a.example")],
            NOW,
        )
        .await
        .expect("invite");
    assert_eq!(invitation.email, "new.hire@a.example");
    assert_eq!(invitation.used_at, None);
    let outbox = store.list_outbox(&world.clinic.id).await.expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].kind, "invitation_email");
    assert_eq!(outbox[0].next_attempt_at, NOW);
    assert_eq!(
        store
            .list_invitations(&world.clinic.id)
            .await
            .expect("list"),
        vec![invitation.clone()]
    );

    assert_eq!(
        store
            .find_invitation(&hash_token(token), NOW + HOUR)
            .await
            .expect("find"),
        Some(invitation.clone())
    );
    assert_eq!(store.find_invitation(token, NOW).await.expect("find"), None);

    let acceptance = AcceptInvitation {
        display_name: "New Hire".to_owned(),
        password_hash: "$argon2id$new".to_owned(),
    };
    let user = store
        .accept_invitation(&hash_token(token), &acceptance, NOW + HOUR)
        .await
        .expect("accept");
    assert_eq!(user.email, "new.hire@a.example");
    assert_eq!(user.clinic_id, world.clinic.id);
    assert_eq!(user.role, Role::Practitioner);
    assert_eq!(user.display_name, "New Hire");
    assert_eq!(user.created_at, NOW + HOUR);

    assert_not_found(
        store
            .accept_invitation(&hash_token(token), &acceptance, NOW + 2 * HOUR)
            .await,
    );
    assert_eq!(
        store
            .find_invitation(&hash_token(token), NOW + 2 * HOUR)
            .await
            .expect("find"),
        None
    );
    let listed = store
        .list_invitations(&world.clinic.id)
        .await
        .expect("list");
    assert_eq!(listed[0].used_at, Some(NOW + HOUR));
}

pub async fn an_expired_invitation_cannot_be_accepted(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let expires_at = NOW + DAY;
    store
        .create_invitation(
            &NewInvitation {
                clinic_id: world.clinic.id.clone(),
                email: "late@a.example".to_owned(),
                role: Role::Admin,
                token_hash: hash_token("late"),
                created_by: world.admin.id.clone(),
                expires_at,
            },
            &[],
            NOW,
        )
        .await
        .expect("invite");
    let acceptance = AcceptInvitation {
        display_name: "Late".to_owned(),
        password_hash: "$argon2id$late".to_owned(),
    };

    assert!(
        store
            .find_invitation(&hash_token("late"), expires_at - 1)
            .await
            .expect("find")
            .is_some()
    );
    assert_eq!(
        store
            .find_invitation(&hash_token("late"), expires_at)
            .await
            .expect("find"),
        None
    );
    assert_not_found(
        store
            .accept_invitation(&hash_token("late"), &acceptance, expires_at)
            .await,
    );
    assert_eq!(
        store
            .find_user_by_email("late@a.example")
            .await
            .expect("find"),
        None
    );
    // An invitation cannot be created by a user of another clinic either.
    let other = clinic_world(store, "B").await;
    assert_not_found(
        store
            .create_invitation(
                &NewInvitation {
                    clinic_id: world.clinic.id.clone(),
                    email: "x@a.example".to_owned(),
                    role: Role::Admin,
                    token_hash: hash_token("x"),
                    created_by: other.admin.id.clone(),
                    expires_at,
                },
                &[mail("invitation_email", "x@a.example")],
                NOW,
            )
            .await,
    );
    assert_eq!(
        store.list_outbox(&world.clinic.id).await.expect("outbox"),
        vec![]
    );
}

pub async fn accepting_with_a_taken_email_conflicts_and_keeps_the_invitation(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let other = clinic_world(store, "B").await;
    store
        .create_invitation(
            &NewInvitation {
                clinic_id: world.clinic.id.clone(),
                email: other.admin.email.clone(),
                role: Role::Practitioner,
                token_hash: hash_token("dup"),
                created_by: world.admin.id.clone(),
                expires_at: NOW + DAY,
            },
            &[],
            NOW,
        )
        .await
        .expect("invite");
    let acceptance = AcceptInvitation {
        display_name: "Dup".to_owned(),
        password_hash: "$argon2id$dup".to_owned(),
    };

    assert_conflict(
        store
            .accept_invitation(&hash_token("dup"), &acceptance, NOW + 1)
            .await,
        "user e-mail",
    );
    let still_open = store
        .find_invitation(&hash_token("dup"), NOW + 2)
        .await
        .expect("find");
    assert_eq!(
        still_open.map(|i| i.used_at),
        Some(None),
        "the failed acceptance rolled back"
    );
    assert_conflict(
        store
            .create_invitation(
                &NewInvitation {
                    clinic_id: world.clinic.id.clone(),
                    email: "someone@a.example".to_owned(),
                    role: Role::Practitioner,
                    token_hash: hash_token("dup"),
                    created_by: world.admin.id.clone(),
                    expires_at: NOW + DAY,
                },
                &[],
                NOW,
            )
            .await,
        "invitation token",
    );
}

fn session(world: &ClinicWorld, token: &str, expires_at: i64) -> NewSession {
    NewSession {
        token_hash: hash_token(token),
        user_id: world.practitioner.id.clone(),
        clinic_id: world.clinic.id.clone(),
        expires_at,
    }
}

pub async fn sessions_are_found_touched_and_deleted(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let other = clinic_world(store, "B").await;

    let created = store
        .create_session(&session(&world, "s1", NOW + DAY), NOW)
        .await
        .expect("create");
    assert_eq!(created.created_at, NOW);
    assert_eq!(created.last_seen_at, NOW);
    assert_eq!(created.expires_at, NOW + DAY);
    assert_eq!(
        store
            .find_session(&hash_token("s1"), NOW + 1)
            .await
            .expect("find"),
        Some(created.clone())
    );
    assert_eq!(store.find_session("s1", NOW + 1).await.expect("find"), None);
    assert_conflict(
        store
            .create_session(&session(&world, "s1", NOW + DAY), NOW)
            .await,
        "session token",
    );
    // A session must belong to its user's clinic.
    let mut foreign = session(&world, "s2", NOW + DAY);
    foreign.clinic_id = other.clinic.id.clone();
    assert_not_found(store.create_session(&foreign, NOW).await);

    store
        .touch_session(&hash_token("s1"), NOW + HOUR, NOW + HOUR + DAY)
        .await
        .expect("touch");
    let touched = store
        .find_session(&hash_token("s1"), NOW + HOUR)
        .await
        .expect("find")
        .expect("still there");
    assert_eq!(touched.last_seen_at, NOW + HOUR);
    assert_eq!(touched.expires_at, NOW + HOUR + DAY);
    assert_eq!(touched.created_at, NOW);
    assert_eq!(
        store
            .find_session(&hash_token("s1"), NOW + HOUR + DAY)
            .await
            .expect("find"),
        None,
        "expired exactly at expires_at"
    );
    assert_not_found(
        store
            .touch_session(&hash_token("s1"), NOW + 2 * DAY, NOW + 3 * DAY)
            .await,
    );

    store
        .delete_session(&hash_token("s1"))
        .await
        .expect("delete");
    store
        .delete_session(&hash_token("s1"))
        .await
        .expect("delete twice");
    assert_eq!(
        store
            .find_session(&hash_token("s1"), NOW + 2)
            .await
            .expect("find"),
        None
    );
    assert_not_found(
        store
            .touch_session(&hash_token("s1"), NOW + 3, NOW + DAY)
            .await,
    );
}

pub async fn sessions_of_disabled_users_are_refused(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let other = clinic_world(store, "B").await;
    store
        .create_session(&session(&world, "s1", NOW + DAY), NOW)
        .await
        .expect("create");

    assert_not_found(
        store
            .disable_user(&other.clinic.id, &world.practitioner.id, NOW + 1)
            .await,
    );
    assert!(
        store
            .find_session(&hash_token("s1"), NOW + 2)
            .await
            .expect("find")
            .is_some()
    );

    store
        .disable_user(&world.clinic.id, &world.practitioner.id, NOW + 3)
        .await
        .expect("disable");
    assert_eq!(
        store
            .find_session(&hash_token("s1"), NOW + 4)
            .await
            .expect("find"),
        None
    );
    let disabled = store
        .find_user(&world.clinic.id, &world.practitioner.id)
        .await
        .expect("find")
        .expect("still exists");
    assert_eq!(disabled.disabled_at, Some(NOW + 3));
    // A new session of a disabled user is not usable either.
    store
        .create_session(&session(&world, "s2", NOW + DAY), NOW + 5)
        .await
        .expect("create");
    assert_eq!(
        store
            .find_session(&hash_token("s2"), NOW + 6)
            .await
            .expect("find"),
        None
    );
}

pub async fn a_password_change_deletes_the_other_sessions(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let other = clinic_world(store, "B").await;
    for token in ["phone", "laptop", "tablet"] {
        store
            .create_session(&session(&world, token, NOW + DAY), NOW)
            .await
            .expect("create");
    }
    let bystander = NewSession {
        token_hash: hash_token("admin"),
        user_id: world.admin.id.clone(),
        clinic_id: world.clinic.id.clone(),
        expires_at: NOW + DAY,
    };
    store.create_session(&bystander, NOW).await.expect("create");

    // From another clinic the user does not exist, and nothing changes.
    assert_not_found(
        store
            .change_password(
                &other.clinic.id,
                &world.practitioner.id,
                "$argon2id$x",
                None,
            )
            .await,
    );
    assert!(
        store
            .find_session(&hash_token("phone"), NOW + 1)
            .await
            .expect("find")
            .is_some()
    );

    let deleted = store
        .change_password(
            &world.clinic.id,
            &world.practitioner.id,
            "$argon2id$changed",
            Some(&hash_token("laptop")),
        )
        .await
        .expect("change");
    assert_eq!(deleted, 2);
    assert!(
        store
            .find_session(&hash_token("laptop"), NOW + 1)
            .await
            .expect("find")
            .is_some()
    );
    assert_eq!(
        store
            .find_session(&hash_token("phone"), NOW + 1)
            .await
            .expect("find"),
        None
    );
    assert_eq!(
        store
            .find_session(&hash_token("tablet"), NOW + 1)
            .await
            .expect("find"),
        None
    );
    assert!(
        store
            .find_session(&hash_token("admin"), NOW + 1)
            .await
            .expect("find")
            .is_some(),
        "other users keep their sessions"
    );
    let changed = store
        .find_user(&world.clinic.id, &world.practitioner.id)
        .await
        .expect("find")
        .expect("exists");
    assert_eq!(changed.password_hash, "$argon2id$changed");

    // Without a session to keep (a reset by e-mail), every session goes.
    assert_eq!(
        store
            .change_password(
                &world.clinic.id,
                &world.practitioner.id,
                "$argon2id$reset",
                None
            )
            .await
            .expect("reset"),
        1
    );
    assert_eq!(
        store
            .delete_other_sessions(&world.admin.id, Some(&hash_token("admin")))
            .await
            .expect("delete others"),
        0
    );
}

pub async fn expired_sessions_are_swept(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    store
        .create_session(&session(&world, "old", NOW + HOUR), NOW)
        .await
        .expect("create");
    store
        .create_session(&session(&world, "new", NOW + DAY), NOW)
        .await
        .expect("create");

    assert_eq!(
        store
            .delete_expired_sessions(NOW + HOUR)
            .await
            .expect("sweep"),
        1
    );
    assert!(
        store
            .find_session(&hash_token("new"), NOW + HOUR)
            .await
            .expect("find")
            .is_some()
    );
    assert_eq!(
        store
            .delete_expired_sessions(NOW + HOUR)
            .await
            .expect("sweep"),
        0
    );
}
