//! The product shelf: products are added, listed in order, updated and removed on one
//! treatment's shelf; another clinic (or another treatment) cannot see or touch them; the
//! database refuses empty names and rows pointing into another clinic; dumps keep them.

use aftercare_store::NewShelfProduct;

use crate::fixtures::*;
use crate::harness::Env;

fn product(world: &ClinicWorld, name: &str) -> NewShelfProduct {
    NewShelfProduct {
        clinic_id: world.clinic.id.clone(),
        treatment_id: world.treatment.id.clone(),
        name: name.to_owned(),
        brand: Some("Brand & Co".to_owned()),
        product_type: "serum".to_owned(),
        ingredients: Some("Aqua, Glycerin, Sodium Hyaluronate".to_owned()),
        from_clinic: false,
    }
}

pub async fn products_are_added_listed_updated_and_removed(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let (clinic, treatment) = (&world.clinic.id, &world.treatment.id);

    let serum = store
        .add_shelf_product(&product(&world, "HA serum"), NOW)
        .await
        .expect("add serum");
    assert_eq!(serum.treatment_id, *treatment);
    assert_eq!((serum.created_at, serum.updated_at), (NOW, NOW));
    assert_eq!(serum.brand.as_deref(), Some("Brand & Co"));
    let mut cleanser = product(&world, "Gentle cleanser");
    cleanser.brand = None;
    cleanser.product_type = "cleanser".to_owned();
    cleanser.ingredients = None;
    cleanser.from_clinic = true;
    let cleanser = store
        .add_shelf_product(&cleanser, NOW + 1)
        .await
        .expect("add cleanser");
    assert_eq!(
        (cleanser.brand.as_deref(), cleanser.ingredients.as_deref()),
        (None, None)
    );
    assert!(cleanser.from_clinic);

    let listed = store
        .list_shelf_products(clinic, treatment)
        .await
        .expect("list");
    assert_eq!(
        listed,
        vec![serum.clone(), cleanser.clone()],
        "in the order added"
    );

    let mut changed = product(&world, "HA serum (new)");
    changed.ingredients = Some("Aqua, Glycerin".to_owned());
    changed.from_clinic = true;
    let updated = store
        .update_shelf_product(&serum.id, &changed, NOW + 5)
        .await
        .expect("update");
    assert_eq!(updated.id, serum.id);
    assert_eq!(updated.name, "HA serum (new)");
    assert_eq!(updated.ingredients.as_deref(), Some("Aqua, Glycerin"));
    assert!(updated.from_clinic);
    assert_eq!((updated.created_at, updated.updated_at), (NOW, NOW + 5));

    assert!(
        store
            .delete_shelf_product(clinic, treatment, &serum.id)
            .await
            .expect("delete")
    );
    assert!(
        !store
            .delete_shelf_product(clinic, treatment, &serum.id)
            .await
            .expect("delete twice"),
        "already gone"
    );
    assert_eq!(
        store
            .list_shelf_products(clinic, treatment)
            .await
            .expect("list"),
        vec![cleanser]
    );
    assert_not_found(
        store
            .update_shelf_product(&serum.id, &changed, NOW + 6)
            .await,
    );
}

pub async fn another_clinic_cannot_see_or_touch_a_shelf(env: Env) {
    let store = env.store.as_ref();
    let a = clinic_world(store, "A").await;
    let b = clinic_world(store, "B").await;
    let mine = store
        .add_shelf_product(&product(&a, "A's serum"), NOW)
        .await
        .expect("add");

    // Clinic B asking for A's treatment, or for its own: never A's product.
    assert!(
        store
            .list_shelf_products(&b.clinic.id, &a.treatment.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(
        store
            .list_shelf_products(&b.clinic.id, &b.treatment.id)
            .await
            .expect("list")
            .is_empty()
    );
    // B cannot change or delete it, through its own treatment or A's.
    let mut hijack = product(&b, "B was here");
    assert_not_found(store.update_shelf_product(&mine.id, &hijack, NOW + 1).await);
    hijack.treatment_id = a.treatment.id.clone();
    assert_not_found(store.update_shelf_product(&mine.id, &hijack, NOW + 1).await);
    assert!(
        !store
            .delete_shelf_product(&b.clinic.id, &a.treatment.id, &mine.id)
            .await
            .expect("delete")
    );
    assert!(
        !store
            .delete_shelf_product(&b.clinic.id, &b.treatment.id, &mine.id)
            .await
            .expect("delete")
    );
    // Another treatment of the same clinic does not reach it either.
    let other = treatment(store, &a.clinic.id, &a.practitioner.id, "Other patient").await;
    assert!(
        store
            .list_shelf_products(&a.clinic.id, &other.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(
        !store
            .delete_shelf_product(&a.clinic.id, &other.id, &mine.id)
            .await
            .expect("delete")
    );
    // B cannot write a product onto A's treatment.
    assert_not_found(store.add_shelf_product(&hijack, NOW).await);
    assert_eq!(
        store
            .list_shelf_products(&a.clinic.id, &a.treatment.id)
            .await
            .expect("list"),
        vec![mine],
        "untouched"
    );
}

pub async fn the_database_refuses_an_empty_name_or_type(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let mut nameless = product(&world, "");
    assert_invalid(store.add_shelf_product(&nameless, NOW).await);
    nameless.name = "Serum".to_owned();
    nameless.product_type = String::new();
    assert_invalid(store.add_shelf_product(&nameless, NOW).await);
    let mut missing = product(&world, "Serum");
    missing.treatment_id = "no-such-treatment".to_owned();
    assert_not_found(store.add_shelf_product(&missing, NOW).await);
    assert!(
        store
            .list_shelf_products(&world.clinic.id, &world.treatment.id)
            .await
            .expect("list")
            .is_empty()
    );
}

pub async fn shelf_products_survive_export_and_import(env: Env) {
    let source = env.fresh_sqlite().await;
    let world = clinic_world(source.as_ref(), "A").await;
    source
        .add_shelf_product(&product(&world, "HA serum"), NOW)
        .await
        .expect("add");
    let mut bare = product(&world, "Balm");
    bare.brand = None;
    bare.ingredients = None;
    source.add_shelf_product(&bare, NOW + 1).await.expect("add");
    let target = env.store.as_ref();
    let (exported, json) = copy_through_json(source.as_ref(), target).await;
    assert_eq!(exported.shelf_products.len(), 2);
    let re_exported = target.export_all().await.expect("export again");
    assert_eq!(re_exported, exported, "every shelf product survives");
    assert_eq!(
        target
            .list_shelf_products(&world.clinic.id, &world.treatment.id)
            .await
            .expect("list"),
        exported.shelf_products
    );

    // A dump written before the shelf existed has no shelf key: none.
    let old = dump_without(&json, "shelf_products");
    assert!(old.shelf_products.is_empty());
}
