//! The clinic's product catalog: one current catalog per clinic, set (replacing the last),
//! read and cleared by its own clinic only; another clinic can neither read nor clear it, nor
//! record a user of another clinic as its author; dumps keep it.

use crate::fixtures::*;
use crate::harness::Env;

const FIRST: &str = "[[product]]\nid = \"first\"\n";
const SECOND: &str = "[[product]]\nid = \"second\"\n";

pub async fn a_catalog_is_set_replaced_and_cleared(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let clinic = &world.clinic.id;

    assert_eq!(store.get_clinic_catalog(clinic).await.expect("get"), None);
    let set = store
        .set_clinic_catalog(clinic, &world.admin.id, FIRST, NOW)
        .await
        .expect("set");
    assert_eq!(
        (set.toml.as_str(), set.updated_by.as_str(), set.updated_at),
        (FIRST, world.admin.id.as_str(), NOW)
    );
    assert_eq!(
        store.get_clinic_catalog(clinic).await.expect("get"),
        Some(set)
    );

    let replaced = store
        .set_clinic_catalog(clinic, &world.practitioner.id, SECOND, NOW + 5)
        .await
        .expect("replace");
    assert_eq!(
        (replaced.toml.as_str(), replaced.updated_at),
        (SECOND, NOW + 5)
    );
    assert_eq!(
        store.get_clinic_catalog(clinic).await.expect("get"),
        Some(replaced),
        "one current catalog"
    );

    assert!(store.clear_clinic_catalog(clinic).await.expect("clear"));
    assert_eq!(store.get_clinic_catalog(clinic).await.expect("get"), None);
    assert!(
        !store
            .clear_clinic_catalog(clinic)
            .await
            .expect("clear again")
    );
}

pub async fn another_clinic_cannot_read_or_clear_a_catalog(env: Env) {
    let store = env.store.as_ref();
    let a = clinic_world(store, "A").await;
    let b = clinic_world(store, "B").await;
    let mine = store
        .set_clinic_catalog(&a.clinic.id, &a.admin.id, FIRST, NOW)
        .await
        .expect("set");

    assert_eq!(
        store.get_clinic_catalog(&b.clinic.id).await.expect("get"),
        None
    );
    assert!(
        !store
            .clear_clinic_catalog(&b.clinic.id)
            .await
            .expect("clear")
    );
    // B's admin cannot be recorded as the author of A's catalog, nor A's of B's.
    assert_not_found(
        store
            .set_clinic_catalog(&a.clinic.id, &b.admin.id, SECOND, NOW + 1)
            .await,
    );
    assert_not_found(
        store
            .set_clinic_catalog(&b.clinic.id, &a.admin.id, SECOND, NOW + 1)
            .await,
    );
    assert_eq!(
        store.get_clinic_catalog(&a.clinic.id).await.expect("get"),
        Some(mine),
        "untouched"
    );
    assert_eq!(
        store.get_clinic_catalog(&b.clinic.id).await.expect("get"),
        None
    );
}

pub async fn catalogs_survive_export_and_import(env: Env) {
    let source = env.fresh_sqlite().await;
    let world = clinic_world(source.as_ref(), "A").await;
    source
        .set_clinic_catalog(&world.clinic.id, &world.admin.id, FIRST, NOW)
        .await
        .expect("set");
    let target = env.store.as_ref();
    let (exported, json) = copy_through_json(source.as_ref(), target).await;
    assert_eq!(exported.clinic_catalogs.len(), 1);
    assert_eq!(target.export_all().await.expect("export again"), exported);
    assert_eq!(
        target
            .get_clinic_catalog(&world.clinic.id)
            .await
            .expect("get")
            .map(|c| c.toml),
        Some(FIRST.to_owned())
    );

    // A dump written before catalogs existed has no catalog key: none.
    let old = dump_without(&json, "clinic_catalogs");
    assert!(old.clinic_catalogs.is_empty());
}
