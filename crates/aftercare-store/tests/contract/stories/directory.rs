//! The practitioner directory: a profile is public only when opted in AND approved by
//! its clinic AND its user is not disabled; profiles stay in their clinic; the directory
//! version moves with every change that can change the public list; dumps keep profiles.

use aftercare_store::{NewPractitionerProfile, PractitionerProfileRow, Store};

use crate::fixtures::*;
use crate::harness::Env;

fn profile(world: &ClinicWorld, opted_in: bool) -> NewPractitionerProfile {
    NewPractitionerProfile {
        clinic_id: world.clinic.id.clone(),
        user_id: world.practitioner.id.clone(),
        display_name: "Dr Jane Doe".to_owned(),
        clinic_name: Some("Skin Clinic".to_owned()),
        address: Some("12 Rue de Rivoli".to_owned()),
        city: "Paris".to_owned(),
        country: "FR".to_owned(),
        latitude: Some(48.8556),
        longitude: Some(2.3601),
        services: r#"["microneedling","microneedling_prp"]"#.to_owned(),
        credentials: r#"["MD, dermatology"]"#.to_owned(),
        licence_number: Some("75-123456".to_owned()),
        licence_issuer: Some("Ordre des médecins".to_owned()),
        phone: Some("+33 1 23 45 67 89".to_owned()),
        website: Some("https://example.org".to_owned()),
        booking_url: None,
        opted_in,
    }
}

async fn public_ids(store: &dyn Store) -> Vec<String> {
    store
        .list_public_profiles()
        .await
        .expect("public profiles")
        .into_iter()
        .map(|p| p.id)
        .collect()
}

pub async fn a_profile_is_public_only_when_opted_in_and_approved(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let admin = &world.admin.id;

    // Saved but not opted in: private, even once approved.
    let saved = store
        .upsert_practitioner_profile(&profile(&world, false), NOW)
        .await
        .expect("save");
    assert_eq!(saved.user_id, world.practitioner.id);
    assert_eq!((saved.created_at, saved.updated_at), (NOW, NOW));
    assert_eq!(
        (saved.approved_at, saved.approved_by.as_deref()),
        (None, None)
    );
    assert!(!saved.is_listed());
    let approved = store
        .set_practitioner_profile_approval(&world.clinic.id, &saved.id, Some(admin), NOW + 1)
        .await
        .expect("approve");
    assert_eq!(approved.approved_at, Some(NOW + 1));
    assert_eq!(approved.approved_by.as_deref(), Some(admin.as_str()));
    assert!(public_ids(store).await.is_empty(), "approved, not opted in");

    // Opted in and approved: public. Same id, approval kept (the content is unchanged).
    let opted_in = store
        .upsert_practitioner_profile(&profile(&world, true), NOW + 2)
        .await
        .expect("opt in");
    assert_eq!(opted_in.id, saved.id);
    assert_eq!(opted_in.created_at, NOW);
    assert_eq!(opted_in.updated_at, NOW + 2);
    assert_eq!(opted_in.approved_at, Some(NOW + 1));
    assert!(opted_in.is_listed());
    assert_eq!(public_ids(store).await, std::slice::from_ref(&saved.id));

    // A change of content withdraws the approval at once.
    let mut moved = profile(&world, true);
    moved.city = "Lyon".to_owned();
    moved.latitude = None;
    moved.longitude = None;
    let changed = store
        .upsert_practitioner_profile(&moved, NOW + 3)
        .await
        .expect("change");
    assert_eq!((changed.approved_at, changed.approved_by), (None, None));
    assert_eq!((changed.latitude, changed.longitude), (None, None));
    assert!(
        public_ids(store).await.is_empty(),
        "changed, not re-approved"
    );
    store
        .set_practitioner_profile_approval(&world.clinic.id, &saved.id, Some(admin), NOW + 4)
        .await
        .expect("approve again");
    assert_eq!(public_ids(store).await, std::slice::from_ref(&saved.id));

    // Opting out hides it; withdrawing the approval hides it.
    store
        .upsert_practitioner_profile(
            &NewPractitionerProfile {
                opted_in: false,
                ..moved.clone()
            },
            NOW + 5,
        )
        .await
        .expect("opt out");
    assert!(public_ids(store).await.is_empty(), "opted out");
    store
        .upsert_practitioner_profile(&moved, NOW + 6)
        .await
        .expect("opt in again");
    assert_eq!(public_ids(store).await, std::slice::from_ref(&saved.id));
    let unapproved = store
        .set_practitioner_profile_approval(&world.clinic.id, &saved.id, None, NOW + 7)
        .await
        .expect("unapprove");
    assert_eq!(
        (unapproved.approved_at, unapproved.approved_by),
        (None, None)
    );
    assert!(public_ids(store).await.is_empty(), "unapproved");

    // A disabled practitioner leaves the directory.
    store
        .set_practitioner_profile_approval(&world.clinic.id, &saved.id, Some(admin), NOW + 8)
        .await
        .expect("approve");
    assert_eq!(public_ids(store).await, std::slice::from_ref(&saved.id));
    store
        .disable_user(&world.clinic.id, &world.practitioner.id, NOW + 9)
        .await
        .expect("disable");
    assert!(public_ids(store).await.is_empty(), "disabled user");
    let kept = store
        .get_practitioner_profile(&world.clinic.id, &world.practitioner.id)
        .await
        .expect("get")
        .expect("the row stays");
    assert!(kept.is_listed(), "the row itself is unchanged");

    // Deleting removes the row.
    assert!(
        store
            .delete_practitioner_profile(&world.clinic.id, &world.practitioner.id)
            .await
            .expect("delete")
    );
    assert!(
        !store
            .delete_practitioner_profile(&world.clinic.id, &world.practitioner.id)
            .await
            .expect("delete again")
    );
    assert_eq!(
        store
            .get_practitioner_profile(&world.clinic.id, &world.practitioner.id)
            .await
            .expect("get"),
        None
    );
}

pub async fn profiles_stay_in_their_clinic(env: Env) {
    let store = env.store.as_ref();
    let a = clinic_world(store, "A").await;
    let b = clinic_world(store, "B").await;
    let saved = store
        .upsert_practitioner_profile(&profile(&a, true), NOW)
        .await
        .expect("save");

    // Read, list, approve and delete from clinic B: nothing there.
    assert_eq!(
        store
            .get_practitioner_profile(&b.clinic.id, &a.practitioner.id)
            .await
            .expect("get"),
        None
    );
    assert!(
        store
            .list_practitioner_profiles(&b.clinic.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert_not_found(
        store
            .set_practitioner_profile_approval(&b.clinic.id, &saved.id, Some(&b.admin.id), NOW)
            .await,
    );
    assert!(
        !store
            .delete_practitioner_profile(&b.clinic.id, &a.practitioner.id)
            .await
            .expect("delete")
    );
    // B's admin cannot approve A's profile through A's clinic id either.
    assert_not_found(
        store
            .set_practitioner_profile_approval(&a.clinic.id, &saved.id, Some(&b.admin.id), NOW)
            .await,
    );
    // A's practitioner cannot be written under clinic B.
    let mut foreign = profile(&a, true);
    foreign.clinic_id = b.clinic.id.clone();
    assert_not_found(store.upsert_practitioner_profile(&foreign, NOW).await);
    let mut nobody = profile(&a, true);
    nobody.user_id = "no-such-user".to_owned();
    assert_not_found(store.upsert_practitioner_profile(&nobody, NOW).await);

    // Clinic A sees its own, ordered by name.
    store
        .upsert_practitioner_profile(
            &NewPractitionerProfile {
                user_id: a.admin.id.clone(),
                display_name: "Ann Admin".to_owned(),
                ..profile(&a, false)
            },
            NOW,
        )
        .await
        .expect("admin's profile");
    let names: Vec<String> = store
        .list_practitioner_profiles(&a.clinic.id)
        .await
        .expect("list")
        .into_iter()
        .map(|p| p.display_name)
        .collect();
    assert_eq!(names, ["Ann Admin", "Dr Jane Doe"]);
    assert_eq!(
        store
            .get_practitioner_profile(&a.clinic.id, &a.practitioner.id)
            .await
            .expect("get"),
        Some(saved)
    );
}

pub async fn the_database_refuses_inconsistent_profiles(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let mut half = profile(&world, true);
    half.longitude = None;
    assert_invalid(store.upsert_practitioner_profile(&half, NOW).await);
    let mut north = profile(&world, true);
    north.latitude = Some(90.5);
    assert_invalid(store.upsert_practitioner_profile(&north, NOW).await);
    let mut nameless = profile(&world, true);
    nameless.display_name = String::new();
    assert_invalid(store.upsert_practitioner_profile(&nameless, NOW).await);

    // An opted-in profile without a licence can be saved, but not approved.
    let mut unlicensed = profile(&world, true);
    unlicensed.licence_issuer = None;
    let saved = store
        .upsert_practitioner_profile(&unlicensed, NOW)
        .await
        .expect("save");
    assert_invalid(
        store
            .set_practitioner_profile_approval(
                &world.clinic.id,
                &saved.id,
                Some(&world.admin.id),
                NOW,
            )
            .await,
    );
    assert!(public_ids(store).await.is_empty());
}

pub async fn the_directory_version_moves_with_every_change(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let mut last = store.directory_version().await.expect("version");
    let mut moved = async |what: &str| {
        let now = store.directory_version().await.expect("version");
        assert!(now > last, "{what}: {now} should be above {last}");
        last = now;
    };
    let saved = store
        .upsert_practitioner_profile(&profile(&world, true), NOW)
        .await
        .expect("save");
    moved("insert").await;
    store
        .upsert_practitioner_profile(&profile(&world, true), NOW + 1)
        .await
        .expect("save again");
    moved("update").await;
    store
        .set_practitioner_profile_approval(&world.clinic.id, &saved.id, Some(&world.admin.id), NOW)
        .await
        .expect("approve");
    moved("approval").await;
    store
        .disable_user(&world.clinic.id, &world.practitioner.id, NOW)
        .await
        .expect("disable");
    moved("user disabled").await;
    store
        .delete_practitioner_profile(&world.clinic.id, &world.practitioner.id)
        .await
        .expect("delete");
    moved("delete").await;

    // Unrelated writes leave it alone.
    let before = store.directory_version().await.expect("version");
    treatment(store, &world.clinic.id, &world.admin.id, "Other").await;
    user(
        store,
        &world.clinic.id,
        "new@a.example",
        aftercare_store::Role::Practitioner,
    )
    .await;
    assert_eq!(store.directory_version().await.expect("version"), before);
}

pub async fn profiles_survive_export_and_import(env: Env) {
    let source = env.fresh_sqlite().await;
    let world = clinic_world(source.as_ref(), "A").await;
    let public = source
        .upsert_practitioner_profile(&profile(&world, true), NOW)
        .await
        .expect("save");
    source
        .set_practitioner_profile_approval(&world.clinic.id, &public.id, Some(&world.admin.id), NOW)
        .await
        .expect("approve");
    let mut private = profile(&world, false);
    private.user_id = world.admin.id.clone();
    private.latitude = None;
    private.longitude = None;
    source
        .upsert_practitioner_profile(&private, NOW)
        .await
        .expect("save private");
    let target = env.store.as_ref();
    let (exported, json) = copy_through_json(source.as_ref(), target).await;
    assert_eq!(exported.practitioner_profiles.len(), 2);
    let re_exported = target.export_all().await.expect("export again");
    assert_eq!(re_exported, exported, "every profile survives");
    assert_eq!(
        serde_json::to_string_pretty(&re_exported).expect("serialise"),
        json
    );
    let listed: Vec<PractitionerProfileRow> = target.list_public_profiles().await.expect("public");
    assert_eq!(listed, source.list_public_profiles().await.expect("public"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].latitude, Some(48.8556), "coordinates exact");

    // A dump written before the directory existed has no profiles key: none.
    let old = dump_without(&json, "practitioner_profiles");
    assert!(old.practitioner_profiles.is_empty());
}
